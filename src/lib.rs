#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod classifier;
mod error;
pub mod features;
mod label;
mod model;
mod prediction;

#[cfg(feature = "train")]
pub mod eval;
#[cfg(feature = "train")]
pub mod train;

pub use classifier::{Classifier, EVIDENCE_SPANS_PER_LABEL, EXCERPT_BYTES, LONG_REPORT_BYTES};
pub use error::{Error, Result};
pub use features::FeatureExtractor;
pub use label::Label;
pub use model::{FORMAT_VERSION, HeldOutMetrics, ModelInfo, TrainingSettings};
pub use prediction::{Evidence, Prediction};

/// Classifies one report with the model shipped inside the crate.
///
/// ```
/// let p = claim_attribution::classify("No group has claimed responsibility and the motive remains unclear.")?;
/// assert_eq!(p.label(), claim_attribution::Label::Unclaimed);
/// # Ok::<(), claim_attribution::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::EmptyReport`] for empty or white-space-only text.
pub fn classify(report: &str) -> Result<Prediction> {
    Classifier::embedded().predict(report)
}
