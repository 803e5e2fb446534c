//! Quote fidelity (scoring.md §8) through the binary: the text-only replay
//! of `docs/examples/fidelity/`, one quote of each verdict, in the JSON,
//! terminal, Markdown and HTML reports, gold diffs and snapshots;
//! `--require-verbatim` and `require_verbatim = true` turning the stitched
//! and altered direct quotes from matches into false positives, in the
//! figures, the gate and the snapshot; `merge` adding the counts up; and
//! the same quotes answered by a chat model (the mock server).

use crate::util;

use serde_json::{json, Value};
use util::chat_server::{completion, ChatServer};
use util::Dir;

/// The verdict of each prediction of the example replay, in its order.
const VERDICTS: [&str; 5] = [
    "verbatim",
    "normalized",
    "stitched",
    "altered",
    "fabricated",
];

/// A folder with the example's corpus and replay.
fn example() -> Dir {
    let dir = Dir::new();
    util::dir::copy_tree(&util::repo().join("docs/examples/fidelity"), dir.path());
    dir
}

const RUN: [&str; 5] = ["run", "--corpus", "corpus", "--replay", "replay"];

fn run(dir: &Dir, code: i32, extra: &[&str]) -> String {
    let args: Vec<&str> = RUN.iter().chain(extra).copied().collect();
    dir.run_expect(code, &args)
}

/// The counts of one criterion of an extractor's entry.
fn counts(extractor: &Value, criterion: &str) -> (u64, u64, u64) {
    let c = &extractor["micro"][criterion];
    (
        c["tp"].as_u64().unwrap(),
        c["fp"].as_u64().unwrap(),
        c["fn"].as_u64().unwrap(),
    )
}

/// Each prediction's (row verdict, fidelity) in the article's alignment.
fn rows(extractor: &Value) -> Vec<(String, String)> {
    let mut by_prediction = vec![(String::new(), String::new()); VERDICTS.len()];
    for row in extractor["articles"][0]["alignment"].as_array().unwrap() {
        if let Some(p) = row["prediction"].as_u64() {
            by_prediction[p as usize] = (
                row["verdict"].as_str().unwrap().to_string(),
                row["fidelity"].as_str().unwrap().to_string(),
            );
        }
    }
    by_prediction
}

fn one_of_each() -> Value {
    json!({"verbatim": 1, "normalized": 1, "stitched": 1, "altered": 1, "fabricated": 1})
}

const LINE: &str = "  fidelity of quotes given as text: verbatim 1, normalized 1, stitched 1, \
                    altered 1, fabricated 1\n";

#[test]
fn one_quote_of_each_verdict_in_every_report() {
    let dir = example();
    let out = run(
        &dir,
        0,
        &[
            "--json",
            "report.json",
            "--markdown",
            "summary.md",
            "--html",
            "report.html",
        ],
    );
    assert!(out.contains(LINE), "{out}");
    let report = dir.json("report.json");
    let e = &report["extractors"][0];
    assert_eq!(e["fidelity"], one_of_each());
    // Without --require-verbatim fidelity changes no figure: the altered
    // and stitched quotes match by their tokens.
    assert_eq!(counts(e, "content"), (4, 1, 0));
    let rows = rows(e);
    let fidelity: Vec<&str> = rows.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(fidelity, VERDICTS);
    let verdicts: Vec<&str> = rows.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(
        verdicts,
        ["matched", "matched", "matched", "matched", "spurious"]
    );
    // A missed gold quote has no prediction and so no fidelity.
    for row in e["articles"][0]["alignment"].as_array().unwrap() {
        assert_eq!(
            row["prediction"].is_null(),
            row["fidelity"].is_null(),
            "{row}"
        );
    }

    let md = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(
        md.contains("- fidelity of replay's quotes given as text: verbatim 1, normalized 1, stitched 1, altered 1, fabricated 1"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("<th>fidelity</th>"), "no fidelity column");
    for v in &VERDICTS[1..] {
        assert!(
            html.contains(&format!("<td>{v}</td>")),
            "no fidelity row {v} in the HTML report"
        );
    }
    // Verbatim is shown only as a count, never as a record's row.
    assert!(!html.contains("<td>verbatim</td>"));

    // The gold diff adds a fidelity line to each unfaithful prediction.
    let diff = dir.run_expect(
        1,
        &[
            "diff", "council", "--corpus", "corpus", "--replay", "replay",
        ],
    );
    for v in ["normalized", "stitched", "altered", "fabricated"] {
        assert!(diff.contains(&format!("+  fidelity {v}\n")), "{v}:\n{diff}");
    }
    assert!(!diff.contains("fidelity verbatim"), "{diff}");
}

#[test]
fn require_verbatim_makes_unfaithful_direct_quotes_false_positives() {
    let dir = example();
    let out = run(
        &dir,
        0,
        &["--json", "plain.json", "--min-f1", "content=0.8"],
    );
    assert!(out.contains("content       0.800  1.000  0.889"), "{out}");
    // The gate that passed fails once misquotes count as wrong.
    let out = run(
        &dir,
        1,
        &[
            "--json",
            "strict.json",
            "--min-f1",
            "content=0.8",
            "--require-verbatim",
        ],
    );
    assert!(out.contains("content       0.400  0.500  0.444"), "{out}");
    assert!(out.contains(LINE), "{out}");
    let strict = dir.json("strict.json");
    let e = &strict["extractors"][0];
    assert_eq!(counts(e, "content"), (2, 3, 2));
    assert_eq!(counts(e, "attribution"), (2, 3, 2));
    // The verdicts are the same; the refused pairs are spurious.
    assert_eq!(e["fidelity"], one_of_each());
    let verdicts: Vec<String> = rows(e).into_iter().map(|(v, _)| v).collect();
    assert_eq!(
        verdicts,
        ["matched", "matched", "spurious", "spurious", "spurious"]
    );

    // The same from the configuration, and an indirect quote is never
    // refused: predicted indirect, the stitched quote matches again.
    dir.write("quotecheck.toml", "require_verbatim = true\n");
    run(&dir, 0, &["--json", "config.json"]);
    assert_eq!(
        counts(&dir.json("config.json")["extractors"][0], "content"),
        (2, 3, 2)
    );
    // `diff` shows what the run scores.
    let diff = dir.run_expect(
        1,
        &[
            "diff", "council", "--corpus", "corpus", "--replay", "replay",
        ],
    );
    assert_eq!(
        diff.matches("· refused: not verbatim\n").count(),
        2,
        "{diff}"
    );
    let replay = dir.join("replay/council.json");
    let text = std::fs::read_to_string(&replay).unwrap();
    let mut preds: Value = serde_json::from_str(&text).unwrap();
    preds["quotes"][2]["kind"] = json!("indirect");
    std::fs::write(&replay, preds.to_string()).unwrap();
    run(&dir, 0, &["--json", "indirect.json"]);
    assert_eq!(
        counts(&dir.json("indirect.json")["extractors"][0], "content"),
        (3, 2, 1)
    );
    dir.write("quotecheck.toml", "require_verbatim = 1\n");
    let out = run(&dir, 2, &[]);
    assert!(out.contains("require_verbatim"), "{out}");
}

#[test]
fn snapshots_show_fidelity_only_when_it_is_not_verbatim() {
    let dir = example();
    run(&dir, 0, &["--update", "always"]);
    let snap = std::fs::read_to_string(dir.join("snapshots/replay/council.snap")).unwrap();
    for v in ["normalized", "stitched", "altered", "fabricated"] {
        assert_eq!(
            snap.matches(&format!("\n  fidelity {v}\n")).count(),
            1,
            "{v}:\n{snap}"
        );
    }
    assert_eq!(snap.matches("fidelity").count(), 4, "{snap}");
    // Unchanged on CI.
    let ci = |extra: &[&str]| {
        let args: Vec<&str> = RUN.iter().chain(extra).copied().collect();
        util::bin::quotecheck(dir.path())
            .env("CI", "true")
            .args(args)
            .output()
    };
    assert_eq!(ci(&[]).code(), Some(0));
    // Requiring verbatim quotes changes what the snapshot shows: CI fails
    // on the change until it is accepted.
    let out = ci(&["--require-verbatim"]);
    assert_eq!(out.code(), Some(1), "{}{}", out.stdout(), out.stderr());
    assert!(out.stdout().contains("· spurious"), "{}", out.stdout());
    assert_eq!(
        out.stdout().matches("· refused: not verbatim\n").count(),
        2,
        "{}",
        out.stdout()
    );
    // The output is the same, only the scoring changed: no level changed
    // between the accepted rendering and the new one, both judged under
    // the policy.
    assert!(
        out.stdout().contains("1 changed — 1 neutral"),
        "{}",
        out.stdout()
    );
    run(&dir, 0, &["--require-verbatim", "--update", "always"]);
    let strict = std::fs::read_to_string(dir.join("snapshots/replay/council.snap")).unwrap();
    assert_eq!(strict.matches(" · spurious\n").count(), 3, "{strict}");
    assert_eq!(ci(&["--require-verbatim"]).code(), Some(0));
    assert_eq!(ci(&[]).code(), Some(1));
}

#[test]
fn merge_adds_up_the_fidelity_of_shards() {
    let dir = example();
    // Two articles, one in each shard.
    for ext in ["txt", "json"] {
        let text = std::fs::read_to_string(dir.join(&format!("corpus/council.{ext}"))).unwrap();
        dir.write(
            &format!("corpus/council-b.{ext}"),
            text.replace("\"article\": \"council\"", "\"article\": \"council-b\""),
        );
    }
    std::fs::copy(
        dir.join("replay/council.json"),
        dir.join("replay/council-b.json"),
    )
    .unwrap();
    run(&dir, 0, &["--json", "whole.json"]);
    run(&dir, 0, &["--shard", "1/2", "--json", "a.json"]);
    run(&dir, 0, &["--shard", "2/2", "--json", "b.json"]);
    let part = |name: &str| dir.json(name)["extractors"][0]["fidelity"]["altered"].as_u64();
    assert_eq!(part("a.json").unwrap_or(0) + part("b.json").unwrap_or(0), 2);
    let out = dir.run_expect(0, &["merge", "a.json", "b.json", "--json", "merged.json"]);
    let two = json!({"verbatim": 2, "normalized": 2, "stitched": 2, "altered": 2, "fabricated": 2});
    assert!(
        out.contains("verbatim 2, normalized 2, stitched 2, altered 2, fabricated 2"),
        "{out}"
    );
    assert_eq!(dir.json("merged.json")["extractors"][0]["fidelity"], two);
    assert_eq!(dir.json("whole.json")["extractors"][0]["fidelity"], two);
}

#[test]
fn the_report_records_require_verbatim_and_merge_refuses_parts_that_disagree() {
    let dir = example();
    for ext in ["txt", "json"] {
        let text = std::fs::read_to_string(dir.join(&format!("corpus/council.{ext}"))).unwrap();
        dir.write(
            &format!("corpus/council-b.{ext}"),
            text.replace("\"article\": \"council\"", "\"article\": \"council-b\""),
        );
    }
    std::fs::copy(
        dir.join("replay/council.json"),
        dir.join("replay/council-b.json"),
    )
    .unwrap();
    run(&dir, 0, &["--shard", "1/2", "--json", "a.json"]);
    run(
        &dir,
        0,
        &["--shard", "2/2", "--require-verbatim", "--json", "b.json"],
    );
    assert_eq!(dir.json("a.json").get("require_verbatim"), None);
    assert_eq!(dir.json("b.json")["require_verbatim"], json!(true));
    let out = dir.run_expect(2, &["merge", "a.json", "b.json", "--json", "merged.json"]);
    assert!(
        out.contains(
            "b.json was scored with --require-verbatim, a.json without --require-verbatim"
        ),
        "{out}"
    );
    assert!(
        out.contains("hint: rerun the odd part with --require-verbatim"),
        "{out}"
    );
    assert!(!dir.join("merged.json").exists());
    run(
        &dir,
        0,
        &["--shard", "1/2", "--require-verbatim", "--json", "a.json"],
    );
    dir.run_expect(0, &["merge", "a.json", "b.json", "--json", "merged.json"]);
    assert_eq!(dir.json("merged.json")["require_verbatim"], json!(true));
}

#[test]
fn a_chat_model_gets_the_same_verdicts() {
    let dir = example();
    let preds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("replay/council.json")).unwrap())
            .unwrap();
    // The model's answer: the replay's quotes in the chat schema.
    let quotes: Vec<Value> = preds["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            json!({
                "content": q["content"]["text"],
                "speaker": q["speaker"]["text"],
                "cue": q["cue"]["text"],
                "kind": q["kind"],
            })
        })
        .collect();
    let answer = json!({ "quotes": quotes }).to_string();
    let server = ChatServer::start(move |_, _| completion(&answer, 100, 40));
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n\n[extractors.llm]\nchat = \"{}\"\nmodel = \"mock\"\n\
             timeout = \"5s\"\n",
            server.base
        ),
    );
    let out = dir.run_expect(
        0,
        &[
            "run",
            "--extractor",
            "llm",
            "--no-cache",
            "--json",
            "llm.json",
        ],
    );
    assert!(out.contains(LINE), "{out}");
    let report = dir.json("llm.json");
    let e = &report["extractors"][0];
    assert_eq!(e["fidelity"], one_of_each());
    let fidelity: Vec<String> = rows(e).into_iter().map(|(_, f)| f).collect();
    assert_eq!(fidelity, VERDICTS);
    assert_eq!(counts(e, "content"), (4, 1, 0));
    dir.run_expect(
        0,
        &[
            "run",
            "--extractor",
            "llm",
            "--no-cache",
            "--require-verbatim",
            "--json",
            "strict.json",
        ],
    );
    assert_eq!(
        counts(&dir.json("strict.json")["extractors"][0], "content"),
        (2, 3, 2)
    );
}
