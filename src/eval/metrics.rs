//! Classification and calibration figures from gold labels and predicted probabilities.

use serde::Serialize;

use crate::label::Label;

/// Number of equal-width confidence bins for expected calibration error and the reliability table.
pub const RELIABILITY_BINS: usize = 10;

/// Precision, recall and F1 of one label.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LabelScores {
    /// The label.
    pub label: Label,
    /// Share of predictions of this label that were right.
    pub precision: f64,
    /// Share of reports with this gold label that were found.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Reports with this gold label.
    pub support: usize,
}

/// Figures over a set of scored reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// `confusion[gold][predicted]` in [`Label::ALL`] order.
    pub confusion: [[usize; 4]; 4],
    /// Per-label scores in [`Label::ALL`] order.
    pub labels: [LabelScores; 4],
    /// Share of correct predictions.
    pub accuracy: f64,
    /// Mean F1 over the four labels.
    pub macro_f1: f64,
    /// Mean negative log-probability of the gold label.
    pub log_loss: f64,
    /// Expected calibration error of the top label's confidence, over [`RELIABILITY_BINS`] bins.
    pub ece: f64,
    /// Per bin: reports, mean confidence, accuracy.
    pub reliability: Vec<(usize, f64, f64)>,
}

impl Metrics {
    /// Computes the figures from pairs of gold label and predicted probabilities (in label order).
    pub fn new(scored: &[(Label, [f64; 4])]) -> Metrics {
        let mut confusion = [[0usize; 4]; 4];
        let mut log_loss = 0.0;
        let mut bins = vec![(0usize, 0.0f64, 0usize); RELIABILITY_BINS];
        for (gold, probs) in scored {
            let (predicted, confidence) = argmax(probs);
            confusion[gold.index()][predicted] += 1;
            log_loss -= probs[gold.index()].max(1e-15).ln();
            let bin = ((confidence * RELIABILITY_BINS as f64) as usize).min(RELIABILITY_BINS - 1);
            bins[bin].0 += 1;
            bins[bin].1 += confidence;
            bins[bin].2 += usize::from(predicted == gold.index());
        }
        let n = scored.len().max(1) as f64;
        let labels = Label::ALL.map(|label| {
            let k = label.index();
            let tp = confusion[k][k] as f64;
            let predicted: usize = (0..4).map(|g| confusion[g][k]).sum();
            let support: usize = confusion[k].iter().sum();
            let precision = ratio(tp, predicted as f64);
            let recall = ratio(tp, support as f64);
            LabelScores {
                label,
                precision,
                recall,
                f1: ratio(2.0 * precision * recall, precision + recall),
                support,
            }
        });
        let correct: usize = (0..4).map(|k| confusion[k][k]).sum();
        let reliability: Vec<(usize, f64, f64)> = bins
            .iter()
            .map(|&(count, conf, right)| {
                (
                    count,
                    ratio(conf, count as f64),
                    ratio(right as f64, count as f64),
                )
            })
            .collect();
        let ece = reliability
            .iter()
            .map(|&(count, conf, acc)| count as f64 / n * (conf - acc).abs())
            .sum();
        Metrics {
            confusion,
            accuracy: correct as f64 / n,
            macro_f1: labels.iter().map(|s| s.f1).sum::<f64>() / 4.0,
            labels,
            log_loss: log_loss / n,
            ece,
            reliability,
        }
    }

    /// Number of reports scored.
    pub fn reports(&self) -> usize {
        self.confusion.iter().flatten().sum()
    }
}

/// Index and value of the largest probability; ties go to the earlier (stronger) label.
pub(crate) fn argmax(probs: &[f64; 4]) -> (usize, f64) {
    probs
        .iter()
        .copied()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |best, (i, p)| {
            if p > best.1 { (i, p) } else { best }
        })
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_predictions_score_one() {
        let scored: Vec<_> = Label::ALL
            .iter()
            .map(|l| {
                let mut p = [0.0; 4];
                p[l.index()] = 1.0;
                (*l, p)
            })
            .collect();
        let m = Metrics::new(&scored);
        assert_eq!(m.accuracy, 1.0);
        assert_eq!(m.macro_f1, 1.0);
        assert!(m.ece < 1e-12);
    }

    #[test]
    fn hand_computed_confusion() {
        // Two directed reports, one predicted inspired; one inspired report predicted inspired.
        let scored = [
            (Label::Directed, [0.7, 0.1, 0.1, 0.1]),
            (Label::Directed, [0.2, 0.1, 0.6, 0.1]),
            (Label::Inspired, [0.1, 0.1, 0.7, 0.1]),
        ];
        let m = Metrics::new(&scored);
        assert_eq!(m.confusion[0][0], 1);
        assert_eq!(m.confusion[0][2], 1);
        assert!((m.labels[0].recall - 0.5).abs() < 1e-12);
        assert!((m.labels[2].precision - 0.5).abs() < 1e-12);
        assert!((m.accuracy - 2.0 / 3.0).abs() < 1e-12);
    }
}
