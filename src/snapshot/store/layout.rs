//! The snapshot folder: where each extractor's accepted and pending
//! snapshots live (`<root>/<extractor>/<article-id>.snap` and `.snap.new`),
//! and reading, writing, accepting, rejecting and listing them.
//!
//! Owns paths and file operations. Names become paths only through
//! [`check_name`] and [`ArticleId`]. It knows the file format only through
//! [`SnapshotFile`], and nothing of runs or renderings.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::file::{DamagedSnapshot, SnapshotFile};
use super::lock::{Lock, LOCK_FILE};
use crate::corpus::ArticleId;
use crate::extract::check_name;

/// The snapshot root used when none is given: `snapshots/` in the working folder.
pub const DEFAULT_ROOT: &str = "snapshots";

/// The extension of an accepted snapshot.
pub const SNAP: &str = ".snap";

/// The extension of a pending snapshot.
pub const SNAP_NEW: &str = ".snap.new";

/// Whether a snapshot file is accepted or pending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SnapshotKind {
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
    pub kind: SnapshotKind,
    /// The file.
    pub path: PathBuf,
}

/// Why a pending snapshot could not be accepted; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// There is no pending snapshot.
    #[error("no pending snapshot {}", path.display())]
    NoPending {
        /// Where it would be.
        path: PathBuf,
    },
    /// The pending snapshot cannot be read.
    #[error("{} cannot be read: {why}", path.display())]
    Damaged {
        /// The pending snapshot.
        path: PathBuf,
        /// Why.
        why: DamagedSnapshot,
    },
    /// Reading or writing failed (or a name cannot become a path).
    #[error(transparent)]
    Io(#[from] io::Error),
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
        check_name(extractor).map_err(|e| unsafe_name(e.to_string()))?;
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
        kind: SnapshotKind,
    ) -> io::Result<Option<Result<SnapshotFile, DamagedSnapshot>>> {
        let path = match kind {
            SnapshotKind::Accepted => self.accepted_path(extractor, article)?,
            SnapshotKind::Pending => self.pending_path(extractor, article)?,
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
    /// (atomically, without insta's `assertion_line` and quotecheck's grade,
    /// which only pending files carry), then removes it. Fails when there is no pending
    /// snapshot or it cannot be read, leaving everything as it was.
    pub fn accept(&self, extractor: &str, article: &str) -> Result<PathBuf, AcceptError> {
        let pending = self.pending_path(extractor, article)?;
        let mut file = match read_file(&pending)? {
            Some(Ok(file)) => file,
            Some(Err(why)) => return Err(AcceptError::Damaged { path: pending, why }),
            None => return Err(AcceptError::NoPending { path: pending }),
        };
        let accepted = self.accepted_path(extractor, article)?;
        // The grade compares with the snapshot this one replaces.
        file.grading = None;
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
                    (stem, SnapshotKind::Pending)
                } else if let Some(stem) = name.strip_suffix(SNAP) {
                    (stem, SnapshotKind::Accepted)
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
                        .filter(|e| e.kind == SnapshotKind::Pending),
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
fn read_file(path: &Path) -> io::Result<Option<Result<SnapshotFile, DamagedSnapshot>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(SnapshotFile::from_bytes(bytes))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Reads one snapshot file by path, for review.
pub fn read_snapshot(path: &Path) -> io::Result<Option<Result<SnapshotFile, DamagedSnapshot>>> {
    read_file(path)
}

pub(super) fn remove_if_exists(path: &Path) -> io::Result<bool> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
