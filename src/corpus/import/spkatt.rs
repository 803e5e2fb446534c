//! The German news quotation attribution JSON (uhh-lt; SpkAtt style).
//!
//! ```json
//! {"documentName": "…", "originalText": "…", "sentences": […],
//!  "annotations": [{"id": 0, "type": "Direct",
//!                   "cue": role, "quote": role, "speaker": role, "frame": role,
//!                   "addressee": [role], "medium": "…", "hasNested": false, "isNested": false}]}
//! ```
//!
//! A role is `{"spans": [{"begin", "end", "charBegin", "charEnd"}], "text", "tokenIds"}`;
//! `charBegin`/`charEnd` are code points. `quote` is the content (several
//! spans make a discontinuous quote), `speaker` the mention (its first span;
//! the text of further spans become aliases), `cue` the cue (its first span,
//! the finite verb of a separable verb).

use serde_json::Value;

use super::citron::id_of;
use super::{document_parts, finish, malformed_json, skip_at, Doc, DocImport, RawQuote, RawSpan};
use crate::corpus::issue::{Issue, Severity};
use crate::corpus::model::Kind;
use crate::corpus::records::show;

/// How a SpkAtt `type` maps to `kind`, `optional` and a note.
pub(crate) fn map_type(t: &str) -> Option<(Kind, bool, Option<&'static str>)> {
    Some(match t {
        "Direct" => (Kind::Direct, false, None),
        "Indirect" => (Kind::Indirect, false, None),
        "FreeIndirect" => (
            Kind::Indirect,
            false,
            Some("imported: SpkAtt type FreeIndirect (free indirect speech)"),
        ),
        "IndirectFreeIndirect" => (
            Kind::Indirect,
            false,
            Some("imported: SpkAtt type IndirectFreeIndirect"),
        ),
        "Reported" => (
            Kind::Indirect,
            true,
            Some("imported: SpkAtt type Reported (a speech act reported without its words), so optional"),
        ),
        _ => return None,
    })
}

/// Imports one SpkAtt document. `file` names it in messages; `article` is
/// the article id (from the file name: `documentName` is a title).
pub fn import_spkatt(json: &str, file: &str, article: &str) -> Result<DocImport, Box<Issue>> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| Box::new(malformed_json(&e, file, article)))?;
    const HINT: &str = "a SpkAtt document is an object with `originalText` and `annotations`";
    let (text, annotations) = document_parts(
        &value,
        (file, article),
        "SpkAtt",
        ("originalText", "annotations"),
        HINT,
    )?;
    let mut doc = Doc {
        text: text.to_string(),
        ..Doc::default()
    };
    for (i, a) in annotations.iter().enumerate() {
        let path = format!("annotations[{i}]");
        let record = annotation(a, &path, &mut doc, file, article).map_err(|(at, why)| {
            let id = a.get("id").and_then(id_of);
            skip_at(
                "malformed-record",
                file,
                article,
                &at,
                id.as_deref(),
                format!("{why}; the record is skipped"),
            )
            .hint("an annotation has `quote`, `speaker` and `cue` roles, each `{\"spans\": [{\"charBegin\", \"charEnd\"}], \"text\"}`")
        });
        doc.records.push(record);
    }
    Ok(finish(doc, file, article))
}

/// A role; `None` when absent, `null` or without spans.
fn role(v: Option<&Value>, at: &str) -> Result<Option<RawSpan>, (String, String)> {
    let bad = |at: String, why: String| Err((at, why));
    let obj = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(o)) => o,
        Some(other) => {
            return bad(
                at.to_string(),
                format!("a role must be an object with `spans`, not {}", show(other)),
            )
        }
    };
    let spans = match obj.get("spans") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(s)) => s,
        Some(other) => {
            return bad(
                format!("{at}.spans"),
                format!("`spans` must be a list, not {}", show(other)),
            )
        }
    };
    if spans.is_empty() {
        return Ok(None);
    }
    let mut parts = Vec::with_capacity(spans.len());
    for (i, s) in spans.iter().enumerate() {
        let sat = format!("{at}.spans[{i}]");
        let num = |k: &str| match s.get(k) {
            Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64().expect("checked")),
            Some(other) => Err((
                format!("{sat}.{k}"),
                format!(
                    "`{k}` must be a non-negative whole number, not {}",
                    show(other)
                ),
            )),
            None => Err((sat.clone(), format!("the span has no `{k}`"))),
        };
        parts.push((num("charBegin")?, num("charEnd")?));
    }
    let text = match obj.get("text") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(other) => {
            return bad(
                format!("{at}.text"),
                format!("`text` must be a string, not {}", show(other)),
            )
        }
    };
    Ok(Some(RawSpan {
        parts,
        text,
        at: at.to_string(),
    }))
}

fn annotation(
    v: &Value,
    path: &str,
    doc: &mut Doc,
    file: &str,
    article: &str,
) -> Result<RawQuote, (String, String)> {
    let Some(obj) = v.as_object() else {
        return Err((
            path.to_string(),
            format!("an annotation must be an object, not {}", show(v)),
        ));
    };
    let at = |k: &str| format!("{path}.{k}");
    let content = role(obj.get("quote"), &at("quote"))?;
    let speaker = role(obj.get("speaker"), &at("speaker"))?;
    let cue = role(obj.get("cue"), &at("cue"))?;
    let id = obj.get("id").and_then(id_of);
    let mut q = RawQuote {
        id: id.clone(),
        path: Some(path.to_string()),
        content: content.into_iter().collect(),
        sources: speaker.into_iter().collect(),
        cue,
        ..RawQuote::default()
    };
    match obj.get("type") {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) if map_type(t).is_some() => {
            let (kind, optional, note) = map_type(t).expect("checked");
            q.kind = Some(kind);
            q.optional = optional;
            q.note = note.map(str::to_string);
        }
        Some(other) => doc.issues.push(
            Issue::new(
                Severity::Warning,
                "unknown-type",
                file,
                format!(
                    "`type` is {}, not Direct, Indirect, FreeIndirect, IndirectFreeIndirect or Reported; the record is imported without a kind",
                    show(other)
                ),
            )
            .article(article)
            .record(id.as_deref())
            .at(at("type")),
        ),
    }
    Ok(q)
}
