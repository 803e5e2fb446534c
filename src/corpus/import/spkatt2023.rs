//! The SpkAtt-2023 shared-task format (umanlp/SpkAtt-2023, task 1):
//! sentences of tokens, and annotations whose roles list tokens as
//! `sentence:token` (both counted from 0).
//!
//! ```json
//! {"Sentences": [{"SentenceId": 0, "Tokens": ["Frau", "Präsidentin", "!"]}, …],
//!  "Annotations": [{"Cue": ["3:5"], "Source": ["3:0"], "Message": ["3:6", "3:7"],
//!                   "Addr": [], "Evidence": [], "Medium": [], "Topic": [], "PTC": []}]}
//! ```
//!
//! The format has no article text, only tokens, so the text is rebuilt:
//! each sentence's tokens joined by one space, one sentence a line. Each
//! annotation with a `Message` is a record, `q<n>` for the n-th
//! annotation: the message's tokens are the
//! content (each run of consecutive tokens of a sentence one part), the
//! `Source` the speaker (its first run the mention, the text of further runs
//! aliases), the `Cue` the cue (its first run). An annotation without a
//! message reports a speech event but no words, so it is no quote: a note
//! counts them.

use serde_json::Value;

use super::{finish, malformed_json, skip_at, wrong_shape, Doc, DocImport, RawQuote, RawSpan};
use crate::corpus::issue::{Issue, Severity};
use crate::corpus::records::show;

const HINT: &str = "a SpkAtt-2023 document is `{\"Sentences\": [{\"SentenceId\", \"Tokens\"}], \"Annotations\": [{\"Cue\", \"Source\", \"Message\", …}]}`";

/// Imports one SpkAtt-2023 document. `file` names it in messages; `article`
/// is the article id.
pub fn import_spkatt_2023(json: &str, file: &str, article: &str) -> Result<DocImport, Box<Issue>> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| Box::new(malformed_json(&e, file, article)))?;
    let shape = |m: String| wrong_shape(file, article, m, HINT);
    let sentences = value
        .get("Sentences")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            shape("the document has no `Sentences` list; the file is not imported".into())
        })?;
    let annotations = value
        .get("Annotations")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            shape("the document has no `Annotations` list; the file is not imported".into())
        })?;
    // The rebuilt text, and each token's code-point span in it.
    let mut text = String::new();
    let mut at: Vec<Vec<(u64, u64)>> = Vec::with_capacity(sentences.len());
    let mut cp = 0u64;
    for (i, s) in sentences.iter().enumerate() {
        let tokens = s.get("Tokens").and_then(Value::as_array).ok_or_else(|| {
            shape(format!(
                "Sentences[{i}] has no `Tokens` list; the file is not imported"
            ))
        })?;
        let mut spans = Vec::with_capacity(tokens.len());
        for (j, t) in tokens.iter().enumerate() {
            let Some(t) = t.as_str() else {
                return Err(shape(format!(
                    "Sentences[{i}].Tokens[{j}] must be a string, not {}; the file is not imported",
                    show(t)
                )));
            };
            if j > 0 {
                text.push(' ');
                cp += 1;
            }
            let n = t.chars().count() as u64;
            spans.push((cp, cp + n));
            text.push_str(t);
            cp += n;
        }
        text.push('\n');
        cp += 1;
        at.push(spans);
    }
    let mut records = Vec::with_capacity(annotations.len());
    let mut without_message = 0usize;
    for (i, a) in annotations.iter().enumerate() {
        let path = format!("Annotations[{i}]");
        let role = |name: &str| -> Result<Vec<RawSpan>, (String, String)> {
            runs(a.get(name), &at, &format!("{path}.{name}"), &text)
        };
        let record = (|| {
            let content = role("Message")?;
            if content.is_empty() {
                return Ok(None);
            }
            let sources = role("Source")?;
            let cue = role("Cue")?.into_iter().next();
            Ok(Some(RawQuote {
                id: Some(format!("q{}", i + 1)),
                path: Some(path.clone()),
                content,
                sources,
                cue,
                ..RawQuote::default()
            }))
        })();
        match record {
            Ok(Some(q)) => records.push(Ok(q)),
            Ok(None) => without_message += 1,
            Err((at, why)) => records.push(Err(skip_at(
                "malformed-record",
                file,
                article,
                &at,
                Some(&format!("q{}", i + 1)),
                format!("{why}; the record is skipped"),
            )
            .hint(
                "a role lists tokens as \"sentence:token\", both counted from 0, such as \"3:5\"",
            ))),
        }
    }
    let mut doc = Doc {
        text,
        records,
        ..Doc::default()
    };
    if without_message > 0 {
        doc.issues.push(
            Issue::new(
                Severity::Note,
                "no-message",
                file,
                format!(
                    "{without_message} annotation{} without a Message (a speech event whose words are not reported) {} no quote, so not a record",
                    if without_message == 1 { "" } else { "s" },
                    if without_message == 1 { "is" } else { "are" }
                ),
            )
            .article(article),
        );
    }
    let blind = doc.records.is_empty();
    let mut out = finish(doc, file, article);
    if blind {
        // The shared task's test files carry no messages (the blind
        // release): "no quote at all" would be a claim they do not make.
        out.gold.status = crate::corpus::model::Status::Draft;
        out.issues.push(
            Issue::new(
                Severity::Warning,
                "no-messages",
                file,
                "no annotation has a Message (a blind test file?); written as a draft, not as gold without quotes",
            )
            .article(article),
        );
    }
    Ok(out)
}

/// The spans of a role: its tokens in text order, each run of consecutive
/// tokens of one sentence one span.
fn runs(
    role: Option<&Value>,
    at: &[Vec<(u64, u64)>],
    path: &str,
    text: &str,
) -> Result<Vec<RawSpan>, (String, String)> {
    let items = match role {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err((
                path.to_string(),
                format!(
                    "a role must be a list of \"sentence:token\", not {}",
                    show(other)
                ),
            ))
        }
    };
    let mut tokens: Vec<(usize, usize)> = Vec::with_capacity(items.len());
    for (k, item) in items.iter().enumerate() {
        let parsed = item.as_str().and_then(|s| {
            let (a, b) = s.split_once(':')?;
            Some((
                a.trim().parse::<usize>().ok()?,
                b.trim().parse::<usize>().ok()?,
            ))
        });
        let here = format!("{path}[{k}]");
        let Some((s, t)) = parsed else {
            return Err((here, format!("{} is not \"sentence:token\"", show(item))));
        };
        if at.get(s).and_then(|sent| sent.get(t)).is_none() {
            return Err((here, format!("token {s}:{t} does not exist")));
        }
        tokens.push((s, t));
    }
    tokens.sort_unstable();
    tokens.dedup();
    let mut out: Vec<RawSpan> = Vec::new();
    let mut run: Option<(usize, usize, usize)> = None; // sentence, first, last
    let close = |run: (usize, usize, usize), out: &mut Vec<RawSpan>| {
        let (s, a, b) = run;
        let (start, end) = (at[s][a].0, at[s][b].1);
        let slice: String = text
            .chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect();
        out.push(RawSpan::one(
            start,
            end,
            Some(slice),
            format!("{path} ({s}:{a}–{s}:{b})"),
        ));
    };
    for (s, t) in tokens {
        run = match run {
            Some((rs, a, b)) if rs == s && b + 1 == t => Some((rs, a, t)),
            Some(r) => {
                close(r, &mut out);
                Some((s, t, t))
            }
            None => Some((s, t, t)),
        };
    }
    if let Some(r) = run {
        close(r, &mut out);
    }
    Ok(out)
}
