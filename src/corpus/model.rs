//! The records quotecheck reads: articles, gold quotes and predicted quotes.
//!
//! These are the resolved forms: every offset is a byte offset into the
//! article text (see [`super::offsets`]), every span has been checked
//! against the text, and every problem found on the way is a
//! [`super::Issue`] rather than part of the record.

use std::fmt;

use super::offsets::OffsetUnit;

/// A half-open range of article text, in bytes, on character boundaries.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Whether the spans have at least one character in common.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The text the span covers.
    ///
    /// # Panics
    /// When the span is not within `text` on character boundaries; resolved
    /// spans always are.
    pub fn slice(self, text: &str) -> &str {
        &text[self.start..self.end]
    }

    /// Whether the span covers no text.
    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }
}

/// How a quote is reported (corpus.md, `kind`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Fully inside quote marks.
    Direct,
    /// Reported speech without quote marks.
    Indirect,
    /// Reported speech containing a quoted fragment.
    Mixed,
}

impl Kind {
    /// All kinds, in report order.
    pub const ALL: [Kind; 3] = [Kind::Direct, Kind::Indirect, Kind::Mixed];

    /// Parses the name used in files.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Direct => "direct",
            Kind::Indirect => "indirect",
            Kind::Mixed => "mixed",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a gold file is finished (`gold`) or awaiting review (`draft`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Reviewed gold: scored.
    #[default]
    Gold,
    /// Not yet reviewed: reported, scored only with `--include-drafts`.
    Draft,
}

impl Status {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Gold => "gold",
            Status::Draft => "draft",
        }
    }
}

/// Where a gold file's annotations come from.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Source {
    /// Where the article was published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The licence of the text or the annotations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Who annotated it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
}

/// The speaker a gold quote is attributed to: a mention in the text, or
/// an entity alone (corpus.md: a novel's implicit speaker is never named
/// near the quote).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldSpeaker {
    /// Where the article names the speaker; `None` for a speaker given by
    /// entity alone, which is right by name only (scoring.md §3).
    pub span: Option<Span>,
    /// The text of the mention (the article slice); for a speaker given by
    /// entity alone, the entity.
    pub text: String,
    /// The canonical name of who the mention refers to; always present
    /// when `span` is `None`.
    pub entity: Option<String>,
    /// Other names that count as the same speaker.
    pub aliases: Vec<String>,
}

impl GoldSpeaker {
    /// A speaker given by entity alone, without a mention in the text.
    pub fn entity_only(entity: impl Into<String>, aliases: Vec<String>) -> GoldSpeaker {
        let entity = entity.into();
        GoldSpeaker {
            span: None,
            text: entity.clone(),
            entity: Some(entity),
            aliases,
        }
    }
}

/// One gold quote record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldQuote {
    /// Unique within its file, stable across edits.
    pub id: String,
    /// `None` when the corpus does not type its quotes: kind is then not scored.
    pub kind: Option<Kind>,
    /// One span, or several in text order for a discontinuous quote.
    pub content: Vec<Span>,
    /// `None` when the article gives no source.
    pub speaker: Option<GoldSpeaker>,
    /// The cue word or phrase, if any.
    pub cue: Option<Span>,
    /// A borderline record: matching it is neither a true nor a false positive.
    pub optional: bool,
    /// Free text for curators.
    pub note: Option<String>,
}

/// The gold annotation of one article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gold {
    /// `gold` or `draft`.
    pub status: Status,
    /// The unit the file was written in (offsets here are already bytes).
    pub offsets: OffsetUnit,
    /// Provenance, if the file gives it.
    pub source: Option<Source>,
    /// The article's language, a BCP 47 tag (`de`, `fr-CH`), if the file
    /// gives it (corpus.md): extractors may read it.
    pub language: Option<String>,
    /// The records, in file order.
    pub quotes: Vec<GoldQuote>,
    /// Regions left out of scoring: a prediction whose located content lies
    /// entirely inside them is neither a true nor a false positive
    /// (scoring.md §4). Sorted by start as read; empty for most corpora.
    pub ignore: Vec<Span>,
}

/// One article of a corpus: its text and, if annotated, its gold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// The safe id the article is known by.
    pub id: super::ArticleId,
    /// The article text, exactly as published.
    pub text: String,
    /// `None` for an unannotated article.
    pub gold: Option<Gold>,
}

/// One part of a predicted quote's content.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum PredPart {
    /// A span with valid offsets.
    Located(Span),
    /// Text only: an extractor that cannot give offsets, or a span whose
    /// offsets were bad but which also carried its text.
    Text(String),
}

/// A predicted speaker or cue.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct PredMention {
    /// Where the extractor located it, when it gave valid offsets.
    pub span: Option<Span>,
    /// Its text: the article slice when located, else the text given.
    pub text: String,
}

impl PredMention {
    /// A mention at `span` of `text` (the article), with its text taken from there.
    ///
    /// # Panics
    /// When `span` is not within `text` on character boundaries.
    pub fn at(text: &str, span: Span) -> PredMention {
        PredMention {
            span: Some(span),
            text: span.slice(text).to_string(),
        }
    }

    /// A mention given by name only.
    pub fn named(name: impl Into<String>) -> PredMention {
        PredMention {
            span: None,
            text: name.into(),
        }
    }
}

/// One quote an extractor predicted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Prediction {
    /// The extractor's own id for the record, if it gave one.
    pub id: Option<String>,
    /// The content parts in the order given. Empty when the content was
    /// unusable (bad offsets without text, missing, wrong type): such a
    /// record has no tokens and matches nothing (scoring.md §2, §4).
    pub content: Vec<PredPart>,
    /// `None` when absent, `null`, or unusable (counts as missing).
    pub speaker: Option<PredMention>,
    /// `None` when absent, `null`, or unusable (counts as missing).
    pub cue: Option<PredMention>,
    /// `None` when absent or not a known kind.
    pub kind: Option<Kind>,
}

impl Prediction {
    /// A prediction whose content is the span `content` (bytes of the article text).
    pub fn at(content: Span) -> Prediction {
        Prediction {
            content: vec![PredPart::Located(content)],
            ..Prediction::default()
        }
    }

    /// A prediction whose content is given as text only.
    pub fn text(content: impl Into<String>) -> Prediction {
        Prediction {
            content: vec![PredPart::Text(content.into())],
            ..Prediction::default()
        }
    }

    /// Sets the speaker.
    pub fn with_speaker(mut self, speaker: PredMention) -> Prediction {
        self.speaker = Some(speaker);
        self
    }

    /// Sets the cue.
    pub fn with_cue(mut self, cue: PredMention) -> Prediction {
        self.cue = Some(cue);
        self
    }

    /// Sets the kind.
    pub fn with_kind(mut self, kind: Kind) -> Prediction {
        self.kind = Some(kind);
        self
    }
}
