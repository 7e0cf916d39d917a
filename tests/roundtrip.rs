//! The artifact round-trips exactly, and damaged or foreign artifacts are typed errors.

use claim_attribution::{Classifier, Error};

const REPORTS: [&str; 3] = [
    "The group said within hours that its fighters had carried out the raid on the barracks.",
    "He pledged allegiance in a video he posted, and police found no sign of contact with the group.",
    "No group has claimed the attack.",
];

#[test]
fn serialize_then_parse_gives_identical_bytes_and_predictions() {
    let model = Classifier::embedded();
    let bytes = model.to_bytes().unwrap();
    assert_eq!(
        bytes,
        include_bytes!("../data/model/classifier.json"),
        "the embedded artifact re-serializes to itself"
    );
    let reloaded = Classifier::from_bytes(&bytes).unwrap();
    for report in REPORTS {
        assert_eq!(
            model.predict(report).unwrap(),
            reloaded.predict(report).unwrap()
        );
    }
    assert_eq!(reloaded.to_bytes().unwrap(), bytes);
}

#[test]
fn from_path_reads_a_saved_model() {
    let dir = std::env::temp_dir().join(format!(
        "claim-attribution-roundtrip-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.json");
    std::fs::write(&path, Classifier::embedded().to_bytes().unwrap()).unwrap();
    let loaded = Classifier::from_path(&path).unwrap();
    assert_eq!(
        loaded.predict(REPORTS[0]).unwrap(),
        Classifier::embedded().predict(REPORTS[0]).unwrap()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_file_names_the_path() {
    let err = Classifier::from_path("/no/such/model.json").unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(err.to_string().contains("/no/such/model.json"), "{err}");
}

#[test]
fn wrong_version_is_unsupported_format() {
    let bytes = Classifier::embedded().to_bytes().unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    value["format_version"] = 99.into();
    let err = Classifier::from_bytes(&serde_json::to_vec(&value).unwrap()).unwrap_err();
    assert!(
        matches!(err, Error::UnsupportedFormat { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("99"));
}

#[test]
fn truncated_and_garbage_artifacts_are_model_errors() {
    let bytes = Classifier::embedded().to_bytes().unwrap();
    for damaged in [
        &bytes[..bytes.len() / 2],
        &b""[..],
        &b"\xff\xfe not json"[..],
        &b"{\"format_version\": 1}"[..],
    ] {
        let err = Classifier::from_bytes(damaged).unwrap_err();
        assert!(matches!(err, Error::Model { .. }), "{err}");
    }
}

#[test]
fn inconsistent_weights_are_a_feature_mismatch() {
    let bytes = Classifier::embedded().to_bytes().unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    value["scorer"]["weights"].as_array_mut().unwrap().pop();
    let err = Classifier::from_bytes(&serde_json::to_vec(&value).unwrap()).unwrap_err();
    assert!(matches!(err, Error::FeatureMismatch { .. }), "{err}");
}
