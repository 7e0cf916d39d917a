//! Codebook cue features: phrase lists for each kind of evidence the codebook names, matched over
//! token ids, with negation and hedge scope so that "no evidence he was in contact with a handler"
//! does not count as plot contact.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;

use super::tokenize::split_like_pre_tokenizer;

/// Whether a cue was stated, denied or only speculated about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CueMode {
    /// Stated as fact.
    Asserted,
    /// Inside the scope of a negation ("no evidence", "never", "denied").
    Negated,
    /// Inside the scope of a hedge ("possible", "unclear whether", "investigating").
    Hedged,
}

impl CueMode {
    const ALL: [CueMode; 3] = [CueMode::Asserted, CueMode::Negated, CueMode::Hedged];

    fn suffix(self) -> &'static str {
        match self {
            CueMode::Asserted => "",
            CueMode::Negated => " (negated)",
            CueMode::Hedged => " (hedged)",
        }
    }
}

/// One cue: a human-readable name and the phrases (lower case, as normalized text) that signal it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct CueDefinition {
    pub(crate) name: String,
    pub(crate) phrases: Vec<String>,
    /// Whether a sentence holding this cue speaks of attribution by itself. Cues that only
    /// qualify an attribution (a claim's timing, an investigative finding) do not: "within
    /// hours, hospitals were full" says nothing of who did it.
    pub(crate) marks_attribution: bool,
}

/// The cue settings stored in the model artifact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct CueLexicon {
    pub(crate) cues: Vec<CueDefinition>,
    pub(crate) negators: Vec<String>,
    pub(crate) hedges: Vec<String>,
    /// Words that end a negation or hedge scope ("but", "however"); clause punctuation does too.
    pub(crate) scope_breakers: Vec<String>,
    /// How many tokens after a negator or hedge its scope reaches.
    pub(crate) scope_tokens: usize,
}

#[cfg(any(test, feature = "train"))]
fn phrases(list: &[&str]) -> Vec<String> {
    list.iter().map(|p| (*p).to_owned()).collect()
}

#[cfg(any(test, feature = "train"))]
fn cue(name: &str, list: &[&str]) -> CueDefinition {
    CueDefinition {
        name: name.to_owned(),
        phrases: phrases(list),
        marks_attribution: true,
    }
}

/// A cue that qualifies an attribution but does not mark a sentence as one by itself.
#[cfg(any(test, feature = "train"))]
fn qualifying_cue(name: &str, list: &[&str]) -> CueDefinition {
    CueDefinition {
        marks_attribution: false,
        ..cue(name, list)
    }
}

impl CueLexicon {
    /// The lexicon written from `data/CODEBOOK.md`'s label definitions and decision rules.
    #[cfg(any(test, feature = "train"))]
    pub(crate) fn codebook() -> Self {
        CueLexicon {
            cues: vec![
                cue(
                    "claim of responsibility",
                    &[
                        "claimed responsibility",
                        "claimed the attack",
                        "claimed the attacks",
                        "claimed the bombing",
                        "claimed the bombings",
                        "claimed the shooting",
                        "claimed the stabbing",
                        "claimed the assault",
                        "claimed the killing",
                        "claimed the raid",
                        "claimed the blast",
                        "claimed the massacre",
                        "claimed the operation",
                        "claimed credit",
                        "claimed it",
                        "claiming responsibility",
                        "claiming the attack",
                        "claim of responsibility",
                        "claims of responsibility",
                        "took responsibility",
                        "took credit",
                        "said it carried out",
                        "said it was behind",
                        "said they carried out",
                        "admitted responsibility",
                        "accepted responsibility",
                        "claimed",
                        "claim",
                        "claims",
                    ],
                ),
                cue(
                    "claim channel",
                    &[
                        "amaq",
                        "al-naba",
                        "naba",
                        "news agency",
                        "telegram channel",
                        "media arm",
                        "media wing",
                        "propaganda outlet",
                        "communique",
                        "communiqué",
                        "statement posted",
                        "statement published",
                        "statement released",
                        "online statement",
                        "posted online",
                        "audio message",
                        "audio statement",
                        "video statement",
                        "released a video",
                        "spokesman for the group",
                        "the group's spokesman",
                        "group spokesman",
                        "its spokesman",
                    ],
                ),
                qualifying_cue(
                    "fast or detailed claim",
                    &[
                        "within hours",
                        "hours after",
                        "hours later",
                        "same night",
                        "before the attack",
                        "photographs of the",
                        "photos of the",
                        "photo of the",
                        "pictures of the",
                        "named the attackers",
                        "nom de guerre",
                        "noms de guerre",
                        "martyrdom video",
                        "filmed before",
                        "details that only",
                        "only the planners",
                        "pre-recorded",
                        "recorded before",
                    ],
                ),
                cue(
                    "generic soldier claim",
                    &[
                        "soldier of the caliphate",
                        "soldiers of the caliphate",
                        "soldier of the islamic state",
                        "one of its soldiers",
                        "its soldier",
                        "a soldier of",
                        "responded to calls",
                        "answered calls",
                        "heeding calls",
                        "in response to calls",
                    ],
                ),
                qualifying_cue(
                    "late claim",
                    &["days later", "a day later", "two days after", "belated"],
                ),
                cue(
                    "dispatch, orders or resourcing",
                    &[
                        "sent by",
                        "sent from",
                        "dispatched",
                        "on the orders",
                        "on orders",
                        "ordered the",
                        "ordered by",
                        "orders from",
                        "planned by",
                        "planned the attack",
                        "masterminded",
                        "mastermind",
                        "orchestrated",
                        "coordinated by",
                        "external operations",
                        "financed",
                        "funded by",
                        "provided the weapons",
                        "provided weapons",
                        "weapons supplied",
                        "smuggled",
                        "trained in",
                        "training camp",
                        "training camps",
                        "trained at",
                        "the cell's",
                        "cell leader",
                        "commander",
                        "commanders",
                        "recruited and trained",
                        "tasked",
                        "chose the target",
                        "selected the target",
                        "safe house",
                        "safehouse",
                        "its fighters",
                        "the group's fighters",
                        "fighters stormed",
                        "militants stormed",
                        "gunmen stormed",
                        "stormed",
                        "coordinated attacks",
                        "coordinated assault",
                        "simultaneous",
                        "sleeper cell",
                        "cell",
                        "network",
                        "operatives",
                        "operative",
                        "suicide bombers",
                        "insurgents",
                        "militants",
                    ],
                ),
                cue(
                    "fighter or camp background",
                    &[
                        "returned from syria",
                        "fought with",
                        "fought in",
                        "travelled to syria",
                        "traveled to syria",
                        "foreign fighter",
                        "foreign fighters",
                        "returnee",
                        "spent time in",
                        "trained with",
                    ],
                ),
                cue(
                    "plot contact with a handler",
                    &[
                        "handler",
                        "handlers",
                        "in contact with",
                        "in touch with",
                        "communicated with",
                        "messages with",
                        "exchanged messages",
                        "chat logs",
                        "chats",
                        "encrypted",
                        "telegram",
                        "whatsapp",
                        "threema",
                        "messaging app",
                        "online contact",
                        "virtual planner",
                        "virtual planners",
                        "cyber planner",
                        "cyber-coach",
                        "coached",
                        "guided",
                        "guidance",
                        "instructions",
                        "instructed",
                        "told him to",
                        "told her to",
                        "urged him",
                        "urged her",
                        "bomb-making instructions",
                        "approved the target",
                        "suggested the target",
                        "sent a video",
                        "sent the video",
                        "real time",
                        "remotely",
                        "from afar",
                        "from abroad",
                        "mentor",
                        "contact",
                    ],
                ),
                cue(
                    "pledge or propaganda influence",
                    &[
                        "pledged allegiance",
                        "pledging allegiance",
                        "pledge of allegiance",
                        "swore allegiance",
                        "swearing allegiance",
                        "oath of allegiance",
                        "bay'ah",
                        "allegiance",
                        "propaganda",
                        "radicalised",
                        "radicalized",
                        "self-radicalised",
                        "self-radicalized",
                        "radicalisation",
                        "radicalization",
                        "watched videos",
                        "extremist videos",
                        "extremist material",
                        "jihadist material",
                        "sermons",
                        "manifesto",
                        "admired",
                        "idolised",
                        "idolized",
                        "inspired",
                        "inspiration",
                        "copycat",
                        "emulate",
                        "emulating",
                        "influenced by",
                        "in the name of",
                        "ideology",
                        "sympathiser",
                        "sympathizer",
                        "livestreamed",
                        "live-streamed",
                        "great replacement",
                        "online material",
                        "downloaded",
                    ],
                ),
                cue(
                    "acted alone",
                    &[
                        "acted alone",
                        "lone",
                        "lone wolf",
                        "lone-wolf",
                        "alone",
                        "on his own",
                        "on her own",
                        "by himself",
                        "by herself",
                        "no accomplices",
                        "single attacker",
                        "solo",
                    ],
                ),
                cue(
                    "no claim or unknown motive",
                    &[
                        "no group",
                        "no claim",
                        "not claimed",
                        "nobody has claimed",
                        "no one has claimed",
                        "no one claimed",
                        "unclaimed",
                        "motive",
                        "motives",
                        "unknown",
                        "not yet known",
                        "unclear",
                        "ruled anything out",
                        "no immediate claim",
                        "yet to claim",
                        "not been claimed",
                        "has not been established",
                        "remains unknown",
                    ],
                ),
                cue(
                    "accusation by officials",
                    &[
                        "blamed",
                        "blames",
                        "blaming",
                        "accused",
                        "accuses",
                        "accusing",
                        "pointed the finger",
                        "held responsible",
                        "holds responsible",
                        "attributed",
                        "without providing evidence",
                        "without offering evidence",
                        "did not provide evidence",
                        "officials blamed",
                    ],
                ),
                cue(
                    "refuted or denied claim",
                    &[
                        "denied",
                        "denies",
                        "denial",
                        "rejected",
                        "baseless",
                        "false claim",
                        "opportunistic",
                        "no connection",
                        "no link",
                        "no links",
                        "no ties",
                        "not connected",
                        "found no",
                        "dismissed",
                        "unfounded",
                        "distanced itself",
                        "condemned the attack",
                    ],
                ),
                qualifying_cue(
                    "investigative or court finding",
                    &[
                        "investigators found",
                        "investigators said",
                        "prosecutors said",
                        "prosecutors say",
                        "court heard",
                        "convicted",
                        "sentenced",
                        "found guilty",
                        "jury",
                        "verdict",
                        "evidence",
                        "recovered",
                        "seized",
                        "forensic",
                        "his phone",
                        "her phone",
                        "laptop",
                        "charged",
                    ],
                ),
            ],
            negators: phrases(&[
                "no",
                "not",
                "never",
                "without",
                "nor",
                "neither",
                "none",
                "nothing",
                "didn",
                "wasn",
                "hadn",
                "isn",
                "doesn",
                "hasn",
                "haven",
                "weren",
                "lack of",
                "absence of",
                "ruled out",
                "found no",
                "no sign",
                "no indication",
                "no evidence",
                "denied",
                "denies",
                "rejected",
            ]),
            hedges: phrases(&[
                "may",
                "might",
                "could",
                "possible",
                "possibly",
                "perhaps",
                "whether",
                "unclear",
                "unconfirmed",
                "unverified",
                "speculation",
                "speculated",
                "speculate",
                "believed to",
                "reportedly",
                "alleged",
                "allegedly",
                "investigating",
                "examining",
                "if",
                "potential",
                "potentially",
                "likely",
                "not ruled out",
                "did not rule out",
                "has not ruled out",
                "have not ruled out",
                "cannot rule out",
                "not rule out",
            ]),
            scope_breakers: phrases(&[
                "but", "however", "although", "though", "while", "whereas", "yet", "instead",
                "rather",
            ]),
            scope_tokens: 10,
        }
    }

    /// Every word the lexicon's phrases are made of, as the pre-tokenizer splits them.
    #[cfg(any(test, feature = "train"))]
    pub(crate) fn words(&self) -> Vec<String> {
        let all = self
            .cues
            .iter()
            .flat_map(|c| c.phrases.iter())
            .chain(&self.negators)
            .chain(&self.hedges)
            .chain(&self.scope_breakers);
        let mut words: Vec<String> = all.flat_map(|p| split_like_pre_tokenizer(p)).collect();
        words.sort();
        words.dedup();
        words
    }

    /// Feature names, three per cue (asserted, negated, hedged), then the two marker counts.
    pub(crate) fn feature_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .cues
            .iter()
            .flat_map(|c| {
                CueMode::ALL
                    .into_iter()
                    .map(move |m| format!("cue: {}{}", c.name, m.suffix()))
            })
            .collect();
        names.push("cue: negation words".to_owned());
        names.push("cue: hedging words".to_owned());
        names
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PhraseKind {
    Cue(usize),
    Negator,
    Hedge,
    Breaker,
}

/// A cue found in a document: which cue, in which mode, over which tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CueHit {
    pub(crate) cue: usize,
    pub(crate) mode: CueMode,
    /// Token range `[first, end)` in the encoding.
    pub(crate) tokens: (usize, usize),
}

/// The lexicon compiled to token ids of one tokenizer.
#[derive(Clone, Debug)]
pub(crate) struct CueMatcher {
    by_first_id: HashMap<u32, Vec<(Vec<u32>, PhraseKind)>>,
    cue_count: usize,
    scope_tokens: usize,
}

impl CueMatcher {
    /// Compiles the lexicon; a phrase with a word outside the vocabulary can never match and is skipped.
    pub(crate) fn compile(lexicon: &CueLexicon, tokenizer: &Tokenizer) -> Self {
        let mut by_first_id: HashMap<u32, Vec<(Vec<u32>, PhraseKind)>> = HashMap::new();
        let mut add = |phrase: &str, kind: PhraseKind| {
            let ids: Option<Vec<u32>> = split_like_pre_tokenizer(phrase)
                .iter()
                .map(|w| tokenizer.token_to_id(w))
                .collect();
            if let Some(ids) = ids.filter(|ids| !ids.is_empty()) {
                by_first_id.entry(ids[0]).or_default().push((ids, kind));
            }
        };
        for (i, c) in lexicon.cues.iter().enumerate() {
            c.phrases.iter().for_each(|p| add(p, PhraseKind::Cue(i)));
        }
        lexicon
            .negators
            .iter()
            .for_each(|p| add(p, PhraseKind::Negator));
        lexicon
            .hedges
            .iter()
            .for_each(|p| add(p, PhraseKind::Hedge));
        lexicon
            .scope_breakers
            .iter()
            .for_each(|p| add(p, PhraseKind::Breaker));
        CueMatcher {
            by_first_id,
            cue_count: lexicon.cues.len(),
            scope_tokens: lexicon.scope_tokens,
        }
    }

    /// The number of cue features: three modes per cue plus the negation and hedge counts.
    pub(crate) fn feature_count(&self) -> usize {
        self.cue_count * 3 + 2
    }

    /// Finds cue hits in a token sequence. `ends_clause(i)` says whether token `i` is clause
    /// punctuation, which closes any open negation or hedge scope. Returns the hits and the
    /// numbers of negation and hedge markers seen.
    pub(crate) fn find(
        &self,
        ids: &[u32],
        ends_clause: impl Fn(usize) -> bool,
    ) -> (Vec<CueHit>, usize, usize) {
        let mut hits = Vec::new();
        let (mut negations, mut hedges) = (0, 0);
        let mut negation_end: Option<usize> = None;
        let mut hedge_end: Option<usize> = None;
        let in_scope = |end: Option<usize>, pos: usize| {
            end.is_some_and(|e| pos >= e && pos - e <= self.scope_tokens)
        };
        for pos in 0..ids.len() {
            if ends_clause(pos) {
                negation_end = None;
                hedge_end = None;
                continue;
            }
            let Some(candidates) = self.by_first_id.get(&ids[pos]) else {
                continue;
            };
            let mode = if in_scope(negation_end, pos) {
                CueMode::Negated
            } else if in_scope(hedge_end, pos) {
                CueMode::Hedged
            } else {
                CueMode::Asserted
            };
            let mut marker: Option<(usize, PhraseKind)> = None;
            for (phrase, kind) in candidates {
                if !ids[pos..].starts_with(phrase) {
                    continue;
                }
                match *kind {
                    PhraseKind::Cue(cue) => hits.push(CueHit {
                        cue,
                        mode,
                        tokens: (pos, pos + phrase.len()),
                    }),
                    other => {
                        // The longest marker at a position wins: "not ruled out" is a hedge, not "not".
                        if marker.is_none_or(|(len, _)| phrase.len() > len) {
                            marker = Some((phrase.len(), other));
                        }
                    }
                }
            }
            match marker {
                Some((len, PhraseKind::Negator)) => {
                    negations += 1;
                    negation_end = Some(pos + len);
                }
                Some((len, PhraseKind::Hedge)) => {
                    hedges += 1;
                    hedge_end = Some(pos + len);
                }
                Some((_, PhraseKind::Breaker)) => {
                    negation_end = None;
                    hedge_end = None;
                }
                _ => {}
            }
        }
        (hits, negations, hedges)
    }

    /// The feature offset (within the cue block) of a cue in a mode.
    pub(crate) fn feature_offset(cue: usize, mode: CueMode) -> usize {
        cue * 3
            + match mode {
                CueMode::Asserted => 0,
                CueMode::Negated => 1,
                CueMode::Hedged => 2,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::tokenize::train_tokenizer;

    fn matcher() -> (CueLexicon, Tokenizer, CueMatcher) {
        let lexicon = CueLexicon::codebook();
        let tokenizer = train_tokenizer(&["police said"], 1, &lexicon.words()).unwrap();
        let matcher = CueMatcher::compile(&lexicon, &tokenizer);
        (lexicon, tokenizer, matcher)
    }

    fn modes_of(text: &str, cue_name: &str) -> Vec<CueMode> {
        let (lexicon, tokenizer, matcher) = matcher();
        let cue = lexicon
            .cues
            .iter()
            .position(|c| c.name == cue_name)
            .unwrap();
        let encoding = tokenizer.encode(text, false).unwrap();
        let tokens = encoding.get_tokens();
        let (hits, _, _) = matcher.find(encoding.get_ids(), |i| {
            tokens[i].chars().any(|c| ".,;:!?".contains(c))
        });
        hits.iter()
            .filter(|h| h.cue == cue)
            .map(|h| h.mode)
            .collect()
    }

    #[test]
    fn lexicon_is_normalized_text() {
        for word in CueLexicon::codebook().words() {
            assert_eq!(word, word.to_lowercase(), "{word}");
        }
    }

    #[test]
    fn negated_contact_is_not_asserted() {
        let modes = modes_of(
            "There is no evidence he was in contact with the group.",
            "plot contact with a handler",
        );
        assert!(!modes.is_empty());
        assert!(modes.iter().all(|m| *m == CueMode::Negated), "{modes:?}");
    }

    #[test]
    fn contrast_ends_negation_scope() {
        let modes = modes_of(
            "Police found no weapons at his home, but chat logs show a handler told him to strike.",
            "plot contact with a handler",
        );
        assert!(modes.contains(&CueMode::Asserted), "{modes:?}");
    }

    #[test]
    fn hedged_ties_are_hedged() {
        let modes = modes_of(
            "Officials are investigating possible contact with a handler abroad.",
            "plot contact with a handler",
        );
        assert!(modes.iter().all(|m| *m == CueMode::Hedged), "{modes:?}");
    }

    #[test]
    fn asserted_contact_is_asserted() {
        let modes = modes_of(
            "Chat logs show a handler on Telegram told him to choose the church.",
            "plot contact with a handler",
        );
        assert!(!modes.is_empty() && modes.iter().all(|m| *m == CueMode::Asserted));
    }
}
