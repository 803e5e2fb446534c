//! The Project Dialogism Novel Corpus imported as published (`--from
//! pdnc`), and gold speakers given by entity alone: read, validated,
//! formatted, exported. The fixture `tests/fixtures/import/pdnc/data/` is
//! two small novels written for these tests in PDNC's layout (every CSV
//! field quoted, a quote over two lines, Python-literal cells, a name
//! with an apostrophe in double quotes).

use crate::import_corpora::canonical_and_valid;
use crate::util;

use serde_json::{json, Value};
use util::dir::copy_tree;
use util::Dir;

const PDNC: &str = "tests/fixtures/import/pdnc/data";

fn with_fixture() -> Dir {
    let dir = Dir::new();
    copy_tree(&util::repo().join(PDNC), &dir.join(PDNC));
    dir
}

fn quote<'a>(gold: &'a Value, id: &str) -> &'a Value {
    gold["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == id)
        .unwrap_or_else(|| panic!("no record {id} in {gold:#}"))
}

#[test]
fn pdnc_imports_one_article_a_novel_with_characters_and_quote_types() {
    let dir = with_fixture();
    let out = dir.run_expect(1, &["import", "--from", "pdnc", PDNC, "--out", "out"]);
    assert!(
        out.contains("2 articles (1 gold, 1 draft)") && out.contains("7 in, 6 written, 1 skipped"),
        "{out}"
    );
    assert!(
        out.contains("TheLighthouse/quotation_info.csv:3: record \"Q1\""),
        "{out}"
    );
    let g = dir.json("out/TheHarbour.json");
    // An explicit quote: the speaker's name in the referring expression is the mention.
    let q0 = quote(&g, "Q0");
    assert_eq!(
        q0["speaker"],
        json!({"start": 36, "end": 48, "text": "Captain Reed", "entity": "Jonas Reed",
               "aliases": ["Captain Reed", "Reed"]})
    );
    assert_eq!(
        q0["note"],
        "PDNC quoteType: Explicit\nPDNC referringExpression: said Captain Reed\nPDNC addressees: [\"Mary Reed\"]"
    );
    // Anaphoric and implicit quotes: the speaker by entity alone, with the
    // character's aliases (the apostrophe read from a double-quoted literal).
    let q1 = quote(&g, "Q1");
    assert_eq!(
        q1["speaker"],
        json!({"entity": "Mary Reed", "aliases": ["Mary", "Mrs. O'Reed"]})
    );
    assert!(q1["note"]
        .as_str()
        .unwrap()
        .starts_with("PDNC quoteType: Anaphoric\n"));
    let q2 = quote(&g, "Q2");
    assert_eq!(q2["content"]["text"], "We must. The\nboat is ready.");
    assert_eq!(q2["speaker"]["entity"], "Jonas Reed");
    assert!(q2["speaker"].get("start").is_none(), "{q2:#}");
    // Sub-quotations are the parts of one record.
    let q3 = quote(&g, "Q3");
    assert_eq!(q3["content"].as_array().map(Vec::len), Some(2), "{q3:#}");
    assert_eq!(q3["speaker"]["text"], "Mary");
    // A speaker written by an alias gets its character's names.
    let q4 = quote(&g, "Q4");
    assert_eq!(
        q4["speaker"],
        json!({"entity": "Reed", "aliases": ["Captain Reed", "Jonas Reed"]})
    );
    assert_eq!(
        q4["note"],
        "PDNC quoteType: Implicit\nPDNC addressees: [\"Mary Reed\",\"Mrs. O'Reed\"]"
    );
    assert_eq!(dir.json("out/TheLighthouse.json")["status"], "draft");
    canonical_and_valid(&dir, "out");
    // Exports cannot carry a speaker without a mention, and say so.
    for to in ["brat", "citron"] {
        let out = dir.run_expect(
            0,
            &["export", "--to", to, "out", "--out", &format!("x-{to}")],
        );
        assert!(
            out.contains("3 records   speaker given by entity alone (no mention in the text)"),
            "{out}"
        );
    }
}

#[test]
fn a_speaker_by_entity_alone_needs_an_entity() {
    let text = "\"Go home.\"\n\n\"No.\"\n";
    let dir = Dir::new();
    dir.write("c/a.txt", text);
    let gold = |speaker: Value| {
        json!({"article": "a", "quotes": [{"id": "q1", "content": {"start": 1, "end": 9, "text": "Go home."},
               "speaker": speaker, "cue": null}]})
        .to_string()
    };
    dir.write(
        "c/a.json",
        gold(json!({"entity": "Ann", "aliases": ["Annie"]})),
    );
    let valid = dir.run_expect(0, &["validate", "c"]);
    assert!(valid.contains("valid: 0 errors"), "{valid}");
    dir.write("c/a.json", gold(json!({"aliases": ["Annie"]})));
    let bad = dir.run_expect(1, &["validate", "c"]);
    assert!(
        bad.contains("missing-field") && bad.contains("needs a non-empty `entity`"),
        "{bad}"
    );
    // Some of `start`, `end`, `text` make it a span, which needs them all.
    dir.write("c/a.json", gold(json!({"text": "Ann", "entity": "Ann"})));
    let bad = dir.run_expect(1, &["validate", "c"]);
    assert!(bad.contains("missing-field"), "{bad}");
    assert!(!bad.contains("needs a non-empty `entity`"), "{bad}");
}

#[test]
fn a_speaker_by_entity_alone_is_shown_without_a_mention() {
    let dir = Dir::new();
    let example = "docs/examples/entity-speaker";
    copy_tree(&util::repo().join(example), dir.path());
    let shown = dir.run_expect(0, &["show", "ferry", "--corpus", "corpus"]);
    assert!(shown.contains("no mention → Anna Berg"), "{shown}");
    dir.run_expect(
        0,
        &[
            "run", "--corpus", "corpus", "--replay", "replay", "--html", "r.html", "--diffs",
            "none",
        ],
    );
    let page = std::fs::read_to_string(dir.join("r.html")).unwrap();
    assert!(page.contains("no mention"), "the page shows no mention");
}
