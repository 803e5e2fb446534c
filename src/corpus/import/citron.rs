//! Citron JSON (bbc/citron `docs/data_format.md`).
//!
//! ```json
//! {"text": "…",
//!  "quotes": [{"id": "…", "cue": span, "sources": [span], "contents": [span],
//!              "coreferences": [span], "confidence": 0.9}],
//!  "coreference_groups": [[span, …], …]}
//! ```
//!
//! A span is `{"start", "end", "text"}` in code points. The first source is
//! the speaker mention and the others become aliases; the first
//! `coreferences` span names the entity and the others become aliases. A
//! quote without `coreferences` takes its names from the coreference group
//! of its mention (the earliest member is the entity).

use serde_json::Value;

use super::{document_parts, finish, malformed_json, skip_at, Doc, DocImport, RawQuote, RawSpan};
use crate::corpus::issue::{Issue, Severity};
use crate::corpus::offsets::{OffsetIndex, OffsetUnit};
use crate::corpus::records::show;

/// Imports one Citron document. `file` names it in messages; `article` is
/// the article id. `Err` when the file is not a Citron document at all.
pub fn import_citron(json: &str, file: &str, article: &str) -> Result<DocImport, Box<Issue>> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| Box::new(malformed_json(&e, file, article)))?;
    const HINT: &str =
        "a Citron file is an object with `text` and `quotes` (bbc/citron docs/data_format.md)";
    let (text, quotes) =
        document_parts(&value, (file, article), "Citron", ("text", "quotes"), HINT)?;
    let mut doc = Doc {
        text: text.to_string(),
        // A quotecheck export of draft gold says so.
        draft: value.get("status").and_then(serde_json::Value::as_str) == Some("draft"),
        ..Doc::default()
    };
    let groups = groups(value.get("coreference_groups"), &mut doc, file, article);
    let index = OffsetIndex::new(text);
    for (i, q) in quotes.iter().enumerate() {
        let path = format!("quotes[{i}]");
        let record = quote(q, &path, &groups, &index).map_err(|(at, why)| {
            let id = q.get("id").and_then(id_of);
            skip_at(
                "malformed-record",
                file,
                article,
                &at,
                id.as_deref(),
                format!("{why}; the record is skipped"),
            )
            .hint("a Citron quote has `cue`, `sources` and `contents`, each span `{\"start\", \"end\", \"text\"}`")
        });
        doc.records.push(record);
    }
    Ok(finish(doc, file, article))
}

/// A record id from a JSON value: a string, or a number written out.
pub(crate) fn id_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `{"start", "end", "text"}` → a one-fragment span.
fn span(v: &Value, at: &str) -> Result<RawSpan, (String, String)> {
    let bad = |why: String| (at.to_string(), why);
    let Some(obj) = v.as_object() else {
        return Err(bad(format!(
            "a span must be an object with `start`, `end` and `text`, not {}",
            show(v)
        )));
    };
    let num = |k: &str| match obj.get(k) {
        Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64().expect("checked")),
        Some(other) => Err(bad(format!(
            "`{k}` must be a non-negative whole number, not {}",
            show(other)
        ))),
        None => Err(bad(format!("the span has no `{k}`"))),
    };
    let text = match obj.get("text") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => return Err(bad(format!("`text` must be a string, not {}", show(other)))),
    };
    Ok(RawSpan::one(num("start")?, num("end")?, text, at))
}

/// A list of spans; `null` or absent is empty.
fn spans(v: Option<&Value>, at: &str) -> Result<Vec<RawSpan>, (String, String)> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, s)| span(s, &format!("{at}[{i}]")))
            .collect(),
        Some(other) => Err((
            at.to_string(),
            format!("must be a list of spans, not {}", show(other)),
        )),
    }
}

/// A name from a span: its `text`, or the article slice.
fn name(s: &RawSpan, index: &OffsetIndex<'_>) -> Option<String> {
    if let Some(t) = &s.text {
        return Some(t.clone());
    }
    let (a, b) = s.parts[0];
    let a = index.to_byte(OffsetUnit::Codepoint, a as usize).ok()?;
    let b = index.to_byte(OffsetUnit::Codepoint, b as usize).ok()?;
    index.text().get(a..b).map(str::to_string)
}

fn groups(v: Option<&Value>, doc: &mut Doc, file: &str, article: &str) -> Vec<Vec<RawSpan>> {
    let mut out = Vec::new();
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return out;
    };
    let Some(items) = v.as_array() else {
        doc.issues.push(
            Issue::new(
                Severity::Warning,
                "malformed-groups",
                file,
                format!(
                    "`coreference_groups` must be a list of lists of spans, not {}; it is ignored",
                    show(v)
                ),
            )
            .article(article)
            .at("coreference_groups"),
        );
        return out;
    };
    for (i, g) in items.iter().enumerate() {
        let at = format!("coreference_groups[{i}]");
        match spans(Some(g), &at) {
            Ok(mut members) => {
                members.sort_by_key(|m| m.parts[0]);
                out.push(members);
            }
            Err((at, why)) => doc.issues.push(
                Issue::new(
                    Severity::Warning,
                    "malformed-groups",
                    file,
                    format!("a coreference group is malformed ({why}); it is ignored"),
                )
                .article(article)
                .at(at),
            ),
        }
    }
    out
}

fn overlaps(a: (u64, u64), b: (u64, u64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn quote(
    v: &Value,
    path: &str,
    groups: &[Vec<RawSpan>],
    index: &OffsetIndex<'_>,
) -> Result<RawQuote, (String, String)> {
    let Some(obj) = v.as_object() else {
        return Err((
            path.to_string(),
            format!("a quote must be an object, not {}", show(v)),
        ));
    };
    let at = |k: &str| format!("{path}.{k}");
    let cue = match obj.get("cue") {
        None | Some(Value::Null) => None,
        Some(c) => Some(span(c, &at("cue"))?),
    };
    let sources = spans(obj.get("sources"), &at("sources"))?;
    let content = spans(obj.get("contents"), &at("contents"))?;
    let corefs = spans(obj.get("coreferences"), &at("coreferences"))?;
    let mut q = RawQuote {
        id: obj.get("id").and_then(id_of),
        path: Some(path.to_string()),
        content,
        cue,
        ..RawQuote::default()
    };
    if !corefs.is_empty() {
        let mut names = corefs.iter().filter_map(|s| name(s, index));
        q.entity = names.next();
        q.aliases = names.collect();
    } else if let Some(mention) = sources.first().map(|s| s.parts[0]) {
        let group = groups
            .iter()
            .find(|g| g.iter().any(|m| m.parts[0] == mention))
            .or_else(|| {
                groups
                    .iter()
                    .find(|g| g.iter().any(|m| overlaps(m.parts[0], mention)))
            });
        if let Some(group) = group {
            q.entity = group.first().and_then(|m| name(m, index));
            q.aliases = group
                .iter()
                .skip(1)
                .filter(|m| !overlaps(m.parts[0], mention) && m.parts[0] != mention)
                .filter_map(|m| name(m, index))
                .collect();
        }
    }
    q.sources = sources;
    Ok(q)
}
