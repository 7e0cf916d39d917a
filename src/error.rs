//! The crate's one error type.

use std::error::Error as StdError;

/// A boxed upstream error (serde_json, tokenizers, linfa), kept only as a source.
pub type BoxedSource = Box<dyn StdError + Send + Sync>;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The report is empty or holds only white space.
    #[error("the report is empty or white space only")]
    EmptyReport,
    /// The model artifact declares a format this version of the crate cannot read.
    #[error("unsupported model format version {found} (this crate reads version {expected})")]
    UnsupportedFormat {
        /// The version written in the artifact.
        found: u32,
        /// The version this crate reads.
        expected: u32,
    },
    /// The model artifact could not be parsed or is internally inconsistent.
    #[error("invalid model artifact: {reason}")]
    Model {
        /// What is wrong with it.
        reason: String,
        /// The parser's own error, where there is one.
        #[source]
        source: Option<BoxedSource>,
    },
    /// The tokenizer failed on the input or could not be built.
    #[error("tokenizer error: {0}")]
    Tokenizer(#[source] BoxedSource),
    /// A feature matrix or weight table does not have the expected width.
    #[error("feature mismatch: expected {expected} features, found {found}")]
    FeatureMismatch {
        /// The number of features the model was trained with.
        expected: usize,
        /// The number of features given.
        found: usize,
    },
    /// A label string is not one of the four codebook labels.
    #[error("unknown label {0:?} (expected directed, remote-controlled, inspired or unclaimed)")]
    UnknownLabel(String),
    /// Reading or writing a file failed.
    #[error("i/o error on {path}: {source}")]
    Io {
        /// The file involved.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A training parameter is out of range.
    #[error("invalid training parameter {name}: {reason}")]
    InvalidParam {
        /// The parameter's name.
        name: &'static str,
        /// Why the value was rejected.
        reason: String,
    },
    /// The corpus could not be read or does not support training.
    #[error("corpus error: {0}")]
    Corpus(String),
    /// Fitting the model failed.
    #[error("fitting failed: {reason}")]
    Fit {
        /// What failed.
        reason: String,
        /// The fitting library's own error, where there is one.
        #[source]
        source: Option<BoxedSource>,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn model(reason: impl Into<String>) -> Self {
        Error::Model {
            reason: reason.into(),
            source: None,
        }
    }
}
