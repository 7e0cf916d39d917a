//! Whole-article robustness: each held-out report embedded in 1,500-4,000 words of unrelated,
//! written background, to measure how much the surrounding text drowns the attribution.

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

/// Written background (`data/eval/background.txt`): sentences about casualties, the scene,
/// reactions, politics and security measures, none saying who did it or why.
const WRITTEN_BACKGROUND: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/eval/background.txt"
));

/// The background pool: the written background's sentences, less any that mention attribution
/// (a guard, so that a slip in the written text cannot leak a label cue into the test).
pub fn background_pool() -> Vec<&'static str> {
    WRITTEN_BACKGROUND
        .lines()
        .map(str::trim)
        .filter(|s| !s.is_empty() && is_background(s))
        .collect()
}

/// Each report placed, whole, at a random point among random background sentences of between
/// [`BACKGROUND_WORDS`] words; deterministic in `seed`.
pub fn embed_in_background(reports: &[&Report], pool: &[&str], seed: u64) -> Vec<String> {
    let mut rng = SplitMix64(seed);
    reports
        .iter()
        .map(|report| {
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
    fn written_background_leaves_a_large_pool_after_the_guard() {
        // The guard matches stems inside words ("spokeswoman", "authorities"), so it drops some
        // harmless sentences too; what matters is that enough remain to vary the background.
        assert!(
            background_pool().len() >= 300,
            "{} sentences",
            background_pool().len()
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
