//! The fast path of a JSON-lines corpus line: `{"id", "text", …gold}`
//! with no issue at all, resolved as [`crate::corpus::records::resolve_gold`]
//! resolves it.

use std::collections::HashSet;

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::{locate, present, unit, OneOrMany, Str};
use crate::corpus::model::{Gold, GoldQuote, GoldSpeaker, Kind, Source, Span, Status};
use crate::corpus::offsets::{OffsetIndex, OffsetUnit};
use crate::corpus::records::diagnostics::{Diagnostics, Place};
use crate::text;

/// A corpus line the fast path resolved: its id as written, its text, and
/// its gold (every line it accepts has `quotes`).
#[derive(Debug)]
pub(crate) struct FastLine {
    pub id: String,
    pub text: String,
    pub gold: Gold,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(borrow)]
    id: Str<'a>,
    #[serde(borrow)]
    text: Str<'a>,
    #[serde(borrow, default)]
    offsets: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "present")]
    status: Option<Str<'a>>,
    #[serde(borrow, default)]
    source: Option<SourceIn<'a>>,
    #[serde(borrow, default)]
    language: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "present")]
    quotes: Option<QuotesIn<'a>>,
    #[serde(borrow, default)]
    ignore: Option<Vec<SpanIn<'a>>>,
}

/// `quotes`: a list of records, or (in a Parquet row) the JSON text of
/// one, borrowed from the row's string.
enum QuotesIn<'a> {
    List(Vec<QuoteIn<'a>>),
    Text(Vec<QuoteIn<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for QuotesIn<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = QuotesIn<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of quote records")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(8));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(QuotesIn::List(items))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                serde_json::from_str(v)
                    .map(QuotesIn::Text)
                    .map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceIn<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    url: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "present")]
    license: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "present")]
    annotator: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuoteIn<'a> {
    #[serde(borrow)]
    id: Str<'a>,
    #[serde(borrow, default)]
    kind: Option<Str<'a>>,
    #[serde(borrow)]
    content: OneOrMany<SpanIn<'a>>,
    /// Required: `null` is no speaker.
    #[serde(borrow, deserialize_with = "present")]
    speaker: Option<Option<SpeakerIn<'a>>>,
    /// Required: `null` is no cue.
    #[serde(borrow, deserialize_with = "present")]
    cue: Option<Option<SpanIn<'a>>>,
    #[serde(default)]
    optional: Option<bool>,
    #[serde(borrow, default)]
    note: Option<Str<'a>>,
}

/// A gold span: `start`, `end` and `text`, all required.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpanIn<'a> {
    start: u64,
    end: u64,
    #[serde(borrow)]
    text: Str<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakerIn<'a> {
    /// `null` is absent, as on the checked path.
    #[serde(default)]
    start: Option<u64>,
    #[serde(default)]
    end: Option<u64>,
    #[serde(borrow, default)]
    text: Option<Str<'a>>,
    #[serde(borrow, default)]
    entity: Option<Str<'a>>,
    #[serde(borrow, default)]
    aliases: Option<Vec<Str<'a>>>,
}

/// Resolves one corpus line, or `None` when the checked path must: the
/// line is not such an object, or resolving it would give any issue
/// (a draft's note included).
pub(crate) fn gold_line(line: &str) -> Option<FastLine> {
    let parsed: Line<'_> = serde_json::from_str(line).ok()?;
    match parsed.quotes {
        Some(QuotesIn::List(_)) => resolve(parsed),
        _ => None,
    }
}

/// Resolves the row of a Parquet corpus, given as a deserializer of the
/// object of its line, as [`gold_line`] does; a string `quotes` column is
/// the JSON text of the records.
pub(crate) fn gold_row<'de, D: Deserializer<'de>>(row: D) -> Option<FastLine> {
    resolve(Line::deserialize(row).ok()?)
}

fn resolve(parsed: Line<'_>) -> Option<FastLine> {
    match parsed.status.as_ref().map(Str::as_str) {
        None | Some("gold") => {}
        _ => return None,
    }
    let unit = unit(parsed.offsets.as_ref())?;
    let text = parsed.text.0;
    let index = OffsetIndex::new(&text);
    let spans = Spans {
        index: &index,
        unit,
    };
    let source = match parsed.source {
        None => None,
        Some(s) => Some(Source {
            url: s.url.map(|s| s.0.into_owned()),
            license: s.license.map(|s| s.0.into_owned()),
            annotator: s.annotator.map(|s| s.0.into_owned()),
        }),
    };
    let language = match parsed.language {
        None => None,
        Some(tag) if crate::corpus::records::gold::is_language_tag(tag.as_str()) => {
            Some(tag.0.into_owned())
        }
        Some(_) => return None,
    };
    let (QuotesIn::List(items) | QuotesIn::Text(items)) = parsed.quotes?;
    let mut ids = HashSet::with_capacity(items.len());
    if !items.iter().all(|q| ids.insert(q.id.as_str())) {
        return None;
    }
    let quotes = items
        .into_iter()
        .map(|q| spans.quote(q))
        .collect::<Option<Vec<GoldQuote>>>()?;
    let ignore = parsed
        .ignore
        .unwrap_or_default()
        .iter()
        .map(|s| spans.gold(s))
        .collect::<Option<Vec<Span>>>()?;
    // The checks over every record: any issue, a note included, is the
    // checked path's to word.
    let mut diag = Diagnostics::new(Place {
        file: "",
        line: None,
        article: "",
    });
    crate::corpus::records::gold::check_gold_set(&quotes, &text, &mut diag);
    crate::corpus::records::ignore::check_ignore(&quotes, &ignore, &text, &mut diag);
    if !diag.issues.is_empty() {
        return None;
    }
    drop(index);
    Some(FastLine {
        id: parsed.id.0.into_owned(),
        text: text.into_owned(),
        gold: Gold {
            status: Status::Gold,
            offsets: unit,
            source,
            language,
            quotes,
            ignore,
        },
    })
}

#[derive(Clone, Copy)]
struct Spans<'i, 't> {
    index: &'i OffsetIndex<'t>,
    unit: OffsetUnit,
}

impl Spans<'_, '_> {
    /// A gold span whose offsets convert and whose text is its slice.
    fn gold(&self, s: &SpanIn<'_>) -> Option<Span> {
        self.at(s.start, s.end, s.text.as_str())
    }

    fn at(&self, start: u64, end: u64, written: &str) -> Option<Span> {
        let span = locate(self.index, self.unit, start, end)?;
        (span.slice(self.index.text()) == written).then_some(span)
    }

    /// One quote record, as `resolve_gold_quote` resolves a record
    /// without issues.
    fn quote(&self, q: QuoteIn<'_>) -> Option<GoldQuote> {
        if q.id.as_str().is_empty() {
            return None;
        }
        let kind = match q.kind {
            None => None,
            Some(k) => Some(Kind::parse(k.as_str())?),
        };
        let parts = q.content.as_slice();
        if parts.is_empty() {
            return None;
        }
        let content = parts
            .iter()
            .map(|s| self.gold(s))
            .collect::<Option<Vec<Span>>>()?;
        let text = self.index.text();
        if !content.iter().any(|s| text::has_tokens(s.slice(text)))
            || content.windows(2).any(|pair| pair[1].start < pair[0].end)
        {
            return None;
        }
        let speaker = match q.speaker? {
            None => None,
            Some(sp) => Some(self.speaker(sp)?),
        };
        let cue = match q.cue? {
            None => None,
            Some(c) => Some(self.gold(&c)?),
        };
        Some(GoldQuote {
            id: q.id.0.into_owned(),
            kind,
            content,
            speaker,
            cue,
            optional: q.optional.unwrap_or(false),
            note: q.note.map(|n| n.0.into_owned()),
        })
    }

    /// A speaker: a span with its text, or an `entity` alone.
    fn speaker(&self, sp: SpeakerIn<'_>) -> Option<GoldSpeaker> {
        let aliases = sp
            .aliases
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.0.into_owned())
            .collect();
        let entity = sp.entity.map(|e| e.0.into_owned());
        match (sp.start, sp.end, sp.text) {
            (None, None, None) => {
                let entity = entity.filter(|e| !e.trim().is_empty())?;
                Some(GoldSpeaker::entity_only(entity, aliases))
            }
            (Some(start), Some(end), Some(written)) => {
                let span = self.at(start, end, written.as_str())?;
                Some(GoldSpeaker {
                    span: Some(span),
                    text: span.slice(self.index.text()).to_string(),
                    entity,
                    aliases,
                })
            }
            _ => None,
        }
    }
}
