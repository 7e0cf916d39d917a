//! Hostile and awkward input: typed results, no panics, evidence on char boundaries, the
//! language flag, very long reports, and many threads sharing the embedded model.

use claim_attribution::{Classifier, Error, Label, classify};
use proptest::prelude::*;

fn check_evidence(text: &str) {
    if let Ok(p) = Classifier::embedded().explain(text) {
        for e in p.evidence() {
            assert!(
                text.is_char_boundary(e.start) && text.is_char_boundary(e.end),
                "{e:?}"
            );
            assert_eq!(&text[e.start..e.end], e.text);
            assert!(e.supports == p.label() || e.supports == p.runner_up().0);
            assert!(e.weight > 0.0 && !e.features.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn evidence_offsets_slice_any_input(text in any::<String>()) {
        check_evidence(&text);
    }

    #[test]
    fn evidence_offsets_slice_report_like_text(words in proptest::collection::vec(
        "(the|group|claimed|handler|no|evidence|contact|Ünïcödé|“quoted”|—|attack|police|said)[.,]?", 1..200)) {
        check_evidence(&words.join(" "));
    }
}

#[test]
fn negated_contact_is_never_cited_as_contact() {
    let reports = [
        "The teenager had watched the group's propaganda and swore allegiance to its leader. Detectives said there was no evidence that he had been in contact with anyone from the group.",
        "Police said there was no evidence that the gunman had been in contact with any extremist group, and nothing found at his home pointed to a motive.",
        "Investigators found no sign of contact with a handler; he had acted after reading the manifesto online.",
    ];
    for report in reports {
        let p = Classifier::embedded().explain(report).unwrap();
        assert!(!p.evidence().is_empty());
        for e in p.evidence() {
            assert!(
                !e.features
                    .iter()
                    .any(|f| f == "cue: plot contact with a handler"),
                "{report}: {e:?}"
            );
        }
        assert_ne!(p.label(), Label::RemoteControlled, "{report}");
    }
}

#[test]
fn markup_control_characters_and_emoji_get_predictions() {
    for text in [
        "<div class=\"story\"><p>No group has <b>claimed</b> the blast &amp; police said the motive was unclear.</p></div>",
        "No group\u{0} has\u{7} claimed\u{1b}[31m the blast.\r\n",
        "💥 No group has claimed the blast 🚨🚨",
    ] {
        let p = classify(text).unwrap();
        assert!(p.looks_english(), "{text}");
    }
}

#[test]
fn other_languages_are_flagged_and_never_reliable() {
    for text in [
        "Ningún grupo ha reivindicado el atentado y la policía dice que el móvil sigue sin estar claro.",
        "Aucun groupe n'a revendiqué l'attentat, et la police affirme que le mobile reste inconnu.",
        "Η ομάδα ανέλαβε την ευθύνη για την επίθεση στην πλατεία.",
        "تبنى التنظيم الهجوم على مركز الشرطة",
        "🚨💥🔥",
    ] {
        let p = classify(text).unwrap();
        assert!(!p.looks_english(), "{text}");
        assert!(!p.is_reliable(), "{text}");
    }
}

#[test]
fn a_five_megabyte_report_is_classified() {
    let paragraph = "Rescue workers searched the rubble through the night as relatives gathered outside the hospital. ";
    let mut report = paragraph.repeat(5 * 1024 * 1024 / paragraph.len());
    report.push_str("The group claimed the attack within hours and named the three attackers. ");
    report.push_str(&paragraph.repeat(100));
    let p = Classifier::embedded().explain(&report).unwrap();
    assert!(
        p.evidence()
            .iter()
            .all(|e| report.is_char_boundary(e.start) && report.is_char_boundary(e.end))
    );
    assert!((p.probabilities().iter().sum::<f64>() - 1.0).abs() < 1e-9);
}

#[test]
fn eight_threads_agree_with_sequential_predictions() {
    let reports: Vec<String> = include_str!("fixtures/codebook_cases.jsonl")
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let model = Classifier::embedded();
    let sequential: Vec<_> = reports.iter().map(|r| model.predict(r).unwrap()).collect();
    std::thread::scope(|scope| {
        for worker in 0..8 {
            let (reports, sequential) = (&reports, &sequential);
            scope.spawn(move || {
                for i in 0..10_000 {
                    let k = (i + worker) % reports.len();
                    assert_eq!(model.predict(&reports[k]).unwrap(), sequential[k]);
                }
            });
        }
    });
}

#[test]
fn empty_input_is_a_typed_error_everywhere() {
    let model = Classifier::embedded();
    for text in ["", " \n\t", "\u{a0}\u{2003}"] {
        assert!(
            matches!(model.predict(text), Err(Error::EmptyReport)),
            "{text:?}"
        );
        assert!(
            matches!(model.explain(text), Err(Error::EmptyReport)),
            "{text:?}"
        );
    }
}
