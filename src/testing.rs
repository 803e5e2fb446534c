//! Testing an extractor from its own `cargo test`: every article's
//! rendering asserted as an [insta](https://insta.rs) snapshot, and its
//! figures against a minimum.
//!
//! ```no_run
//! use quotecheck::corpus::{Prediction, Span};
//! use quotecheck::extract::from_fn;
//! use quotecheck::testing::{assert_corpus, assert_min_f1};
//!
//! #[test]
//! fn my_extractor_on_the_corpus() {
//!     let mine = from_fn("first-sentence", |article| {
//!         let end = article.text.find('.').ok_or("no sentence")?;
//!         Ok::<_, &str>(vec![Prediction::at(Span::new(0, end))])
//!     });
//!     let result = assert_corpus(&mine, "corpus/");
//!     assert_min_f1(&result, 0.05);
//! }
//! ```
//!
//! The snapshots are `snapshots/<extractor>/<article-id>.snap`, the same
//! files `quotecheck run` compares, so `cargo insta review` and
//! `quotecheck review` both work on them. A test fails when an article's
//! rendering changed (or has no accepted snapshot yet), exactly as an
//! insta assertion fails: locally the new rendering is written as a
//! `.snap.new` to review, and on CI nothing is written (`INSTA_UPDATE` and
//! `CI` decide, as for any insta snapshot). Every article is asserted
//! before the test fails, so one run shows every change. An error the
//! extractor reports for an article is rendered and asserted the same way
//! (`failed · error` and its message), so a refusal that is accepted passes
//! and a new or different one fails; a time-out or a crash always fails.
//!
//! Available with the `testing` feature (on by default).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use crate::align::Scheme;
use crate::corpus::Corpus;
use crate::extract::Extractor;
use crate::gate::{self, GateFailure, Gates, MinF1};
use crate::run::{run, RunEvent, RunResult, RunSettings};
use crate::score::Criterion;
use crate::snapshot::render_outcome;
use crate::snapshot::store::{gold_hash, Info, SnapshotKind, Store, DEFAULT_ROOT};

/// Asserts each article of `corpus` against the extractor's snapshot in
/// `snapshots/` (see [`CorpusCheck`] for other settings) and returns the
/// run's result, for figures.
///
/// # Panics
/// When an article's rendering (or the error the extractor reported for
/// it) is not its accepted snapshot, when the extractor times out or
/// crashes on an article, or when the corpus cannot be read or has an
/// invalid article; the message lists every one.
pub fn assert_corpus(extractor: &dyn Extractor, corpus: impl AsRef<Path>) -> RunResult {
    CorpusCheck::new(extractor, corpus).assert()
}

/// Asserts that every extractor of `result` reaches an end-to-end micro F1
/// of `min`.
///
/// # Panics
/// When one does not; the message gives its figures.
pub fn assert_min_f1(result: &RunResult, min: f64) {
    let failures = min_f1_failures(result, &[(Criterion::Attribution, min)]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The `--min-f1` gates of the library, each failure with the figures
/// behind it.
fn min_f1_failures(result: &RunResult, mins: &[(Criterion, f64)]) -> Vec<String> {
    let gates = Gates {
        min_f1: mins
            .iter()
            .map(|&(criterion, min)| MinF1 { criterion, min })
            .collect(),
        ..Gates::default()
    };
    gate::check(result, &gates)
        .failures
        .iter()
        .map(|failure| {
            let GateFailure::MinF1 {
                extractor,
                criterion,
                ..
            } = failure
            else {
                return failure.to_string();
            };
            let Some(e) = result.extractors.iter().find(|e| &e.name == extractor) else {
                return failure.to_string();
            };
            let f = e.totals.micro(*criterion);
            let counts = e.totals.counts(*criterion);
            format!(
                "{failure} (P {:.3} R {:.3}, TP {} FP {} FN {})",
                f.p, f.r, counts.tp, counts.fp, counts.fn_
            )
        })
        .collect()
}

/// A snapshot check of one extractor on a corpus, with its settings.
///
/// ```no_run
/// use quotecheck::align::Scheme;
/// use quotecheck::score::Criterion;
/// use quotecheck::testing::CorpusCheck;
/// # let mine = quotecheck::extract::from_fn("x", |_| Ok::<_, &str>(vec![]));
///
/// CorpusCheck::new(&mine, "corpus")
///     .scheme(Scheme::Exact)
///     .snapshots("tests/corpus-snapshots")
///     .articles("world/**")
///     .min_f1(0.4)
///     .min_f1_for(Criterion::Content, 0.6)
///     .assert();
/// ```
pub struct CorpusCheck<'a> {
    extractor: &'a dyn Extractor,
    corpus: PathBuf,
    scheme: Scheme,
    snapshots: PathBuf,
    include_drafts: bool,
    articles: Vec<glob::Pattern>,
    min_f1: Vec<(Criterion, f64)>,
}

/// One article's rendering, made during the run.
#[derive(Clone)]
struct Rendered {
    id: String,
    body: String,
    gold: String,
    failure: Option<String>,
}

impl<'a> CorpusCheck<'a> {
    /// `extractor` on `corpus` (a folder or a JSON-lines file), under the
    /// default scheme, with snapshots in `snapshots/`.
    pub fn new(extractor: &'a dyn Extractor, corpus: impl AsRef<Path>) -> CorpusCheck<'a> {
        CorpusCheck {
            extractor,
            corpus: corpus.as_ref().to_path_buf(),
            scheme: Scheme::default(),
            snapshots: PathBuf::from(DEFAULT_ROOT),
            include_drafts: false,
            articles: Vec::new(),
            min_f1: Vec::new(),
        }
    }

    /// Matches content under `scheme`.
    pub fn scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// Keeps snapshots under `root` instead of `snapshots/` (relative
    /// paths are from the working folder: the package root under `cargo
    /// test`).
    pub fn snapshots(mut self, root: impl AsRef<Path>) -> Self {
        self.snapshots = root.as_ref().to_path_buf();
        self
    }

    /// Checks articles whose gold is still a draft too.
    pub fn include_drafts(mut self, yes: bool) -> Self {
        self.include_drafts = yes;
        self
    }

    /// Checks only the articles whose id matches `glob` (repeat to add
    /// patterns), as `quotecheck run --articles`.
    ///
    /// # Panics
    /// When `glob` is not a valid pattern.
    pub fn articles(mut self, glob: &str) -> Self {
        self.articles
            .push(glob::Pattern::new(glob).expect("a valid --articles pattern"));
        self
    }

    /// Also asserts an end-to-end micro F1 of at least `min`.
    pub fn min_f1(self, min: f64) -> Self {
        self.min_f1_for(Criterion::Attribution, min)
    }

    /// Also asserts a micro F1 of at least `min` for `criterion`.
    pub fn min_f1_for(mut self, criterion: Criterion, min: f64) -> Self {
        self.min_f1.push((criterion, min));
        self
    }

    /// Runs the extractor, asserts every article's rendering through insta
    /// and the minimum figures, and returns the result.
    ///
    /// # Panics
    /// When any assertion fails, after every article has been asserted.
    pub fn assert(self) -> RunResult {
        let name = self.extractor.name().to_string();
        let corpus = Corpus::open(&self.corpus)
            .unwrap_or_else(|e| panic!("cannot open the corpus {}: {e}", self.corpus.display()));
        let settings = RunSettings {
            scheme: self.scheme,
            include_drafts: self.include_drafts,
            selection: crate::run::Selection {
                patterns: self.articles.clone(),
                ..Default::default()
            },
            jobs: 0,
            cache: None,
            keep: crate::run::Keep::All,
            ..RunSettings::default()
        };
        let mut rendered: Vec<Rendered> = Vec::new();
        let result = run(&corpus, &[self.extractor], &settings, &mut |event| {
            if let RunEvent::ArticleDone {
                article, result, ..
            } = event
            {
                // A deterministic failure is compared like any rendering;
                // a time-out or a crash always fails the check.
                let outcome = render_outcome(
                    article,
                    &result.predictions,
                    &result.score.alignment,
                    result.failure.as_ref(),
                    &self.scheme,
                );
                let (body, failure) = match outcome {
                    Some(body) => (body, None),
                    None => (
                        String::new(),
                        result.failure.as_ref().map(|f| f.to_string()),
                    ),
                };
                rendered.push(Rendered {
                    id: result.id.clone(),
                    body,
                    gold: gold_hash(article),
                    failure,
                });
            }
        });

        let mut problems: Vec<String> = Vec::new();
        for b in &result.corpus.broken {
            let why = b.issues.first().map_or("", |i| i.message.as_str());
            problems.push(format!("article {} cannot be loaded: {why}", b.id));
        }
        if result.corpus.more_broken > 0 {
            let more = result.corpus.more_broken;
            problems.push(format!("and {more} more articles cannot be loaded"));
        }
        let root = std::env::current_dir()
            .map(|d| d.join(&self.snapshots))
            .unwrap_or_else(|_| self.snapshots.clone());
        let store = Store::new(&root);
        if let Err(e) = store.extractor_dir(&name) {
            panic!("{e}");
        }
        let mut changed: Vec<&str> = Vec::new();
        for r in &rendered {
            if let Some(f) = &r.failure {
                problems.push(format!("{name} failed on {}: {f}", r.id));
                continue;
            }
            if let Ok(Some(Ok(old))) = store.read(&name, &r.id, SnapshotKind::Accepted) {
                if !old.made_under(&self.scheme) {
                    problems.push(format!(
                        "the snapshot of {} was made under scheme {}, this check uses {}",
                        r.id, old.info.scheme, self.scheme
                    ));
                    continue;
                }
            }
            // A snapshot whose predictions are named the old way (`p3`)
            // and is otherwise this rendering is asserted as it is, so
            // that it passes unchanged (docs/snapshots.md).
            let as_accepted;
            let mut asserted = r;
            if let Ok(Some(Ok(old))) = store.read(&name, &r.id, SnapshotKind::Accepted) {
                let renamed = old.body_renamed();
                if renamed.trim_end() == r.body.trim_end() && renamed != old.body {
                    as_accepted = Rendered {
                        body: old.body.clone(),
                        ..r.clone()
                    };
                    asserted = &as_accepted;
                }
            }
            if !assert_one(&store, &name, asserted, &self.scheme) {
                changed.push(&r.id);
            }
        }
        if !changed.is_empty() {
            problems.push(format!(
                "{} of {} article(s) of {name} differ from their accepted snapshots in {}/{name}/: {}\nreview them with `cargo insta review` (or `quotecheck review --snapshots {}`)",
                changed.len(),
                rendered.len(),
                self.snapshots.display(),
                changed.join(", "),
                self.snapshots.display()
            ));
        }
        problems.extend(min_f1_failures(&result, &self.min_f1));
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        result
    }
}

/// Asserts one article's rendering through insta, in
/// `<root>/<extractor>/<article-id>.snap`; whether it matched.
fn assert_one(store: &Store, extractor: &str, r: &Rendered, scheme: &Scheme) -> bool {
    let path = store
        .accepted_path(extractor, &r.id)
        .expect("ids and names are checked");
    let dir = path
        .parent()
        .expect("a snapshot is in a folder")
        .to_path_buf();
    let snapshot_name = r.id.rsplit('/').next().expect("an id has segments");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_info(&Info {
        extractor: extractor.to_string(),
        article: r.id.clone(),
        scheme: scheme.to_string(),
        gold: r.gold.clone(),
    });
    let expression = format!("{extractor} on {}", r.id);
    catch_unwind(AssertUnwindSafe(|| {
        settings.bind(|| {
            insta::assert_snapshot!(snapshot_name, r.body.as_str(), expression.as_str());
        })
    }))
    .is_ok()
}
