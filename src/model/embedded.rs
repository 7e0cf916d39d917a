//! The model compiled into the crate.

use std::sync::LazyLock;

use crate::classifier::Classifier;

static MODEL_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/model/classifier.json"
));

static EMBEDDED: LazyLock<Classifier> = LazyLock::new(|| {
    // The shipped artifact is checked by tests/embedded_model.rs; failing here is a packaging bug.
    Classifier::from_bytes(MODEL_BYTES).expect("the embedded model artifact is valid")
});

pub(crate) fn embedded() -> &'static Classifier {
    &EMBEDDED
}
