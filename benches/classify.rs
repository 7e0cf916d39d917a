//! Speed of the shipped model on bundled reports, cut to 200 words each.
//!
//! `cargo bench --bench classify`. The tokenizer's own encode is the floor the rest is measured
//! against: the full prediction should keep at least half its throughput.

use std::hint::black_box;

use claim_attribution::Classifier;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const WORDS_PER_REPORT: usize = 200;
const BATCH: usize = 1000;

/// Reports of at least 200 words from the bundled corpus, cut to exactly 200 words.
fn reports() -> Vec<String> {
    let corpus = concat!(
        include_str!("../data/corpus/train.jsonl"),
        include_str!("../data/corpus/test.jsonl")
    );
    let texts: Vec<String> = corpus
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|row| row["text"].as_str().map(str::to_owned))
        .filter(|text| text.split_whitespace().count() >= WORDS_PER_REPORT)
        .map(|text| {
            text.split_whitespace()
                .take(WORDS_PER_REPORT)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert!(
        !texts.is_empty(),
        "the corpus has no report of {WORDS_PER_REPORT} words"
    );
    texts.iter().cycle().take(BATCH).cloned().collect()
}

fn bench(c: &mut Criterion) {
    let model = Classifier::embedded();
    let reports = reports();
    let one = reports[0].as_str();

    c.bench_function("parse embedded artifact", |b| {
        let bytes = include_bytes!("../data/model/classifier.json");
        b.iter(|| Classifier::from_bytes(black_box(bytes)).unwrap())
    });

    let mut single = c.benchmark_group("one 200-word report");
    single.throughput(Throughput::Elements(1));
    single.bench_function("tokenizer encode only", |b| {
        b.iter(|| {
            model
                .features()
                .tokenizer()
                .encode_fast(black_box(one), false)
                .unwrap()
        })
    });
    single.bench_function("feature extraction", |b| {
        b.iter(|| model.features().extract(black_box(one)).unwrap())
    });
    single.bench_function("predict", |b| {
        b.iter(|| model.predict(black_box(one)).unwrap())
    });
    single.finish();

    let mut batch = c.benchmark_group("1000 200-word reports");
    batch.throughput(Throughput::Elements(BATCH as u64));
    batch.sample_size(10);
    batch.bench_function("tokenizer encode only, 1 thread", |b| {
        b.iter(|| {
            for report in &reports {
                black_box(
                    model
                        .features()
                        .tokenizer()
                        .encode_fast(report.as_str(), false)
                        .unwrap(),
                );
            }
        })
    });
    for threads in [1, 2] {
        batch.bench_with_input(
            BenchmarkId::new("predict_batch", format!("{threads} threads")),
            &threads,
            |b, &t| b.iter(|| model.predict_batch_on(black_box(&reports), t)),
        );
    }
    batch.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
