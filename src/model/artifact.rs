//! The serialized model and its provenance.

use serde::{Deserialize, Serialize};

use super::LinearScorer;
use crate::error::{Error, Result};
use crate::features::FeatureState;

/// The artifact format this crate writes and reads. Bump it whenever the layout changes.
pub const FORMAT_VERSION: u32 = 1;

/// The settings a model was trained with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrainingSettings {
    /// L2 regularization strength chosen by grouped cross-validation.
    pub alpha: f64,
    /// The grid it was chosen from.
    pub alpha_grid: Vec<f64>,
    /// Number of cross-validation folds (grouped by event).
    pub folds: usize,
    /// Seed for the fold assignment.
    pub seed: u64,
    /// Most word n-gram features kept.
    pub max_ngrams: usize,
    /// Fewest training reports an n-gram must occur in.
    pub min_document_frequency: usize,
    /// Fewest occurrences a word needs to enter the tokenizer vocabulary.
    pub min_token_frequency: u64,
    /// L-BFGS iteration cap.
    pub max_iterations: u64,
}

/// Classification figures on a set of reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HeldOutMetrics {
    /// Number of reports scored.
    pub reports: usize,
    /// Share of reports whose label was predicted.
    pub accuracy: f64,
    /// Unweighted mean of the four labels' F1.
    pub macro_f1: f64,
}

/// Provenance and quality of a trained model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelInfo {
    /// Version of the crate that trained the model.
    pub crate_version: String,
    /// SHA-256 of the training corpus files, concatenated in path order.
    pub corpus_sha256: String,
    /// SHA-256 of the codebook the corpus is labelled under.
    pub codebook_sha256: String,
    /// Training settings.
    pub settings: TrainingSettings,
    /// Reports and distinct events in the training split.
    pub train_reports: usize,
    /// Distinct events in the training split.
    pub train_events: usize,
    /// Out-of-fold figures from grouped cross-validation on the training split.
    pub cross_validation: HeldOutMetrics,
    /// Figures on the held-out test split (never used for training or tuning).
    pub test: HeldOutMetrics,
    /// Calibration temperature fitted on out-of-fold predictions.
    pub temperature: f64,
    /// Confidence at or above which a prediction is called reliable.
    pub reliable_threshold: f64,
}

/// The whole model file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Artifact {
    pub(crate) format_version: u32,
    pub(crate) info: ModelInfo,
    pub(crate) features: FeatureState,
    pub(crate) scorer: LinearScorer,
}

#[derive(Deserialize)]
struct VersionProbe {
    format_version: u32,
}

/// Parses an artifact, checking the format version before anything else.
pub(crate) fn parse_artifact(bytes: &[u8]) -> Result<Artifact> {
    let probe: VersionProbe = serde_json::from_slice(bytes).map_err(|e| Error::Model {
        reason: "not a claim-attribution model file (no readable format_version)".to_owned(),
        source: Some(Box::new(e)),
    })?;
    if probe.format_version != FORMAT_VERSION {
        return Err(Error::UnsupportedFormat {
            found: probe.format_version,
            expected: FORMAT_VERSION,
        });
    }
    serde_json::from_slice(bytes).map_err(|e| Error::Model {
        reason: format!("damaged model file: {e}"),
        source: Some(Box::new(e)),
    })
}
