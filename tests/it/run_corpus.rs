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
