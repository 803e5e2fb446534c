//! Snapshot storage: accepted renderings on disk, compared with each run.
//!
//! The only part of [`crate::snapshot`] that touches files. An extractor's
//! snapshots live in `<root>/<extractor>/<article-id>.snap` (article ids
//! with `/` make sub-folders), in insta's `.snap` format, so that insta's
//! own tools read them:
//!
//! ```text
//! ---
//! source: quotecheck run
//! expression: mine on bbc-libya-us-talks
//! info:
//!   extractor: mine
//!   article: bbc-libya-us-talks
//!   scheme: "overlap:0.5"
//!   gold: "sha256:5e1f0c4a9b2d7e33"
//! ---
//! p1 · matched q10
//!   at       @774-942
//!   …
//! ```
//!
//! The body is [`super::render_predictions`]: the extractor's predictions
//! with their verdicts. The header records the scheme the verdicts were
//! made under and a hash of the article's text and gold. A rendering that
//! differs from the accepted one is written beside it as `<…>.snap.new`
//! (*pending*) until it is accepted (renamed over the `.snap`) or rejected
//! (deleted).
//!
//! Every write goes to a temporary file in the same folder that is then
//! renamed into place, so a reader (or a run killed half-way) never sees
//! half a file; an accepted snapshot is replaced only by accepting or by
//! `always`. Commands that write take [`Store::lock`] first, so concurrent
//! runs on one folder wait for each other (the lock file `<root>/.lock`
//! exists only while it is held).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sha2::{Digest, Sha256};

use super::snapshot_diff::{snapshot_diff, SnapshotDiff, SnapshotState};
use super::render::render_gold;
use crate::align::{Alignment, Scheme};
use crate::corpus::{Article, ArticleId, Prediction};
use crate::extract::check_name;

/// The snapshot root used when none is given: `snapshots/` in the working folder.
pub const DEFAULT_ROOT: &str = "snapshots";

/// The extension of an accepted snapshot.
pub const SNAP: &str = ".snap";

/// The extension of a pending snapshot.
pub const SNAP_NEW: &str = ".snap.new";

/// The name of the lock file in the root.
pub const LOCK_FILE: &str = ".lock";

/// What the `source` key of a snapshot written by quotecheck says.
const SOURCE: &str = "quotecheck run";

/// The update policy as asked for (`QUOTECHECK_UPDATE`, `--update`), like
/// insta's `INSTA_UPDATE`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UpdateMode {
    /// `new` locally, `no` when `CI` is set.
    #[default]
    Auto,
    /// Write `.snap` directly: an explicit request, the same as accepting.
    Always,
    /// Write changed and new renderings as pending `.snap.new` files.
    New,
    /// Write nothing.
    No,
}

impl UpdateMode {
    /// The policy it means in an environment that is (or is not) CI.
    pub fn resolve(self, ci: bool) -> Update {
        match self {
            UpdateMode::Auto if ci => Update::No,
            UpdateMode::Auto | UpdateMode::New => Update::New,
            UpdateMode::Always => Update::Always,
            UpdateMode::No => Update::No,
        }
    }

    /// The mode in `QUOTECHECK_UPDATE`, if it is set (and not empty).
    pub fn from_env() -> Result<Option<UpdateMode>, String> {
        match std::env::var("QUOTECHECK_UPDATE") {
            Ok(v) if !v.is_empty() => v
                .parse()
                .map(Some)
                .map_err(|e| format!("QUOTECHECK_UPDATE: {e}")),
            _ => Ok(None),
        }
    }
}

impl FromStr for UpdateMode {
    type Err = String;

    fn from_str(s: &str) -> Result<UpdateMode, String> {
        match s {
            "auto" => Ok(UpdateMode::Auto),
            "always" => Ok(UpdateMode::Always),
            "new" => Ok(UpdateMode::New),
            "no" => Ok(UpdateMode::No),
            _ => Err(format!(
                "{s:?} is not an update policy: use auto, always, new or no"
            )),
        }
    }
}

/// The update policy in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Update {
    /// Changed and new renderings are written as `.snap`: accepted.
    Always,
    /// Changed and new renderings are written as pending `.snap.new`.
    New,
    /// Nothing is written.
    No,
}

impl Update {
    /// `always`, `new` or `no`.
    pub fn as_str(self) -> &'static str {
        match self {
            Update::Always => "always",
            Update::New => "new",
            Update::No => "no",
        }
    }
}

impl FromStr for Update {
    type Err = String;

    fn from_str(s: &str) -> Result<Update, String> {
        match s {
            "always" => Ok(Update::Always),
            "new" => Ok(Update::New),
            "no" => Ok(Update::No),
            _ => Err(format!("{s:?} is not always, new or no")),
        }
    }
}

/// Whether the environment is CI: `CI` is set to anything but ``, `0` or
/// `false` (as CI services set it).
pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// The header of a snapshot: insta's metadata keys, with quotecheck's own
/// under `info`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Info {
    /// The extractor's name.
    pub extractor: String,
    /// The article id.
    pub article: String,
    /// The scheme the verdicts were made under (`overlap:0.5`, `exact`).
    pub scheme: String,
    /// A hash of the article's text and gold ([`gold_hash`]).
    pub gold: String,
}

/// One snapshot file: its header and its body (the rendering).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotFile {
    /// insta's `source` key (`quotecheck run` for files quotecheck writes).
    pub source: String,
    /// insta's `expression` key: `<extractor> on <article>`.
    pub expression: String,
    /// The `info` key.
    pub info: Info,
    /// The rendering, ending in a newline unless empty.
    pub body: String,
}

/// The hash of an article's text and gold recorded in snapshot headers:
/// `sha256:` and 16 hex digits. It does not depend on the order of the
/// gold records.
pub fn gold_hash(article: &Article) -> String {
    let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
    let mut h = Sha256::new();
    h.update(article.text.as_bytes());
    h.update([0]);
    h.update(render_gold(&article.text, gold).as_bytes());
    let hex: String = h
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

impl SnapshotFile {
    /// The snapshot of `body` for `extractor` on `article`.
    pub fn new(
        extractor: &str,
        article: &str,
        scheme: &Scheme,
        gold: String,
        body: String,
    ) -> Self {
        SnapshotFile {
            source: SOURCE.to_string(),
            expression: format!("{extractor} on {article}"),
            info: Info {
                extractor: extractor.to_string(),
                article: article.to_string(),
                scheme: scheme.to_string(),
                gold,
            },
            body,
        }
    }

    /// The file's text: a `---`-delimited YAML header, then the body (with
    /// trailing white space trimmed and one final newline, as insta writes
    /// it).
    pub fn to_text(&self) -> String {
        let mut out = String::from("---\n");
        out.push_str(&format!("source: {}\n", yaml_str(&self.source)));
        out.push_str(&format!("expression: {}\n", yaml_str(&self.expression)));
        out.push_str("info:\n");
        for (key, value) in [
            ("extractor", &self.info.extractor),
            ("article", &self.info.article),
            ("scheme", &self.info.scheme),
            ("gold", &self.info.gold),
        ] {
            out.push_str(&format!("  {key}: {}\n", yaml_str(value)));
        }
        out.push_str("---\n");
        out.push_str(normalized(&self.body).trim_end_matches('\n'));
        out.push('\n');
        out
    }

    /// Reads a snapshot file written by quotecheck or by insta (with
    /// `info` keys `scheme` and `gold`; other keys are ignored).
    pub fn parse(text: &str) -> Result<SnapshotFile, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.split_inclusive('\n');
        let first = lines.next().unwrap_or_default();
        if first.trim_end() != "---" {
            return Err("it does not start with a `---` header".into());
        }
        let mut top: BTreeMap<String, String> = BTreeMap::new();
        let mut info: BTreeMap<String, String> = BTreeMap::new();
        let mut in_info = false;
        let mut closed = false;
        let mut consumed = first.len();
        for line in lines.by_ref() {
            consumed += line.len();
            let l = line.trim_end();
            if l == "---" {
                closed = true;
                break;
            }
            if l.trim().is_empty() {
                continue;
            }
            let nested = l.starts_with(' ');
            let Some((key, value)) = l.trim().split_once(':') else {
                if nested {
                    continue;
                }
                return Err(format!("header line {l:?} is not `key: value`"));
            };
            let value = yaml_value(value.trim())?;
            if nested {
                if in_info {
                    info.insert(key.to_string(), value);
                }
            } else {
                in_info = key == "info" && value.is_empty();
                top.insert(key.to_string(), value);
            }
        }
        if !closed {
            return Err("its header has no closing `---`".into());
        }
        let body = normalized(&text[consumed.min(text.len())..]);
        let get = |map: &BTreeMap<String, String>, key: &str| map.get(key).cloned();
        let field =
            |key: &str| get(&info, key).ok_or_else(|| format!("its header has no `info.{key}`"));
        let trimmed = body.trim_end_matches('\n');
        Ok(SnapshotFile {
            source: get(&top, "source").unwrap_or_default(),
            expression: get(&top, "expression").unwrap_or_default(),
            info: Info {
                extractor: get(&info, "extractor").unwrap_or_default(),
                article: get(&info, "article").unwrap_or_default(),
                scheme: field("scheme")?,
                gold: get(&info, "gold").unwrap_or_default(),
            },
            body: if trimmed.is_empty() {
                String::new()
            } else {
                format!("{trimmed}\n")
            },
        })
    }

    /// Whether two snapshots have the same rendering (insta's comparison:
    /// trailing white space and line-ending style do not count).
    pub fn same_body(&self, other: &SnapshotFile) -> bool {
        normalized(&self.body).trim_end() == normalized(&other.body).trim_end()
    }

    /// Whether the snapshot was made under `scheme`.
    pub fn made_under(&self, scheme: &Scheme) -> bool {
        self.info
            .scheme
            .parse::<Scheme>()
            .is_ok_and(|s| s.to_string() == scheme.to_string())
    }
}

/// `\r\n` as `\n`.
fn normalized(s: &str) -> String {
    s.replace("\r\n", "\n")
}

/// A YAML scalar as insta's emitter writes it: plain when that reads back
/// as the same string, else double-quoted with JSON escapes.
fn yaml_str(s: &str) -> String {
    let needs_quotes = s.is_empty()
        || s.starts_with(' ')
        || s.ends_with(' ')
        || s.starts_with(['&', '*', '?', '|', '-', '<', '>', '=', '!', '%', '@', '.'])
        || s.contains(|c: char| {
            matches!(
                c,
                ':' | '{' | '}' | '[' | ']' | ',' | '#' | '`' | '"' | '\'' | '\\'
            ) || c.is_control()
        })
        || [
            "yes", "Yes", "YES", "no", "No", "NO", "True", "TRUE", "true", "False", "FALSE",
            "false", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
        ]
        .contains(&s)
        || s.starts_with("0x")
        || s.parse::<i64>().is_ok()
        || s.parse::<f64>().is_ok();
    if needs_quotes {
        serde_json::to_string(s).expect("strings serialize")
    } else {
        s.to_string()
    }
}

/// Reads a scalar written by [`yaml_str`] (or by insta): double-quoted,
/// single-quoted, `~` or plain.
fn yaml_value(v: &str) -> Result<String, String> {
    if v.starts_with('"') {
        serde_json::from_str(v).map_err(|e| format!("bad quoted value {v}: {e}"))
    } else if let Some(inner) = v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        Ok(inner.replace("''", "'"))
    } else if v == "~" {
        Ok(String::new())
    } else {
        Ok(v.to_string())
    }
}

/// Whether a snapshot file is accepted or pending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `<id>.snap`.
    Accepted,
    /// `<id>.snap.new`.
    Pending,
}

/// A snapshot file found in the root.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The extractor (the folder under the root).
    pub extractor: String,
    /// The article id (the path under the extractor's folder).
    pub article: String,
    /// Accepted or pending.
    pub kind: Kind,
    /// The file.
    pub path: PathBuf,
}

/// A folder of snapshots.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
}

/// An error about a name that cannot become a snapshot path.
fn unsafe_name(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

impl Store {
    /// The snapshots under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/<extractor>`, once the name is checked.
    pub fn extractor_dir(&self, extractor: &str) -> io::Result<PathBuf> {
        check_name(extractor).map_err(unsafe_name)?;
        Ok(self.root.join(extractor))
    }

    /// Whether `<root>/<extractor>` exists.
    pub fn has_extractor(&self, extractor: &str) -> bool {
        self.extractor_dir(extractor).is_ok_and(|d| d.is_dir())
    }

    fn path(&self, extractor: &str, article: &str, ext: &str) -> io::Result<PathBuf> {
        let id = ArticleId::new(article).map_err(|e| unsafe_name(e.to_string()))?;
        let mut path = self.extractor_dir(extractor)?;
        for segment in id.as_str().split('/') {
            path.push(segment);
        }
        let mut name = path.file_name().expect("an id has segments").to_os_string();
        name.push(ext);
        path.set_file_name(name);
        Ok(path)
    }

    /// `<root>/<extractor>/<article>.snap`.
    pub fn accepted_path(&self, extractor: &str, article: &str) -> io::Result<PathBuf> {
        self.path(extractor, article, SNAP)
    }

    /// `<root>/<extractor>/<article>.snap.new`.
    pub fn pending_path(&self, extractor: &str, article: &str) -> io::Result<PathBuf> {
        self.path(extractor, article, SNAP_NEW)
    }

    /// Reads a snapshot file: `Ok(None)` when there is none, `Ok(Some(Err))`
    /// when it cannot be parsed.
    pub fn read(
        &self,
        extractor: &str,
        article: &str,
        kind: Kind,
    ) -> io::Result<Option<Result<SnapshotFile, String>>> {
        let path = match kind {
            Kind::Accepted => self.accepted_path(extractor, article)?,
            Kind::Pending => self.pending_path(extractor, article)?,
        };
        read_file(&path)
    }

    /// Writes `file` as the accepted snapshot of its extractor and article,
    /// atomically.
    pub fn write_accepted(&self, file: &SnapshotFile) -> io::Result<PathBuf> {
        let path = self.accepted_path(&file.info.extractor, &file.info.article)?;
        write_atomically(&path, file.to_text().as_bytes())?;
        Ok(path)
    }

    /// Writes `file` as a pending snapshot, atomically.
    pub fn write_pending(&self, file: &SnapshotFile) -> io::Result<PathBuf> {
        let path = self.pending_path(&file.info.extractor, &file.info.article)?;
        write_atomically(&path, file.to_text().as_bytes())?;
        Ok(path)
    }

    /// Removes a pending snapshot; whether there was one.
    pub fn remove_pending(&self, extractor: &str, article: &str) -> io::Result<bool> {
        remove_if_exists(&self.pending_path(extractor, article)?)
    }

    /// Accepts a pending snapshot: writes it as the accepted one
    /// (atomically, without insta's `assertion_line`, which only pending
    /// files carry), then removes it. Fails when there is no pending
    /// snapshot or it cannot be read, leaving everything as it was.
    pub fn accept(&self, extractor: &str, article: &str) -> io::Result<PathBuf> {
        let pending = self.pending_path(extractor, article)?;
        let file = match read_file(&pending)? {
            Some(Ok(file)) => file,
            Some(Err(why)) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{} cannot be read: {why}", pending.display()),
                ))
            }
            None => {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("no pending snapshot {}", pending.display()),
                ))
            }
        };
        let accepted = self.accepted_path(extractor, article)?;
        write_atomically(&accepted, file.to_text().as_bytes())?;
        fs::remove_file(&pending)?;
        Ok(accepted)
    }

    /// Rejects a pending snapshot: deletes it. Fails when there is none.
    pub fn reject(&self, extractor: &str, article: &str) -> io::Result<()> {
        fs::remove_file(self.pending_path(extractor, article)?)
    }

    /// The extractor folders in the root, by name.
    pub fn extractors(&self) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        let entries = match fs::read_dir(&self.root) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        for e in entries {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type()?.is_dir() && !name.starts_with('.') && check_name(&name).is_ok() {
                out.push(name);
            }
        }
        out.sort();
        Ok(out)
    }

    /// Every snapshot file (accepted and pending) of `extractor`, sorted.
    /// Files that are not snapshots (and hidden ones, such as temporary
    /// files) are left out.
    pub fn entries(&self, extractor: &str) -> io::Result<Vec<Entry>> {
        let dir = self.extractor_dir(extractor)?;
        let mut out = Vec::new();
        let mut stack = vec![(dir, String::new())];
        while let Some((dir, prefix)) = stack.pop() {
            let entries = match fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for e in entries {
                let e = e?;
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                if e.file_type()?.is_dir() {
                    stack.push((e.path(), format!("{prefix}{name}/")));
                    continue;
                }
                let (stem, kind) = if let Some(stem) = name.strip_suffix(SNAP_NEW) {
                    (stem, Kind::Pending)
                } else if let Some(stem) = name.strip_suffix(SNAP) {
                    (stem, Kind::Accepted)
                } else {
                    continue;
                };
                let article = format!("{prefix}{stem}");
                if ArticleId::new(&article).is_ok() {
                    out.push(Entry {
                        extractor: extractor.to_string(),
                        article,
                        kind,
                        path: e.path(),
                    });
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Every pending snapshot, of every extractor (or of those named).
    pub fn pending(&self, extractors: &[String]) -> io::Result<Vec<Entry>> {
        let mut out = Vec::new();
        for name in self.extractors()? {
            if extractors.is_empty() || extractors.contains(&name) {
                out.extend(
                    self.entries(&name)?
                        .into_iter()
                        .filter(|e| e.kind == Kind::Pending),
                );
            }
        }
        Ok(out)
    }

    /// Takes the root's lock (the file `<root>/.lock` while it is held),
    /// creating the root if needed, and holds it until the returned guard
    /// is dropped. When another process holds it, `waiting` is called once
    /// and the call blocks until it is released. See [`Lock`].
    pub fn lock(&self, waiting: &mut dyn FnMut(&Path)) -> io::Result<Lock> {
        fs::create_dir_all(&self.root)?;
        Lock::acquire(&self.root.join(LOCK_FILE), waiting)
    }
}

/// Reads and parses one snapshot file.
fn read_file(path: &Path) -> io::Result<Option<Result<SnapshotFile, String>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(match String::from_utf8(bytes) {
            Ok(text) => SnapshotFile::parse(&text),
            Err(_) => Err("it is not UTF-8".into()),
        })),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Reads one snapshot file by path, for review.
pub fn read_snapshot(path: &Path) -> io::Result<Option<Result<SnapshotFile, String>>> {
    read_file(path)
}

fn remove_if_exists(path: &Path) -> io::Result<bool> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// flushed to disk and then renamed into place: the file at `path` is
/// always either the old one or the new one, whatever happens to the
/// process in between.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    crate::atomic::write(path, bytes)
}

/// The lock of a snapshot root, held until dropped.
///
/// The lock file exists only while a command holds it (it is removed on
/// release), so it never ends up committed with the snapshots. On Unix it
/// is an `flock` on the file: the kernel releases it when its process
/// dies, so a killed run leaves at most an unlocked file that the next
/// command takes over.
#[derive(Debug)]
pub struct Lock {
    file: Option<File>,
    path: PathBuf,
}

impl Lock {
    #[cfg(unix)]
    fn acquire(path: &Path, waiting: &mut dyn FnMut(&Path)) -> io::Result<Lock> {
        use rustix::fs::{flock, FlockOperation};
        use std::os::unix::fs::MetadataExt;
        let mut told = false;
        loop {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)?;
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {}
                Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                    if !std::mem::replace(&mut told, true) {
                        waiting(path);
                    }
                    flock(&file, FlockOperation::LockExclusive)?;
                }
                Err(e) => return Err(e.into()),
            }
            // The holder before us removes the file as it releases it:
            // then our lock is on a file nobody else will open, so start
            // again with the one at `path` now.
            let mine = file.metadata()?;
            match fs::metadata(path) {
                Ok(now) if now.ino() == mine.ino() && now.dev() == mine.dev() => {
                    return Ok(Lock {
                        file: Some(file),
                        path: path.to_path_buf(),
                    })
                }
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Without `flock`, the lock is the file's existence.
    #[cfg(not(unix))]
    fn acquire(path: &Path, waiting: &mut dyn FnMut(&Path)) -> io::Result<Lock> {
        let mut told = false;
        loop {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(file) => {
                    return Ok(Lock {
                        file: Some(file),
                        path: path.to_path_buf(),
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if !std::mem::replace(&mut told, true) {
                        waiting(path);
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for Lock {
    /// Removes the file while still holding the lock, then releases it.
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        drop(self.file.take());
    }
}

/// How a run uses snapshots.
#[derive(Clone, Debug)]
pub struct SnapshotSettings {
    /// The root folder.
    pub root: PathBuf,
    /// The policy in force.
    pub update: Update,
    /// Whether the policy was asked for explicitly as `new` or `always`:
    /// then extractors without a folder get one (snapshots start for them).
    /// Otherwise only extractors that have a folder are compared.
    pub start: bool,
    /// How many diffs to keep per extractor (`None`: all).
    pub keep_diffs: Option<usize>,
}

/// What snapshots did for one extractor in a run.
#[derive(Clone, Debug, Default)]
pub struct ExtractorSnapshots {
    /// The extractor.
    pub name: String,
    /// Each compared article's state, in corpus order (articles not
    /// compared are left out).
    pub states: Vec<(String, SnapshotState)>,
    /// Diffs of changed and new articles, in corpus order (at most the
    /// number asked for).
    pub diffs: Vec<(String, SnapshotDiff)>,
    /// Pending snapshots written.
    pub pending_written: usize,
    /// Accepted snapshots written (`always`).
    pub accepted_written: usize,
    /// Snapshots made under another scheme, not compared: that scheme and
    /// how many.
    pub other_scheme: BTreeMap<String, usize>,
    /// The articles on which the extractor failed just as their accepted
    /// snapshots say, in corpus order: such a failure does not fail the run.
    pub accepted_failures: Vec<String>,
}

impl ExtractorSnapshots {
    /// How many articles are in `state`.
    pub fn count(&self, state: SnapshotState) -> usize {
        self.states.iter().filter(|(_, s)| *s == state).count()
    }
}

/// A snapshot whose article or extractor is gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreferenced {
    /// The article is not in the corpus any more.
    Article {
        /// The extractor.
        extractor: String,
        /// The article id.
        article: String,
        /// The snapshot files (accepted and pending).
        paths: Vec<PathBuf>,
    },
    /// No configured extractor has this name any more.
    Extractor {
        /// The folder's name.
        extractor: String,
        /// The folder.
        path: PathBuf,
        /// The snapshot files in it.
        paths: Vec<PathBuf>,
    },
}

impl Unreferenced {
    /// The files it consists of.
    pub fn paths(&self) -> &[PathBuf] {
        match self {
            Unreferenced::Article { paths, .. } | Unreferenced::Extractor { paths, .. } => paths,
        }
    }
}

/// What snapshots did in a run: what every report says about them.
#[derive(Clone, Debug)]
pub struct SnapshotReport {
    /// The root folder.
    pub root: PathBuf,
    /// The policy in force.
    pub update: Update,
    /// One entry per extractor whose snapshots were compared, in run order.
    pub extractors: Vec<ExtractorSnapshots>,
    /// Snapshots whose article or extractor is gone (full runs only).
    pub unreferenced: Vec<Unreferenced>,
    /// Whether the unreferenced snapshots were deleted.
    pub deleted: bool,
    /// Problems reading or writing snapshot files.
    pub errors: Vec<String>,
}

impl SnapshotReport {
    /// An empty report.
    pub fn new(root: impl Into<PathBuf>, update: Update) -> SnapshotReport {
        SnapshotReport {
            root: root.into(),
            update,
            extractors: Vec::new(),
            unreferenced: Vec::new(),
            deleted: false,
            errors: Vec::new(),
        }
    }

    /// The state of `article` for `extractor`.
    pub fn state(&self, extractor: &str, article: &str) -> SnapshotState {
        self.extractors
            .iter()
            .find(|e| e.name == extractor)
            .and_then(|e| e.states.iter().find(|(id, _)| id == article))
            .map_or(SnapshotState::None, |(_, s)| *s)
    }

    /// The (extractor, article) pairs whose failure is the one their
    /// accepted snapshot shows: such a failure does not fail the run.
    pub fn accepted_failures(&self) -> HashSet<(&str, &str)> {
        self.extractors
            .iter()
            .flat_map(|e| {
                e.accepted_failures
                    .iter()
                    .map(move |a| (e.name.as_str(), a.as_str()))
            })
            .collect()
    }

    /// The changes that were not accepted (every `changed` or `new`
    /// article unless the policy is `always`): they fail the run.
    pub fn unaccepted(&self) -> impl Iterator<Item = (&str, &str, SnapshotState)> {
        let accepted = self.update == Update::Always;
        self.extractors.iter().flat_map(move |e| {
            e.states
                .iter()
                .filter(move |(_, s)| s.is_change() && !accepted)
                .map(move |(id, s)| (e.name.as_str(), id.as_str(), *s))
        })
    }

    /// Whether the snapshots pass: no unaccepted change, no error.
    pub fn passed(&self) -> bool {
        self.unaccepted().next().is_none() && self.errors.is_empty()
    }

    /// The diff kept for `article` of `extractor`, if any.
    pub fn diff(&self, extractor: &str, article: &str) -> Option<&SnapshotDiff> {
        self.extractors
            .iter()
            .find(|e| e.name == extractor)?
            .diffs
            .iter()
            .find(|(id, _)| id == article)
            .map(|(_, d)| d)
    }
}

/// Compares each article's rendering with its snapshot as a run goes,
/// and writes what the policy says.
#[derive(Debug)]
pub struct Checker {
    store: Store,
    settings: SnapshotSettings,
    scheme: Scheme,
    /// Per extractor name: its index in `report.extractors`, or `None`
    /// when its snapshots are off.
    enabled: HashMap<String, Option<usize>>,
    /// Every article seen per extractor (for unreferenced snapshots).
    seen: HashMap<String, HashSet<String>>,
    gold_hash: Option<(String, String)>,
    report: SnapshotReport,
}

impl Checker {
    /// A checker for a run under `scheme`.
    pub fn new(settings: SnapshotSettings, scheme: Scheme) -> Checker {
        Checker {
            store: Store::new(&settings.root),
            report: SnapshotReport::new(&settings.root, settings.update),
            settings,
            scheme,
            enabled: HashMap::new(),
            seen: HashMap::new(),
            gold_hash: None,
        }
    }

    /// Decides, for each extractor of the run in order, whether its
    /// snapshots are compared; returns the names of those that are.
    pub fn register(&mut self, extractors: &[&str]) -> Vec<String> {
        extractors
            .iter()
            .filter(|name| self.slot(name).is_some())
            .map(|name| name.to_string())
            .collect()
    }

    /// The store it reads and writes.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Whether `extractor`'s snapshots are compared: it has a folder, or
    /// the policy was asked for as `new` or `always` (and its name can be a
    /// folder name).
    pub fn is_enabled(&self, extractor: &str) -> bool {
        self.store.extractor_dir(extractor).is_ok()
            && (self.settings.start || self.store.has_extractor(extractor))
    }

    fn slot(&mut self, extractor: &str) -> Option<usize> {
        if let Some(slot) = self.enabled.get(extractor) {
            return *slot;
        }
        let slot = self.is_enabled(extractor).then(|| {
            self.report.extractors.push(ExtractorSnapshots {
                name: extractor.to_string(),
                ..Default::default()
            });
            self.report.extractors.len() - 1
        });
        self.enabled.insert(extractor.to_string(), slot);
        slot
    }

    /// Compares one article's rendering with its snapshot, writes what the
    /// policy says, and returns the article's state. `failure`: the
    /// extractor failed on the article; a deterministic failure
    /// ([`FailureKind::is_deterministic`](crate::extract::FailureKind::is_deterministic))
    /// is rendered and compared in place of the predictions, any other is
    /// not compared.
    pub fn check(
        &mut self,
        extractor: &str,
        article: &Article,
        predictions: &[Prediction],
        alignment: &Alignment,
        failure: Option<&crate::extract::Failure>,
    ) -> SnapshotState {
        let Some(slot) = self.slot(extractor) else {
            return SnapshotState::None;
        };
        let id = article.id.as_str();
        self.seen
            .entry(extractor.to_string())
            .or_default()
            .insert(id.to_string());
        let Some(body) =
            super::render_outcome(article, predictions, alignment, failure, &self.scheme)
        else {
            return SnapshotState::None;
        };
        match self.compare(slot, extractor, article, body) {
            Ok(Some(state)) => {
                if failure.is_some() && state == SnapshotState::Unchanged {
                    self.report.extractors[slot]
                        .accepted_failures
                        .push(id.to_string());
                }
                self.report.extractors[slot]
                    .states
                    .push((id.to_string(), state));
                state
            }
            Ok(None) => SnapshotState::None,
            Err(e) => {
                self.report
                    .errors
                    .push(format!("snapshot of {extractor} on {id}: {e}"));
                SnapshotState::None
            }
        }
    }

    fn compare(
        &mut self,
        slot: usize,
        extractor: &str,
        article: &Article,
        body: String,
    ) -> io::Result<Option<SnapshotState>> {
        let id = article.id.as_str();
        let hash = match &self.gold_hash {
            Some((for_id, hash)) if for_id == id => hash.clone(),
            _ => {
                let hash = gold_hash(article);
                self.gold_hash = Some((id.to_string(), hash.clone()));
                hash
            }
        };
        let new = SnapshotFile::new(extractor, id, &self.scheme, hash, body);
        let update = self.settings.update;
        let accepted_path = self.store.accepted_path(extractor, id)?;
        let old = self.store.read(extractor, id, Kind::Accepted)?;
        let mut old_note = "accepted";
        let state = match &old {
            None => SnapshotState::New,
            Some(Ok(old)) if !old.made_under(&self.scheme) && update != Update::Always => {
                *self.report.extractors[slot]
                    .other_scheme
                    .entry(old.info.scheme.clone())
                    .or_default() += 1;
                return Ok(None);
            }
            Some(Ok(old)) => {
                if old.info.gold != new.info.gold {
                    old_note = "accepted against other gold";
                }
                if old.same_body(&new) {
                    SnapshotState::Unchanged
                } else {
                    SnapshotState::Changed
                }
            }
            Some(Err(why)) => {
                if update != Update::Always {
                    self.report.errors.push(format!(
                        "{} cannot be read ({why}): accept its pending snapshot, or rewrite it with --update always",
                        accepted_path.display()
                    ));
                }
                SnapshotState::Changed
            }
        };
        let entry = &mut self.report.extractors[slot];
        let new_label = match (state, update) {
            (SnapshotState::Unchanged, Update::No) => None,
            (SnapshotState::Unchanged, _) => {
                self.store.remove_pending(extractor, id)?;
                let stale_header = matches!(&old, Some(Ok(o)) if o.info != new.info);
                if update == Update::Always && stale_header {
                    self.store.write_accepted(&new)?;
                    entry.accepted_written += 1;
                }
                None
            }
            (_, Update::Always) => {
                let path = self.store.write_accepted(&new)?;
                self.store.remove_pending(extractor, id)?;
                entry.accepted_written += 1;
                Some(format!("{} (written)", path.display()))
            }
            (_, Update::New) => {
                let path = self.store.write_pending(&new)?;
                entry.pending_written += 1;
                Some(format!("{} (pending)", path.display()))
            }
            (_, Update::No) => Some(format!("{extractor} on {id} (this run, not written)")),
        };
        if let Some(new_label) = new_label {
            let keep = self
                .settings
                .keep_diffs
                .is_none_or(|n| entry.diffs.len() < n);
            if keep {
                let old_body = match &old {
                    Some(Ok(o)) => Some(o.body.as_str()),
                    _ => None,
                };
                let old_label = match &old {
                    None => format!("{} (none accepted)", accepted_path.display()),
                    Some(_) => format!("{} ({old_note})", accepted_path.display()),
                };
                entry.diffs.push((
                    id.to_string(),
                    snapshot_diff(old_body, &new.body, &old_label, &new_label),
                ));
            }
        }
        Ok(Some(state))
    }

    /// The snapshot files of compared extractors whose article was not
    /// seen in this run, by extractor and article. Only those whose
    /// article is gone from the corpus are unreferenced: the caller checks.
    pub fn unseen(&self) -> io::Result<Vec<(String, String, Vec<PathBuf>)>> {
        let mut out: BTreeMap<(String, String), Vec<PathBuf>> = BTreeMap::new();
        for e in &self.report.extractors {
            let seen = self.seen.get(&e.name);
            for entry in self.store.entries(&e.name)? {
                if !seen.is_some_and(|s| s.contains(&entry.article)) {
                    out.entry((entry.extractor, entry.article))
                        .or_default()
                        .push(entry.path);
                }
            }
        }
        Ok(out
            .into_iter()
            .map(|((e, a), paths)| (e, a, paths))
            .collect())
    }

    /// Ends the run: records the snapshots whose article is gone
    /// (`gone_articles`, from [`Checker::unseen`]) and, when the run
    /// covered every configured extractor (`all_extractors`), the folders
    /// of extractors that are not among them; deletes them when `delete`.
    pub fn finish(
        mut self,
        gone_articles: Vec<(String, String, Vec<PathBuf>)>,
        all_extractors: Option<&[String]>,
        delete: bool,
    ) -> SnapshotReport {
        let mut unreferenced: Vec<Unreferenced> = gone_articles
            .into_iter()
            .map(|(extractor, article, paths)| Unreferenced::Article {
                extractor,
                article,
                paths,
            })
            .collect();
        if let Some(names) = all_extractors {
            match self.store.extractors() {
                Ok(folders) => {
                    for folder in folders.into_iter().filter(|f| !names.contains(f)) {
                        match self.store.entries(&folder) {
                            Ok(entries) if !entries.is_empty() => {
                                unreferenced.push(Unreferenced::Extractor {
                                    path: self.store.root().join(&folder),
                                    extractor: folder,
                                    paths: entries.into_iter().map(|e| e.path).collect(),
                                })
                            }
                            Ok(_) => {}
                            Err(e) => self.report.errors.push(e.to_string()),
                        }
                    }
                }
                Err(e) => self.report.errors.push(e.to_string()),
            }
        }
        if delete && !unreferenced.is_empty() {
            for u in &unreferenced {
                for path in u.paths() {
                    if let Err(e) = remove_if_exists(path) {
                        self.report
                            .errors
                            .push(format!("cannot delete {}: {e}", path.display()));
                    }
                    remove_empty_parents(path, self.store.root());
                }
            }
            self.report.deleted = true;
        }
        self.report.unreferenced = unreferenced;
        self.report
    }
}

/// Removes the folders above `path` that are left empty, up to (not
/// including) `root`.
fn remove_empty_parents(path: &Path, root: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(body: &str) -> SnapshotFile {
        SnapshotFile::new(
            "mine",
            "world/2011",
            &Scheme::default(),
            "sha256:00".into(),
            body.into(),
        )
    }

    #[test]
    fn files_round_trip_and_quote_like_insta() {
        let f = file("p1 · spurious\n  at  @1-2\n");
        let text = f.to_text();
        assert_eq!(
            text,
            "---\nsource: quotecheck run\nexpression: mine on world/2011\ninfo:\n  extractor: mine\n  article: world/2011\n  scheme: \"overlap:0.5\"\n  gold: \"sha256:00\"\n---\np1 · spurious\n  at  @1-2\n"
        );
        assert_eq!(SnapshotFile::parse(&text).unwrap(), f);
        assert_eq!(yaml_str("2011"), "\"2011\"");
        assert_eq!(yaml_str("-x"), "\"-x\"");
        assert_eq!(yaml_str("a/b-c"), "a/b-c");
    }

    #[test]
    fn an_empty_rendering_round_trips() {
        let f = file("");
        assert_eq!(SnapshotFile::parse(&f.to_text()).unwrap(), f);
    }

    #[test]
    fn bodies_compare_as_insta_compares_them() {
        assert!(file("a\n").same_body(&file("a\n\n")));
        assert!(file("a\r\nb\n").same_body(&file("a\nb")));
        assert!(!file("a\n").same_body(&file("b\n")));
    }

    #[test]
    fn damaged_files_are_errors() {
        assert!(SnapshotFile::parse("no header").is_err());
        assert!(SnapshotFile::parse("---\nsource: x\n").is_err());
        assert!(SnapshotFile::parse("---\nsource: x\n---\nbody\n").is_err());
    }

    #[test]
    fn paths_follow_ids_and_refuse_unsafe_names() {
        let s = Store::new("snaps");
        assert_eq!(
            s.pending_path("mine", "world/a.b").unwrap(),
            Path::new("snaps/mine/world/a.b.snap.new")
        );
        assert!(s.accepted_path("../x", "a").is_err());
        assert!(s.accepted_path("mine", "../a").is_err());
    }

    #[test]
    fn update_modes_resolve_like_insta() {
        assert_eq!(UpdateMode::Auto.resolve(false), Update::New);
        assert_eq!(UpdateMode::Auto.resolve(true), Update::No);
        assert_eq!(UpdateMode::Always.resolve(true), Update::Always);
        assert_eq!(UpdateMode::New.resolve(true), Update::New);
        assert!("sometimes".parse::<UpdateMode>().is_err());
    }

    /// Only a failure the extractor decided is rendered into a snapshot; a
    /// time-out, a crash or an unavailable extractor is never written, so
    /// it can never be accepted.
    #[test]
    fn only_deterministic_failures_are_snapshotted() {
        let root = tempfile::tempdir().unwrap();
        let mut checker = Checker::new(
            SnapshotSettings {
                root: root.path().to_path_buf(),
                update: Update::New,
                start: true,
                keep_diffs: None,
            },
            Scheme::default(),
        );
        let article = |id: &str| crate::corpus::Article {
            id: crate::corpus::ArticleId::new(id).unwrap(),
            text: "Nothing was said.".into(),
            gold: None,
        };
        let none = crate::align::Alignment::default();
        let mut states = Vec::new();
        use crate::extract::FailureKind;
        for kind in [
            FailureKind::Error,
            FailureKind::InvalidOutput,
            FailureKind::Missing,
            FailureKind::Timeout,
            FailureKind::Crashed,
            FailureKind::OutputTooLarge,
            FailureKind::Unavailable,
        ] {
            let failure = crate::extract::Failure::new(kind, "why");
            let state = checker.check("x", &article(kind.as_str()), &[], &none, Some(&failure));
            states.push((kind.as_str(), state, kind.is_deterministic()));
        }
        for (kind, state, deterministic) in states {
            let pending = root.path().join("x").join(format!("{kind}.snap.new"));
            if deterministic {
                assert_eq!(state, SnapshotState::New, "{kind}");
                assert_eq!(
                    SnapshotFile::parse(&std::fs::read_to_string(&pending).unwrap())
                        .unwrap()
                        .body,
                    format!("failed · {kind}\n  why\n")
                );
            } else {
                assert_eq!(state, SnapshotState::None, "{kind}");
                assert!(!pending.exists(), "{kind}");
            }
        }
    }
}
