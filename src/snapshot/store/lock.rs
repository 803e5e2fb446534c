//! The lock of a snapshot folder, so that concurrent commands that write
//! to one folder wait for each other.
//!
//! Owns the lock file and its protocol; knows nothing of what the folder
//! holds.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// The name of the lock file in the root.
pub const LOCK_FILE: &str = ".lock";

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
    pub(super) fn acquire(path: &Path, waiting: &mut dyn FnMut(&Path)) -> io::Result<Lock> {
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
    pub(super) fn acquire(path: &Path, waiting: &mut dyn FnMut(&Path)) -> io::Result<Lock> {
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
