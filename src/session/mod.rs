//! A run as `quotecheck run` makes it: the runner, fed to reporters, the
//! snapshot check, the gates, and the [`Outcome`] that knows its exit code.
//!
//! This stage sits after the reports: it wires the runner's events to
//! every consumer (progress, the worst articles' diffs, snapshots, the
//! rerun-failed record, the report files and the terminal report), all of
//! them [`Reporter`]s, and decides how the run ended. It owns no format
//! and computes no figure; the command line only turns flags into a
//! [`Session`] and prints what it is told.
//!
//! A library user runs extractors exactly as `quotecheck run` does, with
//! reporters of their own:
//!
//! ```
//! use quotecheck::corpus::Corpus;
//! use quotecheck::extract::{builtin, Extractor};
//! use quotecheck::gate::{Gates, MinF1};
//! use quotecheck::run::{RunEvent, RunSettings};
//! use quotecheck::score::Criterion;
//! use quotecheck::session::{on_event, Extractors, Session, Status};
//!
//! let corpus = Corpus::open("corpus").unwrap();
//! let baseline = builtin("baseline").unwrap();
//! let extractors: Vec<&dyn Extractor> = vec![baseline.as_ref()];
//! let mut scored = 0;
//! let mut count = on_event(|event| {
//!     if let RunEvent::ArticleDone { .. } = event {
//!         scored += 1;
//!     }
//! });
//! let session = Session {
//!     corpus: &corpus,
//!     extractors: &extractors,
//!     settings: RunSettings::default(),
//!     snapshots: None,
//!     configured: Extractors::default(),
//!     gates: Gates {
//!         min_f1: vec![MinF1 { criterion: Criterion::Content, min: 0.5 }],
//!         ..Gates::default()
//!     },
//! };
//! let outcome = session.run(&mut [&mut count]).unwrap();
//! assert_eq!(outcome.status(), Status::Passed);
//! assert_eq!(outcome.result.corpus.scored, 9);
//! drop(count);
//! assert_eq!(scored, 9);
//! ```

mod last_run;
mod outcome;
mod progress;
mod reporter;
mod snapshots;
mod streamed;
mod worst;
mod writers;

use std::path::PathBuf;

pub use last_run::{LastRun, RecordLastRun};
pub use outcome::{nothing_scored_notes, Outcome, Status, EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS};
pub use progress::Progress;
pub use reporter::{on_event, FnReporter, Reporter};
pub use snapshots::{local_command, Extractors, OnUnreferenced, SnapshotCheck};
pub use streamed::{StreamedJson, StreamedJunit};
pub use worst::WorstDiffs;
pub use writers::{write_html, ReportFiles, Target, Terminal, UntilClosed};

use crate::corpus::Corpus;
use crate::extract::Extractor;
use crate::gate::Gates;
use crate::report::json::Report;
use crate::run::{run, RunSettings};

/// Why a session could not run or report.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// `--rerun-failed` without a record of an earlier run.
    #[error("--rerun-failed needs a previous run, but {} cannot be read", path.display())]
    NoLastRun {
        /// The record's path.
        path: PathBuf,
        /// Why it cannot be read.
        #[source]
        source: std::io::Error,
    },
    /// The record of the last run is not what quotecheck writes.
    #[error("{} is damaged", path.display())]
    DamagedLastRun {
        /// The record's path.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: serde_json::Error,
    },
    /// The snapshot folder cannot be locked.
    #[error("cannot lock the snapshot folder {}", root.display())]
    Lock {
        /// The folder.
        root: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The snapshot folder cannot be listed.
    #[error("cannot list the snapshot folder")]
    ListSnapshots(#[source] std::io::Error),
    /// A report file cannot be written.
    #[error("cannot {what} {}", path.display())]
    Write {
        /// What was being written, as "write the JSON report to".
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `$GITHUB_STEP_SUMMARY` cannot be appended to.
    #[error("cannot append to $GITHUB_STEP_SUMMARY ({})", path.display())]
    StepSummary {
        /// The file it names.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Standard output or standard error cannot be written.
    #[error(transparent)]
    Print(std::io::Error),
}

impl SessionError {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            SessionError::NoLastRun { .. } => Some("run `quotecheck run` first"),
            SessionError::DamagedLastRun { .. } => {
                Some("run `quotecheck run` without --rerun-failed to rewrite it")
            }
            _ => None,
        }
    }
}

/// One run of extractors on a corpus, with everything that decides its
/// outcome.
pub struct Session<'a> {
    /// The corpus.
    pub corpus: &'a Corpus,
    /// The extractors, in report order.
    pub extractors: &'a [&'a dyn Extractor],
    /// How the runner works.
    pub settings: RunSettings,
    /// The snapshot check, when snapshots are compared.
    pub snapshots: Option<SnapshotCheck>,
    /// Which extractors the configuration knows (for unreferenced
    /// snapshot folders).
    pub configured: Extractors,
    /// The gates.
    pub gates: Gates,
}

impl Session<'_> {
    /// Runs the extractors, feeding every event to `reporters` in order,
    /// then ends the snapshot check, applies the gates, and gives every
    /// reporter the outcome.
    pub fn run(self, reporters: &mut [&mut dyn Reporter]) -> Result<Outcome, SessionError> {
        let mut snapshots = self.snapshots;
        let result = run(self.corpus, self.extractors, &self.settings, &mut |event| {
            if let Some(s) = snapshots.as_mut() {
                s.on_event(&event);
            }
            for r in reporters.iter_mut() {
                r.on_event(&event);
            }
        });
        let selection = &self.settings.selection;
        let filtered = !selection.is_all() || selection.shard.is_some();
        // A run that scored nothing says nothing of which snapshots are
        // still referenced: a wrong corpus path must not delete them all.
        let full = !filtered && result.corpus.scored > 0;
        let ran: Vec<&str> = self.extractors.iter().map(|e| e.name()).collect();
        let mut notes = Vec::new();
        if !full && snapshots.as_ref().is_some_and(SnapshotCheck::deletes) {
            notes.push(if filtered {
                "note: --unreferenced delete deletes nothing on a filtered run (--articles, --shard, --rerun-failed)"
            } else {
                "note: --unreferenced delete deletes nothing on a run that scored nothing"
            }
            .to_string());
        }
        let snapshots = match snapshots {
            Some(s) => Some(s.finish(self.corpus, &ran, &self.configured, full)?),
            None => None,
        };
        let mut report = Report::from_result(&result);
        report.require_verbatim = self.settings.fidelity.require_verbatim;
        if let Some(s) = &snapshots {
            report.set_snapshots(s);
        }
        let mut outcome = Outcome::new(result, report, snapshots, &self.gates);
        outcome.notes.extend(notes);
        conclude(&outcome, reporters)?;
        Ok(outcome)
    }
}

/// Gives every reporter the outcome, in order: what `run` does at its
/// end, and what `merge` does with the outcome of merged reports.
pub fn conclude(
    outcome: &Outcome,
    reporters: &mut [&mut dyn Reporter],
) -> Result<(), SessionError> {
    for r in reporters.iter_mut() {
        r.on_outcome(outcome)?;
    }
    Ok(())
}
