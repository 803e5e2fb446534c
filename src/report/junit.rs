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
//!
//! The report is written in two steps so that a run need not keep its
//! articles ([`junit_stream`](super::junit_stream)): each article's case is
//! made from a small [`CaseData`] and rendered on its own, and the
//! document (whose suites count their cases up front) is put together
//! around the rendered cases. Every piece of XML, the cases included, is
//! written by `quick-junit`: its escaping is the only one.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde::{Deserialize, Serialize};

use crate::extract::Failure;
use crate::gate::{GateFailure, GateOutcome, WorseArticle};
use crate::run::{ArticleResult, ExtractorStatus, RunResult};
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

/// What an article's test case is made of: all the JUnit report needs of
/// its result (about 100 bytes and its id), which a run spills to disk as
/// it goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseData {
    /// The article id.
    pub id: String,
    /// Time the extractor took on it.
    pub elapsed_ms: u64,
    /// How the extractor failed on it, as `(kind, message)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<(String, String)>,
    /// Its end-to-end counts: TP, FP, FN.
    pub attribution: (u64, u64, u64),
}

impl CaseData {
    /// The case data of an article's result.
    pub fn of(a: &ArticleResult) -> CaseData {
        let c = a.score.counts(Criterion::Attribution);
        CaseData {
            id: a.id.clone(),
            elapsed_ms: a.elapsed_ms,
            failure: a
                .failure
                .as_ref()
                .map(|f| (f.kind.as_str().to_string(), f.message.clone())),
            attribution: (c.tp, c.fp, c.fn_),
        }
    }
}

impl From<&super::json::ArticleJson> for CaseData {
    /// The case data of an article's entry in a JSON report.
    fn from(a: &super::json::ArticleJson) -> CaseData {
        CaseData {
            id: a.id.clone(),
            elapsed_ms: a.elapsed_ms,
            failure: (a.status != "ok").then(|| {
                let kind = super::json::failure_kind(&a.status);
                (
                    kind.as_str().to_string(),
                    a.error.clone().unwrap_or_default(),
                )
            }),
            attribution: (a.attribution.tp, a.attribution.fp, a.attribution.fn_),
        }
    }
}

/// What decides an article's case beyond its own result, known when the
/// run has ended: the snapshots' verdicts and the gates' regressions.
pub struct Verdicts<'a> {
    gates: &'a GateOutcome,
    snapshots: Option<&'a SnapshotReport>,
    accepted_failures: HashSet<(&'a str, &'a str)>,
    /// (extractor, article) → its state and diff, for the changes that fail.
    unaccepted: HashMap<(&'a str, &'a str), (SnapshotState, Option<&'a SnapshotDiff>)>,
}

impl<'a> Verdicts<'a> {
    /// The verdicts of a run's gates and snapshots.
    pub fn new(gates: &'a GateOutcome, snapshots: Option<&'a SnapshotReport>) -> Verdicts<'a> {
        let accepted_failures = snapshots
            .map(SnapshotReport::accepted_failures)
            .unwrap_or_default();
        let mut unaccepted = HashMap::new();
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
        Verdicts {
            gates,
            snapshots,
            accepted_failures,
            unaccepted,
        }
    }

    /// The test case of `extractor` on the article of `a`.
    pub fn case(&self, extractor: &str, a: &CaseData) -> TestCase {
        let worse: Option<&WorseArticle> = self
            .gates
            .worse
            .get(extractor)
            .and_then(|w| w.iter().find(|w| w.id == a.id));
        let snapshot = self.unaccepted.get(&(extractor, a.id.as_str()));
        let (tp, fp, fn_) = a.attribution;
        let f1 = crate::score::Counts { tp, fp, fn_ }.f1();
        let summary = format!("end-to-end F1 {f1:.3} (TP {tp} FP {fp} FN {fn_})");
        let failed = a
            .failure
            .as_ref()
            .map(|(kind, message)| Failure::new(super::json::failure_kind(kind), message.clone()));
        let accepted_failure = failed
            .as_ref()
            .filter(|_| self.accepted_failures.contains(&(extractor, a.id.as_str())));
        let status = if let (Some(f), None) = (&failed, accepted_failure) {
            failure(f.kind.as_str(), f.to_string(), Some(summary))
        } else if let Some((state, diff)) = snapshot {
            let what = match state {
                SnapshotState::New => "has no accepted snapshot",
                _ => "changed from its accepted snapshot",
            };
            let grade = self
                .snapshots
                .and_then(|s| s.extractors.iter().find(|x| x.name == extractor))
                .and_then(|x| x.grading(a.id.as_str()))
                .filter(|_| *state == SnapshotState::Changed)
                .map_or(String::new(), |g| format!(" ({})", g.summary()));
            let mut message = format!(
                "the rendering of {extractor} on {} {what}{grade}; run `quotecheck run` locally, review with `quotecheck review` and commit the snapshots",
                a.id
            );
            if let Some(w) = worse {
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
        } else if let Some(w) = worse {
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
        case.set_classname(extractor)
            .set_time(Duration::from_millis(a.elapsed_ms));
        if let Some(f) = accepted_failure {
            case.set_system_out(
                printable(&format!(
                    "failed as its accepted snapshot says ({f}); scored as empty"
                ))
                .into_owned(),
            );
        }
        case
    }
}

/// How many cases of each outcome a suite's rendered cases hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseCounts {
    /// Cases.
    pub tests: usize,
    /// Failing cases.
    pub failures: usize,
}

/// Renders the test cases of `extractor` on `cases` to `out`, each as the
/// whole report would hold it, and counts them.
pub fn render_cases(
    extractor: &str,
    cases: impl Iterator<Item = std::io::Result<CaseData>>,
    verdicts: &Verdicts<'_>,
    out: &mut dyn Write,
) -> std::io::Result<CaseCounts> {
    let mut counts = CaseCounts::default();
    for a in cases {
        let case = verdicts.case(extractor, &a?);
        counts.tests += 1;
        if matches!(
            case.status,
            TestCaseStatus::NonSuccess {
                kind: NonSuccessKind::Failure,
                ..
            }
        ) {
            counts.failures += 1;
        }
        write_case(case, out)?;
    }
    Ok(counts)
}

/// Writes one test case as it stands in a report: the lines `quick-junit`
/// writes for it inside a suite.
fn write_case(case: TestCase, out: &mut dyn Write) -> std::io::Result<()> {
    let mut suite = TestSuite::new("case");
    suite.add_test_case(case);
    let mut report = Report::new("case");
    report.add_test_suite(suite);
    let text = report.to_string().map_err(std::io::Error::other)?;
    // Text and attributes are escaped, so these tags are the real ones.
    let start = text
        .find("\n    <testsuite ")
        .and_then(|at| text[at + 1..].find('\n').map(|n| at + 1 + n + 1));
    let end = text.rfind("\n    </testsuite>").map(|at| at + 1);
    match (start, end) {
        (Some(start), Some(end)) if start <= end => out.write_all(&text.as_bytes()[start..end]),
        _ => Err(std::io::Error::other(
            "quick-junit wrote a test case in an unexpected layout",
        )),
    }
}

/// One suite of the report: an extractor, with its article cases already
/// rendered (`cases`, counted by `counts`).
pub struct SuiteBody<'a> {
    /// The extractor's name.
    pub name: &'a str,
    /// Whether it ran.
    pub status: ExtractorStatus,
    /// Its rendered article cases.
    pub cases: Box<dyn Read + 'a>,
    /// What they hold.
    pub counts: CaseCounts,
}

/// Writes the report: each suite's rendered cases, then its `gates` case
/// (or its single `nothing scored` case). `result` gives the corpus and
/// shard (for a run that scored nothing); `allow_empty`: whether a run
/// that scored nothing may pass.
pub fn assemble(
    result: &RunResult,
    suites: Vec<SuiteBody<'_>>,
    gates: &GateOutcome,
    allow_empty: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut report = Report::new("quotecheck");
    let mut bodies = Vec::new();
    for body in suites {
        let mut suite = TestSuite::new(body.name);
        suite.add_test_case(last_case(
            result,
            body.name,
            &body.status,
            gates,
            allow_empty,
        ));
        if body.status == ExtractorStatus::NothingScored {
            bodies.push(None);
        } else {
            suite.tests += body.counts.tests;
            suite.failures += body.counts.failures;
            bodies.push(Some(body.cases));
        }
        report.add_test_suite(suite);
    }
    let text = report.to_string().map_err(std::io::Error::other)?;
    // Every suite holds a case, so each has a start tag on a line of its
    // own: its article cases go right after it, before its last case.
    let mut bodies = bodies.into_iter();
    for line in text.split_inclusive('\n') {
        out.write_all(line.as_bytes())?;
        if line.starts_with("    <testsuite ") {
            if let Some(mut cases) = bodies.next().flatten() {
                std::io::copy(&mut cases, out)?;
            }
        }
    }
    writeln!(out)
}

/// The case a suite ends with: `gates`, which fails when one of the
/// extractor's gates failed, or, for an extractor given no article, its
/// one `nothing scored` case.
fn last_case(
    result: &RunResult,
    name: &str,
    status: &ExtractorStatus,
    gates: &GateOutcome,
    allow_empty: bool,
) -> TestCase {
    if *status == ExtractorStatus::NothingScored {
        let why = result
            .corpus
            .nothing_scored()
            .map_or(String::new(), |w| w.to_string());
        let message = format!("{name}: nothing scored");
        let status = if allow_empty || result.shard.is_some() {
            let mut s = TestCaseStatus::skipped();
            s.set_message(message)
                .set_description(printable(&why).into_owned());
            s
        } else {
            failure("nothing-scored", message, Some(why))
        };
        let mut case = TestCase::new("nothing scored", status);
        case.set_classname(name);
        return case;
    }
    let mine: Vec<&GateFailure> = gates
        .failures
        .iter()
        .filter(|f| gate_extractor(f) == name)
        .collect();
    let status = if mine.is_empty() {
        TestCaseStatus::success()
    } else {
        let lines: Vec<String> = mine.iter().map(|f| f.to_string()).collect();
        failure("gate", lines.join("; "), Some(lines.join("\n")))
    };
    let mut case = TestCase::new("gates", status);
    case.set_classname(name);
    case
}

/// Writes the JUnit report of `result`, which keeps every article, with
/// the outcome of its gates and of its snapshots (`snapshots`, when they
/// were compared). `allow_empty`: whether a run that scored nothing may
/// pass (its `nothing scored` cases are then skipped, not failing).
pub fn write(
    result: &RunResult,
    gates: &GateOutcome,
    snapshots: Option<&SnapshotReport>,
    allow_empty: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let verdicts = Verdicts::new(gates, snapshots);
    let mut suites = Vec::new();
    for e in &result.extractors {
        let mut cases = Vec::new();
        let counts = render_cases(
            &e.name,
            e.articles.iter().map(|a| Ok(CaseData::of(a))),
            &verdicts,
            &mut cases,
        )?;
        suites.push(SuiteBody {
            name: &e.name,
            status: e.status(),
            cases: Box::new(std::io::Cursor::new(cases)),
            counts,
        });
    }
    assemble(result, suites, gates, allow_empty, out)
}

fn gate_extractor(f: &GateFailure) -> &str {
    match f {
        GateFailure::MinF1 { extractor, .. }
        | GateFailure::Regression { extractor, .. }
        | GateFailure::NotRun { extractor, .. } => extractor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, Prediction, Span};
    use crate::extract::{builtin, from_fn, Extractor};
    use crate::gate::{Gates, MinF1};

    #[test]
    fn the_report_put_together_is_the_one_quick_junit_writes_whole() {
        let corpus = Corpus::open(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")).unwrap();
        let baseline = builtin("baseline").unwrap();
        let flaky = from_fn("flaky", |article| {
            if article.text.len() % 3 == 0 {
                return Err("no <answer> & \"none\"\u{7}\n]]>");
            }
            Ok(vec![Prediction::at(Span::new(0, 10))])
        });
        let extractors: Vec<&dyn Extractor> = vec![baseline.as_ref(), &flaky];
        let result = crate::run::run(&corpus, &extractors, &Default::default(), &mut |_| {});
        let gates = crate::gate::check(
            &result,
            &Gates {
                min_f1: vec![MinF1 {
                    criterion: Criterion::Content,
                    min: 0.9,
                }],
                ..Gates::default()
            },
        );
        assert!(!gates.failures.is_empty());
        let verdicts = Verdicts::new(&gates, None);
        let mut whole = Report::new("quotecheck");
        for e in &result.extractors {
            let mut suite = TestSuite::new(e.name.as_str());
            for a in &e.articles {
                suite.add_test_case(verdicts.case(&e.name, &CaseData::of(a)));
            }
            suite.add_test_case(last_case(&result, &e.name, &e.status(), &gates, false));
            whole.add_test_suite(suite);
        }
        let mut expected = whole.to_string().unwrap();
        expected.push('\n');
        let mut written = Vec::new();
        write(&result, &gates, None, false, &mut written).unwrap();
        let written = String::from_utf8(written).unwrap();
        assert!(written.contains("failures=\""), "{written}");
        assert!(written.contains("&lt;answer&gt; &amp;"), "{written}");
        assert_eq!(written, expected);
    }
}
