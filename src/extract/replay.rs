//! Saved predictions scored without running anything (corpus.md "Replay files").

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
#[cfg(not(unix))]
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Extractor, Failure, FailureKind, Output};

mod parquet;
use crate::corpus::json;
use crate::corpus::limits::{read_file, read_line, show_limit, Line, ReadLimits, ReadRefusal};
use crate::corpus::{
    check_hash_id, fast_output, hash_id, json_error_message, resolve_output, Article, Issue,
    Severity,
};
use crate::spill::SpillMap;

/// A replay that cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The path cannot be read.
    #[error("cannot read replay `{path}`")]
    Io {
        /// The replay path as given.
        path: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The path is neither a folder nor a JSON-lines file.
    #[error(
        "replay `{path}` is neither a folder of <id>.json files nor a .jsonl / .jsonl.gz / .parquet file"
    )]
    NotAReplay {
        /// The replay path as given.
        path: String,
    },
}

/// Predictions saved elsewhere: a folder of `<id>.json` files, or one
/// JSON-lines file of `{"id", "offsets", "quotes"}` (or `{"id", "error"}`)
/// lines.
///
/// A JSON-lines replay is indexed on open — the hash of each line's id and
/// its byte range, on disk past the newest lines ([`SpillMap`]) — and
/// lines are read one at a time as
/// articles are asked for, so memory does not grow with the size of the
/// predictions; a gzipped one is decompressed, line by line as it is
/// indexed, into an unnamed temporary file (unlinked from the start, so a
/// killed run leaves nothing behind) and read from there the same way. A
/// Parquet replay is indexed the same way, each row by its number, and
/// read a row group at a time ([`parquet`]).
pub struct Replay {
    name: String,
    display: String,
    source: Source,
    /// Problems found while opening (unreadable lines, duplicate ids).
    opening: Vec<Issue>,
}

enum Source {
    Folder(PathBuf),
    Lines {
        lines: Lines,
        index: Index,
    },
    Parquet {
        path: PathBuf,
        table: parquet::Table,
        index: Index,
    },
}

/// Where the lines of a JSON-lines replay are.
enum Lines {
    /// In the file, read by position (no shared cursor: threads may read
    /// at once).
    File { path: PathBuf, file: File },
    /// Written out into an unnamed temporary file, unlinked as soon as it
    /// is made, so it goes with the replay or the process (gzipped replays
    /// decompressed), and read by position as `File` is.
    Spill(File),
}

impl Lines {
    fn read(&self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        match self {
            Lines::File { path, file } => {
                let mut buf = vec![0; len];
                read_at(file, path, &mut buf, at)?;
                Ok(buf)
            }
            Lines::Spill(file) => {
                let mut buf = vec![0; len];
                // An unnamed file has no path to open again.
                crate::spill::read_at(file, &mut buf, at)?;
                Ok(buf)
            }
        }
    }
}

#[cfg(unix)]
fn read_at(file: &File, _path: &Path, buf: &mut [u8], at: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, at)
}

#[cfg(not(unix))]
fn read_at(_file: &File, path: &Path, buf: &mut [u8], at: u64) -> io::Result<()> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(at))?;
    f.read_exact(buf)
}

/// The lines of a JSON-lines replay (the rows of a Parquet one) by the
/// hash of their article's id, past the newest few on disk
/// ([`SpillMap`]). The ids are not kept: a second, independent hash of
/// each tells apart the rare two ids of one hash.
#[derive(Default)]
struct Index {
    entries: SpillMap,
    /// Lines (or rows) read, the largest line number.
    lines: usize,
    /// A bit a line number, set when its entry was asked for: when every
    /// entry was, no saved output is for an article outside the corpus,
    /// and the replay is not read again to find one.
    used: Vec<AtomicU64>,
}

#[derive(Clone, Copy)]
struct IndexEntry {
    /// Byte offset of the line; of a Parquet replay, the row from 0.
    at: u64,
    /// Length of the line.
    len: u32,
    /// The line number, for messages.
    line: u32,
}

impl Index {
    /// The entry of `id`; an error when the index cannot be read back or
    /// the entry of its hash is another id's.
    fn get(&self, id: &str) -> io::Result<Option<IndexEntry>> {
        let Some([at, len_line, check]) = self.entries.get(hash_id(id))? else {
            return Ok(None);
        };
        let entry = IndexEntry {
            at,
            len: (len_line >> 32) as u32,
            line: len_line as u32,
        };
        if check != check_hash_id(id) {
            return Err(io::Error::other(format!(
                "the id's hash is that of the id on line {}, so its output cannot be told apart (rename the article)",
                entry.line
            )));
        }
        if let Some(word) = self.used.get(entry.line as usize / 64) {
            word.fetch_or(1 << (entry.line % 64), Ordering::Relaxed);
        }
        Ok(Some(entry))
    }

    /// Whether every entry was asked for.
    fn all_used(&self) -> bool {
        let used: u32 = self
            .used
            .iter()
            .map(|w| w.load(Ordering::Relaxed).count_ones())
            .sum();
        // One entry an id: a line that repeats one is not inserted.
        used as usize == self.entries.len()
    }
}

#[derive(serde::Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
}

impl Replay {
    /// Opens the replay at `path` under the extractor name `name`.
    pub fn open(name: &str, path: impl AsRef<Path>) -> Result<Replay, ReplayError> {
        let path = path.as_ref();
        let display = path.display().to_string();
        let io_err = |source| ReplayError::Io {
            path: display.clone(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io_err)?;
        let mut opening = Vec::new();
        let source = if meta.is_dir() {
            Source::Folder(path.to_path_buf())
        } else if (display.ends_with(".jsonl")
            || display.ends_with(".jsonl.gz")
            || crate::corpus::parquet::is_parquet(path))
            && !meta.is_file()
        {
            return Err(io_err(io::Error::other(format!(
                "it is {}, not a regular file, so it is not read",
                crate::corpus::limits::kind_of(meta.file_type())
            ))));
        } else if display.ends_with(".jsonl") || display.ends_with(".jsonl.gz") {
            let (lines, index) = index_lines(path, &display, &mut opening).map_err(io_err)?;
            Source::Lines { lines, index }
        } else if crate::corpus::parquet::is_parquet(path) {
            let (table, index) =
                parquet::index_rows(path, &display, &mut opening).map_err(io_err)?;
            Source::Parquet {
                path: path.to_path_buf(),
                table,
                index,
            }
        } else {
            return Err(ReplayError::NotAReplay { path: display });
        };
        Ok(Replay {
            name: name.to_string(),
            display,
            source,
            opening,
        })
    }

    fn issue(&self, severity: Severity, code: &'static str, message: String) -> Issue {
        Issue::new(severity, code, &self.display, message)
    }

    /// The raw output saved for `id`: `None` when the replay has none.
    fn load(&self, id: &str) -> Result<Option<(Vec<u8>, String)>, io::Error> {
        match &self.source {
            Source::Folder(root) => {
                // `id` is an `ArticleId`: safe to join.
                let path = root.join(format!("{id}.json"));
                let limit = ReadLimits::current().max_article_bytes;
                match read_file(&path, limit) {
                    Ok(bytes) => Ok(Some((bytes, path.display().to_string()))),
                    Err(ReadRefusal::Io(e)) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                    Err(ReadRefusal::Io(e)) => Err(e),
                    Err(ReadRefusal::TooLarge(size)) => Err(io::Error::other(format!(
                        "`{}` is {size} bytes, more than the limit of {} for one article (--max-article-bytes)",
                        path.display(),
                        show_limit(limit)
                    ))),
                    Err(ReadRefusal::NotAFile(kind)) => Err(io::Error::other(format!(
                        "`{}` is {kind}, not a regular file, so it is not read",
                        path.display()
                    ))),
                }
            }
            Source::Lines { lines, index } => match index.get(id)? {
                None => Ok(None),
                Some(e) => Ok(Some((
                    lines.read(e.at, e.len as usize)?,
                    self.display.clone(),
                ))),
            },
            Source::Parquet { .. } => unreachable!("a Parquet replay is read by rows"),
        }
    }

    /// No saved output for the article.
    fn missing(&self) -> Failure {
        Failure::new(
            FailureKind::Missing,
            format!("the replay {} has no output for this article", self.display),
        )
    }

    /// The output of a saved output parsed by the checked path: its error,
    /// or its records with the duplicate keys and every issue.
    fn checked(
        value: &serde_json::Value,
        dups: &[json::DuplicateKey],
        article: &Article,
        file: &str,
    ) -> Result<Output, Failure> {
        let id = article.id.as_str();
        // `"error": null` is no error.
        if let Some(error) = value.get("error").filter(|e| !e.is_null()) {
            let message = error
                .as_str()
                .map_or_else(|| error.to_string(), str::to_string);
            return Err(Failure::new(FailureKind::Error, message));
        }
        let duplicates: Vec<Issue> = dups.iter().map(|d| d.issue(file, id)).collect();
        resolve_output(value, &article.text, file, id, None)
            .map(|set| Output {
                quotes: set.quotes,
                issues: duplicates.into_iter().chain(set.issues).collect(),
            })
            .map_err(|issues| {
                let message = issues.first().map_or_else(
                    || "the output has the wrong shape".to_string(),
                    |i| i.message.clone(),
                );
                Failure {
                    kind: FailureKind::InvalidOutput,
                    message: format!("{file}: {message}"),
                    issues,
                }
            })
    }

    /// Calls `f` with the id of every saved output (and again for each
    /// line that repeats one) that may be for an article outside the
    /// corpus: a JSON-lines or Parquet replay is read again, its ids not
    /// being kept, unless every output was asked for.
    fn for_each_saved_id(&self, f: &mut dyn FnMut(&str)) -> io::Result<()> {
        match &self.source {
            // Every id asked for is in the corpus (the runner asks for no
            // other).
            Source::Lines { index, .. } | Source::Parquet { index, .. } if index.all_used() => {}
            Source::Lines { lines, .. } => {
                let file = match lines {
                    Lines::File { file, .. } | Lines::Spill(file) => file,
                };
                let limit = ReadLimits::current().max_article_bytes;
                each_line(ReadFrom { file, at: 0 }, limit, |_, _, line| {
                    if let Ok(Ok(IdOnly { id })) = line.map(serde_json::from_slice::<IdOnly<'_>>) {
                        f(&id);
                    }
                    Ok(())
                })?;
            }
            Source::Parquet { path, .. } => parquet::for_each_row_id(path, &self.display, f)?,
            Source::Folder(root) => {
                let mut stack = vec![root.clone()];
                // Each folder once, however links loop.
                let mut visited = std::collections::HashSet::new();
                while let Some(dir) = stack.pop() {
                    let real = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
                    if !visited.insert(real) {
                        continue;
                    }
                    let Ok(entries) = std::fs::read_dir(&dir) else {
                        continue;
                    };
                    for entry in entries.flatten() {
                        let p = entry.path();
                        if p.is_dir() {
                            stack.push(p);
                        } else if p.extension().is_some_and(|e| e == "json") {
                            let rel = p.with_extension("");
                            let rel = rel.strip_prefix(root).unwrap_or(&rel);
                            f(&rel
                                .components()
                                .map(|c| c.as_os_str().to_string_lossy())
                                .collect::<Vec<_>>()
                                .join("/"));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Indexes a JSON-lines replay by article id. Of several lines with the
/// same id, the first is used and the others are reported.
fn index_lines(
    path: &Path,
    display: &str,
    problems: &mut Vec<Issue>,
) -> io::Result<(Lines, Index)> {
    let gz = display.ends_with(".gz");
    let file = File::open(path)?;
    let raw: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(file.try_clone()?))
    } else {
        Box::new(file.try_clone()?)
    };
    let lines = if gz {
        let spill = tempfile::tempfile()?;
        let mut out = BufWriter::with_capacity(1 << 16, &spill);
        let index = index_read(raw, Some(&mut out), display, problems)?;
        out.flush()?;
        drop(out);
        return Ok((Lines::Spill(spill), index));
    } else {
        Lines::File {
            path: path.to_path_buf(),
            file,
        }
    };
    let index = index_read(raw, None, display, problems)?;
    Ok((lines, index))
}

/// Indexes the lines `raw` gives. With `keep`, each indexed line is
/// written there and indexed at its place in what is written (the lines
/// of a gzipped replay, decompressed); without, at its place in `raw`.
fn index_read(
    raw: Box<dyn Read + '_>,
    mut keep: Option<&mut dyn Write>,
    display: &str,
    problems: &mut Vec<Issue>,
) -> io::Result<Index> {
    let mut kept = 0u64;
    let mut index = Index::default();
    let limit = ReadLimits::current().max_article_bytes;
    each_line(raw, limit, |line_no, start, line| {
        let line = match line {
            Ok(line) => line,
            Err(n) => {
                problems.push(entry_problem(
                    display,
                    line_no,
                    "too-large",
                    format!(
                        "the line is {n} bytes, more than the limit of {} for one article (--max-article-bytes); it is ignored",
                        show_limit(limit)
                    ),
                ));
                return Ok(());
            }
        };
        match serde_json::from_slice::<IdOnly<'_>>(line) {
            Err(e) => problems.push(entry_problem(
                display,
                line_no,
                "invalid-output",
                format!(
                    "the line cannot be read as a replay entry ({}); it is ignored",
                    json_error_message(&e)
                ),
            )),
            Ok(IdOnly { id }) => {
                let at = match keep.as_mut() {
                    // Each line ended again, to be read again in order.
                    Some(out) => {
                        out.write_all(line)?;
                        out.write_all(b"\n")?;
                        kept += line.len() as u64 + 1;
                        kept - line.len() as u64 - 1
                    }
                    None => start,
                };
                index.push(&id, at, line.len(), line_no, display, problems)?;
            }
        }
        Ok(())
    })?;
    index.finish(problems)?;
    Ok(index)
}

/// Calls `f` with the number, the offset and the bytes of each line of
/// `raw` that is not blank, or with the length of a line over `limit`.
fn each_line(
    raw: impl Read,
    limit: u64,
    mut f: impl FnMut(usize, u64, Result<&[u8], u64>) -> io::Result<()>,
) -> io::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let (mut offset, mut line_no, mut buf) = (0u64, 0usize, Vec::new());
    loop {
        let n = match read_line(&mut reader, &mut buf, limit)? {
            Line::End => return Ok(()),
            Line::Read(n) => n,
            Line::TooLong(n) => {
                line_no += 1;
                f(line_no, offset, Err(n))?;
                offset += n;
                continue;
            }
        };
        line_no += 1;
        let start = offset;
        offset += n;
        if !buf.iter().all(u8::is_ascii_whitespace) {
            f(line_no, start, Ok(&buf))?;
        }
    }
}

/// Reads a file from its start by position, leaving its cursor alone
/// (an unnamed file has no path to open again).
struct ReadFrom<'f> {
    file: &'f File,
    at: u64,
}

impl Read for ReadFrom<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = crate::spill::read_some_at(self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// The problem of line (or row) `line_no` of a replay, which is ignored.
fn entry_problem(display: &str, line_no: usize, code: &'static str, message: String) -> Issue {
    Issue::new(Severity::Error, code, display, message)
        .line(line_no)
        .hint("every line must be a JSON object with a string `id` and `quotes` (or `error`)")
}

impl Index {
    /// Adds the entry of `id` at `at`, `len` bytes long, on line `line`;
    /// of several lines with one id, the first is kept and the others are
    /// `problems`.
    fn push(
        &mut self,
        id: &str,
        at: u64,
        len: usize,
        line: usize,
        display: &str,
        problems: &mut Vec<Issue>,
    ) -> io::Result<()> {
        let too_large = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the replay is too large to index",
            )
        };
        self.lines = self.lines.max(line);
        let len = u32::try_from(len).map_err(|_| too_large())?;
        let line = u32::try_from(line).map_err(|_| too_large())?;
        let hash = hash_id(id);
        let check = check_hash_id(id);
        match self.entries.get(hash)? {
            None => {
                self.entries
                    .insert(hash, [at, u64::from(len) << 32 | u64::from(line), check]);
            }
            Some([_, len_line, first]) => {
                let first_line = len_line as u32;
                let (code, message) = if first == check {
                    (
                        "duplicate-article",
                        format!("article {id:?} already appeared on line {first_line}; this line is ignored"),
                    )
                } else {
                    (
                        "hash-collision",
                        format!("the hash of article id {id:?} is that of the id on line {first_line}; this line is ignored"),
                    )
                };
                problems.push(entry_problem(display, line as usize, code, message));
            }
        }
        Ok(())
    }

    /// Once every line is in: merges what is on disk for lookups, and
    /// sorts `problems` by line.
    fn finish(&mut self, problems: &mut [Issue]) -> io::Result<()> {
        self.entries.compact()?;
        self.used = (0..=self.lines / 64).map(|_| AtomicU64::new(0)).collect();
        // Problems in file order, as they would be found reading it.
        problems.sort_by_key(|i| i.line);
        Ok(())
    }
}

impl Extractor for Replay {
    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        let id = article.id.as_str();
        if let Source::Parquet { table, index, .. } = &self.source {
            return match index.get(id) {
                Ok(None) => Err(self.missing()),
                Ok(Some(e)) => table.extract(e.at, article, &self.display),
                Err(e) => Err(Failure::new(
                    FailureKind::InvalidOutput,
                    format!("cannot read the saved output: {e}"),
                )),
            };
        }
        let (bytes, file) = match self.load(id) {
            Ok(Some(found)) => found,
            Ok(None) => return Err(self.missing()),
            Err(e) => {
                return Err(Failure::new(
                    FailureKind::InvalidOutput,
                    format!("cannot read the saved output: {e}"),
                ))
            }
        };
        let text = crate::text::from_utf8(&bytes).map_err(|e| {
            Failure::new(
                FailureKind::InvalidOutput,
                format!(
                    "{file}: the saved output is not UTF-8 (at byte {})",
                    e.valid_up_to()
                ),
            )
        })?;
        // An output without a single issue needs no checked parse.
        if let Some(quotes) = fast_output(text, &article.text) {
            return Ok(Output {
                quotes,
                issues: Vec::new(),
            });
        }
        let (value, dups) = json::parse(text).map_err(|p| {
            Failure::new(
                FailureKind::InvalidOutput,
                format!("{file}: the saved output cannot be read: {}", p.message),
            )
        })?;
        Self::checked(&value, &dups, article, &file)
    }

    fn name(&self) -> &str {
        &self.name
    }

    /// Saved predictions: the same every time they are read.
    fn deterministic(&self) -> bool {
        true
    }

    fn finish(&self, in_corpus: &dyn Fn(&str) -> bool) -> Vec<Issue> {
        const SHOWN: usize = 10;
        let mut issues = self.opening.clone();
        // The first ids in order, and how many distinct ones (a line that
        // repeats an id is not another article): memory stays small
        // however many there are.
        let mut shown: BTreeSet<String> = BTreeSet::new();
        let mut distinct = SpillMap::default();
        let mut count = 0usize;
        let listed = self.for_each_saved_id(&mut |id| {
            if in_corpus(id) {
                return;
            }
            let hash = hash_id(id);
            if distinct.get(hash).is_ok_and(|seen| seen.is_some()) {
                return;
            }
            distinct.insert(hash, [0; 3]);
            count += 1;
            if shown.len() < SHOWN || shown.last().is_some_and(|last| id < last.as_str()) {
                shown.insert(id.to_string());
                if shown.len() > SHOWN {
                    shown.pop_last();
                }
            }
        });
        if let Err(e) = listed {
            issues.push(self.issue(
                Severity::Warning,
                "unreadable",
                format!("the replay could not be read again to find outputs for articles not in the corpus: {e}"),
            ));
        }
        if count > 0 {
            let mut list = shown
                .iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            if count > SHOWN {
                list.push_str(&format!(" and {} more", count - SHOWN));
            }
            issues.push(
                self.issue(
                    Severity::Warning,
                    "extra-articles",
                    format!("the replay has output for {count} article(s) not in the corpus, ignored: {list}"),
                )
                .hint("check that the replay belongs to this corpus"),
            );
        }
        issues
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::corpus::{ArticleId, Prediction};

    fn article(id: &str) -> Article {
        Article {
            id: ArticleId::new(id).unwrap(),
            text: "Mayor Ana Ruiz said the bridge would reopen.".into(),
            gold: None,
        }
    }

    const LINES: &str = r#"{"id": "a", "quotes": [{"content": {"text": "first"}}]}
{"id": "b", "quotes": []}

{"quotes": [], "id": "a"}
{not json
{"id": "c", "error": "timed out"}
{"id": "a", "quotes": [{"content": {"text": "third"}}, {"content": {"text": "x"}}]}
{"id": "A", "quotes": []}
"#;

    fn check(replay: &Replay) {
        let codes: Vec<(Option<usize>, &str)> =
            replay.opening.iter().map(|i| (i.line, i.code)).collect();
        assert_eq!(
            codes,
            [
                (Some(4), "duplicate-article"),
                (Some(5), "invalid-output"),
                (Some(7), "duplicate-article"),
            ]
        );
        assert!(replay.opening[2]
            .message
            .contains("\"a\" already appeared on line 1"));
        // Before any output is asked for: the runner asks only for the
        // corpus's articles, and "A" and "c" are asked for below.
        let issues = replay.finish(&|id| id == "a" || id == "b");
        let extra = issues
            .iter()
            .find(|i| i.code == "extra-articles")
            .unwrap_or_else(|| panic!("{issues:?}"));
        assert!(extra
            .message
            .contains(r#"2 article(s) not in the corpus, ignored: "A", "c""#));
        // The first line of an id is the one used.
        let a = replay.extract(&article("a")).unwrap();
        assert_eq!(a.quotes, [Prediction::text("first")]);
        assert!(replay.extract(&article("b")).unwrap().quotes.is_empty());
        assert_eq!(
            replay.extract(&article("c")).unwrap_err().kind,
            FailureKind::Error
        );
        assert!(replay.extract(&article("A")).unwrap().quotes.is_empty());
        assert_eq!(
            replay.extract(&article("d")).unwrap_err().kind,
            FailureKind::Missing
        );
    }

    #[test]
    fn a_jsonl_replay_is_indexed_by_id_and_read_by_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(&path, LINES).unwrap();
        check(&Replay::open("r", &path).unwrap());

        let gz = dir.path().join("r.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(LINES.as_bytes()).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        check(&Replay::open("r", &gz).unwrap());
    }

    #[test]
    fn outputs_for_articles_not_in_the_corpus_are_counted_once_and_the_first_listed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        // 25 ids, each on two lines, in reverse order; "k00" and "k01" are
        // in the corpus.
        let lines: String = (0..50)
            .rev()
            .map(|i| format!("{{\"id\": \"k{:02}\", \"quotes\": []}}\n", i % 25))
            .collect();
        std::fs::write(&path, lines).unwrap();
        let replay = Replay::open("r", &path).unwrap();
        assert_eq!(replay.opening.len(), 25, "every second line repeats an id");
        let issues = replay.finish(&|id| id == "k00" || id == "k01");
        let extra = issues.iter().find(|i| i.code == "extra-articles").unwrap();
        let first: Vec<String> = (2..12).map(|i| format!("\"k{i:02}\"")).collect();
        assert_eq!(
            extra.message,
            format!(
                "the replay has output for 23 article(s) not in the corpus, ignored: {} and 13 more",
                first.join(", ")
            )
        );
    }

    #[test]
    fn a_replay_whose_every_output_was_asked_for_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let lines: String = (0..9)
            .map(|i| format!("{{\"id\": \"k{i}\", \"quotes\": []}}\n"))
            .collect();
        std::fs::write(&path, lines).unwrap();
        let replay = Replay::open("r", &path).unwrap();
        let asked = std::cell::Cell::new(0);
        let in_corpus = |_: &str| {
            asked.set(asked.get() + 1);
            true
        };
        for i in 0..8 {
            replay.extract(&article(&format!("k{i}"))).unwrap();
        }
        // One output not asked for: every id is looked at again.
        assert!(replay.finish(&in_corpus).is_empty());
        assert_eq!(asked.get(), 9);
        replay.extract(&article("k8")).unwrap();
        replay.extract(&article("k8")).unwrap();
        asked.set(0);
        assert!(replay.finish(&in_corpus).is_empty());
        assert_eq!(asked.get(), 0);
    }

    #[test]
    fn two_ids_of_one_hash_are_told_apart_and_neither_output_is_given_to_the_other() {
        let mut index = Index::default();
        let mut problems = Vec::new();
        // What the index would hold had another id on line 1 the hash of "x".
        index
            .entries
            .insert(hash_id("x"), [0, 10 << 32 | 1, check_hash_id("y")]);
        let err = index.get("x").err().expect("not the output of x");
        assert!(err.to_string().contains("line 1"), "{err}");
        index
            .push("x", 20, 10, 2, "r.jsonl", &mut problems)
            .unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "hash-collision");
        assert_eq!(problems[0].line, Some(2));
        index
            .push("z", 30, 10, 3, "r.jsonl", &mut problems)
            .unwrap();
        let z = index.get("z").unwrap().unwrap();
        assert_eq!((z.at, z.len, z.line), (30, 10, 3));
    }

    #[test]
    fn a_gzipped_replay_is_decompressed_into_an_unnamed_file_not_memory() {
        let dir = tempfile::tempdir().unwrap();
        let gz = dir.path().join("r.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        // With a line that is not an entry, a blank one and duplicates: the
        // unnamed file holds only the indexed lines, each read at its place.
        enc.write_all(LINES.as_bytes()).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        let replay = Replay::open("r", &gz).unwrap();
        assert!(matches!(
            replay.source,
            Source::Lines {
                lines: Lines::Spill(_),
                ..
            }
        ));
        check(&replay);
        // Nothing named was left in the folder of the replay.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
