//! What `--rerun-failed` reruns: the articles of the last run on which an
//! extractor failed, kept in `.quotecheck/last-run.json`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{Outcome, Reporter, SessionError, Status};
use crate::extract::STATE_DIR;

/// The record of the last run's failed articles.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LastRun {
    /// The ids of the articles on which some extractor failed, sorted.
    pub failed: Vec<String>,
    /// Whether the run passed (exit code 0); `None` in a record written
    /// before runs recorded it.
    #[serde(default)]
    pub passed: Option<bool>,
}

impl LastRun {
    /// Where the record is kept, relative to the working folder.
    pub fn path() -> PathBuf {
        Path::new(STATE_DIR).join("last-run.json")
    }

    /// Reads the record of the last run.
    pub fn read() -> Result<LastRun, SessionError> {
        let path = LastRun::path();
        let bytes = std::fs::read(&path).map_err(|source| SessionError::NoLastRun {
            path: path.clone(),
            source,
        })?;
        serde_json::from_slice(&bytes)
            .map_err(|source| SessionError::DamagedLastRun { path, source })
    }

    /// When no article failed in the last run, how a rerun of nothing
    /// ends and what it says: passed when the last run passed; bad input
    /// when it did not, or the record does not say (a rerun would check
    /// nothing). `None` when there are articles to rerun.
    pub fn nothing_to_rerun(&self) -> Option<(Status, &'static str)> {
        if !self.failed.is_empty() {
            return None;
        }
        Some(match self.passed {
            Some(true) => (
                Status::Passed,
                "nothing to rerun: no article failed in the last run, and it passed",
            ),
            Some(false) => (
                Status::BadInput,
                "nothing to rerun: no article failed in the last run, but it did not pass (a gate, a snapshot or the corpus failed it); run `quotecheck run` without --rerun-failed",
            ),
            None => (
                Status::BadInput,
                "nothing to rerun: no article failed in the last run, and its record does not say whether it passed (an older quotecheck wrote it); run `quotecheck run` without --rerun-failed",
            ),
        })
    }

    fn write(&self) -> Result<(), SessionError> {
        let path = LastRun::path();
        let bytes = serde_json::to_vec_pretty(self).expect("a list of strings serializes");
        crate::atomic::write(&path, &bytes).map_err(|source| SessionError::Write {
            what: "record the run in",
            path,
            source,
        })
    }
}

/// Records the failed articles of every run it sees, for `--rerun-failed`.
#[derive(Debug, Default)]
pub struct RecordLastRun;

impl Reporter for RecordLastRun {
    fn on_outcome(&mut self, outcome: &Outcome) -> Result<(), SessionError> {
        let failed: BTreeSet<String> = outcome
            .result
            .extractors
            .iter()
            .flat_map(|e| e.failures().map(|a| a.id.clone()))
            .collect();
        LastRun {
            failed: failed.into_iter().collect(),
            passed: Some(outcome.status() == Status::Passed),
        }
        .write()
    }
}
