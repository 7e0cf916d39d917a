//! Retraining from `data/corpus/` reproduces the committed artifact byte for byte (feature `train`).
#![cfg(feature = "train")]

use claim_attribution::train::{Corpus, TrainParams};

#[test]
fn retraining_reproduces_the_shipped_artifact() {
    let corpus = Corpus::from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/data/corpus")).unwrap();
    let outcome = TrainParams::new()
        .check()
        .unwrap()
        .fit(&corpus, &mut |_| {})
        .unwrap();
    let retrained = outcome.classifier.to_bytes().unwrap();
    let shipped = include_bytes!("../data/model/classifier.json");
    assert!(
        retrained.as_slice() == shipped.as_slice(),
        "retrained artifact differs from data/model/classifier.json: run `cargo run --release --features train --example train`"
    );
}
