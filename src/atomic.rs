//! Writing files atomically: every file quotecheck writes (gold, snapshots,
//! reports, cache entries) goes through here.
//!
//! The contents go to a temporary file in the target's folder, are flushed
//! to disk, get the permissions of the file they replace (or the usual
//! `rw-r--r--` for a new one, instead of a temporary file's private mode),
//! and are renamed into place: the file at the path is always either the
//! old one or the new one, whatever happens to the process in between.
//!
//! [`Batch`] writes many files the same way but waits on the disk once for
//! all of them instead of twice a file (an import of a thousand articles).
//!
//! Temporary files are named `.tmp-<pid>-<random>`, so that one left by a
//! killed writer is told from one being written: the first write into a
//! folder removes the [`leftovers`] of writers no longer running.

use std::collections::HashSet;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How every temporary file's name starts.
const TMP_PREFIX: &str = ".tmp-";

/// Writes what `write` produces to `path`, atomically.
pub fn write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = folder_of(path);
    fs::create_dir_all(dir)?;
    clean_once(dir);
    let tmp = temp_in(dir)?;
    {
        let mut out = BufWriter::new(tmp.as_file());
        write(&mut out)?;
        out.flush()?;
    }
    let permissions = match fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => default_permissions(tmp.as_file())?,
    };
    tmp.as_file().set_permissions(permissions)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    #[cfg(unix)]
    {
        // Flush the rename itself where the platform allows it.
        let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Writes `bytes` to `path`, atomically.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |out| out.write_all(bytes))
}

/// The folder `path` is written into.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A new temporary file in `dir`, named after this process.
fn temp_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&format!("{TMP_PREFIX}{}-", std::process::id()))
        .tempfile_in(dir)
}

/// The temporary files in `dir` that writers no longer running left
/// behind (killed between creating and renaming them), in name order.
/// A folder that cannot be listed has none.
pub fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| is_leftover(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// The [`leftovers`] of every folder below `root` (`root` included), not
/// following symbolic links, in path order.
pub fn leftovers_below(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        found.extend(leftovers(&dir));
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(e.path());
            }
        }
    }
    found.sort();
    found
}

/// Whether a file named `name` is a temporary file of a writer that no
/// longer runs.
pub fn is_leftover(name: &str) -> bool {
    name.strip_prefix(TMP_PREFIX).is_some_and(|rest| {
        // `<pid>-<random>`; an older name without a pid is a leftover
        // too: no writer of this version made it.
        let pid = rest
            .split_once('-')
            .and_then(|(p, _)| p.parse::<u32>().ok());
        pid.is_none_or(|pid| !is_running(pid))
    })
}

/// Removes the [`leftovers`] in `dir`; the number removed.
pub fn remove_leftovers(dir: &Path) -> usize {
    leftovers(dir)
        .into_iter()
        .filter(|p| fs::remove_file(p).is_ok())
        .count()
}

/// Removes the leftovers of `dir` the first time this process writes
/// into it: one listing a folder, however many files are written there.
fn clean_once(dir: &Path) {
    static CLEANED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let first = CLEANED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get_or_insert_with(HashSet::new)
        .insert(key);
    if first {
        remove_leftovers(dir);
    }
}

#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // Signal 0 only checks: EPERM means it runs under another user.
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

#[cfg(not(unix))]
fn is_running(_pid: u32) -> bool {
    // No cheap check here: assume the writer runs, rather than remove a
    // file another process is still writing.
    true
}

/// Many files written atomically, durable together: each is written to a
/// temporary file beside its target ([`Batch::stage`]); [`Batch::commit`]
/// flushes them all to disk, renames them into place in the order staged,
/// and flushes the renames. Until `commit` nothing at a target changes;
/// dropped without it, the temporary files are removed.
///
/// Two waits on the disk for the whole batch instead of two a file: what
/// makes an import of a thousand articles take a second, not fifteen.
#[derive(Default)]
pub struct Batch {
    staged: Vec<(tempfile::TempPath, PathBuf)>,
    dirs: Vec<PathBuf>,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Writes `bytes` to a temporary file beside `path` (creating its
    /// folder), to be renamed onto `path` by [`Batch::commit`].
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let dir = folder_of(path);
        if !self.dirs.iter().any(|d| d == dir) {
            fs::create_dir_all(dir)?;
            clean_once(dir);
            self.dirs.push(dir.to_path_buf());
        }
        let tmp = temp_in(dir)?;
        tmp.as_file().write_all(bytes)?;
        let permissions = match fs::metadata(path) {
            Ok(existing) => existing.permissions(),
            Err(_) => default_permissions(tmp.as_file())?,
        };
        tmp.as_file().set_permissions(permissions)?;
        // Closed now, so a large batch never runs out of file handles.
        self.staged.push((tmp.into_temp_path(), path.to_path_buf()));
        Ok(())
    }

    /// Makes every staged file durable, then renames each onto its target
    /// in the order staged, then makes the renames durable. On an error
    /// the files renamed so far stay renamed and the others are removed.
    pub fn commit(self) -> io::Result<()> {
        self.commit_first(usize::MAX)
    }

    /// [`Batch::commit`] that stops after renaming `n` files, as if the
    /// process were killed there: the others' temporary files are removed.
    /// What tests of an interrupted batch use.
    pub(crate) fn commit_first(self, n: usize) -> io::Result<()> {
        sync_files(&self.staged, &self.dirs)?;
        for (tmp, path) in self.staged.into_iter().take(n) {
            tmp.persist(&path).map_err(|e| e.error)?;
        }
        #[cfg(unix)]
        for dir in &self.dirs {
            // Flush the renames themselves where the platform allows it.
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}

/// Flushes the staged files to disk: on Linux one `syncfs` per file
/// system written to (one wait, however many files), elsewhere each file.
#[cfg(target_os = "linux")]
fn sync_files(_: &[(tempfile::TempPath, PathBuf)], dirs: &[PathBuf]) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mut devices = HashSet::new();
    for dir in dirs {
        let d = fs::File::open(dir)?;
        if devices.insert(d.metadata()?.dev()) {
            rustix::fs::syncfs(&d)?;
        }
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_files(staged: &[(tempfile::TempPath, PathBuf)], _: &[PathBuf]) -> io::Result<()> {
    for (tmp, _) in staged {
        fs::File::open(tmp)?.sync_all()?;
    }
    Ok(())
}

#[cfg(unix)]
fn default_permissions(_: &fs::File) -> io::Result<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(file: &fs::File) -> io::Result<fs::Permissions> {
    Ok(file.metadata()?.permissions())
}

#[cfg(test)]
mod tests {
    #[test]
    fn new_files_are_readable_and_replaced_files_keep_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        super::write(&path, b"one").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o644
            );
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            super::write(&path, b"two").unwrap();
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn a_batch_changes_nothing_until_committed_and_then_everything() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("sub/b.txt"));
        std::fs::write(&a, "old").unwrap();
        let names = || {
            let mut n: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            n.sort();
            n
        };
        let mut batch = super::Batch::new();
        batch.stage(&a, b"new").unwrap();
        batch.stage(&b, b"two").unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        assert!(!b.exists());
        // Dropped uncommitted: only the temporary files go.
        drop(batch);
        assert_eq!(names(), ["a.txt", "sub"]);

        let mut batch = super::Batch::new();
        batch.stage(&a, b"new").unwrap();
        batch.stage(&b, b"two").unwrap();
        batch.commit().unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"new");
        assert_eq!(std::fs::read(&b).unwrap(), b"two");
        assert_eq!(names(), ["a.txt", "sub"]);
    }

    #[cfg(unix)]
    #[test]
    fn only_temporary_files_of_dead_writers_are_leftovers() {
        assert!(!super::is_leftover(&format!(
            ".tmp-{}-x1",
            std::process::id()
        )));
        // pid 1 runs on any Unix; i32::MAX - 1 is beyond any pid limit.
        assert!(!super::is_leftover(".tmp-1-x1"));
        assert!(super::is_leftover(&format!(".tmp-{}-x1", i32::MAX - 1)));
        assert!(super::is_leftover(".tmp-abcdef"));
        assert!(!super::is_leftover("a.tmp-1-x"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".tmp-2147483646-x"), "").unwrap();
        std::fs::write(dir.path().join("keep.json"), "").unwrap();
        assert_eq!(super::remove_leftovers(dir.path()), 1);
        assert!(dir.path().join("keep.json").exists());
    }
}
