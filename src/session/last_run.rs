//! What `--rerun-failed` reruns: the articles of the last run on which an
//! extractor failed, kept in `.quotecheck/last-run.json`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Outcome, Reporter, SessionError, Status};
use crate::corpus::{check_hash_id, hash_id};
use crate::extract::STATE_DIR;
use crate::spill::SpillMap;

/// The record of the last run's failed articles.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LastRun {
    /// The ids of the articles on which some extractor failed, once each:
    /// in corpus order those of the first extractor, then those only the
    /// next one failed on, and so on.
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
}

/// Records the failed articles of every run it sees, for `--rerun-failed`.
#[derive(Debug, Default)]
pub struct RecordLastRun;

impl Reporter for RecordLastRun {
    fn on_outcome(&mut self, outcome: &Outcome) -> Result<(), SessionError> {
        let path = LastRun::path();
        let passed = outcome.status() == Status::Passed;
        let extractors = &outcome.result.extractors;
        // Written as the ids are read, extractor by extractor: a run may
        // have more failures than it keeps in memory. An id two
        // extractors failed on is written once (by the hash of the id; two
        // ids of one hash are both written, which a set of ids reads
        // the same).
        let mut seen = SpillMap::default();
        let write = |out: &mut dyn Write| -> std::io::Result<()> {
            out.write_all(b"{\n  \"failed\": [")?;
            let mut n = 0usize;
            for e in extractors {
                e.try_for_each_failed_id(|id| {
                    if extractors.len() > 1 {
                        let key = hash_id(id);
                        let check = [id.len() as u64, check_hash_id(id), 0];
                        match seen.get(key) {
                            Ok(Some(v)) if v == check => return Ok(()),
                            _ => seen.insert(key, check),
                        }
                    }
                    let sep: &[u8] = if n == 0 { b"\n    " } else { b",\n    " };
                    n += 1;
                    out.write_all(sep)?;
                    Ok(serde_json::to_writer(&mut *out, id)?)
                })?;
            }
            let close: &[u8] = if n == 0 { b"]" } else { b"\n  ]" };
            out.write_all(close)?;
            write!(out, ",\n  \"passed\": {passed}\n}}")
        };
        crate::atomic::write_with(&path, write).map_err(|source| SessionError::Write {
            what: "record the run in",
            path: path.clone(),
            source,
        })
    }
}
