//! One running worker process: its handshake, the threads that feed its
//! stdin and drain its stdout and stderr, and the requests it holds.
//!
//! Nothing here blocks on the process: a writer thread feeds stdin (so a
//! worker that stops reading cannot block the caller), a reader thread
//! matches stdout lines to waiting requests by id, and another keeps the
//! tail of stderr. A caller waits for its own answer on a channel, with a
//! time-out.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::error::{Refusal, SpawnError};
use super::group;
use super::lines::{read_line, Line};
use super::protocol::{excerpt, show_duration, stderr_tail, Handshake, Request};
use super::{Reports, Spec};
use crate::corpus::json::{self, DuplicateKey};
use crate::corpus::{json_error_message, Article, Issue, Severity};
use crate::extract::{Failure, FailureKind};

/// How much of stderr is kept (the tail shown with failures comes from it).
const STDERR_KEPT: usize = 64 * 1024;

/// How long to wait for a process that closed its stdout to exit, and for
/// the end of its stderr, before reporting its articles.
const EXIT_GRACE: Duration = Duration::from_millis(1000);

/// How long an article waits for its answer after the worker printed a line
/// that is not a protocol line (a stray `print`): the answer usually follows
/// at once; when none does, the line was meant as the answer.
const STRAY_GRACE: Duration = Duration::from_secs(2);

/// What a worker is told when it prints anything else on stdout.
pub(super) const STDOUT_RULE: &str =
    "a worker writes only protocol lines on standard output; log to standard error";

/// Locks a mutex, ignoring poisoning: the state behind every lock here
/// stays consistent between statements, so a panic elsewhere leaves it usable.
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A started worker that sent a good handshake.
pub(super) struct Proc {
    shared: Arc<Shared>,
    /// Lines for the writer thread; `None` once stdin is closed.
    stdin: Mutex<Option<Sender<Vec<u8>>>>,
    /// What it said about itself.
    pub(super) handshake: Handshake,
}

/// What the reader threads and the callers share.
struct Shared {
    child: Mutex<Child>,
    /// Set when the worker was stopped for a fault no single article can
    /// be blamed for (its articles are asked again, alone).
    suspect: AtomicBool,
    inbox: Mutex<Inbox>,
    stderr: Arc<StderrTail>,
    /// The command, for messages.
    command: String,
    max_line: usize,
    reports: Arc<Reports>,
}

/// The requests a worker holds.
#[derive(Default)]
struct Inbox {
    /// Requests sent and not answered, by article id.
    pending: HashMap<String, Sender<Reply>>,
    /// Ids answered (or failed) already: a later response is a duplicate.
    answered: HashSet<String>,
    /// No more requests: the worker exited, was killed, or is shutting down.
    closed: bool,
}

/// What a waiting caller is told by the reader thread.
enum Reply {
    /// A response line for its article, parsed, with the keys it wrote
    /// twice.
    Answer {
        value: Value,
        excerpt: String,
        duplicates: Vec<DuplicateKey>,
    },
    /// Its article failed (the stderr tail is added by the caller).
    Failed(FailureKind, String),
    /// The worker printed a line that is not a protocol line while it held
    /// this article: why the line is not one, and the line cut for
    /// messages. The article fails with it should no answer follow.
    Stray { why: String, line: String },
    /// The worker hung or crashed while it held this article and others,
    /// so which one caused it is unknown: ask again, alone.
    Suspect,
}

/// What [`Proc::ask`] returns.
pub(super) enum Asked {
    /// The response object, the response cut for messages, the keys it
    /// wrote twice, and where the worker's stderr stood when the article
    /// was sent.
    Answer {
        value: Value,
        excerpt: String,
        duplicates: Vec<DuplicateKey>,
        mark: u64,
    },
    /// The article failed.
    Failed(Failure),
    /// The worker had stopped before the article was sent: ask another.
    Retry,
    /// The worker hung or crashed holding this article among others: ask
    /// again with the worker to itself, so that the fault is pinned on
    /// the right article whatever the timing.
    Suspect,
}

/// The last bytes a process wrote on stderr.
struct StderrTail {
    state: Mutex<TailState>,
    changed: Condvar,
}

#[derive(Default)]
struct TailState {
    kept: VecDeque<u8>,
    /// Bytes written in all.
    total: u64,
    ended: bool,
}

impl StderrTail {
    fn new() -> StderrTail {
        StderrTail {
            state: Mutex::new(TailState::default()),
            changed: Condvar::new(),
        }
    }

    fn push(&self, bytes: &[u8]) {
        let mut s = lock(&self.state);
        s.total += bytes.len() as u64;
        let bytes = &bytes[bytes.len().saturating_sub(STDERR_KEPT)..];
        let excess = (s.kept.len() + bytes.len()).saturating_sub(STDERR_KEPT);
        s.kept.drain(..excess);
        s.kept.extend(bytes);
    }

    fn end(&self) {
        lock(&self.state).ended = true;
        self.changed.notify_all();
    }

    fn mark(&self) -> u64 {
        lock(&self.state).total
    }

    /// Waits up to `grace` for the end of stderr (so a crash's last words
    /// are in).
    fn wait_end(&self, grace: Duration) {
        let deadline = Instant::now() + grace;
        let mut s = lock(&self.state);
        while !s.ended {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            s = self
                .changed
                .wait_timeout(s, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// What was written since `mark` and is still kept.
    fn since(&self, mark: u64) -> Vec<u8> {
        let s = lock(&self.state);
        let new = (s.total - mark.min(s.total)).min(s.kept.len() as u64) as usize;
        s.kept.iter().skip(s.kept.len() - new).copied().collect()
    }
}

impl Proc {
    /// Starts the worker and reads its handshake. The error says what went
    /// wrong, with the tail of the worker's stderr.
    pub(super) fn spawn(spec: &Spec, reports: &Arc<Reports>) -> Result<Proc, SpawnError> {
        let command = spec.display.clone();
        let Some((program, args)) = spec.command.split_first() else {
            return Err(SpawnError::EmptyCommand);
        };
        let mut cmd = Command::new(program_path(program, spec.cwd.as_deref()));
        cmd.args(args)
            .envs(&spec.env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(cwd) = &spec.cwd {
            cmd.current_dir(cwd);
        }
        group::configure(&mut cmd);
        let mut child = cmd.spawn().map_err(|e| SpawnError::Start {
            command: command.clone(),
            cwd: spec.cwd.clone(),
            error: Arc::new(e),
        })?;
        group::register(&mut child);
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");

        let tail = Arc::new(StderrTail::new());
        let t = Arc::clone(&tail);
        spawn_thread("quotecheck-worker-stderr", move || {
            let mut buf = vec![0u8; 8192];
            loop {
                match stderr.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => t.push(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            t.end();
        });

        let (lines, rx) = mpsc::channel::<Vec<u8>>();
        spawn_thread("quotecheck-worker-stdin", move || {
            let mut stdin = stdin;
            for line in rx {
                if stdin.write_all(&line).and_then(|()| stdin.flush()).is_err() {
                    break;
                }
            }
            // Dropping stdin closes it: the worker sees the end of its input.
        });

        let shared = Arc::new(Shared {
            child: Mutex::new(child),
            suspect: AtomicBool::new(false),
            inbox: Mutex::new(Inbox::default()),
            stderr: tail,
            command: command.clone(),
            max_line: spec.max_line,
            reports: Arc::clone(reports),
        });
        let (first_tx, first_rx) = mpsc::channel::<Option<Line>>();
        let s = Arc::clone(&shared);
        spawn_thread("quotecheck-worker-stdout", move || s.read(stdout, first_tx));

        let refused = |refusal: Refusal| {
            lock(&shared.inbox).closed = true;
            shared.kill();
            shared.stderr.wait_end(Duration::from_millis(500));
            SpawnError::Refused {
                command: command.clone(),
                refusal,
                stderr: stderr_tail(&shared.stderr.since(0)),
            }
        };
        let handshake = match first_rx.recv_timeout(spec.handshake_timeout) {
            Ok(Some(Line::Full(line))) => Handshake::parse(&line).map_err(|error| {
                refused(Refusal::BadHandshake {
                    error,
                    excerpt: excerpt(&line),
                })
            })?,
            Ok(Some(Line::TooLong { len, .. })) => {
                return Err(refused(Refusal::FirstLineTooLong {
                    len,
                    max: spec.max_line,
                }))
            }
            Ok(None) | Err(RecvTimeoutError::Disconnected) => {
                let status = shared.wait_exit(EXIT_GRACE);
                return Err(refused(Refusal::Exited { status }));
            }
            Err(RecvTimeoutError::Timeout) => {
                return Err(refused(Refusal::NoHandshake {
                    timeout: spec.handshake_timeout,
                }))
            }
        };
        Ok(Proc {
            shared,
            stdin: Mutex::new(Some(lines)),
            handshake,
        })
    }

    /// Whether the worker takes no more requests (it exited or was killed).
    pub(super) fn closed(&self) -> bool {
        lock(&self.shared.inbox).closed
    }

    /// Whether it was stopped for a fault no single article is blamed for.
    pub(super) fn suspect(&self) -> bool {
        self.shared.suspect.load(Ordering::SeqCst)
    }

    /// Sends `article` and waits up to `timeout` for the answer.
    pub(super) fn ask(&self, article: &Article, timeout: Duration) -> Asked {
        let id = article.id.as_str();
        let (tx, rx) = mpsc::channel();
        let mark;
        {
            let mut inbox = lock(&self.shared.inbox);
            if inbox.closed {
                return Asked::Retry;
            }
            mark = self.shared.stderr.mark();
            inbox.answered.remove(id);
            inbox.pending.insert(id.to_string(), tx);
        }
        let line = Request {
            id,
            text: &article.text,
        }
        .line();
        if let Some(stdin) = lock(&self.stdin).as_ref() {
            // A closed stdin means the worker is gone: its reader reports that.
            let _ = stdin.send(line);
        }
        let deadline = Instant::now() + timeout;
        let mut stray: Option<(String, String)> = None;
        let reply = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let wait = match stray {
                Some(_) => left.min(STRAY_GRACE),
                None => left,
            };
            match rx.recv_timeout(wait) {
                Ok(Reply::Stray { why, line }) => {
                    stray.get_or_insert((why, line));
                }
                Ok(reply) => {
                    if let (Some((why, line)), Reply::Answer { .. }) = (&stray, &reply) {
                        // The answer came after it: the line was a stray print.
                        self.shared.reports.stray(why, line);
                    }
                    break reply;
                }
                Err(RecvTimeoutError::Timeout) if stray.is_some() => {
                    // A stray line and no answer after it: it was the answer.
                    let mut inbox = lock(&self.shared.inbox);
                    if inbox.pending.remove(id).is_some() {
                        inbox.answered.insert(id.to_string());
                        let (why, line) = stray.take().unwrap_or_default();
                        break Reply::Failed(
                            FailureKind::InvalidOutput,
                            format!("the worker answered with a line that {why}: {line} ({STDOUT_RULE})"),
                        );
                    }
                    drop(inbox);
                    break rx.recv().unwrap_or(Reply::Failed(
                        FailureKind::Crashed,
                        "the worker stopped without answering".into(),
                    ));
                }
                Err(e) => break self.no_reply(e, id, &rx, timeout),
            }
        };
        match reply {
            Reply::Answer {
                value,
                excerpt,
                duplicates,
            } => Asked::Answer {
                value,
                excerpt,
                duplicates,
                mark,
            },
            Reply::Failed(kind, message) => {
                Asked::Failed(self.with_stderr(Failure::new(kind, message), mark))
            }
            Reply::Suspect | Reply::Stray { .. } => Asked::Suspect,
        }
    }

    /// What becomes of an article whose answer did not come: the worker
    /// stopped, or did not answer within `timeout`.
    fn no_reply(
        &self,
        error: RecvTimeoutError,
        id: &str,
        rx: &mpsc::Receiver<Reply>,
        timeout: Duration,
    ) -> Reply {
        match error {
            RecvTimeoutError::Disconnected => Reply::Failed(
                FailureKind::Crashed,
                "the worker stopped without answering".into(),
            ),
            RecvTimeoutError::Timeout => {
                let mut inbox = lock(&self.shared.inbox);
                if inbox.pending.remove(id).is_none() {
                    // Answered just now: the reply is on its way.
                    drop(inbox);
                    rx.recv().unwrap_or(Reply::Failed(
                        FailureKind::Crashed,
                        "the worker stopped without answering".into(),
                    ))
                } else {
                    inbox.answered.insert(id.to_string());
                    inbox.closed = true;
                    let others: Vec<Sender<Reply>> =
                        inbox.pending.drain().map(|(_, tx)| tx).collect();
                    drop(inbox);
                    if !others.is_empty() {
                        self.shared.suspect.store(true, Ordering::SeqCst);
                    }
                    self.shared.kill();
                    for other in &others {
                        let _ = other.send(Reply::Suspect);
                    }
                    if others.is_empty() {
                        self.shared.stderr.wait_end(Duration::from_millis(200));
                        Reply::Failed(
                            FailureKind::Timeout,
                            format!(
                                "no answer within {} (`timeout`); the worker was killed (it is restarted for the next article)",
                                show_duration(timeout)
                            ),
                        )
                    } else {
                        Reply::Suspect
                    }
                }
            }
        }
    }

    /// Adds to `failure` the tail of what the worker wrote on stderr since
    /// `mark`.
    pub(super) fn with_stderr(&self, mut failure: Failure, mark: u64) -> Failure {
        if let Some(tail) = stderr_tail(&self.shared.stderr.since(mark)) {
            failure.message = format!("{}; {tail}", failure.message);
        }
        failure
    }

    /// Closes stdin: a well-behaved worker exits.
    pub(super) fn close(&self) {
        lock(&self.shared.inbox).closed = true;
        lock(&self.stdin).take();
    }

    /// Waits until `deadline` for the worker to exit after [`Proc::close`],
    /// then ends its process group: the worker if it still runs, and
    /// whatever it left running if it exited.
    pub(super) fn stop(&self, deadline: Instant) {
        self.close();
        let left = deadline.saturating_duration_since(Instant::now());
        self.shared.wait_exit(left);
        self.shared.kill();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.stop(Instant::now() + Duration::from_millis(500));
    }
}

impl Shared {
    /// Ends the process and its group (`SIGTERM`, then `SIGKILL` after a
    /// grace period) and reaps it.
    fn kill(&self) {
        group::end(&mut lock(&self.child), group::KILL_GRACE);
    }

    /// Waits up to `grace` for the process to exit; its status if it did.
    fn wait_exit(&self, grace: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + grace;
        loop {
            if let Ok(Some(status)) = lock(&self.child).try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// The stdout reader: the handshake goes to `first`, then every line is
    /// matched to the request it answers.
    fn read(&self, stdout: ChildStdout, first: Sender<Option<Line>>) {
        let mut r = BufReader::with_capacity(1 << 16, stdout);
        loop {
            match read_line(&mut r, self.max_line) {
                Ok(Some(Line::Full(l))) if l.iter().all(u8::is_ascii_whitespace) => continue,
                Ok(line) => {
                    let ended = line.is_none();
                    let _ = first.send(line);
                    if ended {
                        return;
                    }
                    break;
                }
                Err(_) => {
                    let _ = first.send(None);
                    return;
                }
            }
        }
        drop(first);
        loop {
            match read_line(&mut r, self.max_line) {
                Ok(Some(Line::Full(l))) => self.dispatch(l),
                Ok(Some(Line::TooLong { head, len })) => self.too_long(&head, len),
                Ok(None) | Err(_) => break,
            }
        }
        self.ended();
    }

    fn report(&self, code: &'static str, message: String) {
        self.reports.push(
            Issue::new(Severity::Warning, code, &self.command, message)
                .hint("a worker answers each request once, with the request's `id` (docs/extractors.md, \"Worker processes\")"),
        );
    }

    /// One line from stdout.
    fn dispatch(&self, line: Vec<u8>) {
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        // Parsed once, with the keys written twice; only a line that is not
        // JSON is parsed again, for the parser's own words.
        let (parsed, duplicates): (Result<Value, _>, _) = match json::parse_bytes(&line) {
            Some((value, duplicates)) => (Ok(value), duplicates),
            None => (serde_json::from_slice(&line), Vec::new()),
        };
        let id = parsed
            .as_ref()
            .ok()
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let mut inbox = lock(&self.inbox);
        match (parsed, id) {
            (Ok(value), Some(id)) => {
                if let Some(tx) = inbox.pending.remove(&id) {
                    inbox.answered.insert(id);
                    let _ = tx.send(Reply::Answer {
                        value,
                        excerpt: excerpt(&line),
                        duplicates,
                    });
                } else {
                    let again = inbox.answered.contains(&id);
                    drop(inbox);
                    self.unexpected(&id, again);
                }
            }
            (parsed, _) => {
                let why = match parsed {
                    Err(e) => format!("is not JSON ({})", json_error_message(&e)),
                    Ok(v) if !v.is_object() => "is not a JSON object".to_string(),
                    Ok(_) => "has no string `id`".to_string(),
                };
                let line = excerpt(&line);
                if inbox.pending.is_empty() {
                    drop(inbox);
                    self.reports.stray(&why, &line);
                    return;
                }
                // A stray print, or an answer gone wrong: which one is told
                // by whether an answer follows. Every article the worker
                // holds waits a little for one (one, unless it pipelines),
                // and fails with this line if none comes.
                for tx in inbox.pending.values() {
                    let _ = tx.send(Reply::Stray {
                        why: why.clone(),
                        line: line.clone(),
                    });
                }
            }
        }
    }

    fn unexpected(&self, id: &str, again: bool) {
        if again {
            self.report(
                "duplicate-response",
                format!("the worker answered article {id:?} a second time; the second answer is ignored"),
            );
        } else {
            self.report(
                "unknown-response",
                format!("the worker answered for {id:?}, which it was not asked for; ignored"),
            );
        }
    }

    /// A line over the limit: the article it answers fails, found by the
    /// `id` at its start; when that cannot be read, every article held.
    fn too_long(&self, head: &[u8], len: u64) {
        let message = format!(
            "the worker's answer is a line of {len} bytes, over the limit of {} bytes (`max_line`); it was skipped unread",
            self.max_line
        );
        let mut inbox = lock(&self.inbox);
        let held: Vec<String> = match leading_id(head) {
            Some(id) if inbox.pending.contains_key(&id) => vec![id],
            Some(id) => {
                let again = inbox.answered.contains(&id);
                drop(inbox);
                self.unexpected(&id, again);
                return;
            }
            None => inbox.pending.keys().cloned().collect(),
        };
        if held.is_empty() {
            drop(inbox);
            self.report(
                "stray-output",
                format!("{message}, while the worker held no article"),
            );
            return;
        }
        for id in held {
            if let Some(tx) = inbox.pending.remove(&id) {
                let _ = tx.send(Reply::Failed(FailureKind::OutputTooLarge, message.clone()));
            }
            inbox.answered.insert(id);
        }
    }

    /// Stdout ended: the worker exited (or closed it). Unless it was
    /// stopped on purpose, the article it held fails as `crashed`; when it
    /// held several, each is asked again alone.
    fn ended(&self) {
        let mut inbox = lock(&self.inbox);
        if inbox.closed {
            return;
        }
        inbox.closed = true;
        let held: Vec<Sender<Reply>> = inbox.pending.drain().map(|(_, tx)| tx).collect();
        drop(inbox);
        if held.len() > 1 {
            self.suspect.store(true, Ordering::SeqCst);
            self.kill();
            for tx in held {
                let _ = tx.send(Reply::Suspect);
            }
            return;
        }
        let status = self.wait_exit(EXIT_GRACE);
        // Also when it exited: what it started would hold stderr open.
        self.kill();
        self.stderr.wait_end(Duration::from_millis(500));
        let message = format!(
            "the worker {} while it held this article",
            describe_exit(status)
        );
        for tx in held {
            let _ = tx.send(Reply::Failed(FailureKind::Crashed, message.clone()));
        }
    }
}

/// How a process ended, for messages.
pub(super) fn describe_exit(status: Option<ExitStatus>) -> String {
    let Some(status) = status else {
        return "closed its standard output".to_string();
    };
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("was killed by signal {signal}");
        }
    }
    format!("exited ({status})")
}

/// The `id` of a response whose first key is `id`, read from the start of a
/// line too long to parse.
pub(super) fn leading_id(head: &[u8]) -> Option<String> {
    let skip = |s: &[u8]| -> usize { s.iter().take_while(|b| b.is_ascii_whitespace()).count() };
    let mut rest = head;
    rest = &rest[skip(rest)..];
    rest = rest.strip_prefix(b"{")?;
    rest = &rest[skip(rest)..];
    rest = rest.strip_prefix(b"\"id\"")?;
    rest = &rest[skip(rest)..];
    rest = rest.strip_prefix(b":")?;
    rest = &rest[skip(rest)..];
    if rest.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < rest.len() {
        match rest[i] {
            b'\\' => i += 2,
            b'"' => return serde_json::from_slice(&rest[..=i]).ok(),
            _ => i += 1,
        }
    }
    None
}

/// A program given as a relative path with a folder (`./extract.py`,
/// `bin/worker`) is found from the worker's working folder; a bare name is
/// looked up on `PATH`.
fn program_path(program: &str, cwd: Option<&Path>) -> std::path::PathBuf {
    let p = Path::new(program);
    match cwd {
        Some(cwd) if p.is_relative() && p.components().count() > 1 => cwd.join(p),
        _ => p.to_path_buf(),
    }
}

fn spawn_thread(name: &str, f: impl FnOnce() + Send + 'static) {
    thread::Builder::new()
        .name(name.to_string())
        .spawn(f)
        .expect("a thread can be started");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_at_the_start_of_a_long_line() {
        assert_eq!(
            leading_id(br#" { "id" : "a/b\"c", "quotes": [1, 2, 3"#),
            Some("a/b\"c".to_string())
        );
        assert_eq!(leading_id(br#"{"quotes": [], "id": "a"}"#), None);
        assert_eq!(leading_id(br#"{"id": "unfinished"#), None);
        assert_eq!(leading_id(br#"{"id": 3}"#), None);
    }

    #[test]
    fn the_stderr_tail_keeps_the_end() {
        let t = StderrTail::new();
        t.push(b"before\n");
        let mark = t.mark();
        t.push(&vec![b'x'; STDERR_KEPT * 2]);
        t.push(b"\nlast words\n");
        let since = t.since(mark);
        assert_eq!(since.len(), STDERR_KEPT);
        assert!(since.ends_with(b"last words\n"));
        assert_eq!(t.since(t.mark()), b"");
    }
}
