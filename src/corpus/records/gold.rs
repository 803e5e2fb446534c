//! Gold records: the `offsets`, `status`, `source`, `quotes` and `ignore` of a gold
//! file or a JSON-lines corpus line, resolved into a [`Gold`].
//!
//! Each field of a quote record is its own step, so a new field is a new
//! step; the checks that need every record of a file come last. It knows
//! nothing of where the JSON was read from: the caller gives the
//! [`Diagnostics`] that place the issues.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::diagnostics::{excerpt, join, show, Diagnostics};
use super::spans::{offsets_field, SpanReader};
use crate::corpus::issue::Severity;
use crate::corpus::model::{Gold, GoldQuote, GoldSpeaker, Kind, Source, Span, Status};
use crate::corpus::offsets::OffsetIndex;
use crate::text;

/// Resolves the gold part of a gold file or a JSON-lines corpus line:
/// `offsets`, `status`, `source` and `quotes`. The caller checks the other
/// top-level keys (`article`, or `id` and `text`).
pub(crate) fn resolve_gold(
    obj: &Map<String, Value>,
    text: &str,
    diag: &mut Diagnostics<'_>,
) -> Gold {
    let unit = offsets_field(obj, diag);
    let status = status(obj, diag);
    let source = source(obj, diag);
    let language = language(obj, diag);
    let index = OffsetIndex::new(text);
    let spans = SpanReader {
        index: &index,
        unit,
    };
    let quotes = quotes(obj, spans, diag);
    check_gold_set(&quotes, text, diag);
    let ignore = super::ignore::resolve_ignore(obj, spans, diag);
    super::ignore::check_ignore(&quotes, &ignore, text, diag);
    Gold {
        status,
        offsets: unit,
        source,
        language,
        quotes,
        ignore,
    }
}

/// `language`: a BCP 47 tag (`de`, `fr-CH`, `ja`), or absent. Checked
/// for its shape only: a primary subtag of 2 to 8 letters, then subtags
/// of 1 to 8 letters or digits, joined by `-`.
fn language(obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> Option<String> {
    match obj.get("language") {
        None | Some(Value::Null) => None,
        Some(Value::String(tag)) if is_language_tag(tag) => Some(tag.clone()),
        Some(other) => {
            diag.error(
                "bad-language",
                "language",
                None,
                format!("`language` is {}, not a BCP 47 tag", show(other)),
            )
            .hint = Some("use a tag such as \"en\", \"de\", \"fr-CH\" or \"ja\"".into());
            None
        }
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag.
pub(super) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `status`: `gold` (the default) or `draft`.
fn status(obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> Status {
    match obj.get("status") {
        None => Status::Gold,
        Some(Value::String(s)) if s == "gold" => Status::Gold,
        Some(Value::String(s)) if s == "draft" => Status::Draft,
        Some(other) => {
            diag.error(
                "bad-status",
                "status",
                None,
                format!("`status` is {}", show(other)),
            )
            .hint = Some("use \"gold\" or \"draft\"".into());
            Status::Gold
        }
    }
}

const SOURCE_FIELDS: [&str; 3] = ["url", "license", "annotator"];

/// `source`: an object of optional strings, or absent.
fn source(obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> Option<Source> {
    match obj.get("source") {
        None | Some(Value::Null) => None,
        Some(Value::Object(src)) => {
            diag.unknown_keys(src, &SOURCE_FIELDS, "source", None);
            let field = |k: &str| src.get(k).and_then(Value::as_str).map(str::to_string);
            for k in SOURCE_FIELDS {
                if let Some(v) = src.get(k).filter(|v| !v.is_string()) {
                    diag.error(
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
            diag.error(
                "wrong-type",
                "source",
                None,
                format!("`source` must be an object, not {}", show(other)),
            );
            None
        }
    }
}

/// `quotes`: the list of records, each resolved on its own; a record with
/// an error is left out (and the file is broken).
fn quotes(
    obj: &Map<String, Value>,
    spans: SpanReader<'_, '_>,
    diag: &mut Diagnostics<'_>,
) -> Vec<GoldQuote> {
    match obj.get("quotes") {
        Some(Value::Array(items)) => {
            check_unique_ids(items, diag);
            items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    resolve_gold_quote(item, &format!("quotes[{i}]"), spans, diag)
                })
                .collect()
        }
        None => {
            diag.error("missing-field", "quotes", None, "missing field `quotes`")
                .hint = Some("add `\"quotes\": []` for an article with no quotes".into());
            Vec::new()
        }
        Some(other) => {
            diag.error(
                "wrong-type",
                "quotes",
                None,
                format!("`quotes` must be a list, not {}", show(other)),
            );
            Vec::new()
        }
    }
}

/// Reports every record whose `id` an earlier record already uses.
fn check_unique_ids(items: &[Value], diag: &mut Diagnostics<'_>) {
    let mut first_use: HashMap<&str, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let Some(id) = item.get("id").and_then(Value::as_str) else {
            continue;
        };
        if let Some(first) = first_use.get(id) {
            diag.error("duplicate-id", &format!("quotes[{i}].id"), Some(id), format!("record id {id:?} is already used by quotes[{first}]"))
                .hint = Some("ids must be unique within a file (snapshots and diffs refer to them): give this record a new id".into());
        } else {
            first_use.insert(id, i);
        }
    }
}

const GOLD_QUOTE_FIELDS: &[&str] = &[
    "id", "kind", "content", "speaker", "cue", "optional", "note",
];

/// The fields of a span, and of a speaker span.
const SPAN_FIELDS: &[&str] = &["start", "end", "text"];
const SPEAKER_FIELDS: &[&str] = &["start", "end", "text", "entity", "aliases"];

/// Resolves one quote record, field by field: `None` when any field has an
/// error (every error of the record is still reported).
fn resolve_gold_quote(
    item: &Value,
    path: &str,
    spans: SpanReader<'_, '_>,
    diag: &mut Diagnostics<'_>,
) -> Option<GoldQuote> {
    let Some(obj) = item.as_object() else {
        diag.error(
            "wrong-type",
            path,
            None,
            format!("a quote record must be an object, not {}", show(item)),
        );
        return None;
    };
    let id = record_id(obj, path, diag);
    let record = Record {
        path,
        rec: id.as_deref(),
        spans,
    };
    diag.unknown_keys(obj, GOLD_QUOTE_FIELDS, path, record.rec);
    let errors_before = diag.error_count();
    let kind = record.kind(obj, diag);
    let content = record.content(obj, diag);
    let speaker = record.speaker(obj, diag);
    let cue = record.cue(obj, diag);
    let optional = record.optional(obj, diag);
    let note = record.note(obj, diag);
    if diag.error_count() > errors_before || content.is_empty() {
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

/// `id`: a non-empty string.
fn record_id(obj: &Map<String, Value>, path: &str, diag: &mut Diagnostics<'_>) -> Option<String> {
    match obj.get("id") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(other) => {
            diag.error(
                "bad-record-id",
                &join(path, "id"),
                None,
                format!("`id` must be a non-empty string, not {}", show(other)),
            );
            None
        }
        None => {
            diag.error(
                "missing-field",
                &join(path, "id"),
                None,
                "missing field `id`",
            )
            .hint =
                Some("give every record an id that is unique in the file, such as \"q1\"".into());
            None
        }
    }
}

/// One quote record being resolved: where it is, and its id for messages.
struct Record<'a, 'i, 't> {
    path: &'a str,
    rec: Option<&'a str>,
    spans: SpanReader<'i, 't>,
}

impl Record<'_, '_, '_> {
    /// `kind`: `direct`, `indirect`, `mixed`, or absent (not typed).
    fn kind(&self, obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> Option<Kind> {
        match obj.get("kind") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if Kind::parse(s).is_some() => Kind::parse(s),
            Some(other) => {
                diag.error(
                    "bad-kind",
                    &join(self.path, "kind"),
                    self.rec,
                    format!("`kind` is {}", show(other)),
                )
                .hint =
                    Some("use \"direct\", \"indirect\" or \"mixed\", or leave `kind` out".into());
                None
            }
        }
    }

    /// `content`: one span or a non-empty list of spans, with tokens, in
    /// text order.
    fn content(&self, obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> Vec<Span> {
        let (path, rec) = (join(self.path, "content"), self.rec);
        let content: Vec<Span> = match obj.get("content") {
            Some(Value::Array(parts)) if parts.is_empty() => {
                diag.error("empty-content", &path, rec, "`content` is an empty list")
                    .hint =
                    Some("give one span, or a list of spans for a discontinuous quote".into());
                Vec::new()
            }
            Some(Value::Array(parts)) => parts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    self.spans
                        .gold_span(p, &format!("{path}[{i}]"), rec, SPAN_FIELDS, diag)
                })
                .collect(),
            Some(v) => self
                .spans
                .gold_span(v, &path, rec, SPAN_FIELDS, diag)
                .into_iter()
                .collect(),
            None => {
                diag.error("missing-field", &path, rec, "missing field `content`");
                Vec::new()
            }
        };
        let text = self.spans.text();
        if !content.is_empty() && !content.iter().any(|s| text::has_tokens(s.slice(text))) {
            let issue = diag.error(
                "content-without-tokens",
                &path,
                rec,
                "the content has no tokens (no letters or digits), so nothing can ever match it",
            );
            issue.context = Some(excerpt(text, content[0]));
            issue.hint = Some("point the span at the quoted words, or remove the record".into());
        }
        if content.windows(2).any(|pair| pair[1].start < pair[0].end) {
            diag.error(
                "parts-out-of-order",
                &path,
                rec,
                "the parts of a discontinuous quote overlap or are not in text order",
            )
            .hint = Some(
                "list the parts in the order they appear in the article, without overlaps".into(),
            );
        }
        content
    }

    /// `speaker`: a span with an optional `entity` and `aliases`; or, with
    /// none of `start`, `end` and `text`, an `entity` (and `aliases`)
    /// alone, a speaker the text never names near the quote; or `null`
    /// (required: an absent speaker is more likely forgotten than unknown).
    fn speaker(&self, obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> Option<GoldSpeaker> {
        let path = join(self.path, "speaker");
        match obj.get("speaker") {
            Some(Value::Null) => None,
            Some(Value::Object(sp))
                if !["start", "end", "text"]
                    .iter()
                    .any(|k| sp.get(*k).is_some_and(|v| !v.is_null())) =>
            {
                diag.unknown_keys(sp, SPEAKER_FIELDS, &path, self.rec);
                let entity = self.entity(sp, &path, diag);
                let aliases = self.aliases(sp, &path, diag);
                match entity {
                    Some(entity) if !entity.trim().is_empty() => {
                        Some(GoldSpeaker::entity_only(entity, aliases))
                    }
                    _ => {
                        // An `entity` of the wrong type has been reported already.
                        if !matches!(sp.get("entity"), Some(v) if !v.is_null() && !v.is_string()) {
                            diag.error(
                                "missing-field",
                                &path,
                                self.rec,
                                "a speaker without `start`, `end` and `text` needs a non-empty `entity`",
                            )
                            .hint = Some(
                                "give the mention as a span, or name the speaker with `entity` (a speaker the text does not name near the quote)".into(),
                            );
                        }
                        None
                    }
                }
            }
            Some(v @ Value::Object(sp)) => {
                let span = self
                    .spans
                    .gold_span(v, &path, self.rec, SPEAKER_FIELDS, diag);
                let entity = self.entity(sp, &path, diag);
                let aliases = self.aliases(sp, &path, diag);
                span.map(|span| GoldSpeaker {
                    span: Some(span),
                    text: span.slice(self.spans.text()).to_string(),
                    entity,
                    aliases,
                })
            }
            Some(other) => {
                diag.error(
                    "wrong-type",
                    &path,
                    self.rec,
                    format!("`speaker` must be an object or null, not {}", show(other)),
                );
                None
            }
            None => {
                diag.error("missing-field", &path, self.rec, "missing field `speaker`")
                    .hint =
                    Some("write `\"speaker\": null` when the article gives no source".into());
                None
            }
        }
    }

    /// `speaker.entity`: a string, or absent.
    fn entity(
        &self,
        speaker: &Map<String, Value>,
        path: &str,
        diag: &mut Diagnostics<'_>,
    ) -> Option<String> {
        match speaker.get("entity") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                diag.error(
                    "wrong-type",
                    &join(path, "entity"),
                    self.rec,
                    format!("`entity` must be a string, not {}", show(other)),
                );
                None
            }
        }
    }

    /// `speaker.aliases`: a list of strings, or absent.
    fn aliases(
        &self,
        speaker: &Map<String, Value>,
        path: &str,
        diag: &mut Diagnostics<'_>,
    ) -> Vec<String> {
        match speaker.get("aliases") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .filter_map(|(i, v)| match v {
                    Value::String(s) => Some(s.clone()),
                    other => {
                        diag.error(
                            "wrong-type",
                            &format!("{path}.aliases[{i}]"),
                            self.rec,
                            format!("an alias must be a string, not {}", show(other)),
                        );
                        None
                    }
                })
                .collect(),
            Some(other) => {
                diag.error(
                    "wrong-type",
                    &join(path, "aliases"),
                    self.rec,
                    format!("`aliases` must be a list of strings, not {}", show(other)),
                );
                Vec::new()
            }
        }
    }

    /// `cue`: a span, or `null` (required, like `speaker`).
    fn cue(&self, obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> Option<Span> {
        let path = join(self.path, "cue");
        match obj.get("cue") {
            Some(Value::Null) => None,
            Some(v) => self.spans.gold_span(v, &path, self.rec, SPAN_FIELDS, diag),
            None => {
                diag.error("missing-field", &path, self.rec, "missing field `cue`")
                    .hint = Some("write `\"cue\": null` when there is no cue word".into());
                None
            }
        }
    }

    /// `optional`: true or false, false when absent.
    fn optional(&self, obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> bool {
        match obj.get("optional") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                diag.error(
                    "wrong-type",
                    &join(self.path, "optional"),
                    self.rec,
                    format!("`optional` must be true or false, not {}", show(other)),
                );
                false
            }
        }
    }

    /// `note`: free text, or absent.
    fn note(&self, obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> Option<String> {
        match obj.get("note") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                diag.error(
                    "wrong-type",
                    &join(self.path, "note"),
                    self.rec,
                    format!("`note` must be a string, not {}", show(other)),
                );
                None
            }
        }
    }
}

/// Checks that need all records of a file: duplicate records, and
/// overlapping content (a note).
pub(super) fn check_gold_set(quotes: &[GoldQuote], text: &str, diag: &mut Diagnostics<'_>) {
    let mut order: Vec<usize> = (0..quotes.len()).collect();
    order.sort_by_key(|&i| (quotes[i].content.first().map(|s| s.start), i));
    for (a, &i) in order.iter().enumerate() {
        for &j in &order[a + 1..] {
            let (qi, qj) = (&quotes[i], &quotes[j]);
            if qj.content[0].start >= qi.content.last().map_or(0, |s| s.end) {
                break;
            }
            if qi.content == qj.content {
                let issue = diag.error(
                    "duplicate-record",
                    "",
                    Some(&qj.id),
                    format!(
                        "records {:?} and {:?} have the same content spans",
                        qi.id, qj.id
                    ),
                );
                issue.context = Some(excerpt(text, qj.content[0]));
                issue.hint =
                    Some("keep one record per quote; merge the two or fix the spans of one".into());
            } else if qi
                .content
                .iter()
                .any(|a| qj.content.iter().any(|b| a.overlaps(*b)))
            {
                let issue = diag.push(
                    Severity::Note,
                    "overlapping-content",
                    "",
                    Some(&qj.id),
                    format!(
                        "the content of {:?} overlaps the content of {:?} (a nested quotation?)",
                        qj.id, qi.id
                    ),
                );
                issue.context = Some(excerpt(text, qj.content[0]));
            }
        }
    }
}
