//! Saved predictions scored without running anything (corpus.md "Replay files").

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
#[cfg(not(unix))]
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::{Extractor, Failure, FailureKind, Output};

mod parquet;
use crate::corpus::json;
use crate::corpus::limits::{read_file, read_line, show_limit, Line, ReadLimits, ReadRefusal};
use crate::corpus::{
    fast_output, hash_id, json_error_message, resolve_output, Article, Issue, Severity,
};

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
/// A JSON-lines replay is indexed on open — each line's id and byte range,
/// about 40 bytes an article — and lines are read one at a time as
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
    Lines { lines: Lines, index: Index },
    Parquet { table: parquet::Table, index: Index },
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
                read_spill_at(file, &mut buf, at)?;
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

#[cfg(unix)]
fn read_spill_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, at)
}

/// An unnamed file has no path to open again: read it at `at` with the
/// positioned read of the system.
#[cfg(windows)]
fn read_spill_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn read_at(_file: &File, path: &Path, buf: &mut [u8], at: u64) -> io::Result<()> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(at))?;
    f.read_exact(buf)
}

/// The lines of a JSON-lines replay by article id: entries sorted by the
/// hash of the id, the ids themselves one after the other in `ids`.
#[derive(Default)]
struct Index {
    entries: Vec<IndexEntry>,
    ids: String,
}

struct IndexEntry {
    hash: u64,
    /// Byte offset of the line; of a Parquet replay, the row from 0.
    at: u64,
    /// Where the id is in `Index::ids`.
    id_at: u64,
    /// Length of the line.
    len: u32,
    id_len: u32,
    /// The line number, for messages.
    line: u32,
}

impl Index {
    fn id(&self, e: &IndexEntry) -> &str {
        id_in(&self.ids, e)
    }

    fn get(&self, id: &str) -> Option<&IndexEntry> {
        let hash = hash_id(id);
        let first = self.entries.partition_point(|e| e.hash < hash);
        self.entries[first..]
            .iter()
            .take_while(|e| e.hash == hash)
            .find(|e| self.id(e) == id)
    }
}

fn id_in<'a>(ids: &'a str, e: &IndexEntry) -> &'a str {
    &ids[e.id_at as usize..e.id_at as usize + e.id_len as usize]
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
            Source::Parquet { table, index }
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
            Source::Lines { lines, index } => match index.get(id) {
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

    /// Calls `f` with the id of every saved output.
    fn for_each_saved_id(&self, f: &mut dyn FnMut(&str)) {
        match &self.source {
            Source::Lines { index, .. } | Source::Parquet { index, .. } => {
                for e in &index.entries {
                    f(index.id(e));
                }
            }
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
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let mut index = Index::default();
    let (mut offset, mut line_no, mut buf) = (0u64, 0usize, Vec::new());
    let problem = |problems: &mut Vec<Issue>, line_no: usize, code, message: String| {
        problems.push(entry_problem(display, line_no, code, message));
    };
    let limit = ReadLimits::current().max_article_bytes;
    loop {
        let n = match read_line(&mut reader, &mut buf, limit)? {
            Line::End => break,
            Line::Read(n) => n,
            Line::TooLong(n) => {
                line_no += 1;
                offset += n;
                problem(
                    problems,
                    line_no,
                    "too-large",
                    format!(
                        "the line is {n} bytes, more than the limit of {} for one article (--max-article-bytes); it is ignored",
                        show_limit(limit)
                    ),
                );
                continue;
            }
        };
        line_no += 1;
        let start = offset;
        offset += n;
        let line = &buf[..];
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<IdOnly<'_>>(line) {
            Err(e) => problem(
                problems,
                line_no,
                "invalid-output",
                format!(
                    "the line cannot be read as a replay entry ({}); it is ignored",
                    json_error_message(&e)
                ),
            ),
            Ok(IdOnly { id }) => {
                let at = match keep.as_mut() {
                    Some(out) => {
                        out.write_all(line)?;
                        kept += line.len() as u64;
                        kept - line.len() as u64
                    }
                    None => start,
                };
                index.push(&id, at, line.len(), line_no)?;
            }
        }
    }
    index.finish(display, problems);
    Ok(index)
}

/// The problem of line (or row) `line_no` of a replay, which is ignored.
fn entry_problem(display: &str, line_no: usize, code: &'static str, message: String) -> Issue {
    Issue::new(Severity::Error, code, display, message)
        .line(line_no)
        .hint("every line must be a JSON object with a string `id` and `quotes` (or `error`)")
}

impl Index {
    /// Adds the entry of `id` at `at`, `len` bytes long, on line `line`.
    fn push(&mut self, id: &str, at: u64, len: usize, line: usize) -> io::Result<()> {
        let too_large = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the replay is too large to index",
            )
        };
        self.entries.push(IndexEntry {
            hash: hash_id(id),
            at,
            id_at: self.ids.len() as u64,
            len: u32::try_from(len).map_err(|_| too_large())?,
            id_len: u32::try_from(id.len()).map_err(|_| too_large())?,
            line: u32::try_from(line).map_err(|_| too_large())?,
        });
        self.ids.push_str(id);
        Ok(())
    }

    /// Sorts the entries for [`Index::get`], keeping the first line of
    /// each id and reporting the others; then sorts `problems` by line.
    fn finish(&mut self, display: &str, problems: &mut Vec<Issue>) {
        // Sorted by hash, then id, then line: the lines of one id are side by
        // side, the first of them first. It is kept and the others reported.
        let ids = &self.ids;
        self.entries.sort_unstable_by(|a, b| {
            (a.hash, id_in(ids, a), a.line).cmp(&(b.hash, id_in(ids, b), b.line))
        });
        let mut first: Option<(u64, &str, u32)> = None;
        self.entries.retain(|e| {
            let id = id_in(ids, e);
            match first {
                Some((hash, first_id, first_line)) if hash == e.hash && first_id == id => {
                    let message = format!(
                        "article {id:?} already appeared on line {first_line}; this line is ignored"
                    );
                    problems.push(entry_problem(
                        display,
                        e.line as usize,
                        "duplicate-article",
                        message,
                    ));
                    false
                }
                _ => {
                    first = Some((e.hash, id, e.line));
                    true
                }
            }
        });
        self.entries.shrink_to_fit();
        // Problems in file order, as they would be found reading it.
        problems.sort_by_key(|i| i.line);
    }
}

impl Extractor for Replay {
    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        let id = article.id.as_str();
        if let Source::Parquet { table, index } = &self.source {
            return match index.get(id) {
                None => Err(self.missing()),
                Some(e) => table.extract(e.at, article, &self.display),
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
        let mut issues = self.opening.clone();
        let mut extra: Vec<String> = Vec::new();
        self.for_each_saved_id(&mut |id| {
            if !in_corpus(id) {
                extra.push(id.to_string());
            }
        });
        extra.sort_unstable();
        extra.dedup();
        if !extra.is_empty() {
            const SHOWN: usize = 10;
            let mut list = extra
                .iter()
                .take(SHOWN)
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            if extra.len() > SHOWN {
                list.push_str(&format!(" and {} more", extra.len() - SHOWN));
            }
            issues.push(
                self.issue(
                    Severity::Warning,
                    "extra-articles",
                    format!("the replay has output for {} article(s) not in the corpus, ignored: {list}", extra.len()),
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
        let issues = replay.finish(&|id| id == "a" || id == "b");
        let extra = issues.iter().find(|i| i.code == "extra-articles").unwrap();
        assert!(extra
            .message
            .contains(r#"2 article(s) not in the corpus, ignored: "A", "c""#));
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
