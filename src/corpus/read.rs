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
use super::records::{json_error_message, resolve_gold, show, Diagnostics, Place};

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
        let mut raw = self.raw_items();
        Box::new(std::iter::from_fn(move || loop {
            let parsed = raw.next()?.parse();
            if let Some(item) = raw.resolve(parsed) {
                return Some(item);
            }
        }))
    }

    /// The articles as [`items`](Corpus::items) yields them, in three steps
    /// so that the costly one can run on other threads: `RawItems` reads
    /// each article from disk (a line, or the names of its files),
    /// [`RawItem::parse`] parses and resolves it (on any thread), and
    /// [`RawItems::resolve`] — called in corpus order — checks its id
    /// against the ids before it and gives the item.
    pub fn raw_items(&self) -> RawItems<'_> {
        let source = match &self.layout {
            Layout::Folder(entries) => RawSource::Folder(entries.iter()),
            Layout::Jsonl(path) => RawSource::Lines(Box::new(RawLines::open(path, &self.display))),
        };
        RawItems {
            display: &self.display,
            source,
            seen: HashMap::new(),
        }
    }
}

/// Articles read from disk but not yet parsed; see [`Corpus::raw_items`].
pub struct RawItems<'c> {
    display: &'c str,
    source: RawSource<'c>,
    /// Hash of the lower-cased id → (hash of the id, line) of every article
    /// of a JSON-lines corpus seen so far: 24 bytes an article instead of
    /// two strings. A false collision of two 64-bit hashes is negligible
    /// (p ≈ 3·10⁻⁸ at a million articles).
    seen: HashMap<u64, (u64, usize)>,
}

enum RawSource<'c> {
    /// A folder was listed (and its ids checked) when it was opened.
    Folder(std::slice::Iter<'c, FolderEntry>),
    Lines(Box<RawLines>),
}

/// One article read from disk and not yet parsed: a JSON line, or the
/// entry of a folder (whose files [`RawItem::parse`] reads).
pub struct RawItem<'c>(RawKind<'c>);

enum RawKind<'c> {
    Entry(&'c FolderEntry, &'c str),
    Line {
        display: &'c str,
        line: usize,
        bytes: Vec<u8>,
    },
    /// The corpus could not be read further.
    Ready(Item),
}

/// A parsed article, to be given to [`RawItems::resolve`].
pub struct Parsed(ParsedKind);

enum ParsedKind {
    /// Nothing more to check: the item, or nothing for a blank line.
    Final(Option<Item>),
    /// A JSON line with a safe id, which may repeat an earlier one.
    Pending(Box<PendingLine>),
}

struct PendingLine {
    line: usize,
    /// The id as written.
    raw: String,
    /// What the line is if its id is new.
    item: Item,
    /// If its id is taken: the issues found before the id check, and the
    /// place of the id issue among them.
    id_label: String,
    issues_if_taken: Vec<Issue>,
    insert_at: usize,
}

impl RawItem<'_> {
    /// Parses and resolves the article, reading its files for a folder.
    /// Runs on any thread: it depends on nothing but the article.
    pub fn parse(self) -> Parsed {
        match self.0 {
            RawKind::Entry(entry, display) => {
                Parsed(ParsedKind::Final(Some(load_folder_entry(entry, display))))
            }
            RawKind::Line {
                display,
                line,
                bytes,
            } => parse_line(display, line, bytes),
            RawKind::Ready(item) => Parsed(ParsedKind::Final(Some(item))),
        }
    }
}

impl<'c> Iterator for RawItems<'c> {
    type Item = RawItem<'c>;

    fn next(&mut self) -> Option<RawItem<'c>> {
        match &mut self.source {
            RawSource::Folder(entries) => entries
                .next()
                .map(|e| RawItem(RawKind::Entry(e, self.display))),
            RawSource::Lines(lines) => lines.next(self.display),
        }
    }
}

impl RawItems<'_> {
    /// The item of a parsed article, given in corpus order: an article
    /// whose id repeats an earlier one (or differs from it only in letter
    /// case) is broken. `None` for a blank line.
    pub fn resolve(&mut self, parsed: Parsed) -> Option<Item> {
        let p = match parsed.0 {
            ParsedKind::Final(item) => return item,
            ParsedKind::Pending(p) => p,
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
        let Some(&(other, other_line)) = self.seen.get(&lower) else {
            self.seen.insert(lower, (hash_id(&raw), line));
            return Some(item);
        };
        let mut sink = Diagnostics::new(Place {
            file: self.display,
            line: Some(line),
            article: &id_label,
        });
        if other == hash_id(&raw) {
            sink.error("duplicate-article", "id", None, format!("article id {raw:?} already appeared on line {other_line}; this line is skipped"))
                .hint = Some("remove one of the two lines, or give one another id".into());
        } else {
            sink.error("case-collision", "id", None, format!("id {raw:?} differs only in letter case from the id on line {other_line}; this line is skipped"))
                .hint = Some("they would collide on case-insensitive file systems: rename one".into());
        }
        let issue = sink.issues.pop().expect("just pushed");
        issues_if_taken.insert(insert_at, issue);
        Some(Item::Broken {
            id: id_label,
            issues: issues_if_taken,
        })
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
    let mut sink = Diagnostics::new(Place {
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
    mut sink: Diagnostics<'_>,
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

/// Streams the lines of a JSON-lines corpus.
struct RawLines {
    reader: Option<Box<dyn BufRead>>,
    pending: Option<Item>,
    line_no: usize,
    buf: Vec<u8>,
}

impl RawLines {
    fn open(path: &Path, display: &str) -> RawLines {
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
        RawLines {
            reader,
            pending,
            line_no: 0,
            buf: Vec::new(),
        }
    }

    fn next<'c>(&mut self, display: &'c str) -> Option<RawItem<'c>> {
        if let Some(item) = self.pending.take() {
            return Some(RawItem(RawKind::Ready(item)));
        }
        let reader = self.reader.as_mut()?;
        self.buf.clear();
        match reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => {
                self.reader = None;
                None
            }
            Ok(_) => {
                self.line_no += 1;
                if self.buf.ends_with(b"\n") {
                    self.buf.pop();
                    if self.buf.ends_with(b"\r") {
                        self.buf.pop();
                    }
                }
                // The next line is rarely much longer than this one.
                let capacity = self.buf.len();
                let bytes = std::mem::replace(&mut self.buf, Vec::with_capacity(capacity));
                Some(RawItem(RawKind::Line {
                    display,
                    line: self.line_no,
                    bytes,
                }))
            }
            Err(e) => {
                self.reader = None;
                Some(RawItem(RawKind::Ready(io_item(
                    display,
                    self.line_no + 1,
                    &e,
                ))))
            }
        }
    }
}

/// Parses one line of a JSON-lines corpus. Everything but the check of its
/// id against earlier lines, which [`RawItems::resolve`] makes in order.
fn parse_line(display: &str, line: usize, bytes: Vec<u8>) -> Parsed {
    let done = |item| Parsed(ParsedKind::Final(Some(item)));
    let label = format!("line {line}");
    let text = match utf8(bytes, display, None, Some(line)) {
        Ok(t) => t,
        Err(issue) => {
            return done(Item::Broken {
                id: label,
                issues: vec![*issue],
            })
        }
    };
    if text.trim().is_empty() {
        return Parsed(ParsedKind::Final(None));
    }
    let value = match parse_json(&text, display, None, Some(line)) {
        Ok(v) => v,
        Err(issue) => {
            return done(Item::Broken {
                id: label,
                issues: vec![*issue],
            })
        }
    };
    let raw_id = value.get("id").and_then(Value::as_str).map(str::to_string);
    let id_label = raw_id.clone().unwrap_or(label);
    let mut sink = Diagnostics::new(Place {
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
        return done(Item::Broken {
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
            Ok(id) => Some(id),
        },
    };
    // Where an issue about a repeated id goes, if the id turns out taken.
    let insert_at = sink.issues.len();
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
    let Some(id) = id else {
        return done(Item::Broken {
            id: id_label.clone(),
            issues: sink.issues,
        });
    };
    let raw = raw_id.clone().expect("a safe id was given");
    let issues_if_taken = sink.issues.clone();
    let item = match text {
        None => Item::Broken {
            id: id_label.clone(),
            issues: sink.issues,
        },
        Some(text) if !obj.contains_key("quotes") && !obj.contains_key("status") => {
            let note = Issue::new(
                Severity::Note,
                "unannotated",
                display,
                "no `quotes`, so it is not scored",
            )
            .article(id.as_str())
            .line(line);
            sink.issues.push(note);
            Item::Article {
                article: Article {
                    id,
                    text: text.to_string(),
                    gold: None,
                },
                issues: sink.issues,
            }
        }
        Some(text) => {
            let gold = resolve_gold(obj, text, &mut sink);
            let text = text.to_string();
            finish(id, text, gold, sink, display)
        }
    };
    Parsed(ParsedKind::Pending(Box::new(PendingLine {
        line,
        raw,
        item,
        id_label,
        issues_if_taken,
        insert_at,
    })))
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
