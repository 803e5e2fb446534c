//! `quotecheck validate` through the real binary, one broken fixture per rule.
//!
//! Each case starts from a valid two-article corpus, breaks one thing, runs
//! `quotecheck validate corpus` in a fresh temporary folder and snapshots
//! what a user sees, together with the exit code.

use crate::util;

use serde_json::{json, Value};
use util::Dir;

const TEXT: &str = "Mayor Ana Ruiz said on Monday that the bridge would reopen.\n\n“We are nearly there,” she told reporters. 😀\n";
const EMOJI_TEXT: &str = "😀 “Hi there,” she said.\n";

/// Code point offsets of the only occurrence of `needle` in `text`.
fn span(text: &str, needle: &str) -> Value {
    assert!(text.contains(needle), "needle in text");
    assert_eq!(text.matches(needle).count(), 1, "{needle} is ambiguous");
    util::cp(text, needle)
}

fn valid_gold() -> Value {
    json!({
        "article": "ruiz",
        "offsets": "codepoint",
        "status": "gold",
        "quotes": [
            {
                "id": "q1", "kind": "indirect",
                "content": span(TEXT, "the bridge would reopen"),
                "speaker": {"start": 0, "end": 14, "text": "Mayor Ana Ruiz", "entity": "Ana Ruiz", "aliases": ["Ruiz"]},
                "cue": span(TEXT, "said"),
                "optional": false
            },
            {
                "id": "q2", "kind": "direct",
                "content": span(TEXT, "We are nearly there,"),
                "speaker": span(TEXT, "she"),
                "cue": span(TEXT, "told"),
                "optional": false
            }
        ]
    })
}

/// Writes `files` in a fresh folder and runs `quotecheck validate <args>` there.
fn validate_files(files: &[(&str, Vec<u8>)], args: &[&str]) -> String {
    run_in(&Dir::with(files), args)
}

fn run_in(dir: &Dir, args: &[&str]) -> String {
    let mut all = vec!["validate"];
    all.extend_from_slice(args);
    dir.run(&all)
}

/// The valid corpus with the gold of `ruiz` changed by `edit`.
fn corpus_with(edit: impl FnOnce(&mut Value)) -> Vec<(&'static str, Vec<u8>)> {
    let mut gold = valid_gold();
    edit(&mut gold);
    vec![
        ("corpus/ruiz.txt", TEXT.as_bytes().to_vec()),
        (
            "corpus/ruiz.json",
            serde_json::to_vec_pretty(&gold).unwrap(),
        ),
        ("corpus/world/later.txt", b"Nothing was said.\n".to_vec()),
    ]
}

fn check(name: &str, edit: impl FnOnce(&mut Value)) {
    let out = validate_files(&corpus_with(edit), &["corpus"]);
    insta::assert_snapshot!(name, out);
}

#[test]
fn valid_corpus_passes_with_notes() {
    let out = validate_files(&corpus_with(|_| {}), &["corpus"]);
    assert!(out.starts_with("exit: 0\n"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn offset_out_of_range() {
    check("offset_out_of_range", |g| {
        g["quotes"][0]["content"]["end"] = json!(5000)
    });
}

#[test]
fn start_after_end() {
    check("start_after_end", |g| {
        g["quotes"][0]["content"]["start"] = json!(40);
        g["quotes"][0]["content"]["end"] = json!(35);
    });
}

#[test]
fn text_disagrees_with_slice() {
    check("text_mismatch", |g| {
        g["quotes"][0]["content"]["text"] = json!("the bridge will reopen")
    });
}

#[test]
fn duplicate_record_id() {
    check("duplicate_id", |g| g["quotes"][1]["id"] = json!("q1"));
}

#[test]
fn duplicate_record() {
    check("duplicate_record", |g| {
        let mut copy = g["quotes"][0].clone();
        copy["id"] = json!("q3");
        g["quotes"].as_array_mut().unwrap().push(copy);
    });
}

#[test]
fn unknown_field() {
    check("unknown_field", |g| {
        let q = g["quotes"][0].as_object_mut().unwrap();
        let speaker = q.remove("speaker").unwrap();
        q.insert("speakr".into(), speaker);
    });
}

#[test]
fn content_without_tokens() {
    check("content_without_tokens", |g| {
        g["quotes"][1]["content"] = span(TEXT, "“")
    });
}

#[test]
fn nested_quote_is_a_note() {
    let out = validate_files(
        &corpus_with(|g| {
            let mut inner = g["quotes"][0].clone();
            inner["id"] = json!("q3");
            inner["content"] = span(TEXT, "bridge would");
            g["quotes"].as_array_mut().unwrap().push(inner);
        }),
        &["corpus"],
    );
    assert!(out.starts_with("exit: 0\n"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn utf8_offset_inside_a_character() {
    let gold = json!({"offsets": "utf8", "quotes": [{
        "id": "q1", "kind": "direct",
        // Byte 6 is inside the opening “ (bytes 5..8).
        "content": {"start": 6, "end": 16, "text": "Hi there,"},
        "speaker": {"start": 21, "end": 24, "text": "she"},
        "cue": null
    }]});
    let files = [
        ("corpus/emoji.txt", EMOJI_TEXT.as_bytes().to_vec()),
        ("corpus/emoji.json", serde_json::to_vec(&gold).unwrap()),
    ];
    insta::assert_snapshot!(validate_files(&files, &["corpus"]));
}

#[test]
fn utf16_offset_inside_a_surrogate_pair() {
    let gold = json!({"offsets": "utf16", "quotes": [{
        "id": "q1", "kind": "direct",
        // Unit 1 is between the two halves of 😀.
        "content": {"start": 1, "end": 13, "text": " “Hi there,"},
        "speaker": {"start": 15, "end": 18, "text": "she"},
        "cue": {"start": 19, "end": 23, "text": "said"}
    }]});
    let files = [
        ("corpus/emoji.txt", EMOJI_TEXT.as_bytes().to_vec()),
        ("corpus/emoji.json", serde_json::to_vec(&gold).unwrap()),
    ];
    insta::assert_snapshot!(validate_files(&files, &["corpus"]));
}

#[test]
fn utf16_offsets_are_accepted_when_right() {
    let gold = json!({"offsets": "utf16", "quotes": [{
        "id": "q1", "kind": "direct",
        "content": {"start": 4, "end": 13, "text": "Hi there,"},
        "speaker": {"start": 15, "end": 18, "text": "she"},
        "cue": {"start": 19, "end": 23, "text": "said"}
    }]});
    let files = [
        ("corpus/emoji.txt", EMOJI_TEXT.as_bytes().to_vec()),
        ("corpus/emoji.json", serde_json::to_vec(&gold).unwrap()),
    ];
    let out = validate_files(&files, &["corpus"]);
    assert!(out.starts_with("exit: 0\n"), "{out}");
}

#[test]
fn gold_without_text() {
    let files = [(
        "corpus/orphan.json",
        serde_json::to_vec(&valid_gold()).unwrap(),
    )];
    insta::assert_snapshot!(validate_files(&files, &["corpus"]));
}

#[test]
fn ids_differing_only_in_case() {
    let files = [
        ("corpus/Report.txt", b"One.\n".to_vec()),
        ("corpus/report.txt", b"Two.\n".to_vec()),
    ];
    insta::assert_snapshot!(validate_files(&files, &["corpus"]));
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let files = [("corpus/latin1.txt", b"Caf\xe9 owners said no.\n".to_vec())];
    insta::assert_snapshot!(validate_files(&files, &["corpus"]));
}

#[test]
fn malformed_json_names_line_and_column() {
    let files = [
        ("corpus/ruiz.txt", TEXT.as_bytes().to_vec()),
        (
            "corpus/ruiz.json",
            b"{\n  \"quotes\": [\n    {\"id\": \"q1\",}\n  ]\n}\n".to_vec(),
        ),
    ];
    insta::assert_snapshot!(validate_files(&files, &["corpus"]));
}

#[test]
fn unsafe_id_in_a_folder() {
    let files = [
        ("corpus/my article.txt", b"Text.\n".to_vec()),
        ("corpus/ok.txt", b"Text.\n".to_vec()),
    ];
    insta::assert_snapshot!(validate_files(&files, &["corpus"]));
}

fn jsonl(lines: &[Value]) -> Vec<u8> {
    lines
        .iter()
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .into_bytes()
}

fn jsonl_line(id: &str) -> Value {
    let mut gold = valid_gold();
    let obj = gold.as_object_mut().unwrap();
    obj.remove("article");
    obj.insert("id".into(), json!(id));
    obj.insert("text".into(), json!(TEXT));
    gold
}

#[test]
fn unsafe_id_in_a_jsonl_corpus() {
    let files = [(
        "corpus.jsonl",
        jsonl(&[jsonl_line("../etc/passwd"), jsonl_line("fine")]),
    )];
    insta::assert_snapshot!(validate_files(&files, &["corpus.jsonl"]));
}

#[test]
fn jsonl_duplicates_case_collisions_and_bad_lines() {
    let mut bytes = jsonl(&[jsonl_line("a"), jsonl_line("a"), jsonl_line("A")]);
    bytes.extend_from_slice(b"{\"id\": \"broken\", \"text\": \n");
    bytes.extend_from_slice(b"\n{\"id\": \"b\", \"text\": \"Caf\xe9\"}\n");
    insta::assert_snapshot!(validate_files(
        &[("corpus.jsonl", bytes)],
        &["corpus.jsonl"]
    ));
}

#[test]
fn gzipped_jsonl_corpus_is_read() {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&jsonl(&[jsonl_line("a"), jsonl_line("b")]))
        .unwrap();
    let out = validate_files(&[("c.jsonl.gz", enc.finish().unwrap())], &["c.jsonl.gz"]);
    assert!(out.starts_with("exit: 0\n"), "{out}");
    assert!(out.contains("2 articles (2 annotated"), "{out}");
}

#[test]
fn every_problem_of_every_file_in_one_run() {
    let mut files = corpus_with(|g| {
        g["quotes"][0]["content"]["end"] = json!(5000);
        g["quotes"][1]["cue"]["text"] = json!("said");
        g["quotes"][1]["kind"] = json!("quoted");
    });
    files.push(("corpus/orphan.json", b"{}".to_vec()));
    let out = validate_files(&files, &["corpus"]);
    assert!(out.starts_with("exit: 1\n"), "{out}");
    for code in [
        "offset-out-of-range",
        "text-mismatch",
        "bad-kind",
        "missing-text",
    ] {
        assert!(out.contains(code), "{code} missing from\n{out}");
    }
}

#[test]
fn json_format_for_tooling() {
    let out = validate_files(
        &corpus_with(|g| g["quotes"][0]["content"]["text"] = json!("x")),
        &["corpus", "--format", "json"],
    );
    let (exit, body) = out.split_once('\n').unwrap();
    assert_eq!(exit, "exit: 1");
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["articles"], 2);
    let issue = &v["issues"][0];
    assert_eq!(issue["code"], "text-mismatch");
    assert_eq!(issue["file"], "corpus/ruiz.json");
    assert_eq!(issue["record"], "q1");
    assert_eq!(issue["path"], "quotes[0].content.text");
}

#[test]
fn unreadable_corpus_exits_2() {
    let dir = Dir::new();
    let out = run_in(&dir, &["missing-folder"]);
    insta::assert_snapshot!(out);
    dir.write("notes.md", "x");
    let out = run_in(&dir, &["notes.md"]);
    assert!(out.starts_with("exit: 2\n"), "{out}");
}
