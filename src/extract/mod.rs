//! Extractors: the one trait every source of predictions implements.
//!
//! The runner knows only [`Extractor`]. Saved outputs ([`Replay`]), worker
//! processes, HTTP endpoints and in-process Rust code are all adapters
//! behind it. This stage turns articles into resolved predictions; it knows
//! nothing of gold, matching or scores.

pub mod baseline;
mod replay;

use std::fmt;

pub use replay::{Replay, ReplayError};

use crate::corpus::{Article, Issue, Prediction};

/// What an extractor returned for one article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// One prediction per record returned; none is dropped.
    pub quotes: Vec<Prediction>,
    /// Problems in individual records (the records still count).
    pub issues: Vec<Issue>,
}

impl From<Vec<Prediction>> for Output {
    fn from(quotes: Vec<Prediction>) -> Output {
        Output {
            quotes,
            issues: Vec::new(),
        }
    }
}

/// How an extractor failed on an article. The names are those of the
/// `status` field of the JSON report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The extractor reported an error for the article.
    Error,
    /// No answer within the time-out.
    Timeout,
    /// The extractor process exited or crashed.
    Crashed,
    /// The output could not be read as predictions.
    InvalidOutput,
    /// The output was larger than the configured limit.
    OutputTooLarge,
    /// A replay has no output for the article.
    Missing,
    /// The extractor could not be started at all.
    Unavailable,
}

impl FailureKind {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Error => "error",
            FailureKind::Timeout => "timeout",
            FailureKind::Crashed => "crashed",
            FailureKind::InvalidOutput => "invalid-output",
            FailureKind::OutputTooLarge => "output-too-large",
            FailureKind::Missing => "missing",
            FailureKind::Unavailable => "unavailable",
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An extractor's failure on one article: the article is scored as if the
/// extractor returned nothing, and the failure is listed in every report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// What happened, for people.
    pub message: String,
    /// Problems found on the way (for example the records of an unreadable output).
    pub issues: Vec<Issue>,
}

impl Failure {
    /// A failure of `kind` with `message`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
            issues: Vec::new(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

/// A source of predicted quotes.
///
/// One method is required; `name` and `version` have defaults and go into
/// reports (and, later, cache keys).
pub trait Extractor: Send + Sync {
    /// The predictions for one article, or why there are none.
    fn extract(&self, article: &Article) -> Result<Output, Failure>;

    /// A short name for reports. Must be a safe file name.
    fn name(&self) -> &str {
        "extractor"
    }

    /// The extractor's version, if it has one.
    fn version(&self) -> Option<&str> {
        None
    }

    /// Problems that concern the extractor as a whole rather than one
    /// article, known after a run (for example replay entries for articles
    /// that are not in the corpus).
    fn finish(&self) -> Vec<Issue> {
        Vec::new()
    }
}

impl<E: Extractor + ?Sized> Extractor for &E {
    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        (**self).extract(article)
    }
    fn name(&self) -> &str {
        (**self).name()
    }
    fn version(&self) -> Option<&str> {
        (**self).version()
    }
    fn finish(&self) -> Vec<Issue> {
        (**self).finish()
    }
}

impl<E: Extractor + ?Sized> Extractor for Box<E> {
    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        (**self).extract(article)
    }
    fn name(&self) -> &str {
        (**self).name()
    }
    fn version(&self) -> Option<&str> {
        (**self).version()
    }
    fn finish(&self) -> Vec<Issue> {
        (**self).finish()
    }
}

/// Whether `name` can name an extractor: it becomes a folder name
/// (`snapshots/<extractor>/`), so only `[A-Za-z0-9._-]`, not `.` or `..`.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name == "." || name == ".." {
        return Err(format!("extractor name {name:?} is not allowed"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!(
            "extractor name {name:?} contains {c:?}: names become file names, so use only letters A-Z a-z, digits, `.`, `_` and `-`"
        ));
    }
    Ok(())
}
