//! A run on which more articles fail than it keeps whole (past
//! `FailureTail::KEPT`, 1,000): every failure still counts, is listed in
//! the JSON report, is checked by the gate and is rerun by
//! `--rerun-failed`, while memory holds only the first thousand.

use serde_json::Value;

use crate::util::{bin, Dir};

/// Articles in the corpus: ten more than a run keeps whole.
const ARTICLES: usize = 1010;

/// A corpus of `ARTICLES` short articles and an empty replay, on which
/// every article fails as `missing`.
fn project() -> Dir {
    let dir = Dir::new();
    let out = bin::quotecheck(dir.path())
        .args([
            "gen",
            "--articles",
            &ARTICLES.to_string(),
            "--quotes",
            "1",
            "--corpus",
            "c.jsonl",
            "--replay",
            "unused.jsonl",
        ])
        .output();
    assert_eq!(out.code(), Some(0), "{}", out.stderr());
    std::fs::write(dir.path().join("empty.jsonl"), "").unwrap();
    dir
}

fn report(dir: &Dir, name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(dir.path().join(name)).unwrap()).unwrap()
}

/// The report without what differs from run to run.
fn steady(mut report: Value) -> Value {
    for e in report["extractors"].as_array_mut().unwrap() {
        for a in e["articles"].as_array_mut().unwrap() {
            a["elapsed_ms"] = Value::Null;
        }
    }
    report
}

/// That a run or merge failed, counted every failure and listed the
/// first thousand.
fn counts_every_failure(out: &bin::Output) {
    assert_eq!(out.code(), Some(1), "{}", out.stderr());
    let stdout = out.stdout();
    assert!(
        stdout.contains(&format!("failed on every article ({ARTICLES})")),
        "{stdout}"
    );
    assert!(
        stdout.contains("… and 10 more failed article(s), not listed here"),
        "{stdout}"
    );
}

#[test]
fn failures_past_those_kept_are_counted_listed_gated_and_rerun() {
    let dir = project();
    let run = |extra: &[&str]| {
        let args = [
            &["run", "--corpus", "c.jsonl", "--no-cache", "--no-snapshots"],
            extra,
        ]
        .concat();
        bin::quotecheck(dir.path()).args(args).output()
    };
    // Only the worst are kept: the terminal and JSON reports.
    let out = run(&[
        "--replay",
        "e=empty.jsonl",
        "--json",
        "worst.json",
        "--markdown",
        "summary.md",
    ]);
    counts_every_failure(&out);
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(
        summary.contains("- e · … and 10 more (every failure is in the JSON report)"),
        "{summary}"
    );
    assert!(summary.contains(&format!("| {ARTICLES} |")), "{summary}");
    let worst = report(&dir, "worst.json");
    let e = &worst["extractors"][0];
    assert_eq!(e["status"], "failed", "{e}");
    let failures = e["failures"].as_array().unwrap();
    assert_eq!(failures.len(), ARTICLES);
    let ids: Vec<&str> = e["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), ARTICLES);
    let failed: Vec<&str> = failures.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(failed, ids, "every failure, in corpus order");
    assert!(failures.iter().all(|f| f["status"] == "missing"));
    // `--rerun-failed` has every one.
    let last: Value = report(&dir, ".quotecheck/last-run.json");
    assert_eq!(last["failed"].as_array().unwrap().len(), ARTICLES);

    // Two extractors failing on every article: each id recorded once.
    let out = run(&["--replay", "e=empty.jsonl", "--replay", "f=empty.jsonl"]);
    assert_eq!(out.code(), Some(1), "{}", out.stderr());
    let last: Value = report(&dir, ".quotecheck/last-run.json");
    let recorded: Vec<&str> = last["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    assert_eq!(recorded, ids, "once each, in corpus order");
    assert_eq!(last["passed"], false);

    // The same JSON report as a run that keeps every article (--html).
    let out = run(&[
        "--replay",
        "e=empty.jsonl",
        "--json",
        "all.json",
        "--html",
        "all.html",
    ]);
    assert_eq!(out.code(), Some(1), "{}", out.stderr());
    assert_eq!(steady(report(&dir, "all.json")), steady(worst.clone()));

    // Two shards merged: the unsharded report, every failure listed.
    for k in ["1/2", "2/2"] {
        let part = format!("part{}.json", &k[..1]);
        let out = run(&["--replay", "e=empty.jsonl", "--shard", k, "--json", &part]);
        assert_eq!(out.code(), Some(1), "{}", out.stderr());
    }
    let out = bin::quotecheck(dir.path())
        .args(["merge", "part1.json", "part2.json", "--json", "merged.json"])
        .output();
    counts_every_failure(&out);
    assert_eq!(steady(report(&dir, "merged.json")), steady(worst));
}
