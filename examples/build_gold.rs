//! Builds the gold record files of the bundled corpus from their annotation
//! sources.
//!
//! Every `annotations/<id>.toml` describes the quotes of `corpus/<id>.txt`
//! by their *text*, never by offset: offsets are what people get wrong when
//! they type them, and what changes when an article is corrected. This
//! program finds each span in the article, turns it into the offset unit the
//! annotation asks for, checks that the slice reads back as the same text,
//! and writes `corpus/<id>.json` in the gold format of `corpus.md`.
//!
//! ```text
//! cargo run --example build_gold             # (re)write every gold file
//! cargo run --example build_gold -- --check  # fail if a committed file is stale
//! ```
//!
//! # Locating a span
//!
//! A span is written as a string that must occur exactly once in the
//! article. When the words occur more than once, write some context around
//! them and mark the span with `[[` and `]]`: `"she [[said]] on Monday"`.
//! The whole string (markers removed) must then occur exactly once, and the
//! marked part is the span.
//!
//! The output is deterministic: files are visited in sorted order, records
//! keep the order of the annotation file, and the JSON is pretty-printed
//! with two-space indentation and a trailing newline. Files are written
//! atomically (a temporary file, then a rename) and only when they change.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, ensure, Context, Result};
use serde::{Deserialize, Serialize};

/// Folder of the articles and gold files, relative to the project root.
pub const CORPUS_DIR: &str = "corpus";
/// Folder of the annotation sources, relative to the project root.
pub const ANNOTATIONS_DIR: &str = "annotations";

const OPEN: &str = "[[";
const CLOSE: &str = "]]";

// ---------------------------------------------------------------------------
// Annotation source (TOML)

/// One `annotations/<id>.toml` file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// Unit of the offsets written to the gold file.
    pub offsets: Unit,
    /// `gold` or `draft`.
    pub status: Status,
    /// Where the article comes from and who annotated it.
    pub source: SourceInfo,
    /// The quotes, in the order they are written to the gold file.
    #[serde(default)]
    pub quotes: Vec<QuoteSpec>,
}

/// Offset unit of a gold file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Unicode scalar values.
    Codepoint,
    /// UTF-8 bytes.
    Utf8,
    /// UTF-16 code units.
    Utf16,
}

/// Status of a gold file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Checked annotations, scored.
    Gold,
    /// Unchecked annotations, reported but not scored.
    Draft,
}

/// Quote type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Fully inside quote marks.
    Direct,
    /// Reported speech without quote marks.
    Indirect,
    /// Reported speech containing a quoted fragment.
    Mixed,
}

/// The `source` table, copied to the gold file as it is.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    /// Where the article was published, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Terms under which the article text may be used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Who made the annotations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
}

/// One quote as the annotator writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteSpec {
    /// Record id, unique within the file.
    pub id: String,
    /// Quote type; absent when not annotated.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// One locator, or a list of locators for a discontinuous quote.
    pub content: ContentSpec,
    /// The speaker mention; absent or `false` when the article gives none.
    #[serde(default)]
    pub speaker: SpeakerSpec,
    /// Locator of the cue; absent or `false` when there is none.
    #[serde(default)]
    pub cue: CueSpec,
    /// Borderline record: acceptable but not required.
    #[serde(default)]
    pub optional: bool,
    /// Free text for curators.
    #[serde(default)]
    pub note: Option<String>,
}

/// `content = "…"` or `content = ["…", "…"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ContentSpec {
    /// A single span.
    One(String),
    /// The parts of a discontinuous quote, in text order.
    Many(Vec<String>),
}

/// `speaker = { text = …, entity = …, aliases = […] }`, or `false`/absent.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
pub enum SpeakerSpec {
    /// No speaker (`speaker = false` or no `speaker` key).
    #[default]
    Absent,
    /// `speaker = false`.
    Flag(bool),
    /// A speaker mention.
    Mention(MentionSpec),
}

/// A speaker mention as the annotator writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentionSpec {
    /// Locator of the mention in the article.
    pub text: String,
    /// Canonical name of the speaker.
    pub entity: String,
    /// Other names of the same speaker in the article.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// `cue = "…"`, or `false`/absent.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
pub enum CueSpec {
    /// No cue.
    #[default]
    Absent,
    /// `cue = false`.
    Flag(bool),
    /// Locator of the cue.
    Text(String),
}

// ---------------------------------------------------------------------------
// Gold file (JSON), fields in the order of corpus.md

/// A gold record file.
#[derive(Debug, Serialize)]
pub struct GoldFile {
    /// Article id.
    pub article: String,
    /// Offset unit.
    pub offsets: Unit,
    /// `gold` or `draft`.
    pub status: Status,
    /// Provenance.
    pub source: SourceInfo,
    /// The records.
    pub quotes: Vec<GoldQuote>,
}

/// One gold record.
#[derive(Debug, Serialize)]
pub struct GoldQuote {
    /// Record id.
    pub id: String,
    /// Quote type, omitted when not annotated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// One span or a list of spans.
    pub content: GoldContent,
    /// Speaker mention, `null` when the article gives none.
    pub speaker: Option<GoldSpeaker>,
    /// Cue, `null` when there is none.
    pub cue: Option<GoldSpan>,
    /// Borderline record.
    pub optional: bool,
    /// Curator's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Content of a gold record.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum GoldContent {
    /// A single span.
    One(GoldSpan),
    /// A discontinuous quote.
    Many(Vec<GoldSpan>),
}

impl GoldContent {
    /// The spans, in text order.
    pub fn spans(&self) -> &[GoldSpan] {
        match self {
            GoldContent::One(span) => std::slice::from_ref(span),
            GoldContent::Many(spans) => spans,
        }
    }
}

/// A span with its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoldSpan {
    /// Start offset, inclusive.
    pub start: usize,
    /// End offset, exclusive.
    pub end: usize,
    /// The article slice.
    pub text: String,
}

/// A speaker mention with its entity.
#[derive(Debug, Serialize)]
pub struct GoldSpeaker {
    /// Start offset, inclusive.
    pub start: usize,
    /// End offset, exclusive.
    pub end: usize,
    /// The article slice.
    pub text: String,
    /// Canonical name.
    pub entity: String,
    /// Other names of the same speaker.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

// ---------------------------------------------------------------------------
// Offsets

/// Converts a byte offset of `text` (on a character boundary) to `unit`.
pub fn to_unit(text: &str, byte: usize, unit: Unit) -> usize {
    let head = &text[..byte];
    match unit {
        Unit::Utf8 => byte,
        Unit::Codepoint => head.chars().count(),
        Unit::Utf16 => head.encode_utf16().count(),
    }
}

/// Converts an offset in `unit` back to a byte offset of `text`; `None` when
/// it is out of range or falls inside a character.
pub fn to_byte(text: &str, offset: usize, unit: Unit) -> Option<usize> {
    if unit == Unit::Utf8 {
        return text.is_char_boundary(offset).then_some(offset);
    }
    let mut pos = 0;
    for (byte, ch) in text.char_indices() {
        if pos == offset {
            return Some(byte);
        }
        pos += match unit {
            Unit::Codepoint => 1,
            _ => ch.len_utf16(),
        };
        if pos > offset {
            return None;
        }
    }
    (pos == offset).then_some(text.len())
}

/// The slice of `text` between two offsets in `unit`, if they are valid.
pub fn slice(text: &str, start: usize, end: usize, unit: Unit) -> Option<&str> {
    let (start, end) = (to_byte(text, start, unit)?, to_byte(text, end, unit)?);
    text.get(start..end)
}

// ---------------------------------------------------------------------------
// Locating spans

/// Byte offsets of every occurrence of `needle` in `haystack`, overlapping
/// occurrences included.
pub fn occurrences(haystack: &str, needle: &str) -> Vec<usize> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    let mut from = 0;
    while let Some(at) = haystack[from..].find(needle) {
        found.push(from + at);
        let step = haystack[from + at..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        from += at + step;
    }
    found
}

/// Finds the span a locator names and returns its byte range.
///
/// Without markers the locator is the span itself and must occur exactly
/// once. With one `[[…]]` pair, the whole locator (markers removed) must
/// occur exactly once and the marked part is the span.
pub fn locate(text: &str, locator: &str) -> Result<(usize, usize)> {
    let (before, span, after) = match locator.find(OPEN) {
        None => {
            ensure!(!locator.contains(CLOSE), "`{CLOSE}` without `{OPEN}`");
            ("", locator, "")
        }
        Some(open) => {
            let rest = &locator[open + OPEN.len()..];
            let close = rest
                .find(CLOSE)
                .with_context(|| format!("`{OPEN}` without `{CLOSE}`"))?;
            let after = &rest[close + CLOSE.len()..];
            ensure!(
                !rest[..close].contains(OPEN) && !after.contains(OPEN) && !after.contains(CLOSE),
                "more than one `{OPEN}…{CLOSE}` pair"
            );
            (&locator[..open], &rest[..close], after)
        }
    };
    ensure!(!span.is_empty(), "the span is empty");
    let whole = format!("{before}{span}{after}");
    let hits = occurrences(text, &whole);
    match hits.len() {
        0 => bail!("not found in the article"),
        1 => {
            let start = hits[0] + before.len();
            Ok((start, start + span.len()))
        }
        n => {
            let hint = if before.is_empty() && after.is_empty() {
                "add context around it and mark the span with [[…]]"
            } else {
                "add more context"
            };
            bail!("found {n} times (at bytes {hits:?}); {hint}")
        }
    }
}

fn gold_span(text: &str, locator: &str, unit: Unit) -> Result<GoldSpan> {
    let (start, end) = locate(text, locator).with_context(|| format!("span {locator:?}"))?;
    let span = GoldSpan {
        start: to_unit(text, start, unit),
        end: to_unit(text, end, unit),
        text: text[start..end].to_owned(),
    };
    // Read the span back through the offsets, as a consumer of the file will.
    let back = slice(text, span.start, span.end, unit);
    ensure!(
        back == Some(span.text.as_str()),
        "span {locator:?}: offsets {}..{} read back as {back:?}",
        span.start,
        span.end
    );
    Ok(span)
}

// ---------------------------------------------------------------------------
// Building

/// Checks that an article id has the shape corpus.md allows.
pub fn check_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        });
    ensure!(ok, "unsafe article id {id:?}");
    Ok(())
}

/// Builds the gold file of one article from its annotation and its text.
pub fn build_gold(id: &str, annotation: Annotation, text: &str) -> Result<GoldFile> {
    check_id(id)?;
    ensure!(
        !text.starts_with('\u{feff}'),
        "the article starts with a BOM"
    );
    let unit = annotation.offsets;
    let mut ids = BTreeSet::new();
    let mut contents = BTreeSet::new();
    let mut quotes = Vec::with_capacity(annotation.quotes.len());
    for spec in annotation.quotes {
        let quote = build_quote(spec, text, unit)?;
        ensure!(
            ids.insert(quote.id.clone()),
            "duplicate record id {:?}",
            quote.id
        );
        let key: Vec<(usize, usize)> = quote
            .content
            .spans()
            .iter()
            .map(|s| (s.start, s.end))
            .collect();
        ensure!(
            contents.insert(key),
            "record {:?} has the same content spans as an earlier record",
            quote.id
        );
        quotes.push(quote);
    }
    Ok(GoldFile {
        article: id.to_owned(),
        offsets: unit,
        status: annotation.status,
        source: annotation.source,
        quotes,
    })
}

fn build_quote(spec: QuoteSpec, text: &str, unit: Unit) -> Result<GoldQuote> {
    let id = spec.id;
    let result = (|| {
        ensure!(!id.trim().is_empty(), "empty record id");
        let content = match spec.content {
            ContentSpec::One(locator) => GoldContent::One(gold_span(text, &locator, unit)?),
            ContentSpec::Many(locators) => {
                ensure!(
                    locators.len() >= 2,
                    "a discontinuous content needs at least two parts; write a single string"
                );
                let spans = locators
                    .iter()
                    .map(|l| gold_span(text, l, unit))
                    .collect::<Result<Vec<_>>>()?;
                for pair in spans.windows(2) {
                    ensure!(
                        pair[0].end <= pair[1].start,
                        "content parts {:?} and {:?} overlap or are not in text order",
                        pair[0].text,
                        pair[1].text
                    );
                }
                GoldContent::Many(spans)
            }
        };
        ensure!(
            content
                .spans()
                .iter()
                .any(|s| s.text.chars().any(char::is_alphanumeric)),
            "the content has no tokens"
        );
        let speaker = match spec.speaker {
            SpeakerSpec::Absent | SpeakerSpec::Flag(false) => None,
            SpeakerSpec::Flag(true) => {
                bail!("`speaker = true` is meaningless; give a mention or `false`")
            }
            SpeakerSpec::Mention(m) => {
                ensure!(
                    !m.entity.trim().is_empty(),
                    "the speaker has an empty entity"
                );
                let span = gold_span(text, &m.text, unit).context("speaker")?;
                Some(GoldSpeaker {
                    start: span.start,
                    end: span.end,
                    text: span.text,
                    entity: m.entity,
                    aliases: m.aliases,
                })
            }
        };
        let cue = match spec.cue {
            CueSpec::Absent | CueSpec::Flag(false) => None,
            CueSpec::Flag(true) => bail!("`cue = true` is meaningless; give a locator or `false`"),
            CueSpec::Text(locator) => Some(gold_span(text, &locator, unit).context("cue")?),
        };
        if let Some(note) = &spec.note {
            ensure!(!note.trim().is_empty(), "empty note");
        }
        Ok(GoldQuote {
            id: id.clone(),
            kind: spec.kind,
            content,
            speaker,
            cue,
            optional: spec.optional,
            note: spec.note,
        })
    })();
    result.with_context(|| format!("record {id:?}"))
}

/// Serializes a gold file the way it is committed: pretty JSON with
/// two-space indentation and a trailing newline.
///
/// Records are listed by position (first start, last end, id), the
/// canonical order of `quotecheck fmt`, so formatting changes nothing.
pub fn render(gold: &GoldFile) -> Result<String> {
    let mut order: Vec<&GoldQuote> = gold.quotes.iter().collect();
    order.sort_by_key(|q| {
        let spans = q.content.spans();
        (
            spans.first().map_or(0, |s| s.start),
            spans.last().map_or(0, |s| s.end),
            q.id.clone(),
        )
    });
    #[derive(Serialize)]
    struct Ordered<'a> {
        article: &'a str,
        offsets: &'a Unit,
        status: &'a Status,
        source: &'a SourceInfo,
        quotes: Vec<&'a GoldQuote>,
    }
    let ordered = Ordered {
        article: &gold.article,
        offsets: &gold.offsets,
        status: &gold.status,
        source: &gold.source,
        quotes: order,
    };
    let mut json = serde_json::to_string_pretty(&ordered)?;
    json.push('\n');
    Ok(json)
}

/// The ids of every annotated article under `root`, sorted.
pub fn annotated_ids(root: &Path) -> Result<Vec<String>> {
    let base = root.join(ANNOTATIONS_DIR);
    let mut ids = Vec::new();
    collect(&base, &base, "toml", &mut ids)?;
    ids.sort();
    Ok(ids)
}

/// The ids of every gold file (`.json`) in the corpus under `root`, sorted.
pub fn gold_ids(root: &Path) -> Result<Vec<String>> {
    let base = root.join(CORPUS_DIR);
    let mut ids = Vec::new();
    collect(&base, &base, "json", &mut ids)?;
    ids.sort();
    Ok(ids)
}

fn collect(base: &Path, dir: &Path, ext: &str, ids: &mut Vec<String>) -> Result<()> {
    let entries = fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            collect(base, &path, ext, ids)?;
        } else if path.extension().is_some_and(|e| e == ext) {
            let rel = path.strip_prefix(base)?.with_extension("");
            let id = rel
                .components()
                .map(|c| c.as_os_str().to_str().context("non-UTF-8 file name"))
                .collect::<Result<Vec<_>>>()?
                .join("/");
            ids.push(id);
        }
    }
    Ok(())
}

/// Path of the annotation source of `id`.
pub fn annotation_path(root: &Path, id: &str) -> PathBuf {
    root.join(ANNOTATIONS_DIR).join(format!("{id}.toml"))
}

/// Path of the article text of `id`.
pub fn article_path(root: &Path, id: &str) -> PathBuf {
    root.join(CORPUS_DIR).join(format!("{id}.txt"))
}

/// Path of the gold file of `id`.
pub fn gold_path(root: &Path, id: &str) -> PathBuf {
    root.join(CORPUS_DIR).join(format!("{id}.json"))
}

/// Reads the annotation and the article of `id` and returns the gold file
/// as it should be committed.
pub fn build_one(root: &Path, id: &str) -> Result<String> {
    let apath = annotation_path(root, id);
    let source =
        fs::read_to_string(&apath).with_context(|| format!("reading {}", apath.display()))?;
    let annotation: Annotation =
        toml::from_str(&source).with_context(|| format!("parsing {}", apath.display()))?;
    let tpath = article_path(root, id);
    let text =
        fs::read_to_string(&tpath).with_context(|| format!("reading {}", tpath.display()))?;
    let gold =
        build_gold(id, annotation, &text).with_context(|| format!("in {}", apath.display()))?;
    render(&gold)
}

/// What [`build_all`] did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every annotated article id, sorted.
    pub ids: Vec<String>,
    /// Gold files (re)written; empty in check mode.
    pub written: Vec<PathBuf>,
    /// In check mode: gold files that are missing or differ from what the
    /// annotations give, and gold files that have no annotation source.
    pub stale: Vec<PathBuf>,
}

/// Builds every gold file under `root`.
///
/// Without `check`, writes each file that changed (atomically). With
/// `check`, writes nothing and lists in [`Outcome::stale`] every committed
/// file that is missing, differs from its annotation, or has no annotation.
pub fn build_all(root: &Path, check: bool) -> Result<Outcome> {
    let ids = annotated_ids(root)?;
    // Build everything before writing anything, and report every broken
    // annotation at once rather than the first one.
    let mut built = Vec::with_capacity(ids.len());
    let mut errors = Vec::new();
    for id in &ids {
        match build_one(root, id) {
            Ok(json) => built.push((id, json)),
            Err(err) => errors.push(format!("{err:#}")),
        }
    }
    if !errors.is_empty() {
        bail!(
            "{} of {} annotation files have errors:\n  {}",
            errors.len(),
            ids.len(),
            errors.join("\n  ")
        );
    }
    let mut outcome = Outcome::default();
    for (id, json) in built {
        let path = gold_path(root, id);
        let current = fs::read(&path).ok();
        if current.as_deref() == Some(json.as_bytes()) {
            continue;
        }
        if check {
            outcome.stale.push(path);
        } else {
            write_atomic(&path, &json)?;
            outcome.written.push(path);
        }
    }
    if check {
        for id in gold_ids(root)? {
            if ids.binary_search(&id).is_err() {
                outcome.stale.push(gold_path(root, &id));
            }
        }
    }
    outcome.ids = ids;
    Ok(outcome)
}

/// Writes `contents` to a temporary file next to `path`, then renames it.
pub fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    let name = path.file_name().context("no file name")?.to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, contents).with_context(|| format!("writing {}", tmp.display()))?;
    if let Err(err) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(err)
            .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()));
    }
    Ok(())
}

/// Parses the command line and runs; returns the process exit code.
pub fn run(args: &[String]) -> Result<ExitCode> {
    let mut check = false;
    let mut root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--root" => root = PathBuf::from(args.next().context("--root needs a folder")?),
            "-h" | "--help" => {
                println!("usage: build_gold [--check] [--root FOLDER]");
                println!("Builds corpus/<id>.json from annotations/<id>.toml.");
                println!("--check  write nothing; fail if a committed gold file is stale");
                return Ok(ExitCode::SUCCESS);
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    let outcome = build_all(&root, check)?;
    let shown = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    if check {
        if outcome.stale.is_empty() {
            println!("{} gold files are up to date", outcome.ids.len());
            return Ok(ExitCode::SUCCESS);
        }
        let mut msg = String::from("these gold files do not match their annotations:\n");
        for path in &outcome.stale {
            let _ = writeln!(msg, "  {}", shown(path));
        }
        msg.push_str("run `cargo run --example build_gold` to regenerate them");
        eprintln!("{msg}");
        return Ok(ExitCode::FAILURE);
    }
    for path in &outcome.written {
        println!("wrote {}", shown(path));
    }
    println!(
        "{} gold files, {} rewritten",
        outcome.ids.len(),
        outcome.written.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
