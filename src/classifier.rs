//! The trained classifier: feature extraction plus exported logistic-regression weights.

use std::path::Path;
use std::thread;

use crate::error::{Error, Result};
use crate::features::FeatureExtractor;
use crate::model::{Artifact, FORMAT_VERSION, LinearScorer, ModelInfo, parse_artifact};
use crate::prediction::Prediction;

/// A trained attribution classifier. It is `Send + Sync`: share one across threads.
///
/// ```
/// use claim_attribution::{Classifier, Label};
/// let model = Classifier::embedded();
/// let p = model.predict(
///     "Chat logs recovered from his phone show a handler on Telegram chose the church \
///      as the target and sent him bomb-making instructions two days before the attack.",
/// )?;
/// assert_eq!(p.label(), Label::RemoteControlled);
/// # Ok::<(), claim_attribution::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Classifier {
    features: FeatureExtractor,
    scorer: LinearScorer,
    info: ModelInfo,
}

impl Classifier {
    pub(crate) fn from_parts(
        features: FeatureExtractor,
        scorer: LinearScorer,
        info: ModelInfo,
    ) -> Result<Self> {
        scorer.check(features.feature_count())?;
        Ok(Classifier {
            features,
            scorer,
            info,
        })
    }

    /// The model shipped inside the crate, parsed once on first use and shared.
    ///
    /// # Panics
    ///
    /// Only if the artifact compiled into the crate is invalid, which `tests/embedded_model.rs` rules out.
    pub fn embedded() -> &'static Classifier {
        crate::model::embedded()
    }

    /// Loads a model from the bytes of an artifact written by [`Classifier::to_bytes`].
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedFormat`] for another format version, [`Error::Model`] for a damaged or
    /// inconsistent file, [`Error::FeatureMismatch`] when weights and features disagree.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let artifact = parse_artifact(bytes)?;
        let features = FeatureExtractor::from_state(artifact.features)?;
        Classifier::from_parts(features, artifact.scorer, artifact.info)
    }

    /// Loads a model from an artifact file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if the file cannot be read, otherwise as [`Classifier::from_bytes`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Classifier::from_bytes(&bytes)
    }

    /// Serializes the model as a versioned artifact (deterministic: same model, same bytes).
    ///
    /// # Errors
    ///
    /// [`Error::Model`] if serialization fails.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let artifact = Artifact {
            format_version: FORMAT_VERSION,
            info: self.info.clone(),
            features: self.features.state().clone(),
            scorer: self.scorer.clone(),
        };
        let mut bytes = serde_json::to_vec_pretty(&artifact).map_err(|e| Error::Model {
            reason: format!("cannot serialize the model: {e}"),
            source: Some(Box::new(e)),
        })?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// Classifies one report.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyReport`] for empty or white-space-only text; [`Error::Tokenizer`] if the
    /// tokenizer fails.
    pub fn predict(&self, report: &str) -> Result<Prediction> {
        let analysis = self.features.analyze(report)?;
        Ok(Prediction::new(
            self.scorer.probabilities(&analysis.features),
            self.info.reliable_threshold,
        ))
    }

    /// Classifies many reports on all available cores; results keep the input order, one per report.
    ///
    /// ```
    /// let reports = ["No group has claimed the blast.", "", "He pledged allegiance in a video he posted."];
    /// let results = claim_attribution::Classifier::embedded().predict_batch(&reports);
    /// assert_eq!(results.len(), 3);
    /// assert!(results[1].is_err());
    /// ```
    pub fn predict_batch<S: AsRef<str> + Sync>(&self, reports: &[S]) -> Vec<Result<Prediction>> {
        let threads = thread::available_parallelism().map_or(1, |n| n.get());
        self.predict_batch_on(reports, threads)
    }

    /// As [`Classifier::predict_batch`], on at most `threads` threads (1 runs on the caller's thread).
    pub fn predict_batch_on<S: AsRef<str> + Sync>(
        &self,
        reports: &[S],
        threads: usize,
    ) -> Vec<Result<Prediction>> {
        let threads = threads.clamp(1, reports.len().max(1));
        if threads == 1 {
            return reports.iter().map(|r| self.predict(r.as_ref())).collect();
        }
        let chunk = reports.len().div_ceil(threads);
        thread::scope(|scope| {
            let workers: Vec<_> = reports
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|r| self.predict(r.as_ref()))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| {
                    w.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    }

    /// The feature extractor.
    pub fn features(&self) -> &FeatureExtractor {
        &self.features
    }

    /// Provenance, settings and measured quality of the model.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    pub(crate) fn scorer(&self) -> &LinearScorer {
        &self.scorer
    }
}
