//! Writing gold files: the corpus.md format in one canonical form, target
//! checks before anything is written, atomic writes. Used by `import`,
//! `export`, `fmt`, `draft` and `promote`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::corpus::id::ArticleId;
use crate::corpus::model::{Gold, Kind, Source, Span, Status};
use crate::corpus::offsets::{OffsetIndex, OffsetUnit};

/// Writing a converted corpus failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Some targets exist and overwriting was not asked for; nothing was written.
    #[error("{} file{} already exist{}; nothing was written (--force overwrites them)", .0.len(), if .0.len() == 1 { "" } else { "s" }, if .0.len() == 1 { "s" } else { "" })]
    WouldOverwrite(Vec<PathBuf>),
    /// A file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// `out/<id>.<ext>`; the id is safe, so this stays inside `out`.
pub fn target(out: &Path, id: &ArticleId, ext: &str) -> PathBuf {
    let mut path = out.to_path_buf();
    for seg in id.as_str().split('/') {
        path.push(seg);
    }
    let name = format!(
        "{}.{ext}",
        path.file_name()
            .expect("an id has segments")
            .to_string_lossy()
    );
    path.set_file_name(name);
    path
}

/// Fails, listing them, when any of `targets` exists and `force` is off.
pub fn refuse_overwrite(targets: &[PathBuf], force: bool) -> Result<(), WriteError> {
    if force {
        return Ok(());
    }
    let existing: Vec<PathBuf> = targets
        .iter()
        .filter(|p| p.symlink_metadata().is_ok())
        .cloned()
        .collect();
    if existing.is_empty() {
        Ok(())
    } else {
        Err(WriteError::WouldOverwrite(existing))
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed into place, so a reader never sees half a file.
pub fn atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    crate::atomic::write(path, bytes).map_err(|source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[derive(Serialize)]
struct FileOut<'a> {
    article: &'a str,
    offsets: OffsetUnit,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a Source>,
    quotes: Vec<QuoteOut<'a>>,
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<Kind>,
    content: ContentOut<'a>,
    speaker: Option<SpeakerOut<'a>>,
    cue: Option<SpanOut<'a>>,
    optional: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ContentOut<'a> {
    One(SpanOut<'a>),
    Many(Vec<SpanOut<'a>>),
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct SpeakerOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    aliases: &'a [String],
}

/// The gold file of article `id` (corpus.md), with code point offsets:
/// pretty JSON with a trailing newline.
///
/// # Panics
/// When a span of `gold` is not on character boundaries of `text`.
pub fn gold_json(id: &ArticleId, text: &str, gold: &Gold) -> String {
    gold_json_in(id, text, gold, OffsetUnit::Codepoint)
}

/// The canonical form of a gold file (`quotecheck fmt`): the fields in the
/// order of corpus.md, records in the order of the gold (see
/// [`canonical_order`]), offsets in `unit`, two-space indentation and a
/// trailing newline.
///
/// # Panics
/// When a span of `gold` is not on character boundaries of `text`.
pub fn gold_json_in(id: &ArticleId, text: &str, gold: &Gold, unit: OffsetUnit) -> String {
    let index = OffsetIndex::new(text);
    let span = |s: Span| SpanOut {
        start: index.from_byte(unit, s.start),
        end: index.from_byte(unit, s.end),
        text: s.slice(text),
    };
    let file = FileOut {
        article: id.as_str(),
        offsets: unit,
        status: gold.status,
        source: gold.source.as_ref().filter(|s| **s != Source::default()),
        quotes: gold
            .quotes
            .iter()
            .map(|q| QuoteOut {
                id: &q.id,
                kind: q.kind,
                content: match q.content.as_slice() {
                    [one] => ContentOut::One(span(*one)),
                    many => ContentOut::Many(many.iter().map(|s| span(*s)).collect()),
                },
                speaker: q.speaker.as_ref().map(|sp| {
                    let s = span(sp.span);
                    SpeakerOut {
                        start: s.start,
                        end: s.end,
                        text: s.text,
                        entity: sp.entity.as_deref(),
                        aliases: &sp.aliases,
                    }
                }),
                cue: q.cue.map(span),
                optional: q.optional,
                note: q.note.as_deref(),
            })
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&file).expect("gold serializes");
    json.push('\n');
    json
}

/// Sorts records by position: first start, last end, then id, so that a
/// reformatted file lists quotes in reading order.
pub fn canonical_order(gold: &mut Gold) {
    gold.quotes.sort_by(|a, b| {
        let key = |q: &crate::corpus::model::GoldQuote| {
            (
                q.content.first().map_or(0, |s| s.start),
                q.content.last().map_or(0, |s| s.end),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
}
