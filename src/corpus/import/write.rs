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
        self.stage(out)?.commit().map_err(|source| WriteError::Io {
            path: out.to_path_buf(),
            source,
        })?;
        Ok(targets.len())
    }

    /// Every file of the import, staged in the order they are renamed:
    /// each article's gold, then its text.
    fn stage(&self, out: &Path) -> Result<Batch, WriteError> {
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
        Ok(batch)
    }
}

/// Reads a source file of an import: a regular file of at most the
/// article limit (`--max-article-bytes`), or why not as an issue.
pub(super) fn read_source(
    path: &Path,
    display: &str,
    id: &str,
) -> Result<Vec<u8>, Box<crate::corpus::Issue>> {
    use crate::corpus::limits::{read_file, show_limit, ReadLimits, ReadRefusal};
    use crate::corpus::{Issue, Severity};
    let limit = ReadLimits::current().max_article_bytes;
    read_file(path, limit).map_err(|refusal| {
        let issue = match refusal {
            ReadRefusal::TooLarge(size) => Issue::new(
                Severity::Error,
                "too-large",
                display,
                format!(
                    "the file is {size} bytes, more than the limit of {} for one article; it is not imported",
                    show_limit(limit)
                ),
            )
            .hint("raise the limit with --max-article-bytes if the article is real"),
            ReadRefusal::NotAFile(kind) => Issue::new(
                Severity::Error,
                "not-a-file",
                display,
                format!("it is {kind}, not a regular file, so it is not read"),
            ),
            ReadRefusal::Io(e) => Issue::new(
                Severity::Error,
                "unreadable",
                display,
                format!("cannot read the file: {e}"),
            ),
        };
        Box::new(issue.article(id))
    })
}

#[cfg(test)]
mod tests {
    use crate::corpus::import::{import, Format};
    use crate::corpus::validate;

    /// The failure between an article's two renames: its new gold is in
    /// place, its text still the old one. `validate` refuses the pair.
    #[test]
    fn an_import_stopped_between_gold_and_text_is_flagged() {
        let src = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let ann = "T1\tContent 14 37\tthe bridge would reopen\nT2\tSource 0 8\tAna Ruiz\nT3\tAttribution 9 13\tsaid\nE1\tAttribution:T3 Source:T2 Content:T1\n";
        let write_source = |text: &str| {
            std::fs::write(src.path().join("a.txt"), text).unwrap();
            std::fs::write(src.path().join("a.ann"), ann).unwrap();
        };
        write_source("Ana Ruiz said the bridge would reopen.\n");
        let old = import(src.path(), Format::Brat).unwrap();
        old.write(out.path(), false).unwrap();
        assert!(validate(out.path()).unwrap().is_valid());

        write_source("Ana Ruiz said the bridge would reopen, again.\n");
        let new = import(src.path(), Format::Brat).unwrap();
        new.stage(out.path()).unwrap().commit_first(1).unwrap();
        let v = validate(out.path()).unwrap();
        let codes: Vec<&str> = v.issues.iter().map(|i| i.code).collect();
        assert_eq!(codes, ["text-hash-mismatch"], "{:?}", v.issues);
        // Nothing of the stopped batch is left behind.
        let names = std::fs::read_dir(out.path()).unwrap().count();
        assert_eq!(names, 2);
    }
}
