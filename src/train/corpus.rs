//! Reading the annotated corpus (JSON Lines, one report a line; schema in `data/corpus/README.md`).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::label::Label;

/// Which side of the fixed, event-grouped split a report is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// Used for training and cross-validation.
    Train,
    /// Held out: never used for training or tuning.
    Test,
}

/// One annotated report.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// Unique id.
    pub id: String,
    /// The report's text.
    pub text: String,
    /// The gold label.
    pub label: Label,
    /// A second defensible label, for hard cases.
    pub runner_up: Option<Label>,
    /// The event the report is about; folds and the split are grouped by it.
    pub event: String,
    /// `YYYY[-MM[-DD]]`.
    pub event_date: String,
    /// Which split the report belongs to.
    pub split: Split,
}

impl Report {
    /// The key reports of one event share: its name and month (as the corpus checker groups them).
    pub fn event_key(&self) -> String {
        let month: String = self.event_date.chars().take(7).collect();
        format!("{}|{month}", self.event.trim().to_lowercase())
    }
}

/// The annotated reports and a fingerprint of the files they came from.
#[derive(Clone, Debug)]
pub struct Corpus {
    reports: Vec<Report>,
    sha256: String,
}

impl Corpus {
    /// Reads every `*.jsonl` file under `dir` (recursively, in path order).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if a file cannot be read, [`Error::Corpus`] naming file and line for a bad row.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Corpus> {
        let mut files = Vec::new();
        collect_jsonl(dir.as_ref(), &mut files)?;
        files.sort();
        let mut hasher = Sha256::new();
        let mut reports = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).map_err(|source| Error::Io {
                path: file.display().to_string(),
                source,
            })?;
            hasher.update(text.as_bytes());
            for (number, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let report: Report = serde_json::from_str(line).map_err(|e| {
                    Error::Corpus(format!("{}:{}: {e}", file.display(), number + 1))
                })?;
                reports.push(report);
            }
        }
        if reports.is_empty() {
            return Err(Error::Corpus(format!(
                "no reports under {}",
                dir.as_ref().display()
            )));
        }
        Ok(Corpus {
            reports,
            sha256: hex(&hasher.finalize()),
        })
    }

    /// Builds a corpus from reports already in memory.
    pub fn from_reports(reports: Vec<Report>) -> Corpus {
        Corpus {
            reports,
            sha256: String::new(),
        }
    }

    /// All reports.
    pub fn reports(&self) -> &[Report] {
        &self.reports
    }

    /// The reports of one split.
    pub fn split(&self, split: Split) -> Vec<&Report> {
        self.reports.iter().filter(|r| r.split == split).collect()
    }

    /// SHA-256 of the corpus files, concatenated in path order.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }
}

fn collect_jsonl(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_jsonl(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            files.push(path);
        }
    }
    Ok(())
}

/// Lower-case hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a file, as lower-case hex.
pub(crate) fn sha256_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(hex(&Sha256::digest(&bytes)))
}
