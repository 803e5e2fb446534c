//! The output cache: an extractor's answers kept on disk, so a rerun after
//! editing gold or changing the scheme does not run the extractor again.
//!
//! Entries are keyed by the extractor's fingerprint (everything that can
//! change its output: for a worker its command, arguments, the content of
//! its script and of its `cache_inputs`, environment, folder, name and
//! version; for an in-process extractor its name, version and the crate
//! version) and a hash of the article text. A changed extractor has
//! another fingerprint, so it is never served stale output. Only clean
//! answers are kept: failures and outputs with problems are always
//! recomputed. Writes are atomic (a temporary file renamed into place); an
//! entry that cannot be read is a miss.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::corpus::Prediction;

/// The folder under the working folder where quotecheck keeps its state.
pub const STATE_DIR: &str = ".quotecheck";

/// A cache folder.
#[derive(Clone, Debug)]
pub struct Cache {
    root: PathBuf,
    read_only: bool,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    fingerprint: String,
    quotes: Vec<Prediction>,
}

impl Cache {
    /// The cache in `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Cache {
        Cache {
            root: root.into(),
            read_only: false,
        }
    }

    /// The default cache: `.quotecheck/cache` in the working folder.
    pub fn default_location() -> Cache {
        Cache::new(Path::new(STATE_DIR).join("cache"))
    }

    /// The same cache, used without writing to it (for commands that
    /// promise to write nothing, such as `quotecheck diff`).
    pub fn read_only(mut self) -> Cache {
        self.read_only = true;
        self
    }

    /// Where the cache lives.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, fingerprint: &str, text: &str) -> PathBuf {
        let mut h = Sha256::new();
        h.update(fingerprint.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        let hex: String = h
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
        self.root.join(&hex[..2]).join(format!("{hex}.json"))
    }

    /// The cached output of the extractor `fingerprint` on `text`, if any.
    pub fn get(&self, fingerprint: &str, text: &str) -> Option<Vec<Prediction>> {
        let bytes = std::fs::read(self.path(fingerprint, text)).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        // The key is a hash: the stored fingerprint rules out a collision.
        (entry.fingerprint == fingerprint).then_some(entry.quotes)
    }

    /// Stores an output. Failing to write only costs a later miss, so
    /// errors are returned for the caller to report or ignore.
    pub fn put(&self, fingerprint: &str, text: &str, quotes: &[Prediction]) -> std::io::Result<()> {
        if self.read_only {
            return Ok(());
        }
        let path = self.path(fingerprint, text);
        let dir = path.parent().expect("entries live in a sub-folder");
        std::fs::create_dir_all(dir)?;
        let entry = Entry {
            fingerprint: fingerprint.to_string(),
            quotes: quotes.to_vec(),
        };
        let bytes = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
        crate::atomic::write(&path, &bytes)
    }

    /// Removes every entry; returns how many files were removed.
    pub fn clear(&self) -> std::io::Result<usize> {
        let mut removed = 0;
        if !self.root.exists() {
            return Ok(0);
        }
        for dir in std::fs::read_dir(&self.root)? {
            let dir = dir?.path();
            if dir.is_dir() {
                removed += std::fs::read_dir(&dir)?.count();
                std::fs::remove_dir_all(&dir)?;
            }
        }
        Ok(removed)
    }
}
