//! Any input gives either a typed error or four finite probabilities summing to 1.

use claim_attribution::{Error, Label, classify};
use proptest::prelude::*;

fn check(text: &str) {
    match classify(text) {
        Ok(p) => {
            let probs = Label::ALL.map(|l| p.probability(l));
            assert!(
                probs
                    .iter()
                    .all(|x| x.is_finite() && (0.0..=1.0).contains(x)),
                "{probs:?}"
            );
            assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{probs:?}");
        }
        Err(Error::EmptyReport) => assert!(text.trim().is_empty()),
        Err(other) => panic!("unexpected error {other} for {text:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_string(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn any_bytes_decoded_lossily(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn report_like_words(words in proptest::collection::vec("[a-zA-Z'’\\-]{1,12}|[.,;!?]", 0..300)) {
        check(&words.join(" "));
    }
}

#[test]
fn awkward_inputs() {
    let long = "The group claimed the attack. ".repeat(20_000);
    for text in [
        "\u{0}\u{1}\u{7f}",
        "<p>No group has <b>claimed</b> the blast.</p>",
        "Η ομάδα ανέλαβε την ευθύνη για την επίθεση.",
        "تبنى التنظيم الهجوم",
        "💣🔥🚨",
        "\u{feff}\u{200b}\u{202e}text",
        long.as_str(),
    ] {
        check(text);
    }
}
