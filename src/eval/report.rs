//! Scoring a model on held-out reports and writing the evaluation report.

use std::fmt::Write as _;

use crate::classifier::{Classifier, read_report};
use crate::error::Result;
use crate::label::Label;
use crate::model::softmax;
use crate::train::Report;

use super::metrics::Metrics;
use super::uncertainty::{Interval, RESAMPLES, Uncertainty, macro_f1_change};

/// Scores `model` on `reports` against their gold labels.
///
/// # Errors
///
/// As [`Classifier::predict`] (an empty report text is an error).
pub fn evaluate(model: &Classifier, reports: &[&Report]) -> Result<Metrics> {
    Ok(Metrics::new(&score_reports(model, reports)?))
}

/// Gold label and predicted probabilities for each report.
fn score_reports(model: &Classifier, reports: &[&Report]) -> Result<Vec<(Label, [f64; 4])>> {
    reports
        .iter()
        .map(|r| Ok((r.label, model.predict(&r.text)?.probabilities())))
        .collect()
}

/// Uncalibrated (temperature 1) figures, to show what calibration changed.
pub(crate) fn evaluate_uncalibrated(model: &Classifier, reports: &[&Report]) -> Result<Metrics> {
    let scored = reports
        .iter()
        .map(|r| {
            let reading = read_report(model.features(), model.scorer(), &r.text)?;
            Ok((
                r.label,
                softmax(model.scorer().logits(&reading.analysis.features), 1.0),
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Metrics::new(&scored))
}

/// Seed of the long-form background sampling.
const LONG_FORM_SEED: u64 = 20_261_128;
/// Seed of the resampling behind the held-out intervals.
const UNCERTAINTY_SEED: u64 = 20_261_129;

/// Everything `data/eval/report.md` says, computed by the code.
#[derive(Clone, Debug)]
pub struct EvaluationReport {
    /// Out-of-fold figures on the training split (grouped by event), calibrated.
    pub cross_validation: Metrics,
    /// Out-of-fold figures before calibration.
    pub cross_validation_uncalibrated: Metrics,
    /// Held-out test split, calibrated (as shipped).
    pub test: Metrics,
    /// Held-out test split before calibration.
    pub test_uncalibrated: Metrics,
    /// How far the held-out figures can move by chance at this test size.
    pub test_uncertainty: Uncertainty,
    /// Share of test reports called reliable, and the accuracy on them.
    pub reliable_coverage: (f64, f64),
    /// The held-out test split with each report embedded in 1,500-4,000 words of unrelated
    /// background (see [`super::long_form`]), as shipped.
    pub long_form: Metrics,
    /// 95% interval of the macro-F1 change from the short to the long form, resampling events.
    pub long_form_change: Interval,
    /// Test reports with an annotated runner-up: how many, the mean probability the model gives
    /// that runner-up, and the share where it ranks second.
    pub hard_cases: (usize, f64, f64),
}

impl EvaluationReport {
    /// Computes the report's figures on the test split; `oof_logits` are the cross-validation
    /// logits for `train` at the model's alpha.
    ///
    /// # Errors
    ///
    /// As [`evaluate`].
    pub fn new(
        model: &Classifier,
        train: &[&Report],
        oof_logits: &[[f64; 4]],
        test: &[&Report],
    ) -> Result<Self> {
        let gold: Vec<Label> = train.iter().map(|r| r.label).collect();
        let temperature = model.info().temperature;
        let oof = |t: f64| {
            let scored: Vec<_> = gold
                .iter()
                .zip(oof_logits)
                .map(|(g, l)| (*g, softmax(*l, t)))
                .collect();
            Metrics::new(&scored)
        };
        let predictions = test
            .iter()
            .map(|r| model.predict(&r.text))
            .collect::<Result<Vec<_>>>()?;
        let mut reliable = (0usize, 0usize);
        let mut hard = (0usize, 0.0f64, 0usize);
        for (report, p) in test.iter().zip(&predictions) {
            if p.is_reliable() {
                reliable.0 += 1;
                reliable.1 += usize::from(p.label() == report.label);
            }
            if let Some(runner_up) = report.runner_up {
                hard.0 += 1;
                hard.1 += p.probability(runner_up);
                hard.2 += usize::from(p.runner_up().0 == runner_up);
            }
        }
        let pool = super::long_form::background_pool();
        let long_texts = super::long_form::embed_in_background(test, &pool, LONG_FORM_SEED);
        let long_scored = test
            .iter()
            .zip(model.predict_batch(&long_texts))
            .map(|(r, p)| Ok((r.label, p?.probabilities())))
            .collect::<Result<Vec<_>>>()?;
        let test_scored: Vec<(Label, [f64; 4])> = test
            .iter()
            .zip(&predictions)
            .map(|(r, p)| (r.label, p.probabilities()))
            .collect();
        let events: Vec<String> = test.iter().map(|r| r.event_key()).collect();
        Ok(EvaluationReport {
            long_form: Metrics::new(&long_scored),
            test_uncertainty: Uncertainty::new(&test_scored, &events, UNCERTAINTY_SEED),
            long_form_change: macro_f1_change(
                &test_scored,
                &long_scored,
                &events,
                UNCERTAINTY_SEED,
            ),
            cross_validation: oof(temperature),
            cross_validation_uncalibrated: oof(1.0),
            test: Metrics::new(&test_scored),
            test_uncalibrated: evaluate_uncalibrated(model, test)?,
            reliable_coverage: (
                reliable.0 as f64 / test.len().max(1) as f64,
                reliable.1 as f64 / reliable.0.max(1) as f64,
            ),
            hard_cases: (
                hard.0,
                hard.1 / hard.0.max(1) as f64,
                hard.2 as f64 / hard.0.max(1) as f64,
            ),
        })
    }

    /// Replaces the block between `<!-- evaluation:start -->` and `<!-- evaluation:end -->` in
    /// `readme` with this report's headline figures.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Corpus`] if the markers are missing.
    pub fn update_readme(&self, readme: &str) -> Result<String> {
        const START: &str = "<!-- evaluation:start -->";
        const END: &str = "<!-- evaluation:end -->";
        let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
            return Err(crate::Error::Corpus(
                "README has no evaluation markers".to_owned(),
            ));
        };
        let mut block = String::new();
        let _ = writeln!(block, "{START}");
        let _ = writeln!(block, "| set | reports | accuracy | macro-F1 | ECE |");
        let _ = writeln!(block, "|---|---|---|---|---|");
        for (name, m) in [
            (
                "held-out test split (events never seen in training or tuning)",
                &self.test,
            ),
            (
                "cross-validation on the training split, grouped by event",
                &self.cross_validation,
            ),
            (
                "held-out test split, each report inside 1,500-4,000 words of unrelated background",
                &self.long_form,
            ),
        ] {
            let _ = writeln!(
                block,
                "| {name} | {} | {:.3} | {:.3} | {:.3} |",
                m.reports(),
                m.accuracy,
                m.macro_f1,
                m.ece
            );
        }
        let u = &self.test_uncertainty;
        let _ = writeln!(
            block,
            "\nOn the held-out split, 95% bootstrap intervals (resampling events): macro-F1 {:.3}-{:.3}, \
             ECE {:.3}-{:.3}; a perfectly calibrated model would show an ECE of up to {:.3} at this size.\n",
            u.macro_f1.low, u.macro_f1.high, u.ece.low, u.ece.high, u.ece_if_calibrated_95
        );
        let _ = writeln!(
            block,
            "Per-label scores and confusion matrices: [`data/eval/report.md`](data/eval/report.md)."
        );
        Ok(format!("{}{block}{}", &readme[..start], &readme[end..]))
    }

    /// The report as markdown, headed as generated.
    pub fn to_markdown(&self, model: &Classifier) -> String {
        let info = model.info();
        let s = &info.settings;
        let mut md = String::new();
        let _ = writeln!(
            md,
            "<!-- generated by `cargo run --release --features train --example evaluate`; do not edit -->"
        );
        let _ = writeln!(md, "# Evaluation of the shipped model\n");
        let _ = writeln!(
            md,
            "Model trained on {} reports of {} events (crate {}, corpus sha256 `{}`, codebook sha256 `{}`).",
            info.train_reports,
            info.train_events,
            info.crate_version,
            short(&info.corpus_sha256),
            short(&info.codebook_sha256)
        );
        let _ = writeln!(
            md,
            "Settings: alpha {} (chosen from {:?} by the lowest out-of-fold log-loss after temperature scaling, {}-fold \
             cross-validation grouped by event), at most {} word n-grams \
             (document frequency >= {}), seed {}, calibration temperature {:.3}, reliable at confidence >= {:.2}.\n",
            s.alpha,
            s.alpha_grid,
            s.folds,
            s.max_ngrams,
            s.min_document_frequency,
            s.seed,
            info.temperature,
            info.reliable_threshold
        );
        let _ = writeln!(md, "## Summary\n");
        let _ = writeln!(
            md,
            "| set | reports | accuracy | macro-F1 | log-loss | ECE (10 bins) |"
        );
        let _ = writeln!(md, "|---|---|---|---|---|---|");
        for (name, m) in [
            (
                "cross-validation, out-of-fold, uncalibrated",
                &self.cross_validation_uncalibrated,
            ),
            (
                "cross-validation, out-of-fold, calibrated",
                &self.cross_validation,
            ),
            ("held-out test split, uncalibrated", &self.test_uncalibrated),
            ("**held-out test split, as shipped**", &self.test),
            (
                "held-out test split inside 1,500-4,000 words of background",
                &self.long_form,
            ),
        ] {
            let _ = writeln!(
                md,
                "| {name} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
                m.reports(),
                m.accuracy,
                m.macro_f1,
                m.log_loss,
                m.ece
            );
        }
        let u = &self.test_uncertainty;
        let _ = writeln!(
            md,
            "\nSampling uncertainty of the held-out figures (95% intervals from {RESAMPLES} bootstrap resamples of the \
             test split's {} events): macro-F1 {:.3}-{:.3}, ECE {:.3}-{:.3}. A perfectly calibrated model with the same \
             confidences would still show an ECE of up to {:.3} (95% quantile) on {} reports.",
            u.events,
            u.macro_f1.low,
            u.macro_f1.high,
            u.ece.low,
            u.ece.high,
            u.ece_if_calibrated_95,
            self.test.reports()
        );
        let _ = writeln!(
            md,
            "\nReliable predictions (`is_reliable()`) on the test split: {:.0}% of reports, {:.1}% of them correct.\n",
            self.reliable_coverage.0 * 100.0,
            self.reliable_coverage.1 * 100.0
        );
        let _ = writeln!(
            md,
            "Whole articles: embedding each held-out report in 1,500-4,000 words of unrelated background sentences \
             (written text about casualties, the scene, reactions and politics; none about attribution) changes macro-F1 by {:+.1} points ({:.3} -> {:.3}; \
             95% interval of the change, resampling events: {:+.1} to {:+.1} points).\n",
            (self.long_form.macro_f1 - self.test.macro_f1) * 100.0,
            self.test.macro_f1,
            self.long_form.macro_f1,
            self.long_form_change.low * 100.0,
            self.long_form_change.high * 100.0
        );
        let _ = writeln!(
            md,
            "Hard cases (test reports with an annotated runner-up, codebook rule 12): {}; the model gives the runner-up \
             {:.3} probability on average and ranks it second in {:.0}% of them.\n",
            self.hard_cases.0,
            self.hard_cases.1,
            self.hard_cases.2 * 100.0
        );
        for (title, m) in [
            ("Held-out test split", &self.test),
            (
                "Cross-validation (out-of-fold, calibrated)",
                &self.cross_validation,
            ),
        ] {
            let _ = writeln!(md, "## {title}\n");
            let _ = writeln!(md, "| label | precision | recall | F1 | support |");
            let _ = writeln!(md, "|---|---|---|---|---|");
            for l in &m.labels {
                let _ = writeln!(
                    md,
                    "| {} | {:.3} | {:.3} | {:.3} | {} |",
                    l.label, l.precision, l.recall, l.f1, l.support
                );
            }
            let _ = writeln!(md, "\nConfusion matrix (rows: gold, columns: predicted):\n");
            let _ = writeln!(
                md,
                "| gold \\ predicted | {} |",
                Label::ALL.map(|l| l.as_str()).join(" | ")
            );
            let _ = writeln!(md, "|---|---|---|---|---|");
            for label in Label::ALL {
                let row = m.confusion[label.index()]
                    .map(|c| c.to_string())
                    .join(" | ");
                let _ = writeln!(md, "| {label} | {row} |");
            }
            let _ = writeln!(md);
        }
        let _ = writeln!(md, "## Reliability (held-out test split, as shipped)\n");
        let _ = writeln!(
            md,
            "| confidence bin | reports | mean confidence | accuracy |"
        );
        let _ = writeln!(md, "|---|---|---|---|");
        for (i, (count, conf, acc)) in self.test.reliability.iter().enumerate() {
            if *count > 0 {
                let _ = writeln!(
                    md,
                    "| {:.1}-{:.1} | {count} | {conf:.3} | {acc:.3} |",
                    i as f64 / 10.0,
                    (i + 1) as f64 / 10.0
                );
            }
        }
        md
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
