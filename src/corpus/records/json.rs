//! Parsing the JSON of a record file or line, with what plain
//! `serde_json::from_str` does not say: keys written twice in one object
//! (the last would win silently), and what a failure means in words a
//! curator can act on (a byte-order mark, a number beyond any offset, a
//! lone surrogate escape, nesting too deep) rather than the parser's.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::corpus::{Issue, Severity};

/// A key written more than once in one object: its JSON path
/// (`quotes[0].speaker`, empty for the top level) and the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// Where the object is.
    pub path: String,
    /// The key written twice.
    pub key: String,
}

impl DuplicateKey {
    /// What to do about a key written twice.
    pub const HINT: &'static str = "remove one of the two: which was meant cannot be told";

    /// What the warning says.
    pub fn message(&self) -> String {
        format!(
            "`{}` is written twice in one object; the last one is used",
            self.key
        )
    }

    /// The warning for an extractor's output for `article` that came from
    /// `source` (a saved output file, a worker command, an endpoint).
    pub fn issue(&self, source: &str, article: &str) -> Issue {
        let mut issue = Issue::new(Severity::Warning, "duplicate-key", source, self.message())
            .article(article)
            .hint(Self::HINT);
        issue.path = Some(self.path.clone()).filter(|p| !p.is_empty());
        issue
    }
}

/// Parses the bytes of one line or file as [`parse`] does, for callers
/// whose messages keep the parser's own words on a failure: `None` when
/// the bytes are not UTF-8 or [`parse`] fails.
pub fn parse_bytes(bytes: &[u8]) -> Option<(Value, Vec<DuplicateKey>)> {
    parse(std::str::from_utf8(bytes).ok()?).ok()
}

/// Why a record's JSON cannot be used.
#[derive(Debug)]
pub struct JsonProblem {
    /// The issue code: `byte-order-mark`, `number-out-of-range`,
    /// `lone-surrogate`, `too-deep` or `malformed-json`.
    pub code: &'static str,
    /// What is wrong, without the position.
    pub message: String,
    /// What to do.
    pub hint: &'static str,
    /// Where, 1-based, when the parser says.
    pub line: usize,
    /// The column, 1-based.
    pub column: usize,
}

/// Parses `text`, listing the keys written twice (the last of them is
/// kept, as JSON parsers do).
pub fn parse(text: &str) -> Result<(Value, Vec<DuplicateKey>), JsonProblem> {
    if text.starts_with('\u{feff}') {
        return Err(JsonProblem {
            code: "byte-order-mark",
            message: "it starts with a byte-order mark (U+FEFF), which JSON does not allow".into(),
            hint: "save the file as UTF-8 without a BOM",
            line: 1,
            column: 1,
        });
    }
    let dups = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed {
        at: &At::Root,
        dups: &dups,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v))
    .map_err(|e| problem(&e))?;
    Ok((value, dups.into_inner()))
}

/// What a parser error means, in words a curator can act on.
pub fn problem(e: &serde_json::Error) -> JsonProblem {
    let words = super::json_error_message(e);
    let (code, message, hint) = if words.starts_with("number out of range") {
        (
            "number-out-of-range",
            "a number is too large to be read (such as 1e400): no offset or count is that large"
                .to_string(),
            "write offsets as whole numbers that fit the text",
        )
    } else if words.contains("surrogate")
        || words.contains("hex escape")
        || words.contains("invalid unicode code point")
    {
        (
            "lone-surrogate",
            "a `\\u` escape is not a whole character: half of a surrogate pair (such as \"\\ud800\" without its second half), or cut short".to_string(),
            "escape both halves of the pair (\"\\ud83d\\ude00\"), or write the character itself in UTF-8",
        )
    } else if words.starts_with("recursion limit exceeded") {
        (
            "too-deep",
            "the JSON nests more than 128 levels deep, more than any record needs".to_string(),
            "check that the file was written by the tool you meant: records nest a few levels",
        )
    } else {
        (
            "malformed-json",
            format!("malformed JSON: {words}"),
            "fix the JSON syntax at that position",
        )
    };
    JsonProblem {
        code,
        message,
        hint,
        line: e.line(),
        column: e.column(),
    }
}

/// Where a value is, built only when a duplicate is found.
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root => Ok(()),
            At::Key(At::Root, k) => f.write_str(k),
            At::Key(parent, k) => write!(f, "{parent}.{k}"),
            At::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

struct Seed<'a> {
    at: &'a At<'a>,
    dups: &'a RefCell<Vec<DuplicateKey>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let at = At::Index(self.at, items.len());
            let seed = Seed {
                at: &at,
                dups: self.dups,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut obj = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = At::Key(self.at, &key);
            let value = map.next_value_seed(Seed {
                at: &at,
                dups: self.dups,
            })?;
            match obj.entry(key) {
                serde_json::map::Entry::Vacant(e) => {
                    e.insert(value);
                }
                serde_json::map::Entry::Occupied(mut e) => {
                    self.dups.borrow_mut().push(DuplicateKey {
                        path: self.at.to_string(),
                        key: e.key().clone(),
                    });
                    e.insert(value);
                }
            }
        }
        Ok(Value::Object(obj))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_listed_with_their_path_and_the_last_is_kept() {
        let (v, dups) = parse(r#"{"a": 1, "q": [{"s": {"x": 1, "x": 2}}], "a": 3}"#).unwrap();
        assert_eq!(v["a"], 3);
        assert_eq!(v["q"][0]["s"]["x"], 2);
        let shown: Vec<String> = dups
            .iter()
            .map(|d| format!("{}/{}", d.path, d.key))
            .collect();
        assert_eq!(shown, ["q[0].s/x", "/a"]);
    }

    #[test]
    fn the_same_values_as_serde_json() {
        let text =
            r#"{"n": [0, -0, 1.5, -7, 18446744073709551615, null, true, "é\u00e9"], "o": {}}"#;
        let (v, dups) = parse(text).unwrap();
        assert!(dups.is_empty());
        assert_eq!(v, serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn each_failure_has_its_own_code() {
        let code = |t: &str| parse(t).unwrap_err().code;
        assert_eq!(code("\u{feff}{}"), "byte-order-mark");
        assert_eq!(code(r#"{"start": 1e400}"#), "number-out-of-range");
        assert_eq!(code(r#"{"text": "\ud800"}"#), "lone-surrogate");
        assert_eq!(code(r#"{"text": "\udc00x"}"#), "lone-surrogate");
        assert_eq!(code(&"[".repeat(200)), "too-deep");
        assert_eq!(code("{"), "malformed-json");
        assert_eq!(code("{} x"), "malformed-json");
    }
}
