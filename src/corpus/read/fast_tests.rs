//! The fast paths of reading (`records::fast`) against the checked ones:
//! on generated lines and outputs, mutated in every way a file can be
//! wrong, and on arbitrary text, a line or output the fast path accepts
//! resolves exactly as the checked path resolves it, without an issue.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};

use super::jsonl::parse_line_with;
use crate::corpus::json;
use crate::corpus::model::Prediction;
use crate::corpus::records::{fast_gold_line, fast_output};
use crate::corpus::resolve_output;

const WORDS: &[&str] = &[
    "Ana",
    "said",
    "“Já”",
    "wörld",
    "😀",
    "the",
    "—",
    "x",
    "\"q\"",
    "ünï",
    "𝄞",
    "42",
    ".",
    ",",
    "tab\there",
    "back\\slash",
    "\u{7}",
];

/// The offset of char `c` of `text` in `unit` (0: code points, 1: UTF-8,
/// 2: UTF-16).
fn offset(text: &str, c: usize, unit: u8) -> usize {
    let head: String = text.chars().take(c).collect();
    match unit {
        1 => head.len(),
        2 => head.encode_utf16().count(),
        _ => c,
    }
}

/// A span of `text` from two char positions, in `unit`; its `text` the
/// slice unless `wrong`.
fn span(text: &str, a: usize, b: usize, unit: u8, wrong: bool) -> Value {
    let n = text.chars().count() + 1;
    let (a, b) = ((a % n).min(b % n), (a % n).max(b % n));
    let slice: String = text.chars().skip(a).take(b - a).collect();
    json!({
        "start": offset(text, a, unit),
        "end": offset(text, b, unit),
        "text": if wrong { format!("{slice}!") } else { slice },
    })
}

fn unit_name(unit: u8) -> Value {
    match unit {
        0 => json!("codepoint"),
        1 => json!("utf8"),
        2 => json!("utf16"),
        _ => Value::Null,
    }
}

pub(super) type Nums = Vec<usize>;

/// A corpus line: a text of `words`, and one quote record per entry of
/// `quotes` (its numbers choose spans and fields).
pub(super) fn gold_line(words: &[&str], unit: u8, quotes: &[Nums]) -> Value {
    let text = words.join(" ");
    let records: Vec<Value> = quotes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let sp = |k: usize| span(&text, n[k], n[k + 1], unit, n[11] % 17 == k);
            let content = match n[2] % 3 {
                0 => sp(0),
                1 => json!([sp(0), sp(3)]),
                _ => json!([sp(3)]),
            };
            let speaker = match n[5] % 4 {
                0 => Value::Null,
                1 => json!({"entity": "Ana Lima", "aliases": ["Lima"]}),
                2 => {
                    let mut s = sp(6);
                    s["entity"] = json!("Ana");
                    s
                }
                _ => sp(6),
            };
            let mut q = json!({
                "id": format!("q{}", if n[8] % 9 == 0 { 0 } else { i }),
                "content": content,
                "speaker": speaker,
                "cue": if n[9] % 2 == 0 { Value::Null } else { sp(3) },
            });
            match n[10] % 6 {
                0 => q["kind"] = json!("direct"),
                1 => q["kind"] = json!("mixed"),
                2 => q["kind"] = json!("quoted"),
                3 => q["optional"] = json!(true),
                4 => q["note"] = json!("a \"note\""),
                _ => {}
            }
            q
        })
        .collect();
    let mut line = json!({"id": "a/b-1", "text": text, "quotes": records});
    if unit < 3 {
        line["offsets"] = unit_name(unit);
    }
    if quotes.len() % 2 == 1 {
        line["status"] = json!("gold");
        line["source"] = json!({"url": "https://example.org/a"});
        line["language"] = json!("pt-BR");
    }
    line
}

/// An extractor's output for the text of `words`.
fn prediction_output(words: &[&str], unit: u8, records: &[Nums]) -> Value {
    let text = words.join(" ");
    let quotes: Vec<Value> = records
        .iter()
        .map(|n| {
            let part = |k: usize| match n[k + 2] % 4 {
                0 => span(&text, n[k], n[k + 1], unit, false),
                1 => {
                    let mut s = span(&text, n[k], n[k + 1], unit, n[11] % 5 == 0);
                    if let Some(o) = s.as_object_mut() {
                        o.remove("text");
                    }
                    s
                }
                2 => json!({"text": "some words"}),
                _ => span(&text, n[k], n[k + 1], unit, true),
            };
            let mut q = json!({
                "content": if n[10] % 3 == 0 { json!([part(0), part(3)]) } else { part(0) },
            });
            match n[6] % 4 {
                0 => q["speaker"] = Value::Null,
                1 => q["speaker"] = json!("Ana"),
                2 => q["speaker"] = part(3),
                _ => {}
            }
            if n[7] % 3 == 0 {
                q["cue"] = part(0);
            }
            match n[8] % 5 {
                0 => q["kind"] = json!("indirect"),
                1 => q["kind"] = json!("other"),
                2 => q["kind"] = Value::Null,
                _ => {}
            }
            match n[9] % 4 {
                0 => q["id"] = json!("p1"),
                1 => q["id"] = json!(n[9]),
                2 => q["id"] = json!(-3),
                _ => {}
            }
            q
        })
        .collect();
    let mut out = json!({"id": "a/b-1", "quotes": quotes});
    if unit < 3 {
        out["offsets"] = unit_name(unit);
    }
    out
}

/// Every object in `v`, by JSON pointer.
fn objects(v: &Value, at: String, found: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            found.push(at.clone());
            for (k, x) in o {
                objects(x, format!("{at}/{k}"), found);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                objects(x, format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

/// `v` written as JSON with one mutation, chosen by `how` and placed by
/// `at`: a key removed, `null`ed, of another type or off by one, an
/// unknown key, or a key written twice.
pub(super) fn mutated(mut v: Value, how: usize, at: usize) -> String {
    let mut found = Vec::new();
    objects(&v, String::new(), &mut found);
    let pointer = &found[at % found.len()];
    let obj = v.pointer_mut(pointer).and_then(Value::as_object_mut);
    let Some(obj) = obj else {
        return v.to_string();
    };
    let key = obj.keys().nth(at / 7 % obj.len().max(1)).cloned();
    match (how % 9, key) {
        (0, _) | (_, None) => {}
        (1, Some(k)) => {
            obj.remove(&k);
        }
        (2, Some(k)) => {
            obj.insert(k, Value::Null);
        }
        (3, Some(k)) => {
            obj.insert(k, json!(7));
        }
        (4, Some(k)) => {
            let x = match obj[&k].take() {
                Value::Number(n) => n.as_u64().map_or(json!(0.5), |n| json!(n + 1)),
                Value::String(s) => json!(format!("{s}x")),
                Value::Bool(b) => json!(!b),
                other => json!([other]),
            };
            obj.insert(k, x);
        }
        (5, Some(_)) => {
            obj.insert("extra".into(), json!(1));
        }
        (6, Some(k)) => {
            obj.insert(k, json!("a string"));
        }
        (7, Some(k)) => {
            obj.insert(k, json!(-0.0));
        }
        (_, Some(k)) => {
            // The key written twice: the last is used.
            let first = obj[&k].clone();
            let text = v.to_string();
            let needle = format!("{}:", Value::String(k.clone()));
            let first = format!("{needle}{first},");
            return match text.find(&needle) {
                Some(i) => format!("{}{first}{}", &text[..i], &text[i..]),
                None => text,
            };
        }
    }
    v.to_string()
}

fn parsed_gold(line: &str, fast: bool) -> String {
    format!(
        "{:?}",
        parse_line_with("c.jsonl", 3, line.as_bytes().to_vec(), fast)
    )
}

/// The checked path's predictions, when it finds no issue.
fn checked_output(out: &str, text: &str) -> Option<Vec<Prediction>> {
    let (value, dups) = json::parse(out).ok()?;
    if !dups.is_empty() || value.get("error").is_some_and(|e| !e.is_null()) {
        return None;
    }
    let set = resolve_output(&value, text, "r.jsonl", "a/b-1", None).ok()?;
    set.issues.is_empty().then_some(set.quotes)
}

pub(super) fn case() -> impl Strategy<Value = (Vec<&'static str>, u8, Vec<Nums>, usize, usize)> {
    (
        prop::collection::vec(prop::sample::select(WORDS), 0..24),
        0u8..4,
        prop::collection::vec(prop::collection::vec(0usize..200, 12), 0..5),
        0usize..12,
        0usize..1000,
    )
}

/// Runs `check` on 2,000 generated cases and returns how many the fast
/// path took, so that a test can tell it was not always skipped.
fn run(check: impl Fn(&[&str], u8, &[Nums], usize, usize) -> Result<bool, TestCaseError>) -> u32 {
    let taken = std::cell::Cell::new(0);
    // A fixed seed: the count the tests check does not vary between runs.
    let mut runner = TestRunner::new_with_rng(
        Config::with_cases(2000),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    runner
        .run(&case(), |(words, unit, quotes, how, at)| {
            if check(&words, unit, &quotes, how, at)? {
                taken.set(taken.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    taken.get()
}

#[test]
fn a_corpus_line_resolves_the_same_on_both_paths() {
    let taken = run(|words, unit, quotes, how, at| {
        let line = mutated(gold_line(words, unit, quotes), how, at);
        prop_assert_eq!(
            parsed_gold(&line, true),
            parsed_gold(&line, false),
            "{}",
            line
        );
        Ok(fast_gold_line(&line).is_some())
    });
    assert!(taken > 100, "the fast path took only {taken} of 2000 lines");
}

#[test]
fn an_output_resolves_the_same_on_both_paths() {
    let taken = run(|words, unit, records, how, at| {
        let text = words.join(" ");
        let out = mutated(prediction_output(words, unit, records), how, at);
        let fast = fast_output(&out, &text);
        if let Some(quotes) = &fast {
            let checked = checked_output(&out, &text);
            prop_assert_eq!(Some(quotes), checked.as_ref(), "{}", out);
        }
        Ok(fast.is_some())
    });
    assert!(
        taken > 100,
        "the fast path took only {taken} of 2000 outputs"
    );
}

proptest! {
    #[test]
    fn arbitrary_text_and_cut_lines_agree(s in "\\PC{0,80}", cut in 0usize..400) {
        let line = gold_line(&["Ana", "said", "“Já”"], 2, &[vec![1, 3, 1, 0, 2, 2, 0, 1, 1, 1, 4, 0]]).to_string();
        let cut = line.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(line.len());
        for l in [s.as_str(), &line[..cut], &format!("{}{s}", &line[..cut])] {
            prop_assert_eq!(parsed_gold(l, true), parsed_gold(l, false));
            if let Some(q) = fast_output(l, "Ana said") {
                prop_assert_eq!(Some(q), checked_output(l, "Ana said"));
            }
        }
    }
}

#[test]
fn an_ordinary_line_and_output_take_the_fast_path() {
    let line = r#"{"id":"a","text":"😀 Ana said: “Hi there”.","offsets":"utf16","status":"gold","quotes":[{"id":"q1","kind":"direct","content":{"start":14,"end":22,"text":"Hi there"},"speaker":{"start":3,"end":6,"text":"Ana"},"cue":{"start":7,"end":11,"text":"said"},"optional":false}],"ignore":[]}"#;
    assert!(fast_gold_line(line).is_some());
    assert_eq!(parsed_gold(line, true), parsed_gold(line, false));
    let out = r#"{"id":"a","offsets":"utf16","quotes":[{"id":3,"content":[{"start":14,"end":22}],"speaker":"Ana","cue":{"text":"said"},"kind":"direct"}]}"#;
    let text = "😀 Ana said: “Hi there”.";
    assert_eq!(fast_output(out, text), checked_output(out, text));
    assert!(fast_output(out, text).is_some());
}

/// A writer with a fixed schema (a Parquet struct, a data frame) writes
/// `null` where a span has no offsets or no text: both paths read it as
/// absent, without an issue.
#[test]
fn null_offsets_and_texts_are_absent_on_both_paths() {
    let text = "😀 Ana said: “Hi there”.";
    let out = r#"{"quotes":[{"id":null,"content":[{"start":null,"end":null,"text":"Hi there"}],"speaker":{"start":3,"end":6,"text":null},"cue":{"start":null,"end":null,"text":"said"},"kind":null}]}"#;
    let fast = fast_output(out, text).expect("the fast path");
    assert_eq!(Some(&fast), checked_output(out, text).as_ref());
    assert_eq!(
        fast[0].content,
        vec![crate::corpus::model::PredPart::Text("Hi there".into())]
    );
    // A gold speaker named by its entity alone, its span fields null.
    let line = r#"{"id":"a","text":"Ana said no.","quotes":[{"id":"q1","content":{"start":9,"end":11,"text":"no"},"speaker":{"start":null,"end":null,"text":null,"entity":"Ana Lima","aliases":null},"cue":null}]}"#;
    assert!(fast_gold_line(line).is_some());
    let checked = parsed_gold(line, false);
    assert_eq!(parsed_gold(line, true), checked);
    assert!(
        checked.contains("Ana Lima") && !checked.contains("issues: [Issue"),
        "{checked}"
    );
    // Null offsets of a gold content are missing ones.
    let line = line.replace(r#""start":9"#, r#""start":null"#);
    let checked = parsed_gold(&line, false);
    assert!(checked.contains("missing field `start`"), "{checked}");
}

/// What strict JSON refuses, the fast path refuses too: both paths agree
/// on each variant of an ordinary line and output — trailing bytes,
/// comments, trailing commas, numbers JSON has not, raw control
/// characters, bad escapes, lone surrogates, a byte-order mark, repeated
/// keys, escapes that spell the slice.
#[test]
fn json_syntax_strict_json_refuses_is_refused_on_both_paths() {
    let line = r#"{"id":"a","text":"😀 Ana said: “Hi there”.","offsets":"utf16","quotes":[{"id":"q1","kind":"direct","content":{"start":14,"end":22,"text":"Hi there"},"speaker":{"start":3,"end":6,"text":"Ana"},"cue":{"start":7,"end":11,"text":"said"}}],"ignore":[]}"#;
    let out = r#"{"id":"a","offsets":"utf16","quotes":[{"id":3,"content":[{"start":14,"end":22}],"speaker":{"start":3,"end":6,"text":"Ana"},"cue":{"text":"said"},"kind":"direct"}]}"#;
    let text = "😀 Ana said: “Hi there”.";
    let edits: &[(&str, &str)] = &[
        ("}]", "},]"),
        ("[]}", "[],}"),
        ("{\"id\"", "{/*c*/\"id\""),
        ("{\"id\"", "{//c\n\"id\""),
        ("\"start\":3,", "\"start\":NaN,"),
        ("\"start\":3,", "\"start\":Infinity,"),
        ("\"start\":3,", "\"start\":03,"),
        ("\"start\":3,", "\"start\":3.0,"),
        ("\"start\":3,", "\"start\":3e0,"),
        ("\"start\":3,", "\"start\":-3,"),
        ("\"start\":3,", "\"start\":+3,"),
        ("\"start\":3,", "\"start\":18446744073709551619,"),
        ("\"text\":\"Ana\"", "\"text\":\"A\u{1}na\""),
        ("\"text\":\"Ana\"", "\"text\":\"A\\xna\""),
        ("\"text\":\"Ana\"", "\"text\":\"A\\ud800na\""),
        ("\"text\":\"Ana\"", "\"text\":'Ana'"),
        ("\"text\":\"Ana\"", "\"text\":\"\\u0041na\""),
        ("\"text\":\"Ana\"", "\"text\":\"An\\u0061\""),
        (
            "\"kind\":\"direct\"",
            "\"kind\":\"direct\",\"kind\":\"direct\"",
        ),
        ("\"offsets\":\"utf16\"", "\"offsets\" : \u{b}\"utf16\""),
        ("\"offsets\":\"utf16\"", "\"offsets\":\"utf16\"\u{a0}"),
        ("\"offsets\":\"utf16\"", "offsets:\"utf16\""),
    ];
    let mut variants: Vec<(String, String)> = edits
        .iter()
        .map(|(from, to)| (line.replacen(from, to, 1), out.replacen(from, to, 1)))
        .collect();
    for tail in ["x", " {}", ",", "\0", "}", " \n"] {
        variants.push((format!("{line}{tail}"), format!("{out}{tail}")));
    }
    variants.push((format!("\u{feff}{line}"), format!("\u{feff}{out}")));
    let mut fast = 0;
    for (line, out) in &variants {
        assert_eq!(parsed_gold(line, true), parsed_gold(line, false), "{line}");
        fast += usize::from(fast_gold_line(line).is_some());
        if let Some(quotes) = fast_output(out, text) {
            assert_eq!(Some(quotes), checked_output(out, text), "{out}");
            fast += 1;
        }
    }
    // The escapes that spell the slice and the blank at the end are read.
    assert!(fast >= 4, "the fast path took only {fast} variants");
}
