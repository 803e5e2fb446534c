//! CI integration: gates, baselines, JUnit and Markdown, through the real binary.

use crate::util;

use serde_json::Value;
use util::corpus::damaged_project;
use util::{replay_of_corpus, Dir};

fn run(dir: &Dir, corpus: &str, code: i32, extra: &[&str]) -> String {
    let mut args = vec![
        "run",
        "--corpus",
        corpus,
        "--replay",
        "v=damaged.jsonl",
        "--worst",
        "2",
        "--diffs",
        "none",
    ];
    args.extend_from_slice(extra);
    dir.run_expect(code, &args).replace(corpus, "corpus")
}

#[test]
fn min_f1_gates_set_the_exit_code() {
    let (dir, corpus) = damaged_project();
    // The damaged replay's end-to-end micro F1 is 0.528, content 0.745.
    run(&dir, &corpus, 0, &["--min-f1", "0.5"]);
    run(
        &dir,
        &corpus,
        0,
        &["--min-f1", "content=0.7", "--min-f1", "attribution=0.52"],
    );
    let out = run(
        &dir,
        &corpus,
        1,
        &["--min-f1", "0.6", "--min-f1", "content=0.7"],
    );
    assert!(out.contains("gates: 1 failed"), "{out}");
    assert!(
        out.contains("v: end-to-end F1 0.528 is below the minimum 0.600"),
        "{out}"
    );
    for bad in ["speaker=0.5", "1.5", "x"] {
        let out = dir.run_expect(
            2,
            &[
                "run",
                "--corpus",
                &corpus,
                "--replay",
                "damaged.jsonl",
                "--min-f1",
                bad,
            ],
        );
        assert!(out.contains("--min-f1"), "{out}");
    }
}

/// The report calls the headline criterion `end-to-end`, so that is the
/// name a user types, on the command line and in `[gates]`; `attribution`,
/// its key in the JSON report, names the same criterion.
#[test]
fn end_to_end_is_the_name_of_the_criterion_everywhere() {
    let (dir, corpus) = damaged_project();
    // The damaged replay's end-to-end micro F1 is 0.528.
    run(&dir, &corpus, 0, &["--min-f1", "end-to-end=0.52"]);
    let out = run(&dir, &corpus, 1, &["--min-f1", "end-to-end=0.6"]);
    assert!(
        out.contains("v: end-to-end F1 0.528 is below the minimum 0.600"),
        "{out}"
    );
    let same = run(&dir, &corpus, 1, &["--min-f1", "attribution=0.6"]);
    assert_eq!(same, out);
    // The configuration's gates take the same names.
    dir.write(
        "quotecheck.toml",
        "[gates]\nmin_f1 = [\"end-to-end=0.6\", \"content=0.7\"]\n",
    );
    let out = run(&dir, &corpus, 1, &[]);
    assert!(
        out.contains("gates: 1 failed") && out.contains("v: end-to-end F1 0.528"),
        "{out}"
    );
    // An unknown criterion lists the names to use.
    let out = dir.run_expect(
        2,
        &[
            "run",
            "--corpus",
            &corpus,
            "--replay",
            "damaged.jsonl",
            "--min-f1",
            "speaker=0.5",
        ],
    );
    assert!(
        out.contains("unknown criterion \"speaker\": use content, end-to-end, cue or kind"),
        "{out}"
    );
    dir.write("quotecheck.toml", "[gates]\nmin_f1 = [\"speaker=0.5\"]\n");
    let out = dir.run_expect(
        2,
        &["run", "--corpus", &corpus, "--replay", "damaged.jsonl"],
    );
    assert!(
        out.contains("gates.min_f1: \"speaker=0.5\": unknown criterion \"speaker\": use content, end-to-end, cue or kind"),
        "{out}"
    );
}

#[test]
fn baseline_regressions_with_and_without_tolerance() {
    let (dir, corpus) = damaged_project();
    run(&dir, &corpus, 0, &["--json", "before.json"]);
    // The same predictions against their own baseline: nothing dropped.
    let out = run(&dir, &corpus, 0, &["--baseline", "before.json"]);
    assert!(out.contains("gates: passed"), "{out}");

    // Make the extractor worse on one article: drop all its predictions.
    let worse: String = replay_of_corpus()
        .lines()
        .map(|l| {
            if l.contains("\"id\":\"kestrel-bank-rates\"") {
                r#"{"id":"kestrel-bank-rates","quotes":[]}"#.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    dir.write("damaged.jsonl", worse);
    let out = run(
        &dir,
        &corpus,
        1,
        &["--baseline", "before.json", "--json", "after.json"],
    );
    insta::assert_snapshot!(out);

    // Within tolerance, it passes.
    let before: Value =
        serde_json::from_slice(&std::fs::read(dir.join("before.json")).unwrap()).unwrap();
    let after: Value =
        serde_json::from_slice(&std::fs::read(dir.join("after.json")).unwrap()).unwrap();
    let drop = (0..4)
        .map(|i| ["content", "attribution", "cue", "kind"][i])
        .map(|c| {
            before["extractors"][0]["micro"][c]["f1"].as_f64().unwrap()
                - after["extractors"][0]["micro"][c]["f1"].as_f64().unwrap()
        })
        .fold(0.0, f64::max);
    run(
        &dir,
        &corpus,
        0,
        &[
            "--baseline",
            "before.json",
            "--tolerance",
            &format!("{:.4}", drop + 0.0001),
        ],
    );
    run(
        &dir,
        &corpus,
        1,
        &[
            "--baseline",
            "before.json",
            "--tolerance",
            &format!("{:.4}", drop - 0.0001),
        ],
    );

    // A baseline that is not a report is bad input.
    dir.write("junk.json", "{}");
    let out = dir.run_expect(
        2,
        &[
            "run",
            "--corpus",
            &corpus,
            "--replay",
            "damaged.jsonl",
            "--baseline",
            "junk.json",
        ],
    );
    assert!(out.contains("cannot use junk.json as a baseline"), "{out}");
}

#[test]
fn junit_lists_articles_as_test_cases() {
    let (dir, corpus) = damaged_project();
    // One article missing from the replay fails; a gate fails too.
    let text: String = replay_of_corpus()
        .lines()
        .filter(|l| !l.contains("\"id\":\"van-driver-jailed\""))
        .map(|l| format!("{l}\n"))
        .collect();
    dir.write("damaged.jsonl", text);
    run(
        &dir,
        &corpus,
        1,
        &["--junit", "junit.xml", "--min-f1", "0.9"],
    );
    let xml = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(suite.tag_name().name(), "testsuite");
    assert_eq!(suite.attribute("name"), Some("v"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // Nine annotated articles and the gates case.
    assert_eq!(cases.len(), 10);
    assert_eq!(suite.attribute("tests"), Some("10"));
    assert_eq!(suite.attribute("failures"), Some("2"));
    for case in &cases {
        assert_eq!(case.attribute("classname"), Some("v"));
        assert!(case.attribute("name").is_some());
    }
    let failed: Vec<(&str, &str)> = cases
        .iter()
        .filter_map(|c| {
            let f = c.children().find(|n| n.has_tag_name("failure"))?;
            Some((c.attribute("name").unwrap(), f.attribute("type").unwrap()))
        })
        .collect();
    assert_eq!(
        failed,
        [("van-driver-jailed", "missing"), ("gates", "gate")]
    );
}

#[test]
fn markdown_summary_and_github_step_summary() {
    let (dir, corpus) = damaged_project();
    run(&dir, &corpus, 0, &["--json", "before.json"]);
    let summary = dir.join("step-summary.md");
    std::fs::write(&summary, "# earlier step\n").unwrap();
    let out = util::bin::quotecheck(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "run",
            "--corpus",
            &corpus,
            "--replay",
            "v=damaged.jsonl",
            "--worst",
            "3",
            "--markdown",
            "summary.md",
            "--baseline",
            "before.json",
            "--min-f1",
            "0.5",
        ])
        .output();
    assert_eq!(
        out.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.0.stdout)
    );
    let md = std::fs::read_to_string(dir.join("summary.md"))
        .unwrap()
        .replace(&corpus, "corpus");
    insta::assert_snapshot!(md);
    let appended = std::fs::read_to_string(&summary)
        .unwrap()
        .replace(&corpus, "corpus");
    assert_eq!(appended, format!("# earlier step\n{md}"));
}
