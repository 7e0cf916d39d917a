//! The trained classifier: feature extraction plus exported logistic-regression weights.

use std::path::Path;
use std::thread;

use crate::error::{Error, Result};
use crate::features::{Analysis, FeatureExtractor, sentence_ranges};
use crate::label::Label;
use crate::model::{Artifact, FORMAT_VERSION, LinearScorer, ModelInfo, parse_artifact};
use crate::prediction::{Evidence, Prediction};

/// Most evidence spans [`Classifier::explain`] returns for each of the two labels it explains.
pub const EVIDENCE_SPANS_PER_LABEL: usize = 4;

/// Reports longer than this many bytes (about 400 words) are read as articles (see
/// [`Classifier::predict`]).
pub const LONG_REPORT_BYTES: usize = 2_500;

/// About how many bytes of an article's strongest sentences the classifier reads.
pub const EXCERPT_BYTES: usize = 1_500;

/// What was read of a report: its analysis and, for an article, the sentences read.
pub(crate) struct Reading {
    pub(crate) analysis: Analysis,
    /// Byte ranges of the sentences an article was read through, in order; `None` for a short report.
    pub(crate) excerpt: Option<Vec<(usize, usize)>>,
}

/// Reads a report as [`Classifier::predict`] describes: whole if short, through its strongest
/// sentences if long. Shared by prediction, explanation, cross-validation and evaluation.
pub(crate) fn read_report(
    features: &FeatureExtractor,
    scorer: &LinearScorer,
    report: &str,
) -> Result<Reading> {
    if report.len() <= LONG_REPORT_BYTES {
        return Ok(Reading {
            analysis: features.analyze(report)?,
            excerpt: None,
        });
    }
    let mut sentences = Vec::new();
    for (start, end) in sentence_ranges(report) {
        let analysis = match features.analyze(&report[start..end]) {
            Ok(analysis) => analysis,
            Err(Error::EmptyReport) => continue,
            Err(other) => return Err(other),
        };
        let logits = scorer.logits(&analysis.features);
        let contributions: Vec<f64> = logits
            .iter()
            .zip(&scorer.intercept)
            .map(|(l, b)| l - b)
            .collect();
        let max = contributions
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let min = contributions.iter().copied().fold(f64::INFINITY, f64::min);
        sentences.push(ScoredSentence {
            start,
            end,
            spread: max - min,
            attribution: features.has_attribution_cue(&analysis),
        });
    }
    if sentences.is_empty() {
        // No sentence holds a word: the whole text gives the same answer (or error) as any part.
        return Ok(Reading {
            analysis: features.analyze(report)?,
            excerpt: None,
        });
    }
    let excerpt = if sentences.iter().any(|s| s.attribution && s.spread > 0.0) {
        // Only attribution sentences weigh in choosing the window: attribution clusters in an
        // article, stray cues in background do not. The window's attribution sentences are read
        // with their neighbours, since a claim or finding often spills into the next sentence.
        let (first, last) =
            strongest_window(&sentences, |s| if s.attribution { s.spread } else { 0.0 });
        let mut read = vec![false; sentences.len()];
        for i in (first..=last).filter(|&i| sentences[i].attribution) {
            let next = (i + 1).min(sentences.len() - 1);
            read[i.saturating_sub(1)..=next].fill(true);
        }
        sentences
            .iter()
            .zip(read)
            .filter(|(_, read)| *read)
            .map(|(s, _)| (s.start, s.end))
            .collect::<Vec<_>>()
    } else {
        // No sentence holds a cue: read the window the model finds most telling, whole, rather
        // than the whole article, where background would drown the few sentences that matter.
        let (first, last) = strongest_window(&sentences, |s| s.spread);
        sentences[first..=last]
            .iter()
            .map(|s| (s.start, s.end))
            .collect()
    };
    let text: Vec<&str> = excerpt
        .iter()
        .map(|&(start, end)| &report[start..end])
        .collect();
    Ok(Reading {
        analysis: features.analyze(&text.join(" "))?,
        excerpt: Some(excerpt),
    })
}

/// The consecutive sentences, at most [`EXCERPT_BYTES`] long (or a single longer sentence), with
/// the greatest total `weight`: first and last index. `sentences` must not be empty.
fn strongest_window(
    sentences: &[ScoredSentence],
    weight: impl Fn(&ScoredSentence) -> f64,
) -> (usize, usize) {
    let (mut best, mut best_weight) = ((0, 0), f64::NEG_INFINITY);
    let (mut first, mut total) = (0, 0.0);
    for last in 0..sentences.len() {
        total += weight(&sentences[last]);
        while first < last && sentences[last].end - sentences[first].start > EXCERPT_BYTES {
            total -= weight(&sentences[first]);
            first += 1;
        }
        if total > best_weight {
            (best, best_weight) = ((first, last), total);
        }
    }
    best
}

/// A sentence of an article: its byte range and how strongly it speaks to the labels.
struct ScoredSentence {
    start: usize,
    end: usize,
    /// Spread between the labels' logit contributions of the sentence read alone.
    spread: f64,
    /// Whether it holds a cue that marks attribution.
    attribution: bool,
}

fn available_threads() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// A byte span of the report and how much it supports one label (index into [`Label::ALL`]).
struct Span {
    start: usize,
    end: usize,
    supports: usize,
    weight: f64,
    features: Vec<u32>,
}

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
    /// A report longer than [`LONG_REPORT_BYTES`] (about 400 words) is read as an article, in
    /// which the attribution is often one paragraph among casualties, reactions and background.
    /// Every sentence is scored on its own with the model's weights. The report is then classified
    /// from the attribution sentences (those holding a cue that marks attribution), and the
    /// sentences next to them, in the window of at most [`EXCERPT_BYTES`] whose attribution
    /// sentences carry the most spread between labels: attribution clusters in an article, stray
    /// cue words in background do not. An article with no attribution sentence is read through
    /// the window whose sentences carry the most spread, whole. Cost stays linear in length;
    /// memory is bounded by the tokenizer's piece size ([`crate::features::CHUNK_BYTES`]) plus a
    /// few words per sentence.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyReport`] for empty or white-space-only text; [`Error::Tokenizer`] if the
    /// tokenizer fails.
    pub fn predict(&self, report: &str) -> Result<Prediction> {
        let reading = read_report(&self.features, &self.scorer, report)?;
        Ok(self.prediction_from(&reading.analysis))
    }

    fn prediction_from(&self, analysis: &Analysis) -> Prediction {
        Prediction::new(
            self.scorer.probabilities(&analysis.features),
            self.info.reliable_threshold,
            analysis.looks_english,
        )
    }

    /// Classifies one report and finds the evidence behind the result: the spans that pushed
    /// hardest toward the predicted label and toward the runner-up (at most
    /// [`EVIDENCE_SPANS_PER_LABEL`] each), weighed with the model's own weights.
    ///
    /// Each feature's value is shared equally among its occurrences; an occurrence supports the
    /// predicted label when its weight for that label exceeds its weight for the runner-up, and
    /// the runner-up otherwise. Overlapping spans supporting the same label are merged. This costs
    /// a second pass over the text with offsets, so [`Classifier::predict`] skips it.
    ///
    /// ```
    /// let model = claim_attribution::Classifier::embedded();
    /// let report = "There is no evidence he was in contact with the group. He had watched its propaganda.";
    /// let p = model.explain(report)?;
    /// for e in p.evidence() {
    ///     assert_eq!(&report[e.start..e.end], e.text);
    ///     assert!(!e.features.iter().any(|f| f == "cue: plot contact with a handler"));
    /// }
    /// # Ok::<(), claim_attribution::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Classifier::predict`].
    pub fn explain(&self, report: &str) -> Result<Prediction> {
        let Reading { analysis, excerpt } = read_report(&self.features, &self.scorer, report)?;
        let prediction = self.prediction_from(&analysis);
        let (top, runner_up) = (prediction.label().index(), prediction.runner_up().0.index());
        let value = |feature: u32| {
            let i = analysis.features.indices.binary_search(&feature).ok()?;
            let occurrences = analysis
                .counts
                .binary_search_by_key(&feature, |c| c.0)
                .ok()?;
            Some(analysis.features.values[i] / f64::from(analysis.counts[occurrences].1))
        };
        let mut spans = Vec::new();
        let read = excerpt.unwrap_or_else(|| vec![(0, report.len())]);
        for (offset, end_of_part) in read {
            self.features
                .occurrences(&report[offset..end_of_part], |feature, start, end| {
                    let Some(share) = value(feature) else { return };
                    let w = &self.scorer.weights[feature as usize];
                    let margin = share * (w[top] - w[runner_up]) / self.scorer.temperature;
                    if margin != 0.0 && start < end {
                        let supports = if margin > 0.0 { top } else { runner_up };
                        spans.push(Span {
                            start: offset + start,
                            end: offset + end,
                            supports,
                            weight: margin.abs(),
                            features: vec![feature],
                        });
                    }
                })?;
        }
        Ok(prediction.with_evidence(self.strongest_spans(report, spans)))
    }

    /// Merges overlapping spans per supported label and keeps the strongest of each.
    fn strongest_spans(&self, report: &str, mut spans: Vec<Span>) -> Vec<Evidence> {
        spans.sort_by_key(|span| (span.supports, span.start, span.end));
        let mut merged: Vec<Span> = Vec::new();
        for span in spans {
            match merged.last_mut() {
                Some(last) if last.supports == span.supports && span.start < last.end => {
                    last.end = last.end.max(span.end);
                    last.weight += span.weight;
                    last.features.extend(span.features);
                }
                _ => merged.push(span),
            }
        }
        merged.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.start.cmp(&b.start)));
        let mut kept = [0usize; 4];
        let names = self.features.feature_names();
        merged
            .into_iter()
            .filter(|span| {
                kept[span.supports] += 1;
                kept[span.supports] <= EVIDENCE_SPANS_PER_LABEL
            })
            .map(|mut span| {
                span.features.sort_unstable();
                span.features.dedup();
                Evidence {
                    start: span.start,
                    end: span.end,
                    text: report[span.start..span.end].to_owned(),
                    supports: Label::ALL[span.supports],
                    weight: span.weight,
                    features: span
                        .features
                        .iter()
                        .map(|&f| names[f as usize].clone())
                        .collect(),
                }
            })
            .collect()
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
        self.predict_batch_on(reports, available_threads())
    }

    /// As [`Classifier::predict_batch`], on at most `threads` threads (1 runs on the caller's thread).
    pub fn predict_batch_on<S: AsRef<str> + Sync>(
        &self,
        reports: &[S],
        threads: usize,
    ) -> Vec<Result<Prediction>> {
        self.map_parallel(reports, threads, Classifier::predict)
    }

    /// As [`Classifier::predict_batch`], with evidence as [`Classifier::explain`] gives it.
    pub fn explain_batch<S: AsRef<str> + Sync>(&self, reports: &[S]) -> Vec<Result<Prediction>> {
        self.map_parallel(reports, available_threads(), Classifier::explain)
    }

    /// Runs `run` over `reports` in contiguous chunks on scoped threads, keeping the order.
    fn map_parallel<S: AsRef<str> + Sync>(
        &self,
        reports: &[S],
        threads: usize,
        run: fn(&Classifier, &str) -> Result<Prediction>,
    ) -> Vec<Result<Prediction>> {
        let threads = threads.clamp(1, reports.len().max(1));
        if threads == 1 {
            return reports.iter().map(|r| run(self, r.as_ref())).collect();
        }
        let chunk = reports.len().div_ceil(threads);
        thread::scope(|scope| {
            let workers: Vec<_> = reports
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|r| run(self, r.as_ref()))
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

    #[cfg(feature = "train")]
    pub(crate) fn scorer(&self) -> &LinearScorer {
        &self.scorer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACKGROUND: [&str; 6] = [
        "The square was closed to traffic for the rest of the afternoon.",
        "Shops along the avenue pulled down their shutters as the crowds thinned.",
        "A choir sang at the memorial service on Sunday evening.",
        "The mayor thanked the ambulance crews and the volunteers at the hospital.",
        "Rain fell steadily as mourners laid flowers by the railings.",
        "Trams ran again through the centre from early the next morning.",
    ];

    /// `sentences` background sentences, then `middle`, then as many again; and where `middle` starts.
    fn article(sentences: usize, middle: &str) -> (String, usize) {
        let background: Vec<&str> = BACKGROUND.iter().copied().cycle().take(sentences).collect();
        let before = background.join(" ") + " ";
        let text = format!("{before}{middle} {}", background.join(" "));
        (text, before.len())
    }

    fn read(text: &str) -> Reading {
        let model = Classifier::embedded();
        read_report(&model.features, &model.scorer, text).unwrap()
    }

    #[test]
    fn an_article_is_read_through_its_attribution_sentences_and_their_neighbours() {
        let report = "Investigators described the attacker's final week. Chat logs show a handler \
                      on Telegram chose the church as the target. He was arrested at the scene.";
        let (text, start) = article(30, report);
        assert!(text.len() > LONG_REPORT_BYTES);
        let excerpt = read(&text)
            .excerpt
            .expect("an article is read through an excerpt");
        let read_text: Vec<&str> = excerpt.iter().map(|&(s, e)| &text[s..e]).collect();
        assert!(read_text.iter().any(|s| s.contains("handler on Telegram")));
        assert!(
            read_text
                .iter()
                .any(|s| s.contains("arrested at the scene")),
            "{read_text:?}"
        );
        assert!(
            excerpt
                .iter()
                .all(|&(s, _)| s + 2 >= start.saturating_sub(80)),
            "at most the sentence before the report is read: {read_text:?}"
        );
    }

    #[test]
    fn an_article_without_cues_is_read_through_one_window_not_whole() {
        let (text, _) = article(
            60,
            "Two people were hurt when the van mounted the pavement.",
        );
        assert!(text.len() > 2 * EXCERPT_BYTES);
        let excerpt = read(&text)
            .excerpt
            .expect("an article is read through an excerpt");
        let (first, last) = (excerpt[0].0, excerpt[excerpt.len() - 1].1);
        assert!(last - first <= EXCERPT_BYTES, "{first}..{last}");
        assert!(excerpt.windows(2).all(|w| w[0].1 <= w[1].0));
    }
}
