//! The rows of a Parquet corpus on the fast path (from the Arrow arrays)
//! and on the checked path (from the object of their line): the same
//! JSON, the same articles and issues, and the fast path taken.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::Deserialize;
use serde_json::{json, Value};

use super::super::fast_tests::{case, gold_line, mutated};
use super::writer::write;
use super::{fast_row, parse_row_with, Row, RowRef, Rows};

/// The rows of `rows` written as a Parquet file (`json` columns as JSON
/// text), read back; `None` when the file is refused as a corpus.
fn read(dir: &tempfile::TempDir, rows: &[Value], json: &[&str]) -> Option<Vec<RowRef>> {
    let path = dir.path().join("c.parquet");
    write(&path, rows, json, 2);
    let mut found = Vec::new();
    let mut rows = Rows::open(&path, "c.parquet", &["id", "text"]);
    while let Some(row) = rows.next_row() {
        match row {
            Row::Fields { row, .. } => found.push(row),
            Row::End(_) => return None,
        }
    }
    Some(found)
}

fn both(row: &RowRef) -> (String, String) {
    let parsed = |fast| format!("{:?}", parse_row_with("c.parquet", 3, row.clone(), fast));
    (parsed(true), parsed(false))
}

/// Rows of every shape a column can take: nested structs and lists with
/// nulls inside, negative and unsigned numbers, floats, booleans, null
/// columns, an unknown column.
fn shapes() -> Vec<Value> {
    vec![
        json!({"id": "a", "text": "Ana said no.", "offsets": "utf8", "status": "gold",
               "quotes": [{"id": "q1", "kind": "direct", "content": {"start": 9, "end": 11, "text": "no"},
                           "speaker": {"start": 0, "end": 3, "text": "Ana", "entity": null, "aliases": ["A", "Ana R"]},
                           "cue": null, "optional": true, "note": null}],
               "source": {"url": "https://example.org", "license": null, "annotator": "x"},
               "extra": -4, "score": 0.25, "ok": false}),
        json!({"id": "b", "text": "Bo said yes.", "offsets": null, "status": null, "quotes": null,
               "source": null, "extra": 3, "score": null, "ok": true}),
        json!({"id": "c", "text": "", "quotes": [], "extra": null, "score": 1.0, "ok": null}),
    ]
}

#[test]
fn a_row_deserializes_as_the_object_of_its_line() {
    let dir = tempfile::tempdir().unwrap();
    for json in [&[][..], &["quotes"][..], &["quotes", "source"][..]] {
        let rows = read(&dir, &shapes(), json).expect("a corpus");
        assert_eq!(rows.len(), 3);
        for row in &rows {
            let fields = Value::Object(row.fields());
            assert_eq!(Value::deserialize(row.de()).unwrap(), fields);
            // `Option`s see `null` as `None`, as from the value.
            type Opt = std::collections::BTreeMap<String, Option<Value>>;
            assert_eq!(
                Opt::deserialize(row.de()).unwrap(),
                Opt::deserialize(&fields).unwrap()
            );
            assert_eq!(row.str("id"), fields["id"].as_str());
            assert_eq!(
                row.str("quotes"),
                fields.get("quotes").and_then(Value::as_str)
            );
            assert_eq!(row.str("extra"), None);
        }
    }
}

#[test]
fn ordinary_rows_take_the_fast_path_nested_or_as_json_text() {
    let dir = tempfile::tempdir().unwrap();
    let line = gold_line(
        &["Ana", "said", "“Já”", "😀", "wörld"],
        2,
        &[vec![1, 3, 1, 0, 2, 2, 0, 1, 1, 1, 4, 5]],
    );
    let mut ordinary = line.clone();
    ordinary["quotes"][0]["content"] = ordinary["quotes"][0]["content"][0].clone();
    for json in [&[][..], &["quotes"][..]] {
        let rows = read(&dir, std::slice::from_ref(&ordinary), json).unwrap();
        let (fast, checked) = both(&rows[0]);
        assert!(fast_row(3, &rows[0]).is_some(), "{json:?}: {checked}");
        assert_eq!(fast, checked);
    }
}

#[test]
fn a_corpus_row_resolves_the_same_on_both_paths() {
    let dir = tempfile::tempdir().unwrap();
    let (taken, read_rows) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let mut runner = TestRunner::new_with_rng(
        Config::with_cases(400),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    runner
        .run(&case(), |(words, unit, quotes, how, at)| {
            let line = mutated(gold_line(&words, unit, &quotes), how, at);
            // A key written twice is the line's: a row has one value.
            let Ok(row @ Value::Object(_)) = serde_json::from_str::<Value>(&line) else {
                return Ok(());
            };
            // A struct has fields: the writer has no column for `{}`.
            if has_empty_object(&row) {
                return Ok(());
            }
            // `id` or `text` of another type: the file is refused whole.
            let Some(rows) = read(&dir, &[row], &["quotes"]) else {
                return Ok(());
            };
            read_rows.set(read_rows.get() + 1);
            let (fast, checked) = both(&rows[0]);
            prop_assert_eq!(fast, checked, "{}", line);
            if fast_row(3, &rows[0]).is_some() {
                taken.set(taken.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    let (taken, read_rows) = (taken.get(), read_rows.get());
    assert!(read_rows > 300, "only {read_rows} of 400 rows were read");
    assert!(
        taken > 50,
        "the fast path took only {taken} of {read_rows} rows"
    );
}

fn has_empty_object(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.is_empty() || o.values().any(has_empty_object),
        Value::Array(a) => a.iter().any(has_empty_object),
        _ => false,
    }
}

#[test]
fn the_bounds_of_a_row_and_of_its_batch_are_at_least_its_json_line() {
    let dir = tempfile::tempdir().unwrap();
    // Strings that grow most as JSON: escapes, control characters.
    let mut rows = shapes();
    rows.push(
        json!({"id": "d\"\\\u{1}", "text": "\u{0}\u{7}\"\\\n".repeat(40),
                     "quotes": [{"id": "q\u{2}", "content": {"start": 0, "end": 1, "text": "\u{0}"},
                                 "speaker": null, "cue": null}],
                     "score": -1.5e300}),
    );
    for json in [&[][..], &["quotes"][..]] {
        let rows = read(&dir, &rows, json).expect("a corpus");
        for row in &rows {
            let mut fields = row.fields();
            if let Some(Value::String(text)) = fields.get("quotes") {
                let value: Value = serde_json::from_str(text).unwrap();
                fields.insert("quotes".into(), value);
            }
            let line = serde_json::to_vec(&Value::Object(fields)).unwrap().len() as u64;
            let bound = row.json_len_bound().expect("every column has a bound");
            let batch = row
                .batch_json_len_bound()
                .expect("every column has a bound");
            assert!(bound >= line, "{bound} < {line}: {:?}", row.str("id"));
            assert!(batch >= bound, "{batch} < {bound}: {:?}", row.str("id"));
        }
    }
}

#[test]
fn a_codec_this_build_does_not_read_is_not_called_a_damaged_file() {
    // The parquet crate's words for an LZO page.
    let hint = super::imp::hint_for("NYI: The codec type LZO is not supported yet");
    assert!(hint.contains("codec") && hint.contains("zstd"), "{hint}");
    let hint = super::imp::hint_for("EOF: unexpected end of file");
    assert!(hint.contains("cut short"), "{hint}");
}
