//! Training parameters: a checked newtype, as in linfa.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::TrainingSettings;

/// Checked training parameters; build them with [`TrainParams`].
#[derive(Clone, Debug, PartialEq)]
pub struct ValidTrainParams {
    pub(crate) alpha_grid: Vec<f64>,
    pub(crate) folds: usize,
    pub(crate) seed: u64,
    pub(crate) max_ngrams: usize,
    pub(crate) min_document_frequency: usize,
    pub(crate) min_token_frequency: u64,
    pub(crate) max_iterations: u64,
    pub(crate) codebook: PathBuf,
}

/// Training parameters with documented defaults; call [`TrainParams::check`] to validate.
///
/// ```
/// use claim_attribution::train::TrainParams;
/// let params = TrainParams::new().folds(5).seed(7).check()?;
/// assert!(TrainParams::new().folds(1).check().is_err());
/// # Ok::<(), claim_attribution::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TrainParams(ValidTrainParams);

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams::new()
    }
}

impl TrainParams {
    /// The parameters the shipped model is trained with.
    pub fn new() -> Self {
        TrainParams(ValidTrainParams {
            alpha_grid: vec![0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0],
            folds: 5,
            seed: 20_261_127,
            max_ngrams: 12_000,
            min_document_frequency: 2,
            min_token_frequency: 2,
            max_iterations: 100,
            codebook: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/CODEBOOK.md")),
        })
    }

    /// The parameters recorded in a trained model, with its chosen alpha as the only grid point,
    /// so that evaluation re-runs cross-validation exactly as training did.
    pub fn from_settings(settings: &TrainingSettings) -> Self {
        TrainParams::new()
            .alpha_grid(vec![settings.alpha])
            .folds(settings.folds)
            .seed(settings.seed)
            .max_ngrams(settings.max_ngrams)
            .min_document_frequency(settings.min_document_frequency)
            .min_token_frequency(settings.min_token_frequency)
            .max_iterations(settings.max_iterations)
    }

    /// L2 strengths tried by cross-validation; defaults to `[0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]`.
    pub fn alpha_grid(mut self, grid: Vec<f64>) -> Self {
        self.0.alpha_grid = grid;
        self
    }

    /// Cross-validation folds, grouped by event; defaults to `5`.
    pub fn folds(mut self, folds: usize) -> Self {
        self.0.folds = folds;
        self
    }

    /// Seed of the fold assignment; defaults to `20261127`.
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }

    /// Most word n-gram features kept (by document frequency); defaults to `12000`.
    pub fn max_ngrams(mut self, max: usize) -> Self {
        self.0.max_ngrams = max;
        self
    }

    /// Fewest training reports an n-gram must occur in; defaults to `2`.
    pub fn min_document_frequency(mut self, min: usize) -> Self {
        self.0.min_document_frequency = min;
        self
    }

    /// Fewest occurrences for a word to enter the tokenizer vocabulary; defaults to `2`.
    pub fn min_token_frequency(mut self, min: u64) -> Self {
        self.0.min_token_frequency = min;
        self
    }

    /// L-BFGS iteration cap; defaults to `100`.
    pub fn max_iterations(mut self, max: u64) -> Self {
        self.0.max_iterations = max;
        self
    }

    /// The codebook file whose hash is recorded; defaults to the crate's `data/CODEBOOK.md`.
    pub fn codebook(mut self, path: impl AsRef<Path>) -> Self {
        self.0.codebook = path.as_ref().to_path_buf();
        self
    }

    /// Validates the parameters.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParam`] naming the parameter and the rejected value.
    pub fn check(self) -> Result<ValidTrainParams> {
        let p = &self.0;
        let invalid = |name, reason: String| Err(Error::InvalidParam { name, reason });
        if p.alpha_grid.is_empty() || p.alpha_grid.iter().any(|a| !a.is_finite() || *a <= 0.0) {
            return invalid(
                "alpha_grid",
                format!("{:?} must be non-empty, finite and positive", p.alpha_grid),
            );
        }
        if p.folds < 2 {
            return invalid("folds", format!("{} must be at least 2", p.folds));
        }
        if p.max_ngrams == 0 {
            return invalid("max_ngrams", "0 must be at least 1".to_owned());
        }
        if p.min_document_frequency == 0 {
            return invalid("min_document_frequency", "0 must be at least 1".to_owned());
        }
        if p.max_iterations == 0 {
            return invalid("max_iterations", "0 must be at least 1".to_owned());
        }
        Ok(self.0)
    }
}
