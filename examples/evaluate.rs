//! Evaluates the shipped model: grouped-by-event cross-validation on the training split (with the
//! model's own settings) and the held-out test split; writes `data/eval/report.md`, the charts
//! `data/eval/confusion-test.svg` and `data/eval/reliability-test.svg`, and the README's figures.
//!
//! ```text
//! cargo run --release --features train --example evaluate [-- --model FILE --corpus DIR --out FILE]
//! ```
//!
//! With `--out`, the report and charts go beside FILE and the README is left alone: the README's
//! figures describe the shipped model on the shipped corpus only.

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use claim_attribution::Classifier;
use claim_attribution::eval::{EvaluationReport, confusion_matrix_svg, reliability_svg};
use claim_attribution::train::{Corpus, Split, TrainParams};

fn main() -> Result<(), Box<dyn Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut corpus_dir = root.join("data/corpus");
    let default_out = root.join("data/eval/report.md");
    let mut out = default_out.clone();
    let mut model_path: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => corpus_dir = args.next().ok_or("--corpus needs a directory")?.into(),
            "--out" => out = args.next().ok_or("--out needs a file")?.into(),
            "--model" => model_path = Some(args.next().ok_or("--model needs a file")?.into()),
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let started = Instant::now();
    let model = match &model_path {
        Some(path) => Classifier::from_path(path)?,
        None => Classifier::embedded().clone(),
    };
    let corpus = Corpus::from_dir(&corpus_dir)?;
    let train = corpus.split(Split::Train);
    let test = corpus.split(Split::Test);
    let params = TrainParams::from_settings(&model.info().settings).check()?;
    eprintln!(
        "[{:>6.1}s] cross-validating on {} training reports ({} folds, alpha {})",
        started.elapsed().as_secs_f64(),
        train.len(),
        model.info().settings.folds,
        model.info().settings.alpha
    );
    let oof = params.out_of_fold_logits(&train, model.info().settings.alpha)?;
    eprintln!(
        "[{:>6.1}s] scoring {} held-out reports",
        started.elapsed().as_secs_f64(),
        test.len()
    );
    let report = EvaluationReport::new(&model, &train, &oof, &test)?;
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, report.to_markdown(&model))?;
    let charts = out.parent().unwrap_or(&root);
    confusion_matrix_svg(
        &report.test,
        "Held-out test split: confusion matrix",
        &charts.join("confusion-test.svg"),
    )?;
    reliability_svg(
        &report.test_uncalibrated,
        &report.test,
        "Held-out test split: reliability",
        &charts.join("reliability-test.svg"),
    )?;
    if out == default_out {
        let readme_path = root.join("README.md");
        let readme = std::fs::read_to_string(&readme_path)?;
        std::fs::write(&readme_path, report.update_readme(&readme)?)?;
    }
    eprintln!(
        "[{:>6.1}s] wrote {}: test macro-F1 {:.3}, accuracy {:.3}, ECE {:.3} (uncalibrated {:.3}); cross-validation macro-F1 {:.3}",
        started.elapsed().as_secs_f64(),
        out.display(),
        report.test.macro_f1,
        report.test.accuracy,
        report.test.ece,
        report.test_uncalibrated.ece,
        report.cross_validation.macro_f1
    );
    Ok(())
}
