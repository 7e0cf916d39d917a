//! Whole-article robustness: each held-out report embedded in 1,500-4,000 words of unrelated
//! background, to measure how much the surrounding text drowns the attribution.

use crate::train::{Report, SplitMix64};

/// Fewest and most words of background around each report.
pub const BACKGROUND_WORDS: (usize, usize) = (1_500, 4_000);

/// Word stems that mark a sentence as being about attribution, the attacker or the investigation;
/// such sentences never enter the background, which keeps to casualties, victims, the scene,
/// reactions, politics and security measures. The list belongs to the evaluation, not to the
/// model's cue lexicon.
const ATTRIBUTION_STEMS: [&str; 105] = [
    // claims, links and motives
    "claim",
    "responsib",
    "inspir",
    "allegian",
    "pledg",
    "handler",
    "propaganda",
    "order",
    "direct",
    "dispatch",
    "sent ",
    "train",
    "contact",
    "telegram",
    "whatsapp",
    "messag",
    "instruct",
    "guid",
    "radical",
    "manifesto",
    "motive",
    "link",
    "ties",
    "tied",
    "blame",
    "accus",
    "deni",
    "group",
    "cell",
    "command",
    "fighter",
    "militan",
    "insurgen",
    "islamic",
    "qaeda",
    "jihad",
    "ideolog",
    "extrem",
    "terror",
    "network",
    "plot",
    "plann",
    "organi",
    "member",
    "recruit",
    "loyal",
    "cause",
    "behind",
    "carried out",
    "alone",
    "lone",
    "name of",
    "on behalf",
    "faction",
    "movement",
    "rebel",
    "separatis",
    "caliphate",
    "soldier",
    "agency",
    "amaq",
    "statement",
    "video",
    "online",
    "internet",
    "social media",
    "syria",
    "iraq",
    "afghan",
    "returned from",
    "sympath",
    "admir",
    "influenc",
    "follower",
    "supporter",
    "hail",
    "praise",
    "unknown",
    "unclear",
    "speculat",
    // investigation and courts
    "suspect",
    "investigat",
    "evidence",
    "police said",
    "prosecut",
    "court",
    "trial",
    "judge",
    "jury",
    "verdict",
    "sentenc",
    "convict",
    "charg",
    "arrest",
    "detain",
    "custody",
    "intelligence",
    "security service",
    "spokes",
    "attacker",
    "gunm",
    "bomber",
    "perpetrat",
    "assailant",
    "killer",
];

fn is_background(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    !ATTRIBUTION_STEMS.iter().any(|stem| lower.contains(stem))
}

/// Splits text into sentences at `.`, `!` or `?` followed by white space.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_some_and(|n| n.is_ascii_whitespace())
        {
            let sentence = text[start..=i].trim();
            if !sentence.is_empty() {
                out.push(sentence);
            }
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// The background pool: sentences of `donors` that say nothing about attribution, each with the
/// event it comes from. Donors are other held-out reports: text the model has never seen, as the
/// background of a real article would be (training reports would bring n-grams it memorized).
pub fn background_pool<'a>(donors: &[&'a Report]) -> Vec<(String, &'a str)> {
    donors
        .iter()
        .flat_map(|r| {
            sentences(&r.text)
                .into_iter()
                .map(move |s| (r.event_key(), s))
        })
        .filter(|(_, s)| s.split_whitespace().count() >= 6 && is_background(s))
        .collect()
}

/// Each report placed, whole, at a random point among random background sentences (never from
/// its own event) of between [`BACKGROUND_WORDS`] words; deterministic in `seed`.
pub fn embed_in_background(reports: &[&Report], pool: &[(String, &str)], seed: u64) -> Vec<String> {
    let mut rng = SplitMix64(seed);
    reports
        .iter()
        .map(|report| {
            let event = report.event_key();
            let pool: Vec<&str> = pool
                .iter()
                .filter(|(e, _)| *e != event)
                .map(|(_, s)| *s)
                .collect();
            let (low, high) = BACKGROUND_WORDS;
            let target = low + (rng.next() % (high - low + 1) as u64) as usize;
            let mut background: Vec<&str> = Vec::new();
            let mut words = 0;
            while words < target && !pool.is_empty() {
                let sentence = pool[(rng.next() % pool.len() as u64) as usize];
                words += sentence.split_whitespace().count();
                background.push(sentence);
            }
            let at = (rng.next() % (background.len() as u64 + 1)) as usize;
            let mut parts: Vec<&str> = background[..at].to_vec();
            parts.push(&report.text);
            parts.extend_from_slice(&background[at..]);
            parts.join(" ")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_terminal_punctuation() {
        assert_eq!(
            sentences("One. Two!  Three? Four"),
            vec!["One.", "Two!", "Three?", "Four"]
        );
        assert_eq!(
            sentences("No split in 3.5 metres."),
            vec!["No split in 3.5 metres."]
        );
    }

    #[test]
    fn attribution_sentences_stay_out_of_the_background() {
        assert!(!is_background("The group claimed the attack within hours."));
        assert!(!is_background("Police said the motive was unclear."));
        assert!(is_background(
            "Rain fell on the city as shops reopened on Monday."
        ));
    }
}
