//! What a run produced: per article, per extractor, for the corpus, and
//! whether an extractor ran at all. Data, and the words that say why
//! nothing was scored; no reading, no scoring.

use crate::align::Scheme;
use crate::corpus::{Article, Issue, Prediction};
use crate::extract::{Failure, FailureKind};
use crate::score::{ArticleScore, Totals};
use crate::snapshot::{gold_diff, DiffLabels, GoldDiff};

/// The outcome of one extractor on one article.
#[derive(Clone, Debug)]
pub struct ArticleResult {
    /// The article id.
    pub id: String,
    /// The article's place in the corpus (0 for the first), so that the
    /// results of several shards can be put back in corpus order.
    pub position: usize,
    /// The SHA-256 of the article's text, as gold files record it
    /// (corpus.md), so that the reports of parts of a corpus are merged only
    /// when an id names the same text in each; `None` for a result read
    /// back from a report written without it.
    pub text_sha256: Option<String>,
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
    /// Predictions set aside because they lie inside the gold's ignored
    /// regions (scoring.md §4): neither true nor false positives, and not
    /// in `predictions`.
    pub ignored: usize,
    /// The results of repeats 1…K−1 of `--repeat K`, in order (each with
    /// no repeats of its own); empty for a run without repeats and for a
    /// deterministic extractor. This result is repeat 0's.
    pub repeats: Vec<ArticleResult>,
}

impl ArticleResult {
    /// `ok`, or the kind of failure.
    pub fn status(&self) -> &'static str {
        self.failure.as_ref().map_or("ok", |f| f.kind.as_str())
    }

    /// The gold diff of these predictions on `article` (whose result this
    /// is), as `extractor` made them under `scheme`.
    pub fn gold_diff(&self, article: &Article, extractor: &str, scheme: &Scheme) -> GoldDiff {
        let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
        gold_diff(
            &article.text,
            gold,
            &self.predictions,
            &self.score.alignment,
            scheme,
            DiffLabels {
                article: &self.id,
                extractor,
            },
        )
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
    /// What answering cost, for an extractor that says
    /// ([`Extractor::usage`](crate::extract::Extractor::usage)).
    pub usage: Option<crate::extract::Usage>,
    /// What its repeats showed, for a run with `--repeat K` (K > 1);
    /// `None` otherwise.
    pub stability: Option<crate::score::Stability>,
    /// The failed articles not in `articles`: a run that keeps only the
    /// worst ([`Keep::Worst`]) keeps the first [`FailureTail::KEPT`]
    /// failures whole and only counts the others, with their ids on disk.
    pub more_failures: FailureTail,
}

/// The failed articles past the first [`FailureTail::KEPT`] of a run that
/// keeps only the worst articles ([`Keep::Worst`]): how many, the first
/// that said the extractor is unavailable, and their ids (on disk past a
/// few thousand), so that memory stays flat however many articles fail.
#[derive(Clone, Debug, Default)]
pub struct FailureTail {
    /// How many.
    pub count: usize,
    /// The first of them whose failure is
    /// [`FailureKind::Unavailable`].
    pub unavailable: Option<Failure>,
    /// Their ids, in corpus order.
    pub ids: crate::spill::SpillList,
}

impl FailureTail {
    /// How many failures a run that keeps only the worst articles keeps
    /// whole (about 2 KB each): what the failure lists show.
    pub const KEPT: usize = 1000;

    /// Counts the failed article `id`, not kept, and its `failure`.
    pub fn add(&mut self, id: &str, failure: &Failure) {
        self.count += 1;
        if failure.kind == FailureKind::Unavailable && self.unavailable.is_none() {
            self.unavailable = Some(failure.clone());
        }
        self.ids.push(id);
    }
}

/// What is known of the scored articles whose results a run did not keep
/// ([`Keep::Worst`]): they count in the totals, and here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dropped {
    /// How many.
    pub articles: usize,
    /// How many had an end-to-end F1 below 1.
    pub below_one: usize,
    /// Problems in the extractor's records for them.
    pub record_issues: usize,
    /// The first [`Dropped::KEPT_ISSUES`] of those problems, with the
    /// article's place in the corpus, in corpus order.
    pub first_issues: Vec<(usize, Issue)>,
    /// How many of their outputs came from the cache.
    pub cached: usize,
    /// Their predictions set aside in ignored regions.
    pub ignored: usize,
}

impl Dropped {
    /// How many problems of dropped articles are kept, for the reports
    /// that list the first few.
    pub const KEPT_ISSUES: usize = 10;
}

impl ExtractorResult {
    /// Predictions set aside in ignored regions, over every scored article
    /// (kept or not).
    pub fn ignored(&self) -> usize {
        self.articles.iter().map(|a| a.ignored).sum::<usize>() + self.dropped.ignored
    }

    /// The articles it failed on that the run kept (every one, unless
    /// more than [`FailureTail::KEPT`] failed in a run that keeps only the
    /// worst: [`ExtractorResult::more_failures`] has the rest).
    pub fn failures(&self) -> impl Iterator<Item = &ArticleResult> {
        self.articles.iter().filter(|a| a.failure.is_some())
    }

    /// How many articles it failed on, kept or not.
    pub fn failed(&self) -> usize {
        self.failures().count() + self.more_failures.count
    }

    /// Whether it failed on some article because it was unavailable.
    pub fn unavailable(&self) -> bool {
        self.more_failures.unavailable.is_some()
            || self.failures().any(|a| {
                a.failure
                    .as_ref()
                    .is_some_and(|f| f.kind == FailureKind::Unavailable)
            })
    }

    /// Calls `f` with the id of every article it failed on, kept or not,
    /// in corpus order within each, until it returns an error (that
    /// error, or one reading the ids on disk back).
    pub fn try_for_each_failed_id(
        &self,
        mut f: impl FnMut(&str) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        for a in self.failures() {
            f(&a.id)?;
        }
        self.more_failures.ids.try_for_each(f)
    }

    /// Whether it ran: whether its figures mean anything.
    pub fn status(&self) -> ExtractorStatus {
        let answered = self.dropped.articles + self.articles.len() - self.failures().count();
        let failures = self.failures().filter_map(|a| a.failure.as_ref());
        ExtractorStatus::of(answered, failures.chain(&self.more_failures.unavailable))
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
    /// Articles that could not be loaded (not scored): the first
    /// [`CorpusSummary::BROKEN_KEPT`] of them, in corpus order.
    pub broken: Vec<BrokenArticle>,
    /// How many more could not be loaded, not kept: each is reported as
    /// it comes ([`RunEvent::ArticleBroken`](crate::run::RunEvent)), and
    /// `quotecheck validate` lists every problem.
    pub more_broken: usize,
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
    /// How many broken articles a run keeps whole, with their issues (a
    /// few KB each): what the reports list.
    pub const BROKEN_KEPT: usize = 1000;

    /// How many articles could not be loaded, kept or not.
    pub fn broken_count(&self) -> usize {
        self.broken.len() + self.more_broken
    }

    /// Keeps a broken article, or only counts it past
    /// [`CorpusSummary::BROKEN_KEPT`].
    pub fn add_broken(&mut self, broken: BrokenArticle) {
        if self.broken.len() < CorpusSummary::BROKEN_KEPT {
            self.broken.push(broken);
        } else {
            self.more_broken += 1;
        }
    }

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
        if c.broken_count() > 0 {
            parts.push(format!(
                "{} be loaded (`quotecheck validate {}` says why)",
                count(c.broken_count(), "could not", "could not"),
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

#[cfg(test)]
mod tests {
    use super::{
        ArticleResult, CorpusSummary, Dropped, ExtractorResult, ExtractorStatus, FailureTail,
        PatternMatches,
    };
    use crate::extract::{Failure, FailureKind};
    use crate::score::Totals;

    #[test]
    fn failures_past_those_kept_count_in_the_status_and_the_ids() {
        let failed = |id: &str, kind| ArticleResult {
            id: id.into(),
            position: 0,
            text_sha256: None,
            failure: Some(Failure::new(kind, "why")),
            elapsed_ms: 0,
            cached: false,
            predictions: Vec::new(),
            score: Default::default(),
            issues: Vec::new(),
            gold_ids: Vec::new(),
            ignored: 0,
            repeats: Vec::new(),
        };
        let mut e = ExtractorResult {
            name: "e".into(),
            version: None,
            totals: Totals::new(),
            articles: vec![failed("a", FailureKind::Timeout)],
            issues: Vec::new(),
            dropped: Dropped::default(),
            usage: None,
            stability: None,
            more_failures: FailureTail::default(),
        };
        let b = failed("b", FailureKind::Timeout);
        e.more_failures.add(&b.id, b.failure.as_ref().unwrap());
        assert_eq!(e.failed(), 2);
        assert!(!e.unavailable());
        assert_eq!(e.status(), ExtractorStatus::Failed("timeout: why".into()));
        let c = failed("c", FailureKind::Unavailable);
        e.more_failures.add(&c.id, c.failure.as_ref().unwrap());
        assert!(e.unavailable());
        assert_eq!(e.status(), ExtractorStatus::Unavailable("why".into()));
        let mut ids = Vec::new();
        e.try_for_each_failed_id(|id| {
            ids.push(id.to_string());
            Ok(())
        })
        .unwrap();
        assert_eq!(ids, ["a", "b", "c"]);
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
