//! Rebuilds the shipped model from `data/corpus/`, deterministically.
//!
//! ```text
//! cargo run --release --features train --example train [-- --corpus DIR --out FILE]
//! ```

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use claim_attribution::train::{Corpus, TrainParams};

fn main() -> Result<(), Box<dyn Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut corpus_dir = root.join("data/corpus");
    let mut out = root.join("data/model/classifier.json");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => corpus_dir = args.next().ok_or("--corpus needs a directory")?.into(),
            "--out" => out = args.next().ok_or("--out needs a file")?.into(),
            other => {
                return Err(format!(
                    "unknown argument {other:?} (expected --corpus DIR or --out FILE)"
                )
                .into());
            }
        }
    }
    let started = Instant::now();
    let corpus = Corpus::from_dir(&corpus_dir)?;
    eprintln!(
        "[{:>6.1}s] read {} reports from {}",
        started.elapsed().as_secs_f64(),
        corpus.reports().len(),
        corpus_dir.display()
    );
    let params = TrainParams::new().check()?;
    let outcome = params.fit(&corpus, &mut |message| {
        eprintln!("[{:>6.1}s] {message}", started.elapsed().as_secs_f64());
    })?;
    let model = outcome.classifier;
    std::fs::write(&out, model.to_bytes()?)?;
    let info = model.info();
    eprintln!(
        "[{:>6.1}s] wrote {} ({} features); cross-validation macro-F1 {:.3}; held-out test macro-F1 {:.3}, accuracy {:.3}",
        started.elapsed().as_secs_f64(),
        out.display(),
        model.features().feature_count(),
        info.cross_validation.macro_f1,
        info.test.macro_f1,
        info.test.accuracy
    );
    Ok(())
}
