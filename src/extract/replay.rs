//! Saved predictions scored without running anything (corpus.md "Replay files").

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Extractor, Failure, FailureKind, Output};
use crate::corpus::{json_error_message, resolve_output, Article, Issue, Severity};

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
        "replay `{path}` is neither a folder of <id>.json files nor a .jsonl / .jsonl.gz file"
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
/// A JSON-lines replay is indexed on open (the byte range of each line) and
/// read line by line as articles are asked for, so memory does not grow
/// with its size; a gzipped one is decompressed into memory, one entry an
/// article.
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
        path: PathBuf,
        index: HashMap<String, Entry>,
    },
}

enum Entry {
    /// Byte offset and length of the line in the file.
    At(u64, usize),
    /// The line itself (gzipped replays).
    Bytes(Vec<u8>),
}

#[derive(serde::Deserialize)]
struct IdOnly {
    id: String,
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
        } else if display.ends_with(".jsonl") || display.ends_with(".jsonl.gz") {
            let index = index_lines(path, &display, &mut opening).map_err(io_err)?;
            Source::Lines {
                path: path.to_path_buf(),
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
                match std::fs::read(&path) {
                    Ok(bytes) => Ok(Some((bytes, path.display().to_string()))),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e),
                }
            }
            Source::Lines { path, index } => match index.get(id) {
                None => Ok(None),
                Some(Entry::Bytes(b)) => Ok(Some((b.clone(), self.display.clone()))),
                Some(Entry::At(offset, len)) => {
                    let mut f = File::open(path)?;
                    f.seek(SeekFrom::Start(*offset))?;
                    let mut buf = vec![0; *len];
                    f.read_exact(&mut buf)?;
                    Ok(Some((buf, self.display.clone())))
                }
            },
        }
    }

    fn saved_ids(&self) -> BTreeSet<String> {
        match &self.source {
            Source::Lines { index, .. } => index.keys().cloned().collect(),
            Source::Folder(root) => {
                let mut ids = BTreeSet::new();
                let mut stack = vec![root.clone()];
                while let Some(dir) = stack.pop() {
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
                            ids.insert(
                                rel.components()
                                    .map(|c| c.as_os_str().to_string_lossy())
                                    .collect::<Vec<_>>()
                                    .join("/"),
                            );
                        }
                    }
                }
                ids
            }
        }
    }
}

/// Indexes a JSON-lines replay by article id.
fn index_lines(
    path: &Path,
    display: &str,
    problems: &mut Vec<Issue>,
) -> io::Result<HashMap<String, Entry>> {
    let gz = display.ends_with(".gz");
    let file = File::open(path)?;
    let raw: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let mut index = HashMap::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let (mut offset, mut line_no, mut buf) = (0u64, 0usize, Vec::new());
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let start = offset;
        offset += n as u64;
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let mut problem = |code, message: String| {
            problems.push(Issue::new(Severity::Error, code, display, message).line(line_no).hint(
                "every line must be a JSON object with a string `id` and `quotes` (or `error`)",
            ));
        };
        match serde_json::from_slice::<IdOnly>(line) {
            Err(e) => problem(
                "invalid-output",
                format!(
                    "the line cannot be read as a replay entry ({}); it is ignored",
                    json_error_message(&e)
                ),
            ),
            Ok(IdOnly { id }) => {
                if let Some(first) = first_line.get(&id) {
                    problem(
                        "duplicate-article",
                        format!(
                            "article {id:?} already appeared on line {first}; this line is ignored"
                        ),
                    );
                    continue;
                }
                first_line.insert(id.clone(), line_no);
                let entry = if gz {
                    Entry::Bytes(line.to_vec())
                } else {
                    Entry::At(start, line.len())
                };
                index.insert(id, entry);
            }
        }
    }
    Ok(index)
}

impl Extractor for Replay {
    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        let id = article.id.as_str();
        let (bytes, file) = match self.load(id) {
            Ok(Some(found)) => found,
            Ok(None) => {
                return Err(Failure::new(
                    FailureKind::Missing,
                    format!("the replay {} has no output for this article", self.display),
                ))
            }
            Err(e) => {
                return Err(Failure::new(
                    FailureKind::InvalidOutput,
                    format!("cannot read the saved output: {e}"),
                ))
            }
        };
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            Failure::new(
                FailureKind::InvalidOutput,
                format!("{file}: the saved output is not JSON: {e}"),
            )
        })?;
        if let Some(error) = value.get("error") {
            let message = error
                .as_str()
                .map_or_else(|| error.to_string(), str::to_string);
            return Err(Failure::new(FailureKind::Error, message));
        }
        resolve_output(&value, &article.text, &file, id, None)
            .map(|set| Output {
                quotes: set.quotes,
                issues: set.issues,
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

    fn name(&self) -> &str {
        &self.name
    }

    fn finish(&self, in_corpus: &dyn Fn(&str) -> bool) -> Vec<Issue> {
        let mut issues = self.opening.clone();
        let extra: Vec<String> = self
            .saved_ids()
            .into_iter()
            .filter(|id| !in_corpus(id))
            .collect();
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
