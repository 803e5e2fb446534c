//! The JSON of protocol.md that worker processes and HTTP endpoints share:
//! the handshake, requests and responses, and how failures are worded.

use std::time::Duration;

use serde_json::Value;

use crate::corpus::json::DuplicateKey;
use crate::corpus::{json_error_message, resolve_output, Article, OffsetUnit};
use crate::extract::{Failure, FailureKind, Output};

/// What an extractor says about itself before its first article
/// (protocol.md, "Handshake").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handshake {
    /// The extractor's own name (the configured name is used in reports).
    pub name: String,
    /// Its version: in reports and in the cache key.
    pub version: String,
    /// The unit of the offsets it sends when a response does not say.
    pub offsets: OffsetUnit,
    /// How many requests it takes before answering (1 unless it says).
    pub pipeline: usize,
}

/// The most requests a worker may ask to hold at once.
const MAX_PIPELINE: u64 = 1024;

/// Why a handshake was refused: one variant per rule of protocol.md,
/// "Handshake". The message continues a sentence about the extractor
/// ("… sent a bad handshake (it has no `version`)").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HandshakeError {
    /// The line is not JSON.
    #[error("it is not JSON ({why})")]
    NotJson {
        /// What the JSON parser said.
        why: String,
    },
    /// The JSON is not an object.
    #[error("it is not a JSON object but {shown}")]
    NotAnObject {
        /// The value, cut, for the message.
        shown: String,
    },
    /// There is no `quotecheck` key.
    #[error("it has no `\"quotecheck\": 1`")]
    NoProtocol,
    /// `quotecheck` names a protocol other than 1.
    #[error("`quotecheck` is {shown}, but this version speaks protocol 1")]
    WrongProtocol {
        /// The value given, cut.
        shown: String,
    },
    /// `name` or `version` is missing.
    #[error("it has no `{key}`")]
    Missing {
        /// `name` or `version`.
        key: &'static str,
    },
    /// `name` or `version` is not a non-empty string.
    #[error("`{key}` must be a non-empty string, not {shown}")]
    NotAString {
        /// `name` or `version`.
        key: &'static str,
        /// The value given, cut.
        shown: String,
    },
    /// There is no `offsets`.
    #[error("it has no `offsets` (\"codepoint\", \"utf8\" or \"utf16\")")]
    NoOffsets,
    /// `offsets` names no unit.
    #[error("`offsets` is {shown}; use \"codepoint\", \"utf8\" or \"utf16\"")]
    BadOffsets {
        /// The value given, cut.
        shown: String,
    },
    /// `pipeline` is not a whole number from 1 to the limit.
    #[error("`pipeline` is {shown}; give a whole number from 1 to {MAX_PIPELINE}")]
    BadPipeline {
        /// The value given, cut.
        shown: String,
    },
}

impl Handshake {
    /// Reads a handshake line.
    pub(crate) fn parse(line: &[u8]) -> Result<Handshake, HandshakeError> {
        let value: Value = serde_json::from_slice(line).map_err(|e| HandshakeError::NotJson {
            why: json_error_message(&e),
        })?;
        Handshake::from_value(&value)
    }

    /// Reads a handshake object.
    pub(crate) fn from_value(value: &Value) -> Result<Handshake, HandshakeError> {
        let obj = value
            .as_object()
            .ok_or_else(|| HandshakeError::NotAnObject { shown: show(value) })?;
        match obj.get("quotecheck") {
            Some(v) if v.as_u64() == Some(1) => {}
            Some(v) => return Err(HandshakeError::WrongProtocol { shown: show(v) }),
            None => return Err(HandshakeError::NoProtocol),
        }
        let string = |key: &'static str| match obj.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(v) => Err(HandshakeError::NotAString {
                key,
                shown: show(v),
            }),
            None => Err(HandshakeError::Missing { key }),
        };
        let name = string("name")?;
        let version = string("version")?;
        let offsets = match obj.get("offsets") {
            Some(Value::String(s)) if OffsetUnit::parse(s).is_some() => {
                OffsetUnit::parse(s).expect("checked")
            }
            Some(v) => return Err(HandshakeError::BadOffsets { shown: show(v) }),
            None => return Err(HandshakeError::NoOffsets),
        };
        let pipeline = match obj.get("pipeline") {
            None | Some(Value::Null) => 1,
            Some(v) => match v.as_u64() {
                Some(n) if (1..=MAX_PIPELINE).contains(&n) => n as usize,
                _ => return Err(HandshakeError::BadPipeline { shown: show(v) }),
            },
        };
        Ok(Handshake {
            name,
            version,
            offsets,
            pipeline,
        })
    }
}

/// A request: one article.
#[derive(serde::Serialize)]
pub(crate) struct Request<'a> {
    pub id: &'a str,
    pub text: &'a str,
}

impl Request<'_> {
    /// The request as one JSON line, newline included.
    pub(crate) fn line(&self) -> Vec<u8> {
        let mut line = serde_json::to_vec(self).expect("strings serialize");
        line.push(b'\n');
        line
    }
}

/// Turns a response object (`{"id", "quotes"}` or `{"id", "error"}`) into
/// the article's output. `unit` is the unit of offsets when the response
/// does not give one; `source` names the extractor in issues; `excerpt` is
/// the response as received, cut, for the message of a wrong-shaped one.
pub(crate) fn resolve_response(
    mut value: Value,
    article: &Article,
    unit: OffsetUnit,
    source: &str,
    excerpt: &str,
    duplicates: &[DuplicateKey],
) -> Result<Output, Failure> {
    // `"error": null` is no error.
    if let Some(error) = value.get("error").filter(|e| !e.is_null()) {
        let message = error
            .as_str()
            .map_or_else(|| error.to_string(), str::to_string);
        return Err(Failure::new(FailureKind::Error, cut(&message, 2000)));
    }
    if let Some(obj) = value.as_object_mut() {
        obj.entry("offsets")
            .or_insert_with(|| Value::String(unit.as_str().to_string()));
    }
    let id = article.id.as_str();
    resolve_output(&value, &article.text, source, id, None)
        .map(|set| Output {
            quotes: set.quotes,
            issues: duplicates
                .iter()
                .map(|d| d.issue(source, id))
                .chain(set.issues)
                .collect(),
        })
        .map_err(|issues| {
            let why = issues.first().map_or_else(
                || "the response has the wrong shape".to_string(),
                |i| i.message.clone(),
            );
            Failure {
                kind: FailureKind::InvalidOutput,
                message: format!("{why}; the response was: {excerpt}"),
                issues,
            }
        })
}

/// A received line for a message: at most a few hundred characters.
pub(crate) fn excerpt(line: &[u8]) -> String {
    const MAX: usize = 300;
    let shown = String::from_utf8_lossy(&line[..line.len().min(MAX * 4)]);
    let mut s = cut(shown.trim_end(), MAX);
    if line.len() > MAX {
        s.push_str(&format!(" ({} bytes)", line.len()));
    }
    s
}

/// `s` cut to at most `max` characters, with `…` when cut.
pub(crate) fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A short JSON rendering of a value for messages.
fn show(v: &Value) -> String {
    cut(&v.to_string(), 60)
}

/// The tail of what a process wrote on stderr, for a message: the last
/// lines, each cut, or `None` when it wrote nothing.
pub(crate) fn stderr_tail(bytes: &[u8]) -> Option<String> {
    const LINES: usize = 12;
    const WIDTH: usize = 240;
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return None;
    }
    let skipped = lines.len().saturating_sub(LINES);
    let mut out = String::from("its stderr ends with:");
    if skipped > 0 {
        out.push_str(&format!("\n      | … ({skipped} line(s) before)"));
    }
    for line in &lines[skipped..] {
        out.push_str("\n      | ");
        out.push_str(&cut(line, WIDTH));
    }
    Some(out)
}

/// A duration for people: `500ms`, `30s`, `2m`, `1.5s`.
pub(crate) fn show_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 60_000 == 0 && ms > 0 {
        format!("{}m", ms / 60_000)
    } else if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else if ms < 1000 {
        format!("{ms}ms")
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// A command line for people: its words, quoted when they need it.
pub(crate) fn show_command(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_alphanumeric() || "-_./=:,+@%".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_of_null_is_no_error() {
        let article = Article {
            id: crate::corpus::ArticleId::new("a").unwrap(),
            text: "Ana said hello.".into(),
            gold: None,
        };
        let ok = serde_json::json!({"id": "a", "error": null, "quotes": [{"content": {"text": "hello"}}]});
        let out = resolve_response(ok, &article, OffsetUnit::Codepoint, "w", "", &[]).unwrap();
        assert_eq!(out.quotes.len(), 1);
        let failed = serde_json::json!({"id": "a", "error": "out of memory", "quotes": []});
        let err =
            resolve_response(failed, &article, OffsetUnit::Codepoint, "w", "", &[]).unwrap_err();
        assert_eq!(err.kind, FailureKind::Error);
    }

    #[test]
    fn handshakes() {
        let h = Handshake::parse(
            br#"{"quotecheck": 1, "name": "t", "version": "0.1", "offsets": "utf16", "pipeline": 4}"#,
        )
        .unwrap();
        assert_eq!(h.offsets, OffsetUnit::Utf16);
        assert_eq!(h.pipeline, 4);
        for (line, why) in [
            (&b"hello"[..], "not JSON"),
            (br#"[1]"#, "not a JSON object"),
            (br#"{"name": "t"}"#, "no `\"quotecheck\": 1`"),
            (br#"{"quotecheck": 2}"#, "protocol 1"),
            (
                br#"{"quotecheck": 1, "name": "t", "version": 1, "offsets": "utf8"}"#,
                "`version` must be",
            ),
            (
                br#"{"quotecheck": 1, "name": "t", "version": "1", "offsets": "bytes"}"#,
                "`offsets` is \"bytes\"",
            ),
            (
                br#"{"quotecheck": 1, "name": "t", "version": "1", "offsets": "utf8", "pipeline": 0}"#,
                "`pipeline` is 0",
            ),
        ] {
            let e = Handshake::parse(line).unwrap_err().to_string();
            assert!(e.contains(why), "{e}");
        }
        assert_eq!(
            Handshake::parse(br#"{"quotecheck": 1, "version": "1", "offsets": "utf8"}"#),
            Err(HandshakeError::Missing { key: "name" })
        );
    }

    #[test]
    fn tails_and_excerpts_are_bounded() {
        let long: Vec<u8> = (0..10_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let tail = stderr_tail(&long).unwrap();
        assert!(tail.contains("line 9999") && !tail.contains("line 9000\n"));
        assert!(tail.len() < 1000, "{tail}");
        assert_eq!(stderr_tail(b" \n\n"), None);
        let e = excerpt(&vec![b'x'; 100_000]);
        assert!(e.len() < 400 && e.ends_with("(100000 bytes)"), "{e}");
    }

    #[test]
    fn commands_and_durations_read_well() {
        let argv = ["python3", "my worker.py", "--x=1"].map(String::from);
        assert_eq!(show_command(&argv), "python3 'my worker.py' --x=1");
        assert_eq!(show_duration(Duration::from_millis(500)), "500ms");
        assert_eq!(show_duration(Duration::from_secs(30)), "30s");
        assert_eq!(show_duration(Duration::from_secs(120)), "2m");
        assert_eq!(show_duration(Duration::from_millis(1500)), "1.5s");
    }
}
