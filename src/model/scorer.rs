//! Inference with exported multinomial logistic-regression weights over sparse features.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::SparseVector;

/// Weights of a multinomial logistic regression, feature-major, one column per label in
/// [`crate::Label::ALL`] order, with the calibration temperature applied to the logits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct LinearScorer {
    pub(crate) weights: Vec<[f64; 4]>,
    pub(crate) intercept: [f64; 4],
    /// Logits are divided by this before the softmax (temperature scaling); 1 means uncalibrated.
    pub(crate) temperature: f64,
}

impl LinearScorer {
    pub(crate) fn check(&self, feature_count: usize) -> Result<()> {
        if self.weights.len() != feature_count {
            return Err(Error::FeatureMismatch {
                expected: feature_count,
                found: self.weights.len(),
            });
        }
        let finite = self
            .weights
            .iter()
            .flatten()
            .chain(&self.intercept)
            .all(|w| w.is_finite());
        if !(finite && self.temperature.is_finite() && self.temperature > 0.0) {
            return Err(Error::model(
                "weights or temperature are not finite and positive",
            ));
        }
        Ok(())
    }

    /// Raw logits, before temperature.
    pub(crate) fn logits(&self, features: &SparseVector) -> [f64; 4] {
        let mut logits = self.intercept;
        for (&i, &v) in features.indices.iter().zip(&features.values) {
            let w = &self.weights[i as usize];
            for k in 0..4 {
                logits[k] += v * w[k];
            }
        }
        logits
    }

    /// Calibrated probabilities in label order.
    pub(crate) fn probabilities(&self, features: &SparseVector) -> [f64; 4] {
        softmax(self.logits(features), self.temperature)
    }
}

/// Softmax of `logits / temperature`, stable against overflow.
pub(crate) fn softmax(logits: [f64; 4], temperature: f64) -> [f64; 4] {
    let scaled = logits.map(|l| l / temperature);
    let max = scaled.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp = scaled.map(|l| (l - max).exp());
    let sum: f64 = exp.iter().sum();
    exp.map(|e| e / sum)
}
