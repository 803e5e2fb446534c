//! Gates: the conditions under which a run fails, for CI.
//!
//! A gate reads a [`RunResult`] (and, for `--baseline`, a previous JSON
//! report) and says whether the run passes. It sits after the runner and
//! before the reports, which show its outcome; it never scores.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::run::{ExtractorStatus, RunResult};
use crate::score::{Counts, Criterion};

/// `--min-f1 [CRITERION=]X`: every extractor's micro F1 for the criterion
/// must be at least X.
///
/// CRITERION is named as the reports name it: `content`, `end-to-end`,
/// `cue` or `kind`. `attribution`, the end-to-end criterion's key in the
/// JSON report, is accepted for it too.
///
/// ```
/// use quotecheck::gate::MinF1;
/// use quotecheck::score::Criterion;
///
/// let gate: MinF1 = "end-to-end=0.6".parse().unwrap();
/// assert_eq!(gate, MinF1 { criterion: Criterion::Attribution, min: 0.6 });
/// assert_eq!("attribution=0.6".parse::<MinF1>().unwrap(), gate);
/// assert_eq!("0.6".parse::<MinF1>().unwrap(), gate);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MinF1 {
    /// Which figure (default: the end-to-end F1, [`Criterion::Attribution`]).
    pub criterion: Criterion,
    /// The lowest acceptable F1, in [0, 1].
    pub min: f64,
}

/// Why a `--min-f1` value is not `[CRITERION=]X`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MinF1Error {
    /// The criterion is not one of the four.
    #[error("unknown criterion {0:?}: use content, end-to-end, cue or kind")]
    Criterion(String),
    /// The value is not a number.
    #[error("{0:?} is not a number")]
    NotANumber(String),
    /// The value is outside [0, 1].
    #[error("{0} is not between 0 and 1")]
    OutOfRange(f64),
}

impl std::str::FromStr for MinF1 {
    type Err = MinF1Error;

    fn from_str(s: &str) -> Result<MinF1, MinF1Error> {
        let (criterion, value) = match s.split_once('=') {
            Some((c, v)) => {
                // A criterion answers to the name people read (`label`)
                // and to its key in the JSON report (`as_str`).
                let criterion = Criterion::ALL
                    .into_iter()
                    .find(|k| label(*k) == c || k.as_str() == c)
                    .ok_or_else(|| MinF1Error::Criterion(c.to_string()))?;
                (criterion, v)
            }
            None => (Criterion::Attribution, s),
        };
        let min: f64 = value
            .parse()
            .map_err(|_| MinF1Error::NotANumber(value.to_string()))?;
        if !(0.0..=1.0).contains(&min) {
            return Err(MinF1Error::OutOfRange(min));
        }
        Ok(MinF1 { criterion, min })
    }
}

/// A previous run's figures, read from its JSON report.
#[derive(Clone, Debug)]
pub struct Baseline {
    /// The report it was read from.
    pub path: String,
    report: BaselineReport,
}

/// The JSON report schema a baseline is read in (docs/report-json.md).
const SCHEMA: u64 = 1;

/// What a gate reads of a JSON report: per extractor, its micro counts and
/// each article's end-to-end counts. The rest of the report is not read,
/// so the gate does not depend on the report stage that writes it.
#[derive(Clone, Debug, serde::Deserialize)]
struct BaselineReport {
    extractors: Vec<BaselineExtractor>,
}

#[derive(Clone, Debug, serde::Deserialize)]
struct BaselineExtractor {
    name: String,
    /// `null` when the extractor did not run in the baseline.
    #[serde(default)]
    micro: Option<crate::score::PerCriterion<BaselineCounts>>,
    #[serde(default)]
    articles: Vec<BaselineArticle>,
}

#[derive(Clone, Debug, serde::Deserialize)]
struct BaselineArticle {
    id: String,
    attribution: BaselineCounts,
}

#[derive(Clone, Copy, Debug, serde::Deserialize)]
struct BaselineCounts {
    tp: u64,
    fp: u64,
    #[serde(rename = "fn")]
    fn_: u64,
}

impl From<BaselineCounts> for Counts {
    fn from(c: BaselineCounts) -> Counts {
        Counts {
            tp: c.tp,
            fp: c.fp,
            fn_: c.fn_,
        }
    }
}

impl BaselineReport {
    fn read(bytes: &[u8]) -> Result<BaselineReport, BaselineProblem> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(BaselineProblem::NotJson)?;
        match value.get("schema").and_then(serde_json::Value::as_u64) {
            Some(SCHEMA) => {}
            Some(s) => return Err(BaselineProblem::Schema(s)),
            None => return Err(BaselineProblem::NoSchema),
        }
        serde_json::from_value(value).map_err(BaselineProblem::Layout)
    }
}

/// A baseline report that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("cannot use {path} as a baseline: {reason}")]
pub struct BaselineError {
    /// The file.
    pub path: String,
    /// Why.
    pub reason: BaselineProblem,
}

impl BaselineError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        "give the JSON report of an earlier `quotecheck run --json`"
    }
}

/// Why a file is not a baseline.
#[derive(Debug, thiserror::Error)]
pub enum BaselineProblem {
    /// It cannot be read.
    #[error("{0}")]
    Read(std::io::Error),
    /// It is not JSON.
    #[error("not JSON: {0}")]
    NotJson(serde_json::Error),
    /// It has another schema version.
    #[error("it has schema {0}; this quotecheck reads schema {SCHEMA}")]
    Schema(u64),
    /// It has no `schema`.
    #[error("it is not a quotecheck JSON report (no `schema`)")]
    NoSchema,
    /// Its keys are not a report's.
    #[error("it does not have the layout of a report: {0}")]
    Layout(serde_json::Error),
}

impl Baseline {
    /// Reads a JSON report written by `quotecheck run --json`.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let display = path.display().to_string();
        let err = |reason: BaselineProblem| BaselineError {
            path: display.clone(),
            reason,
        };
        let bytes = std::fs::read(path).map_err(|e| err(BaselineProblem::Read(e)))?;
        let report = BaselineReport::read(&bytes).map_err(err)?;
        Ok(Baseline {
            path: display,
            report,
        })
    }

    fn extractor(&self, name: &str) -> Option<&BaselineExtractor> {
        self.report.extractors.iter().find(|e| e.name == name)
    }
}

/// What the gates check.
#[derive(Clone, Debug, Default)]
pub struct Gates {
    /// Minimum F1 per criterion.
    pub min_f1: Vec<MinF1>,
    /// A previous run to compare with.
    pub baseline: Option<Baseline>,
    /// How much a micro F1 may drop below the baseline's before failing.
    pub tolerance: f64,
    /// Whether a whole run that scores no article may pass (`--allow-empty`);
    /// by default it is bad input (docs/ci.md).
    pub allow_empty: bool,
}

impl Gates {
    /// Whether any gate is set (`--min-f1`, `--baseline`).
    pub fn any(&self) -> bool {
        !self.min_f1.is_empty() || self.baseline.is_some()
    }
}

/// An article whose end-to-end F1 dropped against the baseline.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct WorseArticle {
    /// The article.
    pub id: String,
    /// Its end-to-end F1 in the baseline.
    pub before: f64,
    /// Its end-to-end F1 now.
    pub after: f64,
}

/// One gate that failed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "gate", rename_all = "kebab-case")]
pub enum GateFailure {
    /// A micro F1 below `--min-f1`.
    MinF1 {
        /// The extractor.
        extractor: String,
        /// The criterion.
        criterion: Criterion,
        /// Its micro F1.
        f1: f64,
        /// The minimum asked for.
        min: f64,
    },
    /// A micro F1 that dropped more than the tolerance below the baseline.
    Regression {
        /// The extractor.
        extractor: String,
        /// The criterion.
        criterion: Criterion,
        /// The baseline's micro F1.
        before: f64,
        /// The micro F1 now.
        after: f64,
        /// The articles whose end-to-end F1 dropped, worst drop first.
        worse: Vec<WorseArticle>,
    },
    /// An extractor that did not run (it could not start, or failed on
    /// every article): no gate passes on it.
    NotRun {
        /// The extractor.
        extractor: String,
        /// `unavailable` or `failed`.
        status: &'static str,
        /// Why.
        error: String,
    },
}

impl fmt::Display for GateFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateFailure::MinF1 {
                extractor,
                criterion,
                f1,
                min,
            } => {
                write!(
                    f,
                    "{extractor}: {} F1 {f1:.3} is below the minimum {min:.3}",
                    label(*criterion)
                )
            }
            GateFailure::Regression {
                extractor,
                criterion,
                before,
                after,
                worse,
            } => {
                write!(
                    f,
                    "{extractor}: {} F1 dropped from {before:.3} to {after:.3} ({:+.3})",
                    label(*criterion),
                    after - before
                )?;
                if !worse.is_empty() {
                    write!(f, "; {} article(s) got worse", worse.len())?;
                }
                Ok(())
            }
            GateFailure::NotRun {
                extractor,
                status,
                error,
            } => {
                let what = if *status == "failed" {
                    "failed on every article"
                } else {
                    *status
                };
                write!(
                    f,
                    "{extractor}: did not run, so no gate passes on it ({what}: {error})"
                )
            }
        }
    }
}

/// How criteria are named for people.
pub fn label(c: Criterion) -> &'static str {
    match c {
        Criterion::Attribution => "end-to-end",
        other => other.as_str(),
    }
}

/// The outcome of the gates.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct GateOutcome {
    /// The gates that failed.
    pub failures: Vec<GateFailure>,
    /// Remarks that do not fail the run (an extractor the baseline lacks).
    pub notes: Vec<String>,
    /// Per extractor and criterion: the baseline's micro F1, when there is one.
    #[serde(skip)]
    pub before: BTreeMap<(String, Criterion), f64>,
    /// Per extractor: articles whose end-to-end F1 dropped against the baseline.
    #[serde(skip)]
    pub worse: BTreeMap<String, Vec<WorseArticle>>,
    /// How many extractors the gates were applied to: those that ran on
    /// some article. With none, nothing passed (reports say "not checked").
    #[serde(skip)]
    pub checked: usize,
}

impl GateOutcome {
    /// Whether every gate passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Checks `result` against `gates`.
pub fn check(result: &RunResult, gates: &Gates) -> GateOutcome {
    let mut out = GateOutcome::default();
    for e in &result.extractors {
        match e.status() {
            ExtractorStatus::Ran => {}
            ExtractorStatus::NothingScored => {
                if gates.any() {
                    out.notes
                        .push(format!("{}: nothing scored, gates not checked", e.name));
                }
                continue;
            }
            status => {
                if gates.any() {
                    out.failures.push(GateFailure::NotRun {
                        extractor: e.name.clone(),
                        status: status.as_str(),
                        error: status.error().unwrap_or_default().to_string(),
                    });
                }
                continue;
            }
        }
        out.checked += 1;
        for g in &gates.min_f1 {
            let f1 = e.totals.micro(g.criterion).f1;
            if f1 < g.min {
                out.failures.push(GateFailure::MinF1 {
                    extractor: e.name.clone(),
                    criterion: g.criterion,
                    f1,
                    min: g.min,
                });
            }
        }
        let Some(baseline) = &gates.baseline else {
            continue;
        };
        let Some(b) = baseline.extractor(&e.name) else {
            out.notes.push(format!(
                "{}: not in the baseline {}, not compared",
                e.name, baseline.path
            ));
            continue;
        };
        let Some(micro) = &b.micro else {
            out.notes.push(format!(
                "{}: did not run in the baseline {}, not compared",
                e.name, baseline.path
            ));
            continue;
        };
        let by_id: std::collections::HashMap<&str, Counts> = b
            .articles
            .iter()
            .map(|x| (x.id.as_str(), Counts::from(x.attribution)))
            .collect();
        let mut worse: Vec<WorseArticle> = e
            .articles
            .iter()
            .filter_map(|a| {
                let before = by_id.get(a.id.as_str())?.f1();
                let after = a.score.counts(Criterion::Attribution).f1();
                (after < before).then(|| WorseArticle {
                    id: a.id.clone(),
                    before,
                    after,
                })
            })
            .collect();
        worse.sort_by(|x, y| {
            (x.after - x.before)
                .total_cmp(&(y.after - y.before))
                .then_with(|| x.id.cmp(&y.id))
        });
        for c in Criterion::ALL {
            let before = Counts::from(micro[c]).f1();
            let after = e.totals.micro(c).f1;
            out.before.insert((e.name.clone(), c), before);
            // The figures are ratios of integers: compare with a margin far
            // below anything a report shows, so equal counts never fail.
            if before - after > gates.tolerance + 1e-12 {
                out.failures.push(GateFailure::Regression {
                    extractor: e.name.clone(),
                    criterion: c,
                    before,
                    after,
                    worse: worse.clone(),
                });
            }
        }
        out.worse.insert(e.name.clone(), worse);
    }
    out
}
