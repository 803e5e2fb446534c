//! Snapshot checking as a run goes: the checker of the snapshot stage fed
//! by the run's events, the folder lock held while files may be written,
//! and, on a full run, the snapshots whose article or extractor is gone.

use std::collections::{BTreeSet, HashSet};

use super::{Reporter, SessionError};
use crate::align::Scheme;
use crate::corpus::{Corpus, Item};
use crate::run::RunEvent;
use crate::snapshot::store::{Checker, Lock, Outcome, SnapshotReport, SnapshotSettings, Update};

/// What to do with snapshots whose article is gone from the corpus, or
/// whose extractor is no longer configured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnUnreferenced {
    /// List them in the report.
    #[default]
    Report,
    /// Delete them.
    Delete,
    /// Say nothing of them.
    Ignore,
}

/// Which extractors a run stands for, to tell which snapshot folders no
/// extractor owns any more.
#[derive(Clone, Debug, Default)]
pub struct Extractors {
    /// The extractors run by default (`default_extractors`, or every
    /// configured one).
    pub defaults: Vec<String>,
    /// Every configured extractor, run by default or not.
    pub configured: Vec<String>,
}

/// The snapshot check of one run.
pub struct SnapshotCheck {
    checker: Checker,
    unreferenced: OnUnreferenced,
    _lock: Option<Lock>,
}

impl SnapshotCheck {
    /// Starts checking the snapshots of the extractors named `ran` (in
    /// run order); `None` when none of them has snapshots to compare.
    /// Locks the snapshot folder when the run may write to it, telling
    /// `waiting` while another run holds the lock.
    pub fn start(
        settings: SnapshotSettings,
        scheme: Scheme,
        ran: &[&str],
        unreferenced: OnUnreferenced,
        waiting: &mut dyn FnMut(&std::path::Path),
    ) -> Result<Option<SnapshotCheck>, SessionError> {
        let update = settings.update;
        let mut checker = Checker::new(settings, scheme);
        if checker.register(ran).is_empty() {
            return Ok(None);
        }
        let lock = if update != Update::No || unreferenced == OnUnreferenced::Delete {
            let root = checker.store().root().to_path_buf();
            Some(
                checker
                    .store()
                    .lock(waiting)
                    .map_err(|source| SessionError::Lock { root, source })?,
            )
        } else {
            None
        };
        Ok(Some(SnapshotCheck {
            checker,
            unreferenced,
            _lock: lock,
        }))
    }

    /// Whether unreferenced snapshots are to be deleted.
    pub fn deletes(&self) -> bool {
        self.unreferenced == OnUnreferenced::Delete
    }

    /// Ends the check: on a `full` run (no article left out by a
    /// selection), finds — and deletes, when asked — the snapshots whose
    /// article is gone from `corpus` or whose extractor is gone. The lock
    /// is released when this returns.
    pub fn finish(
        self,
        corpus: &Corpus,
        ran: &[&str],
        extractors: &Extractors,
        full: bool,
    ) -> Result<SnapshotReport, SessionError> {
        let action = self.unreferenced;
        let checker = self.checker;
        if !full || action == OnUnreferenced::Ignore {
            return Ok(checker.finish(Vec::new(), None, false));
        }
        let mut unseen = checker.unseen().map_err(SessionError::ListSnapshots)?;
        if !unseen.is_empty() {
            // Snapshots of articles that were not scored: unreferenced only
            // when the article is not in the corpus at all (a draft or an
            // unannotated article may come back).
            let candidates: HashSet<&str> = unseen.iter().map(|(_, a, _)| a.as_str()).collect();
            let mut present: BTreeSet<String> = BTreeSet::new();
            for item in corpus.items() {
                let id = match item {
                    Item::Article { article, .. } => article.id.to_string(),
                    Item::Broken { id, .. } => id,
                };
                if candidates.contains(id.as_str()) {
                    present.insert(id);
                }
            }
            unseen.retain(|(_, a, _)| !present.contains(a));
        }
        // Folders of other extractors are judged only when the run ran the
        // default set (not one chosen with --extractor or --replay), and the
        // folder of an extractor that is configured but not run by default
        // is never unreferenced.
        let mut defaults = extractors.defaults.clone();
        let mut ran: Vec<String> = ran.iter().map(|n| n.to_string()).collect();
        ran.sort();
        defaults.sort();
        let mut known = ran.clone();
        known.extend(extractors.configured.iter().cloned());
        let all = (!defaults.is_empty() && ran == defaults).then_some(&known[..]);
        Ok(checker.finish(unseen, all, action == OnUnreferenced::Delete))
    }
}

impl Reporter for SnapshotCheck {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        if let RunEvent::ArticleDone {
            extractor,
            article,
            result,
        } = event
        {
            // Repeat 0 and any others (`--repeat K`), in repeat order.
            let outcomes: Vec<Outcome<'_>> = std::iter::once(*result)
                .chain(&result.repeats)
                .map(|r| Outcome {
                    predictions: &r.predictions,
                    alignment: &r.score.alignment,
                    failure: r.failure.as_ref(),
                })
                .collect();
            self.checker.check_repeats(extractor, article, &outcomes);
        }
    }
}

/// The command line `args` (without the program name) as a command to run
/// locally, for the hint of a run whose snapshot changes were not written:
/// without the options that only make sense on CI (`--update`, `--shard`),
/// each argument quoted for a POSIX shell when it needs to be.
pub fn local_command(args: impl IntoIterator<Item = String>) -> String {
    let mut out = vec!["quotecheck".to_string()];
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--update" || arg == "--shard" {
            args.next();
            continue;
        }
        if arg.starts_with("--update=") || arg.starts_with("--shard=") {
            continue;
        }
        let plain = !arg.is_empty()
            && arg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
        out.push(if plain {
            arg
        } else {
            format!("'{}'", arg.replace('\'', "'\\''"))
        });
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::local_command;

    #[test]
    fn the_local_command_drops_ci_options_and_quotes() {
        let args = [
            "run",
            "--update",
            "no",
            "--shard=1/2",
            "--articles",
            "world/*",
            "it's",
        ];
        assert_eq!(
            local_command(args.map(String::from)),
            "quotecheck run --articles 'world/*' 'it'\\''s'"
        );
    }
}
