//! Writing an import as a corpus folder: the targets, the refusal to
//! overwrite, and the writes themselves.
//!
//! An article is replaced as a unit. Every file goes to a temporary file
//! first; once all are on disk they are renamed into place, each article's
//! gold before its text. The gold records the hash of the text it was
//! written for (`text_sha256`, corpus.md), so whatever interrupts the
//! renames, each article is its old pair, its new pair, or a new gold
//! beside an old (or missing) text, which `validate` flags.

use std::path::{Path, PathBuf};

use super::{gold_json, Import, WriteError};
use crate::atomic::Batch;
use crate::corpus::write;

impl Import {
    /// The files [`Import::write`] writes under `out`: `<id>.txt` and
    /// `<id>.json` for each article.
    pub fn targets(&self, out: &Path) -> Vec<PathBuf> {
        self.articles
            .iter()
            .flat_map(|a| {
                [
                    write::target(out, &a.id, "txt"),
                    write::target(out, &a.id, "json"),
                ]
            })
            .collect()
    }

    /// Writes every article as `<id>.txt` and `<id>.json` under `out`.
    ///
    /// Without `force`, nothing is written when any target exists
    /// ([`WriteError::WouldOverwrite`] lists them all). Each file is written
    /// to a temporary file, all are flushed to disk together, then renamed
    /// into place (see the module doc for the order).
    pub fn write(&self, out: &Path, force: bool) -> Result<usize, WriteError> {
        let targets = self.targets(out);
        write::refuse_overwrite(&targets, force)?;
        let mut batch = Batch::new();
        for a in &self.articles {
            let json = gold_json(&a.id, &a.doc.text, &a.doc.gold);
            for (ext, bytes) in [("json", json.as_bytes()), ("txt", a.doc.text.as_bytes())] {
                let path = write::target(out, &a.id, ext);
                batch.stage(&path, bytes).map_err(|source| WriteError::Io {
                    path: path.clone(),
                    source,
                })?;
            }
        }
        batch.commit().map_err(|source| WriteError::Io {
            path: out.to_path_buf(),
            source,
        })?;
        Ok(targets.len())
    }
}
