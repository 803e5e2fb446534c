//! How a run ended: its results, what its snapshots and gates said, and
//! the exit code that follows (docs/ci.md).

use crate::gate::{self, GateOutcome, Gates};
use crate::report::json::Report;
use crate::run::{NothingScored, RunResult};
use crate::snapshot::store::SnapshotReport;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the command ran and found problems (invalid corpus, failed gate).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code: bad input or configuration; nothing could be checked.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Whether a run passed, as its exit code says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every article was scored, every gate passed, no snapshot changed.
    Passed,
    /// A gate failed, a snapshot changed without being accepted, or an
    /// extractor failed on some article (unless its snapshot accepts it).
    Failed,
    /// Something could not be checked: a broken article, an unavailable
    /// extractor, a snapshot that cannot be read or written, or nothing
    /// scored at all (unless allowed).
    BadInput,
}

impl Status {
    /// The process exit code: 0, 1 or 2.
    pub fn code(self) -> u8 {
        match self {
            Status::Passed => EXIT_OK,
            Status::Failed => EXIT_PROBLEMS,
            Status::BadInput => EXIT_BAD_INPUT,
        }
    }
}

/// Everything a run ended with: what every report is written from.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The results.
    pub result: RunResult,
    /// The JSON report model of the results (with the snapshots' states).
    pub report: Report,
    /// What the snapshots found, when any were compared.
    pub snapshots: Option<SnapshotReport>,
    /// What the gates found.
    pub gates: GateOutcome,
    /// Whether any gate was asked for (the terminal lists gates only then).
    pub gated: bool,
    /// Whether a whole run that scored nothing may pass (`--allow-empty`).
    pub allow_empty: bool,
    /// Remarks for the person running the command (standard error), each
    /// a line: `error: …`, `hint: …`, `note: …`.
    pub notes: Vec<String>,
}

impl Outcome {
    /// The outcome of `result` under `gates`, with what its snapshots found.
    pub fn new(
        result: RunResult,
        report: Report,
        snapshots: Option<SnapshotReport>,
        gates: &Gates,
    ) -> Outcome {
        let gate_outcome = gate::check(&result, gates);
        let mut outcome = Outcome {
            result,
            report,
            snapshots,
            gates: gate_outcome,
            gated: gates.any(),
            allow_empty: gates.allow_empty,
            notes: Vec::new(),
        };
        outcome.notes = nothing_scored_notes(&outcome.result, outcome.allow_empty);
        outcome
    }

    /// Why the run scored no article, when it is a whole run (not one
    /// shard of several: a shard may hold nothing) and scored none.
    pub fn nothing_scored(&self) -> Option<NothingScored<'_>> {
        match self.result.shard {
            Some(_) => None,
            None => self.result.corpus.nothing_scored(),
        }
    }

    /// Whether the run passed.
    pub fn status(&self) -> Status {
        let unavailable = self.result.extractors.iter().any(|e| e.unavailable());
        let snapshots = self.snapshots.as_ref();
        let empty = !self.allow_empty && self.nothing_scored().is_some();
        if self.result.corpus.broken_count() > 0
            || unavailable
            || empty
            || snapshots.is_some_and(|s| !s.errors.is_empty())
        {
            Status::BadInput
        } else if !self.gates.passed()
            || snapshots.is_some_and(|s| !s.passed())
            || self.unaccepted_failures()
        {
            Status::Failed
        } else {
            Status::Passed
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        self.status().code()
    }

    /// Whether an extractor failed on some article without that failure
    /// being accepted in the article's snapshot (docs/snapshots.md,
    /// "Failures").
    fn unaccepted_failures(&self) -> bool {
        let accepted = self
            .snapshots
            .as_ref()
            .map(SnapshotReport::accepted_failures)
            .unwrap_or_default();
        self.result.extractors.iter().any(|e| {
            // The first failure not accepted stops the reading; failures
            // whose ids cannot be read back are not accepted either.
            e.try_for_each_failed_id(|id| {
                if accepted.contains(&(e.name.as_str(), id)) {
                    Ok(())
                } else {
                    Err(std::io::Error::other("not accepted"))
                }
            })
            .is_err()
        })
    }
}

/// What is said of a run that scored nothing (none when it scored
/// something): for a whole run, an error line and a hint line, or a note
/// when `allow_empty`; for one shard of several, a note (a shard may hold
/// nothing, `merge` checks the whole). Lines for standard error.
pub fn nothing_scored_notes(result: &RunResult, allow_empty: bool) -> Vec<String> {
    let Some(why) = result.corpus.nothing_scored() else {
        return Vec::new();
    };
    match result.shard {
        Some((k, n)) => vec![format!(
            "note: shard {k}/{n}: {why}; `quotecheck merge` fails unless some shard scores an article"
        )],
        None if allow_empty => vec![format!("note: {why} (allowed by --allow-empty)")],
        None => vec![format!("error: {why}"), format!("hint: {}", why.hint())],
    }
}
