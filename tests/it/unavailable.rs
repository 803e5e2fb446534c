//! An extractor that could not run never looks like one that scored: no
//! figures in `run`, no part in `compare`'s intervals, tests and wins, a
//! `status` and null figures in the JSON reports, and no gate passes on it.

use crate::util::{self, Dir};

/// A folder with a configuration of four extractors on the project
/// corpus: the built-in baseline, a worker that cannot start, an endpoint
/// that does not answer its handshake, and a replay with nothing in it
/// (so every article is missing).
fn project() -> Dir {
    let dir = Dir::new();
    let corpus = util::repo().join("corpus");
    std::fs::create_dir(dir.join("nothing")).unwrap();
    dir.write(
        "quotecheck.toml",
        format!(
            r#"corpus = "{}"
default_extractors = ["baseline"]

[extractors.baseline]
builtin = "baseline"

[extractors.broken]
command = ["/nonexistent/worker"]

[extractors.api]
url = "http://127.0.0.1:1/extract"
handshake_url = "http://127.0.0.1:1/hello"
retries = 0

[extractors.nothing]
replay = "nothing"
"#,
            corpus.display()
        ),
    );
    dir
}

/// The terminal section of extractor `name`: from its heading to the
/// next blank line.
fn section<'a>(out: &'a str, name: &str) -> &'a str {
    let start = out
        .find(&format!("\n{name}\n"))
        .unwrap_or_else(|| panic!("no section {name}:\n{out}"))
        + 1;
    let rest = &out[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

#[test]
fn an_unavailable_worker_gets_no_figures_in_run() {
    let dir = project();
    let out = dir.run_expect(
        2,
        &[
            "run",
            "--extractor",
            "broken",
            "--json",
            "report.json",
            "--markdown",
            "summary.md",
        ],
    );
    let broken = section(&out, "broken");
    assert!(
        broken.contains(
            "  unavailable: the worker `/nonexistent/worker` cannot be started: No such file or directory"
        ),
        "{out}"
    );
    for figure in ["1.000", "0.000", "end-to-end", "worst articles"] {
        assert!(!broken.contains(figure), "{figure} in\n{out}");
    }
    let report = dir.json("report.json");
    let e = &report["extractors"][0];
    assert_eq!(e["status"], "unavailable", "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("cannot be started"),
        "{e}"
    );
    for key in ["micro", "macro", "accuracy", "per_kind"] {
        assert!(e[key].is_null(), "{key}: {e}");
    }
    let summary = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(
        summary.contains("| broken | — | — | **unavailable** |"),
        "{summary}"
    );
    assert!(!summary.contains("Worst articles"), "{summary}");
}

#[test]
fn an_endpoint_that_does_not_answer_its_handshake_is_unavailable() {
    let dir = project();
    let out = dir.run_expect(2, &["run", "--extractor", "api", "--json", "report.json"]);
    let api = section(&out, "api");
    assert!(api.contains("  unavailable: "), "{out}");
    assert!(
        !api.contains("1.000") && !api.contains("end-to-end"),
        "{out}"
    );
    assert_eq!(
        dir.json("report.json")["extractors"][0]["status"],
        "unavailable"
    );
}

#[test]
fn an_extractor_that_failed_on_every_article_shows_no_figures() {
    let dir = project();
    let out = dir.run_expect(
        1,
        &["run", "--extractor", "nothing", "--json", "report.json"],
    );
    let nothing = section(&out, "nothing");
    assert!(nothing.contains("failed on every article"), "{out}");
    assert!(
        !nothing.contains("1.000") && !nothing.contains("end-to-end"),
        "{out}"
    );
    let e = &dir.json("report.json")["extractors"][0];
    assert_eq!(e["status"], "failed", "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("has no output"),
        "{e}"
    );
    assert!(e["micro"].is_null(), "{e}");
}

#[test]
fn no_gate_passes_on_an_extractor_that_did_not_run() {
    let dir = project();
    let out = dir.run_expect(
        2,
        &[
            "run",
            "--extractor",
            "baseline",
            "--extractor",
            "broken",
            "--min-f1",
            "0",
            "--junit",
            "junit.xml",
        ],
    );
    assert!(!out.contains("gates: passed"), "{out}");
    assert!(out.contains("gates: 1 failed"), "{out}");
    assert!(out.contains("broken: did not run"), "{out}");
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(junit.contains("did not run"), "{junit}");

    // A report in which an extractor did not run is still a baseline: its
    // figures are not compared.
    dir.run_expect(2, &["run", "--extractor", "broken", "--json", "base.json"]);
    dir.write(
        "other.toml",
        "[extractors.broken]\nbuiltin = \"baseline\"\n",
    );
    let corpus = util::repo().join("corpus").display().to_string();
    let out = dir.run_expect(
        0,
        &[
            "run",
            "--config",
            "other.toml",
            "--corpus",
            &corpus,
            "--extractor",
            "broken",
            "--baseline",
            "base.json",
        ],
    );
    assert!(out.contains("broken: did not run in the baseline"), "{out}");
}

#[test]
fn compare_leaves_out_an_extractor_that_could_not_start() {
    let dir = project();
    let out = dir.run_expect(
        2,
        &[
            "compare",
            "--extractor",
            "baseline",
            "--extractor",
            "broken",
            "--json",
            "comparison.json",
        ],
    );
    for wrong in ["p = ", "articles won", "0.000 [0.000, 0.000]"] {
        assert!(!out.contains(wrong), "{wrong} in\n{out}");
    }
    assert!(
        out.contains(
            "  broken     unavailable: the worker `/nonexistent/worker` cannot be started"
        ),
        "{out}"
    );
    let json = dir.json("comparison.json");
    let e = &json["comparison"]["extractors"][1];
    assert_eq!(e["status"], "unavailable", "{e}");
    assert!(e["content"].is_null() && e["attribution"].is_null(), "{e}");
    assert_eq!(json["comparison"]["pairs"], serde_json::json!([]));
    assert_eq!(
        json["comparison"]["articles"][0]["winner"],
        serde_json::Value::Null
    );
    assert_eq!(
        json["comparison"]["articles"][0]["f1"][1],
        serde_json::Value::Null
    );
}

#[test]
fn compare_exits_1_when_an_extractor_failed_on_every_article() {
    let dir = project();
    let out = dir.run_expect(
        1,
        &[
            "compare",
            "--extractor",
            "baseline",
            "--extractor",
            "nothing",
            "--json",
            "comparison.json",
        ],
    );
    assert!(
        !out.contains("p = ") && !out.contains("articles won"),
        "{out}"
    );
    assert!(
        out.contains("  nothing    failed on every article"),
        "{out}"
    );
    let e = &dir.json("comparison.json")["comparison"]["extractors"][1];
    assert_eq!(e["status"], "failed", "{e}");
}
