//! A local HTTP/1.1 server on 127.0.0.1 for the tests of the HTTP and chat
//! adapters: each request is answered by a handler, and kept so that a test
//! can look at it and count it. Plain std, small on purpose: enough HTTP
//! for the client under test (keep-alive, `Content-Length` or chunked
//! bodies), with a thread per connection so a slow answer holds up no
//! other request.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Request {
    /// `POST`, `GET`, …
    pub method: String,
    /// The path, as sent.
    pub path: String,
    /// Headers as sent.
    pub headers: Vec<(String, String)>,
    /// The body, parsed (`Null` if it was not JSON).
    pub body: Value,
}

impl Request {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What a handler answers: status, body, extra headers.
pub type Answer = (u16, String, Vec<(&'static str, String)>);

type Handler = dyn Fn(&Request, usize) -> Answer + Send + Sync;
type Key = dyn Fn(&Request) -> String + Send + Sync;

/// The server; it stops when dropped.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    seen: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    addr: SocketAddr,
}

struct Shared {
    handler: Box<Handler>,
    key: Box<Key>,
    seen: Arc<Mutex<Vec<Request>>>,
    attempts: Mutex<HashMap<String, usize>>,
}

impl Server {
    /// A server answering with `handler(request, attempt)`, where `attempt`
    /// counts the requests seen with the same `key` (from 1): the article a
    /// request is for, as the test reads it.
    pub fn start(
        key: impl Fn(&Request) -> String + Send + Sync + 'static,
        handler: impl Fn(&Request, usize) -> Answer + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Arc<Mutex<Vec<Request>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            key: Box::new(key),
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
        Server {
            url: format!("http://{addr}"),
            seen,
            stop,
            addr,
        }
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }

    /// Forgets the requests seen (the attempt counts stay).
    pub fn clear(&self) {
        self.seen.lock().unwrap().clear();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Serves the requests of one connection.
fn serve(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut words = line.split_whitespace();
        let (method, path) = (
            words.next().unwrap_or("").to_string(),
            words.next().unwrap_or("").to_string(),
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
        let req = Request {
            method,
            path,
            headers,
            body: Value::Null,
        };
        let mut body = Vec::new();
        if let Some(len) = req.header("content-length") {
            body.resize(len.parse().unwrap(), 0);
            reader.read_exact(&mut body)?;
        } else if req
            .header("transfer-encoding")
            .is_some_and(|t| t.contains("chunked"))
        {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size)?;
                let size = usize::from_str_radix(size.trim(), 16).unwrap();
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        }
        let req = Request {
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            ..req
        };
        shared.seen.lock().unwrap().push(req.clone());
        let attempt = {
            let mut a = shared.attempts.lock().unwrap();
            let n = a.entry((shared.key)(&req)).or_default();
            *n += 1;
            *n
        };
        let (status, body, extra) = (shared.handler)(&req, attempt);
        let mut head = format!(
            "HTTP/1.1 {status} Whatever\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in extra {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        writer.write_all(head.as_bytes())?;
        writer.write_all(body.as_bytes())?;
        writer.flush()?;
    }
}
