//! Gender Gap Tracker style JSON: per article a list of
//! `{"speaker", "verb", "quote", "speaker_index", "verb_index", "quote_index"}`
//! where each `*_index` is a string `"(start,end)"` of code points, empty
//! when there is none (a floating quote has no speaker).
//!
//! The text is in `<id>.txt` next to `<id>.json`, or the file is an object
//! `{"body": "…", "quotes": [...], "url": "…"}` as the tracker stores
//! articles.

use serde_json::{Map, Value};

use super::{finish, malformed_json, skip_at, wrong_shape, Doc, DocImport, RawQuote, RawSpan};
use crate::corpus::issue::Issue;
use crate::corpus::model::Source;
use crate::corpus::records::show;

/// Imports one GGT document. `text` is the article text from `<id>.txt`,
/// when there is one. `Err` when the file cannot be read as GGT at all.
pub fn import_ggt(
    json: &str,
    text: Option<&str>,
    file: &str,
    article: &str,
) -> Result<DocImport, Box<Issue>> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| Box::new(malformed_json(&e, file, article)))?;
    const HINT: &str = "a GGT file is a list of quotes with the text in <id>.txt next to it, or an object with `body` and `quotes`";
    let (items, text, source, prefix) = match &value {
        Value::Array(items) => {
            let Some(text) = text else {
                return Err(Box::new(Issue::new(
                    crate::corpus::Severity::Error,
                    "missing-text",
                    file,
                    format!("the article text `{article}.txt` is missing next to the file; the file is not imported"),
                )
                .article(article)
                .hint("put the article text in a .txt file with the same name")));
            };
            (items, text, None, "")
        }
        Value::Object(obj) => {
            let Some(items) = obj.get("quotes").and_then(Value::as_array) else {
                return Err(wrong_shape(
                    file,
                    article,
                    "the object has no `quotes` list; the file is not imported".into(),
                    HINT,
                ));
            };
            let Some(body) = obj
                .get("body")
                .or_else(|| obj.get("text"))
                .and_then(Value::as_str)
                .or(text)
            else {
                return Err(wrong_shape(
                    file,
                    article,
                    "the object has no string `body` and there is no .txt next to it; the file is not imported".into(),
                    HINT,
                ));
            };
            let url = obj.get("url").and_then(Value::as_str).map(str::to_string);
            let source = url.map(|url| Source {
                url: Some(url),
                ..Source::default()
            });
            (items, body, source, "quotes")
        }
        other => {
            return Err(wrong_shape(
                file,
                article,
                format!(
                    "a GGT file must be a list of quotes, not {}; the file is not imported",
                    show(other)
                ),
                HINT,
            ))
        }
    };
    let mut doc = Doc {
        text: text.to_string(),
        source,
        ..Doc::default()
    };
    for (i, item) in items.iter().enumerate() {
        let path = format!("{prefix}[{i}]");
        let record = quote(item, &path).map_err(|(at, why)| {
            skip_at(
                "malformed-record",
                file,
                article,
                &at,
                None,
                format!("{why}; the record is skipped"),
            )
            .hint("a quote has `quote` and `quote_index` \"(start,end)\", and `speaker`/`speaker_index`, `verb`/`verb_index` (empty when absent)")
        });
        doc.records.push(record);
    }
    Ok(finish(doc, file, article))
}

/// `"(12,40)"`, `[12, 40]`, `""` or `null` → the offsets, if any.
fn index(v: Option<&Value>, at: &str) -> Result<Option<(u64, u64)>, (String, String)> {
    let bad = || {
        Err((
            at.to_string(),
            format!(
                "`{}` must be \"(start,end)\", not {}",
                at.rsplit('.').next().unwrap_or(at),
                v.map_or("nothing".into(), show)
            ),
        ))
    };
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => {
            let inner = s
                .trim()
                .trim_start_matches(['(', '['])
                .trim_end_matches([')', ']']);
            let nums: Vec<Option<u64>> = inner.split(',').map(|n| n.trim().parse().ok()).collect();
            match nums.as_slice() {
                [Some(a), Some(b)] => Ok(Some((*a, *b))),
                _ => bad(),
            }
        }
        Some(Value::Array(a)) => match a.as_slice() {
            [x, y] => match (x.as_u64(), y.as_u64()) {
                (Some(a), Some(b)) => Ok(Some((a, b))),
                _ => bad(),
            },
            _ => bad(),
        },
        Some(_) => bad(),
    }
}

fn text_of(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_string)
}

fn quote(v: &Value, path: &str) -> Result<RawQuote, (String, String)> {
    let Some(obj) = v.as_object() else {
        return Err((
            path.to_string(),
            format!("a quote must be an object, not {}", show(v)),
        ));
    };
    let part = |key: &str, at_key: &str| -> Result<Option<RawSpan>, (String, String)> {
        let at = format!("{path}.{at_key}");
        Ok(index(obj.get(at_key), &at)?
            .map(|(s, e)| RawSpan::one(s, e, text_of(obj, key), format!("{path}.{key}"))))
    };
    let content = part("quote", "quote_index")?;
    let speaker = part("speaker", "speaker_index")?;
    let cue = part("verb", "verb_index")?;
    Ok(RawQuote {
        path: Some(path.to_string()),
        content: content.into_iter().collect(),
        sources: speaker.into_iter().collect(),
        cue,
        ..RawQuote::default()
    })
}
