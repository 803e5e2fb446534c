//! Property tests for the corpus stage: offsets round-trip, and no input,
//! however broken, makes the loader panic.

use proptest::prelude::*;
use quotecheck::corpus::{resolve_output, validate, Corpus, Item, OffsetIndex, OffsetUnit};
use serde_json::{json, Value};

use crate::util::articles::text_of;

/// Text mixing ASCII, accents, emoji (surrogate pairs in UTF-16), CJK and
/// line breaks, plus arbitrary Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        text_of(
            vec![
                "a",
                "Z",
                " ",
                "é",
                "😀",
                "東",
                "「",
                "」",
                "\n",
                "“",
                "İ",
                "👩‍👩‍👧"
            ],
            0..40
        ),
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn offsets_round_trip_through_every_unit(s in text()) {
        let ix = OffsetIndex::new(&s);
        for (byte, _) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
            let cp = ix.from_byte(OffsetUnit::Codepoint, byte);
            let u16 = ix.from_byte(OffsetUnit::Utf16, byte);
            prop_assert_eq!(cp, s[..byte].chars().count());
            prop_assert_eq!(u16, s[..byte].encode_utf16().count());
            prop_assert_eq!(ix.to_byte(OffsetUnit::Codepoint, cp), Ok(byte));
            prop_assert_eq!(ix.to_byte(OffsetUnit::Utf16, u16), Ok(byte));
            prop_assert_eq!(ix.to_byte(OffsetUnit::Utf8, byte), Ok(byte));
        }
        prop_assert_eq!(ix.len(OffsetUnit::Utf16), s.encode_utf16().count());
        prop_assert!(ix.to_byte(OffsetUnit::Codepoint, s.chars().count() + 1).is_err());
        // Every byte offset that is not a boundary is refused, never panics.
        for b in 0..=s.len() + 2 {
            prop_assert_eq!(ix.to_byte(OffsetUnit::Utf8, b).is_ok(), b <= s.len() && s.is_char_boundary(b));
        }
    }

    #[test]
    fn any_bytes_as_files_give_items_or_issues(txt in prop::collection::vec(any::<u8>(), 0..200),
                                               json in prop::collection::vec(any::<u8>(), 0..200)) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), &txt).unwrap();
        std::fs::write(dir.path().join("a.json"), &json).unwrap();
        let mut jsonl = json.clone();
        jsonl.push(b'\n');
        jsonl.extend_from_slice(&txt);
        std::fs::write(dir.path().join("c.jsonl"), &jsonl).unwrap();
        let v = validate(dir.path()).unwrap();
        prop_assert_eq!(v.articles, 1);
        let v = validate(dir.path().join("c.jsonl")).unwrap();
        prop_assert!(v.articles <= jsonl.split(|b| *b == b'\n').count());
        prop_assert_eq!(v.articles, v.annotated + v.unannotated + v.drafts + v.broken);
    }

    #[test]
    fn any_json_gold_gives_an_article_or_errors(text in text(), gold in gold_like()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), &text).unwrap();
        std::fs::write(dir.path().join("a.json"), serde_json::to_vec(&gold).unwrap()).unwrap();
        let corpus = Corpus::open(dir.path()).unwrap();
        for item in corpus.items() {
            match item {
                Item::Article { article, issues } => {
                    prop_assert!(issues.iter().all(|i| !i.is_error()));
                    for q in &article.gold.unwrap().quotes {
                        for s in &q.content {
                            prop_assert!(s.start <= s.end && article.text.is_char_boundary(s.start) && article.text.is_char_boundary(s.end));
                        }
                    }
                }
                Item::Broken { issues, .. } => prop_assert!(issues.iter().any(|i| i.is_error())),
            }
        }
    }

    #[test]
    fn any_prediction_output_resolves_without_panicking(text in text(), gold in gold_like()) {
        if let Ok(set) = resolve_output(&gold, &text, "p.json", "a", None) {
            let n = gold["quotes"].as_array().map_or(0, Vec::len);
            prop_assert_eq!(set.quotes.len(), n, "no record is dropped");
        }
    }
}

/// JSON shaped like gold or prediction files, with random offsets, units,
/// types and field names.
fn gold_like() -> impl Strategy<Value = Value> {
    let number = prop_oneof![0u64..50, Just(u64::MAX)].prop_map(Value::from);
    let offset = prop_oneof![
        number.clone(),
        Just(json!(-1)),
        Just(json!("3")),
        Just(Value::Null)
    ];
    let span =
        (offset.clone(), offset, prop::option::of("[a-zé😀 ]{0,6}")).prop_map(|(s, e, t)| {
            let mut v = json!({"start": s, "end": e});
            if let Some(t) = t {
                v["text"] = json!(t);
            }
            v
        });
    let content = prop_oneof![
        span.clone(),
        prop::collection::vec(span.clone(), 0..3).prop_map(Value::from),
        Just(json!("x"))
    ];
    let record = (
        prop::option::of("q[0-9]"),
        content,
        prop::option::of(prop_oneof![span.clone(), Just(Value::Null)]),
        prop::option::of(prop_oneof![span, Just(Value::Null)]),
        prop::option::of(prop::sample::select(vec![
            "direct", "indirect", "mixed", "other",
        ])),
        any::<bool>(),
    )
        .prop_map(|(id, content, speaker, cue, kind, typo)| {
            let mut r = json!({"content": content});
            if let Some(id) = id {
                r["id"] = json!(id);
            }
            if let Some(s) = speaker {
                r["speaker"] = s;
            }
            if let Some(c) = cue {
                r["cue"] = c;
            }
            if let Some(k) = kind {
                r["kind"] = json!(k);
            }
            if typo {
                r["optinal"] = json!(true);
            }
            r
        });
    (
        prop::sample::select(vec!["codepoint", "utf8", "utf16", "bytes"]),
        prop::collection::vec(prop_oneof![record, Just(json!(7))], 0..4),
    )
        .prop_map(|(unit, quotes)| json!({"offsets": unit, "quotes": quotes}))
}
