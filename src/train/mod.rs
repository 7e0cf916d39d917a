//! Training (feature `train`): corpus reading, parameters with checked defaults, and fitting with
//! linfa's multinomial logistic regression, regularization chosen by cross-validation grouped by event.

mod corpus;
mod fit;
mod params;

pub use corpus::{Corpus, Report, Split};
pub(crate) use fit::SplitMix64;
pub use fit::{CrossValidation, TrainOutcome};
pub use params::{TrainParams, ValidTrainParams};
