//! Worker processes: extractors in any language, run as a long-lived
//! process that speaks JSON lines on stdin/stdout (protocol.md).
//!
//! A [`Worker`] is one extractor backed by a pool of processes. Processes
//! are started lazily, up to `jobs`, and each `extract` call borrows one
//! (or shares one that declared a `pipeline`). Every way a process can fail
//! — no handshake, garbage, silence, a crash, a huge line — fails only the
//! articles it concerns, with the tail of the process's stderr; the run
//! goes on. See docs/extractors.md, "Worker processes".

mod error;
mod group;
mod lines;
mod process;
#[cfg(test)]
mod props;
pub(crate) mod protocol;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub use self::error::{Refusal, SpawnError};
pub use self::group::end_all;
use self::process::{lock, Asked, Proc};
use self::protocol::{resolve_response, show_command};
pub use self::protocol::{Handshake, HandshakeError};
use super::{Extractor, Failure, FailureKind, Output, Unavailable};
use crate::corpus::{Article, Issue, Severity};

/// Defaults of the settings of a [`Worker`] (and of `quotecheck.toml`).
pub mod defaults {
    use std::time::Duration;

    /// How long an article may take.
    pub const TIMEOUT: Duration = Duration::from_secs(30);
    /// How long a worker may take to send its handshake (loading a model
    /// can be slow).
    pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(120);
    /// How many times each worker process is restarted after it crashed or
    /// was killed.
    pub const RESTARTS: u32 = 3;
    /// The longest response line, in bytes.
    pub const MAX_LINE: usize = 64 * 1024 * 1024;
}

/// How long [`Drop`] waits for workers to exit after closing their stdin.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Everything needed to start one process.
#[derive(Clone, Debug)]
pub(crate) struct Spec {
    command: Vec<String>,
    display: String,
    env: BTreeMap<String, String>,
    cwd: Option<PathBuf>,
    /// Files and folders whose content is part of the fingerprint.
    cache_inputs: Vec<PathBuf>,
    timeout: Duration,
    handshake_timeout: Duration,
    restarts: u32,
    max_line: usize,
    jobs: Option<usize>,
}

/// Problems that concern the worker as a whole, for [`Extractor::finish`].
#[derive(Default)]
pub(crate) struct Reports {
    issues: Mutex<Vec<Issue>>,
    dropped: Mutex<usize>,
    /// Lines on stdout that were not protocol lines: how many, and one of
    /// them (the line cut for messages, and why it is not a protocol
    /// line). One problem says so.
    stray: Mutex<(usize, Option<(String, String)>)>,
}

impl Reports {
    /// How many issues are kept; the rest are counted.
    const KEPT: usize = 50;

    pub(crate) fn push(&self, issue: Issue) {
        let mut issues = lock(&self.issues);
        if issues.len() < Self::KEPT {
            issues.push(issue);
        } else {
            *lock(&self.dropped) += 1;
        }
    }

    /// Counts a line on stdout that was not a protocol line (and not an
    /// answer gone wrong): `why` it is not one, and the line.
    ///
    /// The line shown is the least one, not the first met: several worker
    /// processes print in an order that changes from run to run, and a
    /// report must not depend on it (nor on `--jobs`).
    pub(crate) fn stray(&self, why: &str, line: &str) {
        let mut stray = lock(&self.stray);
        stray.0 += 1;
        let least = match &stray.1 {
            Some((kept, _)) => line < kept.as_str(),
            None => true,
        };
        if least {
            stray.1 = Some((line.to_string(), why.to_string()));
        }
    }

    pub(crate) fn all(&self, file: &str) -> Vec<Issue> {
        let mut issues = lock(&self.issues).clone();
        if let (n, Some((line, why))) = &*lock(&self.stray) {
            issues.insert(
                0,
                Issue::new(
                    Severity::Warning,
                    "stray-output",
                    file,
                    format!(
                        "{}: the worker printed {n} other line(s) there, ignored; one {why}: {line}",
                        process::STDOUT_RULE
                    ),
                )
                .hint("print debugging output to stderr (in Python, `print(..., file=sys.stderr)`); quotecheck shows its tail with failures"),
            );
        }
        let dropped = *lock(&self.dropped);
        if dropped > 0 {
            issues.push(Issue::new(
                Severity::Warning,
                "more-problems",
                file,
                format!("… and {dropped} more problem(s) like these"),
            ));
        }
        issues
    }
}

/// An extractor run as worker processes (protocol.md).
///
/// ```no_run
/// use std::time::Duration;
/// use quotecheck::extract::{Extractor, Worker};
///
/// let worker = Worker::new("mine", ["python3", "extract.py"])
///     .env("MODEL", "small")
///     .timeout(Duration::from_secs(10))
///     .jobs(2);
/// // The first process starts (and shakes hands) when first needed.
/// println!("{:?}", worker.version());
/// ```
pub struct Worker {
    name: String,
    spec: Spec,
    /// The first process's handshake, or why there is none (the extractor
    /// is then unavailable).
    first: OnceLock<Result<Handshake, SpawnError>>,
    pool: Mutex<Pool>,
    /// Signalled when a process is returned or a slot changes.
    changed: Condvar,
    reports: Arc<Reports>,
    /// The fingerprint, made once: hashing the files it covers is done
    /// once a run.
    fingerprint: OnceLock<Option<String>>,
}

/// The processes of a worker.
#[derive(Default)]
struct Pool {
    slots: Vec<Slot>,
    /// How many processes at most (fixed on the first article).
    max: Option<usize>,
    /// Set when no process is left: why the extractor is unavailable.
    gone: Option<String>,
    /// The last reason a slot was given up, for `gone`.
    last_death: Option<String>,
}

struct Slot {
    state: State,
    /// Restarts used.
    restarts: u32,
    /// Whether a process was ever started in it.
    used: bool,
    /// Whether the next restart is free: the last process was stopped for
    /// a fault no article was blamed for (its articles are asked again
    /// alone, so such restarts cannot loop).
    free: bool,
}

enum State {
    /// A process is being started by some caller.
    Starting,
    /// A live process, how many articles it holds, and whether one article
    /// has it to itself.
    Running {
        proc: Arc<Proc>,
        held: usize,
        alone: bool,
    },
    /// To be (re)started by the next caller.
    Down,
    /// Never started again.
    Dead,
}

impl Worker {
    /// A worker running `command` (argv: the program and its arguments; no
    /// shell is involved), reported as `name`, with default settings.
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        command: impl IntoIterator<Item = S>,
    ) -> Worker {
        let command: Vec<String> = command.into_iter().map(Into::into).collect();
        Worker {
            name: name.into(),
            spec: Spec {
                display: show_command(&command),
                command,
                env: BTreeMap::new(),
                cwd: None,
                cache_inputs: Vec::new(),
                timeout: defaults::TIMEOUT,
                handshake_timeout: defaults::HANDSHAKE_TIMEOUT,
                restarts: defaults::RESTARTS,
                max_line: defaults::MAX_LINE,
                jobs: None,
            },
            first: OnceLock::new(),
            pool: Mutex::new(Pool::default()),
            changed: Condvar::new(),
            reports: Arc::new(Reports::default()),
            fingerprint: OnceLock::new(),
        }
    }

    /// A file or folder whose content is part of the cache key, besides
    /// the arguments of the command that are files (the script): a model,
    /// a word list, a package of the worker's code. A folder counts by the
    /// names and content of every file in it, recursively.
    pub fn cache_input(mut self, path: impl Into<PathBuf>) -> Worker {
        self.spec.cache_inputs.push(path.into());
        self
    }

    /// Sets an environment variable for the processes (added to
    /// quotecheck's own environment).
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Worker {
        self.spec.env.insert(key.into(), value.into());
        self
    }

    /// The working folder of the processes (default: quotecheck's own).
    pub fn cwd(mut self, dir: impl Into<PathBuf>) -> Worker {
        self.spec.cwd = Some(dir.into());
        self
    }

    /// How long an article may take (default 30 s); a process that takes
    /// longer is killed and restarted, and the article fails as `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Worker {
        self.spec.timeout = timeout;
        self
    }

    /// How long a process may take to send its handshake (default 120 s).
    pub fn handshake_timeout(mut self, timeout: Duration) -> Worker {
        self.spec.handshake_timeout = timeout;
        self
    }

    /// How many times each process is restarted after a crash or a
    /// time-out (default 3); when none is left, the extractor is
    /// unavailable for the rest of the run.
    pub fn restarts(mut self, restarts: u32) -> Worker {
        self.spec.restarts = restarts;
        self
    }

    /// The longest response line in bytes (default 64 MiB); a longer one
    /// fails its article as `output-too-large`.
    pub fn max_line(mut self, bytes: usize) -> Worker {
        self.spec.max_line = bytes.max(1);
        self
    }

    /// How many processes to run at most (default: one per thread of the
    /// run, `--jobs`).
    pub fn jobs(mut self, jobs: usize) -> Worker {
        self.spec.jobs = Some(jobs.max(1));
        self
    }

    /// The command, as shown in messages.
    pub fn command(&self) -> &str {
        &self.spec.display
    }

    /// The handshake of the first process, starting it if none runs yet;
    /// the error says why the extractor is unavailable.
    pub fn handshake(&self) -> Result<&Handshake, &SpawnError> {
        self.first().as_ref()
    }

    fn first(&self) -> &Result<Handshake, SpawnError> {
        self.first
            .get_or_init(|| match Proc::spawn(&self.spec, &self.reports) {
                Ok(proc) => {
                    let handshake = proc.handshake.clone();
                    lock(&self.pool).slots.push(Slot {
                        state: State::Running {
                            proc: Arc::new(proc),
                            held: 0,
                            alone: false,
                        },
                        restarts: 0,
                        used: true,
                        free: false,
                    });
                    Ok(handshake)
                }
                Err(error) => {
                    self.reports.push(
                        Issue::new(
                            Severity::Error,
                            "unavailable",
                            &self.spec.display,
                            error.to_string(),
                        )
                        .hint(error.hint()),
                    );
                    Err(error)
                }
            })
    }

    /// Borrows a process for one article, starting or restarting one when
    /// that is allowed, else waiting for one to be free. `alone`: no other
    /// article may be sent to it meanwhile.
    fn checkout(&self, first: &Handshake, alone: bool) -> Result<(usize, Arc<Proc>), Failure> {
        let mut pool = lock(&self.pool);
        let max = *pool.max.get_or_insert_with(|| {
            self.spec
                .jobs
                .unwrap_or_else(rayon::current_num_threads)
                .max(1)
        });
        loop {
            if let Some(why) = &pool.gone {
                return Err(Failure::new(FailureKind::Unavailable, why.clone()));
            }
            self.retire(&mut pool);
            // A process holding nothing.
            if let Some(i) = pool
                .slots
                .iter()
                .position(|s| matches!(s.state, State::Running { held: 0, .. }))
            {
                return Ok(take(&mut pool.slots[i], i, alone));
            }
            // A process to (re)start.
            let start = match pool
                .slots
                .iter()
                .position(|s| matches!(s.state, State::Down))
            {
                Some(i) => Some(i),
                None if pool.slots.len() < max => {
                    pool.slots.push(Slot {
                        state: State::Down,
                        restarts: 0,
                        used: false,
                        free: false,
                    });
                    Some(pool.slots.len() - 1)
                }
                None => None,
            };
            if let Some(i) = start {
                let slot = &mut pool.slots[i];
                if slot.used && !slot.free {
                    slot.restarts += 1;
                }
                slot.used = true;
                slot.free = false;
                slot.state = State::Starting;
                drop(pool);
                let started = Proc::spawn(&self.spec, &self.reports);
                pool = lock(&self.pool);
                let why = match started {
                    Ok(proc) if proc.handshake == *first => {
                        pool.slots[i].state = State::Running {
                            proc: Arc::new(proc),
                            held: 1,
                            alone,
                        };
                        let State::Running { proc, .. } = &pool.slots[i].state else {
                            unreachable!()
                        };
                        return Ok((i, Arc::clone(proc)));
                    }
                    Ok(proc) => format!(
                        "the worker `{}` was restarted but its handshake changed: {:?} {} with offsets {}, where the first said {:?} {} with offsets {}",
                        self.spec.display,
                        proc.handshake.name,
                        proc.handshake.version,
                        proc.handshake.offsets,
                        first.name,
                        first.version,
                        first.offsets
                    ),
                    Err(why) => why.to_string(),
                };
                self.reports.push(Issue::new(
                    Severity::Error,
                    "restart-failed",
                    &self.spec.display,
                    format!("{why}; it is not started again"),
                ));
                pool.slots[i].state = State::Dead;
                pool.last_death = Some(why);
                self.changed.notify_all();
                continue;
            }
            // A pipelining process with room for one more.
            if let Some(i) = pool
                .slots
                .iter()
                .enumerate()
                .filter(|_| !alone)
                .filter_map(|(i, s)| match &s.state {
                    State::Running {
                        proc,
                        held,
                        alone: false,
                    } if *held < proc.handshake.pipeline => Some((i, *held)),
                    _ => None,
                })
                .min_by_key(|&(_, held)| held)
                .map(|(i, _)| i)
            {
                return Ok(take(&mut pool.slots[i], i, false));
            }
            if pool.slots.len() >= max && pool.slots.iter().all(|s| matches!(s.state, State::Dead))
            {
                let why = pool.last_death.clone().unwrap_or_default();
                let message = format!(
                    "no worker process is left (each is restarted at most {} time(s), `restarts`); the last one: {why}",
                    self.spec.restarts
                );
                self.reports.push(
                    Issue::new(
                        Severity::Error,
                        "unavailable",
                        &self.spec.display,
                        format!("the extractor stopped being available during the run: {message}"),
                    )
                    .hint("see the failed articles for the worker's stderr"),
                );
                pool.gone = Some(message);
                continue;
            }
            pool = self
                .changed
                .wait(pool)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// Marks the slots whose process exited or was killed as to restart,
    /// or as dead when they have no restart left.
    fn retire(&self, pool: &mut Pool) {
        for slot in &mut pool.slots {
            if let State::Running { proc, .. } = &slot.state {
                if proc.closed() {
                    if proc.suspect() {
                        slot.state = State::Down;
                        slot.free = true;
                    } else if slot.restarts < self.spec.restarts {
                        slot.state = State::Down;
                    } else {
                        slot.state = State::Dead;
                        pool.last_death = Some(format!(
                            "the worker `{}` stopped (crashed or timed out) after {} restart(s)",
                            self.spec.display, slot.restarts
                        ));
                    }
                }
            }
        }
    }

    /// Returns a process borrowed with [`Worker::checkout`].
    fn checkin(&self, i: usize, proc: &Arc<Proc>) {
        let mut pool = lock(&self.pool);
        if let State::Running {
            proc: p,
            held,
            alone,
        } = &mut pool.slots[i].state
        {
            if Arc::ptr_eq(p, proc) {
                *held -= 1;
                *alone = false;
            }
        }
        drop(pool);
        self.changed.notify_all();
    }
}

/// Borrows the process of a running slot.
fn take(slot: &mut Slot, i: usize, alone: bool) -> (usize, Arc<Proc>) {
    let State::Running {
        proc,
        held,
        alone: to_itself,
    } = &mut slot.state
    else {
        unreachable!("only running slots are taken")
    };
    *held += 1;
    *to_itself = alone;
    (i, Arc::clone(proc))
}

impl Extractor for Worker {
    fn check(&self) -> Result<(), Unavailable> {
        match self.handshake() {
            Ok(_) => Ok(()),
            Err(error) => Err(error.clone().into()),
        }
    }

    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        let first = match self.first() {
            Ok(h) => h,
            Err(why) => return Err(Failure::new(FailureKind::Unavailable, why.to_string())),
        };
        // A retry follows a process that stopped before the article was
        // sent (its restart is counted), or one that hung or crashed
        // holding this article among others: the article is then asked
        // alone, where a fault is its own. So the loop ends.
        let mut alone = false;
        loop {
            let (i, proc) = self.checkout(first, alone)?;
            let asked = proc.ask(article, self.spec.timeout);
            self.checkin(i, &proc);
            match asked {
                Asked::Retry => continue,
                Asked::Suspect => alone = true,
                Asked::Failed(failure) => return Err(failure),
                Asked::Answer {
                    value,
                    excerpt,
                    duplicates,
                    mark,
                } => {
                    return resolve_response(
                        value,
                        article,
                        first.offsets,
                        &self.spec.display,
                        &excerpt,
                        &duplicates,
                    )
                    .map_err(|f| proc.with_stderr(f, mark))
                }
            }
        }
    }

    fn name(&self) -> &str {
        &self.name
    }

    /// The version from the handshake (this starts the first process).
    fn version(&self) -> Option<&str> {
        self.first().as_ref().ok().map(|h| h.version.as_str())
    }

    /// The command, the content of its arguments that are files (the
    /// script) and of the `cache_input`s, its environment (values hashed,
    /// so that secrets are not written to the cache), its folder, and the
    /// handshake.
    fn fingerprint(&self) -> Option<String> {
        self.fingerprint
            .get_or_init(|| self.make_fingerprint())
            .clone()
    }

    fn finish(&self, in_corpus: &dyn Fn(&str) -> bool) -> Vec<Issue> {
        let _ = in_corpus;
        self.reports.all(&self.spec.display)
    }
}

impl Worker {
    fn make_fingerprint(&self) -> Option<String> {
        let h = self.first().as_ref().ok()?;
        let mut fp = String::from("worker");
        for word in &self.spec.command {
            fp.push('\0');
            fp.push_str(word);
        }
        // An argument is a path from the worker's folder, as it sees it.
        for word in &self.spec.command {
            let path = match &self.spec.cwd {
                Some(cwd) => cwd.join(word),
                None => PathBuf::from(word),
            };
            if path.is_file() {
                fp.push_str(&format!("\0file {word}={}", content_hash(&path)));
            }
        }
        for input in &self.spec.cache_inputs {
            fp.push_str(&format!(
                "\0input {}={}",
                input.display(),
                content_hash(input)
            ));
        }
        for (k, v) in &self.spec.env {
            let digest = Sha256::digest(v.as_bytes());
            let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            fp.push_str(&format!("\0env {k}={hex}"));
        }
        if let Some(cwd) = &self.spec.cwd {
            fp.push_str(&format!("\0cwd {}", cwd.display()));
        }
        fp.push_str(&format!(
            "\0{}\0{}\0{}\0quotecheck {}",
            h.name,
            h.version,
            h.offsets,
            env!("CARGO_PKG_VERSION")
        ));
        Some(fp)
    }
}

/// A hash of the content of a file, or of a folder: the relative names and
/// content of every file in it, recursively, in name order. What cannot be
/// read counts as such, so it differs from any content.
fn content_hash(path: &Path) -> String {
    fn add(h: &mut Sha256, root: &Path, path: &Path) {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(dir) => dir.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) => {
                    h.update(format!("\0unreadable folder: {e}").as_bytes());
                    return;
                }
            };
            entries.sort();
            for entry in entries {
                add(h, root, &entry);
            }
            return;
        }
        let name = path.strip_prefix(root).unwrap_or(path);
        h.update(b"\0file ");
        h.update(name.to_string_lossy().as_bytes());
        h.update([0]);
        match std::fs::read(path) {
            Ok(bytes) => {
                h.update((bytes.len() as u64).to_le_bytes());
                h.update(&bytes);
            }
            Err(e) => h.update(format!("unreadable: {e}").as_bytes()),
        }
    }
    let mut h = Sha256::new();
    add(&mut h, path, path);
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Drop for Worker {
    /// Closes every process's stdin, gives them a moment to exit, then
    /// kills the rest.
    fn drop(&mut self) {
        let pool = self
            .pool
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let procs: Vec<Arc<Proc>> = pool
            .slots
            .drain(..)
            .filter_map(|s| match s.state {
                State::Running { proc, .. } => Some(proc),
                _ => None,
            })
            .collect();
        for proc in &procs {
            proc.close();
        }
        let deadline = Instant::now() + SHUTDOWN_GRACE;
        for proc in &procs {
            proc.stop(deadline);
        }
    }
}
