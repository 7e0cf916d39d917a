//! The model shipped inside the crate loads and works with no file, network or set-up.

use claim_attribution::{Classifier, Error, FORMAT_VERSION, Label, classify};

#[test]
fn embedded_model_loads_and_describes_itself() {
    let model = Classifier::embedded();
    let info = model.info();
    assert_eq!(info.crate_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.corpus_sha256.len(), 64);
    assert!(info.train_reports > 0 && info.test.reports > 0);
    assert!(info.temperature > 0.0);
    assert_eq!(
        model.features().feature_names().len(),
        model.features().feature_count()
    );
    assert!(
        std::ptr::eq(model, Classifier::embedded()),
        "parsed once and shared"
    );
}

#[test]
fn embedded_model_records_the_crate_codebook() {
    use sha2::{Digest, Sha256};
    let codebook = include_bytes!("../data/CODEBOOK.md");
    let hex: String = Sha256::digest(codebook)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(Classifier::embedded().info().codebook_sha256, hex);
}

#[test]
fn artifact_is_the_versioned_file_under_data_model() {
    let bytes = include_bytes!("../data/model/classifier.json");
    assert!(
        bytes.len() <= 10 * 1024 * 1024,
        "artifact is {} bytes",
        bytes.len()
    );
    let value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    assert_eq!(value["format_version"], FORMAT_VERSION);
}

#[test]
fn classify_returns_four_probabilities() {
    let p = classify(
        "Police said the attacker acted alone after watching the group's propaganda videos.",
    )
    .unwrap();
    let total: f64 = Label::ALL.iter().map(|l| p.probability(*l)).sum();
    assert!((total - 1.0).abs() < 1e-9);
    assert!(Label::ALL.contains(&p.label()));
}

#[test]
fn empty_reports_are_a_typed_error() {
    for text in ["", "   ", "\n\t "] {
        assert!(matches!(classify(text), Err(Error::EmptyReport)));
    }
}

#[test]
fn batch_matches_single_predictions_in_order() {
    let reports = [
        "No group has claimed the bombing.",
        "A handler on Telegram chose the target and sent him instructions.",
        "",
        "The group's fighters stormed the hotel on orders from their commander.",
    ];
    let model = Classifier::embedded();
    for threads in [1, 2, 4] {
        let batch = model.predict_batch_on(&reports, threads);
        assert_eq!(batch.len(), reports.len());
        for (result, report) in batch.iter().zip(reports) {
            match (result, model.predict(report)) {
                (Ok(a), Ok(b)) => assert_eq!(*a, b),
                (Err(Error::EmptyReport), Err(Error::EmptyReport)) => {}
                (a, b) => panic!("batch {a:?} vs single {b:?}"),
            }
        }
    }
}

#[test]
fn classifier_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Classifier>();
    assert_send_sync::<claim_attribution::Prediction>();
    assert_send_sync::<Error>();
}
