//! The runner: pairs each article of a corpus with its gold, asks each
//! extractor for predictions, scores them, and emits [`RunEvent`]s.
//!
//! It sits after the scoring stages and before the reports: it calls
//! `corpus`, `extract` and `score`, and reports consume what it emits. It
//! prints nothing itself. `results` holds what a run produced, `select`
//! which articles it scores, `lowest` the bounded keeper of the worst
//! articles, `repeat` the repeats of `--repeat K` and their stability.

mod lowest;
mod repeat;
mod results;
mod select;

pub use lowest::Lowest;
pub use results::*;
pub use select::{Selection, Shard, ShardIds, ShardSpec, ShardSpecError};

use std::collections::HashSet;
use std::time::Instant;

use rayon::prelude::*;

use crate::align::{FidelityPolicy, Scheme};
use crate::corpus::{hash_id, Article, Corpus, Issue, Item, Severity, Status};
use crate::extract::{Cache, Extractor, Failure, FailureKind, Output};
use crate::score::{score_article_with, Criterion, Totals};
use crate::spill::SpillMap;
use select::PatternTracker;

/// What a run is asked to do.
#[derive(Clone, Debug, Default)]
pub struct RunSettings {
    /// How content is matched.
    pub scheme: Scheme,
    /// What fidelity verdicts do to matching (`--require-verbatim`).
    pub fidelity: FidelityPolicy,
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
    /// How many times each extractor is asked about each article
    /// (`--repeat K`); 0 and 1 mean once. A
    /// [deterministic](crate::extract::Extractor::deterministic) extractor
    /// is asked once whatever this says. Figures and events are repeat
    /// 0's; the others are in [`ArticleResult::repeats`] and
    /// [`ExtractorResult::stability`].
    pub repeats: usize,
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
    /// Per extractor, the failed articles (the first [`FailureTail::KEPT`]
    /// whole, the others counted) and the `n` articles with the lowest
    /// end-to-end F1 below 1 (ties by id) — what the terminal and
    /// Markdown reports list — and only counts of the others
    /// ([`ExtractorResult::dropped`]). Memory stays flat however large the
    /// corpus is.
    Worst(usize),
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

/// How many articles are read ahead, then parsed and scored in parallel.
/// Results are still emitted in corpus order, so they do not depend on
/// `--jobs`.
const BATCH: usize = 64;

/// Runs every extractor on every selected gold article of `corpus` and
/// scores it.
///
/// Articles are read in batches on a thread of their own; each batch is
/// parsed, then scored, on `settings.jobs` threads, while ids are checked
/// and events emitted in corpus order (on the calling thread, as the next
/// batch is scored) whatever the number of jobs or the order in which
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
            usage: None,
            stability: repeat::stability_for(*e, settings),
            more_failures: FailureTail::default(),
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
    // saved outputs belong to no article (past the newest few, on disk).
    let mut corpus_ids = SpillMap::default();
    // Three stages overlap: a thread reads the next batches (parsing them
    // on the pool), the pool scores this batch, and this thread emits the
    // events of the batch before it, so that neither reading nor the
    // reports' work holds up the threads that score. Events stay in corpus
    // order: a batch's own events are emitted when its scores are.
    let mut previous: Option<Batch> = None;
    std::thread::scope(|threads| {
        let (send, batches) = std::sync::mpsc::sync_channel(BATCHES_AHEAD);
        let pool = &pool;
        threads.spawn(move || {
            for items in corpus.batches(BATCH, pool) {
                if send.send(items).is_err() {
                    break;
                }
            }
        });
        // One turn more than there are batches, to emit the last.
        for items in batches.iter().map(Some).chain([None]) {
            let mut batch = match items {
                Some(items) => sort_batch(
                    items,
                    corpus,
                    settings,
                    &mut summary,
                    &mut patterns,
                    &mut corpus_ids,
                ),
                None => Batch::default(),
            };
            if !batch.articles.is_empty() {
                let refs: Vec<&Article> = batch.articles.iter().map(|(_, a)| a).collect();
                for e in extractors {
                    // A panic here would only lose the head start: extract
                    // reports each article's own failure.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        e.prefetch(&refs)
                    }));
                }
            }
            let mut scored = Vec::new();
            pool.in_place_scope(|scope| {
                if !batch.articles.is_empty() {
                    scope.spawn(|_| scored = score_batch(&batch.articles, extractors, settings));
                }
                if let Some(done) = previous.take() {
                    emit(
                        done,
                        &mut summary,
                        &mut results,
                        &mut worst,
                        settings,
                        on_event,
                    );
                }
            });
            batch.scored = scored;
            previous = Some(batch);
        }
    });
    for (result, worst) in results.iter_mut().zip(worst) {
        if !worst.is_empty() {
            result.articles.extend(worst.into_items());
            result.articles.sort_by_key(|a| a.position);
        }
    }
    summary.patterns = patterns.finish();
    // Looked up once a saved output: one read at most each. An id that
    // cannot be read back is taken as in the corpus, which only leaves out
    // a warning.
    let _ = corpus_ids.compact();
    let in_corpus = |id: &str| corpus_ids.get(hash_id(id)).map_or(true, |v| v.is_some());
    for (extractor, result) in extractors.iter().zip(&mut results) {
        result.issues = extractor.finish(&in_corpus);
        result.usage = extractor.usage();
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

/// How many read batches wait while one is scored and one reported.
const BATCHES_AHEAD: usize = 2;

/// One batch of the corpus on its way through [`run`].
#[derive(Default)]
struct Batch {
    /// What each of its articles is, in corpus order.
    order: Vec<Slot>,
    /// Its articles to score, with their places in the corpus.
    articles: Vec<(usize, Article)>,
    /// Each article's results, one per extractor, once scored.
    scored: Vec<Vec<ArticleResult>>,
}

/// What an article of a batch is, for its events.
enum Slot {
    /// Broken: kept or counted when its event is emitted.
    Broken(BrokenArticle),
    /// Not scored.
    Skipped,
    /// The next of the batch's articles to score.
    Scored,
}

/// Sorts a batch as read: the articles to score, with their places, and
/// the events of the others, counted in `summary`; every article's id
/// goes into `corpus_ids`.
fn sort_batch(
    items: Vec<Item>,
    corpus: &Corpus,
    settings: &RunSettings,
    summary: &mut CorpusSummary,
    patterns: &mut PatternTracker,
    corpus_ids: &mut SpillMap,
) -> Batch {
    let mut batch = Batch::default();
    for item in items {
        summary.articles += 1;
        let article = match item {
            Item::Broken { id, issues } => {
                batch.order.push(Slot::Broken(BrokenArticle { id, issues }));
                continue;
            }
            Item::Article { article, .. } => article,
        };
        corpus_ids.insert(hash_id(article.id.as_str()), [0; 3]);
        match (settings.selection.shard.as_ref()).map(|s| s.ids.contains(article.id.as_str())) {
            Some(Ok(false)) => {
                summary.other_shards += 1;
                batch.order.push(Slot::Skipped);
                continue;
            }
            Some(Err(e)) => {
                let message = format!("whether the article is in this shard cannot be read back from the shard's temporary file: {e}");
                let issue = Issue::new(Severity::Error, "unreadable", corpus.display(), message)
                    .hint("check the space and health of the temporary folder (TMPDIR)");
                batch.order.push(Slot::Broken(BrokenArticle {
                    id: article.id.to_string(),
                    issues: vec![issue],
                }));
                continue;
            }
            _ => {}
        }
        if !patterns.matches(article.id.as_str()) {
            summary.not_selected += 1;
            summary.not_matched += 1;
            batch.order.push(Slot::Skipped);
            continue;
        }
        if (settings.selection.ids.as_ref()).is_some_and(|ids| !ids.contains(article.id.as_str())) {
            summary.not_selected += 1;
            batch.order.push(Slot::Skipped);
            continue;
        }
        let wanted = settings.articles == Articles::Unannotated;
        match &article.gold {
            None if wanted => {
                summary.unannotated += 1;
                batch.order.push(Slot::Scored);
                batch.articles.push((summary.articles - 1, article));
            }
            Some(_) if wanted => {
                summary.not_selected += 1;
                batch.order.push(Slot::Skipped);
            }
            None => {
                summary.unannotated += 1;
                batch.order.push(Slot::Skipped);
            }
            Some(g) if g.status == Status::Draft && !settings.include_drafts => {
                summary.drafts_skipped += 1;
                batch.order.push(Slot::Skipped);
            }
            Some(_) => {
                summary.scored += 1;
                batch.order.push(Slot::Scored);
                batch.articles.push((summary.articles - 1, article));
            }
        }
    }
    batch
}

/// Scores every article of a batch with every extractor, on the pool.
fn score_batch(
    articles: &[(usize, Article)],
    extractors: &[&dyn Extractor],
    settings: &RunSettings,
) -> Vec<Vec<ArticleResult>> {
    articles
        .par_iter()
        .map(|(position, article)| {
            // Once an article, for every extractor's result.
            let hash = crate::corpus::write::text_sha256(&article.text);
            extractors
                .iter()
                .map(|e| {
                    let mut done = repeat::run_repeated(*e, *position, article, settings);
                    done.text_sha256 = Some(hash.clone());
                    done
                })
                .collect()
        })
        .collect()
}

/// Emits a scored batch's events in corpus order and keeps its results
/// and its broken articles.
fn emit(
    batch: Batch,
    summary: &mut CorpusSummary,
    results: &mut [ExtractorResult],
    worst: &mut [Lowest<ArticleResult>],
    settings: &RunSettings,
    on_event: &mut dyn FnMut(RunEvent<'_>),
) {
    let mut scored = batch.articles.iter().zip(batch.scored);
    for slot in batch.order {
        let ((_, article), per_extractor) = match slot {
            Slot::Broken(broken) => {
                on_event(RunEvent::ArticleBroken(&broken));
                summary.add_broken(broken);
                continue;
            }
            Slot::Skipped => {
                on_event(RunEvent::ArticleSkipped);
                continue;
            }
            Slot::Scored => scored.next().expect("a result for every article scored"),
        };
        for ((result, worst), done) in results.iter_mut().zip(worst.iter_mut()).zip(per_extractor) {
            on_event(RunEvent::ArticleStarted {
                extractor: &result.name,
                article,
            });
            result.totals.add(&done.score);
            repeat::tally(&mut result.stability, article, &done, &settings.scheme);
            on_event(RunEvent::ArticleDone {
                extractor: &result.name,
                article,
                result: &done,
            });
            keep(settings.keep, result, worst, done);
        }
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
    if keep == Keep::All {
        result.articles.push(done);
        return;
    }
    if let Some(f) = &done.failure {
        // Until the end of the run, `articles` holds only the failures.
        if result.articles.len() < FailureTail::KEPT {
            result.articles.push(slim(done));
        } else {
            result.more_failures.add(&done.id, f);
        }
        return;
    }
    let drop = |d: &mut Dropped, a: &ArticleResult, below_one: bool| {
        d.articles += 1;
        d.below_one += usize::from(below_one);
        d.record_issues += a.issues.len();
        d.cached += usize::from(a.cached);
        d.ignored += a.ignored;
        if !a.issues.is_empty() {
            d.first_issues
                .extend(a.issues.iter().map(|i| (a.position, i.clone())));
            d.first_issues.sort_by_key(|(position, _)| *position);
            d.first_issues.truncate(Dropped::KEPT_ISSUES);
        }
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

/// What is kept of a failed article when not every article is: what the
/// failure lists, the worst list and the gate read (its id, place,
/// failure, counts, accuracies and issues), without its pairing, its
/// per-kind figures and its repeats, which only the reports that keep
/// every article show (and the snapshot check and the diffs have seen as
/// it was scored). Past [`FailureTail::KEPT`] of them, a failure is only
/// counted, its id on disk: the gate checks each against the accepted
/// ones.
fn slim(mut done: ArticleResult) -> ArticleResult {
    done.predictions = Vec::new();
    done.gold_ids = Vec::new();
    done.repeats = Vec::new();
    done.score.alignment = Default::default();
    done.score.kind_recall.clear();
    done.score.kind_precision.clear();
    done.id.shrink_to_fit();
    done
}

/// Extracts and scores one article (as repeat `repeat`, 0 for the ordinary
/// run); a panicking extractor fails the article.
fn run_one(
    extractor: &dyn Extractor,
    position: usize,
    article: &Article,
    settings: &RunSettings,
    repeat: usize,
) -> ArticleResult {
    let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
    let started = Instant::now();
    let fingerprint = settings
        .cache
        .as_ref()
        .and_then(|cache| Some((cache, repeat::cache_key(extractor.fingerprint()?, repeat))));
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
    // Predictions inside the gold's ignored regions take no part (scoring.md §4).
    let ignore = article.gold.as_ref().map_or(&[][..], |g| &g.ignore[..]);
    let (quotes, ignored) = crate::score::set_aside(ignore, quotes);
    let score = score_article_with(
        &article.text,
        gold,
        &quotes,
        &settings.scheme,
        settings.fidelity,
    );
    let gold_ids = gold.iter().map(|g| g.id.clone()).collect();
    ArticleResult {
        id: article.id.to_string(),
        position,
        text_sha256: None,
        failure,
        elapsed_ms,
        cached,
        score,
        issues,
        gold_ids,
        predictions: quotes,
        ignored,
        repeats: Vec::new(),
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
