//! Fitting: feature extractor and linfa multinomial logistic regression per fold, grouped
//! cross-validation over the regularization grid, temperature calibration, final fit.

use std::collections::BTreeMap;

use linfa::prelude::*;
use linfa_logistic::{MultiFittedLogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2};

use super::corpus::{Corpus, Report, Split, sha256_file};
use super::params::ValidTrainParams;
use crate::classifier::{Classifier, read_report};
use crate::error::{Error, Result};
use crate::eval::{Metrics, evaluate};
use crate::features::fit::{ExtractorSettings, fit_extractor};
use crate::features::{FeatureExtractor, SparseVector};
use crate::label::Label;
use crate::model::{HeldOutMetrics, LinearScorer, ModelInfo, TrainingSettings, softmax};

/// Logit given to a label absent from a fold's training data: probability about 1e-13.
const ABSENT_LABEL_LOGIT: f64 = -30.0;

/// Out-of-fold results for one regularization strength.
#[derive(Clone, Debug)]
pub struct CrossValidation {
    /// The L2 strength.
    pub alpha: f64,
    /// Figures over all out-of-fold predictions (uncalibrated).
    pub metrics: Metrics,
    /// The temperature fitted on these out-of-fold logits.
    pub temperature: f64,
    /// Out-of-fold log-loss after that temperature: what alpha is chosen by.
    pub calibrated_log_loss: f64,
}

/// What training produced.
#[derive(Clone, Debug)]
pub struct TrainOutcome {
    /// The trained, calibrated classifier.
    pub classifier: Classifier,
    /// Grouped cross-validation for every alpha tried.
    pub cross_validation: Vec<CrossValidation>,
    /// Out-of-fold figures at the chosen alpha after calibration.
    pub calibrated_cross_validation: Metrics,
}

pub(crate) struct FittedFold {
    pub(crate) extractor: FeatureExtractor,
    pub(crate) linfa: MultiFittedLogisticRegression<f64, usize>,
}

impl FittedFold {
    /// The fitted weights exported to the sparse scorer, uncalibrated.
    pub(crate) fn scorer(&self) -> LinearScorer {
        export(&self.linfa, 1.0)
    }
}

impl ValidTrainParams {
    fn extractor_settings(&self) -> ExtractorSettings {
        ExtractorSettings {
            min_token_frequency: self.min_token_frequency,
            min_document_frequency: self.min_document_frequency,
            max_ngrams: self.max_ngrams,
        }
    }

    /// Fits extractor and model on `reports` (one fold, or the whole training split).
    pub(crate) fn fit_reports(&self, reports: &[&Report], alpha: f64) -> Result<FittedFold> {
        let texts: Vec<&str> = reports.iter().map(|r| r.text.as_str()).collect();
        let extractor = fit_extractor(&texts, &self.extractor_settings())?;
        let vectors = texts
            .iter()
            .map(|t| Ok(extractor.analyze(t)?.features))
            .collect::<Result<Vec<_>>>()?;
        let records = dense(&vectors, extractor.feature_count());
        let targets = Array1::from_iter(reports.iter().map(|r| r.label.index()));
        let linfa = MultiLogisticRegression::default()
            .alpha(alpha)
            .max_iterations(self.max_iterations)
            .fit(&Dataset::new(records, targets))
            .map_err(|e| Error::Fit {
                reason: format!("logistic regression with alpha {alpha}"),
                source: Some(Box::new(e)),
            })?;
        Ok(FittedFold { extractor, linfa })
    }

    /// Out-of-fold logits for every report of the training split, folds grouped by event.
    pub fn out_of_fold_logits(&self, train: &[&Report], alpha: f64) -> Result<Vec<[f64; 4]>> {
        let fold_of = grouped_folds(train, self.folds, self.seed);
        let mut logits = vec![[0.0; 4]; train.len()];
        for fold in 0..self.folds {
            let fit_on: Vec<&Report> = train
                .iter()
                .zip(&fold_of)
                .filter(|(_, f)| **f != fold)
                .map(|(r, _)| *r)
                .collect();
            let fitted = self.fit_reports(&fit_on, alpha)?;
            let scorer = fitted.scorer();
            for (i, report) in train
                .iter()
                .enumerate()
                .filter(|(i, _)| fold_of[*i] == fold)
            {
                let reading = read_report(&fitted.extractor, &scorer, &report.text)?;
                logits[i] = scorer.logits(&reading.analysis.features);
            }
        }
        Ok(logits)
    }

    /// Trains on the corpus's training split, reporting progress through `progress`.
    ///
    /// For each alpha, cross-validation (grouped by event) gives out-of-fold logits and a
    /// temperature is fitted on them; the alpha with the lowest calibrated out-of-fold log-loss
    /// wins (a proper score, so the choice serves the probabilities, not only the argmax), and the
    /// final model is fitted on the whole training split with that alpha and temperature. The test
    /// split is only scored at the end, for the record: nothing is chosen from it.
    ///
    /// # Errors
    ///
    /// [`Error::Corpus`] if a split is empty or a label is missing, [`Error::Fit`] if linfa fails.
    pub fn fit(&self, corpus: &Corpus, progress: &mut dyn FnMut(&str)) -> Result<TrainOutcome> {
        let train = corpus.split(Split::Train);
        let test = corpus.split(Split::Test);
        if train.is_empty() || test.is_empty() {
            return Err(Error::Corpus(format!(
                "need both splits (train {}, test {})",
                train.len(),
                test.len()
            )));
        }
        if let Some(missing) = Label::ALL
            .iter()
            .find(|l| !train.iter().any(|r| r.label == **l))
        {
            return Err(Error::Corpus(format!(
                "no training report is labelled {missing}"
            )));
        }
        let gold: Vec<Label> = train.iter().map(|r| r.label).collect();
        let mut cross_validation = Vec::new();
        // (alpha, out-of-fold logits, temperature, calibrated log-loss) of the best alpha so far.
        let mut best: Option<(f64, Vec<[f64; 4]>, f64, f64)> = None;
        for &alpha in &self.alpha_grid {
            progress(&format!(
                "cross-validating alpha {alpha} ({} folds)",
                self.folds
            ));
            let logits = self.out_of_fold_logits(&train, alpha)?;
            let metrics = score(&gold, &logits, 1.0);
            let temperature = fit_temperature(&gold, &logits);
            let calibrated_log_loss = score(&gold, &logits, temperature).log_loss;
            progress(&format!(
                "  alpha {alpha}: out-of-fold macro-F1 {:.3}, accuracy {:.3}, log-loss {:.3} ({calibrated_log_loss:.3} at temperature {temperature:.3})",
                metrics.macro_f1, metrics.accuracy, metrics.log_loss
            ));
            if best.as_ref().is_none_or(|b| calibrated_log_loss < b.3) {
                best = Some((alpha, logits, temperature, calibrated_log_loss));
            }
            cross_validation.push(CrossValidation {
                alpha,
                metrics,
                temperature,
                calibrated_log_loss,
            });
        }
        let (alpha, oof_logits, temperature, _) = best.ok_or_else(|| Error::Fit {
            reason: "empty alpha grid".to_owned(),
            source: None,
        })?;
        let calibrated = score(&gold, &oof_logits, temperature);
        let reliable_threshold = choose_reliable_threshold(&gold, &oof_logits, temperature);
        progress(&format!(
            "chose alpha {alpha}; temperature {temperature:.3}; reliable at confidence >= {reliable_threshold:.2}"
        ));

        progress(&format!(
            "fitting the final model on {} training reports",
            train.len()
        ));
        let final_fit = self.fit_reports(&train, alpha)?;
        let scorer = LinearScorer {
            temperature,
            ..final_fit.scorer()
        };
        let chosen = cross_validation
            .iter()
            .find(|cv| cv.alpha == alpha)
            .map(|cv| &cv.metrics)
            .unwrap_or(&calibrated);
        let info = ModelInfo {
            crate_version: env!("CARGO_PKG_VERSION").to_owned(),
            corpus_sha256: corpus.sha256().to_owned(),
            codebook_sha256: sha256_file(&self.codebook)?,
            settings: TrainingSettings {
                alpha,
                alpha_grid: self.alpha_grid.clone(),
                folds: self.folds,
                seed: self.seed,
                max_ngrams: self.max_ngrams,
                min_document_frequency: self.min_document_frequency,
                min_token_frequency: self.min_token_frequency,
                max_iterations: self.max_iterations,
            },
            train_reports: train.len(),
            train_events: count_events(&train),
            cross_validation: held_out(chosen),
            test: HeldOutMetrics {
                reports: 0,
                accuracy: 0.0,
                macro_f1: 0.0,
            },
            temperature,
            reliable_threshold,
        };
        let classifier = Classifier::from_parts(final_fit.extractor, scorer, info)?;
        progress(&format!("scoring the {} held-out test reports", test.len()));
        let test_metrics = evaluate(&classifier, &test)?;
        let mut info = classifier.info().clone();
        info.test = held_out(&test_metrics);
        let classifier = Classifier::from_parts(
            classifier.features().clone(),
            classifier.scorer().clone(),
            info,
        )?;
        Ok(TrainOutcome {
            classifier,
            cross_validation,
            calibrated_cross_validation: calibrated,
        })
    }
}

fn held_out(metrics: &Metrics) -> HeldOutMetrics {
    HeldOutMetrics {
        reports: metrics.reports(),
        accuracy: metrics.accuracy,
        macro_f1: metrics.macro_f1,
    }
}

fn count_events(reports: &[&Report]) -> usize {
    let mut keys: Vec<String> = reports.iter().map(|r| r.event_key()).collect();
    keys.sort();
    keys.dedup();
    keys.len()
}

pub(crate) fn score(gold: &[Label], logits: &[[f64; 4]], temperature: f64) -> Metrics {
    let scored: Vec<(Label, [f64; 4])> = gold
        .iter()
        .zip(logits)
        .map(|(g, l)| (*g, softmax(*l, temperature)))
        .collect();
    Metrics::new(&scored)
}

/// Dense matrix from sparse rows, for linfa (which takes no sparse input).
pub(crate) fn dense(vectors: &[SparseVector], width: usize) -> Array2<f64> {
    let mut matrix = Array2::zeros((vectors.len(), width));
    for (mut row, vector) in matrix.rows_mut().into_iter().zip(vectors) {
        for (&i, &v) in vector.indices.iter().zip(&vector.values) {
            row[i as usize] = v;
        }
    }
    matrix
}

/// Exports linfa's weights to the sparse scorer, mapping its class columns to label order.
pub(crate) fn export(
    model: &MultiFittedLogisticRegression<f64, usize>,
    temperature: f64,
) -> LinearScorer {
    let params = model.params();
    let mut weights = vec![[0.0; 4]; params.nrows()];
    let mut intercept = [ABSENT_LABEL_LOGIT; 4];
    for (column, &label) in model.classes().iter().enumerate() {
        intercept[label] = model.intercept()[column];
        for (row, w) in weights.iter_mut().enumerate() {
            w[label] = params[[row, column]];
        }
    }
    LinearScorer {
        weights,
        intercept,
        temperature,
    }
}

/// Assigns each report a fold so that all reports of an event share one; deterministic in `seed`.
pub(crate) fn grouped_folds(reports: &[&Report], folds: usize, seed: u64) -> Vec<usize> {
    let mut events: Vec<String> = reports.iter().map(|r| r.event_key()).collect();
    events.sort();
    events.dedup();
    let mut rng = SplitMix64(seed);
    for i in (1..events.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        events.swap(i, j);
    }
    let fold_of_event: BTreeMap<String, usize> = events
        .into_iter()
        .enumerate()
        .map(|(i, e)| (e, i % folds))
        .collect();
    reports
        .iter()
        .map(|r| fold_of_event[&r.event_key()])
        .collect()
}

/// A small, fixed pseudo-random generator (SplitMix64), so folds and evaluation samples never
/// depend on another crate's RNG changes.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Temperature minimizing out-of-fold log-loss, by golden-section search on log T in [1/20, 20].
pub(crate) fn fit_temperature(gold: &[Label], logits: &[[f64; 4]]) -> f64 {
    let loss = |log_t: f64| score(gold, logits, log_t.exp()).log_loss;
    let (mut lo, mut hi) = ((0.05f64).ln(), (20.0f64).ln());
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..60 {
        let a = hi - ratio * (hi - lo);
        let b = lo + ratio * (hi - lo);
        if loss(a) < loss(b) {
            hi = b;
        } else {
            lo = a;
        }
    }
    ((lo + hi) / 2.0).exp()
}

/// The lowest confidence (on a 0.05 grid) above which out-of-fold calibrated predictions are at
/// least 90% accurate; 0.95 if none is.
pub(crate) fn choose_reliable_threshold(
    gold: &[Label],
    logits: &[[f64; 4]],
    temperature: f64,
) -> f64 {
    const TARGET_ACCURACY: f64 = 0.90;
    let scored: Vec<(bool, f64)> = gold
        .iter()
        .zip(logits)
        .map(|(g, l)| {
            let p = softmax(*l, temperature);
            let (k, conf) = crate::eval::argmax(&p);
            (k == g.index(), conf)
        })
        .collect();
    (5..=19)
        .map(|step| step as f64 * 0.05)
        .find(|&threshold| {
            let above: Vec<bool> = scored
                .iter()
                .filter(|(_, c)| *c >= threshold)
                .map(|(ok, _)| *ok)
                .collect();
            !above.is_empty()
                && above.iter().filter(|ok| **ok).count() as f64 / above.len() as f64
                    >= TARGET_ACCURACY
        })
        .unwrap_or(0.95)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::Report;

    fn report(id: usize, text: &str, label: Label) -> Report {
        serde_json::from_value(serde_json::json!({
            "id": format!("r{id}"), "text": text, "label": label, "runner_up": null,
            "event": format!("event {}", id / 2), "event_date": "2020-01-01", "split": "train",
        }))
        .unwrap()
    }

    fn toy() -> Vec<Report> {
        let texts = [
            (
                "the cell commander sent the fighters from syria with weapons",
                Label::Directed,
            ),
            (
                "fighters stormed the hotel on orders of the commander",
                Label::Directed,
            ),
            (
                "a handler on telegram told him to pick the church",
                Label::RemoteControlled,
            ),
            (
                "chat logs show the handler guided the plot remotely",
                Label::RemoteControlled,
            ),
            (
                "he pledged allegiance in a video and watched propaganda",
                Label::Inspired,
            ),
            (
                "self radicalised online with no contact with the group",
                Label::Inspired,
            ),
            (
                "no group has claimed the blast and the motive is unclear",
                Label::Unclaimed,
            ),
            (
                "police said the motive remains unknown and no claim was made",
                Label::Unclaimed,
            ),
        ];
        texts
            .iter()
            .cycle()
            .take(24)
            .enumerate()
            .map(|(i, (t, l))| report(i, t, *l))
            .collect()
    }

    #[test]
    fn sparse_scorer_matches_linfa_probabilities() {
        let reports = toy();
        let refs: Vec<&Report> = reports.iter().collect();
        let params = crate::train::TrainParams::new()
            .min_token_frequency(1)
            .min_document_frequency(1)
            .check()
            .unwrap();
        let fitted = params.fit_reports(&refs, 0.5).unwrap();
        let texts = [
            "a handler told him to strike the church",
            "no claim has been made",
            "the commander sent fighters",
            "completely unrelated words about weather",
        ];
        let matrix = fitted.extractor.transform(&texts).unwrap();
        let linfa = fitted.linfa.predict_probabilities(&matrix);
        for (row, text) in texts.iter().enumerate() {
            let ours = fitted
                .scorer()
                .probabilities(&fitted.extractor.analyze(text).unwrap().features);
            for (column, &label) in fitted.linfa.classes().iter().enumerate() {
                assert!(
                    (ours[label] - linfa[[row, column]]).abs() < 1e-9,
                    "{text}: {ours:?} vs {linfa:?}"
                );
            }
        }
    }

    #[test]
    fn folds_keep_events_together_and_are_seeded() {
        let reports = toy();
        let refs: Vec<&Report> = reports.iter().collect();
        let folds = grouped_folds(&refs, 3, 1);
        for (a, fa) in refs.iter().zip(&folds) {
            for (b, fb) in refs.iter().zip(&folds) {
                if a.event_key() == b.event_key() {
                    assert_eq!(fa, fb);
                }
            }
        }
        assert_eq!(folds, grouped_folds(&refs, 3, 1));
        assert!((0..3).all(|f| folds.contains(&f)));
    }

    #[test]
    fn temperature_cools_overconfident_logits() {
        // Confident logits that are right only half of the time need T > 1.
        let gold = [
            Label::Directed,
            Label::Inspired,
            Label::Directed,
            Label::Inspired,
        ];
        let logits = [[8.0, 0.0, 0.0, 0.0]; 4];
        assert!(fit_temperature(&gold, &logits) > 2.0);
    }
}
