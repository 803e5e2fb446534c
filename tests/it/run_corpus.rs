//! `quotecheck run` on the project's own `corpus/` with a replay made from
//! its gold by deterministic damage: every kind of mismatch appears, in
//! every offset unit, and the reports are snapshotted.

use crate::util;

use serde_json::Value;
use util::{replay_of_corpus, Dir};

#[test]
fn replay_on_the_project_corpus() {
    let dir = Dir::new();
    dir.write("damaged.jsonl", replay_of_corpus());
    let corpus = util::repo().join("corpus");
    let corpus = corpus.to_str().unwrap();
    let out = dir.run_expect(
        0,
        &[
            "run",
            "--corpus",
            corpus,
            "--replay",
            "damaged.jsonl",
            "--json",
            "report.json",
            "--worst",
            "3",
            "--diffs",
            "1",
        ],
    );
    insta::assert_snapshot!(out.replace(corpus, "corpus"));
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    let mut report = serde_json::to_string_pretty(&report)
        .unwrap()
        .replace(corpus, "corpus");
    report.push('\n');
    let report: Value = serde_json::from_str(&report).unwrap();
    insta::assert_json_snapshot!(report, {".extractors[].articles[].elapsed_ms" => "[ms]", ".quotecheck" => "[version]"});
}

/// `docs/examples/damaged-replay.jsonl`, used in the docs, is the replay
/// this file's helper makes; regenerate it with
/// `QUOTECHECK_REGENERATE=1 cargo test --test it run_corpus::`.
#[test]
fn the_documented_replay_is_current() {
    let path = util::repo().join("docs/examples/damaged-replay.jsonl");
    let fresh = replay_of_corpus();
    if std::env::var_os("QUOTECHECK_REGENERATE").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale: regenerate it (see this test's doc)",
        path.display()
    );
}

/// `text` with every `"elapsed_ms": N` made 0: the one field that differs
/// between two runs.
fn without_elapsed(text: &str) -> String {
    text.lines()
        .map(|l| match l.split_once("\"elapsed_ms\": ") {
            Some((head, tail)) => {
                let rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
                format!("{head}\"elapsed_ms\": 0{rest}")
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_json_report_written_as_articles_finish_is_the_report_of_every_article_kept() {
    // `--json` streams the report; with `--html` the run keeps every
    // article as well (the page lists them), and `--junit` streams beside
    // it: the same bytes in every combination, snapshot states included.
    let dir = Dir::new();
    for part in ["corpus", "snapshots"] {
        util::dir::copy_tree(&util::repo().join(part), &dir.join(part));
    }
    dir.write("replay.jsonl", replay_of_corpus());
    let base = [
        "run",
        "--corpus",
        "corpus",
        "-e",
        "baseline",
        "--replay",
        "v=replay.jsonl",
        "--update",
        "no",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter().chain(extra).map(|s| s.to_string()).collect()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = dir.run(&args);
        out.lines().next().unwrap().to_string()
    };
    let streamed = run(with(&["--json", "streamed.json"]));
    let kept = run(with(&["--json", "kept.json", "--html", "p.html"]));
    let both = run(with(&["--json", "both.json", "--junit", "j.xml"]));
    assert_eq!(streamed, both, "the same exit code");
    assert_eq!(streamed, kept, "the same exit code");
    let text = |f: &str| without_elapsed(&std::fs::read_to_string(dir.join(f)).unwrap());
    let (s, k) = (text("streamed.json"), text("kept.json"));
    assert!(s.contains("\"snapshot\": \"unchanged\""), "{s}");
    assert!(s.contains("\"snapshot\": \"none\""), "{s}");
    assert_eq!(s, k);
    assert_eq!(text("both.json"), s);
    let stdout = util::bin::quotecheck(dir.path())
        .args(with(&["--json", "-"]))
        .output()
        .stdout();
    assert_eq!(without_elapsed(&stdout), s);
}
