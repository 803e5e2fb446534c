//! `quotecheck.toml`: configured extractors, flag precedence, and errors.

use crate::util;

use util::Dir;

const TEXT: &str = "“We will stay,” the mayor said.\n";
const GOLD: &str = r#"{"quotes": [{"id": "q1", "kind": "direct",
  "content": {"start": 1, "end": 14, "text": "We will stay,"},
  "speaker": {"start": 16, "end": 25, "text": "the mayor"},
  "cue": {"start": 26, "end": 30, "text": "said"}}]}"#;

fn project() -> Dir {
    let dir = Dir::with(&[("texts/a.txt", TEXT.into()), ("texts/a.json", GOLD.into())]);
    dir.write(
        "runs/good/a.json",
        r#"{"quotes": [{"content": {"text": "We will stay"}, "speaker": {"text": "mayor"}}]}"#,
    );
    dir.write(
        "runs/bad/a.json",
        r#"{"quotes": [{"content": {"text": "stay"}}]}"#,
    );
    dir
}

#[test]
fn configured_extractors_run_by_default_and_by_name() {
    let dir = project();
    dir.write(
        "quotecheck.toml",
        "corpus = \"texts\"\nscheme = \"overlap:0.3\"\n\n[extractors.good]\nreplay = \"runs/good\"\n\n[extractors.bad]\nreplay = \"runs/bad\"\n",
    );
    let out = dir.run_expect(0, &["run", "--json", "r.json"]);
    assert!(out.contains("scheme overlap:0.3"), "{out}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    let names: Vec<&str> = report["extractors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["bad", "good"],
        "configured extractors run in name order"
    );
    // "stay" shares 1 of 3 tokens with "We will stay": 1/3 ≥ 0.3 matches.
    assert_eq!(report["extractors"][0]["micro"]["content"]["tp"], 1);

    // Flags win over the file.
    dir.run_expect(
        0,
        &[
            "run",
            "--extractor",
            "good",
            "--scheme",
            "overlap:0.5",
            "--json",
            "r.json",
        ],
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(report["scheme"], "overlap:0.5");
    assert_eq!(report["extractors"].as_array().unwrap().len(), 1);
}

#[test]
fn default_extractors_choose_what_a_plain_run_runs() {
    let dir = project();
    dir.write(
        "quotecheck.toml",
        "corpus = \"texts\"\ndefault_extractors = [\"good\", \"baseline\"]\n\n\
         [extractors.good]\nreplay = \"runs/good\"\n\n[extractors.bad]\nreplay = \"runs/bad\"\n",
    );
    let names = |dir: &Dir| -> Vec<String> {
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
        report["extractors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    };
    dir.run_expect(0, &["run", "--json", "r.json"]);
    assert_eq!(names(&dir), ["good", "baseline"], "in the listed order");
    // A configured extractor outside the default set is still reachable...
    dir.run_expect(0, &["run", "--extractor", "bad", "--json", "r.json"]);
    assert_eq!(names(&dir), ["bad"]);

    // ...and its accepted snapshots are not unreferenced on a default run.
    for name in ["good", "bad"] {
        dir.run_expect(1, &["run", "--extractor", name, "--update", "new"]);
    }
    dir.run_expect(0, &["accept", "--all"]);
    assert!(
        dir.join("snapshots/bad/a.snap").is_file(),
        "{}",
        dir.listing()
    );
    let out = dir.run_expect(0, &["run", "--unreferenced", "report"]);
    assert!(!out.contains("unreferenced"), "{out}");
    // A folder of an extractor that is not configured at all still is.
    std::fs::rename(dir.join("snapshots/bad"), dir.join("snapshots/gone")).unwrap();
    let out = dir.run_expect(0, &["run", "--unreferenced", "report"]);
    assert!(
        out.contains("unreferenced") && out.contains("gone"),
        "{out}"
    );
}

#[test]
fn paths_in_a_config_are_relative_to_its_folder() {
    let dir = project();
    dir.write(
        "ci/qc.toml",
        "corpus = \"../texts\"\n[extractors.good]\nreplay = \"../runs/good\"\n",
    );
    let out = dir.run_expect(0, &["run", "--config", "ci/qc.toml"]);
    assert!(out.contains("good"), "{out}");
    let out = dir.run_expect(0, &["extractors", "--config", "ci/qc.toml"]);
    assert!(out.contains("good") && out.contains(": ok"), "{out}");
}

#[test]
fn configuration_errors_are_clear() {
    let cases = [
        ("typo", "corpsu = \"texts\"\n"),
        (
            "two_kinds",
            "[extractors.x]\nreplay = \"runs/good\"\nbuiltin = \"baseline\"\n",
        ),
        ("no_kind", "[extractors.x]\n"),
        (
            "worker_keys_on_a_replay",
            "[extractors.x]\nreplay = \"runs/good\"\ntimeout = \"30s\"\n",
        ),
        ("bad_scheme", "scheme = \"overlap:2\"\n"),
        (
            "unsafe_name",
            "[extractors.\"../x\"]\nreplay = \"runs/good\"\n",
        ),
        ("not_toml", "[extractors\n"),
        (
            "unknown_default",
            "default_extractors = [\"godo\"]\n[extractors.good]\nreplay = \"runs/good\"\n",
        ),
        ("empty_default", "default_extractors = []\n"),
    ];
    let mut all = String::new();
    for (name, toml) in cases {
        let dir = project();
        dir.write("quotecheck.toml", toml);
        let out = dir.run_expect(2, &["run", "--corpus", "texts"]);
        all.push_str(&format!("## {name}\n{out}\n"));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn unknown_extractor_names_list_the_known_ones() {
    let dir = project();
    dir.write(
        "quotecheck.toml",
        "[extractors.good]\nreplay = \"runs/good\"\n",
    );
    let out = dir.run_expect(2, &["run", "--corpus", "texts", "--extractor", "godo"]);
    insta::assert_snapshot!(out);
}

#[test]
fn an_unreadable_replay_makes_its_extractor_unavailable_in_the_listing() {
    let dir = project();
    dir.write("quotecheck.toml", "[extractors.good]\nreplay = \"runs/good\"\n[extractors.gone]\nreplay = \"runs/gone.jsonl\"\n");
    let out = dir.run_expect(2, &["extractors"]);
    insta::assert_snapshot!(out);
}

#[test]
fn a_worker_that_fails_its_handshake_is_listed_unavailable() {
    if !util::need::python3() {
        return;
    }
    let dir = project();
    dir.write(
        "quotecheck.toml",
        "[extractors.good]\nreplay = \"runs/good\"\n\n[extractors.broken]\ncommand = [\"python3\", \"-c\", \"print('hello')\"]\nhandshake_timeout = \"5s\"\n",
    );
    let out = dir.run_expect(2, &["extractors"]);
    assert!(
        out.contains("broken           worker python3 -c print('hello'): unavailable:"),
        "{out}"
    );
    assert!(
        out.contains("good             replay runs/good: ok"),
        "{out}"
    );
}
