//! `quotecheck gen`, the synthetic corpus of the benchmarks: the same seed
//! writes the same bytes, what it writes is a valid corpus, and scoring it
//! gives the same figures in every layout, with any number of jobs, and
//! whether the run keeps every article or only the worst.

use crate::util;

use serde_json::Value;
use util::{gen, Dir};

/// Runs `quotecheck ARGS` in `dir` and returns (exit code, stdout).
fn quotecheck(dir: &Dir, args: &[&str]) -> (i32, String) {
    let out = util::bin::quotecheck(dir.path()).args(args).output();
    (out.code().unwrap_or(-1), out.stdout())
}

fn read(dir: &Dir, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let dir = Dir::new();
    gen(&dir, 60, 7, "a/c.jsonl", "a/r.jsonl");
    gen(&dir, 60, 7, "b/c.jsonl", "b/r.jsonl");
    gen(&dir, 60, 8, "c/c.jsonl", "c/r.jsonl");
    gen(&dir, 25, 7, "d/c.jsonl", "d/r.jsonl");
    assert_eq!(read(&dir, "a/c.jsonl"), read(&dir, "b/c.jsonl"));
    assert_eq!(read(&dir, "a/r.jsonl"), read(&dir, "b/r.jsonl"));
    assert_ne!(read(&dir, "a/c.jsonl"), read(&dir, "c/c.jsonl"));
    assert_ne!(read(&dir, "a/r.jsonl"), read(&dir, "c/r.jsonl"));
    // Each article has its own generator: a smaller corpus is a prefix.
    let lines = |name| {
        String::from_utf8(read(&dir, name))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(lines("a/c.jsonl")[..25], lines("d/c.jsonl")[..]);
    assert_eq!(lines("a/r.jsonl")[..25], lines("d/r.jsonl")[..]);
}

#[test]
fn it_writes_every_perturbation_into_a_valid_corpus() {
    let dir = Dir::new();
    gen(&dir, 200, 1, "c.jsonl", "r.jsonl");
    gen(&dir, 200, 1, "corpus", "replay");
    for corpus in ["c.jsonl", "corpus"] {
        let (code, out) = quotecheck(&dir, &["validate", corpus]);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("200 articles (200 annotated"), "{out}");
    }
    let replay = String::from_utf8(read(&dir, "r.jsonl")).unwrap();
    let lines: Vec<Value> = replay
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.iter().any(|l| l["offsets"] == "utf16"));
    let quotes: Vec<&Value> = lines
        .iter()
        .flat_map(|l| l["quotes"].as_array().unwrap())
        .collect();
    assert!(quotes
        .iter()
        .any(|q| q["content"].get("start").is_none() && q["content"].get("text").is_some()));
    assert!(quotes.iter().any(|q| q["content"].is_array()));
    // Missed quotes, spurious predictions, shifted boundaries and wrong
    // speakers all show in the scores.
    let (_, report) = quotecheck(
        &dir,
        &[
            "run",
            "--corpus",
            "c.jsonl",
            "--replay",
            "r.jsonl",
            "--no-cache",
            "--diffs",
            "none",
            "--json",
            "-",
        ],
    );
    let report: Value = serde_json::from_str(&report).unwrap();
    let micro = &report["extractors"][0]["micro"];
    for criterion in ["content", "attribution", "kind"] {
        let c = &micro[criterion];
        assert!(c["tp"].as_u64().unwrap() > 0, "{criterion}: {c}");
        assert!(c["fp"].as_u64().unwrap() > 0, "{criterion}: {c}");
        assert!(c["fn"].as_u64().unwrap() > 0, "{criterion}: {c}");
    }
    assert!(
        micro["attribution"]["tp"].as_u64() < micro["content"]["tp"].as_u64(),
        "some speakers are wrong"
    );
    assert_eq!(report["extractors"][0]["failures"], Value::Array(vec![]));
}

#[test]
fn text_bytes_pads_articles_with_the_quotes_spread_over_them() {
    let dir = Dir::new();
    let (code, out) = quotecheck(
        &dir,
        &[
            "gen",
            "--articles",
            "50",
            "--quotes",
            "9",
            "--text-bytes",
            "6000",
            "--corpus",
            "c.jsonl",
            "--replay",
            "r.jsonl",
        ],
    );
    assert_eq!(code, 0, "{out}");
    gen(&dir, 50, 1, "plain.jsonl", "plain-r.jsonl");
    let lines = |name| -> Vec<Value> {
        String::from_utf8(read(&dir, name))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let (padded, plain) = (lines("c.jsonl"), lines("plain.jsonl"));
    assert_eq!(padded.len(), 50);
    for (a, b) in padded.iter().zip(&plain) {
        let text = a["text"].as_str().unwrap();
        // At least the size asked for, and no more than one sentence past it.
        assert!((6000..6400).contains(&text.len()), "{}", text.len());
        let quotes = a["quotes"].as_array().unwrap();
        assert_eq!(quotes.len(), 9);
        // Spread over the text, not all at its start.
        let last = &quotes[8]["content"];
        let last = last.get(1).unwrap_or(last);
        let end = last["end"].as_u64().unwrap() as usize;
        assert!(end > text.chars().count() * 3 / 4, "{end}");
        assert!(b["text"].as_str().unwrap().len() < 6000);
    }
    let (code, out) = quotecheck(&dir, &["validate", "c.jsonl"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("50 articles (50 annotated"), "{out}");
    // The padded corpus's predictions score about as the unpadded ones do.
    let (_, report) = quotecheck(
        &dir,
        &[
            "run",
            "--corpus",
            "c.jsonl",
            "--replay",
            "r.jsonl",
            "--no-cache",
            "--diffs",
            "none",
            "--json",
            "-",
        ],
    );
    let report: Value = serde_json::from_str(&report).unwrap();
    let content = &report["extractors"][0]["micro"]["content"];
    assert!(content["tp"].as_u64().unwrap() > 300, "{content}");
    assert_eq!(report["extractors"][0]["failures"], Value::Array(vec![]));
}

/// A JSON report without what differs between runs and layouts.
fn figures(report: &str) -> Value {
    let mut report: Value = serde_json::from_str(report).unwrap();
    report["corpus"]["path"] = Value::Null;
    for a in report["extractors"][0]["articles"].as_array_mut().unwrap() {
        a["elapsed_ms"] = Value::Null;
    }
    report
}

#[test]
fn layouts_jobs_and_kept_articles_do_not_change_a_figure() {
    let dir = Dir::new();
    gen(&dir, 300, 3, "c.jsonl", "r.jsonl");
    gen(&dir, 300, 3, "corpus", "replay");
    let run = |corpus: &str, replay: &str, jobs: &str, json: bool| {
        let mut args = vec![
            "run",
            "--corpus",
            corpus,
            "--replay",
            replay,
            "--no-cache",
            "--diffs",
            "2",
            "--jobs",
            jobs,
            "--color",
            "never",
        ];
        if json {
            args.extend(["--json", "report.json"]);
        }
        let (_, out) = quotecheck(&dir, &args);
        (
            out,
            json.then(|| String::from_utf8(read(&dir, "report.json")).unwrap()),
        )
    };
    let (terminal, report) = run("c.jsonl", "bench=r.jsonl", "1", true);
    let report = figures(&report.unwrap());
    for (corpus, replay) in [("c.jsonl", "bench=r.jsonl"), ("corpus", "bench=replay")] {
        for jobs in ["1", "2"] {
            let (t, r) = run(corpus, replay, jobs, true);
            assert_eq!(figures(&r.unwrap()), report, "{corpus} --jobs {jobs}");
            let t = t.replace("corpus corpus ·", "corpus c.jsonl ·");
            assert_eq!(t, terminal, "{corpus} --jobs {jobs}");
            // Without a report of every article, the run keeps only the
            // worst: the terminal report must not change.
            let (kept_worst, _) = run(corpus, replay, jobs, false);
            let kept_worst = kept_worst.replace("corpus corpus ·", "corpus c.jsonl ·");
            assert_eq!(kept_worst, terminal, "{corpus} --jobs {jobs}, worst only");
        }
    }
    assert!(
        terminal.contains("worst articles by end-to-end F1:"),
        "{terminal}"
    );
    assert!(terminal.contains("more below 1.000"), "{terminal}");
}
