//! Parquet corpora and replays: a run on Parquet files gives the report a
//! run on the same content as JSON lines gives, with `quotes` as nested
//! columns or as JSON text; a bad row fails its article only, with an
//! issue naming the file and the row; a file that is not Parquet is a
//! clear error, never a panic.

use crate::util;

use proptest::prelude::*;
use serde_json::{json, Value};
use util::parquet::{write, Form};
use util::Dir;

fn quotecheck(dir: &Dir, args: &[&str]) -> (i32, String, String) {
    let out = util::bin::quotecheck(dir.path()).args(args).output();
    (out.code().unwrap_or(-1), out.stdout(), out.stderr())
}

fn rows(dir: &Dir, name: &str) -> Vec<Value> {
    std::fs::read_to_string(dir.join(name))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn lines(dir: &Dir, name: &str, rows: &[Value]) {
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(dir.join(name), text).unwrap();
}

fn parquet(dir: &Dir, name: &str, rows: &[Value], form: Form, group: usize) {
    let json: &[&str] = if form == Form::Json { &["quotes"] } else { &[] };
    write(&dir.join(name), rows, json, group);
}

/// The JSON report of `run`, with the corpus and replay paths as `C` and
/// `R` and without the timings, which differ between any two runs.
fn report(dir: &Dir, corpus: &str, replay: &str) -> String {
    let (code, out, err) = quotecheck(
        dir,
        &[
            "run",
            "--corpus",
            corpus,
            "--replay",
            &format!("p={replay}"),
            "--no-cache",
            "--jobs",
            "1",
            "--json",
            "-",
        ],
    );
    // 2: articles that could not be loaded, which some tests mean.
    assert!((0..=2).contains(&code), "{corpus}: {code}\n{err}");
    let mut v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    for a in v["extractors"][0]["articles"].as_array_mut().unwrap() {
        a["elapsed_ms"] = Value::Null;
    }
    serde_json::to_string_pretty(&v)
        .unwrap()
        .replace(corpus, "C")
        .replace(replay, "R")
}

#[test]
fn a_parquet_corpus_and_replay_give_the_json_lines_report() {
    let dir = Dir::new();
    util::gen(&dir, 300, 5, "c.jsonl", "r.jsonl");
    let mut corpus = rows(&dir, "c.jsonl");
    let mut replay = rows(&dir, "r.jsonl");
    // What generated corpora lack: an unannotated article, a replay row
    // that failed, one without output.
    corpus.push(json!({"id": "plain", "text": "Nobody said anything."}));
    replay.push(json!({"id": "plain", "error": "the model timed out"}));
    replay.remove(3);
    std::fs::write(
        dir.join("c.jsonl"),
        corpus.iter().map(|r| format!("{r}\n")).collect::<String>(),
    )
    .unwrap();
    std::fs::write(
        dir.join("r.jsonl"),
        replay.iter().map(|r| format!("{r}\n")).collect::<String>(),
    )
    .unwrap();
    let expected = report(&dir, "c.jsonl", "r.jsonl");
    assert!(expected.contains("\"missing\""), "{expected}");
    // Several row groups and record batches: 300 rows in groups of 70.
    parquet(&dir, "text.parquet", &corpus, Form::Json, 70);
    // Generated predictions mix shapes (a content as an object or a list),
    // which one Arrow column cannot hold: JSON text.
    parquet(&dir, "r.parquet", &replay, Form::Json, 70);
    assert_eq!(report(&dir, "text.parquet", "r.parquet"), expected);
    // A nested column has one type: the articles whose gold quotes'
    // contents are all spans (not lists of them).
    let spans: Vec<Value> = corpus
        .iter()
        .filter(|a| {
            a["quotes"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|q| q["content"].is_object())
        })
        .cloned()
        .collect();
    assert!(spans.len() > 50 && spans.len() < corpus.len());
    lines(&dir, "n.jsonl", &spans);
    parquet(&dir, "nested.parquet", &spans, Form::Nested, 70);
    assert_eq!(
        report(&dir, "nested.parquet", "r.parquet").replace("nested.parquet", "C"),
        report(&dir, "n.jsonl", "r.jsonl")
    );
    // A replay with nested columns: the predictions in one shape.
    let simple: Vec<Value> = corpus
        .iter()
        .map(|a| {
            let quotes: Vec<Value> = a["quotes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|q| json!({"kind": q["kind"], "content": {"start": q["content"]["start"], "end": q["content"]["end"]}}))
                .collect();
            json!({"id": a["id"], "quotes": quotes})
        })
        .collect();
    std::fs::write(
        dir.join("s.jsonl"),
        simple.iter().map(|r| format!("{r}\n")).collect::<String>(),
    )
    .unwrap();
    parquet(&dir, "s.parquet", &simple, Form::Nested, 1000);
    assert_eq!(
        report(&dir, "nested.parquet", "s.parquet"),
        report(&dir, "n.jsonl", "s.jsonl")
    );
}

#[test]
fn a_bad_row_fails_its_article_and_names_the_row() {
    let dir = Dir::new();
    let good = |id: &str| json!({"id": id, "text": "Ana said no.", "quotes": []});
    let mut rows = vec![good("a"), good("b"), good("a")];
    rows.push(json!({"id": null, "text": "x", "quotes": []}));
    rows.push(json!({"id": "c", "text": "Ana said no.", "quotes": [{"nonsense": 1}]}));
    rows.push(good("d"));
    // The text is one column of strings; the quotes JSON text.
    let mut text_rows = rows.clone();
    for r in &mut text_rows {
        r["quotes"] = Value::String(r["quotes"].to_string());
    }
    text_rows[4]["quotes"] = json!("[{\"id\": ");
    parquet(&dir, "c.parquet", &rows, Form::Json, 2);
    write(&dir.join("t.parquet"), &text_rows, &[], 2);
    let (code, out, _) = quotecheck(&dir, &["validate", "c.parquet"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("already appeared on row 1; this row is skipped"),
        "{out}"
    );
    assert!(out.contains("row 4"), "a null id names its row: {out}");
    assert!(out.contains("got null"), "{out}");
    assert!(out.contains("c.parquet"), "{out}");
    let (code, out, _) = quotecheck(&dir, &["validate", "t.parquet"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("the `quotes` of row 5 are not JSON"), "{out}");
}

#[test]
fn a_text_over_the_limit_is_a_problem_of_its_row() {
    let dir = Dir::new();
    let rows = vec![
        json!({"id": "small", "text": "Ana said no.", "quotes": []}),
        json!({"id": "big", "text": "x".repeat(5000), "quotes": []}),
    ];
    parquet(&dir, "c.parquet", &rows, Form::Nested, 10);
    let (code, out, _) = quotecheck(
        &dir,
        &["validate", "--max-article-bytes", "1000", "c.parquet"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("the text of row 2 is 5000 bytes"), "{out}");
    assert!(out.contains("too-large"), "{out}");
}

#[test]
fn a_file_without_the_columns_or_not_parquet_is_a_clear_error() {
    let dir = Dir::new();
    parquet(
        &dir,
        "no-text.parquet",
        &[json!({"id": "a", "body": "x"})],
        Form::Nested,
        10,
    );
    parquet(
        &dir,
        "int-id.parquet",
        &[json!({"id": 3, "text": "x"})],
        Form::Nested,
        10,
    );
    dir.write("junk.parquet", b"PAR1 this is not parquet PAR1");
    for (file, says) in [
        ("no-text.parquet", "the file has no `text` column"),
        (
            "int-id.parquet",
            "the `id` column is of type Int64, not a string",
        ),
        ("junk.parquet", "not a readable Parquet file"),
    ] {
        let (code, out, err) = quotecheck(&dir, &["validate", file]);
        assert_eq!(code, 1, "{file}: {out}{err}");
        assert!(out.contains(says) && out.contains(file), "{file}: {out}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A replay likewise.
    parquet(
        &dir,
        "c.parquet",
        &[json!({"id": "a", "text": "x", "quotes": []})],
        Form::Nested,
        10,
    );
    let (code, out, err) = quotecheck(
        &dir,
        &["run", "--corpus", "c.parquet", "--replay", "p=junk.parquet"],
    );
    assert_ne!(code, 0, "{out}");
    assert!(
        err.contains("junk.parquet") && err.contains("not a readable Parquet file"),
        "{err}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Arbitrary bytes, or a real file cut or changed at one byte, named
    /// `.parquet`: an error, never a panic.
    #[test]
    fn no_bytes_make_it_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2000),
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let dir = Dir::new();
        parquet(&dir, "real.parquet", &[
            json!({"id": "a", "text": "Ana said no.", "quotes": [{"id": "q1", "kind": "direct", "content": {"start": 0, "end": 3}}]}),
            json!({"id": "b", "text": "Bo said yes.", "quotes": []}),
        ], Form::Nested, 1);
        let real = std::fs::read(dir.join("real.parquet")).unwrap();
        let mut changed = real.clone();
        let at = flip.index(changed.len());
        changed[at] ^= byte | 1;
        dir.write("bytes.parquet", &bytes);
        dir.write("cut.parquet", &real[..cut.index(real.len())]);
        dir.write("changed.parquet", &changed);
        for file in ["bytes.parquet", "cut.parquet", "changed.parquet"] {
            let corpus = quotecheck::corpus::Corpus::open(dir.join(file)).unwrap();
            for item in corpus.items() {
                for issue in item.issues() {
                    prop_assert!(!issue.message.is_empty());
                }
            }
            let replay = quotecheck::extract::Replay::open("p", dir.join(file));
            if let Err(e) = replay {
                prop_assert!(e.to_string().contains(file));
            }
        }
    }
}

/// Rows of every kind the fast path declines, beside ordinary ones: an
/// unknown column, a draft, no quotes, a repeated id, a null id, a text
/// that disagrees with its span, an unknown offset unit; in the replay an
/// error, an unknown key, a repeated and a null id. A Parquet corpus and
/// replay of them, nested or as JSON text, give the report of the same
/// rows as JSON lines.
#[test]
fn unusual_rows_give_the_json_lines_report() {
    let dir = Dir::new();
    let span =
        |start: usize, end: usize, text: &str| json!({"start": start, "end": end, "text": text});
    let quote = |id: &str, content: Value| json!({"id": id, "kind": "direct", "content": content, "speaker": span(0, 3, "Ana"), "cue": span(4, 8, "said")});
    let text = "Ana said no to the bridge.";
    let row = |id: Value, quotes: Value| json!({"id": id, "text": text, "quotes": quotes, "offsets": null, "status": null, "extra": null});
    let mut corpus = vec![
        row(json!("a"), json!([quote("q1", span(9, 11, "no"))])),
        row(json!("b"), json!([quote("q1", span(9, 11, "no"))])),
        row(json!("c"), json!([quote("q1", span(9, 11, "no"))])),
        row(json!("d"), Value::Null),
        row(json!("a"), json!([])),
        row(Value::Null, json!([])),
        row(json!("e"), json!([quote("q1", span(9, 11, "No"))])),
        row(json!("f"), json!([quote("q1", span(9, 11, "no"))])),
        row(
            json!("g"),
            json!([
                quote("q1", span(9, 11, "no")),
                quote("q2", span(12, 14, "to"))
            ]),
        ),
        row(json!("i"), json!([quote("q1", span(9, 11, "no"))])),
    ];
    corpus[1]["extra"] = json!(7);
    corpus[2]["status"] = json!("draft");
    corpus[7]["offsets"] = json!("bytes");
    let pred = |start: usize, end: usize| json!({"content": {"start": start, "end": end}, "kind": "direct", "speaker": "Ana", "model": null});
    let out = |id: Value, quotes: Value| json!({"id": id, "quotes": quotes, "error": null, "model": null});
    let mut replay = vec![
        out(json!("a"), json!([pred(9, 11)])),
        out(json!("b"), json!([pred(9, 11)])),
        out(json!("i"), Value::Null),
        out(json!("a"), json!([])),
        out(Value::Null, json!([])),
        out(json!("e"), json!([pred(9, 11), pred(0, 3)])),
        out(json!("g"), json!([pred(9, 11)])),
        out(json!("h"), json!([])),
    ];
    replay[1]["quotes"][0]["model"] = json!("x");
    replay[2]["error"] = json!("the model timed out");
    replay[6]["model"] = json!("v2");
    // JSON lines hold what a row reads as: no null top-level field (a
    // null column is an absent field), nulls inside structs kept.
    let as_line = |rows: &[Value]| -> Vec<Value> {
        rows.iter()
            .map(|r| {
                let mut o = r.as_object().unwrap().clone();
                o.retain(|k, v| !v.is_null() || k == "id");
                Value::Object(o)
            })
            .collect()
    };
    lines(&dir, "c.jsonl", &as_line(&corpus));
    lines(&dir, "r.jsonl", &as_line(&replay));
    let expected = report(&dir, "c.jsonl", "r.jsonl");
    for needle in [
        "unknown-field",
        "duplicate-article",
        "text-mismatch",
        "the model timed out",
        "extra-articles",
        "invalid-output",
    ] {
        assert!(expected.contains(needle), "{needle}: {expected}");
    }
    for form in [Form::Json, Form::Nested] {
        parquet(&dir, "c.parquet", &corpus, form, 3);
        parquet(&dir, "r.parquet", &replay, form, 3);
        // A corpus issue names the row where a JSON-lines one names the
        // line (docs/corpus.md); a replay's names the line in both.
        let got = report(&dir, "c.parquet", "r.parquet").replace("row", "line");
        assert_eq!(got, expected, "{}", form == Form::Json);
    }
}

/// A string `quotes` of a replay row that is not JSON: the row is
/// reported when the replay is opened and ignored, so its article has no
/// output; the rows after it are read.
#[test]
fn a_replay_row_whose_quotes_are_not_json_is_reported_and_ignored() {
    let dir = Dir::new();
    let article = |id: &str| json!({"id": id, "text": "Ana said no.", "quotes": []});
    parquet(
        &dir,
        "c.parquet",
        &[article("a"), article("b"), article("c")],
        Form::Nested,
        10,
    );
    let rows = [
        json!({"id": "a", "quotes": "[]"}),
        json!({"id": "b", "quotes": "[{\"content\": "}),
        json!({"id": "c", "quotes": "[{\"content\": {\"start\": 9, \"end\": 11}}]"}),
    ];
    write(&dir.join("r.parquet"), &rows, &[], 2);
    let out = report(&dir, "c.parquet", "r.parquet");
    assert!(out.contains("the `quotes` of row 2 are not JSON"), "{out}");
    assert!(out.contains("has no output for this article"), "{out}");
    // Row 3 is read: its one prediction is a false positive.
    assert!(out.contains("\"fp\": 1"), "{out}");
}

/// Each quote's `content` of one span as a list of one, as a content of
/// several spans is: one type for the column.
fn one_type(rows: &mut [Value]) {
    for row in rows {
        for q in row["quotes"].as_array_mut().into_iter().flatten() {
            if q["content"].is_object() {
                q["content"] = json!([q["content"].take()]);
            }
        }
    }
}

#[test]
fn nested_columns_whose_structs_hold_every_field_give_the_json_lines_report() {
    let dir = Dir::new();
    util::gen(&dir, 200, 8, "c.jsonl", "r.jsonl");
    let expected = report(&dir, "c.jsonl", "r.jsonl");
    let (mut corpus, mut replay) = (rows(&dir, "c.jsonl"), rows(&dir, "r.jsonl"));
    one_type(&mut corpus);
    one_type(&mut replay);
    // The predictions mix spans with offsets and spans of text alone, so
    // a struct has `start`, `end` and `text`, null where a span has none.
    let spans = |rows: &[Value], key: &str| -> Vec<Value> {
        rows.iter()
            .flat_map(|r| r["quotes"].as_array().cloned().unwrap_or_default())
            .flat_map(|q| {
                let c = q["content"].as_array().cloned().unwrap_or_default();
                c.into_iter().chain([q[key].clone()])
            })
            .filter(Value::is_object)
            .collect()
    };
    let found = spans(&replay, "speaker");
    assert!(found.iter().any(|s| s.get("start").is_none()));
    assert!(found.iter().any(|s| s.get("text").is_none()));
    parquet(&dir, "c.parquet", &corpus, Form::Nested, 64);
    parquet(&dir, "r.parquet", &replay, Form::Nested, 64);
    let got = report(&dir, "c.parquet", "r.parquet");
    assert!(!got.contains("bad-offset"), "{got}");
    assert_eq!(got, expected);
}

#[test]
fn a_replay_row_over_the_limit_is_found_among_small_ones() {
    let dir = Dir::new();
    let text = "Ana said no. ".repeat(100);
    let corpus: Vec<Value> = (0..6)
        .map(|i| json!({"id": format!("a{i}"), "text": text, "quotes": []}))
        .collect();
    let record = json!({"content": [{"start": 9, "end": 11}], "kind": "indirect"});
    let replay: Vec<Value> = (0..6)
        .map(|i| {
            let n = if i == 4 { 200 } else { 1 };
            json!({"id": format!("a{i}"), "quotes": vec![record.clone(); n]})
        })
        .collect();
    lines(&dir, "c.jsonl", &corpus);
    parquet(&dir, "r.parquet", &replay, Form::Nested, 100);
    let (code, out, err) = quotecheck(
        &dir,
        &[
            "run",
            "--corpus",
            "c.jsonl",
            "--replay",
            "p=r.parquet",
            "--no-cache",
            "--max-article-bytes",
            "3000",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let all = format!("{out}{err}");
    assert!(all.contains("row 5 is"), "{all}");
    assert!(all.contains("more than the limit"), "{all}");
    assert_eq!(all.matches("more than the limit").count(), 1, "{all}");
}

#[test]
fn files_compressed_by_every_codec_writers_offer_are_read() {
    use parquet::basic::{BrotliLevel, GzipLevel, ZstdLevel};
    use util::parquet::{write_with, Compression};
    let dir = Dir::new();
    util::gen(&dir, 40, 3, "c.jsonl", "r.jsonl");
    let expected = report(&dir, "c.jsonl", "r.jsonl");
    let (mut corpus, mut replay) = (rows(&dir, "c.jsonl"), rows(&dir, "r.jsonl"));
    one_type(&mut corpus);
    one_type(&mut replay);
    // The defaults of pyarrow, Spark and DuckDB (snappy) and of Polars
    // (zstd), and the others writers offer.
    for (name, codec) in [
        ("snappy", Compression::SNAPPY),
        ("zstd", Compression::ZSTD(ZstdLevel::default())),
        ("lz4", Compression::LZ4_RAW),
        ("gzip", Compression::GZIP(GzipLevel::default())),
        ("brotli", Compression::BROTLI(BrotliLevel::default())),
    ] {
        let (c, r) = (format!("c.{name}.parquet"), format!("r.{name}.parquet"));
        write_with(&dir.join(&c), &corpus, &[], 16, codec);
        write_with(&dir.join(&r), &replay, &[], 16, codec);
        assert_eq!(report(&dir, &c, &r), expected, "{name}");
    }
}
