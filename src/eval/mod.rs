//! Evaluation: confusion matrix, per-label precision/recall/F1, macro-F1, calibration, and the
//! markdown report (feature `train`).

mod charts;
pub mod long_form;
mod metrics;
mod report;

pub use charts::{confusion_matrix_svg, reliability_svg};
pub(crate) use metrics::argmax;
pub use metrics::{LabelScores, Metrics, RELIABILITY_BINS};
pub use report::{EvaluationReport, evaluate};

#[doc(hidden)]
pub fn argmax_pub(p: &[f64; 4]) -> crate::Label {
    crate::Label::ALL[argmax(p).0]
}
