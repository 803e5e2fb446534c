//! Property tests of the worker protocol's line parser: whatever bytes a
//! worker writes — arbitrary, cut anywhere, JSON of any shape, numbers at
//! their limits — reading lines, the handshake, the leading `id` of a line
//! too long to parse, responses, excerpts and stderr tails give a value or
//! an error, never a panic, and lines stay within their limit.

use std::io::BufReader;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::lines::{read_line, Line, HEAD};
use super::process::leading_id;
use super::protocol::{excerpt, resolve_response, stderr_tail, Handshake};
use crate::corpus::{Article, ArticleId, OffsetUnit};

/// Bytes a worker might write: arbitrary, or made of the pieces of JSON
/// lines so that parsers get past their first byte.
fn worker_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..40),
        Just(b"{\"id\": \"a\", \"quotes\": [".to_vec()),
        Just(
            b"{\"quotecheck\": 1, \"name\": \"w\", \"version\": \"1\", \"offsets\": \"utf16\"}"
                .to_vec()
        ),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\"\\ud800\"".to_vec()),
        Just(b"1e400".to_vec()),
        Just(b"-0".to_vec()),
        Just(b"[[[[[[[[[[[[[[[[".to_vec()),
        Just("é🙂\u{1b}]8;;x\u{7}".as_bytes().to_vec()),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

/// A JSON value of any shape, with numbers at their limits.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just(0i64),
            Just(-1),
            Just(1),
            Just(5),
            Just(i64::MAX),
            Just(i64::MIN)
        ]
        .prop_map(Value::from),
        "[a-z\u{1b}\u{0}🙂]{0,6}".prop_map(Value::from),
        prop_oneof![
            Just("codepoint"),
            Just("utf8"),
            Just("utf16"),
            Just("bytes")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("id".to_string()),
                        Just("quotes".to_string()),
                        Just("error".to_string()),
                        Just("offsets".to_string()),
                        Just("content".to_string()),
                        Just("speaker".to_string()),
                        Just("cue".to_string()),
                        Just("start".to_string()),
                        Just("end".to_string()),
                        Just("text".to_string()),
                        Just("kind".to_string()),
                        "[a-z]{1,4}",
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn article(text: String) -> Article {
    Article {
        id: ArticleId::new("a").expect("a safe id"),
        text,
        gold: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_lines_within_their_limit_and_parse_or_fail(
        bytes in worker_bytes(),
        max in 0usize..64,
        capacity in 1usize..32,
        text in "[a-z \"é🙂\u{1b}]{0,40}",
    ) {
        let mut r = BufReader::with_capacity(capacity, bytes.as_slice());
        let mut seen = 0u64;
        let article = article(text);
        while let Some(line) = read_line(&mut r, max).unwrap() {
            match line {
                Line::Full(line) => {
                    prop_assert!(line.len() <= max);
                    seen += line.len() as u64;
                    let _ = Handshake::parse(&line);
                    let _ = excerpt(&line);
                    if let Ok(value) = serde_json::from_slice::<Value>(&line) {
                        for unit in [OffsetUnit::Codepoint, OffsetUnit::Utf8, OffsetUnit::Utf16] {
                            let _ = resolve_response(value.clone(), &article, unit, "w", "x", &[]);
                        }
                    }
                }
                Line::TooLong { head, len } => {
                    prop_assert!(len > max as u64);
                    prop_assert!(head.len() <= HEAD);
                    seen += len;
                    let _ = leading_id(&head);
                    let _ = excerpt(&head);
                }
            }
        }
        prop_assert!(seen <= bytes.len() as u64);
        let _ = stderr_tail(&bytes);
    }

    #[test]
    fn responses_and_handshakes_of_any_shape_resolve_or_fail(
        value in any_json(),
        quotes in proptest::collection::vec(any_json(), 0..4),
        text in "[a-z \"é🙂]{0,40}",
    ) {
        let article = article(text);
        let response = json!({"id": "a", "quotes": quotes});
        for v in [value.clone(), response] {
            let line = serde_json::to_vec(&v).expect("a value serializes");
            let _ = Handshake::parse(&line);
            let _ = leading_id(&line);
            for unit in [OffsetUnit::Codepoint, OffsetUnit::Utf8, OffsetUnit::Utf16] {
                if let Ok(output) = resolve_response(v.clone(), &article, unit, "w", "x", &[]) {
                    for q in &output.quotes {
                        for span in q.content.iter().filter_map(|p| match p {
                            crate::corpus::PredPart::Located(s) => Some(*s),
                            crate::corpus::PredPart::Text(_) => None,
                        }) {
                            prop_assert!(span.start <= span.end && span.end <= article.text.len());
                            prop_assert!(article.text.is_char_boundary(span.start));
                            prop_assert!(article.text.is_char_boundary(span.end));
                        }
                    }
                }
            }
        }
    }
}
