//! Nothing scored is not a pass: `run`, `merge` and `compare` that score
//! no article exit 2 and say why, unless `--allow-empty` is given; one
//! empty shard of a sharded run is not an error; `--rerun-failed` with
//! nothing to rerun says so.

use crate::util::{self, corpus::town_corpus, Dir};

fn project_corpus() -> String {
    util::repo().join("corpus").display().to_string()
}

/// The figures table of an extractor that scored nothing, as it was
/// printed before: a row of 1.000s.
fn has_figures(out: &str) -> bool {
    out.contains("1.000  1.000  1.000") || out.contains("  content  ")
}

#[test]
fn a_pattern_that_matches_nothing_exits_2_with_did_you_mean() {
    let dir = Dir::new();
    let corpus = project_corpus();
    let out = dir.run_expect(2, &["run", "--corpus", &corpus, "--articles", "bbc/**"]);
    assert!(!has_figures(&out), "{out}");
    assert!(
        out.contains(
            "error: nothing was scored: --articles 'bbc/**' matched none of the 10 articles"
        ),
        "{out}"
    );
    assert!(out.contains("did you mean bbc-libya-us-talks?"), "{out}");
    assert!(
        out.contains("hint: ") && out.contains("--allow-empty"),
        "{out}"
    );
    assert!(!out.contains("gates: passed"), "{out}");

    // A missing path prefix is close too.
    let out = dir.run_expect(
        2,
        &[
            "run",
            "--corpus",
            &corpus,
            "--articles",
            "bremen-hansewerft",
        ],
    );
    assert!(
        out.contains("did you mean world/bremen-hansewerft?"),
        "{out}"
    );

    // Nothing close: no suggestion, but still how the pattern was read.
    let out = dir.run_expect(2, &["run", "--corpus", &corpus, "--articles", "zzz*"]);
    assert!(
        out.contains("--articles 'zzz*' matched none of the 10 articles"),
        "{out}"
    );
    assert!(!out.contains("did you mean"), "{out}");
}

#[test]
fn allow_empty_accepts_an_empty_run_without_showing_figures() {
    let dir = Dir::new();
    let corpus = project_corpus();
    let out = dir.run_expect(
        0,
        &[
            "run",
            "--corpus",
            &corpus,
            "--articles",
            "bbc/**",
            "--allow-empty",
            "--min-f1",
            "0.5",
            "--json",
            "report.json",
            "--junit",
            "junit.xml",
        ],
    );
    assert!(!has_figures(&out), "{out}");
    assert!(out.contains("nothing scored"), "{out}");
    assert!(!out.contains("gates: passed"), "{out}");
    assert!(out.contains("gates: not checked"), "{out}");
    let report = dir.json("report.json");
    let e = &report["extractors"][0];
    assert_eq!(e["status"], "nothing-scored", "{e}");
    assert!(e["micro"].is_null() && e["macro"].is_null(), "{e}");
    // JUnit does not hold one passing case: nothing scored is said, as
    // skipped when it is allowed.
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(junit.contains("nothing scored"), "{junit}");
    assert!(junit.contains("<skipped"), "{junit}");
    assert!(
        !junit.contains(r#"<testcase name="gates" classname="baseline"/>"#),
        "{junit}"
    );
}

#[test]
fn junit_of_an_empty_run_has_a_failing_case() {
    let dir = Dir::new();
    let corpus = project_corpus();
    dir.run_expect(
        2,
        &[
            "run",
            "--corpus",
            &corpus,
            "--articles",
            "nope",
            "--junit",
            "junit.xml",
        ],
    );
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(junit.contains(r#"failures="1""#), "{junit}");
    assert!(junit.contains("nothing scored"), "{junit}");
}

#[test]
fn an_empty_folder_or_jsonl_exits_2() {
    let dir = Dir::new();
    std::fs::create_dir(dir.join("empty")).unwrap();
    let out = dir.run_expect(2, &["run", "--corpus", "empty"]);
    assert!(!has_figures(&out), "{out}");
    assert!(
        out.contains("error: nothing was scored: empty holds no article"),
        "{out}"
    );
    dir.write("empty.jsonl", "");
    let out = dir.run_expect(2, &["run", "--corpus", "empty.jsonl"]);
    assert!(
        out.contains("error: nothing was scored: empty.jsonl holds no article"),
        "{out}"
    );
    dir.run_expect(0, &["run", "--corpus", "empty.jsonl", "--allow-empty"]);
}

#[test]
fn only_unannotated_or_draft_articles_exit_2_saying_so() {
    let dir = town_corpus(&["a", "b", "c"], "", true);
    // `a` loses its gold, `b` and `c` become drafts.
    std::fs::remove_file(dir.join("corpus/a.json")).unwrap();
    for id in ["b", "c"] {
        let path = dir.join(&format!("corpus/{id}.json"));
        let mut gold: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        gold["status"] = "draft".into();
        std::fs::write(&path, gold.to_string()).unwrap();
    }
    let out = dir.run_expect(2, &["run", "--corpus", "corpus"]);
    assert!(!has_figures(&out), "{out}");
    assert!(
        out.contains("nothing was scored: corpus has 3 articles: 1 has no gold, 2 are drafts (--include-drafts scores them)"),
        "{out}"
    );
    dir.run_expect(0, &["run", "--corpus", "corpus", "--include-drafts"]);
}

#[test]
fn an_empty_shard_passes_but_a_merge_of_nothing_exits_2() {
    let dir = town_corpus(&["a"], "", true);
    // The only article is in shard 1: shard 2 holds nothing, which is fine.
    let out = dir.run_expect(
        0,
        &[
            "run",
            "--corpus",
            "corpus",
            "--shard",
            "2/2",
            "--json",
            "part-2.json",
        ],
    );
    assert!(!has_figures(&out), "{out}");
    assert!(out.contains("nothing scored"), "{out}");
    assert_eq!(dir.json("part-2.json")["shard"]["index"], 2);
    dir.run_expect(
        0,
        &[
            "run",
            "--corpus",
            "corpus",
            "--shard",
            "1/2",
            "--json",
            "part-1.json",
        ],
    );
    let out = dir.run_expect(
        0,
        &[
            "merge",
            "part-1.json",
            "part-2.json",
            "--json",
            "merged.json",
        ],
    );
    assert!(out.contains("1 articles scored"), "{out}");
    assert_eq!(dir.json("merged.json")["extractors"][0]["status"], "ok");

    // Every shard empty: the merge exits 2.
    std::fs::remove_file(dir.join("corpus/a.json")).unwrap();
    for k in ["1", "2"] {
        dir.run_expect(
            0,
            &[
                "run",
                "--corpus",
                "corpus",
                "--shard",
                &format!("{k}/2"),
                "--json",
                &format!("part-{k}.json"),
            ],
        );
    }
    let out = dir.run_expect(2, &["merge", "part-1.json", "part-2.json"]);
    assert!(!has_figures(&out), "{out}");
    assert!(
        out.contains("error: nothing was scored: corpus has 1 article: 1 has no gold"),
        "{out}"
    );
    dir.run_expect(0, &["merge", "part-1.json", "part-2.json", "--allow-empty"]);
}

#[test]
fn rerun_failed_with_nothing_to_rerun() {
    let dir = town_corpus(&["a", "b"], "", true);
    // No record at all.
    let out = dir.run_expect(2, &["run", "--corpus", "corpus", "--rerun-failed"]);
    assert!(out.contains("--rerun-failed needs a previous run"), "{out}");

    // A run that passed: nothing to rerun, and that is a pass.
    dir.run_expect(0, &["run", "--corpus", "corpus"]);
    let out = dir.run_expect(0, &["run", "--corpus", "corpus", "--rerun-failed"]);
    assert!(!has_figures(&out), "{out}");
    assert!(
        out.contains("nothing to rerun: no article failed in the last run, and it passed"),
        "{out}"
    );
}

#[test]
fn rerun_failed_after_a_failed_gate_or_an_old_record() {
    let dir = town_corpus(&["a", "b"], "", true);
    // A replay that answers every article with no quote: no article
    // fails, but the gate does.
    for id in ["a", "b"] {
        dir.write(&format!("runs/{id}.json"), r#"{"quotes": []}"#);
    }
    let replay = ["--replay", "none=runs"];
    dir.run_expect(
        1,
        &[
            &["run", "--corpus", "corpus", "--min-f1", "0.5"][..],
            &replay,
        ]
        .concat(),
    );
    let out = dir.run_expect(
        2,
        &[
            &["run", "--corpus", "corpus", "--rerun-failed"][..],
            &replay,
        ]
        .concat(),
    );
    assert!(!has_figures(&out), "{out}");
    assert!(
        out.contains("nothing to rerun: no article failed in the last run, but it did not pass"),
        "{out}"
    );

    // Failures recorded for articles that are gone from the corpus.
    dir.write(
        ".quotecheck/last-run.json",
        r#"{"failed": ["gone", "also-gone"], "passed": false}"#,
    );
    let out = dir.run_expect(
        2,
        &[
            &["run", "--corpus", "corpus", "--rerun-failed"][..],
            &replay,
        ]
        .concat(),
    );
    assert!(
        out.contains("nothing was scored: corpus has 2 articles: 2 not among the 2 articles that failed in the last run (--rerun-failed)"),
        "{out}"
    );

    // A record written before runs recorded whether they passed.
    dir.write(".quotecheck/last-run.json", r#"{"failed": []}"#);
    let out = dir.run_expect(2, &["run", "--corpus", "corpus", "--rerun-failed"]);
    assert!(out.contains("nothing to rerun"), "{out}");
}

#[test]
fn compare_with_nothing_scored_exits_2() {
    let (dir, corpus) = util::corpus::damaged_project();
    let args = [
        "compare",
        "--corpus",
        &corpus,
        "--extractor",
        "baseline",
        "--replay",
        "damaged=damaged.jsonl",
        "--articles",
        "bbc/**",
    ];
    let out = dir.run_expect(2, &args);
    assert!(
        out.contains(
            "error: nothing was scored: --articles 'bbc/**' matched none of the 10 articles"
        ),
        "{out}"
    );
    assert!(out.contains("did you mean bbc-libya-us-talks?"), "{out}");
    assert!(!out.contains("p = "), "{out}");
    let mut allowed = args.to_vec();
    allowed.push("--allow-empty");
    dir.run_expect(0, &allowed);
}

#[test]
fn a_run_that_scored_nothing_deletes_no_snapshot() {
    let dir = town_corpus(&["a"], "", true);
    dir.run_expect(0, &["run", "--corpus", "corpus", "--update", "always"]);
    assert!(
        dir.join("snapshots/baseline/a.snap").exists(),
        "{}",
        dir.listing()
    );
    // A wrong corpus path, to an empty folder: every snapshot looks
    // unreferenced, but nothing was checked.
    std::fs::create_dir(dir.join("elsewhere")).unwrap();
    let out = dir.run_expect(
        2,
        &["run", "--corpus", "elsewhere", "--unreferenced", "delete"],
    );
    assert!(
        out.contains("--unreferenced delete deletes nothing on a run that scored nothing"),
        "{out}"
    );
    assert!(
        dir.join("snapshots/baseline/a.snap").exists(),
        "{out}\n{}",
        dir.listing()
    );
}
