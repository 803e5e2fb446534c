//! Pending snapshots as a review sees them: each `.snap.new` read with the
//! accepted snapshot it would replace, and the diff between them; and the
//! pending snapshots a list of article ids names.

use std::io;
use std::path::PathBuf;

use super::{DamagedSnapshot, Entry, SnapshotFile, SnapshotKind, Store};
use crate::corpus::{closest_ids, did_you_mean};
use crate::snapshot::{grade, snapshot_diff, Grading, Levels, SnapshotDiff, SnapshotState};

/// A pending snapshot with its accepted one, read.
#[derive(Clone, Debug)]
pub struct PendingSnapshot {
    /// The pending file.
    pub entry: Entry,
    /// `changed` (an accepted snapshot exists) or `new`.
    pub state: SnapshotState,
    /// The accepted rendering against the pending one.
    pub diff: SnapshotDiff,
    /// The scheme of the accepted snapshot, when it is not the pending one's.
    pub other_scheme: Option<String>,
    /// Its grade, as the run that wrote it found it (`new` for every new
    /// one); `None` for a changed one whose file records no grade (written
    /// by insta, or by an older quotecheck).
    pub grading: Option<Grading>,
}

impl PendingSnapshot {
    /// `changed  +2 -1 lines` or `new      3 lines`.
    pub fn summary(&self) -> String {
        match self.state {
            SnapshotState::Changed => {
                format!(
                    "changed  +{} -{} lines",
                    self.diff.added(),
                    self.diff.removed()
                )
            }
            _ => format!("new      {} lines", self.diff.added()),
        }
    }

    /// What the grade of a changed snapshot says (`broke: q3 lost its
    /// speaker`), or `ungraded`; empty for a new one, whose state says it.
    pub fn grade_summary(&self) -> String {
        match (&self.grading, self.state) {
            (_, SnapshotState::New) => String::new(),
            (Some(g), _) => g.summary(),
            (None, _) => "ungraded".to_string(),
        }
    }
}

/// Why a pending snapshot cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum PendingError {
    /// The file went away after it was listed.
    #[error("{} disappeared", .0.display())]
    Disappeared(PathBuf),
    /// The pending file is not a snapshot.
    #[error("{} cannot be read: {why}", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        why: DamagedSnapshot,
    },
    /// The folder cannot be read.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Article ids that have no pending snapshot: nothing was done.
#[derive(Debug, thiserror::Error)]
#[error("no pending snapshot for {}", .missing.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", "))]
pub struct NoPending {
    /// The ids, as given.
    pub missing: Vec<String>,
    /// For each of them, the ids of pending snapshots it probably meant
    /// ([`closest_ids`]), best first.
    pub closest: Vec<Vec<String>>,
    hint: String,
}

impl NoPending {
    /// `missing` are none of `pending`'s articles.
    fn new(missing: Vec<String>, pending: &[Entry]) -> NoPending {
        let mut ids: Vec<&str> = pending.iter().map(|e| e.article.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let closest: Vec<Vec<String>> = missing
            .iter()
            .map(|m| closest_ids(m, ids.iter().copied()))
            .collect();
        let mut hint: Vec<String> = missing
            .iter()
            .zip(&closest)
            .filter_map(|(m, c)| {
                let words = did_you_mean(c)?;
                Some(if missing.len() == 1 {
                    words
                } else {
                    format!("for {m:?}, {words}")
                })
            })
            .collect();
        hint.push("`quotecheck pending` lists the pending snapshots".to_string());
        NoPending {
            missing,
            closest,
            hint: hint.join(" "),
        }
    }

    /// What to do about it: the ids it probably meant, and the command
    /// that lists them all.
    pub fn hint(&self) -> &str {
        &self.hint
    }
}

impl Store {
    /// Reads the pending snapshot `entry` and the accepted one it would
    /// replace. A damaged accepted snapshot is shown as one that cannot be
    /// read, so that its pending replacement can still be reviewed and
    /// accepted.
    pub fn load_pending(&self, entry: Entry) -> Result<PendingSnapshot, PendingError> {
        let new = match self.read(&entry.extractor, &entry.article, SnapshotKind::Pending)? {
            None => return Err(PendingError::Disappeared(entry.path)),
            Some(Ok(f)) => f,
            Some(Err(why)) => {
                return Err(PendingError::Damaged {
                    path: entry.path,
                    why,
                })
            }
        };
        let accepted_path = self.accepted_path(&entry.extractor, &entry.article)?;
        let (old, old_label): (Option<SnapshotFile>, String) =
            match self.read(&entry.extractor, &entry.article, SnapshotKind::Accepted)? {
                None => (None, format!("{} (none accepted)", accepted_path.display())),
                Some(Ok(old)) => (Some(old), format!("{} (accepted)", accepted_path.display())),
                Some(Err(why)) => (
                    None,
                    format!(
                        "{} (accepted, cannot be read: {why})",
                        accepted_path.display()
                    ),
                ),
            };
        let state = if accepted_path.exists() {
            SnapshotState::Changed
        } else {
            SnapshotState::New
        };
        let old_body = old.as_ref().map(SnapshotFile::body_renamed);
        let diff = snapshot_diff(
            old_body.as_deref(),
            &new.body,
            &old_label,
            &format!("{} (pending)", entry.path.display()),
        );
        let other_scheme = old
            .filter(|o| o.info.scheme != new.info.scheme)
            .map(|o| o.info.scheme);
        let grading = match state {
            SnapshotState::New => Some(grade(None, &Levels::failed(&[]))),
            _ => new.grading,
        };
        Ok(PendingSnapshot {
            entry,
            state,
            diff,
            other_scheme,
            grading,
        })
    }
}

/// The entries of `pending` whose article is one of `articles`, each once,
/// in the order the articles are given; an error naming every article that
/// has none, before anything is done.
pub fn select_pending(pending: &[Entry], articles: &[String]) -> Result<Vec<Entry>, NoPending> {
    let mut out: Vec<Entry> = Vec::new();
    let mut missing = Vec::new();
    for article in articles {
        let found: Vec<&Entry> = pending.iter().filter(|e| &e.article == article).collect();
        if found.is_empty() {
            missing.push(article.clone());
        }
        for e in found {
            if !out.contains(e) {
                out.push(e.clone());
            }
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(NoPending::new(missing, pending))
    }
}
