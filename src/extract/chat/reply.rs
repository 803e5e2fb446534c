//! Reading a chat server's reply: the completion's text and token usage
//! from the body, then the `{"quotes": […]}` object from the text, read
//! leniently — inside a code fence, or with words around it, as models
//! write — and turned into prediction records of the corpus shape
//! (content as text, without offsets).

use serde_json::{Map, Value};

/// What a 2xx body held.
pub(super) struct Completion {
    /// The assistant message's text.
    pub(super) content: String,
    /// `usage.prompt_tokens` and `usage.completion_tokens`, when given.
    pub(super) tokens: Option<(u64, u64)>,
}

/// Why a body or a completion is not a usable answer, for the message of
/// an `invalid-output` failure.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(super) enum Unreadable {
    /// The body is not JSON.
    #[error("the reply is not JSON ({0})")]
    NotJson(String),
    /// No `choices[0].message.content` string.
    #[error("the reply has no `choices[0].message.content` text")]
    NoContent,
    /// The text holds no JSON object with a `quotes` list.
    #[error("the model's answer holds no JSON object with a `quotes` list")]
    NoQuotes,
}

/// The completion of a 2xx body.
pub(super) fn completion(body: &[u8]) -> Result<Completion, Unreadable> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Unreadable::NotJson(crate::corpus::json_error_message(&e)))?;
    let content = value
        .pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .ok_or(Unreadable::NoContent)?
        .to_string();
    let count = |key: &str| value.get("usage")?.get(key)?.as_u64();
    let tokens = match (count("prompt_tokens"), count("completion_tokens")) {
        (None, None) => None,
        (p, c) => Some((p.unwrap_or(0), c.unwrap_or(0))),
    };
    Ok(Completion { content, tokens })
}

/// How many `{` are tried as the start of the answer's object: a bound on
/// the work a long reply of prose can cost.
const MAX_STARTS: usize = 64;

/// The first JSON object with a `quotes` list in `text`: the whole text,
/// else each `{` in turn (so a code fence or words around it are skipped).
pub(super) fn quotes_object(text: &str) -> Result<Map<String, Value>, Unreadable> {
    let usable = |v: Value| match v {
        Value::Object(o) if o.get("quotes").is_some_and(Value::is_array) => Some(o),
        _ => None,
    };
    if let Some(o) = serde_json::from_str(text.trim()).ok().and_then(usable) {
        return Ok(o);
    }
    for (at, _) in text.match_indices('{').take(MAX_STARTS) {
        let mut values = serde_json::Deserializer::from_str(&text[at..]).into_iter::<Value>();
        if let Some(o) = values.next().and_then(Result::ok).and_then(usable) {
            return Ok(o);
        }
    }
    Err(Unreadable::NoQuotes)
}

/// The object as a prediction output of the corpus shape: each quote's
/// `content` string becomes a span with only `text`, which quotecheck
/// locates in the article; `null` fields are left out. A record of
/// another shape is passed on as it is, so that it is reported as a bad
/// prediction rather than dropped.
pub(super) fn to_output(mut object: Map<String, Value>) -> Value {
    let quotes = match object.remove("quotes") {
        Some(Value::Array(quotes)) => quotes,
        _ => Vec::new(),
    };
    let records: Vec<Value> = quotes
        .into_iter()
        .map(|q| match q {
            Value::Object(mut q) => {
                q.retain(|_, v| !v.is_null());
                if let Some(Value::String(text)) = q.get("content") {
                    let span = serde_json::json!({ "text": text });
                    q.insert("content".into(), span);
                }
                Value::Object(q)
            }
            other => other,
        })
        .collect();
    serde_json::json!({ "quotes": records })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_leniently() {
        let plain = r#"{"quotes": []}"#;
        assert!(quotes_object(plain).is_ok());
        let fenced = "Here you are:\n```json\n{\"quotes\": [{\"content\": \"x\"}]}\n```\nDone.";
        assert_eq!(quotes_object(fenced).unwrap()["quotes"][0]["content"], "x");
        let decoy = r#"{"note": 1} then {"quotes": [1]}"#;
        assert_eq!(quotes_object(decoy).unwrap()["quotes"][0], 1);
        assert_eq!(quotes_object("no json {here"), Err(Unreadable::NoQuotes));
        assert_eq!(
            quotes_object(r#"{"quotes": "x"}"#),
            Err(Unreadable::NoQuotes)
        );
    }

    #[test]
    fn records_get_text_spans() {
        let o = quotes_object(
            r#"{"quotes": [{"content": "a b", "speaker": null, "kind": "direct"}, 7]}"#,
        )
        .unwrap();
        assert_eq!(
            to_output(o),
            serde_json::json!({"quotes": [{"content": {"text": "a b"}, "kind": "direct"}, 7]})
        );
    }

    #[test]
    fn completions_give_text_and_tokens() {
        let body = br#"{"choices": [{"message": {"content": "hi"}}], "usage": {"prompt_tokens": 3, "completion_tokens": 1}}"#;
        let c = completion(body).unwrap();
        assert_eq!((c.content.as_str(), c.tokens), ("hi", Some((3, 1))));
        assert_eq!(completion(b"{}").err(), Some(Unreadable::NoContent));
        assert!(matches!(completion(b"<html>"), Err(Unreadable::NotJson(_))));
    }
}
