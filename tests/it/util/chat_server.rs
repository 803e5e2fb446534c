//! A mock OpenAI-compatible chat server on 127.0.0.1, for the chat
//! adapter's tests: `POST /v1/chat/completions` answered by a script, the
//! requests kept so that a test can count them. It is the shared test
//! server ([`super::http_server`]) with the chat API's route and the
//! article id read from the prompt.

use serde_json::json;

use super::http_server::Server;
pub use super::http_server::{Answer, Request as Seen};

/// What a chat request holds, as the tests read it.
pub trait ChatRequest {
    /// The user message.
    fn prompt(&self) -> &str;
    /// The article id, read from the built-in prompt's `Article {id}:`
    /// line, or from a test template's `ID={id}`.
    fn id(&self) -> String;
    /// `response_format.type`, if any.
    fn format(&self) -> Option<&str>;
}

impl ChatRequest for Seen {
    fn prompt(&self) -> &str {
        self.body["messages"][0]["content"].as_str().unwrap_or("")
    }

    fn id(&self) -> String {
        let p = self.prompt();
        for (start, end) in [("\nArticle ", ":\n"), ("ID=", "\n")] {
            if let Some(at) = p.rfind(start) {
                let rest = &p[at + start.len()..];
                if let Some(stop) = rest.find(end) {
                    return rest[..stop].to_string();
                }
            }
        }
        String::new()
    }

    fn format(&self) -> Option<&str> {
        self.body["response_format"]["type"].as_str()
    }
}

/// A 200 answer whose assistant message is `content`, with token usage.
pub fn completion(content: &str, prompt_tokens: u64, completion_tokens: u64) -> Answer {
    let body = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "model": "mock",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    });
    (200, body.to_string(), vec![])
}

/// An OpenAI-style error answer.
pub fn error(status: u16, message: &str) -> Answer {
    let body = json!({"error": {"message": message, "type": "invalid_request_error"}});
    (status, body.to_string(), vec![])
}

/// The server; it stops when dropped.
pub struct ChatServer {
    /// `http://127.0.0.1:PORT/v1`, the value of `chat =`.
    pub base: String,
    server: Server,
}

impl ChatServer {
    /// A server answering with `script(request, attempt)`, where `attempt`
    /// counts the requests seen for the same article id (from 1); another
    /// route than `POST /v1/chat/completions` is a 404.
    pub fn start(script: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> ChatServer {
        let server = Server::start(
            |req| req.id(),
            move |req, attempt| {
                if (req.method.as_str(), req.path.as_str()) != ("POST", "/v1/chat/completions") {
                    error(404, "no such route")
                } else {
                    script(req, attempt)
                }
            },
        );
        ChatServer {
            base: format!("{}/v1", server.url),
            server,
        }
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.server.seen()
    }

    /// How many requests were for the article `id`.
    pub fn requests_for(&self, id: &str) -> usize {
        self.seen().iter().filter(|s| s.id() == id).count()
    }

    /// Forgets the requests seen (the attempt counts stay).
    pub fn clear(&self) {
        self.server.clear();
    }
}
