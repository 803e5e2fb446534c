//! Extractors: the one trait every source of predictions implements.
//!
//! The runner knows only [`Extractor`]. Saved outputs ([`Replay`]), worker
//! processes, HTTP endpoints and in-process Rust code are all adapters
//! behind it. This stage turns articles into resolved predictions; it knows
//! nothing of gold, matching or scores.
//!
//! Two errors, two scopes: a [`Failure`] fails one article and is data in
//! the results; [`Unavailable`] ([`Extractor::check`]) says the extractor as
//! a whole cannot start, and keeps its adapter's typed reason and a hint.

pub mod baseline;
mod cache;
pub mod chat;
pub mod http;
mod replay;
mod usage;
pub mod worker;

use std::borrow::Cow;
use std::error::Error;
use std::fmt;
use std::sync::Arc;

pub use cache::{Cache, STATE_DIR};
pub use chat::Chat;
pub use http::Http;
pub use replay::{Replay, ReplayError};
pub use usage::{Latency, Price, Usage};
pub use worker::{Handshake, Worker};

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

impl FailureKind {
    /// Whether the extractor itself decided this failure, so the same
    /// article and extractor fail the same way every time: an error it
    /// reported, output it wrote that cannot be read, or an article a replay
    /// lacks. Only these are kept in snapshots (docs/snapshots.md, "Failures");
    /// a time-out, a crash, an oversized output or an unavailable extractor
    /// depends on the machine and always fails the run.
    pub fn is_deterministic(self) -> bool {
        matches!(
            self,
            FailureKind::Error | FailureKind::InvalidOutput | FailureKind::Missing
        )
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

impl From<Unavailable> for Failure {
    /// The failure of an article that an unavailable extractor cannot
    /// answer: kind `unavailable`, with the same message.
    fn from(unavailable: Unavailable) -> Failure {
        Failure::new(FailureKind::Unavailable, unavailable.to_string())
    }
}

/// Why an extractor cannot start: the error of [`Extractor::check`].
///
/// The message is the reason's, unchanged: the adapter's own error (a
/// worker's [`worker::SpawnError`], an endpoint's [`http::EndpointError`])
/// or a plain message. The reason stays typed behind
/// [`Unavailable::reason`], and what to do next is [`Unavailable::hint`],
/// apart from the message, so each report shows it where hints go.
///
/// ```
/// use quotecheck::extract::Unavailable;
///
/// let why = Unavailable::new("the model file models/small.bin is missing")
///     .with_hint("download it with `make models`");
/// assert_eq!(why.to_string(), "the model file models/small.bin is missing");
/// assert_eq!(why.hint(), Some("download it with `make models`"));
/// ```
#[derive(Clone, Debug)]
pub struct Unavailable {
    /// Shared, so that an adapter can keep the reason and hand it out on
    /// every check.
    reason: Arc<dyn Error + Send + Sync>,
    hint: Option<Cow<'static, str>>,
}

impl Unavailable {
    /// Unavailable because of `reason`: any error, or a message (`&str`,
    /// `String`).
    pub fn new(reason: impl Into<Box<dyn Error + Send + Sync>>) -> Unavailable {
        Unavailable {
            reason: Arc::from(reason.into()),
            hint: None,
        }
    }

    /// The same, with what to do next.
    pub fn with_hint(mut self, hint: impl Into<Cow<'static, str>>) -> Unavailable {
        self.hint = Some(hint.into());
        self
    }

    /// What to do next, if the extractor said.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The reason, to downcast to the adapter's error type (for example
    /// [`worker::SpawnError`]).
    pub fn reason(&self) -> &(dyn Error + Send + Sync + 'static) {
        &*self.reason
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.reason, f)
    }
}

/// Transparent: the message is the reason's, so the chain goes on with the
/// reason's own source.
impl Error for Unavailable {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.reason.source()
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

    /// Everything that can change the extractor's output, as one string,
    /// for the output cache; `None` (the default) means "never cache".
    /// Two extractors with the same fingerprint must answer alike.
    fn fingerprint(&self) -> Option<String> {
        None
    }

    /// Whether the extractor can start (a worker's or an endpoint's
    /// handshake); the error says why not. `quotecheck extractors` calls it.
    ///
    /// The error is [`Unavailable`] rather than a [`Failure`]: a check has
    /// one thing to say — the extractor as a whole cannot start — while a
    /// `Failure` is about one article and has kinds (a time-out, an invalid
    /// output) that a check cannot mean. `Unavailable` keeps the adapter's
    /// typed reason and a hint, and turns into the `Failure` of kind
    /// `unavailable` with the same message (`Failure::from`) for the
    /// articles such an extractor cannot answer.
    fn check(&self) -> Result<(), Unavailable> {
        Ok(())
    }

    /// The batch hook: called with each batch of articles (up to 64, in
    /// corpus order) before `extract` is called for each of them, so an
    /// extractor that works best on many articles at once — a model on a
    /// GPU, a remote service with a batch endpoint — can start on all of
    /// them and answer `extract` from what it prepared. The default does
    /// nothing. Results must not depend on it: `extract` still answers for
    /// one article.
    fn prefetch(&self, articles: &[&Article]) {
        let _ = articles;
    }

    /// Called once after a run: problems that concern the extractor as a
    /// whole rather than one article (for example replay entries for
    /// articles that are not in the corpus; `in_corpus` tells which ids the
    /// corpus has).
    fn finish(&self, in_corpus: &dyn Fn(&str) -> bool) -> Vec<Issue> {
        let _ = in_corpus;
        Vec::new()
    }

    /// What answering cost over the run (tokens, money, time), for an
    /// extractor that is told; called once after the run. The default,
    /// `None`, is for extractors without such costs.
    fn usage(&self) -> Option<Usage> {
        None
    }

    /// Whether the extractor gives the same output every time it is asked
    /// about the same article (saved predictions, a rule-based extractor):
    /// `--repeat` then runs it once. The default, `false`, is for
    /// extractors that may answer differently each time (models, workers,
    /// endpoints), which `--repeat` asks again.
    fn deterministic(&self) -> bool {
        false
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
    fn fingerprint(&self) -> Option<String> {
        (**self).fingerprint()
    }
    fn check(&self) -> Result<(), Unavailable> {
        (**self).check()
    }
    fn prefetch(&self, articles: &[&Article]) {
        (**self).prefetch(articles)
    }
    fn finish(&self, in_corpus: &dyn Fn(&str) -> bool) -> Vec<Issue> {
        (**self).finish(in_corpus)
    }
    fn usage(&self) -> Option<Usage> {
        (**self).usage()
    }
    fn deterministic(&self) -> bool {
        (**self).deterministic()
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
    fn fingerprint(&self) -> Option<String> {
        (**self).fingerprint()
    }
    fn check(&self) -> Result<(), Unavailable> {
        (**self).check()
    }
    fn prefetch(&self, articles: &[&Article]) {
        (**self).prefetch(articles)
    }
    fn finish(&self, in_corpus: &dyn Fn(&str) -> bool) -> Vec<Issue> {
        (**self).finish(in_corpus)
    }
    fn usage(&self) -> Option<Usage> {
        (**self).usage()
    }
    fn deterministic(&self) -> bool {
        (**self).deterministic()
    }
}

/// An extractor made from a closure; see [`from_fn`].
pub struct FnExtractor<F> {
    name: String,
    version: Option<String>,
    f: F,
}

/// Turns a closure into an extractor, so a Rust extractor is tested in a
/// few lines. An `Err` fails the article with status `error`.
///
/// ```
/// use quotecheck::corpus::{Prediction, Span};
/// use quotecheck::extract::{from_fn, Extractor};
///
/// // Every article's first sentence is a quote.
/// let first_sentence = from_fn("first-sentence", |article| {
///     let end = article.text.find('.').ok_or("no sentence")?;
///     Ok::<_, &str>(vec![Prediction::at(Span::new(0, end))])
/// });
/// assert_eq!(first_sentence.name(), "first-sentence");
/// ```
pub fn from_fn<F, E>(name: impl Into<String>, f: F) -> FnExtractor<F>
where
    F: Fn(&Article) -> Result<Vec<Prediction>, E> + Send + Sync,
    E: fmt::Display,
{
    FnExtractor {
        name: name.into(),
        version: None,
        f,
    }
}

impl<F> FnExtractor<F> {
    /// Gives the extractor a version for reports.
    pub fn with_version(mut self, version: impl Into<String>) -> FnExtractor<F> {
        self.version = Some(version.into());
        self
    }
}

impl<F, E> Extractor for FnExtractor<F>
where
    F: Fn(&Article) -> Result<Vec<Prediction>, E> + Send + Sync,
    E: fmt::Display,
{
    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        (self.f)(article)
            .map(Output::from)
            .map_err(|e| Failure::new(FailureKind::Error, e.to_string()))
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// Cached only when a version says when the closure changes.
    fn fingerprint(&self) -> Option<String> {
        let v = self.version.as_ref()?;
        Some(format!(
            "fn\0{}\0{v}\0quotecheck {}",
            self.name,
            env!("CARGO_PKG_VERSION")
        ))
    }
}

/// An extractor under another name (for example a built-in configured as
/// `[extractors.rules] builtin = "baseline"`).
pub struct Renamed<E> {
    name: String,
    inner: E,
}

impl<E: Extractor> Renamed<E> {
    /// `inner`, reported as `name`.
    pub fn new(name: impl Into<String>, inner: E) -> Renamed<E> {
        Renamed {
            name: name.into(),
            inner,
        }
    }
}

impl<E: Extractor> Extractor for Renamed<E> {
    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        self.inner.extract(article)
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn version(&self) -> Option<&str> {
        self.inner.version()
    }
    fn fingerprint(&self) -> Option<String> {
        self.inner.fingerprint()
    }
    fn check(&self) -> Result<(), Unavailable> {
        self.inner.check()
    }
    fn prefetch(&self, articles: &[&Article]) {
        self.inner.prefetch(articles)
    }
    fn finish(&self, in_corpus: &dyn Fn(&str) -> bool) -> Vec<Issue> {
        self.inner.finish(in_corpus)
    }
    fn usage(&self) -> Option<Usage> {
        self.inner.usage()
    }
    fn deterministic(&self) -> bool {
        self.inner.deterministic()
    }
}

/// The names of the built-in extractors, as `builtin = "…"` and
/// `--extractor` take them. The first is the default.
pub const BUILTINS: &[&str] = &["baseline"];

/// A new built-in extractor of kind `kind`, if there is one.
pub fn builtin(kind: &str) -> Option<Box<dyn Extractor>> {
    match kind {
        "baseline" => Some(Box::new(baseline::Baseline::new())),
        _ => None,
    }
}

/// Why a name cannot name an extractor; see [`check_name`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The name is empty, `.` or `..`.
    #[error("extractor name {name:?} is not allowed")]
    Reserved {
        /// The name.
        name: String,
    },
    /// The name holds a character other than `[A-Za-z0-9._-]`.
    #[error("extractor name {name:?} contains {found:?}: names become file names, so use only letters A-Z a-z, digits, `.`, `_` and `-`")]
    Character {
        /// The name.
        name: String,
        /// The first character that is not allowed.
        found: char,
    },
}

/// Whether `name` can name an extractor: it becomes a folder name
/// (`snapshots/<extractor>/`), so only `[A-Za-z0-9._-]`, not `.` or `..`.
pub fn check_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() || name == "." || name == ".." {
        return Err(NameError::Reserved { name: name.into() });
    }
    if let Some(found) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(NameError::Character {
            name: name.into(),
            found,
        });
    }
    Ok(())
}
