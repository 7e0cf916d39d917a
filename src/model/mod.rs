//! The model artifact: one versioned JSON file holding tokenizer, vocabulary, IDF, cue settings,
//! weights and provenance; and the copy of it compiled into the crate.

mod artifact;
mod embedded;
mod scorer;

pub(crate) use artifact::{Artifact, parse_artifact};
pub use artifact::{FORMAT_VERSION, HeldOutMetrics, ModelInfo, TrainingSettings};
pub(crate) use embedded::embedded;
pub(crate) use scorer::LinearScorer;
#[cfg(feature = "train")]
pub(crate) use scorer::softmax;
