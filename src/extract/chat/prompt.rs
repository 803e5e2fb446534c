//! The prompt of the chat adapter: the built-in template, a user's
//! template with `{text}` and `{id}`, and the JSON schema the reply is
//! asked to follow.

use serde_json::{json, Value};

/// The built-in template. It asks for the quotes as text, not offsets: a
/// model counts characters badly, and quotecheck locates each quote's text
/// in the article itself.
pub const DEFAULT_PROMPT: &str = r#"Find every quotation in the news article below: direct quotes (the speaker's words in quote marks), indirect quotes (reported speech without quote marks) and mixed quotes (reported speech with a quoted part).

Answer with JSON only, in this form:
{"quotes": [{"content": "…", "speaker": "…", "cue": "…", "kind": "direct"}]}

- "content": the words quoted or reported, copied exactly from the article (without the quote marks of a direct quote).
- "speaker": who is quoted, as the article names them at that place (a name or a pronoun), or null.
- "cue": the word that introduces the quote, such as "said" or "told", or null.
- "kind": "direct", "indirect" or "mixed".

List the quotes in the order they appear. If there are none, answer {"quotes": []}.

Article {id}:

{text}"#;

/// A prompt template: text with `{text}` (the article) and optionally
/// `{id}` (its id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    template: String,
}

/// Why a template cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the prompt template has no `{{text}}`, so the model would never see the article")]
pub struct NoText;

impl Default for Prompt {
    fn default() -> Prompt {
        Prompt {
            template: DEFAULT_PROMPT.to_string(),
        }
    }
}

impl Prompt {
    /// A template; it must contain `{text}`.
    pub fn new(template: impl Into<String>) -> Result<Prompt, NoText> {
        let template = template.into();
        if !template.contains("{text}") {
            return Err(NoText);
        }
        Ok(Prompt { template })
    }

    /// The template as written (it is part of the cache key).
    pub fn template(&self) -> &str {
        &self.template
    }

    /// The template filled in, in one pass: a `{id}` or `{text}` inside
    /// the article is left as it is.
    pub fn render(&self, id: &str, text: &str) -> String {
        let mut out = String::with_capacity(self.template.len() + text.len());
        let mut rest = self.template.as_str();
        while let Some(at) = rest.find('{') {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            if let Some(after) = tail.strip_prefix("{text}") {
                out.push_str(text);
                rest = after;
            } else if let Some(after) = tail.strip_prefix("{id}") {
                out.push_str(id);
                rest = after;
            } else {
                out.push('{');
                rest = &tail[1..];
            }
        }
        out.push_str(rest);
        out
    }
}

/// The JSON schema of a reply: `{"quotes": [{"content", "speaker", "cue", "kind"}]}`.
pub fn schema() -> Value {
    let nullable = json!({"type": ["string", "null"]});
    json!({
        "type": "object",
        "properties": {
            "quotes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "content": {"type": "string"},
                        "speaker": nullable,
                        "cue": nullable,
                        "kind": {"type": ["string", "null"], "enum": ["direct", "indirect", "mixed", null]}
                    },
                    "required": ["content", "speaker", "cue", "kind"],
                    "additionalProperties": false
                }
            }
        },
        "required": ["quotes"],
        "additionalProperties": false
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendering_is_one_pass() {
        let p = Prompt::new("[{id}] {text} {other}").unwrap();
        assert_eq!(
            p.render("a1", "says {id} {text}"),
            "[a1] says {id} {text} {other}"
        );
        assert_eq!(Prompt::new("no article"), Err(NoText));
        assert!(Prompt::default()
            .render("x", "BODY")
            .ends_with("Article x:\n\nBODY"));
    }
}
