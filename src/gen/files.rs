//! Where a generated corpus or replay goes: one JSON-lines file, or a
//! folder of `<id>.txt` and `<id>.json` files.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::GenError;
use crate::corpus::{write, ArticleId};

/// A JSON-lines file or a folder being written.
pub(super) enum Output {
    Lines(BufWriter<File>, PathBuf),
    Folder(PathBuf),
}

impl Output {
    /// Creates the file (a path ending in `.jsonl`) or the folder, and the
    /// folders above it.
    pub fn create(path: &Path) -> Result<Output, GenError> {
        let create = |source| GenError::Create {
            path: path.to_path_buf(),
            source,
        };
        if path.extension().is_some_and(|e| e == "jsonl") {
            if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(dir).map_err(|source| GenError::Create {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            let f = File::create(path).map_err(create)?;
            Ok(Output::Lines(
                BufWriter::with_capacity(1 << 20, f),
                path.to_path_buf(),
            ))
        } else {
            fs::create_dir_all(path).map_err(create)?;
            Ok(Output::Folder(path.to_path_buf()))
        }
    }

    pub fn is_jsonl(&self) -> bool {
        matches!(self, Output::Lines(..))
    }

    /// Writes one article: a JSON line, or `<id>.json` (and `<id>.txt`
    /// when `text` is given) in the folder.
    pub fn write(
        &mut self,
        id: &ArticleId,
        text: Option<&str>,
        json: &str,
    ) -> Result<(), GenError> {
        let failed = |path: &Path| {
            let path = path.to_path_buf();
            move |source| GenError::Write { path, source }
        };
        match self {
            Output::Lines(out, path) => out
                .write_all(json.as_bytes())
                .and_then(|()| out.write_all(b"\n"))
                .map_err(failed(path)),
            Output::Folder(dir) => {
                if let Some(text) = text {
                    let txt = write::target(dir, id, "txt");
                    fs::write(&txt, text).map_err(failed(&txt))?;
                }
                let file = write::target(dir, id, "json");
                fs::write(&file, json).map_err(failed(&file))
            }
        }
    }

    /// Flushes a JSON-lines file.
    pub fn finish(self) -> Result<(), GenError> {
        match self {
            Output::Lines(mut out, path) => out
                .flush()
                .map_err(|source| GenError::Write { path, source }),
            Output::Folder(_) => Ok(()),
        }
    }
}
