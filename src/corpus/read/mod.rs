//! Reading corpora: a folder of `.txt`/`.json` pairs, a JSON-lines file,
//! or a Parquet file (read with the rules of the JSON lines its rows would
//! be).
//!
//! Both are read lazily, one article at a time, so memory stays flat however
//! large the corpus is: a folder is listed up front (names only), a
//! JSON-lines file is streamed line by line (through a gzip decoder for
//! `.jsonl.gz`). The only state kept across articles is the set of ids seen,
//! needed to detect duplicates and case collisions.
//!
//! [`Corpus::items`] gives the articles one by one; [`Corpus::batches`]
//! gives them in batches parsed on a thread pool, in the same order. How an
//! article is read, parsed and then checked against the ones before it
//! ([`stream`]) stays inside this module; [`folder`] and [`jsonl`] hold
//! each layout's rules, [`parse`] what they share.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::id::ArticleId;
use super::issue::Issue;
use super::model::Article;

#[cfg(test)]
mod fast_tests;
mod folder;
mod jsonl;
pub mod limits;
pub(crate) mod parquet;
mod parse;
mod stream;

use folder::FolderEntry;
use stream::{Reader, Unparsed};

/// A corpus that cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The path does not exist or cannot be opened.
    #[error("cannot read corpus `{path}`")]
    Io {
        /// The corpus path as given.
        path: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The path is a file but not a JSON-lines corpus.
    #[error(
        "`{path}` is not a corpus: give a folder of .txt/.json files, a .jsonl / .jsonl.gz file or a .parquet file"
    )]
    NotACorpus {
        /// The corpus path as given.
        path: String,
    },
    /// The path names a JSON-lines file but is a FIFO, a device or a socket.
    #[error("`{path}` is {kind}, not a regular file: quotecheck does not read it")]
    NotAFile {
        /// The corpus path as given.
        path: String,
        /// What it is.
        kind: &'static str,
    },
}

/// One thing read from a corpus.
#[derive(Debug)]
pub enum Item {
    /// An article that loaded, with its warnings and notes (never errors).
    Article {
        /// The article.
        article: Article,
        /// Its warnings and notes, such as "unannotated".
        issues: Vec<Issue>,
    },
    /// An article that could not be loaded; `issues` holds at least one error.
    Broken {
        /// The id as found (it may be unsafe: never use it as a path).
        id: String,
        /// Why it could not be loaded.
        issues: Vec<Issue>,
    },
}

impl Item {
    /// The issues of this item.
    pub fn issues(&self) -> &[Issue] {
        match self {
            Item::Article { issues, .. } | Item::Broken { issues, .. } => issues,
        }
    }
}

/// An opened corpus.
#[derive(Debug)]
pub struct Corpus {
    display: String,
    layout: Layout,
    /// What listing a folder found that belongs to no article.
    listing: Vec<Issue>,
}

#[derive(Debug)]
enum Layout {
    Folder(Vec<FolderEntry>),
    Jsonl(PathBuf),
    Parquet(PathBuf),
}

impl Corpus {
    /// Opens the folder or JSON-lines file at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Corpus, CorpusError> {
        let path = path.as_ref();
        let display = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|source| CorpusError::Io {
            path: display.clone(),
            source,
        })?;
        let mut listing = Vec::new();
        let layout = if meta.is_dir() {
            let (entries, issues) = folder::list(path, &display)?;
            listing = issues;
            Layout::Folder(entries)
        } else if (jsonl::is_jsonl(path) || parquet::is_parquet(path)) && !meta.is_file() {
            return Err(CorpusError::NotAFile {
                path: display,
                kind: limits::kind_of(meta.file_type()),
            });
        } else if jsonl::is_jsonl(path) {
            Layout::Jsonl(path.to_path_buf())
        } else if parquet::is_parquet(path) {
            Layout::Parquet(path.to_path_buf())
        } else {
            return Err(CorpusError::NotACorpus { path: display });
        };
        Ok(Corpus {
            display,
            layout,
            listing,
        })
    }

    /// What listing the folder found that belongs to no article: links
    /// not followed, temporary files left by an interrupted write.
    pub fn listing_issues(&self) -> &[Issue] {
        &self.listing
    }

    /// The corpus path as given.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Where the gold file of article `id` is or would be, for a folder
    /// corpus (`None` for a JSON-lines corpus, or an unknown article).
    pub fn gold_path(&self, id: &ArticleId) -> Option<PathBuf> {
        let Layout::Folder(entries) = &self.layout else {
            return None;
        };
        entries.iter().find(|e| e.id == id.as_str())?.gold_path()
    }

    /// How many articles there are, when known without reading them all
    /// (a folder; not a JSON-lines file).
    pub fn len_hint(&self) -> Option<usize> {
        match &self.layout {
            Layout::Folder(entries) => Some(entries.len()),
            Layout::Jsonl(_) | Layout::Parquet(_) => None,
        }
    }

    /// How many articles have a gold file, when known without reading
    /// them (a folder: the `.txt` files with a `.json` beside them; not a
    /// JSON-lines file). Drafts and gold files that turn out unreadable
    /// count: it is the most a run can score.
    pub fn annotated_hint(&self) -> Option<usize> {
        match &self.layout {
            Layout::Folder(entries) => Some(entries.iter().filter(|e| e.has_gold()).count()),
            Layout::Jsonl(_) | Layout::Parquet(_) => None,
        }
    }

    /// Whether the corpus is one file of articles, JSON lines or Parquet,
    /// rather than a folder: what holds for one holds for the other.
    pub fn is_jsonl(&self) -> bool {
        matches!(self.layout, Layout::Jsonl(_) | Layout::Parquet(_))
    }

    /// The articles, in id order for a folder and in line order for a
    /// JSON-lines file. An I/O error while streaming is yielded as a
    /// `Broken` item and ends the iteration.
    pub fn items(&self) -> Box<dyn Iterator<Item = Item> + '_> {
        let mut reader = self.reader();
        Box::new(std::iter::from_fn(move || loop {
            let parsed = reader.next()?.parse();
            if let Some(item) = reader.check(parsed) {
                return Some(item);
            }
        }))
    }

    /// The articles as [`items`](Corpus::items) gives them, in batches of
    /// at most `size` (and of JSON lines, of at most 16 MiB past a batch's
    /// first line): each batch is read in order, parsed on `pool`'s
    /// threads, then checked in order against the articles before it, so
    /// the items and their order do not depend on the number of threads.
    /// At most one batch is held in memory.
    pub fn batches<'c>(&'c self, size: usize, pool: &'c rayon::ThreadPool) -> Batches<'c> {
        Batches {
            reader: self.reader(),
            size: size.max(1),
            pool,
        }
    }

    fn reader(&self) -> Reader<'_> {
        match &self.layout {
            Layout::Folder(entries) => Reader::folder(&self.display, entries),
            Layout::Jsonl(path) => Reader::lines(&self.display, path),
            Layout::Parquet(path) => Reader::rows(&self.display, path),
        }
    }
}

/// How many bytes of JSON lines a batch holds at most, past its first
/// line: a run holds a few batches at once (docs/performance.md, "Memory").
const BATCH_BYTES: usize = 16 << 20;

/// The articles of a corpus in batches; see [`Corpus::batches`].
pub struct Batches<'c> {
    reader: Reader<'c>,
    size: usize,
    pool: &'c rayon::ThreadPool,
}

impl Iterator for Batches<'_> {
    type Item = Vec<Item>;

    /// The next batch of items: never empty, `None` at the end.
    fn next(&mut self) -> Option<Vec<Item>> {
        loop {
            // Reading is sequential and cheap; parsing is not. A batch of
            // long lines ends early, so that the batches a run holds at
            // once stay a bounded size however long each article is.
            let mut read: Vec<Unparsed<'_>> = Vec::with_capacity(self.size);
            let mut bytes = 0;
            while read.len() < self.size && bytes < BATCH_BYTES {
                let Some(next) = self.reader.next() else {
                    break;
                };
                bytes += next.bytes_read();
                read.push(next);
            }
            if read.is_empty() {
                return None;
            }
            let parsed: Vec<_> = self
                .pool
                .install(|| read.into_par_iter().map(Unparsed::parse).collect());
            let items: Vec<Item> = parsed
                .into_iter()
                .filter_map(|p| self.reader.check(p))
                .collect();
            // A batch of blank lines only: read on.
            if !items.is_empty() {
                return Some(items);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of 6 MiB: a batch ends after the line that takes it past
    /// 16 MiB, and every article still comes, once and in order.
    #[test]
    fn a_batch_of_long_lines_ends_early() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        let long = "x".repeat(6 << 20);
        let mut lines = String::new();
        for i in 0..7 {
            let text = if i == 5 { "short" } else { long.as_str() };
            lines.push_str(&format!("{{\"id\":\"a{i}\",\"text\":\"{text}\"}}\n"));
        }
        std::fs::write(&path, lines).unwrap();
        let corpus = Corpus::open(&path).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let batches: Vec<Vec<String>> = corpus
            .batches(64, &pool)
            .map(|items| {
                (items.iter())
                    .map(|item| match item {
                        Item::Article { article, .. } => article.id.to_string(),
                        Item::Broken { id, .. } => format!("broken {id}"),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(
            batches,
            [vec!["a0", "a1", "a2"], vec!["a3", "a4", "a5", "a6"]]
        );
    }
}
