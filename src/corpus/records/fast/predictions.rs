//! The fast path of an extractor's saved output: `{"id", "offsets",
//! "quotes"}` with no issue at all, resolved as
//! [`crate::corpus::records::resolve_output`] resolves it.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize as DeriveDeserialize;

use super::{locate, unit, OneOrMany, Str};
use crate::corpus::model::{Kind, PredMention, PredPart, Prediction};
use crate::corpus::offsets::{OffsetIndex, OffsetUnit};

#[derive(DeriveDeserialize)]
#[serde(deny_unknown_fields)]
struct OutputIn<'a> {
    /// The caller's business (the replay matched it already): any string.
    #[serde(borrow, default)]
    #[allow(dead_code)]
    id: Option<Str<'a>>,
    #[serde(borrow, default)]
    offsets: Option<Str<'a>>,
    #[serde(borrow)]
    quotes: RecordsIn<'a>,
    /// `null` is no error; an error is the checked path's to report.
    #[serde(borrow, default)]
    error: Option<Str<'a>>,
}

#[derive(DeriveDeserialize)]
#[serde(deny_unknown_fields)]
struct RecordIn<'a> {
    #[serde(borrow, default)]
    id: Option<RecordId<'a>>,
    #[serde(borrow)]
    content: OneOrMany<PartIn<'a>>,
    #[serde(borrow, default)]
    speaker: Option<MentionIn<'a>>,
    #[serde(borrow, default)]
    cue: Option<MentionIn<'a>>,
    #[serde(borrow, default)]
    kind: Option<Str<'a>>,
}

/// `quotes`: a list of records, or (in a Parquet row) the JSON text of
/// one, borrowed from the row's string.
enum RecordsIn<'a> {
    List(Vec<RecordIn<'a>>),
    Text(Vec<RecordIn<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for RecordsIn<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RecordsIn<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of prediction records")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(8));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(RecordsIn::List(items))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                serde_json::from_str(v)
                    .map(RecordsIn::Text)
                    .map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A span of a prediction: offsets, text, or both.
#[derive(DeriveDeserialize)]
#[serde(deny_unknown_fields)]
struct PartIn<'a> {
    /// `null` is absent, as on the checked path.
    #[serde(default)]
    start: Option<u64>,
    #[serde(default)]
    end: Option<u64>,
    #[serde(borrow, default)]
    text: Option<Str<'a>>,
}

/// A record's `id`: a string, or a whole number written as one.
enum RecordId<'a> {
    Text(Str<'a>),
    Number(String),
}

impl<'de: 'a, 'a> Deserialize<'de> for RecordId<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RecordId<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a whole number")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(RecordId::Text(Str(v.into())))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RecordId::Text(Str(v.to_string().into())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RecordId::Number(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RecordId::Number(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A speaker or cue: a bare string (a name), or a span.
enum MentionIn<'a> {
    Named(Str<'a>),
    Span(PartIn<'a>),
}

impl<'de: 'a, 'a> Deserialize<'de> for MentionIn<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MentionIn<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a span")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(MentionIn::Named(Str(v.into())))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MentionIn::Named(Str(v.to_string().into())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                PartIn::deserialize(de::value::MapAccessDeserializer::new(map)).map(MentionIn::Span)
            }
        }
        d.deserialize_any(V)
    }
}

/// Resolves a saved output for an article of `text`, or `None` when the
/// checked path must: the output is not such an object, it is an error,
/// or resolving it would give any issue.
pub(crate) fn output(json: &str, text: &str) -> Option<Vec<Prediction>> {
    let parsed: OutputIn<'_> = serde_json::from_str(json).ok()?;
    match parsed.quotes {
        RecordsIn::List(_) => resolve(parsed, text),
        RecordsIn::Text(_) => None,
    }
}

/// Resolves the row of a Parquet replay, given as a deserializer of the
/// object of its line, as [`output`] does; a string `quotes` column is the
/// JSON text of the records.
pub(crate) fn output_row<'de, D: Deserializer<'de>>(row: D, text: &str) -> Option<Vec<Prediction>> {
    resolve(OutputIn::deserialize(row).ok()?, text)
}

fn resolve(parsed: OutputIn<'_>, text: &str) -> Option<Vec<Prediction>> {
    if parsed.error.is_some() {
        return None;
    }
    let unit = unit(parsed.offsets.as_ref())?;
    let index = OffsetIndex::new(text);
    let spans = Spans {
        index: &index,
        unit,
    };
    let (RecordsIn::List(records) | RecordsIn::Text(records)) = parsed.quotes;
    records.into_iter().map(|r| spans.record(r)).collect()
}

#[derive(Clone, Copy)]
struct Spans<'i, 't> {
    index: &'i OffsetIndex<'t>,
    unit: OffsetUnit,
}

/// What a span's offsets say, when they say nothing wrong.
enum Located {
    At(crate::corpus::model::Span),
    /// Neither `start` nor `end`.
    Unlocated,
}

impl Spans<'_, '_> {
    /// A span whose offsets (when it has any) convert and whose text (when
    /// it has one) is its slice; `None` for anything the checked path
    /// would report.
    fn located(&self, p: &PartIn<'_>) -> Option<Located> {
        match (p.start, p.end) {
            (None, None) => Some(Located::Unlocated),
            (Some(start), Some(end)) => {
                let span = locate(self.index, self.unit, start, end)?;
                match &p.text {
                    Some(t) if t.as_str() != span.slice(self.index.text()) => None,
                    _ => Some(Located::At(span)),
                }
            }
            _ => None,
        }
    }

    fn part(&self, p: PartIn<'_>) -> Option<PredPart> {
        match self.located(&p)? {
            Located::At(span) => Some(PredPart::Located(span)),
            Located::Unlocated => Some(PredPart::Text(p.text?.0.into_owned())),
        }
    }

    fn mention(&self, m: MentionIn<'_>) -> Option<PredMention> {
        match m {
            MentionIn::Named(name) => Some(PredMention::named(name.0.into_owned())),
            MentionIn::Span(p) => match self.located(&p)? {
                Located::At(span) => Some(PredMention::at(self.index.text(), span)),
                Located::Unlocated => Some(PredMention::named(p.text?.0.into_owned())),
            },
        }
    }

    fn record(&self, r: RecordIn<'_>) -> Option<Prediction> {
        let content = match r.content {
            OneOrMany::One(p) => vec![self.part(p)?],
            OneOrMany::Many(parts) if parts.is_empty() => return None,
            OneOrMany::Many(parts) => parts
                .into_iter()
                .map(|p| self.part(p))
                .collect::<Option<Vec<PredPart>>>()?,
        };
        let speaker = match r.speaker {
            None => None,
            Some(m) => Some(self.mention(m)?),
        };
        let cue = match r.cue {
            None => None,
            Some(m) => Some(self.mention(m)?),
        };
        let kind = match r.kind {
            None => None,
            Some(k) => Some(Kind::parse(k.as_str())?),
        };
        Some(Prediction {
            id: r.id.map(|id| match id {
                RecordId::Text(s) => s.0.into_owned(),
                RecordId::Number(n) => n,
            }),
            content,
            speaker,
            cue,
            kind,
        })
    }
}
