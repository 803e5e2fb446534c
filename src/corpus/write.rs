//! Writing corpus files: gold files in the corpus.md format in one
//! canonical form (pretty, or on one line), JSON-lines corpus lines,
//! prediction and replay records, target checks before anything is
//! written, atomic writes. Used by `import`, `export`, `fmt`, `draft`,
//! `promote` and the synthetic-corpus generator.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::corpus::id::ArticleId;
use crate::corpus::model::{Gold, Kind, PredMention, PredPart, Prediction, Source, Span, Status};
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

/// A gold file, or (with `id` and `text` instead of `article`) a line of a
/// JSON-lines corpus.
#[derive(Serialize)]
struct FileOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    article: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_sha256: Option<String>,
    offsets: OffsetUnit,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    quotes: Vec<QuoteOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ignore: Vec<SpanOut<'a>>,
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

/// A speaker: its mention's span, or (a speaker given by entity alone)
/// only `entity` and `aliases`.
#[derive(Serialize)]
struct SpeakerOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    aliases: &'a [String],
}

/// The gold file of article `id` (corpus.md), with code point offsets and
/// the hash of the text it is written for (`text_sha256`): pretty JSON
/// with a trailing newline. What `import` writes.
///
/// # Panics
/// When a span of `gold` is not on character boundaries of `text`.
pub fn gold_json(id: &ArticleId, text: &str, gold: &Gold) -> String {
    gold_json_hashed(id, text, gold, OffsetUnit::Codepoint)
}

/// [`gold_json_in`] with `text_sha256`, the hash of `text`, after
/// `article`: the canonical form of a gold file that records it.
///
/// # Panics
/// When a span of `gold` is not on character boundaries of `text`.
pub fn gold_json_hashed(id: &ArticleId, text: &str, gold: &Gold, unit: OffsetUnit) -> String {
    let mut file = file_out(Head::File(id), text, gold, unit, &OffsetIndex::new(text));
    file.text_sha256 = Some(text_sha256(text));
    let mut json = serde_json::to_string_pretty(&file).expect("gold serializes");
    json.push('\n');
    json
}

/// The SHA-256 of `text`'s UTF-8 bytes in lower-case hex: what a gold
/// file's `text_sha256` holds (corpus.md).
pub fn text_sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(text.as_bytes());
    // One allocation instead of one `format!` per byte: this runs once per
    // article on every run.
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push(HEX[usize::from(b >> 4)] as char);
        hex.push(HEX[usize::from(b & 0xf)] as char);
    }
    hex
}

/// The canonical form of a gold file (`quotecheck fmt`): the fields in the
/// order of corpus.md, records in the order of the gold (see
/// [`canonical_order`]), offsets in `unit`, two-space indentation and a
/// trailing newline.
///
/// # Panics
/// When a span of `gold` is not on character boundaries of `text`.
pub fn gold_json_in(id: &ArticleId, text: &str, gold: &Gold, unit: OffsetUnit) -> String {
    let file = file_out(Head::File(id), text, gold, unit, &OffsetIndex::new(text));
    let mut json = serde_json::to_string_pretty(&file).expect("gold serializes");
    json.push('\n');
    json
}

/// The gold file of article `id` on one line, without a trailing newline:
/// the fields and records of [`gold_json_in`], in its least bytes.
///
/// # Panics
/// When a span of `gold` is not on character boundaries of `text`.
pub fn gold_json_line(id: &ArticleId, text: &str, gold: &Gold, unit: OffsetUnit) -> String {
    let file = file_out(Head::File(id), text, gold, unit, &OffsetIndex::new(text));
    serde_json::to_string(&file).expect("gold serializes")
}

/// Article `id` as one line of a JSON-lines corpus (corpus.md), without
/// the newline: `id` and `text`, then the gold as a gold file has it.
///
/// # Panics
/// When a span of `gold` is not on character boundaries of `text`.
pub fn corpus_line(id: &ArticleId, text: &str, gold: &Gold, unit: OffsetUnit) -> String {
    let file = file_out(Head::Line(id), text, gold, unit, &OffsetIndex::new(text));
    serde_json::to_string(&file).expect("gold serializes")
}

/// What names the article in a gold record.
#[derive(Clone, Copy)]
enum Head<'a> {
    /// A gold file: `article`.
    File(&'a ArticleId),
    /// A corpus line: `id` and `text`.
    Line(&'a ArticleId),
}

fn file_out<'a>(
    head: Head<'a>,
    text: &'a str,
    gold: &'a Gold,
    unit: OffsetUnit,
    index: &OffsetIndex<'_>,
) -> FileOut<'a> {
    let span = |s: Span| SpanOut {
        start: index.from_byte(unit, s.start),
        end: index.from_byte(unit, s.end),
        text: s.slice(text),
    };
    let (id, line_text, article) = match head {
        Head::File(id) => (None, None, Some(id.as_str())),
        Head::Line(id) => (Some(id.as_str()), Some(text), None),
    };
    FileOut {
        id,
        text: line_text,
        article,
        text_sha256: None,
        offsets: unit,
        status: gold.status,
        source: gold.source.as_ref().filter(|s| **s != Source::default()),
        language: gold.language.as_deref(),
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
                    let s = sp.span.map(span);
                    SpeakerOut {
                        start: s.as_ref().map(|s| s.start),
                        end: s.as_ref().map(|s| s.end),
                        text: s.map(|s| s.text),
                        entity: sp.entity.as_deref(),
                        aliases: &sp.aliases,
                    }
                }),
                cue: q.cue.map(span),
                optional: q.optional,
                note: q.note.as_deref(),
            })
            .collect(),
        ignore: gold.ignore.iter().map(|s| span(*s)).collect(),
    }
}

/// Which located spans of a prediction record are written with their
/// text too (corpus.md allows both; a reader checks the text against the
/// article).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpanText {
    /// The parts of the content.
    pub content: bool,
    /// The speaker and the cue.
    pub mentions: bool,
}

#[derive(Serialize)]
struct PredictionsOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    offsets: OffsetUnit,
    quotes: Vec<PredictionOut<'a>>,
}

#[derive(Serialize)]
struct PredictionOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    content: PredContentOut<'a>,
    speaker: Option<PartOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cue: Option<PartOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<Kind>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum PredContentOut<'a> {
    One(PartOut<'a>),
    Many(Vec<PartOut<'a>>),
}

/// A located span, with or without its text, or a text-only span.
#[derive(Serialize)]
#[serde(untagged)]
enum PartOut<'a> {
    At {
        start: usize,
        end: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<&'a str>,
    },
    Text {
        text: &'a str,
    },
}

/// The predictions of one article on one line, without a trailing
/// newline: a prediction file, or with `id` a line of a JSON-lines replay
/// (corpus.md). Offsets are written in `unit`, each record's located spans
/// with their text as its [`SpanText`] says; `speaker` is always written
/// (`null` when there is none), `cue` and `kind` only when known.
///
/// # Panics
/// When a located span is not on character boundaries of `text`.
pub fn predictions_line<'p>(
    id: Option<&ArticleId>,
    text: &str,
    unit: OffsetUnit,
    records: impl IntoIterator<Item = (&'p Prediction, SpanText)>,
) -> String {
    let index = OffsetIndex::new(text);
    let at = |s: Span, with_text: bool| PartOut::At {
        start: index.from_byte(unit, s.start),
        end: index.from_byte(unit, s.end),
        text: with_text.then(|| s.slice(text)),
    };
    let part = |p: &'p PredPart, with_text: bool| match p {
        PredPart::Located(s) => at(*s, with_text),
        PredPart::Text(t) => PartOut::Text { text: t },
    };
    let mention = |m: &'p PredMention, with_text: bool| match m.span {
        Some(s) => at(s, with_text),
        None => PartOut::Text { text: &m.text },
    };
    let quotes = records
        .into_iter()
        .map(|(p, with)| PredictionOut {
            id: p.id.as_deref(),
            content: match p.content.as_slice() {
                [one] => PredContentOut::One(part(one, with.content)),
                many => PredContentOut::Many(many.iter().map(|q| part(q, with.content)).collect()),
            },
            speaker: p.speaker.as_ref().map(|m| mention(m, with.mentions)),
            cue: p.cue.as_ref().map(|m| mention(m, with.mentions)),
            kind: p.kind,
        })
        .collect();
    let out = PredictionsOut {
        id: id.map(ArticleId::as_str),
        offsets: unit,
        quotes,
    };
    serde_json::to_string(&out).expect("predictions serialize")
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

#[cfg(test)]
mod hash_tests {
    use super::text_sha256;

    #[test]
    fn text_sha256_is_lower_case_hex_of_the_standard_digest() {
        // FIPS 180-2 test vectors.
        assert_eq!(
            text_sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            text_sha256(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
