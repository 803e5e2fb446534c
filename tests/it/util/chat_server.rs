//! A mock OpenAI-compatible chat server on 127.0.0.1, for the chat
//! adapter's tests: `POST /v1/chat/completions` answered by a script, the
//! requests kept so that a test can count them. Plain std: enough HTTP/1.1
//! for the client, a thread per connection so a slow answer holds up no
//! other request.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// `POST /v1/chat/completions`, …
    pub path: String,
    /// Headers as sent.
    pub headers: Vec<(String, String)>,
    /// The body, parsed (`Null` if it was not JSON).
    pub body: Value,
}

impl Seen {
    /// The user message.
    pub fn prompt(&self) -> &str {
        self.body["messages"][0]["content"].as_str().unwrap_or("")
    }

    /// The article id, read from the built-in prompt's `Article {id}:`
    /// line, or from a test template's `ID={id}`.
    pub fn id(&self) -> String {
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

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `response_format.type`, if any.
    pub fn format(&self) -> Option<&str> {
        self.body["response_format"]["type"].as_str()
    }
}

/// What the script answers: status, body, extra headers.
pub type Answer = (u16, String, Vec<(&'static str, String)>);

type Script = dyn Fn(&Seen, usize) -> Answer + Send + Sync;

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
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    addr: SocketAddr,
}

struct Shared {
    script: Box<Script>,
    seen: Arc<Mutex<Vec<Seen>>>,
    attempts: Mutex<HashMap<String, usize>>,
}

impl ChatServer {
    /// A server answering with `script(request, attempt)`, where `attempt`
    /// counts the requests seen for the same article id (from 1).
    pub fn start(script: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> ChatServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            script: Box::new(script),
            seen: Arc::clone(&seen),
            attempts: Mutex::default(),
        });
        let halt = Arc::clone(&stop);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _ = serve(stream, &shared);
                });
            }
        });
        ChatServer {
            base: format!("http://{addr}/v1"),
            seen,
            stop,
            addr,
        }
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// How many requests were for the article `id`.
    pub fn requests_for(&self, id: &str) -> usize {
        self.seen().iter().filter(|s| s.id() == id).count()
    }

    /// Forgets the requests seen (the attempt counts stay).
    pub fn clear(&self) {
        self.seen.lock().unwrap().clear();
    }
}

impl Drop for ChatServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut words = line.split_whitespace();
        let path = format!(
            "{} {}",
            words.next().unwrap_or(""),
            words.next().unwrap_or("")
        );
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let len = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap_or(0));
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        let req = Seen {
            path,
            headers,
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        };
        shared.seen.lock().unwrap().push(req.clone());
        let attempt = {
            let mut a = shared.attempts.lock().unwrap();
            let n = a.entry(req.id()).or_default();
            *n += 1;
            *n
        };
        let (status, body, extra) = if req.path != "POST /v1/chat/completions" {
            error(404, "no such route")
        } else {
            (shared.script)(&req, attempt)
        };
        let mut head = format!(
            "HTTP/1.1 {status} Whatever\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in extra {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(body.as_bytes()).is_err()
        {
            return Ok(());
        }
        writer.flush()?;
    }
}
