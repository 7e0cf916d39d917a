//! Evaluation: confusion matrix, per-label precision/recall/F1, macro-F1, calibration, and the
//! markdown report (feature `train`).

mod charts;
pub mod long_form;
mod metrics;
mod report;
mod uncertainty;

pub use charts::{confusion_matrix_svg, reliability_svg};
pub(crate) use metrics::argmax;
pub use metrics::{LabelScores, Metrics, RELIABILITY_BINS};
pub use report::{EvaluationReport, evaluate};
pub use uncertainty::{Interval, RESAMPLES, Uncertainty, macro_f1_change};
