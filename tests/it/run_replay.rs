//! `quotecheck run --replay` through the real binary.

use crate::util;

use serde_json::{json, Value};
use util::{cp, Dir};

const RUIZ: &str = "Mayor Ana Ruiz said on Monday that the bridge would reopen.\n\n“We are nearly there,” she told reporters.\n";
const PARK: &str = "“The park stays open,” the council said. Residents said they were relieved.\n";

fn gold(text: &str, quotes: Vec<Value>) -> Vec<u8> {
    let quotes: Vec<Value> = quotes
        .into_iter()
        .enumerate()
        .map(|(i, mut q)| {
            q["id"] = json!(format!("q{}", i + 1));
            q["speaker"] = match q["speaker"].as_str() {
                Some(s) => {
                    let mut span = cp(text, s);
                    if let Some(entity) = q.as_object_mut().unwrap().remove("entity") {
                        span["entity"] = entity;
                    }
                    span
                }
                None => Value::Null,
            };
            q["cue"] = match q["cue"].as_str() {
                Some(s) => cp(text, s),
                None => Value::Null,
            };
            q
        })
        .collect();
    serde_json::to_vec_pretty(&json!({"quotes": quotes})).unwrap()
}

/// Two annotated articles and one unannotated.
fn corpus() -> Dir {
    Dir::with(&[
        ("corpus/ruiz.txt", RUIZ.into()),
        (
            "corpus/ruiz.json",
            gold(
                RUIZ,
                vec![
                    json!({"kind": "indirect", "content": cp(RUIZ, "the bridge would reopen"), "speaker": "Mayor Ana Ruiz", "entity": "Ana Ruiz", "cue": "said"}),
                    json!({"kind": "direct", "content": cp(RUIZ, "We are nearly there,"), "speaker": "she", "cue": "told"}),
                ],
            ),
        ),
        ("corpus/news/park.txt", PARK.into()),
        (
            "corpus/news/park.json",
            gold(
                PARK,
                vec![
                    json!({"kind": "direct", "content": cp(PARK, "The park stays open,"), "speaker": "the council", "entity": "Harbour City Council", "cue": "said"}),
                    json!({"kind": "indirect", "content": cp(PARK, "they were relieved"), "speaker": "Residents", "cue": "said they", "optional": true}),
                ],
            ),
        ),
        ("corpus/draft-me.txt", "Nothing here.\n".into()),
    ])
}

fn ruiz_predictions() -> Value {
    json!({"quotes": [
        // Right content, speaker by name, cue by text, wrong kind.
        {"content": cp(RUIZ, "the bridge would reopen"), "speaker": {"text": "Ana Ruiz"}, "cue": {"text": "said"}, "kind": "direct"},
        // Right content as text only; wrong speaker.
        {"content": {"text": "We are nearly there"}, "speaker": {"text": "the mayor"}, "kind": "direct"},
        // Spurious.
        {"content": cp(RUIZ, "Mayor Ana Ruiz said on Monday"), "kind": "indirect"},
    ]})
}

#[test]
fn folder_replay_terminal_and_json_reports() {
    let dir = corpus();
    dir.write(
        "runs/v1/ruiz.json",
        serde_json::to_vec(&ruiz_predictions()).unwrap(),
    );
    dir.write("runs/v1/gone.json", br#"{"quotes": []}"#);
    // `news/park` is missing from the replay: a failed article, scored as empty.
    let out = dir.run_expect(
        1,
        &[
            "run",
            "--replay",
            "runs/v1",
            "--json",
            "report.json",
            "--diffs",
            "3",
        ],
    );
    insta::assert_snapshot!(out);
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    insta::assert_json_snapshot!(report, {".extractors[].articles[].elapsed_ms" => "[ms]", ".quotecheck" => "[version]"});
}

#[test]
fn jsonl_replay_with_failures_and_bad_records() {
    let dir = corpus();
    let lines = [
        json!({"id": "ruiz", "quotes": [
            {"content": {"start": 10, "end": 9000}},
            {"content": {"start": 3, "end": 2, "text": "the bridge would reopen"}, "speaker": {"start": 0, "end": 14}},
            "not a record",
            {"speaker": {"text": "she"}},
        ]}),
        json!({"id": "news/park", "error": "model timed out upstream"}),
        json!({"id": "elsewhere", "quotes": []}),
    ];
    let mut text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    text.push_str("{not json\n");
    dir.write("saved.jsonl", text);
    let out = dir.run_expect(
        1,
        &[
            "run",
            "--replay",
            "saved.jsonl",
            "--json",
            "-",
            "--diffs",
            "3",
        ],
    );
    let (_, body) = out.split_once('\n').unwrap();
    let json_end = body.find("\n}\n").unwrap() + 3;
    let report: Value = serde_json::from_str(&body[..json_end]).unwrap();
    let e = &report["extractors"][0];
    assert_eq!(e["name"], "saved");
    let ruiz = &e["articles"][1];
    assert_eq!(ruiz["id"], "ruiz");
    assert_eq!(ruiz["status"], "ok");
    // Four records, none dropped: one found by its text, three false positives.
    assert_eq!(ruiz["content"], json!({"tp": 1, "fp": 3, "fn": 1}));
    let codes: Vec<&str> = ruiz["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "offset-out-of-range",
            "start-after-end",
            "bad-prediction",
            "bad-prediction"
        ]
    );
    let park = &e["articles"][0];
    assert_eq!(
        (park["status"].as_str(), park["error"].as_str()),
        (Some("error"), Some("model timed out upstream"))
    );
    assert_eq!(park["content"], json!({"tp": 0, "fp": 0, "fn": 1}));
    let issues: Vec<&str> = e["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(issues, ["invalid-output", "extra-articles"]);
    // The terminal report went to stderr.
    insta::assert_snapshot!(&body[json_end..]);
}

#[test]
fn several_replays_and_schemes() {
    let dir = corpus();
    let perfect = |text: &str, q: &[(&str, &str, &str)]| json!({"quotes": q.iter().map(|(c, s, k)| json!({"content": cp(text, c), "speaker": {"text": s}, "kind": k, "cue": {"text": "said"}})).collect::<Vec<_>>()});
    dir.write(
        "a/ruiz.json",
        perfect(
            RUIZ,
            &[
                ("the bridge would reopen", "Ana Ruiz", "indirect"),
                ("We are nearly there,", "she", "direct"),
            ],
        )
        .to_string(),
    );
    dir.write(
        "a/news/park.json",
        perfect(PARK, &[("The park stays open,", "council", "direct")]).to_string(),
    );
    dir.write("b/ruiz.json", json!({"quotes": [{"content": {"text": "bridge would reopen on Monday"}, "speaker": {"text": "Ana Ruiz"}}]}).to_string());
    dir.write("b/news/park.json", r#"{"quotes": []}"#);
    let out = dir.run_expect(
        0,
        &[
            "run",
            "--replay",
            "good=a",
            "--replay",
            "partial=b",
            "--scheme",
            "overlap:0.6",
            "--json",
            "r.json",
            "--diffs",
            "3",
        ],
    );
    insta::assert_snapshot!(out);
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(report["scheme"], "overlap:0.6");
    let good = &report["extractors"][0]["micro"]["attribution"];
    // Speakers right by entity ("Ana Ruiz"), by mention ("she") and by name
    // normalization ("council" = "the council" without its leading "the").
    assert_eq!(
        (
            good["tp"].as_u64(),
            good["fp"].as_u64(),
            good["fn"].as_u64()
        ),
        (Some(3), Some(0), Some(0))
    );
    // "bridge would reopen on Monday" vs "the bridge would reopen": 3 shared of 6 = 0.5 < 0.6.
    assert_eq!(report["extractors"][1]["micro"]["content"]["tp"], 0);
    let out = dir.run_expect(
        0,
        &[
            "run",
            "--replay",
            "partial=b",
            "--scheme",
            "overlap:0.5",
            "--json",
            "r.json",
        ],
    );
    assert!(out.contains("content"), "{out}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(report["extractors"][0]["micro"]["content"]["tp"], 1);
}

#[test]
fn unsafe_or_clashing_names_and_bad_flags_are_refused() {
    let dir = corpus();
    dir.write("runs/x/ruiz.json", r#"{"quotes": []}"#);
    for (args, needle) in [
        (
            vec!["run", "--replay", "../evil=runs/x"],
            "names become file names",
        ),
        (
            vec!["run", "--replay", "a b=runs/x"],
            "names become file names",
        ),
        (
            vec!["run", "--replay", "x=runs/x", "--replay", "x=runs/x"],
            "two extractors are named \"x\"\nhint: name them apart with --replay NAME=PATH\n",
        ),
        (
            vec!["run", "--replay", "runs/x", "--scheme", "overlap:1.5"],
            "invalid --scheme",
        ),
        (
            vec!["run", "--replay", "nowhere"],
            "cannot read replay `nowhere`",
        ),
        (
            vec!["run", "--extractor", "nope"],
            "unknown extractor \"nope\"",
        ),
        (
            vec!["run", "--replay", "runs/x", "--corpus", "missing"],
            "cannot read corpus `missing`",
        ),
    ] {
        let out = dir.run_expect(2, &args);
        assert!(out.contains(needle), "{args:?}: {out}");
    }
}

#[test]
fn an_invalid_corpus_article_is_reported_and_exits_2() {
    let dir = corpus();
    dir.write("corpus/broken.txt", "Text.\n");
    dir.write("corpus/broken.json", r#"{"quotes": [{"id": "q1"}]}"#);
    dir.write(
        "runs/x/ruiz.json",
        serde_json::to_vec(&ruiz_predictions()).unwrap(),
    );
    let out = dir.run_expect(2, &["run", "--replay", "runs/x"]);
    assert!(out.contains("1 unreadable"), "{out}");
    assert!(out.contains("run `quotecheck validate corpus`"), "{out}");
    // The other articles were still scored.
    assert!(out.contains("2 articles scored"), "{out}");
}

#[test]
fn rerun_failed_runs_only_the_failed_articles() {
    let dir = corpus();
    dir.write(
        "runs/v1/ruiz.json",
        serde_json::to_vec(&ruiz_predictions()).unwrap(),
    );
    let out = dir.run(&["run", "--rerun-failed", "--replay", "runs/v1"]);
    assert!(
        out.starts_with("exit: 2\n") && out.contains("needs a previous run"),
        "{out}"
    );
    dir.run_expect(1, &["run", "--replay", "runs/v1"]);
    // Only news/park failed (missing from the replay).
    let out = dir.run_expect(
        1,
        &[
            "run",
            "--rerun-failed",
            "--replay",
            "runs/v1",
            "--json",
            "r.json",
        ],
    );
    assert!(out.contains("1 articles scored"), "{out}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(report["extractors"][0]["articles"][0]["id"], "news/park");
    // Once it is fixed, a rerun of the failures passes and leaves none.
    dir.write("runs/v1/news/park.json", r#"{"quotes": []}"#);
    dir.run_expect(0, &["run", "--rerun-failed", "--replay", "runs/v1"]);
    // Then nothing failed and the last run passed: nothing to rerun, which
    // passes without scoring nothing as a row of 1.000s.
    let out = dir.run_expect(0, &["run", "--rerun-failed", "--replay", "runs/v1"]);
    assert!(
        out.contains("nothing to rerun: no article failed in the last run, and it passed"),
        "{out}"
    );
    assert!(!out.contains("0 articles scored"), "{out}");
}

#[test]
fn cache_clear_reports_what_it_removed() {
    let dir = corpus();
    let out = dir.run_expect(0, &["cache", "clear"]);
    assert!(out.contains("removed 0 cached output(s)"), "{out}");
}

#[test]
fn problems_in_records_are_listed_in_the_terminal_then_counted() {
    let dir = corpus();
    // Seven bad records on ruiz, and one on park, whose two quotes are
    // found: a perfect article, which a plain run does not keep.
    let bad: Vec<Value> = (0..7).map(|i| json!(format!("bad {i}"))).collect();
    let park = vec![
        json!({"content": cp(PARK, "The park stays open,"), "kind": "direct"}),
        json!({"content": cp(PARK, "they were relieved"), "kind": "indirect"}),
        json!({"content": {"start": 3, "end": 2}, "id": "p9"}),
    ];
    let lines = [
        json!({"id": "news/park", "quotes": park}),
        json!({"id": "ruiz", "quotes": bad}),
    ];
    dir.write(
        "saved.jsonl",
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    );
    let out = dir.run(&["run", "--replay", "saved.jsonl"]);
    assert!(
        out.contains("8 problem(s) in the extractor's records:\n"),
        "{out}"
    );
    assert!(
        out.contains("    start-after-end news/park p9: `start` (3) is after `end` (2)"),
        "{out}"
    );
    assert!(
        out.contains("    bad-prediction ruiz: a predicted quote must be an object, not \"bad 0\""),
        "{out}"
    );
    assert_eq!(out.matches("    bad-prediction ruiz:").count(), 4, "{out}");
    assert!(
        out.contains("    … and 3 more (the JSON report, --json, has every one)"),
        "{out}"
    );
    assert!(!out.contains("see the JSON report"), "{out}");
}

#[test]
fn a_saved_output_that_is_not_utf8_fails_its_article_with_the_byte() {
    let dir = corpus();
    // Latin-1 "é" at byte 37 of the file.
    dir.write(
        "runs/v1/ruiz.json",
        b"{\"quotes\": [{\"content\": {\"text\": \"Caf\xe9\"}}]}",
    );
    dir.write("runs/v1/news/park.json", br#"{"quotes": []}"#);
    dir.run_expect(1, &["run", "--replay", "runs/v1", "--json", "report.json"]);
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    let articles = report["extractors"][0]["articles"].as_array().unwrap();
    let ruiz = articles.iter().find(|a| a["id"] == "ruiz").unwrap();
    assert_eq!(ruiz["status"], "invalid-output", "{ruiz:#}");
    let error = ruiz["error"].as_str().unwrap();
    assert!(
        error.contains("ruiz.json: the saved output is not UTF-8 (at byte 37)"),
        "{error}"
    );
    let park = articles.iter().find(|a| a["id"] == "news/park").unwrap();
    assert_eq!(park["status"], "ok", "{park:#}");
}

/// Past 32,768 articles the runner's ids and the replay's index are on
/// disk (`spill.rs`); what a run finds is the same: repeated and
/// case-colliding ids in the corpus, a repeated line and an extra article
/// in the replay, and every saved output found for its article.
#[test]
fn a_corpus_larger_than_the_ids_kept_in_memory_is_checked_the_same() {
    const N: usize = 33_000;
    let dir = Dir::new();
    let record = r#""content":{"start":9,"end":18,"text":"it rained"},"speaker":{"start":0,"end":3,"text":"Ana"},"cue":{"start":4,"end":8,"text":"said"},"kind":"indirect""#;
    let mut corpus = String::new();
    for i in 0..N {
        corpus.push_str(&format!(
            r#"{{"id":"a{i:05}","text":"Ana said it rained.","quotes":[{{"id":"q1",{record}}}]}}"#
        ));
        corpus.push('\n');
    }
    corpus.push_str(r#"{"id":"a00003","text":"Again.","quotes":[]}"#);
    corpus.push('\n');
    corpus.push_str(r#"{"id":"A00004","text":"Again.","quotes":[]}"#);
    corpus.push('\n');
    dir.write("c.jsonl", corpus);
    // In reverse order, then a line repeating one id and one for no article.
    let mut replay: String = (0..N)
        .rev()
        .map(|i| format!("{{\"id\":\"a{i:05}\",\"quotes\":[{{{record}}}]}}\n"))
        .collect();
    replay.push_str("{\"id\":\"a00007\",\"quotes\":[]}\n{\"id\":\"zz-extra\",\"quotes\":[]}\n");
    dir.write("r.jsonl", replay);
    // Exit 2: two articles cannot be read.
    dir.run_expect(
        2,
        &[
            "run",
            "--corpus",
            "c.jsonl",
            "--replay",
            "p=r.jsonl",
            "--json",
            "out.json",
            "--diffs",
            "none",
            "--no-snapshots",
        ],
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("out.json")).unwrap()).unwrap();
    let broken: Vec<(&str, &str)> = report["corpus"]["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["id"].as_str().unwrap(),
                b["issues"][0]["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(
        broken[0].1.contains("already appeared on line 4"),
        "{broken:?}"
    );
    assert!(
        broken[1]
            .1
            .contains("differs only in letter case from the id on line 5"),
        "{broken:?}"
    );
    let e = &report["extractors"][0];
    assert_eq!(e["articles_scored"], N);
    assert_eq!(e["micro"]["attribution"]["f1"], 1.0, "{}", e["micro"]);
    let issues: Vec<(&str, &str)> = e["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["code"].as_str().unwrap(), i["message"].as_str().unwrap()))
        .collect();
    assert_eq!(issues.len(), 2, "{issues:?}");
    // Line N + 1 repeats a00007, whose first line (in reverse order) is N - 7.
    assert_eq!(issues[0].0, "duplicate-article");
    assert_eq!(e["issues"][0]["line"], N + 1);
    assert!(
        issues[0]
            .1
            .contains(&format!("already appeared on line {}", N - 7)),
        "{issues:?}"
    );
    assert_eq!(issues[1].0, "extra-articles");
    assert!(
        issues[1]
            .1
            .contains("1 article(s) not in the corpus, ignored: \"zz-extra\""),
        "{issues:?}"
    );
}
