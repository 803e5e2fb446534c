//! Prediction records: an extractor's output for one article, resolved
//! into [`Prediction`]s.
//!
//! Predictions are lenient where gold is strict: nothing is dropped, a
//! record that cannot be used becomes a prediction that matches nothing,
//! and a span may give only its text. It knows nothing of how the output
//! was obtained (a replay file, a worker, an endpoint).

use serde_json::{Map, Value};

use super::diagnostics::{cut, excerpt, join, show, Diagnostics, Place};
use super::spans::{offsets_field, SpanReader};
use crate::corpus::issue::{Issue, Severity};
use crate::corpus::model::{Kind, PredMention, PredPart, Prediction, Span};
use crate::corpus::offsets::OffsetIndex;

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
    let mut diag = Diagnostics::new(Place {
        file,
        line,
        article,
    });
    let Some(obj) = value.as_object() else {
        diag.error(
            "invalid-output",
            "",
            None,
            format!(
                "the output must be an object with `quotes`, not {}",
                show(value)
            ),
        );
        return Err(diag.issues);
    };
    let unit = offsets_field(obj, &mut diag);
    let quotes = match obj.get("quotes") {
        Some(Value::Array(items)) => {
            let index = OffsetIndex::new(text);
            let spans = SpanReader {
                index: &index,
                unit,
            };
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    resolve_prediction(item, &format!("quotes[{i}]"), spans, &mut diag)
                })
                .collect()
        }
        Some(other) => {
            diag.error(
                "invalid-output",
                "quotes",
                None,
                format!("`quotes` must be a list, not {}", show(other)),
            );
            return Err(diag.issues);
        }
        None => {
            diag.error(
                "invalid-output",
                "quotes",
                None,
                "the output has no `quotes` list",
            );
            return Err(diag.issues);
        }
    };
    if diag.issues.iter().any(|i| i.code == "bad-offsets-unit") {
        return Err(diag.issues);
    }
    Ok(PredictionSet {
        quotes,
        issues: diag.issues,
    })
}

/// One prediction record. A record that is not an object, or whose
/// content cannot be used, is a prediction with empty content (a false
/// positive that matches nothing), with an issue saying why.
fn resolve_prediction(
    item: &Value,
    path: &str,
    spans: SpanReader<'_, '_>,
    diag: &mut Diagnostics<'_>,
) -> Prediction {
    let Some(obj) = item.as_object() else {
        diag.error(
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
    let record = Record {
        path,
        rec: id.as_deref(),
        spans,
    };
    let content = record.content(obj, diag);
    let speaker = record.mention(obj.get("speaker"), &join(path, "speaker"), diag);
    let cue = record.mention(obj.get("cue"), &join(path, "cue"), diag);
    let kind = record.kind(obj, diag);
    Prediction {
        id,
        content,
        speaker,
        cue,
        kind,
    }
}

/// One prediction record being resolved: where it is, and its id for
/// messages.
struct Record<'a, 'i, 't> {
    path: &'a str,
    rec: Option<&'a str>,
    spans: SpanReader<'i, 't>,
}

impl Record<'_, '_, '_> {
    /// `content`: a span or a non-empty list of spans; empty when any part
    /// is unusable.
    fn content(&self, obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> Vec<PredPart> {
        let (path, rec) = (join(self.path, "content"), self.rec);
        match obj.get("content") {
            Some(Value::Array(parts)) if !parts.is_empty() => {
                let resolved: Option<Vec<PredPart>> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| self.part(p, &format!("{path}[{i}]"), diag))
                    .collect();
                resolved.unwrap_or_default()
            }
            Some(v @ Value::Object(_)) => self.part(v, &path, diag).into_iter().collect(),
            Some(other) => {
                diag.error("bad-prediction", &path, rec, format!("`content` must be a span or a non-empty list of spans, not {}; the record is scored as a false positive", show(other)));
                Vec::new()
            }
            None => {
                diag.error(
                    "bad-prediction",
                    &path,
                    rec,
                    "the record has no `content`; it is scored as a false positive",
                );
                Vec::new()
            }
        }
    }

    /// One content part: located when its offsets are valid, else its text
    /// when it has one, else `None` (the whole record matches nothing).
    fn part(&self, v: &Value, path: &str, diag: &mut Diagnostics<'_>) -> Option<PredPart> {
        let Some(obj) = v.as_object() else {
            diag.error(
                "bad-prediction",
                path,
                self.rec,
                format!(
                    "a span must be an object, not {}; the record is scored as a false positive",
                    show(v)
                ),
            );
            return None;
        };
        match self.span(obj, path, diag) {
            Some(Ok(span)) => Some(PredPart::Located(span)),
            Some(Err(())) | None => match obj.get("text") {
                Some(Value::String(t)) => Some(PredPart::Text(t.clone())),
                _ => {
                    if !has(obj, "start") && !has(obj, "end") {
                        diag.error("bad-prediction", path, self.rec, "the span has neither offsets nor `text`; the record is scored as a false positive");
                    }
                    None
                }
            },
        }
    }

    /// `Some(Ok)` for valid offsets, `Some(Err)` after reporting bad ones,
    /// `None` when the span has no offsets at all.
    fn span(
        &self,
        obj: &Map<String, Value>,
        path: &str,
        diag: &mut Diagnostics<'_>,
    ) -> Option<Result<Span, ()>> {
        if !has(obj, "start") && !has(obj, "end") {
            return None;
        }
        let Some(span) = self.spans.located(obj, path, self.rec, diag) else {
            return Some(Err(()));
        };
        if let Some(Value::String(t)) = obj.get("text") {
            let text = self.spans.text();
            let slice = span.slice(text);
            if t != slice {
                let issue = diag.push(
                    Severity::Warning,
                    "text-mismatch",
                    &join(path, "text"),
                    self.rec,
                    format!("`text` disagrees with the article slice; the slice is used\n  text:  {:?}\n  slice: {:?}", cut(t, 120), cut(slice, 120)),
                );
                issue.context = Some(excerpt(text, span));
            }
        }
        Some(Ok(span))
    }

    /// A speaker or cue: a span, a text-only span, a bare string, or
    /// `null`; an unusable one counts as missing.
    fn mention(
        &self,
        v: Option<&Value>,
        path: &str,
        diag: &mut Diagnostics<'_>,
    ) -> Option<PredMention> {
        let obj = match v? {
            Value::Null => return None,
            Value::Object(obj) => obj,
            Value::String(s) => return Some(PredMention::named(s.clone())),
            other => {
                diag.error(
                    "bad-prediction",
                    path,
                    self.rec,
                    format!(
                        "must be an object or null, not {}; it counts as missing",
                        show(other)
                    ),
                );
                return None;
            }
        };
        match self.span(obj, path, diag) {
            Some(Ok(span)) => Some(PredMention::at(self.spans.text(), span)),
            Some(Err(())) => match obj.get("text") {
                Some(Value::String(t)) => Some(PredMention::named(t.clone())),
                _ => None,
            },
            None => match obj.get("text") {
                Some(Value::String(t)) => Some(PredMention::named(t.clone())),
                // `{}` or `{"entity": …}`: not "no speaker" (that is
                // `null`), but a mention that says nothing.
                _ => {
                    diag.error(
                        "bad-prediction",
                        path,
                        self.rec,
                        format!(
                            "is {} with neither offsets nor `text`; it counts as missing",
                            show(v?)
                        ),
                    )
                    .hint = Some("give the mention's `start` and `end` or its `text`, or write `null` when there is none".into());
                    None
                }
            },
        }
    }

    /// `kind`: a known kind, else treated as absent (with a warning).
    fn kind(&self, obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> Option<Kind> {
        match obj.get("kind") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if Kind::parse(s).is_some() => Kind::parse(s),
            Some(other) => {
                diag.push(
                    Severity::Warning,
                    "bad-kind",
                    &join(self.path, "kind"),
                    self.rec,
                    format!("`kind` is {}; it is treated as absent", show(other)),
                )
                .hint = Some("use \"direct\", \"indirect\" or \"mixed\"".into());
                None
            }
        }
    }
}

/// Whether `obj` gives `key` a value: `null` is none, as an absent key is
/// (a writer with a fixed schema, a Parquet struct or a data frame,
/// writes null there).
fn has(obj: &Map<String, Value>, key: &str) -> bool {
    obj.get(key).is_some_and(|v| !v.is_null())
}
