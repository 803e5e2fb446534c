//! The JSON-lines layout: one article a line, `{"id", "text", …gold}`,
//! optionally gzip-compressed.
//!
//! Lines are streamed, never held all at once; each is parsed on its own,
//! and only the check of its id against earlier lines waits for the lines
//! before it ([`super::stream::Reader::check`]).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use super::limits::{read_line, Line, ReadLimits};
use super::parse::too_large;
use std::path::Path;

use serde_json::{Map, Value};

use super::parse::{finish, parse_json, utf8_str};
use super::stream::{Parsed, PendingLine, Unparsed};
use super::Item;
use crate::corpus::id::ArticleId;
use crate::corpus::issue::{Issue, Severity};
use crate::corpus::model::Article;
use crate::corpus::records::json::DuplicateKey;
use crate::corpus::records::{
    fast_gold_line, fast_gold_row, resolve_gold, show, Diagnostics, FastLine, Place,
};

/// Whether `path` names a JSON-lines corpus.
pub(super) fn is_jsonl(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".jsonl") || name.ends_with(".jsonl.gz")
}

/// Streams the lines of a JSON-lines corpus.
pub(super) struct Lines {
    reader: Option<Box<dyn BufRead + Send>>,
    pending: Option<Item>,
    line_no: usize,
    buf: Vec<u8>,
}

impl Lines {
    pub fn open(path: &Path, display: &str) -> Lines {
        let (reader, pending) = match File::open(path) {
            Ok(f) => {
                let raw: Box<dyn Read + Send> = if display.ends_with(".gz") {
                    Box::new(flate2::read::MultiGzDecoder::new(f))
                } else {
                    Box::new(f)
                };
                (
                    Some(
                        Box::new(BufReader::with_capacity(1 << 16, raw)) as Box<dyn BufRead + Send>
                    ),
                    None,
                )
            }
            Err(e) => (None, Some(io_item(display, 0, &e))),
        };
        Lines {
            reader,
            pending,
            line_no: 0,
            buf: Vec::new(),
        }
    }

    /// The next line, or the error that ends the file.
    pub fn next<'c>(&mut self, display: &'c str) -> Option<Unparsed<'c>> {
        if let Some(item) = self.pending.take() {
            return Some(Unparsed::Ready(item));
        }
        let reader = self.reader.as_mut()?;
        let limit = ReadLimits::current().max_article_bytes;
        match read_line(reader.as_mut(), &mut self.buf, limit) {
            Ok(Line::End) => {
                self.reader = None;
                None
            }
            Ok(Line::TooLong(len)) => {
                self.line_no += 1;
                let issue = too_large(display, &format!("the line is {len} bytes"), limit)
                    .line(self.line_no);
                Some(Unparsed::Ready(Item::Broken {
                    id: format!("line {}", self.line_no),
                    issues: vec![issue],
                }))
            }
            Ok(Line::Read(_)) => {
                self.line_no += 1;
                // The next line is rarely much longer than this one.
                let capacity = self.buf.len();
                let bytes = std::mem::replace(&mut self.buf, Vec::with_capacity(capacity));
                Some(Unparsed::Line {
                    display,
                    line: self.line_no,
                    bytes,
                })
            }
            Err(e) => {
                self.reader = None;
                Some(Unparsed::Ready(io_item(display, self.line_no + 1, &e)))
            }
        }
    }
}

const LINE_FIELDS: &[&str] = &[
    "id", "text", "offsets", "status", "source", "language", "quotes", "ignore",
];

/// Parses one line of a JSON-lines corpus. Everything but the check of its
/// id against earlier lines, which the reader makes in order.
pub(super) fn parse_line(display: &str, line: usize, bytes: Vec<u8>) -> Parsed {
    parse_line_with(display, line, bytes, true)
}

/// [`parse_line`], trying the fast path first when `fast` is set (the
/// tests compare both).
pub(super) fn parse_line_with(display: &str, line: usize, bytes: Vec<u8>, fast: bool) -> Parsed {
    let done = |item| Parsed::Final(Some(Box::new(item)));
    let label = format!("line {line}");
    let broken = |issue: Box<Issue>| {
        done(Item::Broken {
            id: label.clone(),
            issues: vec![*issue],
        })
    };
    let text = match utf8_str(&bytes, display, None, Some(line)) {
        Ok(t) => t,
        Err(issue) => return broken(issue),
    };
    if text.trim().is_empty() {
        return Parsed::Final(None);
    }
    if let Some(pending) = fast.then(|| fast_line(line, text)).flatten() {
        return pending;
    }
    let (value, dups) = match parse_json(text, display, None, Some(line)) {
        Ok(v) => v,
        Err(issue) => return broken(issue),
    };
    parse_object(display, line, label, value, dups)
}

/// A line the fast path resolves: one the checked path would resolve
/// without a single issue, with a safe id.
fn fast_line(line: usize, text: &str) -> Option<Parsed> {
    fast_pending(line, fast_gold_line(text)?)
}

/// [`fast_line`] for the row of a Parquet corpus, given as a deserializer
/// of the object of its line.
pub(super) fn fast_row<'de, D: serde::Deserializer<'de>>(row: usize, de: D) -> Option<Parsed> {
    fast_pending(row, fast_gold_row(de)?)
}

fn fast_pending(line: usize, resolved: FastLine) -> Option<Parsed> {
    let FastLine {
        id: raw,
        text,
        gold,
    } = resolved;
    let id = ArticleId::new(&raw).ok()?;
    Some(Parsed::Pending(Box::new(PendingLine {
        line,
        raw: raw.clone(),
        item: Item::Article {
            article: Article {
                id,
                text,
                gold: Some(gold),
            },
            issues: Vec::new(),
        },
        id_label: raw,
        issues_if_taken: Vec::new(),
        insert_at: 0,
    })))
}

/// Resolves the JSON object of one article: a line of a JSON-lines corpus,
/// or a row of a Parquet one (`line` is then the row, `label` names it).
pub(super) fn parse_object(
    display: &str,
    line: usize,
    label: String,
    value: Value,
    dups: Vec<DuplicateKey>,
) -> Parsed {
    let done = |item| Parsed::Final(Some(Box::new(item)));
    let raw_id = value.get("id").and_then(Value::as_str).map(str::to_string);
    let id_label = raw_id.clone().unwrap_or(label.clone());
    let mut diag = Diagnostics::new(Place {
        file: display,
        line: Some(line),
        article: &id_label,
    });
    diag.duplicate_keys(&dups);
    let Some(obj) = value.as_object() else {
        diag.error(
            "wrong-type",
            "",
            None,
            format!("a corpus line must be a JSON object, not {}", show(&value)),
        );
        return done(Item::Broken {
            id: id_label.clone(),
            issues: diag.issues,
        });
    };
    diag.unknown_keys(obj, LINE_FIELDS, "", None);
    let id = line_id(obj, raw_id.as_deref(), &mut diag);
    // Where an issue about a repeated id goes, if the id turns out taken.
    let insert_at = diag.issues.len();
    let text = line_text(obj, &mut diag);
    let (Some(id), Some(raw)) = (id, raw_id) else {
        return done(Item::Broken {
            id: id_label.clone(),
            issues: diag.issues,
        });
    };
    let issues_if_taken = diag.issues.clone();
    let item = match text {
        None => Item::Broken {
            id: id_label.clone(),
            issues: diag.issues,
        },
        Some(text) if !obj.contains_key("quotes") && !obj.contains_key("status") => {
            let note = Issue::new(
                Severity::Note,
                "unannotated",
                display,
                "no `quotes`, so it is not scored",
            )
            .article(id.as_str())
            .line(line);
            diag.issues.push(note);
            Item::Article {
                article: Article {
                    id,
                    text: text.to_string(),
                    gold: None,
                },
                issues: diag.issues,
            }
        }
        Some(text) => {
            let gold = resolve_gold(obj, text, &mut diag);
            finish(id, text.to_string(), gold, diag)
        }
    };
    Parsed::Pending(Box::new(PendingLine {
        line,
        raw,
        item,
        id_label,
        issues_if_taken,
        insert_at,
    }))
}

/// The line's `id`, if it is a safe one.
fn line_id(
    obj: &Map<String, Value>,
    raw_id: Option<&str>,
    diag: &mut Diagnostics<'_>,
) -> Option<ArticleId> {
    let Some(raw) = raw_id else {
        diag.error(
            "missing-field",
            "id",
            None,
            format!(
                "missing string field `id` (got {})",
                obj.get("id").map_or("nothing".into(), show)
            ),
        );
        return None;
    };
    match ArticleId::new(raw) {
        Err(e) => {
            diag.error("unsafe-id", "id", None, format!("{e}; the article is skipped"))
                .hint = Some("ids become file names, so only letters A-Z a-z, digits, `.`, `_`, `-` and `/` between segments are allowed".into());
            None
        }
        Ok(id) => Some(id),
    }
}

/// The line's `text`.
fn line_text<'v>(obj: &'v Map<String, Value>, diag: &mut Diagnostics<'_>) -> Option<&'v str> {
    match obj.get("text") {
        Some(Value::String(t)) => Some(t.as_str()),
        other => {
            diag.error(
                "missing-field",
                "text",
                None,
                format!(
                    "missing string field `text` (got {})",
                    other.map_or("nothing".into(), show)
                ),
            );
            None
        }
    }
}

/// The item of a corpus that cannot be read further.
fn io_item(display: &str, line: usize, e: &io::Error) -> Item {
    let mut issue = Issue::new(
        Severity::Error,
        "unreadable",
        display,
        format!("cannot read the corpus: {e}"),
    );
    if line > 0 {
        issue.line = Some(line);
    }
    Item::Broken {
        id: format!("line {line}"),
        issues: vec![issue],
    }
}
