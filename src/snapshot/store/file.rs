//! One snapshot file: its insta-compatible header and its body.
//!
//! Owns the text format (writing it as insta's emitter would, reading what
//! quotecheck or insta wrote) and the gold hash recorded in the header. It
//! works on strings: it knows nothing of paths, folders or the lock.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::align::Scheme;
use crate::corpus::Article;
use crate::snapshot::{rename_legacy, render_gold, Grade, Grading, Unstable};

/// What the `source` key of a snapshot written by quotecheck says.
const SOURCE: &str = "quotecheck run";

/// The header of a snapshot: insta's metadata keys, with quotecheck's own
/// under `info`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Info {
    /// The extractor's name.
    pub extractor: String,
    /// The article id.
    pub article: String,
    /// The scheme the verdicts were made under (`overlap:0.5`, `exact`).
    pub scheme: String,
    /// A hash of the article's text and gold ([`gold_hash`]).
    pub gold: String,
}

/// One snapshot file: its header and its body (the rendering).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotFile {
    /// insta's `source` key (`quotecheck run` for files quotecheck writes).
    pub source: String,
    /// insta's `expression` key: `<extractor> on <article>`.
    pub expression: String,
    /// The `info` key.
    pub info: Info,
    /// The rendering, ending in a newline unless empty.
    pub body: String,
    /// The grade of a pending snapshot against the accepted one, as the run
    /// that wrote it found it (`info.grade`, `info.better`, `info.worse`,
    /// `info.changes`); accepted snapshots have none.
    pub grading: Option<Grading>,
    /// When the run that wrote it asked the extractor several times and
    /// not every repeat rendered the body (`info.unstable`, `2 of 3
    /// repeats`); `None` otherwise, and then the header has no such key.
    pub unstable: Option<Unstable>,
}

/// The hash of an article's text and gold recorded in snapshot headers:
/// `sha256:` and 16 hex digits. It does not depend on the order of the
/// gold records.
pub fn gold_hash(article: &Article) -> String {
    let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
    let mut h = Sha256::new();
    h.update(article.text.as_bytes());
    h.update([0]);
    h.update(render_gold(&article.text, gold).as_bytes());
    let hex: String = h
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

impl SnapshotFile {
    /// The snapshot of `body` for `extractor` on `article`.
    pub fn new(
        extractor: &str,
        article: &str,
        scheme: &Scheme,
        gold: String,
        body: String,
    ) -> Self {
        SnapshotFile {
            source: SOURCE.to_string(),
            expression: format!("{extractor} on {article}"),
            info: Info {
                extractor: extractor.to_string(),
                article: article.to_string(),
                scheme: scheme.to_string(),
                gold,
            },
            body,
            grading: None,
            unstable: None,
        }
    }

    /// The file's text: a `---`-delimited YAML header, then the body (with
    /// trailing white space trimmed and one final newline, as insta writes
    /// it).
    pub fn to_text(&self) -> String {
        let mut out = String::from("---\n");
        out.push_str(&format!("source: {}\n", yaml_str(&self.source)));
        out.push_str(&format!("expression: {}\n", yaml_str(&self.expression)));
        out.push_str("info:\n");
        for (key, value) in [
            ("extractor", &self.info.extractor),
            ("article", &self.info.article),
            ("scheme", &self.info.scheme),
            ("gold", &self.info.gold),
        ] {
            out.push_str(&format!("  {key}: {}\n", yaml_str(value)));
        }
        if let Some(u) = &self.unstable {
            out.push_str(&format!("  unstable: {}\n", yaml_str(&u.to_string())));
        }
        if let Some(g) = &self.grading {
            for (key, value) in [
                ("grade", g.grade.to_string()),
                ("better", g.better.to_string()),
                ("worse", g.worse.to_string()),
                ("changes", g.changes.join("; ")),
            ] {
                out.push_str(&format!("  {key}: {}\n", yaml_str(&value)));
            }
        }
        out.push_str("---\n");
        out.push_str(normalized(&self.body).trim_end_matches('\n'));
        out.push('\n');
        out
    }

    /// Reads a snapshot file written by quotecheck or by insta (with
    /// `info` keys `scheme` and `gold`; other keys are ignored).
    pub fn parse(text: &str) -> Result<SnapshotFile, ParseError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.split_inclusive('\n');
        let first = lines.next().unwrap_or_default();
        if first.trim_end() != "---" {
            return Err(ParseError::NoHeader);
        }
        let mut top: BTreeMap<String, String> = BTreeMap::new();
        let mut info: BTreeMap<String, String> = BTreeMap::new();
        let mut in_info = false;
        let mut closed = false;
        let mut consumed = first.len();
        for line in lines.by_ref() {
            consumed += line.len();
            let l = line.trim_end();
            if l == "---" {
                closed = true;
                break;
            }
            if l.trim().is_empty() {
                continue;
            }
            let nested = l.starts_with(' ');
            let Some((key, value)) = l.trim().split_once(':') else {
                if nested {
                    continue;
                }
                return Err(ParseError::NotKeyValue {
                    line: l.to_string(),
                });
            };
            let value = yaml_value(value.trim())?;
            if nested {
                if in_info {
                    info.insert(key.to_string(), value);
                }
            } else {
                in_info = key == "info" && value.is_empty();
                top.insert(key.to_string(), value);
            }
        }
        if !closed {
            return Err(ParseError::Unclosed);
        }
        let body = normalized(&text[consumed.min(text.len())..]);
        let get = |map: &BTreeMap<String, String>, key: &str| map.get(key).cloned();
        let field = |key: &'static str| get(&info, key).ok_or(ParseError::MissingInfo { key });
        let trimmed = body.trim_end_matches('\n');
        Ok(SnapshotFile {
            source: get(&top, "source").unwrap_or_default(),
            expression: get(&top, "expression").unwrap_or_default(),
            info: Info {
                extractor: get(&info, "extractor").unwrap_or_default(),
                article: get(&info, "article").unwrap_or_default(),
                scheme: field("scheme")?,
                gold: get(&info, "gold").unwrap_or_default(),
            },
            body: if trimmed.is_empty() {
                String::new()
            } else {
                format!("{trimmed}\n")
            },
            grading: read_grading(&info),
            unstable: info.get("unstable").and_then(|u| Unstable::parse(u)),
        })
    }

    /// Reads a snapshot file's bytes: [`SnapshotFile::parse`], once they
    /// are known to be UTF-8.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<SnapshotFile, DamagedSnapshot> {
        let text = String::from_utf8(bytes).map_err(|_| DamagedSnapshot::NotUtf8)?;
        Ok(SnapshotFile::parse(&text)?)
    }

    /// Whether two snapshots have the same rendering (insta's comparison:
    /// trailing white space and line-ending style do not count).
    pub fn same_body(&self, other: &SnapshotFile) -> bool {
        normalized(&self.body).trim_end() == normalized(&other.body).trim_end()
    }

    /// Whether the rendering is `other`'s once its predictions, named the
    /// old way (by rank: `p3`), are renamed as renderings name them now
    /// (`p@519`, [`rename_legacy`]): such a snapshot is unchanged.
    pub fn same_body_renamed(&self, other: &SnapshotFile) -> bool {
        rename_legacy(&normalized(&self.body))
            .is_some_and(|renamed| renamed.trim_end() == normalized(&other.body).trim_end())
    }

    /// The rendering, with predictions named the old way renamed
    /// ([`rename_legacy`]), for diffs against a new rendering.
    pub fn body_renamed(&self) -> std::borrow::Cow<'_, str> {
        match rename_legacy(&normalized(&self.body)) {
            Some(renamed) => std::borrow::Cow::Owned(renamed),
            None => std::borrow::Cow::Borrowed(&self.body),
        }
    }

    /// Whether the snapshot was made under `scheme`.
    pub fn made_under(&self, scheme: &Scheme) -> bool {
        self.info
            .scheme
            .parse::<Scheme>()
            .is_ok_and(|s| s.to_string() == scheme.to_string())
    }
}

/// The grade a pending file's header records, if it records a whole one.
fn read_grading(info: &BTreeMap<String, String>) -> Option<Grading> {
    let count = |key: &str| info.get(key)?.parse::<usize>().ok();
    Some(Grading {
        grade: Grade::parse(info.get("grade")?)?,
        better: count("better")?,
        worse: count("worse")?,
        changes: info
            .get("changes")?
            .split("; ")
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

/// Why a snapshot's text is not a snapshot file: messages say why, to
/// follow "… cannot be read".
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The first line is not `---`.
    #[error("it does not start with a `---` header")]
    NoHeader,
    /// A header line that is neither `key: value` nor nested under a key.
    #[error("header line {line:?} is not `key: value`")]
    NotKeyValue {
        /// The line, without its line break.
        line: String,
    },
    /// A double-quoted value that is not a JSON string.
    #[error("bad quoted value {value}: {error}")]
    BadQuotedValue {
        /// The value as written.
        value: String,
        /// Why it does not read as a string.
        error: serde_json::Error,
    },
    /// No `---` ends the header.
    #[error("its header has no closing `---`")]
    Unclosed,
    /// A required `info` key is missing.
    #[error("its header has no `info.{key}`")]
    MissingInfo {
        /// The key (`scheme`).
        key: &'static str,
    },
}

/// Why a snapshot file's bytes cannot be read as a snapshot.
#[derive(Debug, thiserror::Error)]
pub enum DamagedSnapshot {
    /// The bytes are not UTF-8.
    #[error("it is not UTF-8")]
    NotUtf8,
    /// The text is not a snapshot file.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// `\r\n` as `\n`.
fn normalized(s: &str) -> String {
    s.replace("\r\n", "\n")
}

/// A YAML scalar as insta's emitter writes it: plain when that reads back
/// as the same string, else double-quoted with JSON escapes.
fn yaml_str(s: &str) -> String {
    let needs_quotes = s.is_empty()
        || s.starts_with(' ')
        || s.ends_with(' ')
        || s.starts_with(['&', '*', '?', '|', '-', '<', '>', '=', '!', '%', '@', '.'])
        || s.contains(|c: char| {
            matches!(
                c,
                ':' | '{' | '}' | '[' | ']' | ',' | '#' | '`' | '"' | '\'' | '\\'
            ) || c.is_control()
        })
        || [
            "yes", "Yes", "YES", "no", "No", "NO", "True", "TRUE", "true", "False", "FALSE",
            "false", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
        ]
        .contains(&s)
        || s.starts_with("0x")
        || s.parse::<i64>().is_ok()
        || s.parse::<f64>().is_ok();
    if needs_quotes {
        serde_json::to_string(s).expect("strings serialize")
    } else {
        s.to_string()
    }
}

/// Reads a scalar written by [`yaml_str`] (or by insta): double-quoted,
/// single-quoted, `~` or plain.
fn yaml_value(v: &str) -> Result<String, ParseError> {
    if v.starts_with('"') {
        serde_json::from_str(v).map_err(|error| ParseError::BadQuotedValue {
            value: v.to_string(),
            error,
        })
    } else if let Some(inner) = v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        Ok(inner.replace("''", "'"))
    } else if v == "~" {
        Ok(String::new())
    } else {
        Ok(v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(body: &str) -> SnapshotFile {
        SnapshotFile::new(
            "mine",
            "world/2011",
            &Scheme::default(),
            "sha256:00".into(),
            body.into(),
        )
    }

    #[test]
    fn files_round_trip_and_quote_like_insta() {
        let f = file("p1 · spurious\n  at  @1-2\n");
        let text = f.to_text();
        assert_eq!(
            text,
            "---\nsource: quotecheck run\nexpression: mine on world/2011\ninfo:\n  extractor: mine\n  article: world/2011\n  scheme: \"overlap:0.5\"\n  gold: \"sha256:00\"\n---\np1 · spurious\n  at  @1-2\n"
        );
        assert_eq!(SnapshotFile::parse(&text).unwrap(), f);
        assert_eq!(yaml_str("2011"), "\"2011\"");
        assert_eq!(yaml_str("-x"), "\"-x\"");
        assert_eq!(yaml_str("a/b-c"), "a/b-c");
    }

    #[test]
    fn an_unstable_mark_round_trips() {
        let mut f = file("p1 · spurious\n");
        f.unstable = Some(Unstable {
            agree: 2,
            of: 3,
            records: vec!["p@12".into(), "q3".into()],
        });
        let text = f.to_text();
        // Quoted, as YAML needs for the comma.
        assert!(text.contains(
            "\n  gold: \"sha256:00\"\n  unstable: \"2 of 3 repeats; records p@12, q3\"\n---\n"
        ));
        assert_eq!(SnapshotFile::parse(&text).unwrap(), f);
    }

    #[test]
    fn an_empty_rendering_round_trips() {
        let f = file("");
        assert_eq!(SnapshotFile::parse(&f.to_text()).unwrap(), f);
    }

    #[test]
    fn bodies_compare_as_insta_compares_them() {
        assert!(file("a\n").same_body(&file("a\n\n")));
        assert!(file("a\r\nb\n").same_body(&file("a\nb")));
        assert!(!file("a\n").same_body(&file("b\n")));
    }

    #[test]
    fn damaged_files_are_errors() {
        assert!(SnapshotFile::parse("no header").is_err());
        assert!(SnapshotFile::parse("---\nsource: x\n").is_err());
        assert!(SnapshotFile::parse("---\nsource: x\n---\nbody\n").is_err());
    }
}
