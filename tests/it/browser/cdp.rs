//! A small Chrome DevTools Protocol client, standard library only: starts
//! headless Chromium, loads pages, collects console errors, runs scripts
//! and takes screenshots, over a WebSocket written here (RFC 6455, client
//! side: masked text frames out, fragmented and control frames in).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any one step may take before the test fails.
const STEP: Duration = Duration::from_secs(30);

/// The Chromium to use: `$CHROMIUM` if set, else the first of the usual
/// names on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// A headless Chromium and one page in it.
pub struct Browser {
    child: Child,
    ws: WebSocket,
    next_id: u64,
    session: Option<String>,
    /// Every event received, in order.
    pub events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium headless with a fresh profile and no network
    /// activity of its own.
    pub fn launch(exe: &Path) -> Result<Browser, String> {
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--mute-audio",
                "--remote-debugging-port=0",
                "--window-size=1280,2000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        // Chromium prints its endpoint on standard error; the rest of what it
        // prints is drained so that it never blocks on a full pipe.
        let stderr = child.stderr.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let started = Instant::now();
        let mut seen = Vec::new();
        let url = loop {
            let left = STEP.saturating_sub(started.elapsed());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("DevTools listening on ") {
                        break url.trim().to_string();
                    }
                    seen.push(line);
                }
                Err(_) => {
                    let _ = child.kill();
                    return Err(format!(
                        "Chromium gave no DevTools endpoint; it printed:\n{}",
                        seen.join("\n")
                    ));
                }
            }
        };
        let ws = WebSocket::connect(&url).map_err(|e| format!("cannot connect to {url}: {e}"))?;
        Ok(Browser {
            child,
            ws,
            next_id: 0,
            session: None,
            events: Vec::new(),
            _profile: profile,
        })
    }

    /// Sends a command (to the page once one is open) and waits for its
    /// answer, keeping the events that arrive meanwhile.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(s) = &self.session {
            message["sessionId"] = json!(s);
        }
        self.ws
            .send(&message.to_string())
            .map_err(|e| format!("{method}: {e}"))?;
        let started = Instant::now();
        loop {
            if started.elapsed() > STEP {
                return Err(format!("{method}: no answer in {STEP:?}"));
            }
            let text = self.ws.recv().map_err(|e| format!("{method}: {e}"))?;
            let reply: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            if reply["id"] == json!(id) {
                if let Some(error) = reply.get("error") {
                    return Err(format!("{method}: {error}"));
                }
                return Ok(reply["result"].clone());
            }
            if reply.get("method").is_some() {
                self.events.push(reply);
            }
        }
    }

    /// Waits for an event named `method` that has not been seen yet.
    pub fn wait_for(&mut self, method: &str) -> Result<Value, String> {
        let from = self.events.len();
        let started = Instant::now();
        loop {
            if let Some(e) = self.events[from..].iter().find(|e| e["method"] == method) {
                return Ok(e.clone());
            }
            if started.elapsed() > STEP {
                return Err(format!("no {method} event in {STEP:?}"));
            }
            let text = self
                .ws
                .recv()
                .map_err(|e| format!("waiting for {method}: {e}"))?;
            let event: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            if event.get("method").is_some() {
                self.events.push(event);
            }
        }
    }

    /// Opens a new page of `width`×`height` CSS pixels, with scripts on or
    /// off, and attaches to it.
    pub fn new_page(&mut self, width: u32, height: u32, scripts: bool) -> Result<(), String> {
        self.session = None;
        let target = self.call("Target.createTarget", json!({"url": "about:blank"}))?;
        let attached = self.call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        )?;
        self.session = attached["sessionId"].as_str().map(str::to_string);
        self.call("Page.enable", json!({}))?;
        self.call("Runtime.enable", json!({}))?;
        self.call("Log.enable", json!({}))?;
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )?;
        if !scripts {
            self.call(
                "Emulation.setScriptExecutionDisabled",
                json!({"value": true}),
            )?;
        }
        Ok(())
    }

    /// Loads `path` in the page and waits for its load event.
    pub fn load(&mut self, path: &Path) -> Result<(), String> {
        let url = file_url(path);
        let from = self.events.len();
        let nav = self.call("Page.navigate", json!({"url": url}))?;
        if let Some(error) = nav.get("errorText") {
            return Err(format!("cannot load {url}: {error}"));
        }
        if !self.events[from..]
            .iter()
            .any(|e| e["method"] == "Page.loadEventFired")
        {
            self.wait_for("Page.loadEventFired")?;
        }
        Ok(())
    }

    /// Evaluates `expression` in the page and returns its value as JSON.
    pub fn eval(&mut self, expression: &str) -> Result<Value, String> {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        )?;
        if let Some(e) = r.get("exceptionDetails") {
            return Err(format!("{expression}\nthrew: {e}"));
        }
        Ok(r["result"]["value"].clone())
    }

    /// A PNG of the page's viewport.
    pub fn screenshot(&mut self) -> Result<Vec<u8>, String> {
        let r = self.call("Page.captureScreenshot", json!({"format": "png"}))?;
        let data = r["data"].as_str().ok_or("no screenshot data")?;
        base64_decode(data)
    }

    /// The console errors, uncaught exceptions, failed loads, policy
    /// violations and dialogs seen so far, one line each.
    pub fn errors(&self) -> Vec<String> {
        let mut errors = Vec::new();
        for e in &self.events {
            let p = &e["params"];
            match e["method"].as_str().unwrap_or("") {
                "Runtime.consoleAPICalled"
                    if matches!(p["type"].as_str(), Some("error" | "assert")) =>
                {
                    errors.push(format!("console.{}: {}", p["type"], p["args"]))
                }
                "Runtime.exceptionThrown" => {
                    errors.push(format!("uncaught exception: {}", p["exceptionDetails"]))
                }
                "Log.entryAdded" if p["entry"]["level"] == "error" => {
                    errors.push(format!("log error: {}", p["entry"]["text"]))
                }
                "Page.javascriptDialogOpening" => {
                    errors.push(format!("a dialog opened: {}", p["message"]))
                }
                _ => {}
            }
        }
        errors
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Nothing of the profile is kept, so there is nothing to close
        // gracefully.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `file://` URL of an absolute path.
pub fn file_url(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Standard base64 (as CDP sends binary data).
pub fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    let value = |c: u8| -> Result<u32, String> {
        Ok(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("not base64: {:?}", c as char)),
        } as u32)
    };
    let bytes: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let data: Vec<u8> = chunk.iter().copied().filter(|&b| b != b'=').collect();
        let mut n = 0u32;
        for (i, &b) in data.iter().enumerate() {
            n |= value(b)? << (18 - 6 * i);
        }
        let keep = data.len().saturating_sub(1);
        out.extend_from_slice(&n.to_be_bytes()[1..1 + keep]);
    }
    Ok(out)
}

/// The client side of a WebSocket over plain TCP.
struct WebSocket {
    stream: TcpStream,
}

impl WebSocket {
    fn connect(url: &str) -> std::io::Result<WebSocket> {
        let invalid = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidData, m);
        let rest = url
            .strip_prefix("ws://")
            .ok_or_else(|| invalid(format!("not a ws:// URL: {url}")))?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let mut stream = TcpStream::connect(host)?;
        stream.set_read_timeout(Some(STEP))?;
        stream.set_nodelay(true)?;
        write!(
            stream,
            "GET /{path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: cXVvdGVjaGVjay10ZXN0cw==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )?;
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte)?;
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head);
        if !head.starts_with("HTTP/1.1 101") {
            return Err(invalid(format!("handshake refused: {head}")));
        }
        Ok(WebSocket { stream })
    }

    fn send_frame(&mut self, opcode: u8, payload: &[u8]) -> std::io::Result<()> {
        let mut frame = vec![0x80 | opcode];
        let len = payload.len();
        if len < 126 {
            frame.push(0x80 | len as u8);
        } else if len <= usize::from(u16::MAX) {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(len as u16).to_be_bytes());
        } else {
            frame.push(0x80 | 127);
            frame.extend_from_slice(&(len as u64).to_be_bytes());
        }
        let mask = [0x51, 0x75, 0x6f, 0x74];
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&frame)
    }

    fn send(&mut self, text: &str) -> std::io::Result<()> {
        self.send_frame(0x1, text.as_bytes())
    }

    /// The next text message.
    fn recv(&mut self) -> std::io::Result<String> {
        let mut message = Vec::new();
        loop {
            let mut head = [0u8; 2];
            self.stream.read_exact(&mut head)?;
            let fin = head[0] & 0x80 != 0;
            let opcode = head[0] & 0x0f;
            let mut len = u64::from(head[1] & 0x7f);
            if len == 126 {
                let mut b = [0u8; 2];
                self.stream.read_exact(&mut b)?;
                len = u64::from(u16::from_be_bytes(b));
            } else if len == 127 {
                let mut b = [0u8; 8];
                self.stream.read_exact(&mut b)?;
                len = u64::from_be_bytes(b);
            }
            let mask = if head[1] & 0x80 != 0 {
                let mut m = [0u8; 4];
                self.stream.read_exact(&mut m)?;
                Some(m)
            } else {
                None
            };
            let mut payload = vec![0u8; len as usize];
            self.stream.read_exact(&mut payload)?;
            if let Some(m) = mask {
                for (i, b) in payload.iter_mut().enumerate() {
                    *b ^= m[i % 4];
                }
            }
            match opcode {
                0x0..=0x2 => {
                    message.extend_from_slice(&payload);
                    if fin {
                        return String::from_utf8(message)
                            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e));
                    }
                }
                0x8 => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        "the browser closed the connection",
                    ))
                }
                0x9 => self.send_frame(0xA, &payload)?,
                _ => {}
            }
        }
    }
}

#[test]
fn base64_round_trips() {
    assert_eq!(base64_decode("Zm9vYmFy").unwrap(), b"foobar");
    assert_eq!(base64_decode("Zm9vYg==").unwrap(), b"foob");
    assert_eq!(base64_decode("Zm8=").unwrap(), b"fo");
}
