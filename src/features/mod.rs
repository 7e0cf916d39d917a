//! Feature extraction: text → tokens (Hugging Face `tokenizers`) → TF-IDF word uni- and bigrams
//! plus codebook cue features, each with a human-readable name.

mod cues;
mod tokenize;

use std::collections::HashMap;

pub use ndarray;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;

pub(crate) use cues::CueLexicon;
pub use cues::CueMode;
use cues::{CueHit, CueMatcher};
use tokenize::UNKNOWN_TOKEN;
#[cfg(feature = "train")]
pub(crate) use tokenize::train_tokenizer;

use crate::error::{Error, Result};

const NO_FEATURE: u32 = u32::MAX;

/// The serialized part of the feature extractor, stored in the model artifact.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct FeatureState {
    /// The whole tokenization pipeline, in the `tokenizers` crate's own versioned format.
    pub(crate) tokenizer: Tokenizer,
    /// Word n-grams in feature-index order: "word" or "word word", as normalized tokens.
    pub(crate) ngrams: Vec<String>,
    /// Inverse document frequency of each n-gram.
    pub(crate) idf: Vec<f64>,
    /// Cue phrases, negators, hedges and scope.
    pub(crate) cues: CueLexicon,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenClass {
    Word,
    /// Punctuation inside a phrase ("-", "'", "/"): not a feature, does not break a bigram.
    Joiner,
    /// Punctuation that ends a clause: breaks bigrams and closes negation scope.
    ClauseEnd,
    Unknown,
}

fn classify_token(token: &str) -> TokenClass {
    if token == UNKNOWN_TOKEN {
        TokenClass::Unknown
    } else if token.chars().any(|c| c.is_alphanumeric()) {
        TokenClass::Word
    } else if token.chars().any(|c| ".,;:!?()[]{}\"".contains(c)) {
        TokenClass::ClauseEnd
    } else {
        TokenClass::Joiner
    }
}

fn bigram_key(first: u32, second: u32) -> u64 {
    (u64::from(first) << 32) | u64::from(second)
}

/// A sparse feature vector: strictly increasing indices and their values.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SparseVector {
    pub(crate) indices: Vec<u32>,
    pub(crate) values: Vec<f64>,
}

/// What the extractor found in one report: its features and the cue hits behind them.
pub(crate) struct Analysis {
    pub(crate) features: SparseVector,
}

/// Turns report text into the model's feature vector.
///
/// The first [`FeatureExtractor::ngram_count`] features are sublinear TF-IDF weights of word uni-
/// and bigrams (L2-normalized together); the rest are codebook cues, `ln(1 + count)` each, in three
/// modes (asserted, negated, hedged), then counts of negation and hedging words.
///
/// ```
/// let features = claim_attribution::Classifier::embedded().features();
/// let matrix = features.transform(&["No group has claimed the bombing."])?;
/// assert_eq!(matrix.ncols(), features.feature_names().len());
/// assert!(features.feature_names().iter().any(|n| n == "cue: plot contact with a handler (negated)"));
/// # Ok::<(), claim_attribution::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct FeatureExtractor {
    state: FeatureState,
    unigram_index: Vec<u32>,
    bigram_index: HashMap<u64, u32>,
    token_class: Vec<TokenClass>,
    matcher: CueMatcher,
    names: Vec<String>,
}

impl FeatureExtractor {
    /// Builds the run-time indexes from the stored state, checking that it is consistent.
    pub(crate) fn from_state(state: FeatureState) -> Result<Self> {
        if state.ngrams.len() != state.idf.len() {
            return Err(Error::model(format!(
                "{} n-grams but {} idf values",
                state.ngrams.len(),
                state.idf.len()
            )));
        }
        let tokenizer = &state.tokenizer;
        let vocab_size = tokenizer.get_vocab_size(false);
        let mut token_class = vec![TokenClass::Unknown; vocab_size];
        for (id, class) in token_class.iter_mut().enumerate() {
            let token = u32::try_from(id)
                .ok()
                .and_then(|id| tokenizer.id_to_token(id));
            *class = token.map_or(TokenClass::Unknown, |t| classify_token(&t));
        }
        let mut unigram_index = vec![NO_FEATURE; vocab_size];
        let mut bigram_index = HashMap::new();
        for (feature, ngram) in state.ngrams.iter().enumerate() {
            let feature = u32::try_from(feature).map_err(|_| Error::model("too many n-grams"))?;
            let id = |word: &str| {
                tokenizer.token_to_id(word).ok_or_else(|| {
                    Error::model(format!("n-gram {ngram:?} is not in the vocabulary"))
                })
            };
            let mut words = ngram.split(' ');
            match (words.next(), words.next(), words.next()) {
                (Some(a), None, _) => unigram_index[id(a)? as usize] = feature,
                (Some(a), Some(b), None) => {
                    bigram_index.insert(bigram_key(id(a)?, id(b)?), feature);
                }
                _ => return Err(Error::model(format!("malformed n-gram {ngram:?}"))),
            }
        }
        let matcher = CueMatcher::compile(&state.cues, tokenizer);
        let mut names = state.ngrams.clone();
        names.extend(state.cues.feature_names());
        if names.len() != state.ngrams.len() + matcher.feature_count() {
            return Err(Error::model(
                "cue feature names do not match the cue lexicon",
            ));
        }
        Ok(FeatureExtractor {
            state,
            unigram_index,
            bigram_index,
            token_class,
            matcher,
            names,
        })
    }

    pub(crate) fn state(&self) -> &FeatureState {
        &self.state
    }

    /// The number of features: n-grams then cues.
    pub fn feature_count(&self) -> usize {
        self.names.len()
    }

    /// The number of word n-gram features; cue features follow them.
    pub fn ngram_count(&self) -> usize {
        self.state.ngrams.len()
    }

    /// Human-readable names of all features, in feature-index order.
    pub fn feature_names(&self) -> &[String] {
        &self.names
    }

    /// The Hugging Face tokenizer at the front of the pipeline.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.state.tokenizer
    }

    fn class_of(&self, id: u32) -> TokenClass {
        self.token_class
            .get(id as usize)
            .copied()
            .unwrap_or(TokenClass::Unknown)
    }

    /// Calls `emit` with the feature index of every word uni- and bigram occurrence in `ids`.
    fn for_each_ngram(&self, ids: &[u32], mut emit: impl FnMut(u32)) {
        let mut previous_word: Option<u32> = None;
        for &id in ids {
            match self.class_of(id) {
                TokenClass::Word => {
                    let unigram = self.unigram_index[id as usize];
                    if unigram != NO_FEATURE {
                        emit(unigram);
                    }
                    if let Some(prev) = previous_word {
                        if let Some(&bigram) = self.bigram_index.get(&bigram_key(prev, id)) {
                            emit(bigram);
                        }
                    }
                    previous_word = Some(id);
                }
                TokenClass::Joiner => {}
                TokenClass::ClauseEnd | TokenClass::Unknown => previous_word = None,
            }
        }
    }

    fn find_cues(&self, ids: &[u32]) -> (Vec<CueHit>, usize, usize) {
        self.matcher
            .find(ids, |i| self.class_of(ids[i]) == TokenClass::ClauseEnd)
    }

    /// Tokenizes and featurizes one report.
    pub(crate) fn analyze(&self, report: &str) -> Result<Analysis> {
        if report.trim().is_empty() {
            return Err(Error::EmptyReport);
        }
        let encoding = self
            .state
            .tokenizer
            .encode_fast(report, false)
            .map_err(Error::Tokenizer)?;
        let ids = encoding.get_ids();
        Ok(Analysis {
            features: self.featurize(ids),
        })
    }

    fn featurize(&self, ids: &[u32]) -> SparseVector {
        let mut occurrences = Vec::with_capacity(ids.len() * 2);
        self.for_each_ngram(ids, |f| occurrences.push(f));
        occurrences.sort_unstable();
        let mut vector = SparseVector::default();
        for run in occurrences.chunk_by(|a, b| a == b) {
            let feature = run[0];
            let tf = 1.0 + (run.len() as f64).ln();
            vector.indices.push(feature);
            vector.values.push(tf * self.state.idf[feature as usize]);
        }
        let norm = vector.values.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 0.0 {
            vector.values.iter_mut().for_each(|v| *v /= norm);
        }

        let (hits, negations, hedges) = self.find_cues(ids);
        let mut cue_counts = vec![0usize; self.matcher.feature_count()];
        for hit in &hits {
            cue_counts[CueMatcher::feature_offset(hit.cue, hit.mode)] += 1;
        }
        let markers = cue_counts.len() - 2;
        cue_counts[markers] = negations;
        cue_counts[markers + 1] = hedges;
        let offset = self.ngram_count();
        for (i, &count) in cue_counts.iter().enumerate() {
            if count > 0 {
                vector.indices.push((offset + i) as u32);
                vector.values.push((1.0 + count as f64).ln());
            }
        }
        vector
    }

    /// The non-zero features of one report as `(feature index, value)` pairs, in index order.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyReport`] if the report is empty, [`Error::Tokenizer`] if tokenization fails.
    pub fn extract(&self, report: &str) -> Result<Vec<(usize, f64)>> {
        let features = self.analyze(report)?.features;
        Ok(features
            .indices
            .iter()
            .map(|&i| i as usize)
            .zip(features.values)
            .collect())
    }

    /// Feature matrix of several reports, one row each, for use with other `ndarray` tools.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyReport`] if a report is empty, [`Error::Tokenizer`] if tokenization fails.
    pub fn transform<S: AsRef<str>>(&self, reports: &[S]) -> Result<Array2<f64>> {
        let mut matrix = Array2::zeros((reports.len(), self.feature_count()));
        for (mut row, report) in matrix.rows_mut().into_iter().zip(reports) {
            let features = self.analyze(report.as_ref())?.features;
            for (&i, &v) in features.indices.iter().zip(&features.values) {
                row[i as usize] = v;
            }
        }
        Ok(matrix)
    }
}

/// Fitting the extractor's vocabulary and IDF on a training corpus.
#[cfg(feature = "train")]
pub(crate) mod fit {
    use super::*;

    /// Settings for fitting the extractor.
    pub(crate) struct ExtractorSettings {
        pub(crate) min_token_frequency: u64,
        pub(crate) min_document_frequency: usize,
        pub(crate) max_ngrams: usize,
    }

    pub(crate) fn fit_extractor(
        documents: &[&str],
        settings: &ExtractorSettings,
    ) -> Result<FeatureExtractor> {
        let cues = CueLexicon::codebook();
        let tokenizer = train_tokenizer(documents, settings.min_token_frequency, &cues.words())?;
        let token_class: Vec<TokenClass> = (0..tokenizer.get_vocab_size(false) as u32)
            .map(|id| {
                tokenizer
                    .id_to_token(id)
                    .map_or(TokenClass::Unknown, |t| classify_token(&t))
            })
            .collect();
        // Document frequency of every uni- (second id = NO_FEATURE) and bigram.
        let mut document_frequency: HashMap<u64, usize> = HashMap::new();
        for document in documents {
            let encoding = tokenizer
                .encode_fast(*document, false)
                .map_err(Error::Tokenizer)?;
            let mut keys = Vec::new();
            let mut previous_word: Option<u32> = None;
            for &id in encoding.get_ids() {
                match token_class
                    .get(id as usize)
                    .copied()
                    .unwrap_or(TokenClass::Unknown)
                {
                    TokenClass::Word => {
                        keys.push(bigram_key(id, NO_FEATURE));
                        if let Some(prev) = previous_word {
                            keys.push(bigram_key(prev, id));
                        }
                        previous_word = Some(id);
                    }
                    TokenClass::Joiner => {}
                    _ => previous_word = None,
                }
            }
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                *document_frequency.entry(key).or_default() += 1;
            }
        }
        let name_of = |key: u64| -> Option<String> {
            let first = tokenizer.id_to_token((key >> 32) as u32)?;
            let second = key as u32;
            if second == NO_FEATURE {
                Some(first)
            } else {
                Some(format!("{first} {}", tokenizer.id_to_token(second)?))
            }
        };
        let mut candidates: Vec<(usize, String)> = document_frequency
            .into_iter()
            .filter(|(_, df)| *df >= settings.min_document_frequency)
            .filter_map(|(key, df)| Some((df, name_of(key)?)))
            .collect();
        // Most frequent first, ties by name, so the cut is deterministic.
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        candidates.truncate(settings.max_ngrams);
        candidates.sort_by(|a, b| a.1.cmp(&b.1));
        let n = documents.len() as f64;
        let idf = candidates
            .iter()
            .map(|(df, _)| ((1.0 + n) / (1.0 + *df as f64)).ln() + 1.0)
            .collect();
        let ngrams = candidates.into_iter().map(|(_, name)| name).collect();
        FeatureExtractor::from_state(FeatureState {
            tokenizer,
            ngrams,
            idf,
            cues,
        })
    }
}
