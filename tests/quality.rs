//! The shipped model meets the quality floor on the held-out test split, measured by the
//! evaluation code on reports never used for training or tuning (feature `train`).
#![cfg(feature = "train")]

use claim_attribution::Classifier;
use claim_attribution::eval::evaluate;
use claim_attribution::train::{Corpus, Split};

/// Floor on held-out macro-F1 set by the project's acceptance criteria.
const MIN_TEST_MACRO_F1: f64 = 0.80;

#[test]
fn held_out_macro_f1_meets_the_floor() {
    let corpus = Corpus::from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/data/corpus")).unwrap();
    let test = corpus.split(Split::Test);
    assert!(test.len() >= 50, "only {} test reports", test.len());
    let metrics = evaluate(Classifier::embedded(), &test).unwrap();
    assert!(
        metrics.macro_f1 >= MIN_TEST_MACRO_F1,
        "held-out macro-F1 {:.3} is below {MIN_TEST_MACRO_F1}",
        metrics.macro_f1
    );
    assert_eq!(
        metrics.macro_f1,
        Classifier::embedded().info().test.macro_f1,
        "ModelInfo records the same figure"
    );
}
