//! Resolving gold and prediction records from parsed JSON.
//!
//! Records are read from `serde_json::Value` rather than derived structs so
//! that every problem in a file is reported in one pass, each with the JSON
//! path of the offending value, instead of stopping at the first one.

use serde_json::{Map, Value};

use super::issue::{Issue, Severity};
use super::model::{
    Gold, GoldQuote, GoldSpeaker, Kind, PredMention, PredPart, Prediction, Source, Span, Status,
};
use super::offsets::{OffsetError, OffsetIndex, OffsetUnit};
use crate::text;

/// Where the records being resolved come from, for messages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place<'a> {
    pub file: &'a str,
    pub line: Option<usize>,
    pub article: &'a str,
}

/// Collects the issues of one file or line.
pub(crate) struct Sink<'a> {
    pub place: Place<'a>,
    pub issues: Vec<Issue>,
}

impl<'a> Sink<'a> {
    pub fn new(place: Place<'a>) -> Sink<'a> {
        Sink {
            place,
            issues: Vec::new(),
        }
    }

    /// Records an issue located at `path` in record `record`, and returns it
    /// for further detail.
    pub fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        path: &str,
        record: Option<&str>,
        message: impl Into<String>,
    ) -> &mut Issue {
        let mut issue =
            Issue::new(severity, code, self.place.file, message).article(self.place.article);
        issue.line = self.place.line;
        if !path.is_empty() {
            issue.path = Some(path.to_string());
        }
        issue.record = record.map(str::to_string);
        self.issues.push(issue);
        self.issues.last_mut().expect("just pushed")
    }

    pub fn error(
        &mut self,
        code: &'static str,
        path: &str,
        record: Option<&str>,
        message: impl Into<String>,
    ) -> &mut Issue {
        self.push(Severity::Error, code, path, record, message)
    }

    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }

    /// Reports every key of `obj` not in `known`.
    pub fn unknown_keys(
        &mut self,
        obj: &Map<String, Value>,
        known: &[&str],
        path: &str,
        record: Option<&str>,
    ) {
        for key in obj.keys().filter(|k| !known.contains(&k.as_str())) {
            let suggestion = closest(key, known);
            let issue = self.error(
                "unknown-field",
                &join(path, key),
                record,
                format!("unknown field `{key}`"),
            );
            issue.hint = Some(match suggestion {
                Some(s) => format!(
                    "did you mean `{s}`? Known fields here: {}",
                    known.join(", ")
                ),
                None => format!(
                    "known fields here: {}; remove it or fix its name",
                    known.join(", ")
                ),
            });
        }
    }
}

/// `path.key`, or `key` at the top level.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The known name closest to `key` by edit distance, if close enough to be a typo.
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(&key.to_lowercase(), k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What a JSON syntax error says, without serde's "at line L column C"
/// (the caller puts the position where its messages put positions).
pub fn json_error_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    }
}

/// A short JSON rendering of a value for messages.
pub(crate) fn show(v: &Value) -> String {
    let s = v.to_string();
    cut(&s, 60)
}

/// `s` cut to at most `max` characters, with `…` when cut.
pub(crate) fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The article text around `span`, with the span in `⟦…⟧` and line breaks shown as `⏎`.
pub fn context(text: &str, span: Span) -> String {
    const AROUND: usize = 30;
    let before_start = text[..span.start]
        .char_indices()
        .rev()
        .nth(AROUND - 1)
        .map_or(0, |(i, _)| i);
    let after_end = text[span.end..]
        .char_indices()
        .nth(AROUND)
        .map_or(text.len(), |(i, _)| span.end + i);
    let clean = |s: &str| s.replace('\n', "⏎");
    format!(
        "{}{}⟦{}⟧{}{}",
        if before_start > 0 { "…" } else { "" },
        clean(&text[before_start..span.start]),
        clean(&cut(span.slice(text), 80)),
        clean(&text[span.end..after_end]),
        if after_end < text.len() { "…" } else { "" },
    )
}

/// The offset unit declared by `obj["offsets"]`, reporting a bad value.
pub(crate) fn offsets_field(obj: &Map<String, Value>, sink: &mut Sink<'_>) -> OffsetUnit {
    match obj.get("offsets") {
        None | Some(Value::Null) => OffsetUnit::Codepoint,
        Some(Value::String(s)) if OffsetUnit::parse(s).is_some() => {
            OffsetUnit::parse(s).expect("checked")
        }
        Some(other) => {
            sink.error(
                "bad-offsets-unit",
                "offsets",
                None,
                format!("`offsets` is {}", show(other)),
            )
            .hint = Some("use \"codepoint\" (the default), \"utf8\" or \"utf16\"".into());
            OffsetUnit::Codepoint
        }
    }
}

/// Resolves the gold part of a gold file or a JSON-lines corpus line:
/// `offsets`, `status`, `source` and `quotes`. The caller checks the other
/// top-level keys (`article`, or `id` and `text`).
pub(crate) fn resolve_gold(obj: &Map<String, Value>, text: &str, sink: &mut Sink<'_>) -> Gold {
    let unit = offsets_field(obj, sink);
    let status = match obj.get("status") {
        None => Status::Gold,
        Some(Value::String(s)) if s == "gold" => Status::Gold,
        Some(Value::String(s)) if s == "draft" => Status::Draft,
        Some(other) => {
            sink.error(
                "bad-status",
                "status",
                None,
                format!("`status` is {}", show(other)),
            )
            .hint = Some("use \"gold\" or \"draft\"".into());
            Status::Gold
        }
    };
    let source = match obj.get("source") {
        None | Some(Value::Null) => None,
        Some(Value::Object(src)) => {
            sink.unknown_keys(src, &["url", "license", "annotator"], "source", None);
            let field = |k: &str| src.get(k).and_then(Value::as_str).map(str::to_string);
            for k in ["url", "license", "annotator"] {
                if let Some(v) = src.get(k).filter(|v| !v.is_string()) {
                    sink.error(
                        "wrong-type",
                        &format!("source.{k}"),
                        None,
                        format!("`{k}` must be a string, not {}", show(v)),
                    );
                }
            }
            Some(Source {
                url: field("url"),
                license: field("license"),
                annotator: field("annotator"),
            })
        }
        Some(other) => {
            sink.error(
                "wrong-type",
                "source",
                None,
                format!("`source` must be an object, not {}", show(other)),
            );
            None
        }
    };
    let index = OffsetIndex::new(text);
    let mut quotes = Vec::new();
    match obj.get("quotes") {
        Some(Value::Array(items)) => {
            let mut first_use: std::collections::HashMap<&str, usize> =
                std::collections::HashMap::new();
            for (i, item) in items.iter().enumerate() {
                let Some(id) = item.get("id").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(first) = first_use.get(id) {
                    sink.error("duplicate-id", &format!("quotes[{i}].id"), Some(id), format!("record id {id:?} is already used by quotes[{first}]"))
                        .hint = Some("ids must be unique within a file (snapshots and diffs refer to them): give this record a new id".into());
                } else {
                    first_use.insert(id, i);
                }
            }
            for (i, item) in items.iter().enumerate() {
                if let Some(q) =
                    resolve_gold_quote(item, &format!("quotes[{i}]"), &index, unit, sink)
                {
                    quotes.push(q);
                }
            }
        }
        None => {
            sink.error("missing-field", "quotes", None, "missing field `quotes`")
                .hint = Some("add `\"quotes\": []` for an article with no quotes".into());
        }
        Some(other) => {
            sink.error(
                "wrong-type",
                "quotes",
                None,
                format!("`quotes` must be a list, not {}", show(other)),
            );
        }
    }
    check_gold_set(&quotes, text, sink);
    Gold {
        status,
        offsets: unit,
        source,
        quotes,
    }
}

const GOLD_QUOTE_FIELDS: &[&str] = &[
    "id", "kind", "content", "speaker", "cue", "optional", "note",
];

fn resolve_gold_quote(
    item: &Value,
    path: &str,
    index: &OffsetIndex<'_>,
    unit: OffsetUnit,
    sink: &mut Sink<'_>,
) -> Option<GoldQuote> {
    let Some(obj) = item.as_object() else {
        sink.error(
            "wrong-type",
            path,
            None,
            format!("a quote record must be an object, not {}", show(item)),
        );
        return None;
    };
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(other) => {
            sink.error(
                "bad-record-id",
                &join(path, "id"),
                None,
                format!("`id` must be a non-empty string, not {}", show(other)),
            );
            None
        }
        None => {
            sink.error(
                "missing-field",
                &join(path, "id"),
                None,
                "missing field `id`",
            )
            .hint =
                Some("give every record an id that is unique in the file, such as \"q1\"".into());
            None
        }
    };
    let rec = id.as_deref();
    sink.unknown_keys(obj, GOLD_QUOTE_FIELDS, path, rec);
    let errors_before = sink.issues.iter().filter(|i| i.is_error()).count();

    let kind = match obj.get("kind") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if Kind::parse(s).is_some() => Kind::parse(s),
        Some(other) => {
            sink.error(
                "bad-kind",
                &join(path, "kind"),
                rec,
                format!("`kind` is {}", show(other)),
            )
            .hint = Some("use \"direct\", \"indirect\" or \"mixed\", or leave `kind` out".into());
            None
        }
    };

    let content_path = join(path, "content");
    let content: Vec<Span> = match obj.get("content") {
        Some(Value::Array(parts)) if parts.is_empty() => {
            sink.error(
                "empty-content",
                &content_path,
                rec,
                "`content` is an empty list",
            )
            .hint = Some("give one span, or a list of spans for a discontinuous quote".into());
            Vec::new()
        }
        Some(Value::Array(parts)) => parts
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                resolve_span(
                    p,
                    &format!("{content_path}[{i}]"),
                    rec,
                    index,
                    unit,
                    &["start", "end", "text"],
                    true,
                    sink,
                )
            })
            .collect(),
        Some(v) => resolve_span(
            v,
            &content_path,
            rec,
            index,
            unit,
            &["start", "end", "text"],
            true,
            sink,
        )
        .into_iter()
        .collect(),
        None => {
            sink.error(
                "missing-field",
                &content_path,
                rec,
                "missing field `content`",
            );
            Vec::new()
        }
    };
    let text = index.text();
    if !content.is_empty() && !content.iter().any(|s| text::has_tokens(s.slice(text))) {
        let issue = sink.error(
            "content-without-tokens",
            &content_path,
            rec,
            "the content has no tokens (no letters or digits), so nothing can ever match it",
        );
        issue.context = Some(context(text, content[0]));
        issue.hint = Some("point the span at the quoted words, or remove the record".into());
    }
    for pair in content.windows(2) {
        if pair[1].start < pair[0].end {
            sink.error(
                "parts-out-of-order",
                &content_path,
                rec,
                "the parts of a discontinuous quote overlap or are not in text order",
            )
            .hint = Some(
                "list the parts in the order they appear in the article, without overlaps".into(),
            );
            break;
        }
    }

    let speaker_path = join(path, "speaker");
    let speaker = match obj.get("speaker") {
        Some(Value::Null) => None,
        Some(v @ Value::Object(sp)) => {
            let span = resolve_span(
                v,
                &speaker_path,
                rec,
                index,
                unit,
                &["start", "end", "text", "entity", "aliases"],
                true,
                sink,
            );
            let entity = match sp.get("entity") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    sink.error(
                        "wrong-type",
                        &join(&speaker_path, "entity"),
                        rec,
                        format!("`entity` must be a string, not {}", show(other)),
                    );
                    None
                }
            };
            let aliases = match sp.get("aliases") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(a)) => a
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| match v {
                        Value::String(s) => Some(s.clone()),
                        other => {
                            sink.error(
                                "wrong-type",
                                &format!("{speaker_path}.aliases[{i}]"),
                                rec,
                                format!("an alias must be a string, not {}", show(other)),
                            );
                            None
                        }
                    })
                    .collect(),
                Some(other) => {
                    sink.error(
                        "wrong-type",
                        &join(&speaker_path, "aliases"),
                        rec,
                        format!("`aliases` must be a list of strings, not {}", show(other)),
                    );
                    Vec::new()
                }
            };
            span.map(|span| GoldSpeaker {
                span,
                text: span.slice(text).to_string(),
                entity,
                aliases,
            })
        }
        Some(other) => {
            sink.error(
                "wrong-type",
                &speaker_path,
                rec,
                format!("`speaker` must be an object or null, not {}", show(other)),
            );
            None
        }
        None => {
            sink.error(
                "missing-field",
                &speaker_path,
                rec,
                "missing field `speaker`",
            )
            .hint = Some("write `\"speaker\": null` when the article gives no source".into());
            None
        }
    };

    let cue_path = join(path, "cue");
    let cue = match obj.get("cue") {
        Some(Value::Null) => None,
        Some(v) => resolve_span(
            v,
            &cue_path,
            rec,
            index,
            unit,
            &["start", "end", "text"],
            true,
            sink,
        ),
        None => {
            sink.error("missing-field", &cue_path, rec, "missing field `cue`")
                .hint = Some("write `\"cue\": null` when there is no cue word".into());
            None
        }
    };

    let optional = match obj.get("optional") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            sink.error(
                "wrong-type",
                &join(path, "optional"),
                rec,
                format!("`optional` must be true or false, not {}", show(other)),
            );
            false
        }
    };
    let note = match obj.get("note") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            sink.error(
                "wrong-type",
                &join(path, "note"),
                rec,
                format!("`note` must be a string, not {}", show(other)),
            );
            None
        }
    };
    let errors_after = sink.issues.iter().filter(|i| i.is_error()).count();
    if errors_after > errors_before || content.is_empty() {
        return None;
    }
    Some(GoldQuote {
        id: id?,
        kind,
        content,
        speaker,
        cue,
        optional,
        note,
    })
}

/// Checks that need all records of a file: duplicate ids, duplicate
/// records, overlapping content (a note).
fn check_gold_set(quotes: &[GoldQuote], text: &str, sink: &mut Sink<'_>) {
    let mut order: Vec<usize> = (0..quotes.len()).collect();
    order.sort_by_key(|&i| (quotes[i].content.first().map(|s| s.start), i));
    for (a, &i) in order.iter().enumerate() {
        for &j in &order[a + 1..] {
            let (qi, qj) = (&quotes[i], &quotes[j]);
            if qj.content[0].start >= qi.content.last().map_or(0, |s| s.end) {
                break;
            }
            if qi.content == qj.content {
                let issue = sink.error(
                    "duplicate-record",
                    "",
                    Some(&qj.id),
                    format!(
                        "records {:?} and {:?} have the same content spans",
                        qi.id, qj.id
                    ),
                );
                issue.context = Some(context(text, qj.content[0]));
                issue.hint =
                    Some("keep one record per quote; merge the two or fix the spans of one".into());
            } else if qi
                .content
                .iter()
                .any(|a| qj.content.iter().any(|b| a.overlaps(*b)))
            {
                let issue = sink.push(
                    Severity::Note,
                    "overlapping-content",
                    "",
                    Some(&qj.id),
                    format!(
                        "the content of {:?} overlaps the content of {:?} (a nested quotation?)",
                        qj.id, qi.id
                    ),
                );
                issue.context = Some(context(text, qj.content[0]));
            }
        }
    }
}

/// Resolves one `{start, end, text}` span. With `gold`, `text` is required
/// and must equal the slice; otherwise a disagreeing `text` is a warning.
#[allow(clippy::too_many_arguments)]
fn resolve_span(
    v: &Value,
    path: &str,
    rec: Option<&str>,
    index: &OffsetIndex<'_>,
    unit: OffsetUnit,
    known: &[&str],
    gold: bool,
    sink: &mut Sink<'_>,
) -> Option<Span> {
    let Some(obj) = v.as_object() else {
        sink.error(
            "wrong-type",
            path,
            rec,
            format!(
                "a span must be an object with `start`, `end` and `text`, not {}",
                show(v)
            ),
        );
        return None;
    };
    sink.unknown_keys(obj, known, path, rec);
    let span = located_span(obj, path, rec, index, unit, sink)?;
    let text = index.text();
    let slice = span.slice(text);
    match obj.get("text") {
        Some(Value::String(t)) if t == slice => {}
        Some(Value::String(t)) => {
            let issue = sink.error(
                "text-mismatch",
                &join(path, "text"),
                rec,
                format!(
                    "`text` disagrees with the article slice\n  text:  {:?}\n  slice: {:?}",
                    cut(t, 120),
                    cut(slice, 120)
                ),
            );
            issue.context = Some(context(text, span));
            issue.hint = Some(format!(
                "fix `text`, or the offsets if they point at the wrong place (this file counts offsets in {unit} units)"
            ));
        }
        None if gold => {
            sink.error(
                "missing-field",
                &join(path, "text"),
                rec,
                "missing field `text`",
            )
            .hint = Some(format!(
                "gold spans carry their text; here it is {:?}",
                cut(slice, 120)
            ));
        }
        None => {}
        Some(other) => {
            sink.error(
                "wrong-type",
                &join(path, "text"),
                rec,
                format!("`text` must be a string, not {}", show(other)),
            );
        }
    }
    Some(span)
}

/// The span at `obj`'s `start`/`end`, or `None` after reporting why not.
/// Used for gold (errors) and, through [`prediction_span`], predictions.
fn located_span(
    obj: &Map<String, Value>,
    path: &str,
    rec: Option<&str>,
    index: &OffsetIndex<'_>,
    unit: OffsetUnit,
    sink: &mut Sink<'_>,
) -> Option<Span> {
    let bound = |key: &str, sink: &mut Sink<'_>| -> Option<(u64, usize)> {
        // The path is only needed for a message: built then, not per span.
        let p = || join(path, key);
        let raw = match obj.get(key) {
            Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64().expect("checked"),
            Some(other) => {
                sink.error(
                    "bad-offset",
                    &p(),
                    rec,
                    format!(
                        "`{key}` must be a non-negative whole number, not {}",
                        show(other)
                    ),
                );
                return None;
            }
            None => {
                sink.error("missing-field", &p(), rec, format!("missing field `{key}`"));
                return None;
            }
        };
        let converted = usize::try_from(raw)
            .map_err(|_| OffsetError::OutOfRange {
                len: index.len(unit),
            })
            .and_then(|o| index.to_byte(unit, o));
        match converted {
            Ok(b) => Some((raw, b)),
            Err(e) => {
                let code = match e {
                    OffsetError::OutOfRange { .. } => "offset-out-of-range",
                    OffsetError::InsideCharacter => "offset-inside-character",
                    OffsetError::InsideSurrogatePair => "offset-inside-surrogate-pair",
                };
                let issue = sink.error(code, &p(), rec, format!("`{key}` = {raw} ({unit}) {e}"));
                let near = near_byte(index, unit, raw);
                issue.context = Some(context(index.text(), Span::new(near, near)));
                issue.hint = Some(match e {
                    OffsetError::OutOfRange { .. } => "check that the offsets belong to this article's text, and the file's `offsets` unit".to_string(),
                    _ => format!("the offsets look like another unit than {unit}: set the file's `offsets` to the unit your tool counts in"),
                });
                None
            }
        }
    };
    let start = bound("start", sink);
    let end = bound("end", sink);
    let ((raw_start, start), (raw_end, end)) = (start?, end?);
    if start > end {
        let issue = sink.error(
            "start-after-end",
            path,
            rec,
            format!("`start` ({raw_start}) is after `end` ({raw_end})"),
        );
        issue.context = Some(context(index.text(), Span::new(end, start)));
        issue.hint = Some(
            "ends are exclusive and must not come before starts; swap them if they are reversed"
                .into(),
        );
        return None;
    }
    Some(Span::new(start, end))
}

/// The byte offset nearest to `raw` units, for showing context around a
/// bad offset.
fn near_byte(index: &OffsetIndex<'_>, unit: OffsetUnit, raw: u64) -> usize {
    let len = index.len(unit) as u64;
    let mut o = raw.min(len) as usize;
    loop {
        if let Ok(b) = index.to_byte(unit, o) {
            return b;
        }
        o -= 1;
    }
}

/// Resolves the `quotes` of a prediction file or replay line. Nothing is
/// dropped: a record that cannot be used becomes a prediction with empty
/// content (a false positive that matches nothing), with an issue saying why.
fn resolve_predictions(
    items: &[Value],
    unit: OffsetUnit,
    text: &str,
    sink: &mut Sink<'_>,
) -> Vec<Prediction> {
    let index = OffsetIndex::new(text);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| resolve_prediction(item, &format!("quotes[{i}]"), &index, unit, sink))
        .collect()
}

fn resolve_prediction(
    item: &Value,
    path: &str,
    index: &OffsetIndex<'_>,
    unit: OffsetUnit,
    sink: &mut Sink<'_>,
) -> Prediction {
    let Some(obj) = item.as_object() else {
        sink.error(
            "bad-prediction",
            path,
            None,
            format!(
                "a predicted quote must be an object, not {}; it is scored as a false positive",
                show(item)
            ),
        );
        return Prediction::default();
    };
    let id = obj.get("id").and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let rec = id.as_deref();
    let content_path = join(path, "content");
    let content = match obj.get("content") {
        Some(Value::Array(parts)) if !parts.is_empty() => {
            let resolved: Option<Vec<PredPart>> = parts
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    prediction_part(p, &format!("{content_path}[{i}]"), rec, index, unit, sink)
                })
                .collect();
            resolved.unwrap_or_default()
        }
        Some(v @ Value::Object(_)) => prediction_part(v, &content_path, rec, index, unit, sink)
            .into_iter()
            .collect(),
        Some(other) => {
            sink.error("bad-prediction", &content_path, rec, format!("`content` must be a span or a non-empty list of spans, not {}; the record is scored as a false positive", show(other)));
            Vec::new()
        }
        None => {
            sink.error(
                "bad-prediction",
                &content_path,
                rec,
                "the record has no `content`; it is scored as a false positive",
            );
            Vec::new()
        }
    };
    let speaker = prediction_mention(
        obj.get("speaker"),
        &join(path, "speaker"),
        rec,
        index,
        unit,
        sink,
    );
    let cue = prediction_mention(obj.get("cue"), &join(path, "cue"), rec, index, unit, sink);
    let kind = match obj.get("kind") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if Kind::parse(s).is_some() => Kind::parse(s),
        Some(other) => {
            sink.push(
                Severity::Warning,
                "bad-kind",
                &join(path, "kind"),
                rec,
                format!("`kind` is {}; it is treated as absent", show(other)),
            )
            .hint = Some("use \"direct\", \"indirect\" or \"mixed\"".into());
            None
        }
    };
    Prediction {
        id,
        content,
        speaker,
        cue,
        kind,
    }
}

/// One content part: located when its offsets are valid, else its text
/// when it has one, else `None` (the whole record matches nothing).
fn prediction_part(
    v: &Value,
    path: &str,
    rec: Option<&str>,
    index: &OffsetIndex<'_>,
    unit: OffsetUnit,
    sink: &mut Sink<'_>,
) -> Option<PredPart> {
    let Some(obj) = v.as_object() else {
        sink.error(
            "bad-prediction",
            path,
            rec,
            format!(
                "a span must be an object, not {}; the record is scored as a false positive",
                show(v)
            ),
        );
        return None;
    };
    match prediction_span(obj, path, rec, index, unit, sink) {
        Some(Ok(span)) => Some(PredPart::Located(span)),
        Some(Err(())) | None => match obj.get("text") {
            Some(Value::String(t)) => Some(PredPart::Text(t.clone())),
            _ => {
                if !obj.contains_key("start") && !obj.contains_key("end") {
                    sink.error("bad-prediction", path, rec, "the span has neither offsets nor `text`; the record is scored as a false positive");
                }
                None
            }
        },
    }
}

/// `Some(Ok)` for valid offsets, `Some(Err)` after reporting bad ones,
/// `None` when the span has no offsets at all.
fn prediction_span(
    obj: &Map<String, Value>,
    path: &str,
    rec: Option<&str>,
    index: &OffsetIndex<'_>,
    unit: OffsetUnit,
    sink: &mut Sink<'_>,
) -> Option<Result<Span, ()>> {
    if !obj.contains_key("start") && !obj.contains_key("end") {
        return None;
    }
    let Some(span) = located_span(obj, path, rec, index, unit, sink) else {
        return Some(Err(()));
    };
    if let Some(Value::String(t)) = obj.get("text") {
        let slice = span.slice(index.text());
        if t != slice {
            let issue = sink.push(
                Severity::Warning,
                "text-mismatch",
                &join(path, "text"),
                rec,
                format!("`text` disagrees with the article slice; the slice is used\n  text:  {:?}\n  slice: {:?}", cut(t, 120), cut(slice, 120)),
            );
            issue.context = Some(context(index.text(), span));
        }
    }
    Some(Ok(span))
}

fn prediction_mention(
    v: Option<&Value>,
    path: &str,
    rec: Option<&str>,
    index: &OffsetIndex<'_>,
    unit: OffsetUnit,
    sink: &mut Sink<'_>,
) -> Option<PredMention> {
    let obj = match v? {
        Value::Null => return None,
        Value::Object(obj) => obj,
        Value::String(s) => {
            return Some(PredMention {
                span: None,
                text: s.clone(),
            })
        }
        other => {
            sink.error(
                "bad-prediction",
                path,
                rec,
                format!(
                    "must be an object or null, not {}; it counts as missing",
                    show(other)
                ),
            );
            return None;
        }
    };
    match prediction_span(obj, path, rec, index, unit, sink) {
        Some(Ok(span)) => Some(PredMention {
            span: Some(span),
            text: span.slice(index.text()).to_string(),
        }),
        Some(Err(())) | None => match obj.get("text") {
            Some(Value::String(t)) => Some(PredMention {
                span: None,
                text: t.clone(),
            }),
            _ => None,
        },
    }
}

/// The predictions of one article, with every problem found in them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PredictionSet {
    /// One prediction per record, in the order given; none is dropped.
    pub quotes: Vec<Prediction>,
    /// Warnings and per-record errors (the records are still scored).
    pub issues: Vec<Issue>,
}

/// Resolves an extractor's output for one article: an object with `quotes`
/// (a list of prediction records) and optionally `offsets`; other top-level
/// fields such as `id` are the caller's business and are ignored here.
///
/// Returns `Err` with the reasons when the output as a whole has the wrong
/// shape (the article then fails as `invalid-output`); problems inside
/// records are issues in the `Ok` value, and those records still count.
pub fn resolve_output(
    value: &Value,
    text: &str,
    file: &str,
    article: &str,
    line: Option<usize>,
) -> Result<PredictionSet, Vec<Issue>> {
    let mut sink = Sink::new(Place {
        file,
        line,
        article,
    });
    let Some(obj) = value.as_object() else {
        sink.error(
            "invalid-output",
            "",
            None,
            format!(
                "the output must be an object with `quotes`, not {}",
                show(value)
            ),
        );
        return Err(sink.issues);
    };
    let unit = offsets_field(obj, &mut sink);
    let quotes = match obj.get("quotes") {
        Some(Value::Array(items)) => resolve_predictions(items, unit, text, &mut sink),
        Some(other) => {
            sink.error(
                "invalid-output",
                "quotes",
                None,
                format!("`quotes` must be a list, not {}", show(other)),
            );
            return Err(sink.issues);
        }
        None => {
            sink.error(
                "invalid-output",
                "quotes",
                None,
                "the output has no `quotes` list",
            );
            return Err(sink.issues);
        }
    };
    if sink.issues.iter().any(|i| i.code == "bad-offsets-unit") {
        return Err(sink.issues);
    }
    Ok(PredictionSet {
        quotes,
        issues: sink.issues,
    })
}
