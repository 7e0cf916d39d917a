//! Feature extraction: text → tokens (Hugging Face `tokenizers`) → TF-IDF word uni- and bigrams
//! plus codebook cue features, each with a human-readable name.

mod cues;
mod tokenize;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use ndarray;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;

pub(crate) use cues::CueLexicon;
use cues::CueMatcher;
pub use cues::CueMode;
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

/// The class of every token id of `tokenizer`'s vocabulary.
fn token_classes(tokenizer: &Tokenizer) -> Vec<TokenClass> {
    (0..tokenizer.get_vocab_size(false))
        .map(|id| {
            let token = u32::try_from(id)
                .ok()
                .and_then(|id| tokenizer.id_to_token(id));
            token.map_or(TokenClass::Unknown, |t| classify_token(&t))
        })
        .collect()
}

/// Calls `emit(key, (first token, end token))` for every word unigram (key
/// `bigram_key(word, NO_FEATURE)`) and bigram in `ids`. Joiners ("-", "'") sit inside a bigram;
/// clause punctuation and unknown words break it. Fitting and extraction share this definition.
fn for_each_ngram_key(
    ids: &[u32],
    class_of: impl Fn(u32) -> TokenClass,
    mut emit: impl FnMut(u64, (usize, usize)),
) {
    let mut previous_word: Option<(usize, u32)> = None;
    for (position, &id) in ids.iter().enumerate() {
        match class_of(id) {
            TokenClass::Word => {
                emit(bigram_key(id, NO_FEATURE), (position, position + 1));
                if let Some((start, prev)) = previous_word {
                    emit(bigram_key(prev, id), (start, position + 1));
                }
                previous_word = Some((position, id));
            }
            TokenClass::Joiner => {}
            TokenClass::ClauseEnd | TokenClass::Unknown => previous_word = None,
        }
    }
}

/// A sparse feature vector: strictly increasing indices and their values.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SparseVector {
    pub(crate) indices: Vec<u32>,
    pub(crate) values: Vec<f64>,
}

/// What the extractor found in one report.
pub(crate) struct Analysis {
    pub(crate) features: SparseVector,
    /// Whether the text reads as English (enough common English function words).
    pub(crate) looks_english: bool,
    /// How often each feature occurred, sorted by feature (markers excluded).
    pub(crate) counts: Vec<(u32, u32)>,
}

/// Reports are tokenized in pieces of at most about this many bytes, cut at white space, so that
/// memory stays bounded however long a report is; time is linear in its length.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// Fewest words for a text to be judged English at all.
const MIN_ENGLISH_WORDS: usize = 3;
/// Least share of words that must be common English function words (news English has about 40%).
const MIN_FUNCTION_WORD_SHARE: f64 = 0.12;
const ENGLISH_FUNCTION_WORDS: [&str; 32] = [
    "the", "of", "and", "to", "in", "a", "was", "said", "that", "is", "for", "on", "by", "with",
    "he", "it", "as", "at", "had", "from", "his", "were", "have", "has", "an", "be", "who",
    "which", "after", "been", "they", "their",
];

/// Splits `report` into pieces of at most about [`CHUNK_BYTES`], cut after white space, with their byte offsets.
fn chunks(report: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    std::iter::from_fn(move || {
        let rest = &report[offset..];
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len();
        if end > CHUNK_BYTES {
            end = CHUNK_BYTES;
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            // Cut after the last white space, so no word is split; a piece without any is cut as is.
            if let Some(space) = rest[..end].rfind(char::is_whitespace) {
                end = space + rest[space..].chars().next().map_or(1, char::len_utf8);
            }
        }
        let piece = (offset, &rest[..end]);
        offset += end;
        Some(piece)
    })
}

/// Longest piece a sentence is scored in; longer runs without sentence punctuation are cut at
/// white space.
const MAX_SENTENCE_BYTES: usize = 2_000;

/// Byte ranges of the sentences of `text`: cut after `.`, `!` or `?` followed by white space, at
/// line breaks, and (at white space) wherever a run exceeds [`MAX_SENTENCE_BYTES`]. Ranges hold
/// no leading or trailing white space and never split a character.
pub(crate) fn sentence_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut last_space = None;
    let push = |from: usize, to: usize, ranges: &mut Vec<(usize, usize)>| {
        let piece = &text[from..to];
        let trimmed = piece.trim_start();
        let begin = from + (piece.len() - trimmed.len());
        let end = begin + trimmed.trim_end().len();
        if end > begin {
            ranges.push((begin, end));
        }
    };
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_some_and(|(_, n)| n.is_whitespace());
        let end = i + c.len_utf8();
        if c == '\n' || (matches!(c, '.' | '!' | '?') && next_is_space) {
            push(start, end, &mut ranges);
            start = end;
            last_space = None;
        } else if c.is_whitespace() {
            last_space = Some(end);
        }
        if end - start > MAX_SENTENCE_BYTES {
            let cut = last_space.filter(|&s| s > start).unwrap_or(end);
            push(start, cut, &mut ranges);
            start = cut;
            last_space = None;
        }
    }
    push(start, text.len(), &mut ranges);
    ranges
}

/// Adds `occurrences` (feature indices, any order) into the sorted `(feature, count)` list, whose
/// length stays bounded by the number of features.
fn merge_counts(total: &mut Vec<(u32, u32)>, occurrences: &mut [u32]) {
    occurrences.sort_unstable();
    let already_counted = !total.is_empty();
    total.extend(
        occurrences
            .chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len() as u32)),
    );
    if already_counted {
        total.sort_unstable_by_key(|&(feature, _)| feature);
        total.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                earlier.1 = earlier.1.saturating_add(later.1);
            }
            same
        });
    }
}

/// Turns report text into the model's feature vector.
///
/// The first [`FeatureExtractor::ngram_count`] features are sublinear TF-IDF weights of word uni-
/// and bigrams (L2-normalized together); the rest are codebook cues, `ln(1 + count)` each, in three
/// modes (asserted, negated, hedged), then counts of negation and hedging words.
///
/// Very long texts are tokenized in pieces of [`CHUNK_BYTES`], so cost is linear in length and
/// memory bounded. (How the classifier reads whole articles is described at
/// [`crate::Classifier::predict`].)
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
    english_function_word: Vec<bool>,
    /// Per cue feature (three modes per cue, then the two marker counts): whether it marks attribution.
    marks_attribution: Vec<bool>,
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
        let token_class = token_classes(tokenizer);
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
        let mut english_function_word = vec![false; vocab_size];
        for word in ENGLISH_FUNCTION_WORDS {
            if let Some(id) = tokenizer.token_to_id(word) {
                english_function_word[id as usize] = true;
            }
        }
        let marks_attribution = state
            .cues
            .cues
            .iter()
            .flat_map(|c| [c.marks_attribution; 3])
            .chain([false, false])
            .collect();
        Ok(FeatureExtractor {
            marks_attribution,
            state,
            unigram_index,
            bigram_index,
            token_class,
            english_function_word,
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

    /// Calls `emit(feature, (first token, end token))` for every word uni- and bigram and every cue
    /// hit in `ids`; returns the numbers of negation and hedging words.
    fn walk(&self, ids: &[u32], mut emit: impl FnMut(u32, (usize, usize))) -> (usize, usize) {
        for_each_ngram_key(
            ids,
            |id| self.class_of(id),
            |key, tokens| {
                let feature = if key as u32 == NO_FEATURE {
                    self.unigram_index[(key >> 32) as usize]
                } else {
                    self.bigram_index.get(&key).copied().unwrap_or(NO_FEATURE)
                };
                if feature != NO_FEATURE {
                    emit(feature, tokens);
                }
            },
        );
        let (hits, negations, hedges) = self
            .matcher
            .find(ids, |i| self.class_of(ids[i]) == TokenClass::ClauseEnd);
        let cue_base = self.ngram_count();
        for hit in hits {
            let feature = cue_base + CueMatcher::feature_offset(hit.cue, hit.mode);
            emit(feature as u32, hit.tokens);
        }
        (negations, hedges)
    }

    /// Encodes one piece of text; byte offsets cost about 10% more, so only evidence asks for them.
    fn encode(&self, piece: &str, with_offsets: bool) -> Result<tokenizers::Encoding> {
        let tokenizer = &self.state.tokenizer;
        let encoding = if with_offsets {
            tokenizer.encode(piece, false)
        } else {
            tokenizer.encode_fast(piece, false)
        };
        encoding.map_err(Error::Tokenizer)
    }

    /// Tokenizes and featurizes one report, piece by piece (see [`CHUNK_BYTES`]).
    pub(crate) fn analyze(&self, report: &str) -> Result<Analysis> {
        if report.trim().is_empty() {
            return Err(Error::EmptyReport);
        }
        let mut counts: Vec<(u32, u32)> = Vec::new();
        let (mut negations, mut hedges, mut words, mut function_words) = (0, 0, 0, 0);
        let mut occurrences = Vec::new();
        for (_, piece) in chunks(report) {
            let encoding = self.encode(piece, false)?;
            let ids = encoding.get_ids();
            occurrences.clear();
            let (n, h) = self.walk(ids, |feature, _| occurrences.push(feature));
            negations += n;
            hedges += h;
            for &id in ids {
                // Out-of-vocabulary words count as words: they are what marks another language.
                if matches!(self.class_of(id), TokenClass::Word | TokenClass::Unknown) {
                    words += 1;
                    function_words +=
                        usize::from(self.english_function_word.get(id as usize) == Some(&true));
                }
            }
            merge_counts(&mut counts, &mut occurrences);
        }
        Ok(Analysis {
            features: self.vectorize(&counts, negations, hedges),
            counts,
            looks_english: words >= MIN_ENGLISH_WORDS
                && function_words as f64 >= MIN_FUNCTION_WORD_SHARE * words as f64,
        })
    }

    /// Every feature occurrence with its byte span in `report`: `emit(feature, start, end)`.
    pub(crate) fn occurrences(
        &self,
        report: &str,
        mut emit: impl FnMut(u32, usize, usize),
    ) -> Result<()> {
        for (offset, piece) in chunks(report) {
            let encoding = self.encode(piece, true)?;
            let offsets = encoding.get_offsets();
            self.walk(encoding.get_ids(), |feature, (first, end)| {
                emit(
                    feature,
                    offset + offsets[first].0,
                    offset + offsets[end - 1].1,
                )
            });
        }
        Ok(())
    }

    /// Sublinear TF-IDF over the n-grams (L2-normalized), `ln(1 + count)` for cues and markers.
    fn vectorize(&self, counts: &[(u32, u32)], negations: usize, hedges: usize) -> SparseVector {
        let ngrams = self.ngram_count() as u32;
        let split = counts.partition_point(|(feature, _)| *feature < ngrams);
        let mut vector = SparseVector::default();
        for &(feature, count) in &counts[..split] {
            vector.indices.push(feature);
            vector
                .values
                .push((1.0 + f64::from(count).ln()) * self.state.idf[feature as usize]);
        }
        let norm = vector.values.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 0.0 {
            vector.values.iter_mut().for_each(|v| *v /= norm);
        }
        let markers = (self.feature_count() - 2) as u32;
        let cue_counts = counts[split..]
            .iter()
            .copied()
            .chain([(markers, negations as u32), (markers + 1, hedges as u32)]);
        for (feature, count) in cue_counts.filter(|(_, count)| *count > 0) {
            vector.indices.push(feature);
            vector.values.push((1.0 + f64::from(count)).ln());
        }
        vector
    }

    /// Whether an analysis found a cue that marks attribution by itself (see
    /// `CueDefinition::marks_attribution`; negation and hedge words alone do not count).
    pub(crate) fn has_attribution_cue(&self, analysis: &Analysis) -> bool {
        let first_cue = self.ngram_count();
        analysis.counts.iter().any(|&(feature, _)| {
            let feature = feature as usize;
            feature >= first_cue
                && self
                    .marks_attribution
                    .get(feature - first_cue)
                    .copied()
                    .unwrap_or(false)
        })
    }

    /// The non-zero features of one report as `(feature index, value)` pairs, in index order.
    ///
    /// This featurizes the whole text; [`crate::Classifier::predict`] reads a long article
    /// through its attribution sentences first.
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

    /// Feature matrix of several reports, one row each, for use with other `ndarray` tools. Like
    /// [`FeatureExtractor::extract`], it featurizes whole texts.
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
        let token_class = token_classes(&tokenizer);
        let class_of = |id: u32| {
            token_class
                .get(id as usize)
                .copied()
                .unwrap_or(TokenClass::Unknown)
        };
        // Document frequency of every uni- (second id = NO_FEATURE) and bigram.
        let mut document_frequency: HashMap<u64, usize> = HashMap::new();
        for document in documents {
            let encoding = tokenizer
                .encode_fast(*document, false)
                .map_err(Error::Tokenizer)?;
            let mut keys = Vec::new();
            for_each_ngram_key(encoding.get_ids(), class_of, |key, _| keys.push(key));
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
