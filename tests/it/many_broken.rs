//! A corpus with more broken articles than a run keeps whole (past
//! `CorpusSummary::BROKEN_KEPT`, 1,000): every one is counted, the first
//! thousand are listed with their issues in every report, and a merge of shards counts
//! them as the unsharded run does.

use serde_json::Value;

use crate::util::{bin, Dir};

/// Broken lines in the corpus: 250 more than a run keeps whole.
const BROKEN: usize = 1250;

/// A corpus of `BROKEN` lines whose quote has no content, then three
/// articles `quotecheck gen` wrote, and their replay.
fn project() -> Dir {
    let dir = Dir::new();
    let out = bin::quotecheck(dir.path())
        .args(["gen", "--articles", "3", "--quotes", "1"])
        .args(["--corpus", "good.jsonl", "--replay", "r.jsonl"])
        .output();
    assert_eq!(out.code(), Some(0), "{}", out.stderr());
    let mut corpus = String::new();
    for i in 0..BROKEN {
        corpus.push_str(&format!(
            "{{\"id\":\"b{i:05}\",\"text\":\"Ana said no.\",\"quotes\":[{{\"id\":\"q1\"}}]}}\n"
        ));
    }
    corpus.push_str(&std::fs::read_to_string(dir.path().join("good.jsonl")).unwrap());
    std::fs::write(dir.path().join("c.jsonl"), corpus).unwrap();
    dir
}

fn report(dir: &Dir, name: &str) -> Value {
    let mut report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(name)).unwrap()).unwrap();
    for e in report["extractors"].as_array_mut().unwrap() {
        for a in e["articles"].as_array_mut().unwrap() {
            a["elapsed_ms"] = Value::Null;
        }
    }
    report
}

#[test]
fn broken_articles_past_those_kept_are_counted_listed_and_merged() {
    let dir = project();
    let run = |extra: &[&str]| {
        let args = [
            &["run", "--corpus", "c.jsonl", "--replay", "p=r.jsonl"][..],
            &["--no-cache", "--no-snapshots"],
            extra,
        ]
        .concat();
        bin::quotecheck(dir.path()).args(args).output()
    };
    let out = run(&[
        "--json",
        "all.json",
        "--markdown",
        "summary.md",
        "--html",
        "all.html",
    ]);
    assert_eq!(out.code(), Some(2), "{}", out.stderr());
    let stdout = out.stdout();
    assert!(stdout.contains(&format!("{BROKEN} unreadable")), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{BROKEN} article(s) could not be loaded and were not scored:"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("  b00999: "), "{stdout}");
    assert!(!stdout.contains("  b01000: "), "{stdout}");
    assert!(stdout.contains("  … and 250 more\n"), "{stdout}");
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.contains("- … and 250 more"), "{summary}");
    let page = std::fs::read_to_string(dir.path().join("all.html")).unwrap();
    assert!(page.contains("<li>… and 250 more</li>"), "the HTML page");
    assert!(page.contains(&format!("<b>{BROKEN} article(s) could not be loaded")));
    let all = report(&dir, "all.json");
    let corpus = &all["corpus"];
    let listed = corpus["broken"].as_array().unwrap();
    assert_eq!(listed.len(), 1000);
    assert_eq!(listed[999]["id"], "b00999");
    assert!(!listed[0]["issues"].as_array().unwrap().is_empty());
    assert_eq!(corpus["more_broken"], 250);
    assert_eq!(corpus["scored"], 3);
    assert_eq!(corpus["articles"], BROKEN + 3);

    // Two shards merged: the unsharded report.
    for k in ["1/2", "2/2"] {
        let part = format!("part{}.json", &k[..1]);
        let out = run(&["--shard", k, "--json", &part]);
        assert_eq!(out.code(), Some(2), "{}", out.stderr());
    }
    let out = bin::quotecheck(dir.path())
        .args(["merge", "part1.json", "part2.json", "--json", "merged.json"])
        .output();
    assert_eq!(out.code(), Some(2), "{}", out.stderr());
    assert!(
        out.stdout().contains("  … and 250 more\n"),
        "{}",
        out.stdout()
    );
    let mut merged = report(&dir, "merged.json");
    let mut all = all;
    for r in [&mut merged, &mut all] {
        r["shard"] = Value::Null;
    }
    assert_eq!(merged["corpus"], all["corpus"]);
    assert_eq!(merged["extractors"], all["extractors"]);
}
