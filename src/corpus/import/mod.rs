//! Importing corpora annotated in other formats (docs/import.md).
//!
//! Each format has its own reader (`brat`, `citron`, `spkatt`, `ggt`) that
//! turns one source document into a [`Doc`]: the article text and one
//! [`RawQuote`] per source record, with offsets still in the source's unit
//! (code points for every format here). [`resolve`] then checks every span
//! against the text, repairs a span whose offsets are slightly off, and
//! builds gold records. Nothing is dropped silently: a record that cannot
//! be mapped is an [`Issue`] whose code is the reason, counted in the
//! summary.
//!
//! [`import`] reads a file or a folder; [`Import::write`] writes the result
//! as a corpus folder (corpus.md), refusing to overwrite anything unless
//! asked to.

mod brat;
mod citron;
mod ggt;
mod list;
mod pdnc;
mod resolve;
mod spkatt;
mod spkatt2023;
mod write;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

pub use super::write::{gold_json, WriteError};
pub use brat::import_brat;
pub use citron::import_citron;
pub use ggt::import_ggt;
pub use list::{Annotator, Annotators};
pub use pdnc::import_pdnc;
pub use spkatt::import_spkatt;
pub use spkatt2023::import_spkatt_2023;

use super::id::ArticleId;
use super::issue::{Issue, Severity};
use super::model::{Gold, Kind, Source, Status};

/// A format quotecheck imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// brat standoff: `<id>.ann` next to `<id>.txt` (PolNeAR and most brat exports).
    Brat,
    /// Citron JSON: one `{"text", "quotes", "coreference_groups"}` document a file.
    Citron,
    /// The German news quotation attribution JSON (SpkAtt style): one
    /// `{"documentName", "originalText", "annotations"}` document a file.
    Spkatt,
    /// The SpkAtt-2023 shared-task format: `{"Sentences", "Annotations"}`
    /// with roles as `sentence:token` ids.
    Spkatt2023,
    /// Gender Gap Tracker style JSON: a list of quote objects a file, the
    /// text in `<id>.txt` (or an object with `body` and `quotes`).
    Ggt,
    /// The Project Dialogism Novel Corpus: a folder a novel with
    /// `novel_text.txt`, `quotation_info.csv` and `character_info.csv`.
    Pdnc,
}

impl Format {
    /// Every format, in the order they are listed in messages.
    pub const ALL: [Format; 6] = [
        Format::Brat,
        Format::Citron,
        Format::Spkatt,
        Format::Spkatt2023,
        Format::Ggt,
        Format::Pdnc,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Brat => "brat",
            Format::Citron => "citron",
            Format::Spkatt => "spkatt",
            Format::Spkatt2023 => "spkatt-2023",
            Format::Ggt => "ggt",
            Format::Pdnc => "pdnc",
        }
    }

    /// Parses the name used on the command line.
    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The extension of the files that hold the annotations.
    fn extension(self) -> &'static str {
        match self {
            Format::Brat => "ann",
            Format::Pdnc => "csv",
            _ => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One span as the source gives it: fragments in the source's unit (code
/// points), and the text the source says they cover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawSpan {
    /// `(start, end)` of each fragment, end exclusive, as given.
    pub parts: Vec<(u64, u64)>,
    /// The text the source gives for the span (fragments joined by a space
    /// in brat), if any.
    pub text: Option<String>,
    /// Where the span is, for messages: a JSON path, or `T3` in brat.
    pub at: String,
}

impl RawSpan {
    pub fn one(start: u64, end: u64, text: Option<String>, at: impl Into<String>) -> RawSpan {
        RawSpan {
            parts: vec![(start, end)],
            text,
            at: at.into(),
        }
    }
}

/// One source record, not yet checked against the text.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawQuote {
    /// The source's own id for the record, if it has one.
    pub id: Option<String>,
    /// Where the record is: the line of a brat event.
    pub line: Option<usize>,
    /// Where the record is: the JSON path of the record.
    pub path: Option<String>,
    /// The content, in one or more pieces (each possibly in fragments).
    pub content: Vec<RawSpan>,
    /// The sources in the order listed: the first is the speaker mention,
    /// the text of the others become aliases.
    pub sources: Vec<RawSpan>,
    /// The cue; only its first fragment is kept.
    pub cue: Option<RawSpan>,
    /// The canonical name of the speaker, when the format has one.
    pub entity: Option<String>,
    /// Other names of the speaker, when the format has them.
    pub aliases: Vec<String>,
    /// The quote type, when the format has one.
    pub kind: Option<Kind>,
    /// Whether the record is a borderline case.
    pub optional: bool,
    /// Without a source, the speaker is `entity` alone (PDNC: a character
    /// the text does not name near the quote), not `null`.
    pub entity_speaker: bool,
    /// A note for curators.
    pub note: Option<String>,
}

/// What a format reader makes of one source document.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    /// The article text, exactly as the source gives it.
    pub text: String,
    /// Provenance, when the format gives some.
    pub source: Option<Source>,
    /// One entry per source record: the record, or why it was skipped
    /// (an error whose code is the reason).
    pub records: Vec<Result<RawQuote, Issue>>,
    /// Warnings and notes that skip no record.
    pub issues: Vec<Issue>,
    /// Regions the annotators excluded (gold `ignore`), when the format has them.
    pub ignore: Vec<RawSpan>,
    /// The source says its gold is a draft (a quotecheck export of a draft).
    pub draft: bool,
}

/// One article imported from one source document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocImport {
    /// The article text, as it will be written (without a byte-order mark).
    pub text: String,
    /// The gold records; `status` is `draft` when some record was skipped.
    pub gold: Gold,
    /// How many records the source holds.
    pub records_in: usize,
    /// How many of them were kept after moving a span to where its text is.
    pub repaired: usize,
    /// How many were folded into an earlier record with the same content
    /// and another speaker (a relayed quote, docs/corpus.md).
    pub relayed: usize,
    /// One error per skipped record; its `code` is the reason.
    pub skipped: Vec<Issue>,
    /// Warnings and notes (repairs, things ignored).
    pub issues: Vec<Issue>,
}

impl DocImport {
    /// How many records were kept.
    pub fn written(&self) -> usize {
        self.gold.quotes.len()
    }
}

/// One imported article and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedArticle {
    /// The id it will be written under.
    pub id: ArticleId,
    /// The source file it was read from.
    pub file: String,
    /// What was imported.
    pub doc: DocImport,
}

/// The outcome of importing a file or a folder.
#[derive(Clone, Debug)]
pub struct Import {
    /// The format read.
    pub format: Format,
    /// The path as given.
    pub path: String,
    /// The articles read, in id order.
    pub articles: Vec<ImportedArticle>,
    /// Source documents that could not be read (each has an error in `issues`).
    pub unreadable: usize,
    /// Every problem, skipped record, repair and note, in file order.
    pub issues: Vec<Issue>,
    /// In PolNeAR's layout, whose annotations there are and which were read.
    pub annotators: Annotators,
}

/// Choices for [`import_with`].
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Whose annotations are read when an article has several.
    pub annotator: Annotator,
}

/// Nothing could be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The path does not exist or cannot be listed.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The path holds no file of the format.
    #[error("`{path}` holds no {what}")]
    Empty {
        /// The path as given.
        path: String,
        /// What was looked for.
        what: String,
    },
    /// The path is a file of another kind.
    #[error("`{path}` is not a {format} file: {why}")]
    NotAFile {
        /// The path as given.
        path: String,
        /// The format asked for.
        format: Format,
        /// What is expected instead.
        why: &'static str,
    },
}

impl Import {
    /// Records in the sources.
    pub fn records_in(&self) -> usize {
        self.articles.iter().map(|a| a.doc.records_in).sum()
    }

    /// Records written.
    pub fn written(&self) -> usize {
        self.articles.iter().map(|a| a.doc.written()).sum()
    }

    /// Records kept after a repair.
    pub fn repaired(&self) -> usize {
        self.articles.iter().map(|a| a.doc.repaired).sum()
    }

    /// Records folded into an earlier record as a relay.
    pub fn relayed(&self) -> usize {
        self.articles.iter().map(|a| a.doc.relayed).sum()
    }

    /// Records skipped.
    pub fn skipped(&self) -> usize {
        self.articles.iter().map(|a| a.doc.skipped.len()).sum()
    }

    /// Skipped records by reason (the issue code), in code order.
    pub fn skipped_by_reason(&self) -> BTreeMap<&'static str, usize> {
        let mut by = BTreeMap::new();
        for issue in self.articles.iter().flat_map(|a| &a.doc.skipped) {
            *by.entry(issue.code).or_insert(0) += 1;
        }
        by
    }

    /// Articles written as drafts (some record skipped).
    pub fn drafts(&self) -> usize {
        self.articles
            .iter()
            .filter(|a| a.doc.gold.status == Status::Draft)
            .count()
    }

    /// Whether everything was imported: every document read, every record kept.
    pub fn is_complete(&self) -> bool {
        self.unreadable == 0 && self.skipped() == 0
    }
}

/// Short explanations of the reasons a record is skipped, for summaries.
pub fn reason(code: &str) -> &'static str {
    match code {
        "text-mismatch" => "the text disagrees with its offsets and was not found nearby",
        "offset-out-of-range" => "an offset is past the end of the text",
        "start-after-end" => "a span starts after it ends",
        "missing-offsets" => "a span has no usable offsets",
        "missing-content" => "the record has no content",
        "content-without-tokens" => "the content has no letters or digits",
        "parts-overlap" => "parts of the content overlap",
        "duplicate-record" => "another record has the same content",
        "malformed-line" => "a line that cannot be parsed",
        "malformed-record" => "a record of the wrong shape",
        "bad-reference" => "an event refers to a missing or malformed annotation",
        "content-without-event" => "a Content annotation in no Attribution event",
        _ => "see the messages above",
    }
}

/// Reads every document of `format` at `path`: one file, or every file of
/// the format below a folder (ids are paths relative to the folder, without
/// the extension, as in a corpus).
///
/// Fails only when nothing can be read at all; problems in documents are
/// issues in the result.
pub fn import(path: impl AsRef<Path>, format: Format) -> Result<Import, ImportError> {
    import_with(path, format, &Options::default())
}

/// [`import`], with choices.
pub fn import_with(
    path: impl AsRef<Path>,
    format: Format,
    options: &Options,
) -> Result<Import, ImportError> {
    let path = path.as_ref();
    let display = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| ImportError::Io {
        path: display.clone(),
        source,
    })?;
    let ext = format.extension();
    let mut issues = Vec::new();
    let mut annotators = Annotators::default();
    let listed = if meta.is_dir() {
        list::list(
            path,
            format,
            &options.annotator,
            &mut issues,
            &mut annotators,
        )
        .map_err(|source| ImportError::Io {
            path: display.clone(),
            source,
        })?
    } else {
        vec![list::single(path, format)?]
    };
    if listed.is_empty() {
        let what = match &options.annotator {
            Annotator::Only(a) => format!(".{ext} files of annotator {a:?}"),
            Annotator::First => format!(".{ext} files"),
        };
        return Err(ImportError::Empty {
            path: display,
            what,
        });
    }
    let mut out = Import {
        format,
        path: display,
        articles: Vec::new(),
        unreadable: 0,
        issues,
        annotators,
    };
    let mut seen_lower: HashMap<String, String> = HashMap::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for mut entry in listed {
        let file = entry.file.display().to_string();
        if format == Format::Spkatt {
            // File names are titles: a documented rule makes them ids.
            if let Some(id) = list::spkatt_id(&entry.id) {
                entry.id = id;
            }
        }
        if let Some(other) = seen.get(&entry.id) {
            out.unreadable += 1;
            out.issues.push(
                Issue::new(
                    Severity::Error,
                    "id-collision",
                    &file,
                    format!(
                        "its id {:?} is also the id of `{other}`; the second is not imported",
                        entry.id
                    ),
                )
                .article(&entry.id)
                .hint("two file names give the same id (docs/import.md says how ids are made): rename one"),
            );
            continue;
        }
        seen.insert(entry.id.clone(), file.clone());
        let id = match ArticleId::new(&entry.id) {
            Ok(id) => id,
            Err(e) => {
                out.unreadable += 1;
                out.issues.push(
                    Issue::new(
                        Severity::Error,
                        "unsafe-id",
                        &file,
                        format!("{e}; the file is not imported"),
                    )
                    .hint("rename the file: article ids come from file names, and only letters A-Z a-z, digits, `.`, `_` and `-` are allowed"),
                );
                continue;
            }
        };
        if let Some(other) = seen_lower.insert(entry.id.to_lowercase(), entry.id.clone()) {
            out.unreadable += 1;
            out.issues.push(
                Issue::new(
                    Severity::Error,
                    "case-collision",
                    &file,
                    format!(
                        "ids {other:?} and {:?} differ only in letter case; the second is not imported",
                        entry.id
                    ),
                )
                .article(&entry.id)
                .hint("they would collide on case-insensitive file systems: rename one"),
            );
            continue;
        }
        match read_doc(&entry, &file, id.as_str(), format) {
            Ok(mut doc) => {
                if let Some(a) = &entry.annotator {
                    doc.gold
                        .source
                        .get_or_insert_with(Source::default)
                        .annotator = Some(a.clone());
                }
                out.issues.extend(doc.issues.iter().cloned());
                out.issues.extend(doc.skipped.iter().cloned());
                out.articles.push(ImportedArticle { id, file, doc });
            }
            Err(issue) => {
                out.unreadable += 1;
                out.issues.push(*issue);
            }
        }
    }
    // Errors, then warnings, then notes; file order within each.
    out.issues.sort_by_key(|i| i.severity);
    Ok(out)
}

/// Reads and imports one document.
fn read_doc(
    entry: &list::Listed,
    display: &str,
    id: &str,
    format: Format,
) -> Result<DocImport, Box<Issue>> {
    let file = entry.file.as_path();
    let source = read_utf8(file, display, id)?;
    match format {
        Format::Brat => {
            let txt = entry
                .text
                .clone()
                .unwrap_or_else(|| file.with_extension("txt"));
            let txt_display = txt.display().to_string();
            if !txt.exists() {
                return Err(Box::new(
                    Issue::new(
                        Severity::Error,
                        "missing-text",
                        display,
                        format!(
                            "`{}` is missing, so the annotations cannot be read",
                            txt_display
                        ),
                    )
                    .article(id)
                    .hint("brat keeps the text of `x.ann` in `x.txt` next to it (PolNeAR: `text/x.txt` beside `attributions/x_<annotator>.ann`)"),
                ));
            }
            let text = read_utf8(&txt, &txt_display, id)?;
            Ok(import_brat(&source, &text, display, id))
        }
        Format::Citron => import_citron(&source, display, id),
        Format::Spkatt => import_spkatt(&source, display, id),
        Format::Spkatt2023 => import_spkatt_2023(&source, display, id),
        Format::Ggt => {
            let txt = file.with_extension("txt");
            let text = if txt.exists() {
                Some(read_utf8(&txt, &txt.display().to_string(), id)?)
            } else {
                None
            };
            import_ggt(&source, text.as_deref(), display, id)
        }
        Format::Pdnc => {
            // A novel's folder holds its text and its characters beside the quotes.
            let beside = |name: &str| {
                let path = file.with_file_name(name);
                let shown = path.display().to_string();
                if !path.exists() {
                    return Err(Box::new(
                        Issue::new(
                            Severity::Error,
                            "missing-text",
                            display,
                            format!("`{shown}` is missing, so the novel cannot be read"),
                        )
                        .article(id)
                        .hint("PDNC keeps each novel as novel_text.txt, quotation_info.csv and character_info.csv in one folder"),
                    ));
                }
                read_utf8(&path, &shown, id)
            };
            let text = beside("novel_text.txt")?;
            let characters = beside("character_info.csv")?;
            import_pdnc(&text, &source, &characters, (display, id))
        }
    }
}

fn read_utf8(path: &Path, display: &str, id: &str) -> Result<String, Box<Issue>> {
    // Bounded, and never a FIFO or a device (docs/reliability.md).
    let bytes = write::read_source(path, display, id)?;
    String::from_utf8(bytes).map_err(|e| {
        Box::new(
            Issue::new(
                Severity::Error,
                "invalid-utf8",
                display,
                format!(
                    "invalid UTF-8 at byte offset {}; the file is not imported",
                    e.utf8_error().valid_up_to()
                ),
            )
            .article(id)
            .hint("convert the file to UTF-8 (for example with `iconv -f latin1 -t utf-8`)"),
        )
    })
}

/// Turns a parsed document into gold: resolves every record, gives each an
/// id, drops duplicates, and marks the article `draft` when a record was
/// skipped.
pub(crate) fn finish(doc: Doc, file: &str, article: &str) -> DocImport {
    resolve::finish(doc, file, article)
}

/// A JSON syntax error as an issue with line and column.
pub(crate) fn malformed_json(e: &serde_json::Error, file: &str, article: &str) -> Issue {
    let mut issue = Issue::new(
        Severity::Error,
        "malformed-json",
        file,
        format!(
            "malformed JSON: {}; the file is not imported",
            super::records::json_error_message(e)
        ),
    )
    .article(article)
    .hint("fix the JSON syntax at that position");
    issue.line = Some(e.line());
    issue.column = Some(e.column());
    issue
}

/// A document of the wrong shape as an issue.
pub(crate) fn wrong_shape(file: &str, article: &str, message: String, hint: &str) -> Box<Issue> {
    Box::new(
        Issue::new(Severity::Error, "wrong-shape", file, message)
            .article(article)
            .hint(hint),
    )
}

/// The text and the record list of a JSON document of `format` (an object
/// with a string `text_key` and a list `list_key`), or why the file cannot
/// be imported.
pub(crate) fn document_parts<'v>(
    value: &'v serde_json::Value,
    (file, article): (&str, &str),
    format: &str,
    (text_key, list_key): (&str, &str),
    hint: &str,
) -> Result<(&'v str, &'v [serde_json::Value]), Box<Issue>> {
    let Some(obj) = value.as_object() else {
        let message = format!(
            "a {format} document must be an object, not {}; the file is not imported",
            crate::corpus::records::show(value)
        );
        return Err(wrong_shape(file, article, message, hint));
    };
    let Some(text) = obj.get(text_key).and_then(serde_json::Value::as_str) else {
        let message = format!("the document has no string `{text_key}`; the file is not imported");
        return Err(wrong_shape(file, article, message, hint));
    };
    let Some(list) = obj.get(list_key).and_then(serde_json::Value::as_array) else {
        let message = format!("the document has no `{list_key}` list; the file is not imported");
        return Err(wrong_shape(file, article, message, hint));
    };
    Ok((text, list))
}

/// An error that skips one record, located at a JSON path.
pub(crate) fn skip_at(
    code: &'static str,
    file: &str,
    article: &str,
    path: &str,
    record: Option<&str>,
    message: impl Into<String>,
) -> Issue {
    let mut issue = Issue::new(Severity::Error, code, file, message)
        .article(article)
        .record(record);
    if !path.is_empty() {
        issue.path = Some(path.to_string());
    }
    issue
}
