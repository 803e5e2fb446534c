//! The run pipeline from Rust: closure extractors, selection, parallelism.

use quotecheck::align::Scheme;
use quotecheck::corpus::{Corpus, PredMention, Prediction, Span};
use quotecheck::extract::{from_fn, Extractor};
use quotecheck::report::json;
use quotecheck::run::{run, RunEvent, RunSettings, Selection};
use quotecheck::score::Criterion;

use crate::util::corpus::{cp, without_timings};

/// A corpus of `n` articles, each with one direct quote; every third
/// article's gold also has an indirect quote.
fn corpus(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        let text =
            format!("“Plan {i} is ready,” Minister Lee said. Officials said talks would resume.\n");
        let quote = |id: &str, content: &str, speaker: &str, cue: &str| {
            serde_json::json!({"id": id, "kind": if id == "q1" { "direct" } else { "indirect" },
                "content": cp(&text, content), "speaker": cp(&text, speaker), "cue": cp(&text, cue)})
        };
        let mut quotes = vec![quote(
            "q1",
            &format!("Plan {i} is ready,"),
            "Minister Lee",
            "said.",
        )];
        if i % 3 == 0 {
            quotes.push(quote("q2", "talks would resume", "Officials", "said talks"));
        }
        std::fs::write(dir.path().join(format!("a{i:03}.txt")), &text).unwrap();
        std::fs::write(
            dir.path().join(format!("a{i:03}.json")),
            serde_json::json!({"quotes": quotes}).to_string(),
        )
        .unwrap();
    }
    dir
}

/// Finds the first curly-quoted span and says Minister Lee said it; fails
/// on every seventh article and panics on article 5.
fn closure_extractor() -> impl Extractor {
    from_fn("closure", |article| {
        let n: usize = article.id.as_str()[1..].parse().unwrap();
        if n == 5 {
            panic!("boom on {}", article.id);
        }
        if n % 7 == 0 {
            return Err(format!("cannot handle article {n}"));
        }
        let text = &article.text;
        let open = text.find('“').ok_or("no quote")? + '“'.len_utf8();
        let close = text.find('”').ok_or("no end")?;
        let speaker = text.find("Lee").unwrap();
        Ok(vec![Prediction::at(Span::new(open, close)).with_speaker(
            PredMention::at(text, Span::new(speaker, speaker + 3)),
        )])
    })
    .with_version("1.0")
}

fn settings(jobs: usize) -> RunSettings {
    RunSettings {
        scheme: Scheme::default(),
        jobs,
        ..RunSettings::default()
    }
}

#[test]
fn a_closure_extractor_runs_through_the_whole_pipeline() {
    let dir = corpus(30);
    let corpus = Corpus::open(dir.path()).unwrap();
    let extractor = closure_extractor();
    let mut done = 0;
    let result = run(&corpus, &[&extractor], &settings(2), &mut |e| {
        if let RunEvent::ArticleDone { .. } = e {
            done += 1;
        }
    });
    assert_eq!(done, 30);
    let e = &result.extractors[0];
    assert_eq!(
        (e.name.as_str(), e.version.as_deref()),
        ("closure", Some("1.0"))
    );
    // Articles 0, 7, 14, 21, 28 fail with an error, 5 crashes; all 30 are scored.
    let failed: Vec<(&str, &str)> = e.failures().map(|a| (a.id.as_str(), a.status())).collect();
    assert_eq!(
        failed,
        [
            ("a000", "error"),
            ("a005", "crashed"),
            ("a007", "error"),
            ("a014", "error"),
            ("a021", "error"),
            ("a028", "error")
        ]
    );
    assert!(e.articles[5]
        .failure
        .as_ref()
        .unwrap()
        .message
        .contains("boom on a005"));
    // 30 direct gold quotes, 10 indirect; 24 direct found with the right speaker.
    let c = e.totals.counts(Criterion::Attribution);
    assert_eq!((c.tp, c.fp, c.fn_), (24, 0, 40 - 24));
}

#[test]
fn results_do_not_depend_on_the_number_of_jobs() {
    let dir = corpus(150);
    let corpus = Corpus::open(dir.path()).unwrap();
    let extractor = closure_extractor();
    let report = |jobs| {
        let mut order = Vec::new();
        let result = run(&corpus, &[&extractor], &settings(jobs), &mut |e| {
            if let RunEvent::ArticleDone { result, .. } = e {
                order.push(result.id.clone());
            }
        });
        let mut buf = Vec::new();
        json::write(&result, &mut buf).unwrap();
        let v = without_timings(serde_json::from_slice(&buf).unwrap());
        (v, order)
    };
    let one = report(1);
    assert_eq!(one, report(2));
    assert_eq!(one, report(8));
    let mut sorted = one.1.clone();
    sorted.sort();
    assert_eq!(one.1, sorted, "events come in corpus order");
}

/// A broken article, a skipped one and a scored one are each reported
/// where the corpus has them, within a batch (64 articles) and across
/// batches, though the next batch is read and scored while one is
/// reported.
#[test]
fn every_event_comes_in_corpus_order_across_batches() {
    let dir = corpus(300);
    for i in (0..300).step_by(11) {
        std::fs::write(dir.path().join(format!("a{i:03}.json")), "{ not json").unwrap();
    }
    for i in (4..300).step_by(13) {
        std::fs::remove_file(dir.path().join(format!("a{i:03}.json"))).unwrap();
    }
    let corpus = Corpus::open(dir.path()).unwrap();
    let expected: Vec<String> = (0..300)
        .flat_map(|i| match i {
            i if i % 13 == 4 => vec!["skipped".to_string()],
            i if i % 11 == 0 => vec![format!("broken a{i:03}")],
            i => vec![format!("started a{i:03}"), format!("done a{i:03}")],
        })
        .collect();
    let extractor = closure_extractor();
    for jobs in [1, 2] {
        let mut events = Vec::new();
        run(&corpus, &[&extractor], &settings(jobs), &mut |e| match e {
            RunEvent::ArticleBroken(b) => events.push(format!("broken {}", b.id)),
            RunEvent::ArticleSkipped => events.push("skipped".to_string()),
            RunEvent::ArticleStarted { article, .. } => {
                events.push(format!("started {}", article.id))
            }
            RunEvent::ArticleDone { article, .. } => events.push(format!("done {}", article.id)),
            RunEvent::RunFinished(_) => events.push("finished".to_string()),
        });
        assert_eq!(events.pop().as_deref(), Some("finished"));
        assert_eq!(events, expected, "--jobs {jobs}");
    }
}

#[test]
fn a_selection_scores_only_matching_articles() {
    let dir = corpus(30);
    let corpus = Corpus::open(dir.path()).unwrap();
    let extractor = closure_extractor();
    let mut s = settings(1);
    s.selection = Selection {
        patterns: vec![
            glob::Pattern::new("a01?").unwrap(),
            glob::Pattern::new("a029").unwrap(),
        ],
        ..Selection::default()
    };
    let result = run(&corpus, &[&extractor], &s, &mut |_| {});
    let ids: Vec<&str> = result.extractors[0]
        .articles
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["a010", "a011", "a012", "a013", "a014", "a015", "a016", "a017", "a018", "a019", "a029"]
    );
    assert_eq!((result.corpus.scored, result.corpus.not_selected), (11, 19));
}

mod cache {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use quotecheck::extract::Cache;

    fn counting(version: &'static str, calls: &'static AtomicUsize) -> impl Extractor {
        from_fn("counting", move |article| {
            calls.fetch_add(1, Ordering::SeqCst);
            let open = article.text.find('“').unwrap() + '“'.len_utf8();
            Ok::<_, String>(vec![Prediction::at(Span::new(
                open,
                article.text.find('”').unwrap(),
            ))])
        })
        .with_version(version)
    }

    fn run_with(
        dir: &std::path::Path,
        cache: &Cache,
        e: &dyn Extractor,
    ) -> quotecheck::run::RunResult {
        let corpus = Corpus::open(dir).unwrap();
        let settings = RunSettings {
            cache: Some(cache.clone()),
            jobs: 2,
            ..RunSettings::default()
        };
        run(&corpus, &[e], &settings, &mut |_| {})
    }

    #[test]
    fn outputs_are_reused_until_the_extractor_or_the_text_changes() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        let dir = corpus(6);
        let store = tempfile::tempdir().unwrap();
        let cache = Cache::new(store.path());
        let v1 = counting("1", &CALLS);

        let first = run_with(dir.path(), &cache, &v1);
        assert_eq!(CALLS.swap(0, Ordering::SeqCst), 6);
        let second = run_with(dir.path(), &cache, &v1);
        assert_eq!(
            CALLS.swap(0, Ordering::SeqCst),
            0,
            "every output comes from the cache"
        );
        assert!(second.extractors[0].articles.iter().all(|a| a.cached));
        assert_eq!(first.extractors[0].totals, second.extractors[0].totals);

        // A new version is a new fingerprint: nothing stale is served.
        run_with(dir.path(), &cache, &counting("2", &CALLS));
        assert_eq!(CALLS.swap(0, Ordering::SeqCst), 6);

        // Editing one article's text reruns that article only; editing gold reruns nothing.
        let text = std::fs::read_to_string(dir.path().join("a002.txt")).unwrap();
        std::fs::write(
            dir.path().join("a002.txt"),
            text.replace("Officials", "Aides"),
        )
        .unwrap();
        std::fs::write(dir.path().join("a003.json"), r#"{"quotes": []}"#).unwrap();
        run_with(dir.path(), &cache, &v1);
        assert_eq!(CALLS.swap(0, Ordering::SeqCst), 1);

        // A damaged entry is a miss, not a crash; it is rewritten.
        let mut damaged = 0;
        for sub in std::fs::read_dir(store.path()).unwrap() {
            for f in std::fs::read_dir(sub.unwrap().path()).unwrap() {
                std::fs::write(f.unwrap().path(), b"{not json").unwrap();
                damaged += 1;
            }
        }
        assert!(damaged >= 6);
        let again = run_with(dir.path(), &cache, &v1);
        assert_eq!(CALLS.swap(0, Ordering::SeqCst), 6);
        assert!(again.extractors[0].failures().next().is_none());

        assert_eq!(cache.clear().unwrap(), damaged);
        run_with(dir.path(), &cache, &v1);
        assert_eq!(CALLS.swap(0, Ordering::SeqCst), 6);
    }

    #[test]
    fn extractors_without_a_version_are_never_cached() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        let dir = corpus(3);
        let store = tempfile::tempdir().unwrap();
        let cache = Cache::new(store.path());
        let e = from_fn("plain", |_| {
            CALLS.fetch_add(1, Ordering::SeqCst);
            Ok::<_, String>(vec![])
        });
        run_with(dir.path(), &cache, &e);
        run_with(dir.path(), &cache, &e);
        assert_eq!(CALLS.load(Ordering::SeqCst), 6);
        assert_eq!(
            std::fs::read_dir(store.path())
                .map(|d| d.count())
                .unwrap_or(0),
            0
        );
    }
}

#[test]
fn the_batch_hook_sees_every_batch_before_its_articles_are_extracted() {
    use quotecheck::corpus::Article;
    use quotecheck::extract::{Failure, Output};
    use std::sync::Mutex;

    /// Records the order of prefetch and extract calls.
    struct Batching {
        log: Mutex<Vec<String>>,
        prefetched: Mutex<std::collections::HashSet<String>>,
    }
    impl Extractor for Batching {
        fn extract(&self, article: &Article) -> Result<Output, Failure> {
            let id = article.id.to_string();
            assert!(
                self.prefetched.lock().unwrap().contains(&id),
                "{id} was extracted before its batch was prefetched"
            );
            self.log.lock().unwrap().push(format!("extract {id}"));
            Ok(Output::default())
        }
        fn prefetch(&self, articles: &[&Article]) {
            self.log
                .lock()
                .unwrap()
                .push(format!("prefetch {}", articles.len()));
            self.prefetched
                .lock()
                .unwrap()
                .extend(articles.iter().map(|a| a.id.to_string()));
        }
    }
    let dir = corpus(150);
    let corpus = Corpus::open(dir.path()).unwrap();
    let e = Batching {
        log: Mutex::new(Vec::new()),
        prefetched: Mutex::new(Default::default()),
    };
    run(&corpus, &[&e], &settings(2), &mut |_| {});
    let log = e.log.into_inner().unwrap();
    let batches: Vec<&String> = log.iter().filter(|l| l.starts_with("prefetch")).collect();
    assert_eq!(batches, ["prefetch 64", "prefetch 64", "prefetch 22"]);
    assert_eq!(log.iter().filter(|l| l.starts_with("extract")).count(), 150);
}

#[test]
fn without_every_article_kept_each_failure_is_kept_without_its_pairing() {
    use quotecheck::run::Keep;
    let dir = corpus(30);
    let corpus = Corpus::open(dir.path()).unwrap();
    let e = closure_extractor();
    let with = |keep: Keep| {
        let settings = RunSettings {
            keep,
            ..settings(2)
        };
        run(&corpus, &[&e], &settings, &mut |_| {})
    };
    let all = with(Keep::All);
    let worst = with(Keep::Worst(0));
    let failed = |r: &quotecheck::run::RunResult| -> Vec<_> {
        r.extractors[0]
            .articles
            .iter()
            .filter(|a| a.failure.is_some())
            .map(|a| {
                let counts = Criterion::ALL.map(|c| a.score.counts(c));
                (
                    a.id.clone(),
                    a.position,
                    a.status(),
                    a.failure.clone(),
                    counts,
                )
            })
            .collect()
    };
    // Articles 0, 5 (a panic), 7, 14, 21 and 28 fail.
    assert_eq!(failed(&all).len(), 6);
    assert_eq!(failed(&worst), failed(&all));
    assert_eq!(worst.extractors[0].articles.len(), 6, "only the failures");
    for a in &worst.extractors[0].articles {
        assert!(
            a.score.alignment.gold.is_empty() && a.gold_ids.is_empty(),
            "{}",
            a.id
        );
    }
    assert!(all.extractors[0]
        .articles
        .iter()
        .all(|a| !a.score.alignment.gold.is_empty()));
    assert_eq!(
        worst.extractors[0].totals.micro(Criterion::Attribution),
        all.extractors[0].totals.micro(Criterion::Attribution)
    );
}
