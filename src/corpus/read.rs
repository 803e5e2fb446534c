//! Reading corpora: a folder of `.txt`/`.json` pairs, or a JSON-lines file.
//!
//! Both are read lazily, one article at a time, so memory stays flat however
//! large the corpus is: a folder is listed up front (names only), a
//! JSON-lines file is streamed line by line (through a gzip decoder for
//! `.jsonl.gz`). The only state kept across articles is the set of ids seen,
//! needed to detect duplicates and case collisions.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::id::{hash_id, ArticleId};
use super::issue::{Issue, Severity};
use super::model::{Article, Status};
use super::records::{json_error_message, resolve_gold, show, Place, Sink};

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
        "`{path}` is not a corpus: give a folder of .txt/.json files or a .jsonl / .jsonl.gz file"
    )]
    NotACorpus {
        /// The corpus path as given.
        path: String,
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
}

#[derive(Debug)]
enum Layout {
    Folder(Vec<FolderEntry>),
    Jsonl(PathBuf),
}

#[derive(Debug)]
struct FolderEntry {
    id: String,
    txt: Option<PathBuf>,
    json: Option<PathBuf>,
    /// Problems found while listing: an unsafe id or a case collision.
    listing: Vec<Issue>,
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
        let layout = if meta.is_dir() {
            Layout::Folder(list_folder(path, &display)?)
        } else if is_jsonl(path) {
            Layout::Jsonl(path.to_path_buf())
        } else {
            return Err(CorpusError::NotACorpus { path: display });
        };
        Ok(Corpus { display, layout })
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
        let e = entries.iter().find(|e| e.id == id.as_str())?;
        e.json
            .clone()
            .or_else(|| e.txt.as_ref().map(|t| t.with_extension("json")))
    }

    /// How many articles there are, when known without reading them all
    /// (a folder; not a JSON-lines file).
    pub fn len_hint(&self) -> Option<usize> {
        match &self.layout {
            Layout::Folder(entries) => Some(entries.len()),
            Layout::Jsonl(_) => None,
        }
    }

    /// Whether the corpus is a JSON-lines file.
    pub fn is_jsonl(&self) -> bool {
        matches!(self.layout, Layout::Jsonl(_))
    }

    /// The articles, in id order for a folder and in line order for a
    /// JSON-lines file. An I/O error while streaming is yielded as a
    /// `Broken` item and ends the iteration.
    pub fn items(&self) -> Box<dyn Iterator<Item = Item> + '_> {
        match &self.layout {
            Layout::Folder(entries) => {
                Box::new(entries.iter().map(|e| load_folder_entry(e, &self.display)))
            }
            Layout::Jsonl(path) => Box::new(JsonlItems::open(path, &self.display)),
        }
    }
}

fn is_jsonl(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".jsonl") || name.ends_with(".jsonl.gz")
}

/// Lists a folder corpus: every `.txt` and `.json` below `root`, paired by id.
fn list_folder(root: &Path, display: &str) -> Result<Vec<FolderEntry>, CorpusError> {
    let mut files: BTreeMap<String, (Option<PathBuf>, Option<PathBuf>)> = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let read = std::fs::read_dir(&dir).map_err(|source| CorpusError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        for entry in read {
            let entry = entry.map_err(|source| CorpusError::Io {
                path: dir.display().to_string(),
                source,
            })?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let (stem, is_txt) = match path.extension().and_then(|e| e.to_str()) {
                Some("txt") => (path.with_extension(""), true),
                Some("json") => (path.with_extension(""), false),
                _ => continue,
            };
            let rel = stem.strip_prefix(root).unwrap_or(&stem);
            let id = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let slot = files.entry(id).or_default();
            if is_txt {
                slot.0 = Some(path);
            } else {
                slot.1 = Some(path);
            }
        }
    }
    let mut seen_lower: HashMap<String, String> = HashMap::new();
    let mut entries = Vec::with_capacity(files.len());
    for (id, (txt, json)) in files {
        let mut listing = Vec::new();
        let file = txt
            .as_ref()
            .or(json.as_ref())
            .map_or_else(|| display.to_string(), |p| p.display().to_string());
        if let Err(e) = ArticleId::new(&id) {
            listing.push(
                Issue::new(Severity::Error, "unsafe-id", &file, format!("{e}; the article is skipped"))
                    .article(&id)
                    .hint("rename the file: ids become file names, so only letters A-Z a-z, digits, `.`, `_` and `-` are allowed"),
            );
        } else if let Some(other) = seen_lower.insert(id.to_lowercase(), id.clone()) {
            listing.push(
                Issue::new(
                    Severity::Error,
                    "case-collision",
                    &file,
                    format!("ids {other:?} and {id:?} differ only in letter case; the second is skipped"),
                )
                .article(&id)
                .hint("they would collide on case-insensitive file systems: rename one"),
            );
        }
        entries.push(FolderEntry {
            id,
            txt,
            json,
            listing,
        });
    }
    Ok(entries)
}

fn load_folder_entry(entry: &FolderEntry, corpus: &str) -> Item {
    let broken = |issues| Item::Broken {
        id: entry.id.clone(),
        issues,
    };
    if !entry.listing.is_empty() {
        return broken(entry.listing.clone());
    }
    let Some(txt) = &entry.txt else {
        let json = entry.json.as_ref().expect("an entry has a .txt or a .json");
        return broken(vec![Issue::new(
            Severity::Error,
            "missing-text",
            json.display().to_string(),
            format!(
                "gold file without its article text: `{}.txt` is missing",
                entry.id
            ),
        )
        .article(&entry.id)
        .hint("add the article text next to it, or remove the gold file")]);
    };
    let id = ArticleId::new(&entry.id).expect("checked while listing");
    let txt_display = txt.display().to_string();
    let text = match read_text(txt, &txt_display, &entry.id) {
        Ok(t) => t,
        Err(issue) => return broken(vec![*issue]),
    };
    let Some(json) = &entry.json else {
        let note = Issue::new(
            Severity::Note,
            "unannotated",
            &txt_display,
            "no gold file, so it is not scored",
        )
        .article(&entry.id);
        return Item::Article {
            article: Article {
                id,
                text,
                gold: None,
            },
            issues: vec![note],
        };
    };
    let json_display = json.display().to_string();
    let value = match read_json(json, &json_display, &entry.id) {
        Ok(v) => v,
        Err(issue) => return broken(vec![*issue]),
    };
    let mut sink = Sink::new(Place {
        file: &json_display,
        line: None,
        article: &entry.id,
    });
    let Some(obj) = value.as_object() else {
        sink.error(
            "wrong-type",
            "",
            None,
            format!("a gold file must be a JSON object, not {}", show(&value)),
        );
        return broken(sink.issues);
    };
    sink.unknown_keys(
        obj,
        &["article", "offsets", "status", "source", "quotes"],
        "",
        None,
    );
    match obj.get("article") {
        Some(Value::String(a)) if *a == entry.id => {}
        None => {}
        Some(other) => {
            sink.error(
                "article-mismatch",
                "article",
                None,
                format!(
                    "`article` is {} but the file belongs to article {:?}",
                    show(other),
                    entry.id
                ),
            )
            .hint = Some("fix `article`, or rename the file".into());
        }
    }
    let gold = resolve_gold(obj, &text, &mut sink);
    finish(id, text, gold, sink, corpus)
}

/// Turns a resolved article into an item: broken if any error was found.
fn finish(
    id: ArticleId,
    text: String,
    gold: super::model::Gold,
    mut sink: Sink<'_>,
    _corpus: &str,
) -> Item {
    if sink.has_errors() {
        return Item::Broken {
            id: id.to_string(),
            issues: sink.issues,
        };
    }
    if gold.status == Status::Draft {
        sink.push(
            Severity::Note,
            "draft",
            "status",
            None,
            "draft gold: not scored unless --include-drafts",
        );
    }
    Item::Article {
        article: Article {
            id,
            text,
            gold: Some(gold),
        },
        issues: sink.issues,
    }
}

fn read_bytes(path: &Path, display: &str, id: &str) -> Result<Vec<u8>, Box<Issue>> {
    std::fs::read(path).map_err(|e| {
        Box::new(
            Issue::new(
                Severity::Error,
                "unreadable",
                display,
                format!("cannot read the file: {e}"),
            )
            .article(id),
        )
    })
}

/// Reads an article text: UTF-8, no byte-order mark.
fn read_text(path: &Path, display: &str, id: &str) -> Result<String, Box<Issue>> {
    let bytes = read_bytes(path, display, id)?;
    let text = utf8(bytes, display, Some(id), None)?;
    if text.starts_with('\u{feff}') {
        return Err(Box::new(
            Issue::new(
                Severity::Error,
                "byte-order-mark",
                display,
                "the text starts with a byte-order mark (U+FEFF)",
            )
            .article(id)
            .hint("save the file as UTF-8 without a BOM: it would shift every offset by one"),
        ));
    }
    Ok(text)
}

fn utf8(
    bytes: Vec<u8>,
    display: &str,
    id: Option<&str>,
    line: Option<usize>,
) -> Result<String, Box<Issue>> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let mut issue = Issue::new(
            Severity::Error,
            "invalid-utf8",
            display,
            format!(
                "invalid UTF-8 at byte offset {at}{}",
                if line.is_some() { " of the line" } else { "" }
            ),
        )
        .hint("convert the file to UTF-8 (for example with `iconv -f latin1 -t utf-8`)");
        issue.article = id.map(str::to_string);
        issue.line = line;
        Box::new(issue)
    })
}

fn read_json(path: &Path, display: &str, id: &str) -> Result<Value, Box<Issue>> {
    let text = utf8(read_bytes(path, display, id)?, display, Some(id), None)?;
    parse_json(&text, display, Some(id), None)
}

fn parse_json(
    text: &str,
    display: &str,
    id: Option<&str>,
    line: Option<usize>,
) -> Result<Value, Box<Issue>> {
    serde_json::from_str(text).map_err(|e| {
        let what = json_error_message(&e);
        let mut issue = Issue::new(
            Severity::Error,
            "malformed-json",
            display,
            format!("malformed JSON: {what}"),
        );
        match line {
            Some(l) => {
                issue.line = Some(l);
                issue.column = Some(e.column());
            }
            None => {
                issue.line = Some(e.line());
                issue.column = Some(e.column());
            }
        }
        issue.article = id.map(str::to_string);
        issue.hint = Some("fix the JSON syntax at that position".into());
        Box::new(issue)
    })
}

/// Streams the articles of a JSON-lines corpus.
struct JsonlItems<'c> {
    display: &'c str,
    reader: Option<Box<dyn BufRead>>,
    pending: Option<Item>,
    line_no: usize,
    buf: Vec<u8>,
    /// Hash of the lower-cased id → (hash of the id, line) of every article
    /// seen so far: 24 bytes an article instead of two strings. A false
    /// collision of two 64-bit hashes is negligible (p ≈ 3·10⁻⁸ at a million
    /// articles).
    seen: HashMap<u64, (u64, usize)>,
}

impl<'c> JsonlItems<'c> {
    fn open(path: &Path, display: &'c str) -> JsonlItems<'c> {
        let (reader, pending) = match File::open(path) {
            Ok(f) => {
                let raw: Box<dyn Read> = if display.ends_with(".gz") {
                    Box::new(flate2::read::MultiGzDecoder::new(f))
                } else {
                    Box::new(f)
                };
                (
                    Some(Box::new(BufReader::with_capacity(1 << 16, raw)) as Box<dyn BufRead>),
                    None,
                )
            }
            Err(e) => (None, Some(io_item(display, 0, &e))),
        };
        JsonlItems {
            display,
            reader,
            pending,
            line_no: 0,
            buf: Vec::new(),
            seen: HashMap::new(),
        }
    }

    fn line_item(&mut self, bytes: Vec<u8>) -> Option<Item> {
        let line = self.line_no;
        let display = self.display;
        let label = format!("line {line}");
        let text = match utf8(bytes, display, None, Some(line)) {
            Ok(t) => t,
            Err(issue) => {
                return Some(Item::Broken {
                    id: label,
                    issues: vec![*issue],
                })
            }
        };
        if text.trim().is_empty() {
            return None;
        }
        let value = match parse_json(&text, display, None, Some(line)) {
            Ok(v) => v,
            Err(issue) => {
                return Some(Item::Broken {
                    id: label,
                    issues: vec![*issue],
                })
            }
        };
        let raw_id = value.get("id").and_then(Value::as_str).map(str::to_string);
        let id_label = raw_id.clone().unwrap_or(label);
        let mut sink = Sink::new(Place {
            file: display,
            line: Some(line),
            article: &id_label,
        });
        let Some(obj) = value.as_object() else {
            sink.error(
                "wrong-type",
                "",
                None,
                format!("a corpus line must be a JSON object, not {}", show(&value)),
            );
            return Some(Item::Broken {
                id: id_label.clone(),
                issues: sink.issues,
            });
        };
        sink.unknown_keys(
            obj,
            &["id", "text", "offsets", "status", "source", "quotes"],
            "",
            None,
        );
        let id = match &raw_id {
            None => {
                sink.error(
                    "missing-field",
                    "id",
                    None,
                    format!(
                        "missing string field `id` (got {})",
                        obj.get("id").map_or("nothing".into(), show)
                    ),
                );
                None
            }
            Some(raw) => match ArticleId::new(raw) {
                Err(e) => {
                    sink.error("unsafe-id", "id", None, format!("{e}; the article is skipped"))
                        .hint = Some("ids become file names, so only letters A-Z a-z, digits, `.`, `_`, `-` and `/` between segments are allowed".into());
                    None
                }
                Ok(id) => match self.seen.get(&hash_id(&raw.to_lowercase())) {
                    Some(&(other, other_line)) if other == hash_id(raw) => {
                        sink.error("duplicate-article", "id", None, format!("article id {raw:?} already appeared on line {other_line}; this line is skipped"))
                            .hint = Some("remove one of the two lines, or give one another id".into());
                        None
                    }
                    Some(&(_, other_line)) => {
                        sink.error("case-collision", "id", None, format!("id {raw:?} differs only in letter case from the id on line {other_line}; this line is skipped"))
                            .hint = Some("they would collide on case-insensitive file systems: rename one".into());
                        None
                    }
                    None => {
                        self.seen
                            .insert(hash_id(&raw.to_lowercase()), (hash_id(raw), line));
                        Some(id)
                    }
                },
            },
        };
        let text = match obj.get("text") {
            Some(Value::String(t)) => Some(t.as_str()),
            other => {
                sink.error(
                    "missing-field",
                    "text",
                    None,
                    format!(
                        "missing string field `text` (got {})",
                        other.map_or("nothing".into(), show)
                    ),
                );
                None
            }
        };
        let (Some(id), Some(text)) = (id, text) else {
            return Some(Item::Broken {
                id: id_label.clone(),
                issues: sink.issues,
            });
        };
        if !obj.contains_key("quotes") && !obj.contains_key("status") {
            let note = Issue::new(
                Severity::Note,
                "unannotated",
                display,
                "no `quotes`, so it is not scored",
            )
            .article(id.as_str())
            .line(line);
            sink.issues.push(note);
            return Some(Item::Article {
                article: Article {
                    id,
                    text: text.to_string(),
                    gold: None,
                },
                issues: sink.issues,
            });
        }
        let gold = resolve_gold(obj, text, &mut sink);
        let text = text.to_string();
        Some(finish(id, text, gold, sink, display))
    }
}

fn io_item(display: &str, line: usize, e: &io::Error) -> Item {
    let mut issue = Issue::new(
        Severity::Error,
        "unreadable",
        display,
        format!("cannot read the corpus: {e}"),
    );
    if line > 0 {
        issue.line = Some(line);
    }
    Item::Broken {
        id: format!("line {line}"),
        issues: vec![issue],
    }
}

impl Iterator for JsonlItems<'_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if let Some(item) = self.pending.take() {
            return Some(item);
        }
        loop {
            let reader = self.reader.as_mut()?;
            self.buf.clear();
            match reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.reader = None;
                    return None;
                }
                Ok(_) => {
                    self.line_no += 1;
                    if self.buf.ends_with(b"\n") {
                        self.buf.pop();
                        if self.buf.ends_with(b"\r") {
                            self.buf.pop();
                        }
                    }
                    let bytes = std::mem::take(&mut self.buf);
                    if let Some(item) = self.line_item(bytes) {
                        return Some(item);
                    }
                }
                Err(e) => {
                    self.reader = None;
                    return Some(io_item(self.display, self.line_no + 1, &e));
                }
            }
        }
    }
}
