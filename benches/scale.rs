//! The measurements of `benches/scale.py` that the command line cannot
//! make. Not a criterion benchmark: a small program, run as
//!
//! ```text
//! scale floor CORPUS REPLAY   # read and parse both with serde_json, nothing else
//! scale score CORPUS REPLAY   # load with quotecheck, then time scoring alone
//! ```
//!
//! Each prints one JSON object on standard output. `CORPUS` and `REPLAY`
//! are what `quotecheck gen` writes: `.jsonl` files or folders.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Instant;

use quotecheck::align::Scheme;
use quotecheck::corpus::{Corpus, Item};
use quotecheck::extract::{Extractor, Replay};
use quotecheck::score::{score_article, Criterion, Totals};
use serde_json::Value;

/// CPU time of the calling thread, in seconds: unlike wall-clock time it
/// does not depend on what else the machine is doing.
fn thread_cpu() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec to write to.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0, "clock_gettime");
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is a flag here.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["floor", corpus, replay] => floor(Path::new(corpus), Path::new(replay)),
        ["score", corpus, replay] => score(Path::new(corpus), Path::new(replay)),
        _ => {
            eprintln!("usage: scale floor|score CORPUS REPLAY");
            std::process::exit(2);
        }
    }
}

/// The floor: every byte of the corpus and the replay read, every JSON
/// document parsed into a `serde_json::Value`, and nothing else — no
/// checks, no offsets, no scoring.
fn floor(corpus: &Path, replay: &Path) {
    let (started, cpu) = (Instant::now(), thread_cpu());
    let mut documents = 0usize;
    let mut quotes = 0usize;
    let mut parse = |bytes: &[u8]| {
        let v: Value = serde_json::from_slice(bytes).expect("valid JSON");
        documents += 1;
        quotes += v["quotes"].as_array().map_or(0, Vec::len);
    };
    for path in [corpus, replay] {
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .expect("a readable folder")
                .map(|e| e.expect("a readable entry").path())
                .collect();
            entries.sort();
            for p in entries {
                let bytes = std::fs::read(&p).expect("a readable file");
                if p.extension().is_some_and(|e| e == "json") {
                    parse(&bytes);
                } else {
                    // Article texts are read and checked as UTF-8 only.
                    std::str::from_utf8(&bytes).expect("UTF-8 text");
                }
            }
        } else {
            let mut reader = BufReader::with_capacity(1 << 16, File::open(path).expect("a file"));
            let mut line = Vec::new();
            while reader.read_until(b'\n', &mut line).expect("readable") > 0 {
                parse(&line);
                line.clear();
            }
        }
    }
    let (seconds, cpu) = (started.elapsed().as_secs_f64(), thread_cpu() - cpu);
    println!(
        "{}",
        serde_json::json!({"mode": "floor", "documents": documents, "quotes": quotes, "seconds": seconds, "cpu_seconds": cpu})
    );
}

/// Scoring alone: every article and its predictions are loaded and
/// resolved first; only `score_article` and the totals are timed, on one
/// thread.
fn score(corpus: &Path, replay: &Path) {
    let corpus = Corpus::open(corpus).expect("a corpus");
    let replay = Replay::open("bench", replay).expect("a replay");
    let loaded: Vec<_> = corpus
        .items()
        .filter_map(|item| match item {
            Item::Article { article, .. } => {
                let predictions = replay
                    .extract(&article)
                    .map(|o| o.quotes)
                    .unwrap_or_default();
                Some((article, predictions))
            }
            Item::Broken { .. } => None,
        })
        .collect();
    let scheme = Scheme::default();
    let (started, cpu) = (Instant::now(), thread_cpu());
    let mut totals = Totals::new();
    for (article, predictions) in &loaded {
        let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
        totals.add(&score_article(&article.text, gold, predictions, &scheme));
    }
    let (seconds, cpu) = (started.elapsed().as_secs_f64(), thread_cpu() - cpu);
    let c = totals.counts(Criterion::Content);
    println!(
        "{}",
        serde_json::json!({
            "mode": "score",
            "articles": loaded.len(),
            "seconds": seconds,
            "cpu_seconds": cpu,
            "content": {"tp": c.tp, "fp": c.fp, "fn": c.fn_},
        })
    );
}
