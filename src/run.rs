//! The runner: pairs each article of a corpus with its gold, asks each
//! extractor for predictions, scores them, and emits [`RunEvent`]s.
//!
//! It sits after the scoring stages and before the reports: it calls
//! `corpus`, `extract` and `score`, and reports consume what it emits. It
//! prints nothing itself.

use std::collections::HashSet;
use std::time::Instant;

use rayon::prelude::*;

use crate::align::Scheme;
use crate::corpus::{hash_id, Article, Closest, Corpus, Issue, Item, Prediction, Status};
use crate::extract::{Cache, Extractor, Failure, FailureKind, Output};
use crate::score::{score_article, ArticleScore, Criterion, Totals};

/// What a run is asked to do.
#[derive(Clone, Debug, Default)]
pub struct RunSettings {
    /// How content is matched.
    pub scheme: Scheme,
    /// Score `draft` gold too.
    pub include_drafts: bool,
    /// Which articles to score.
    pub selection: Selection,
    /// How many articles to score at once; 0 means one per core.
    pub jobs: usize,
    /// Where to keep extractor outputs; `None` runs every extractor afresh.
    pub cache: Option<Cache>,
    /// Which per-article results the [`RunResult`] keeps.
    pub keep: Keep,
    /// Whether the annotated articles are scored, or the unannotated ones
    /// are given to the extractors (and scored against no gold).
    pub articles: Articles,
}

/// Which articles a run gives its extractors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Articles {
    /// The articles with gold (and drafts, with `include_drafts`): a
    /// scoring run.
    #[default]
    Annotated,
    /// Only the articles without gold, each scored against no gold (every
    /// prediction a false positive): for comparing extractors with each
    /// other where there is no gold.
    Unannotated,
}

/// Which per-article results a run keeps in its [`RunResult`]. Events see
/// every article whatever is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Keep {
    /// Every article's result, with its predictions and pairing: what the
    /// JSON and JUnit reports, the baseline gate and `compare` need. Memory
    /// grows with the corpus.
    #[default]
    All,
    /// Per extractor, the failed articles and the `n` articles with the
    /// lowest end-to-end F1 below 1 (ties by id) — what the terminal and
    /// Markdown reports list — and only counts of the others
    /// ([`ExtractorResult::dropped`]). Memory stays flat however large the
    /// corpus is.
    Worst(usize),
}

/// The outcome of one extractor on one article.
#[derive(Clone, Debug)]
pub struct ArticleResult {
    /// The article id.
    pub id: String,
    /// The article's place in the corpus (0 for the first), so that the
    /// results of several shards can be put back in corpus order.
    pub position: usize,
    /// `None` when the extractor answered; the failure otherwise. A failed
    /// article is scored as if the extractor returned no quotes.
    pub failure: Option<Failure>,
    /// Wall-clock time of the extraction, in milliseconds.
    pub elapsed_ms: u64,
    /// Whether the output came from the cache.
    pub cached: bool,
    /// What the extractor returned (empty when it failed).
    pub predictions: Vec<Prediction>,
    /// Its figures.
    pub score: ArticleScore,
    /// Problems in the extractor's records for this article.
    pub issues: Vec<Issue>,
    /// The ids of the article's gold records, in file order (the alignment
    /// refers to gold records by index).
    pub gold_ids: Vec<String>,
}

impl ArticleResult {
    /// `ok`, or the kind of failure.
    pub fn status(&self) -> &'static str {
        self.failure.as_ref().map_or("ok", |f| f.kind.as_str())
    }
}

/// Everything one extractor did in a run.
#[derive(Clone, Debug)]
pub struct ExtractorResult {
    /// Its name.
    pub name: String,
    /// Its version, if it gives one.
    pub version: Option<String>,
    /// Totals over its scored articles.
    pub totals: Totals,
    /// One result per scored article, in corpus order.
    pub articles: Vec<ArticleResult>,
    /// Problems about the extractor as a whole (for example replay entries
    /// for articles that are not in the corpus).
    pub issues: Vec<Issue>,
    /// The scored articles not in `articles` ([`Keep::Worst`]).
    pub dropped: Dropped,
}

/// What is known of the scored articles whose results a run did not keep
/// ([`Keep::Worst`]): they count in the totals, and here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    /// How many.
    pub articles: usize,
    /// How many had an end-to-end F1 below 1.
    pub below_one: usize,
    /// Problems in the extractor's records for them.
    pub record_issues: usize,
}

impl ExtractorResult {
    /// The articles it failed on.
    pub fn failures(&self) -> impl Iterator<Item = &ArticleResult> {
        self.articles.iter().filter(|a| a.failure.is_some())
    }

    /// Whether it ran: whether its figures mean anything.
    pub fn status(&self) -> ExtractorStatus {
        let answered = self.dropped.articles + self.articles.len() - self.failures().count();
        ExtractorStatus::of(answered, self.failures().filter_map(|a| a.failure.as_ref()))
    }
}

/// Whether an extractor ran, as its results show: an extractor that could
/// not start, or that failed on every article, has figures (every gold
/// quote missed) that say nothing about it, and reports show its status
/// instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtractorStatus {
    /// It answered on at least one article (`ok` in the JSON report).
    Ran,
    /// No article was given to it: the run scored nothing
    /// (`nothing-scored`).
    NothingScored,
    /// It could not be started — a worker that does not start, an
    /// endpoint that does not answer its handshake — and answered on no
    /// article (`unavailable`). The failure's message says why.
    Unavailable(String),
    /// It failed on every article it was given (`failed`); the first
    /// failure, as `kind: message`.
    Failed(String),
}

impl ExtractorStatus {
    /// The status of an extractor that answered on `answered` articles
    /// and failed on the articles of `failures`.
    pub fn of<'a>(answered: usize, failures: impl IntoIterator<Item = &'a Failure>) -> Self {
        let mut first: Option<&Failure> = None;
        let mut unavailable: Option<&Failure> = None;
        for f in failures {
            first.get_or_insert(f);
            if f.kind == FailureKind::Unavailable && unavailable.is_none() {
                unavailable = Some(f);
            }
        }
        match (answered, unavailable, first) {
            (0, Some(u), _) => ExtractorStatus::Unavailable(u.message.clone()),
            (0, None, Some(f)) => ExtractorStatus::Failed(format!("{}: {}", f.kind, f.message)),
            (0, None, None) => ExtractorStatus::NothingScored,
            _ => ExtractorStatus::Ran,
        }
    }

    /// The `status` of the JSON reports: `ok`, `nothing-scored`,
    /// `unavailable` or `failed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ExtractorStatus::Ran => "ok",
            ExtractorStatus::NothingScored => "nothing-scored",
            ExtractorStatus::Unavailable(_) => "unavailable",
            ExtractorStatus::Failed(_) => "failed",
        }
    }

    /// Why it did not run, when it could not start or failed everywhere.
    pub fn error(&self) -> Option<&str> {
        match self {
            ExtractorStatus::Unavailable(why) | ExtractorStatus::Failed(why) => Some(why),
            _ => None,
        }
    }

    /// Whether it answered on some article, so that its figures and gates
    /// mean something.
    pub fn ran(&self) -> bool {
        *self == ExtractorStatus::Ran
    }

    /// Whether it was given articles and answered on none of them.
    pub fn did_not_run(&self) -> bool {
        self.error().is_some()
    }
}

/// An article that could not be loaded from the corpus.
#[derive(Clone, Debug)]
pub struct BrokenArticle {
    /// The id as found.
    pub id: String,
    /// Why it could not be loaded.
    pub issues: Vec<Issue>,
}

/// What the run found in the corpus.
#[derive(Clone, Debug, Default)]
pub struct CorpusSummary {
    /// The corpus path as given.
    pub path: String,
    /// Every article found, scored or not.
    pub articles: usize,
    /// Articles scored.
    pub scored: usize,
    /// Articles without gold (not scored).
    pub unannotated: usize,
    /// Articles with `draft` gold not scored (without `--include-drafts`).
    pub drafts_skipped: usize,
    /// Articles that could not be loaded (not scored).
    pub broken: Vec<BrokenArticle>,
    /// Articles left out by the selection (`--articles`, `--rerun-failed`).
    pub not_selected: usize,
    /// Articles that belong to other shards (`--shard`).
    pub other_shards: usize,
    /// How each `--articles` pattern was read, in the order given (empty
    /// without patterns, and in results read back from JSON reports).
    pub patterns: Vec<PatternMatches>,
    /// Of `not_selected`, the articles no pattern matched.
    pub not_matched: usize,
    /// With a list of ids to score ([`Selection::ids`], the failures of
    /// the last run for `--rerun-failed`), how many it holds.
    pub listed: Option<usize>,
}

/// What one `--articles` pattern matched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatternMatches {
    /// The pattern as given.
    pub pattern: String,
    /// How many articles it was matched against (those of this shard).
    pub against: usize,
    /// How many it matched.
    pub matched: usize,
    /// When it matched none: the ids closest to it
    /// ([`closest_ids`](crate::corpus::closest_ids)), for a "did you mean".
    pub closest: Vec<String>,
}

impl CorpusSummary {
    /// Why nothing was scored, when nothing was: what a run that must
    /// score something reports (docs/ci.md, exit code 2).
    pub fn nothing_scored(&self) -> Option<NothingScored<'_>> {
        (self.scored == 0).then_some(NothingScored { summary: self })
    }
}

/// Why a run scored no article, told from its corpus summary: how the
/// selection was read (each `--articles` pattern with the number of
/// articles it was matched against and the closest ids, the ids of
/// `--rerun-failed`), and what became of the articles it selected. Its
/// `Display` is the sentence a person reads.
#[derive(Clone, Copy, Debug)]
pub struct NothingScored<'a> {
    summary: &'a CorpusSummary,
}

impl NothingScored<'_> {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        "check the corpus path and the selection; --allow-empty accepts a run that scores nothing"
    }
}

/// `n thing` or `n things`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl std::fmt::Display for NothingScored<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "nothing was scored: {}", self.reason())
    }
}

impl NothingScored<'_> {
    /// Why, without the leading "nothing was scored: ".
    pub fn reason(&self) -> String {
        let mut out = String::new();
        self.write_reason(&mut out).expect("writing to a string");
        out
    }

    fn write_reason(&self, f: &mut dyn std::fmt::Write) -> std::fmt::Result {
        let c = self.summary;
        if c.articles == 0 {
            return write!(f, "{} holds no article", c.path);
        }
        let unmatched: Vec<&PatternMatches> =
            c.patterns.iter().filter(|p| p.matched == 0).collect();
        if !c.patterns.is_empty() && unmatched.len() == c.patterns.len() {
            // No pattern matched anything: that is the whole story.
            for (i, p) in unmatched.iter().enumerate() {
                if i > 0 {
                    write!(f, "; ")?;
                }
                write!(
                    f,
                    "--articles '{}' matched none of the {} of {}",
                    p.pattern,
                    count(p.against, "article", "articles"),
                    c.path
                )?;
                if !p.closest.is_empty() {
                    write!(f, " (did you mean {}?)", p.closest.join(", "))?;
                }
            }
            return Ok(());
        }
        let mut parts = Vec::new();
        if c.not_matched > 0 {
            let patterns: Vec<String> = c
                .patterns
                .iter()
                .map(|p| format!("'{}'", p.pattern))
                .collect();
            parts.push(format!(
                "{} not matched by --articles {}",
                c.not_matched,
                patterns.join(" or ")
            ));
        }
        let unlisted = c.not_selected.saturating_sub(c.not_matched);
        match (c.listed, unlisted) {
            (_, 0) => {}
            (Some(listed), _) => parts.push(format!(
                "{unlisted} not among the {} that failed in the last run (--rerun-failed)",
                count(listed, "article", "articles")
            )),
            (None, _) => parts.push(format!("{unlisted} not selected")),
        }
        if c.unannotated > 0 {
            parts.push(format!("{} no gold", count(c.unannotated, "has", "have")));
        }
        if c.drafts_skipped > 0 {
            parts.push(format!(
                "{} (--include-drafts scores them)",
                count(c.drafts_skipped, "is a draft", "are drafts")
            ));
        }
        if !c.broken.is_empty() {
            parts.push(format!(
                "{} be loaded (`quotecheck validate {}` says why)",
                count(c.broken.len(), "could not", "could not"),
                c.path
            ));
        }
        if c.other_shards > 0 {
            parts.push(format!("{} in other shards", c.other_shards));
        }
        write!(
            f,
            "{} has {}: {}",
            c.path,
            count(c.articles, "article", "articles"),
            parts.join(", ")
        )
    }
}

/// Everything a run produced: what every report is made from.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// The scheme content was matched with.
    pub scheme: Scheme,
    /// `(index, count)` when this run was one shard of several.
    pub shard: Option<(usize, usize)>,
    /// What was found in the corpus.
    pub corpus: CorpusSummary,
    /// One result per extractor, in the order given.
    pub extractors: Vec<ExtractorResult>,
}

/// What the runner reports while it works.
#[derive(Debug)]
pub enum RunEvent<'a> {
    /// An article is about to be given to an extractor.
    ArticleStarted {
        /// The extractor's name.
        extractor: &'a str,
        /// The article.
        article: &'a Article,
    },
    /// An article has been scored (failed articles included).
    ArticleDone {
        /// The extractor's name.
        extractor: &'a str,
        /// The article (its text and gold), for consumers that render it.
        article: &'a Article,
        /// Its outcome.
        result: &'a ArticleResult,
    },
    /// The corpus had an article that could not be loaded.
    ArticleBroken(&'a BrokenArticle),
    /// An article is not scored: unannotated, a draft, or not selected.
    ArticleSkipped,
    /// Every article has been scored.
    RunFinished(&'a RunResult),
}

/// Which articles of the corpus a run scores.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Glob patterns over article ids (`glob` crate syntax); an article is
    /// selected when it matches any. Empty: every article.
    pub patterns: Vec<glob::Pattern>,
    /// When set, only these ids (for example the failures of the last run).
    pub ids: Option<HashSet<String>>,
    /// When set, this run is one shard of several: only these ids, and the
    /// others are counted as belonging to other shards.
    pub shard: Option<Shard>,
}

/// One part of a corpus split for a CI matrix (`--shard K/N`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which part, from 1.
    pub index: usize,
    /// How many parts.
    pub count: usize,
    /// The ids of the articles in this part.
    pub ids: HashSet<String>,
}

impl Shard {
    /// Splits `corpus` into `count` parts of about equal text size and
    /// returns part `index` (1-based).
    ///
    /// Deterministic: articles are taken largest first (ties by id) and each
    /// goes to the part with the least text so far (ties to the lowest
    /// part), so every machine of a CI matrix computes the same split.
    ///
    /// # Panics
    /// When `index` is not in `1..=count`.
    pub fn of(corpus: &Corpus, index: usize, count: usize) -> Shard {
        assert!(
            index >= 1 && index <= count,
            "a shard index is in 1..=count"
        );
        let mut sizes: Vec<(usize, String)> = corpus
            .items()
            .map(|item| match item {
                Item::Article { article, .. } => (article.text.len(), article.id.to_string()),
                Item::Broken { id, .. } => (0, id),
            })
            .collect();
        sizes.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut load = vec![0usize; count];
        let mut ids = HashSet::new();
        for (size, id) in sizes {
            let (part, _) = load
                .iter()
                .enumerate()
                .min_by_key(|(i, l)| (**l, *i))
                .expect("count >= 1");
            load[part] += size.max(1);
            if part + 1 == index {
                ids.insert(id);
            }
        }
        Shard { index, count, ids }
    }
}

/// `K/N`, as `--shard` takes it: part K of a split into N (1 ≤ K ≤ N).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardSpec {
    /// Which part, from 1.
    pub index: usize,
    /// How many parts.
    pub count: usize,
}

/// Why a text is not `K/N`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShardSpecError {
    /// No `/`.
    #[error("expected K/N, such as 2/4")]
    NoSlash,
    /// K or N is not a whole number.
    #[error("{0:?} is not a whole number")]
    NotANumber(String),
    /// K is 0 or greater than N.
    #[error("{k}/{n}: K must be between 1 and N")]
    OutOfRange {
        /// K.
        k: usize,
        /// N.
        n: usize,
    },
}

impl std::str::FromStr for ShardSpec {
    type Err = ShardSpecError;

    fn from_str(s: &str) -> Result<ShardSpec, ShardSpecError> {
        let (k, n) = s.split_once('/').ok_or(ShardSpecError::NoSlash)?;
        let number = |word: &str| {
            word.trim()
                .parse::<usize>()
                .map_err(|_| ShardSpecError::NotANumber(word.to_string()))
        };
        let (k, n) = (number(k)?, number(n)?);
        if n == 0 || k == 0 || k > n {
            return Err(ShardSpecError::OutOfRange { k, n });
        }
        Ok(ShardSpec { index: k, count: n })
    }
}

impl Selection {
    /// Whether no article is filtered out.
    pub fn is_all(&self) -> bool {
        self.patterns.is_empty() && self.ids.is_none()
    }

    /// Whether the article `id` is selected.
    pub fn selects(&self, id: &str) -> bool {
        (self.patterns.is_empty() || self.patterns.iter().any(|p| p.matches(id)))
            && self.ids.as_ref().is_none_or(|ids| ids.contains(id))
    }
}

/// How many articles are read ahead, then parsed and scored in parallel.
/// Results are still emitted in corpus order, so they do not depend on
/// `--jobs`.
const BATCH: usize = 64;

/// Runs every extractor on every selected gold article of `corpus` and
/// scores it.
///
/// Articles are read in batches; each batch is parsed, then scored, on
/// `settings.jobs` threads, while ids are checked and events emitted in
/// corpus order whatever the number of jobs or the order in which
/// extractions finish. A failure of an extractor on an article fails that
/// article only; an article the corpus cannot load is reported and skipped.
pub fn run(
    corpus: &Corpus,
    extractors: &[&dyn Extractor],
    settings: &RunSettings,
    on_event: &mut dyn FnMut(RunEvent<'_>),
) -> RunResult {
    let mut summary = CorpusSummary {
        path: corpus.display().to_string(),
        listed: settings.selection.ids.as_ref().map(HashSet::len),
        ..CorpusSummary::default()
    };
    let mut patterns = PatternTracker::new(&settings.selection.patterns);
    let mut results: Vec<ExtractorResult> = extractors
        .iter()
        .map(|e| ExtractorResult {
            name: e.name().to_string(),
            version: e.version().map(str::to_string),
            totals: Totals::new(),
            articles: Vec::new(),
            issues: Vec::new(),
            dropped: Dropped::default(),
        })
        .collect();
    let limit = match settings.keep {
        Keep::All => None,
        Keep::Worst(n) => Some(n),
    };
    let mut worst: Vec<Lowest<ArticleResult>> =
        (0..extractors.len()).map(|_| Lowest::new(limit)).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs)
        .build()
        .expect("a thread pool can be built");
    // Hashes of every id in the corpus, to tell extractors which of their
    // saved outputs belong to no article (8 bytes an article).
    let mut corpus_ids: HashSet<u64> = HashSet::new();
    for items in corpus.batches(BATCH, &pool) {
        let mut batch: Vec<(usize, Article)> = Vec::with_capacity(items.len());
        for item in items {
            summary.articles += 1;
            let article = match item {
                Item::Broken { id, issues } => {
                    let broken = BrokenArticle { id, issues };
                    on_event(RunEvent::ArticleBroken(&broken));
                    summary.broken.push(broken);
                    continue;
                }
                Item::Article { article, .. } => article,
            };
            corpus_ids.insert(hash_id(article.id.as_str()));
            if settings
                .selection
                .shard
                .as_ref()
                .is_some_and(|s| !s.ids.contains(article.id.as_str()))
            {
                summary.other_shards += 1;
                on_event(RunEvent::ArticleSkipped);
                continue;
            }
            if !patterns.matches(article.id.as_str()) {
                summary.not_selected += 1;
                summary.not_matched += 1;
                on_event(RunEvent::ArticleSkipped);
                continue;
            }
            if (settings.selection.ids.as_ref())
                .is_some_and(|ids| !ids.contains(article.id.as_str()))
            {
                summary.not_selected += 1;
                on_event(RunEvent::ArticleSkipped);
                continue;
            }
            let wanted = settings.articles == Articles::Unannotated;
            match &article.gold {
                None if wanted => {
                    summary.unannotated += 1;
                    batch.push((summary.articles - 1, article));
                }
                Some(_) if wanted => {
                    summary.not_selected += 1;
                    on_event(RunEvent::ArticleSkipped);
                }
                None => {
                    summary.unannotated += 1;
                    on_event(RunEvent::ArticleSkipped);
                }
                Some(g) if g.status == Status::Draft && !settings.include_drafts => {
                    summary.drafts_skipped += 1;
                    on_event(RunEvent::ArticleSkipped);
                }
                Some(_) => {
                    summary.scored += 1;
                    batch.push((summary.articles - 1, article));
                }
            }
        }
        if batch.is_empty() {
            continue;
        }
        let refs: Vec<&Article> = batch.iter().map(|(_, a)| a).collect();
        for e in extractors {
            // A panic here would only lose the head start: extract reports
            // each article's own failure.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| e.prefetch(&refs)));
        }
        let scored: Vec<Vec<ArticleResult>> = pool.install(|| {
            batch
                .par_iter()
                .map(|(position, article)| {
                    extractors
                        .iter()
                        .map(|e| run_one(*e, *position, article, settings))
                        .collect()
                })
                .collect()
        });
        for ((_, article), per_extractor) in batch.iter().zip(scored) {
            for ((result, worst), done) in results.iter_mut().zip(&mut worst).zip(per_extractor) {
                on_event(RunEvent::ArticleStarted {
                    extractor: &result.name,
                    article,
                });
                result.totals.add(&done.score);
                on_event(RunEvent::ArticleDone {
                    extractor: &result.name,
                    article,
                    result: &done,
                });
                keep(settings.keep, result, worst, done);
            }
        }
    }
    for (result, worst) in results.iter_mut().zip(worst) {
        if !worst.is_empty() {
            result.articles.extend(worst.into_items());
            result.articles.sort_by_key(|a| a.position);
        }
    }
    summary.patterns = patterns.finish();
    let in_corpus = |id: &str| corpus_ids.contains(&hash_id(id));
    for (extractor, result) in extractors.iter().zip(&mut results) {
        result.issues = extractor.finish(&in_corpus);
    }
    let result = RunResult {
        scheme: settings.scheme,
        shard: settings
            .selection
            .shard
            .as_ref()
            .map(|s| (s.index, s.count)),
        corpus: summary,
        extractors: results,
    };
    on_event(RunEvent::RunFinished(&result));
    result
}

/// Matches ids against the `--articles` patterns as the corpus is read,
/// counting what each matches and, for each that has matched nothing so
/// far, keeping the closest ids (a few per pattern, whatever the corpus).
struct PatternTracker<'a> {
    patterns: &'a [glob::Pattern],
    found: Vec<(PatternMatches, Closest)>,
}

impl<'a> PatternTracker<'a> {
    fn new(patterns: &'a [glob::Pattern]) -> PatternTracker<'a> {
        let found = patterns
            .iter()
            .map(|p| {
                (
                    PatternMatches {
                        pattern: p.as_str().to_string(),
                        ..PatternMatches::default()
                    },
                    Closest::new(p.as_str()),
                )
            })
            .collect();
        PatternTracker { patterns, found }
    }

    /// Whether some pattern matches `id` (or there is none).
    fn matches(&mut self, id: &str) -> bool {
        let mut any = self.patterns.is_empty();
        for (p, (found, closest)) in self.patterns.iter().zip(&mut self.found) {
            found.against += 1;
            if p.matches(id) {
                found.matched += 1;
                any = true;
            } else if found.matched == 0 {
                closest.offer(id);
            }
        }
        any
    }

    fn finish(self) -> Vec<PatternMatches> {
        self.found
            .into_iter()
            .map(|(mut found, closest)| {
                if found.matched == 0 {
                    found.closest = closest.into_ids();
                }
                found
            })
            .collect()
    }
}

/// Keeps an article's result as `keep` says: in `result.articles`, among
/// the `worst` (lowest end-to-end F1 first, then id), or only counted.
fn keep(
    keep: Keep,
    result: &mut ExtractorResult,
    worst: &mut Lowest<ArticleResult>,
    done: ArticleResult,
) {
    if keep == Keep::All || done.failure.is_some() {
        result.articles.push(done);
        return;
    }
    let drop = |d: &mut Dropped, a: &ArticleResult, below_one: bool| {
        d.articles += 1;
        d.below_one += usize::from(below_one);
        d.record_issues += a.issues.len();
    };
    let f1 = done.score.counts(Criterion::Attribution).f1();
    if f1 >= 1.0 {
        drop(&mut result.dropped, &done, false);
        return;
    }
    let id = done.id.clone();
    if let Some(out) = worst.offer(f1, id, done) {
        drop(&mut result.dropped, &out, true);
    }
}

/// The `limit` items with the lowest key (an end-to-end F1, then an article
/// id), kept as items are offered one by one, so memory is bounded by the
/// limit, not the corpus: the runner's [`Keep::Worst`] and the report of
/// the worst articles' diffs both keep their articles this way.
#[derive(Clone, Debug)]
pub struct Lowest<T> {
    limit: Option<usize>,
    items: Vec<(f64, String, T)>,
}

impl<T> Lowest<T> {
    /// At most `limit` items (`None`: every item).
    pub fn new(limit: Option<usize>) -> Lowest<T> {
        Lowest {
            limit,
            items: Vec::new(),
        }
    }

    /// Whether an item with this key would be kept now: callers that build
    /// items at a cost ask first.
    pub fn admits(&self, f1: f64, id: &str) -> bool {
        match self.limit {
            Some(0) => false,
            Some(limit) if self.items.len() >= limit => self
                .items
                .last()
                .is_none_or(|(lf, lid, _)| (f1, id) < (*lf, lid.as_str())),
            _ => true,
        }
    }

    /// Offers an item; returns the item that is no longer kept (the one
    /// pushed out, or this one), if any.
    pub fn offer(&mut self, f1: f64, id: String, item: T) -> Option<T> {
        if !self.admits(f1, &id) {
            return Some(item);
        }
        let at = self
            .items
            .partition_point(|(f, i, _)| (*f, i.as_str()) < (f1, id.as_str()));
        self.items.insert(at, (f1, id, item));
        match self.limit {
            Some(limit) if self.items.len() > limit => self.items.pop().map(|(_, _, t)| t),
            _ => None,
        }
    }

    /// The items kept, lowest key first.
    pub fn into_items(self) -> impl Iterator<Item = T> {
        self.items.into_iter().map(|(_, _, t)| t)
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Extracts and scores one article; a panicking extractor fails the article.
fn run_one(
    extractor: &dyn Extractor,
    position: usize,
    article: &Article,
    settings: &RunSettings,
) -> ArticleResult {
    let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
    let started = Instant::now();
    let fingerprint = settings
        .cache
        .as_ref()
        .and_then(|cache| Some((cache, extractor.fingerprint()?)));
    let hit = fingerprint
        .as_ref()
        .and_then(|(cache, fp)| cache.get(fp, &article.text));
    let cached = hit.is_some();
    let outcome = match hit {
        Some(quotes) => Ok(Output::from(quotes)),
        None => extract_guarded(extractor, article),
    };
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let (quotes, issues, failure) = match outcome {
        Ok(mut out) => {
            check_spans(article, &mut out.quotes, &mut out.issues);
            if let (Some((cache, fp)), false, true) = (&fingerprint, cached, out.issues.is_empty())
            {
                // A cache that cannot be written only costs a rerun later.
                let _ = cache.put(fp, &article.text, &out.quotes);
            }
            (out.quotes, out.issues, None)
        }
        Err(mut failure) => (
            Vec::new(),
            std::mem::take(&mut failure.issues),
            Some(failure),
        ),
    };
    let score = score_article(&article.text, gold, &quotes, &settings.scheme);
    let gold_ids = gold.iter().map(|g| g.id.clone()).collect();
    ArticleResult {
        id: article.id.to_string(),
        position,
        failure,
        elapsed_ms,
        cached,
        score,
        issues,
        gold_ids,
        predictions: quotes,
    }
}

/// Runs the extractor; a panic fails the article as `crashed`.
fn extract_guarded(extractor: &dyn Extractor, article: &Article) -> Result<Output, Failure> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extractor.extract(article)))
        .unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the extractor panicked".to_string());
            Err(Failure::new(
                FailureKind::Crashed,
                format!("panicked: {message}"),
            ))
        })
}

/// Spans from in-process extractors are not resolved from files: check them
/// here so that a bad one is reported as corpus.md says (the record matches
/// nothing, or its speaker or cue counts as missing) instead of panicking
/// later.
fn check_spans(
    article: &Article,
    quotes: &mut [crate::corpus::Prediction],
    issues: &mut Vec<Issue>,
) {
    use crate::corpus::{PredPart, Severity, Span};
    let text = &article.text;
    let ok = |s: Span| {
        s.start <= s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
    };
    let mut bad = |i: usize, field: &str| {
        issues.push(
            Issue::new(
                Severity::Error,
                "bad-offset",
                "(extractor output)",
                format!("quotes[{i}].{field} has a span outside the text or inside a character"),
            )
            .article(article.id.as_str()),
        );
    };
    for (i, q) in quotes.iter_mut().enumerate() {
        if q.content
            .iter()
            .any(|p| matches!(p, PredPart::Located(s) if !ok(*s)))
        {
            bad(i, "content");
            q.content.clear();
        }
        if q.speaker
            .as_ref()
            .is_some_and(|m| m.span.is_some_and(|s| !ok(s)))
        {
            bad(i, "speaker");
            q.speaker = None;
        }
        if q.cue
            .as_ref()
            .is_some_and(|m| m.span.is_some_and(|s| !ok(s)))
        {
            bad(i, "cue");
            q.cue = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{CorpusSummary, ExtractorStatus, PatternMatches, ShardSpec, ShardSpecError};
    use crate::extract::{Failure, FailureKind};

    #[test]
    fn shard_specs() {
        assert_eq!("2/4".parse(), Ok(ShardSpec { index: 2, count: 4 }));
        assert_eq!(" 1 / 1 ".parse(), Ok(ShardSpec { index: 1, count: 1 }));
        assert_eq!("2".parse::<ShardSpec>(), Err(ShardSpecError::NoSlash));
        assert_eq!(
            "x/4".parse::<ShardSpec>(),
            Err(ShardSpecError::NotANumber("x".into()))
        );
        for bad in ["0/4", "5/4", "1/0"] {
            assert!(
                matches!(
                    bad.parse::<ShardSpec>(),
                    Err(ShardSpecError::OutOfRange { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_extractor_ran_when_it_answered_on_some_article() {
        let unavailable = Failure::new(FailureKind::Unavailable, "cannot start");
        let timeout = Failure::new(FailureKind::Timeout, "no answer");
        let of = |answered, failures: &[&Failure]| {
            ExtractorStatus::of(answered, failures.iter().copied())
        };
        assert_eq!(of(0, &[]), ExtractorStatus::NothingScored);
        assert_eq!(of(1, &[&unavailable]), ExtractorStatus::Ran);
        assert_eq!(
            of(0, &[&timeout, &unavailable]),
            ExtractorStatus::Unavailable("cannot start".into())
        );
        assert_eq!(
            of(0, &[&timeout]),
            ExtractorStatus::Failed("timeout: no answer".into())
        );
        assert_eq!(of(0, &[&timeout]).as_str(), "failed");
        assert!(of(0, &[&timeout]).did_not_run() && !of(0, &[]).did_not_run());
    }

    #[test]
    fn nothing_scored_says_how_the_selection_was_read() {
        let mut c = CorpusSummary {
            path: "corpus".into(),
            articles: 4,
            ..CorpusSummary::default()
        };
        assert!(CorpusSummary {
            scored: 1,
            ..c.clone()
        }
        .nothing_scored()
        .is_none());
        c.patterns = vec![
            PatternMatches {
                pattern: "bbc/**".into(),
                against: 4,
                matched: 0,
                closest: vec!["bbc-a".into(), "bbc-b".into()],
            },
            PatternMatches {
                pattern: "x".into(),
                against: 4,
                matched: 0,
                closest: vec![],
            },
        ];
        c.not_selected = 4;
        c.not_matched = 4;
        assert_eq!(
            c.nothing_scored().unwrap().to_string(),
            "nothing was scored: --articles 'bbc/**' matched none of the 4 articles of corpus (did you mean bbc-a, bbc-b?); --articles 'x' matched none of the 4 articles of corpus"
        );
        c.patterns[1].matched = 2;
        c.not_matched = 2;
        c.not_selected = 2;
        c.unannotated = 1;
        c.drafts_skipped = 1;
        assert_eq!(
            c.nothing_scored().unwrap().reason(),
            "corpus has 4 articles: 2 not matched by --articles 'bbc/**' or 'x', 1 has no gold, 1 is a draft (--include-drafts scores them)"
        );
        let empty = CorpusSummary {
            path: "c.jsonl".into(),
            ..CorpusSummary::default()
        };
        assert_eq!(
            empty.nothing_scored().unwrap().to_string(),
            "nothing was scored: c.jsonl holds no article"
        );
    }
}
