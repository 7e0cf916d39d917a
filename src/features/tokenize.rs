//! The Hugging Face `tokenizers` pipeline: normalizer, offset-keeping pre-tokenizer, word-level model.

/// The token that stands for any word outside the vocabulary.
pub(crate) const UNKNOWN_TOKEN: &str = "[UNK]";

/// Splits a lower-case phrase the way the `Whitespace` pre-tokenizer does (`\w+|[^\w\s]+`).
pub(crate) fn split_like_pre_tokenizer(phrase: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut current_is_word = false;
    for c in phrase.chars() {
        if c.is_whitespace() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let is_word = c.is_alphanumeric() || c == '_';
        if !current.is_empty() && is_word != current_is_word {
            words.push(std::mem::take(&mut current));
        }
        current_is_word = is_word;
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Building the pipeline and training its vocabulary (training only).
#[cfg(any(test, feature = "train"))]
mod training {
    use tokenizers::models::wordlevel::{WordLevel, WordLevelTrainer};
    use tokenizers::normalizers::replace::{Replace, ReplacePattern};
    use tokenizers::normalizers::{Lowercase, NFKC, NormalizerWrapper, Sequence};
    use tokenizers::pre_tokenizers::whitespace::Whitespace;
    use tokenizers::{
        DecoderWrapper, Model, PostProcessorWrapper, PreTokenizerWrapper, Tokenizer, TokenizerImpl,
    };

    use super::UNKNOWN_TOKEN;
    use crate::error::{Error, Result};

    /// NFKC, lowercasing, then quote and dash folding, so that typographic variants of the same
    /// wording ("group’s", "group's") reach the same token.
    fn normalizer() -> Result<NormalizerWrapper> {
        let fold = |pattern: &str, to: &str| {
            Replace::new(ReplacePattern::Regex(pattern.to_owned()), to)
                .map(NormalizerWrapper::from)
                .map_err(Error::Tokenizer)
        };
        Ok(Sequence::new(vec![
            NFKC.into(),
            Lowercase.into(),
            fold("[\u{2018}\u{2019}\u{201A}\u{201B}\u{2032}\u{00B4}`]", "'")?,
            fold(
                "[\u{201C}\u{201D}\u{201E}\u{201F}\u{2033}\u{00AB}\u{00BB}]",
                "\"",
            )?,
            fold(
                "[\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{2015}\u{2212}]",
                "-",
            )?,
        ])
        .into())
    }

    /// Trains the word-level vocabulary on `documents` with the `tokenizers` trainer, then adds
    /// `required_words` (the cue lexicon's words) so that every cue phrase can be matched by id.
    pub(crate) fn train_tokenizer(
        documents: &[&str],
        min_frequency: u64,
        required_words: &[String],
    ) -> Result<Tokenizer> {
        let seed_model = WordLevel::builder()
            .unk_token(UNKNOWN_TOKEN.to_owned())
            .build()
            .map_err(Error::Tokenizer)?;
        let mut pipeline: TokenizerImpl<
            WordLevel,
            NormalizerWrapper,
            PreTokenizerWrapper,
            PostProcessorWrapper,
            DecoderWrapper,
        > = TokenizerImpl::new(seed_model);
        pipeline
            .with_normalizer(Some(normalizer()?))
            .map_err(Error::Tokenizer)?;
        pipeline.with_pre_tokenizer(Some(PreTokenizerWrapper::from(Whitespace)));
        let mut trainer = WordLevelTrainer::builder()
            .min_frequency(min_frequency)
            .vocab_size(usize::MAX)
            .show_progress(false)
            .special_tokens(vec![tokenizers::AddedToken::from(UNKNOWN_TOKEN, true)])
            .build()
            .map_err(|e| Error::Tokenizer(Box::new(e)))?;
        pipeline
            .train(&mut trainer, documents.iter())
            .map_err(Error::Tokenizer)?;

        // Required words go after the trained ones, in sorted order, so ids stay deterministic.
        let mut vocab = pipeline.get_model().get_vocab();
        let mut missing: Vec<&String> = required_words
            .iter()
            .filter(|w| !vocab.contains_key(w.as_str()))
            .collect();
        missing.sort();
        missing.dedup();
        for word in missing {
            let id =
                u32::try_from(vocab.len()).map_err(|_| Error::model("vocabulary too large"))?;
            vocab.insert(word.clone(), id);
        }
        let model = WordLevel::builder()
            .vocab(vocab.into_iter().collect())
            .unk_token(UNKNOWN_TOKEN.to_owned())
            .build()
            .map_err(Error::Tokenizer)?;
        pipeline.with_model(model);
        Ok(Tokenizer::from(pipeline))
    }
}

#[cfg(any(test, feature = "train"))]
pub(crate) use training::train_tokenizer;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_whitespace_pre_tokenizer() {
        assert_eq!(
            split_like_pre_tokenizer("group's al-naba  claim."),
            vec!["group", "'", "s", "al", "-", "naba", "claim", "."]
        );
    }

    #[test]
    fn folds_typographic_quotes_and_dashes() {
        let docs = ["the group's claim - a claim", "the group's fighters"];
        let tokenizer = train_tokenizer(&docs, 1, &[]).unwrap();
        let plain = tokenizer
            .encode("The group's claim - a claim", false)
            .unwrap();
        let fancy = tokenizer
            .encode("THE GROUP\u{2019}S CLAIM \u{2014} A CLAIM", false)
            .unwrap();
        assert_eq!(plain.get_ids(), fancy.get_ids());
        let unk = tokenizer.token_to_id(UNKNOWN_TOKEN).unwrap();
        assert!(!plain.get_ids().contains(&unk));
    }

    #[test]
    fn required_words_join_the_vocabulary() {
        let tokenizer = train_tokenizer(&["a b"], 1, &["handler".to_owned()]).unwrap();
        assert!(tokenizer.token_to_id("handler").is_some());
    }
}
