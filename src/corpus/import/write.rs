//! Writing an import as a corpus folder: the targets, the refusal to
//! overwrite, and the writes themselves.

use std::path::{Path, PathBuf};

use super::{gold_json, Import, WriteError};
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
    /// to a temporary file and renamed into place.
    pub fn write(&self, out: &Path, force: bool) -> Result<usize, WriteError> {
        let targets = self.targets(out);
        write::refuse_overwrite(&targets, force)?;
        for a in &self.articles {
            write::atomically(&write::target(out, &a.id, "txt"), a.doc.text.as_bytes())?;
            let json = gold_json(&a.id, &a.doc.text, &a.doc.gold);
            write::atomically(&write::target(out, &a.id, "json"), json.as_bytes())?;
        }
        Ok(targets.len())
    }
}
