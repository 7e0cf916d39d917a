//! The result of classifying one report.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use crate::label::Label;

/// Probabilities over the four labels for one report, with the model's reliability threshold.
///
/// ```
/// let p = claim_attribution::classify(
///     "The group's news agency said one of its soldiers carried out the stabbing. \
///      Police said the man had no known contact with extremists.",
/// )?;
/// let total: f64 = p.ranked().iter().map(|(_, prob)| prob).sum();
/// assert!((total - 1.0).abs() < 1e-9);
/// assert!(p.confidence() >= p.runner_up().1);
/// # Ok::<(), claim_attribution::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    probabilities: [f64; 4],
    reliable_threshold: f64,
    looks_english: bool,
    evidence: Vec<Evidence>,
}

/// A span of the report that pushed the prediction toward one label, from the model's own weights.
///
/// `start..end` are byte offsets into the report exactly as given, always on `char` boundaries.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Evidence {
    /// Byte offset where the span starts.
    pub start: usize,
    /// Byte offset where the span ends (exclusive).
    pub end: usize,
    /// The span's text, `&report[start..end]`.
    pub text: String,
    /// The label this span supports: the predicted label or the runner-up.
    pub supports: Label,
    /// How much the span moved the logit of `supports` over the other label, after calibration.
    pub weight: f64,
    /// Names of the features behind the span (n-grams such as `"told him"`, cues such as
    /// `"cue: plot contact with a handler"`).
    pub features: Vec<String>,
}

impl Prediction {
    /// Builds a prediction from probabilities in [`Label::ALL`] order.
    pub(crate) fn new(
        probabilities: [f64; 4],
        reliable_threshold: f64,
        looks_english: bool,
    ) -> Self {
        Prediction {
            probabilities,
            reliable_threshold,
            looks_english,
            evidence: Vec::new(),
        }
    }

    pub(crate) fn with_evidence(mut self, evidence: Vec<Evidence>) -> Self {
        self.evidence = evidence;
        self
    }

    /// The evidence spans, strongest first, for the predicted label and the runner-up. Empty for
    /// predictions made by [`crate::Classifier::predict`]; filled by [`crate::Classifier::explain`].
    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }

    /// Whether the text reads as English. The model knows English only: a report that does not
    /// is still classified, but never [`Prediction::is_reliable`].
    pub fn looks_english(&self) -> bool {
        self.looks_english
    }

    /// The most probable label (ties go to the stronger link, as in codebook rule 1).
    pub fn label(&self) -> Label {
        self.ranked()[0].0
    }

    /// The probability of [`Prediction::label`].
    pub fn confidence(&self) -> f64 {
        self.ranked()[0].1
    }

    /// The second most probable label and its probability (codebook rule 12).
    pub fn runner_up(&self) -> (Label, f64) {
        self.ranked()[1]
    }

    /// The probability of one label.
    pub fn probability(&self, label: Label) -> f64 {
        self.probabilities[label.index()]
    }

    /// The four probabilities in [`Label::ALL`] order.
    pub fn probabilities(&self) -> [f64; 4] {
        self.probabilities
    }

    /// All four labels with their probabilities, most probable first; they sum to 1.
    pub fn ranked(&self) -> [(Label, f64); 4] {
        let mut ranked = Label::ALL.map(|label| (label, self.probabilities[label.index()]));
        // Stable sort keeps rule-1 order among equal probabilities.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked
    }

    /// Whether the confidence reaches the threshold the model chose from out-of-fold training
    /// predictions, and the text reads as English.
    pub fn is_reliable(&self) -> bool {
        self.looks_english && self.confidence() >= self.reliable_threshold
    }

    /// The confidence threshold used by [`Prediction::is_reliable`].
    pub fn reliable_threshold(&self) -> f64 {
        self.reliable_threshold
    }
}

struct Probabilities<'a>(&'a [f64; 4]);

impl Serialize for Probabilities<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        for label in Label::ALL {
            map.serialize_entry(label.as_str(), &self.0[label.index()])?;
        }
        map.end()
    }
}

/// Serializes as `{"label", "confidence", "runner_up", "reliable", "looks_english",
/// "probabilities": {label: p}}`, plus `"evidence": [...]` when the prediction carries evidence.
impl Serialize for Prediction {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Prediction", 7)?;
        s.serialize_field("label", &self.label())?;
        s.serialize_field("confidence", &self.confidence())?;
        s.serialize_field("runner_up", &self.runner_up().0)?;
        s.serialize_field("reliable", &self.is_reliable())?;
        s.serialize_field("looks_english", &self.looks_english)?;
        s.serialize_field("probabilities", &Probabilities(&self.probabilities))?;
        if self.evidence.is_empty() {
            s.skip_field("evidence")?;
        } else {
            s.serialize_field("evidence", &self.evidence)?;
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranking_and_runner_up() {
        let p = Prediction::new([0.1, 0.2, 0.6, 0.1], 0.5, true);
        assert_eq!(p.label(), Label::Inspired);
        assert_eq!(p.runner_up(), (Label::RemoteControlled, 0.2));
        assert!(p.is_reliable());
        assert_eq!(p.ranked()[3], (Label::Unclaimed, 0.1));
    }

    #[test]
    fn ties_prefer_the_stronger_link() {
        let p = Prediction::new([0.25; 4], 0.9, true);
        assert_eq!(p.label(), Label::Directed);
        assert!(!p.is_reliable());
    }

    #[test]
    fn non_english_is_never_reliable() {
        assert!(!Prediction::new([0.97, 0.01, 0.01, 0.01], 0.5, false).is_reliable());
    }

    #[test]
    fn serializes_codebook_spelling() {
        let p = Prediction::new([0.04, 0.12, 0.81, 0.03], 0.6, true);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["label"], "inspired");
        assert_eq!(json["runner_up"], "remote-controlled");
        assert_eq!(json["probabilities"]["remote-controlled"], 0.12);
    }
}
