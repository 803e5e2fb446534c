//! How a corpus is streamed: each article is read from disk in order
//! ([`Reader`]), parsed anywhere ([`Unparsed::parse`]), then checked in
//! order against the articles before it ([`Reader::check`]).
//!
//! The three steps let the costly middle one run on other threads while
//! the result stays the same as reading one article at a time. Only the
//! corpus's own iterators use them.

use std::path::Path;

use super::folder::{self, FolderEntry};
use super::jsonl::{self, Lines};
use super::parquet::{self, CorpusRows};
use super::Item;
use crate::corpus::id::hash_id;
use crate::corpus::issue::Issue;
use crate::corpus::records::{Diagnostics, Place};
use crate::spill::SpillMap;

/// Reads the articles of a corpus from disk, in corpus order, and checks
/// their ids once parsed.
pub(super) struct Reader<'c> {
    display: &'c str,
    source: Source<'c>,
    /// Hash of the lower-cased id → (hash of the id, line) of every article
    /// of a JSON-lines or Parquet corpus seen so far, past the newest few
    /// on disk (about 2 bytes an article in memory). A false collision of
    /// two 64-bit hashes is negligible (p ≈ 3·10⁻⁸ at a million articles).
    seen: SpillMap,
}

enum Source<'c> {
    /// A folder was listed (and its ids checked) when it was opened.
    Folder(std::slice::Iter<'c, FolderEntry>),
    Lines(Box<Lines>),
    Rows(Box<CorpusRows>),
}

/// One article read from disk and not yet parsed.
pub(super) enum Unparsed<'c> {
    /// The entry of a folder, whose files [`Unparsed::parse`] reads.
    Entry(&'c FolderEntry),
    /// A JSON line.
    Line {
        display: &'c str,
        line: usize,
        bytes: Vec<u8>,
    },
    /// A row of a Parquet file, in its record batch.
    Row {
        display: &'c str,
        row: usize,
        data: parquet::RowRef,
    },
    /// The corpus could not be read further.
    Ready(Item),
}

/// A parsed article, to be given to [`Reader::check`].
#[derive(Debug)]
pub(super) enum Parsed {
    /// Nothing more to check: the item, or nothing for a blank line
    /// (boxed: an item is large, and most lines pass through `Pending`).
    Final(Option<Box<Item>>),
    /// A JSON line with a safe id, which may repeat an earlier one.
    Pending(Box<PendingLine>),
}

/// A JSON line whose id is still to be checked against the lines before it.
#[derive(Debug)]
pub(super) struct PendingLine {
    pub line: usize,
    /// The id as written.
    pub raw: String,
    /// What the line is if its id is new.
    pub item: Item,
    /// If its id is taken: the issues found before the id check, and the
    /// place of the id issue among them.
    pub id_label: String,
    pub issues_if_taken: Vec<Issue>,
    pub insert_at: usize,
}

impl Unparsed<'_> {
    /// Parses and resolves the article, reading its files for a folder.
    /// Runs on any thread: it depends on nothing but the article.
    pub fn parse(self) -> Parsed {
        match self {
            Unparsed::Entry(entry) => Parsed::Final(Some(Box::new(folder::load(entry)))),
            Unparsed::Line {
                display,
                line,
                bytes,
            } => jsonl::parse_line(display, line, bytes),
            Unparsed::Row { display, row, data } => parquet::parse_row(display, row, data),
            Unparsed::Ready(item) => Parsed::Final(Some(Box::new(item))),
        }
    }

    /// The bytes read of it so far: a JSON line's; a folder's files are
    /// read when it is parsed, and a row's batch is bounded on its own.
    pub fn bytes_read(&self) -> usize {
        match self {
            Unparsed::Line { bytes, .. } => bytes.len(),
            _ => 0,
        }
    }
}

impl<'c> Reader<'c> {
    /// The entries of a folder corpus, listed when it was opened.
    pub fn folder(display: &'c str, entries: &'c [FolderEntry]) -> Reader<'c> {
        Reader {
            display,
            source: Source::Folder(entries.iter()),
            seen: SpillMap::default(),
        }
    }

    /// The lines of the JSON-lines corpus at `path`.
    pub fn lines(display: &'c str, path: &Path) -> Reader<'c> {
        Reader {
            display,
            source: Source::Lines(Box::new(Lines::open(path, display))),
            seen: SpillMap::default(),
        }
    }

    /// The rows of the Parquet corpus at `path`.
    pub fn rows(display: &'c str, path: &Path) -> Reader<'c> {
        Reader {
            display,
            source: Source::Rows(Box::new(CorpusRows::open(path, display))),
            seen: SpillMap::default(),
        }
    }

    /// The item of a parsed article, given in corpus order: an article
    /// whose id repeats an earlier one (or differs from it only in letter
    /// case) is broken. `None` for a blank line.
    pub fn check(&mut self, parsed: Parsed) -> Option<Item> {
        let p = match parsed {
            Parsed::Final(item) => return item.map(|i| *i),
            Parsed::Pending(p) => p,
        };
        let PendingLine {
            line,
            raw,
            item,
            id_label,
            mut issues_if_taken,
            insert_at,
        } = *p;
        let lower = hash_id(&raw.to_lowercase());
        // A Parquet file has rows where a JSON-lines file has lines.
        let unit = match self.source {
            Source::Rows(_) => "row",
            _ => "line",
        };
        let mut diag = Diagnostics::new(Place {
            file: self.display,
            line: Some(line),
            article: &id_label,
        });
        match self.seen.get(lower) {
            Ok(None) => {
                self.seen.insert(lower, [hash_id(&raw), line as u64, 0]);
                return Some(item);
            }
            Ok(Some([other, other_line, _])) if other == hash_id(&raw) => {
                diag.error("duplicate-article", "id", None, format!("article id {raw:?} already appeared on {unit} {other_line}; this {unit} is skipped"))
                    .hint = Some(format!("remove one of the two {unit}s, or give one another id"));
            }
            Ok(Some([_, other_line, _])) => {
                diag.error("case-collision", "id", None, format!("id {raw:?} differs only in letter case from the id on {unit} {other_line}; this {unit} is skipped"))
                    .hint = Some("they would collide on case-insensitive file systems: rename one".into());
            }
            Err(e) => {
                diag.error("unreadable", "id", None, format!("the ids of the {unit}s before cannot be read back from their temporary file ({e}), so whether this one repeats one is unknown; this {unit} is skipped"))
                    .hint = Some("check the space and health of the temporary folder (TMPDIR)".into());
            }
        }
        let issue = diag.issues.pop().expect("just pushed");
        issues_if_taken.insert(insert_at, issue);
        Some(Item::Broken {
            id: id_label,
            issues: issues_if_taken,
        })
    }
}

impl<'c> Iterator for Reader<'c> {
    type Item = Unparsed<'c>;

    fn next(&mut self) -> Option<Unparsed<'c>> {
        match &mut self.source {
            Source::Folder(entries) => entries.next().map(Unparsed::Entry),
            Source::Lines(lines) => lines.next(self.display),
            Source::Rows(rows) => rows.next(self.display),
        }
    }
}
