//! Any bytes, decoded lossily, must give a typed error or four finite probabilities summing to 1,
//! and evidence offsets that slice the input on char boundaries.
//!
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run classify -- -max_total_time=600` (stable Rust needs the
//! bootstrap variable for the sanitizer flags).
#![no_main]

use claim_attribution::{Classifier, Error, Label};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Classifier::embedded().explain(&text) {
        Ok(p) => {
            let total: f64 = Label::ALL.iter().map(|l| p.probability(*l)).sum();
            assert!((total - 1.0).abs() < 1e-9 && p.confidence().is_finite());
            for e in p.evidence() {
                assert_eq!(&text[e.start..e.end], e.text);
            }
        }
        Err(Error::EmptyReport) => assert!(text.trim().is_empty()),
        Err(other) => panic!("unexpected error: {other}"),
    }
});
