//! Classifies reports with the model shipped inside the crate.
//!
//! ```text
//! cargo run --release --example classify -- "report text"          # one report as an argument
//! cargo run --release --example classify -- --file report.txt      # one report from a file
//! cargo run --release --example classify -- --json < report.txt    # from stdin, as JSON
//! cargo run --release --example classify -- --jsonl reports.jsonl > labels.jsonl
//! cargo run --release --example classify -- --explain --file report.txt   # evidence highlighted
//! ```
//!
//! `--json` and `--jsonl` output carries an `"evidence"` array: `{"start", "end", "text",
//! "supports", "weight", "features"}` with byte offsets into the input exactly as given.
//!
//! `--jsonl PATH` (or `-` for stdin) reads one JSON object per line with a string `"text"` and an
//! optional `"id"`, and writes exactly one JSON line per input line, in order: the prediction, or
//! `{"id": ..., "error": "..."}` for a line that cannot be classified. Input that is not valid UTF-8
//! is decoded lossily (invalid bytes become U+FFFD) with a warning naming the first bad byte offset;
//! in JSONL mode such a line gets an error line instead, as does a line over 16 MiB (skipped without
//! being held in memory). The exit status is non-zero only when input cannot be read or output
//! cannot be written.

use std::error::Error;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::time::Instant;

use claim_attribution::{Classifier, Label, Prediction};
use serde_json::{Value, json};

/// Lines classified together, so that `predict_batch` can use every core.
const BATCH_LINES: usize = 1024;

/// Longest JSONL line read; a longer one is skipped without being held in memory and gets an
/// error line, so memory stays bounded whatever the input.
const MAX_LINE_BYTES: u64 = 16 * 1024 * 1024;

enum Input {
    Text(String),
    File(String),
    Stdin,
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut input: Option<Input> = None;
    let mut jsonl: Option<String> = None;
    let mut as_json = false;
    let mut explain = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => as_json = true,
            "--explain" => explain = true,
            "--file" => input = Some(Input::File(args.next().ok_or("--file needs a path")?)),
            "--jsonl" => jsonl = Some(args.next().ok_or("--jsonl needs a path or -")?),
            "-h" | "--help" => {
                println!(
                    "usage: classify [--json] [TEXT | --file PATH | --jsonl PATH|-]  (no TEXT: read stdin)"
                );
                return Ok(());
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag:?}").into()),
            text => input = Some(Input::Text(text.to_owned())),
        }
    }
    let model = Classifier::embedded();
    if let Some(path) = jsonl {
        return classify_jsonl(model, &path);
    }
    let text = match input.unwrap_or(Input::Stdin) {
        Input::Text(text) => text,
        Input::File(path) => decode(
            std::fs::read(&path).map_err(|e| format!("cannot read {path}: {e}"))?,
            &path,
        ),
        Input::Stdin => {
            let mut bytes = Vec::new();
            io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            decode(bytes, "stdin")
        }
    };
    let mut out = io::stdout().lock();
    match model.explain(&text) {
        Ok(p) if as_json => writeln!(out, "{}", serde_json::to_string(&p)?)?,
        Ok(p) => {
            print_for_person(&mut out, &p)?;
            if explain {
                print_evidence(&mut out, &text, &p, io::stdout().is_terminal())?;
            }
        }
        Err(e) if as_json => writeln!(out, "{}", json!({ "error": e.to_string() }))?,
        Err(e) => writeln!(out, "cannot classify: {e}")?,
    }
    Ok(())
}

/// Lossy UTF-8 decoding with a warning that names the first invalid byte.
fn decode(bytes: Vec<u8>, source: &str) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            eprintln!(
                "warning: {source} is not valid UTF-8 at byte {offset}; invalid bytes were replaced with U+FFFD"
            );
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    }
}

fn print_for_person(out: &mut impl Write, p: &Prediction) -> io::Result<()> {
    let (runner_up, runner_up_p) = p.runner_up();
    writeln!(
        out,
        "label:      {} (confidence {:.2}{})",
        p.label(),
        p.confidence(),
        if p.is_reliable() {
            ", reliable"
        } else {
            ", below the reliability threshold"
        }
    )?;
    writeln!(out, "runner-up:  {runner_up} ({runner_up_p:.2})")?;
    writeln!(out, "probabilities:")?;
    for label in Label::ALL {
        let prob = p.probability(label);
        let bar = "#".repeat((prob * 40.0).round() as usize);
        writeln!(out, "  {:<18} {prob:.3} {bar}", label.as_str())?;
    }
    Ok(())
}

/// Lists the evidence, then the report with the evidence spans marked: coloured on a terminal
/// (green for the predicted label, yellow for the runner-up), `[text](label)` otherwise.
fn print_evidence(
    out: &mut impl Write,
    text: &str,
    p: &Prediction,
    colour: bool,
) -> io::Result<()> {
    writeln!(out, "evidence:")?;
    for e in p.evidence() {
        writeln!(
            out,
            "  {:>6.3} {:<18} {:?}  [{}]",
            e.weight,
            e.supports.as_str(),
            e.text,
            e.features.join("; ")
        )?;
    }
    let mut spans: Vec<_> = p.evidence().iter().collect();
    spans.sort_by_key(|e| (e.start, e.end));
    writeln!(out, "report:")?;
    let mut at = 0;
    for e in spans {
        if e.start < at {
            continue; // overlaps a span already marked
        }
        write!(out, "{}", &text[at..e.start])?;
        let span = &text[e.start..e.end];
        if colour {
            let code = if e.supports == p.label() {
                "1;32"
            } else {
                "1;33"
            };
            write!(out, "\x1b[{code}m{span}\x1b[0m")?;
        } else {
            write!(out, "[{span}]({})", e.supports)?;
        }
        at = e.end;
    }
    writeln!(out, "{}", &text[at..])
}

/// What one input line holds: an id and a text to classify, or an error to report.
fn parse_line(bytes: &[u8]) -> (Value, Result<String, String>) {
    let line = match std::str::from_utf8(bytes) {
        Ok(line) => line,
        Err(e) => {
            return (
                Value::Null,
                Err(format!(
                    "line is not valid UTF-8 at byte {}",
                    e.valid_up_to()
                )),
            );
        }
    };
    let value: Value = match serde_json::from_str(line) {
        Ok(value) => value,
        Err(e) => return (Value::Null, Err(format!("line is not valid JSON: {e}"))),
    };
    let Value::Object(mut object) = value else {
        return (Value::Null, Err("line is not a JSON object".to_owned()));
    };
    let id = object.remove("id").unwrap_or(Value::Null);
    match object.remove("text") {
        Some(Value::String(text)) => (id, Ok(text)),
        Some(other) => (
            id,
            Err(format!("\"text\" must be a string, found {}", kind(&other))),
        ),
        None => (id, Err("missing \"text\"".to_owned())),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One output line: the input's id first, then the prediction's fields.
#[derive(serde::Serialize)]
struct Labelled {
    id: Value,
    #[serde(flatten)]
    prediction: Prediction,
}

/// The output line for an input line that could not be classified.
#[derive(serde::Serialize)]
struct Failed {
    id: Value,
    error: String,
}

fn classify_jsonl(model: &Classifier, path: &str) -> Result<(), Box<dyn Error>> {
    let reader: Box<dyn BufRead> = if path == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        Box::new(BufReader::new(
            std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?,
        ))
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let started = Instant::now();
    let (mut lines, mut errors) = (0usize, 0usize);
    let mut pending: Vec<(Value, Result<String, String>)> = Vec::with_capacity(BATCH_LINES);
    let flush = |pending: &mut Vec<(Value, Result<String, String>)>,
                 out: &mut dyn Write|
     -> io::Result<usize> {
        let texts: Vec<&str> = pending
            .iter()
            .filter_map(|(_, t)| t.as_deref().ok())
            .collect();
        let mut predictions = model.explain_batch(&texts).into_iter();
        let mut failed = 0;
        for (id, text) in pending.drain(..) {
            let outcome = match text.map(|_| predictions.next()) {
                Ok(Some(Ok(prediction))) => Ok(prediction),
                Ok(Some(Err(e))) => Err(e.to_string()),
                Ok(None) => Err("internal error: prediction missing".to_owned()),
                Err(message) => Err(message),
            };
            let line = match outcome {
                Ok(prediction) => serde_json::to_string(&Labelled { id, prediction })?,
                Err(error) => {
                    failed += 1;
                    serde_json::to_string(&Failed { id, error })?
                }
            };
            writeln!(out, "{line}")?;
        }
        Ok(failed)
    };
    let mut reader = reader;
    let mut buffer = Vec::new();
    let cannot_read = |e: io::Error| format!("cannot read {path}: {e}");
    loop {
        buffer.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buffer)
            .map_err(cannot_read)?;
        if read == 0 {
            break;
        }
        lines += 1;
        if buffer.len() as u64 > MAX_LINE_BYTES && buffer.last() != Some(&b'\n') {
            reader.skip_until(b'\n').map_err(cannot_read)?;
            let error =
                format!("line is longer than {MAX_LINE_BYTES} bytes, the limit of this example");
            pending.push((Value::Null, Err(error)));
        } else {
            while buffer.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                buffer.pop();
            }
            pending.push(parse_line(&buffer));
        }
        if pending.len() == BATCH_LINES {
            errors += flush(&mut pending, &mut out)?;
        }
    }
    errors += flush(&mut pending, &mut out)?;
    out.flush()?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "classified {} of {lines} lines ({errors} errors) in {seconds:.3} s ({:.0} lines/s)",
        lines - errors,
        lines as f64 / seconds.max(1e-9)
    );
    Ok(())
}
