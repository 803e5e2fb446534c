//! The chat adapter: a language model behind an OpenAI-compatible API
//! (a hosted one, or a local llama.cpp, vLLM or Ollama server). Each
//! article is sent as one chat message, the prompt with the article's text
//! in it, to `{base}/chat/completions`; the answer, quotes as text without
//! offsets, is read leniently and its quotes located in the article like
//! any text-only prediction (docs/llm-extractors.md).
//!
//! The transport is the HTTP adapter's ([`Http`]): headers with secrets
//! from the environment, time-outs, retries with back-off and
//! `Retry-After` within `article_timeout`, and the `jobs` bound. This
//! module owns the request (model, prompt, sampling fields, the structured
//! output asked for and its fall-backs), the reading of replies, and the
//! usage they report. Secrets never reach a message: header values are
//! cut out of whatever a server says.

mod prompt;
mod reply;

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub use prompt::{schema, NoText, Prompt, DEFAULT_PROMPT};

use super::usage::{Meter, Price, Usage};
use super::worker::protocol::{excerpt, resolve_response};
use super::{Extractor, Failure, FailureKind, Http, Issue, Output, Unavailable};
use crate::corpus::{Article, OffsetUnit};

/// The structured output asked for, from the best to none. A server that
/// refuses one is asked the next, and the run keeps to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Format {
    /// `response_format: {"type": "json_schema", …}` with [`schema`].
    JsonSchema = 0,
    /// `response_format: {"type": "json_object"}`.
    JsonObject = 1,
    /// No `response_format`: the prompt alone asks for JSON.
    Plain = 2,
}

impl Format {
    fn from_u8(n: u8) -> Format {
        match n {
            0 => Format::JsonSchema,
            1 => Format::JsonObject,
            _ => Format::Plain,
        }
    }

    /// The name used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::JsonSchema => "json_schema",
            Format::JsonObject => "json_object",
            Format::Plain => "plain text",
        }
    }
}

/// A model behind an OpenAI-compatible chat API.
///
/// ```no_run
/// use quotecheck::extract::{Chat, Extractor};
///
/// let gpt = Chat::new("gpt", "http://127.0.0.1:8080/v1", "some-model")
///     .map_http(|h| h.header("Authorization", "Bearer …"))
///     .temperature(0.0)
///     .seed(1);
/// assert_eq!(gpt.name(), "gpt");
/// ```
pub struct Chat {
    name: String,
    base: String,
    model: String,
    http: Http,
    prompt: Prompt,
    temperature: Option<f64>,
    seed: Option<i64>,
    max_tokens: Option<u64>,
    price: Option<Price>,
    /// The [`Format`] in use: it only moves down, once per run.
    format: AtomicU8,
    meter: Meter,
}

impl Chat {
    /// The model `model` at the API `base` (such as
    /// `https://api.example.com/v1`), reported as `name`, with the
    /// built-in prompt and the HTTP adapter's default settings.
    pub fn new(name: impl Into<String>, base: impl Into<String>, model: impl Into<String>) -> Chat {
        let name = name.into();
        let base = base.into().trim_end_matches('/').to_string();
        let url = format!("{base}/chat/completions");
        Chat {
            http: Http::new(name.clone(), url),
            name,
            base,
            model: model.into(),
            prompt: Prompt::default(),
            temperature: None,
            seed: None,
            max_tokens: None,
            price: None,
            format: AtomicU8::new(Format::JsonSchema as u8),
            meter: Meter::default(),
        }
    }

    /// Sets the transport's settings (headers, time-outs, retries, jobs)
    /// on its [`Http`].
    pub fn map_http(mut self, f: impl FnOnce(Http) -> Http) -> Chat {
        self.http = f(self.http);
        self
    }

    /// The prompt template (default [`DEFAULT_PROMPT`]).
    pub fn prompt(mut self, prompt: Prompt) -> Chat {
        self.prompt = prompt;
        self
    }

    /// `temperature` of every request.
    pub fn temperature(mut self, t: f64) -> Chat {
        self.temperature = Some(t);
        self
    }

    /// `seed` of every request.
    pub fn seed(mut self, seed: i64) -> Chat {
        self.seed = Some(seed);
        self
    }

    /// `max_tokens` of every request.
    pub fn max_tokens(mut self, n: u64) -> Chat {
        self.max_tokens = Some(n);
        self
    }

    /// The price of tokens, for the `cost` of reports.
    pub fn price(mut self, price: Price) -> Chat {
        self.price = Some(price);
        self
    }

    /// The structured output asked for now.
    pub fn format(&self) -> Format {
        Format::from_u8(self.format.load(Ordering::Relaxed))
    }

    /// The request body for `article` in `format`.
    fn body(&self, article: &Article, format: Format) -> Vec<u8> {
        let content = self.prompt.render(article.id.as_str(), &article.text);
        let mut body = json!({
            "model": self.model,
            "messages": [{"role": "user", "content": content}],
        });
        let fields = body.as_object_mut().expect("an object");
        if let Some(t) = self.temperature {
            fields.insert("temperature".into(), json!(t));
        }
        if let Some(s) = self.seed {
            fields.insert("seed".into(), json!(s));
        }
        if let Some(n) = self.max_tokens {
            fields.insert("max_tokens".into(), json!(n));
        }
        match format {
            Format::JsonSchema => {
                let format = json!({"type": "json_schema", "json_schema": {
                    "name": "quotes", "strict": true, "schema": schema()}});
                fields.insert("response_format".into(), format);
            }
            Format::JsonObject => {
                fields.insert("response_format".into(), json!({"type": "json_object"}));
            }
            Format::Plain => {}
        }
        serde_json::to_vec(&body).expect("JSON values serialize")
    }

    /// `message` with every header value cut out and control characters
    /// made visible: what a server says may echo a key.
    fn clean(&self, message: &str) -> String {
        let mut message = message.to_string();
        for secret in self.http.secrets() {
            for part in std::iter::once(secret).chain(secret.split_whitespace()) {
                if part.len() >= 6 {
                    message = message.replace(part, "[redacted]");
                }
            }
        }
        crate::text::printable(&message).into_owned()
    }

    /// Asks for `article`, falling back to a lesser [`Format`] when the
    /// server refuses the one in use: the 2xx body.
    fn ask(&self, article: &Article) -> Result<Vec<u8>, Failure> {
        // The place is held over the fall-backs, and the format read within
        // it, so that with `jobs = 1` no request is sent in a format that
        // one before it found refused.
        let _slot = self.http.slot();
        loop {
            let format = self.format();
            match self.http.post(&self.body(article, format)) {
                Ok(bytes) => return Ok(bytes),
                Err(refused) if format != Format::Plain && refuses_format(&refused) => {
                    // Another thread may have moved down already.
                    self.format.fetch_max(format as u8 + 1, Ordering::Relaxed);
                }
                Err(refused) => {
                    let mut failure = refused.failure;
                    let said = server_message(&refused.body);
                    if let Some(said) = said.filter(|_| failure.kind == FailureKind::Error) {
                        failure.message = format!("{} (the server says: {said})", failure.message);
                    }
                    failure.message = self.clean(&failure.message);
                    return Err(failure);
                }
            }
        }
    }
}

/// Whether a failed request is the server's refusal of `response_format`:
/// a 400, 404, 422 or 501 whose body names it (an unsupported field, or a
/// schema it cannot follow). Other 4xx fail the article. A 500 counts too
/// when its body names `response_format` itself: llama-cpp-python's server
/// answers a format it does not know with a 500 that carries the
/// validation error (`'loc': ('body', 'response_format', 'type')`), after
/// the retries every 5xx gets.
fn refuses_format(refused: &super::http::Refused) -> bool {
    let body = String::from_utf8_lossy(&refused.body).to_ascii_lowercase();
    if refused.status == Some(500) {
        return body.contains("response_format");
    }
    let status_says = matches!(refused.status, Some(400 | 404 | 422 | 501));
    status_says
        && [
            "response_format",
            "json_schema",
            "json_object",
            "schema",
            "grammar",
        ]
        .iter()
        .any(|w| body.contains(w))
}

/// The message of an OpenAI-style error body (`{"error": {"message"}}`).
fn server_message(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?;
    let message = error.get("message").unwrap_or(error).as_str()?;
    Some(super::worker::protocol::cut(message, 500))
}

impl Extractor for Chat {
    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        let started = Instant::now();
        let asked = self.ask(article);
        let elapsed = started.elapsed().min(Duration::from_secs(u32::MAX.into()));
        let elapsed_ms = elapsed.as_millis() as u64;
        let bytes = match asked {
            Ok(bytes) => bytes,
            Err(failure) => {
                self.meter.record(None, elapsed_ms);
                return Err(failure);
            }
        };
        let invalid = |why: String, shown: &[u8]| {
            Failure::new(
                FailureKind::InvalidOutput,
                self.clean(&format!("{why}: {}", excerpt(shown))),
            )
        };
        let completion = match reply::completion(&bytes) {
            Ok(c) => c,
            Err(why) => {
                self.meter.record(None, elapsed_ms);
                return Err(invalid(why.to_string(), &bytes));
            }
        };
        self.meter.record(completion.tokens, elapsed_ms);
        let object = reply::quotes_object(&completion.content)
            .map_err(|why| invalid(why.to_string(), completion.content.as_bytes()))?;
        let output = reply::to_output(object);
        let shown = excerpt(completion.content.as_bytes());
        resolve_response(
            output,
            article,
            OffsetUnit::Codepoint,
            self.http.url(),
            &shown,
            // A reply is read leniently (fences, text around the JSON): a
            // key written twice is the model's slip, not worth a warning.
            &[],
        )
    }

    fn name(&self) -> &str {
        &self.name
    }

    /// The model: what a chat extractor is a version of.
    fn version(&self) -> Option<&str> {
        Some(&self.model)
    }

    fn check(&self) -> Result<(), Unavailable> {
        self.http.check()
    }

    /// Everything that shapes a request but the article: the API, the
    /// model, the sampling fields, the prompt template's content (hashed)
    /// and the header names (never their values). The structured output
    /// asked for is left out: it is how the same question is put to a
    /// server, found again each run.
    fn fingerprint(&self) -> Option<String> {
        let template = Sha256::digest(self.prompt.template().as_bytes());
        let template: String = template.iter().map(|b| format!("{b:02x}")).collect();
        let field = |v: Option<String>| v.unwrap_or_else(|| "-".into());
        Some(format!(
            "chat\0{}\0model {}\0temperature {}\0seed {}\0max_tokens {}\0prompt {template}\0headers {}\0quotecheck {}",
            self.base,
            self.model,
            field(self.temperature.map(|t| t.to_string())),
            field(self.seed.map(|s| s.to_string())),
            field(self.max_tokens.map(|n| n.to_string())),
            self.http.header_names().join(","),
            env!("CARGO_PKG_VERSION")
        ))
    }

    fn usage(&self) -> Option<Usage> {
        Some(self.meter.usage(self.price))
    }

    fn finish(&self, in_corpus: &dyn Fn(&str) -> bool) -> Vec<Issue> {
        let _ = in_corpus;
        self.http.reports()
    }
}
