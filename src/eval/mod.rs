//! Evaluation: confusion matrix, per-label precision/recall/F1, macro-F1, calibration, and the
//! markdown report (feature `train`).

pub mod long_form;
mod metrics;
mod report;

pub(crate) use metrics::argmax;
pub use metrics::{LabelScores, Metrics, RELIABILITY_BINS};
pub use report::{EvaluationReport, evaluate};
