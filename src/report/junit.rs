//! JUnit XML (`--junit PATH`): one test suite per extractor, one test case
//! per article, so CI systems list articles as tests.
//!
//! An article fails when the extractor failed on it (unless that failure
//! is what its accepted snapshot says: docs/snapshots.md, "Failures"), when
//! its rendering changed from its accepted snapshot (or has none yet) and
//! the change was not accepted — the diff is in the failure —, or, with a
//! baseline, when its end-to-end F1 dropped. Each suite also has a `gates` case that
//! fails when one of that extractor's gates failed.
//!
//! An extractor that was given no article has no passing case: its suite
//! holds one `nothing scored` case, failing — or skipped, when an empty
//! run is allowed (`--allow-empty`, or one shard of several).

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::gate::{GateFailure, GateOutcome};
use crate::run::{ExtractorStatus, RunResult};
use crate::score::Criterion;
use crate::snapshot::store::SnapshotReport;
use crate::snapshot::{SnapshotDiff, SnapshotState};
use crate::text::printable;

/// A failing status. The message and description may quote input (an
/// extractor's error, a worker's stderr): control characters are cleaned
/// before XML's own escaping, as XML 1.0 cannot hold most of them at all.
fn failure(kind: &str, message: String, description: Option<String>) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_type(kind)
        .set_message(printable(&message).into_owned());
    if let Some(d) = description {
        status.set_description(printable(&d).into_owned());
    }
    status
}

/// Writes the JUnit report of `result` with the outcome of its gates and
/// of its snapshots (`snapshots`, when they were compared). `allow_empty`:
/// whether a run that scored nothing may pass (its `nothing scored` cases
/// are then skipped, not failing).
pub fn write(
    result: &RunResult,
    gates: &GateOutcome,
    snapshots: Option<&SnapshotReport>,
    allow_empty: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut report = Report::new("quotecheck");
    let accepted_failures = snapshots
        .map(SnapshotReport::accepted_failures)
        .unwrap_or_default();
    // (extractor, article) → its state and diff, for the changes that fail.
    let mut unaccepted: HashMap<(&str, &str), (SnapshotState, Option<&SnapshotDiff>)> =
        HashMap::new();
    if let Some(s) = snapshots {
        for (e, a, state) in s.unaccepted() {
            unaccepted.insert((e, a), (state, None));
        }
        for e in &s.extractors {
            for (a, diff) in &e.diffs {
                if let Some(entry) = unaccepted.get_mut(&(e.name.as_str(), a.as_str())) {
                    entry.1 = Some(diff);
                }
            }
        }
    }
    for e in &result.extractors {
        let mut suite = TestSuite::new(e.name.as_str());
        if e.status() == ExtractorStatus::NothingScored {
            let why = result
                .corpus
                .nothing_scored()
                .map_or(String::new(), |w| w.to_string());
            let message = format!("{}: nothing scored", e.name);
            let status = if allow_empty || result.shard.is_some() {
                let mut s = TestCaseStatus::skipped();
                s.set_message(message)
                    .set_description(printable(&why).into_owned());
                s
            } else {
                failure("nothing-scored", message, Some(why))
            };
            let mut case = TestCase::new("nothing scored", status);
            case.set_classname(e.name.as_str());
            suite.add_test_case(case);
            report.add_test_suite(suite);
            continue;
        }
        let worse = gates.worse.get(&e.name);
        for a in &e.articles {
            let snapshot = unaccepted.get(&(e.name.as_str(), a.id.as_str()));
            let c = a.score.counts(Criterion::Attribution);
            let summary = format!(
                "end-to-end F1 {:.3} (TP {} FP {} FN {})",
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            );
            let accepted_failure = a
                .failure
                .as_ref()
                .filter(|_| accepted_failures.contains(&(e.name.as_str(), a.id.as_str())));
            let status = if let (Some(f), None) = (&a.failure, accepted_failure) {
                failure(
                    f.kind.as_str(),
                    format!("{}: {}", f.kind, f.message),
                    Some(summary),
                )
            } else if let Some((state, diff)) = snapshot {
                let what = match state {
                    SnapshotState::New => "has no accepted snapshot",
                    _ => "changed from its accepted snapshot",
                };
                let grade = snapshots
                    .and_then(|s| s.extractors.iter().find(|x| x.name == e.name))
                    .and_then(|x| x.grading(a.id.as_str()))
                    .filter(|_| *state == SnapshotState::Changed)
                    .map_or(String::new(), |g| format!(" ({})", g.summary()));
                let mut message = format!(
                    "the rendering of {} on {} {what}{grade}; run `quotecheck run` locally, review with `quotecheck review` and commit the snapshots",
                    e.name, a.id
                );
                if let Some(w) = worse.and_then(|w| w.iter().find(|w| w.id == a.id)) {
                    message.push_str(&format!(
                        "; end-to-end F1 dropped from {:.3} to {:.3} against the baseline",
                        w.before, w.after
                    ));
                }
                let description = match diff {
                    Some(d) => format!("{summary}\n\n{}", d.unified()),
                    None => summary,
                };
                failure("snapshot", message, Some(description))
            } else if let Some(w) = worse.and_then(|w| w.iter().find(|w| w.id == a.id)) {
                failure(
                    "regression",
                    format!(
                        "end-to-end F1 dropped from {:.3} to {:.3} against the baseline",
                        w.before, w.after
                    ),
                    Some(summary),
                )
            } else {
                TestCaseStatus::success()
            };
            let mut case = TestCase::new(a.id.as_str(), status);
            case.set_classname(e.name.as_str())
                .set_time(Duration::from_millis(a.elapsed_ms));
            if let Some(f) = accepted_failure {
                case.set_system_out(
                    printable(&format!(
                        "failed as its accepted snapshot says ({f}); scored as empty"
                    ))
                    .into_owned(),
                );
            }
            suite.add_test_case(case);
        }
        let mine: Vec<&GateFailure> = gates
            .failures
            .iter()
            .filter(|f| gate_extractor(f) == e.name)
            .collect();
        let status = if mine.is_empty() {
            TestCaseStatus::success()
        } else {
            let lines: Vec<String> = mine.iter().map(|f| f.to_string()).collect();
            failure("gate", lines.join("; "), Some(lines.join("\n")))
        };
        let mut case = TestCase::new("gates", status);
        case.set_classname(e.name.as_str());
        suite.add_test_case(case);
        report.add_test_suite(suite);
    }
    report.serialize(&mut *out).map_err(std::io::Error::other)?;
    writeln!(out)
}

fn gate_extractor(f: &GateFailure) -> &str {
    match f {
        GateFailure::MinF1 { extractor, .. }
        | GateFailure::Regression { extractor, .. }
        | GateFailure::NotRun { extractor, .. } => extractor,
    }
}
