//! The bundled gold corpus is what the annotations say it is.
//!
//! Gold files are generated from `annotations/*.toml` by
//! `examples/build_gold.rs`; these tests include that program as a module so
//! that a stale or hand-edited gold file fails `cargo test`, read every span
//! back from the article with an implementation of their own, and check the
//! corpus-wide facts other tests and the documentation rely on.

#[allow(dead_code)]
#[path = "../../examples/build_gold.rs"]
mod build_gold;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One committed gold file, parsed, with its article text.
struct Committed {
    id: String,
    text: String,
    gold: Value,
}

fn committed() -> Vec<Committed> {
    let root = root();
    build_gold::gold_ids(&root)
        .expect("listing gold files")
        .into_iter()
        .map(|id| {
            let json = fs::read_to_string(build_gold::gold_path(&root, &id)).unwrap();
            let gold: Value = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{id}.json is not valid JSON: {e}"));
            let text = fs::read_to_string(build_gold::article_path(&root, &id))
                .unwrap_or_else(|e| panic!("{id}.json has no readable {id}.txt: {e}"));
            Committed { id, text, gold }
        })
        .collect()
}

fn quotes(gold: &Value) -> &Vec<Value> {
    gold["quotes"].as_array().expect("`quotes` is an array")
}

/// The content spans of a record, as a list whether there are one or many.
fn content_spans(quote: &Value) -> Vec<&Value> {
    match &quote["content"] {
        Value::Array(parts) => parts.iter().collect(),
        span @ Value::Object(_) => vec![span],
        other => panic!("bad content {other}"),
    }
}

/// Slices `text` by offsets in `unit`, independently of the generator.
fn slice_independently(text: &str, start: usize, end: usize, unit: &str) -> Option<String> {
    if start > end {
        return None;
    }
    match unit {
        "utf8" => text
            .as_bytes()
            .get(start..end)
            .and_then(|b| String::from_utf8(b.to_vec()).ok()),
        "codepoint" => {
            let chars: Vec<char> = text.chars().collect();
            chars.get(start..end).map(|c| c.iter().collect())
        }
        "utf16" => {
            let units: Vec<u16> = text.encode_utf16().collect();
            units
                .get(start..end)
                .and_then(|u| String::from_utf16(u).ok())
        }
        other => panic!("unknown unit {other}"),
    }
}

fn span_range(span: &Value) -> (usize, usize) {
    let n = |k: &str| {
        span[k]
            .as_u64()
            .unwrap_or_else(|| panic!("span without {k}: {span}")) as usize
    };
    (n("start"), n("end"))
}

// ---------------------------------------------------------------------------
// Gold files match their annotations

#[test]
fn every_gold_file_is_what_its_annotation_generates() {
    let root = root();
    let ids = build_gold::annotated_ids(&root).unwrap();
    assert!(!ids.is_empty());
    let mut stale = Vec::new();
    for id in &ids {
        let expected = build_gold::build_one(&root, id).unwrap_or_else(|e| panic!("{id}: {e:#}"));
        let actual = fs::read_to_string(build_gold::gold_path(&root, id)).unwrap_or_default();
        if actual != expected {
            stale.push(id.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "gold files differ from their annotations: {stale:?}\nrun `cargo run --example build_gold`"
    );
}

#[test]
fn check_mode_reports_nothing_stale() {
    let outcome = build_gold::build_all(&root(), true).unwrap();
    assert!(outcome.written.is_empty(), "check mode must not write");
    assert!(
        outcome.stale.is_empty(),
        "stale gold files: {:?}",
        outcome.stale
    );
}

#[test]
fn every_gold_file_has_an_annotation_and_an_article() {
    let root = root();
    let annotated: BTreeSet<String> = build_gold::annotated_ids(&root)
        .unwrap()
        .into_iter()
        .collect();
    let gold: BTreeSet<String> = build_gold::gold_ids(&root).unwrap().into_iter().collect();
    assert_eq!(annotated, gold, "annotations and gold files must pair up");
    for id in &gold {
        assert!(
            build_gold::article_path(&root, id).is_file(),
            "{id}.json has no {id}.txt"
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let root = root();
    for id in build_gold::annotated_ids(&root).unwrap() {
        let first = build_gold::build_one(&root, &id).unwrap();
        let second = build_gold::build_one(&root, &id).unwrap();
        assert_eq!(first, second, "{id}");
        assert!(
            first.ends_with("}\n") && !first.ends_with("\n\n"),
            "{id}: one trailing newline"
        );
    }
}

// ---------------------------------------------------------------------------
// Every span reads back as its text

#[test]
fn every_span_text_equals_its_slice() {
    for c in committed() {
        let unit = c.gold["offsets"].as_str().unwrap_or("codepoint");
        assert_eq!(
            c.gold["article"],
            Value::String(c.id.clone()),
            "{}: article field",
            c.id
        );
        for q in quotes(&c.gold) {
            let mut spans = content_spans(q);
            spans.extend(q.get("cue").filter(|v| !v.is_null()));
            spans.extend(q.get("speaker").filter(|v| !v.is_null()));
            for span in spans {
                let (start, end) = span_range(span);
                let slice = slice_independently(&c.text, start, end, unit);
                assert_eq!(
                    slice.as_deref(),
                    span["text"].as_str(),
                    "{} {}: span {start}..{end} ({unit})",
                    c.id,
                    q["id"]
                );
            }
        }
    }
}

#[test]
fn records_are_well_formed() {
    const FIELDS: [&str; 7] = [
        "id", "kind", "content", "speaker", "cue", "optional", "note",
    ];
    for c in committed() {
        let mut ids = BTreeSet::new();
        let mut contents = BTreeSet::new();
        for q in quotes(&c.gold) {
            let id = q["id"].as_str().expect("string id");
            assert!(ids.insert(id.to_owned()), "{}: duplicate id {id}", c.id);
            for key in q.as_object().unwrap().keys() {
                assert!(
                    FIELDS.contains(&key.as_str()),
                    "{} {id}: unknown field {key}",
                    c.id
                );
            }
            assert!(
                q["optional"].is_boolean(),
                "{} {id}: optional is always written",
                c.id
            );
            assert!(
                q.get("speaker").is_some() && q.get("cue").is_some(),
                "{} {id}: speaker and cue are always written",
                c.id
            );
            if let Some(kind) = q.get("kind") {
                assert!(
                    matches!(kind.as_str(), Some("direct" | "indirect" | "mixed")),
                    "{} {id}",
                    c.id
                );
            }
            let spans = content_spans(q);
            let has_token = spans.iter().any(|s| {
                s["text"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .any(char::is_alphanumeric)
            });
            assert!(has_token, "{} {id}: content has no tokens", c.id);
            let ranges: Vec<(usize, usize)> = spans.iter().map(|s| span_range(s)).collect();
            assert!(
                ranges.windows(2).all(|w| w[0].1 <= w[1].0),
                "{} {id}: parts not in text order",
                c.id
            );
            assert!(
                contents.insert(ranges),
                "{} {id}: same content as another record",
                c.id
            );
            if let Some(speaker) = q["speaker"].as_object() {
                assert!(
                    !speaker["entity"].as_str().unwrap().trim().is_empty(),
                    "{} {id}",
                    c.id
                );
                assert!(
                    speaker.get("aliases").is_none_or(|a| a.is_array()),
                    "{} {id}",
                    c.id
                );
            }
        }
    }
}

#[test]
fn direct_content_sits_between_quote_marks() {
    // A direct record starts right after an opening mark (or the no-break
    // space inside it) and ends right before a closing mark. Boundaries
    // between parts are not checked: a French incise sits inside one pair
    // of marks, and a paragraph of a quote that continues ends without one.
    const OPEN: &[char] = &['"', '\'', '“', '‘', '«', '„', '‚', '「', '『'];
    const CLOSE: &[char] = &['"', '\'', '”', '’', '»', '“', '‘', '」', '』'];
    for c in committed() {
        let unit = c.gold["offsets"].as_str().unwrap_or("codepoint");
        let chars: Vec<char> = c.text.chars().collect();
        for q in quotes(&c.gold).iter().filter(|q| q["kind"] == "direct") {
            let spans = content_spans(q);
            let (first, last) = (spans[0], spans[spans.len() - 1]);
            let (start, end) = (span_range(first).0, span_range(last).1);
            // Code point positions of the whole record, whatever the unit.
            let s = slice_independently(&c.text, 0, start, unit)
                .unwrap()
                .chars()
                .count();
            let e = s + slice_independently(&c.text, start, end, unit)
                .unwrap()
                .chars()
                .count();
            let is_space = |ch: &&char| matches!(ch, '\u{a0}' | '\u{202f}');
            let before = chars[..s].iter().rev().find(|ch| !is_space(ch));
            let after = chars[e..].iter().find(|ch| !is_space(ch));
            assert!(
                before.is_some_and(|ch| OPEN.contains(ch)),
                "{} {}: {:?} does not follow an opening mark",
                c.id,
                q["id"],
                first["text"]
            );
            assert!(
                after.is_some_and(|ch| CLOSE.contains(ch)),
                "{} {}: {:?} is not followed by a closing mark",
                c.id,
                q["id"],
                last["text"]
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Corpus-wide facts

#[test]
fn the_corpus_covers_what_the_guidelines_promise() {
    let all = committed();
    let records: Vec<(&Committed, &Value)> = all
        .iter()
        .flat_map(|c| quotes(&c.gold).iter().map(move |q| (c, q)))
        .collect();
    let units: BTreeSet<&str> = all
        .iter()
        .filter_map(|c| c.gold["offsets"].as_str())
        .collect();
    let count = |pred: &dyn Fn(&Value) -> bool| records.iter().filter(|(_, q)| pred(q)).count();

    assert!(all.len() >= 9, "{} annotated articles", all.len());
    assert!(records.len() >= 80, "{} gold records", records.len());
    for unit in ["codepoint", "utf8", "utf16"] {
        assert!(units.contains(unit), "no gold file with {unit} offsets");
    }
    assert!(
        all.iter().any(|c| c.id.contains('/')),
        "no article in a sub-folder"
    );
    assert!(
        count(&|q| q["content"].is_array()) >= 1,
        "no discontinuous record"
    );
    assert!(count(&|q| q["optional"] == true) >= 1, "no optional record");
    assert!(
        count(&|q| q["speaker"].is_null()) >= 1,
        "no record without a speaker"
    );
    assert!(
        count(&|q| q["cue"].is_null()) >= 1,
        "no record without a cue"
    );
    for kind in ["direct", "indirect", "mixed"] {
        assert!(
            count(&|q| q["kind"] == kind) >= 5,
            "fewer than 5 {kind} records"
        );
    }
    assert!(
        count(&|q| q["optional"] == true && q.get("note").is_some())
            == count(&|q| q["optional"] == true),
        "every optional record explains itself in a note"
    );
    // A quote inside a quote: one record's content within another's.
    let nested = all.iter().any(|c| {
        let ranges: Vec<(usize, usize)> = quotes(&c.gold)
            .iter()
            .flat_map(content_spans)
            .map(span_range)
            .collect();
        ranges.iter().enumerate().any(|(i, a)| {
            ranges
                .iter()
                .enumerate()
                .any(|(j, b)| i != j && a.0 <= b.0 && b.1 <= a.1)
        })
    });
    assert!(nested, "no nested quotation");
    // The same words said by two different speakers in one article.
    let repeated = all.iter().any(|c| {
        let mut by_text: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for q in quotes(&c.gold) {
            if let Some(entity) = q["speaker"]["entity"].as_str() {
                for span in content_spans(q) {
                    by_text
                        .entry(span["text"].as_str().unwrap())
                        .or_default()
                        .insert(entity);
                }
            }
        }
        by_text.values().any(|speakers| speakers.len() >= 2)
    });
    assert!(repeated, "no sentence quoted from two different speakers");
    // Offsets differ between units somewhere before a quote (astral emoji).
    let astral = all
        .iter()
        .any(|c| c.gold["offsets"] == "utf16" && c.text.chars().any(|ch| ch.len_utf16() == 2));
    assert!(astral, "no utf16 article with characters outside the BMP");
}

#[test]
fn articles_are_clean_utf8_and_some_are_unannotated() {
    let base = root().join(build_gold::CORPUS_DIR);
    let mut txt = Vec::new();
    walk(&base, &mut txt);
    let mut unannotated = 0;
    for path in &txt {
        let bytes = fs::read(path).unwrap();
        let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!text.starts_with('\u{feff}'), "{}: BOM", path.display());
        if !path.with_extension("json").exists() {
            unannotated += 1;
        }
    }
    assert!(unannotated >= 1, "no unannotated article");
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------
// The generator itself

const SAMPLE: &str = "“Hi 👋 there,” she said. She said it twice: “Hi there.”";

#[test]
fn a_span_must_be_unique_or_disambiguated() {
    let err = build_gold::locate(SAMPLE, "said").unwrap_err().to_string();
    assert!(err.contains("found 2 times"), "{err}");
    // The search is exact: case matters.
    assert!(build_gold::locate(SAMPLE, "she said").is_ok());
    let err = build_gold::locate(SAMPLE, "nowhere")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not found"), "{err}");
    let (s, e) = build_gold::locate(SAMPLE, "there,” [[she said]]").unwrap();
    assert_eq!(&SAMPLE[s..e], "she said");
    assert_eq!(s, SAMPLE.find("she said").unwrap());
    // Context that is itself ambiguous is an error too.
    assert!(build_gold::locate(SAMPLE, "[[Hi]] ").is_err());
    assert!(build_gold::locate(SAMPLE, "[[she said").is_err());
    assert!(build_gold::locate(SAMPLE, "[[]]she").is_err());
}

#[test]
fn offsets_follow_the_requested_unit() {
    use build_gold::{slice, to_byte, to_unit, Unit};
    let (s, e) = build_gold::locate(SAMPLE, "“[[Hi there.]]”").unwrap();
    let cp = (
        to_unit(SAMPLE, s, Unit::Codepoint),
        to_unit(SAMPLE, e, Unit::Codepoint),
    );
    let u16 = (
        to_unit(SAMPLE, s, Unit::Utf16),
        to_unit(SAMPLE, e, Unit::Utf16),
    );
    let u8 = (
        to_unit(SAMPLE, s, Unit::Utf8),
        to_unit(SAMPLE, e, Unit::Utf8),
    );
    // The waving hand is one code point, two UTF-16 units and four bytes;
    // each curly quote mark is one code point, one UTF-16 unit, three bytes.
    assert_eq!(u16.0, cp.0 + 1);
    assert!(u8.0 > u16.0);
    for (unit, (a, b)) in [(Unit::Codepoint, cp), (Unit::Utf16, u16), (Unit::Utf8, u8)] {
        assert_eq!(slice(SAMPLE, a, b, unit), Some("Hi there."));
    }
    // Offsets inside a character are refused.
    let wave = SAMPLE.find('👋').unwrap();
    let wave16 = to_unit(SAMPLE, wave, Unit::Utf16);
    assert_eq!(to_byte(SAMPLE, wave16 + 1, Unit::Utf16), None);
    assert_eq!(to_byte(SAMPLE, wave + 1, Unit::Utf8), None);
    assert_eq!(
        to_byte(SAMPLE, SAMPLE.chars().count() + 1, Unit::Codepoint),
        None
    );
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const ANNOTATION: &str = r#"
offsets = "utf16"
status = "gold"

[source]
annotator = "test"

[[quotes]]
id = "a"
kind = "direct"
content = ["Hi 👋 there,", "“[[Hi there.]]”"]
speaker = { text = "there,” [[she]] said", entity = "Ann", aliases = ["She"] }
cue = "she [[said]]."
note = "split"

[[quotes]]
id = "b"
content = "“Hi 👋 [[there]],”"
speaker = false
"#;

#[test]
fn build_all_writes_checks_and_notices_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("corpus/sub/one.txt"), SAMPLE);
    write(&root.join("annotations/sub/one.toml"), ANNOTATION);

    // Nothing committed yet: check mode lists the missing file, writes nothing.
    let outcome = build_gold::build_all(root, true).unwrap();
    assert_eq!(outcome.ids, ["sub/one"]);
    assert_eq!(outcome.stale.len(), 1);
    assert!(!root.join("corpus/sub/one.json").exists());

    let outcome = build_gold::build_all(root, false).unwrap();
    assert_eq!(outcome.written.len(), 1);
    let json = fs::read_to_string(root.join("corpus/sub/one.json")).unwrap();
    let gold: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(gold["article"], "sub/one");
    assert_eq!(gold["quotes"][0]["content"][1]["text"], "Hi there.");
    assert_eq!(gold["quotes"][1]["speaker"], Value::Null);
    assert_eq!(gold["quotes"][1]["cue"], Value::Null);
    assert!(gold["quotes"][1].get("kind").is_none());
    assert!(gold["quotes"][1].get("note").is_none());
    assert_eq!(gold["quotes"][1]["optional"], false);
    let keys: Vec<&String> = gold["quotes"][0].as_object().unwrap().keys().collect();
    assert!(json.find("\"article\"") < json.find("\"offsets\""));
    assert!(json.find("\"id\": \"a\"") < json.find("\"kind\""));
    assert_eq!(keys.len(), 7);

    // No temporary files left behind; a second run rewrites nothing.
    let names: Vec<String> = fs::read_dir(root.join("corpus/sub"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(build_gold::build_all(root, false)
        .unwrap()
        .written
        .is_empty());
    assert!(build_gold::build_all(root, true).unwrap().stale.is_empty());

    // A hand edit is stale, and so is a gold file with no annotation.
    write(
        &root.join("corpus/sub/one.json"),
        &json.replace("\"Ann\"", "\"Anne\""),
    );
    write(&root.join("corpus/two.txt"), "text");
    write(&root.join("corpus/two.json"), "{}");
    let stale = build_gold::build_all(root, true).unwrap().stale;
    assert_eq!(stale.len(), 2, "{stale:?}");
}

#[test]
fn broken_annotations_are_all_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("corpus/a.txt"), SAMPLE);
    write(&root.join("corpus/b.txt"), SAMPLE);
    write(&root.join("corpus/c.txt"), SAMPLE);
    write(
        &root.join("annotations/a.toml"),
        &ANNOTATION.replace("[[she]] said", "[[he]] said"),
    );
    write(
        &root.join("annotations/b.toml"),
        &ANNOTATION.replace("status = \"gold\"", "status = \"gold\"\ncolour = 1"),
    );
    write(&root.join("annotations/c.toml"), ANNOTATION);
    let err = format!("{:#}", build_gold::build_all(root, false).unwrap_err());
    assert!(err.contains("2 of 3"), "{err}");
    assert!(err.contains("a.toml") && err.contains("speaker"), "{err}");
    assert!(err.contains("b.toml") && err.contains("colour"), "{err}");
    assert!(
        !root.join("corpus/c.json").exists(),
        "nothing is written when something fails"
    );
}

#[test]
fn content_rules_are_enforced() {
    let text = "“Well...” he said, “yes.” And “no.”";
    let build = |quotes: &str| {
        let source = format!("offsets = \"codepoint\"\nstatus = \"gold\"\n[source]\n{quotes}");
        let annotation: build_gold::Annotation =
            toml::from_str(&source).map_err(|e| e.to_string())?;
        build_gold::build_gold("t", annotation, text)
            .map(|_| ())
            .map_err(|e| format!("{e:#}"))
    };
    assert!(
        build("[[quotes]]\nid = \"a\"\ncontent = [\"yes.\", \"Well...\"]\n")
            .unwrap_err()
            .contains("text order")
    );
    assert!(build("[[quotes]]\nid = \"a\"\ncontent = [\"yes.\"]\n")
        .unwrap_err()
        .contains("two parts"));
    assert!(build("[[quotes]]\nid = \"a\"\ncontent = \"...\"\n")
        .unwrap_err()
        .contains("no tokens"));
    let dup =
        "[[quotes]]\nid = \"a\"\ncontent = \"no.\"\n[[quotes]]\nid = \"a\"\ncontent = \"yes.\"\n";
    assert!(build(dup).unwrap_err().contains("duplicate record id"));
    let same =
        "[[quotes]]\nid = \"a\"\ncontent = \"no.\"\n[[quotes]]\nid = \"b\"\ncontent = \"no.\"\n";
    assert!(build(same).unwrap_err().contains("same content"));
    assert!(build("[[quotes]]\nid = \"a\"\ncontent = \"no.\"\nspeaker = true\n").is_err());
    assert!(build(
        "[[quotes]]\nid = \"a\"\ncontent = \"no.\"\nspeaker = { text = \"he\", entity = \"\" }\n"
    )
    .is_err());
    assert!(build("[[quotes]]\nid = \"a\"\ncontent = \"no.\"\nkind = \"quoted\"\n").is_err());
    assert!(build("[[quotes]]\nid = \"a\"\ncontent = \"no.\"\nspeker = false\n").is_err());
    assert!(build("[[quotes]]\nid = \"a\"\ncontent = \"no.\"\ncue = \"said\"\nspeaker = { text = \"he\", entity = \"He\" }\n").is_ok());
    assert!(build_gold::check_id("../etc").is_err());
    assert!(build_gold::check_id("world/a-b.c_d").is_ok());
}
