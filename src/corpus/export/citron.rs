//! Gold → Citron JSON.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Converted, Lost};
use crate::corpus::model::{Article, Span};
use crate::corpus::offsets::{OffsetIndex, OffsetUnit};

#[derive(Serialize)]
struct DocOut<'a> {
    /// `"draft"` for draft gold (quotecheck's own key: Citron ignores it).
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    text: &'a str,
    quotes: Vec<QuoteOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    coreference_groups: Vec<Vec<SpanOut<'a>>>,
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    id: &'a str,
    cue: Option<SpanOut<'a>>,
    sources: Vec<SpanOut<'a>>,
    contents: Vec<SpanOut<'a>>,
    coreferences: Vec<SpanOut<'a>>,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

/// The first occurrence of `name` in `text`, if any.
fn occurrence(text: &str, name: &str) -> Option<Span> {
    if name.is_empty() {
        return None;
    }
    text.find(name).map(|at| Span::new(at, at + name.len()))
}

/// Converts an annotated article to one Citron document.
///
/// `sources` holds the speaker mention; `contents` the content spans;
/// `cue` the cue or `null`. Names are carried as spans, so only names that
/// occur in the text survive: with an entity, `coreferences` lists its
/// first occurrence, then the first occurrence of each alias; without one
/// (or when the entity does not occur), the aliases follow the mention in
/// `sources`. `coreference_groups` gathers, per entity, the mentions and
/// name occurrences of its records.
///
/// # Panics
/// When the article has no gold.
pub fn to_citron(article: &Article) -> Converted {
    let gold = article
        .gold
        .as_ref()
        .expect("exported articles are annotated");
    let text = &article.text;
    let index = OffsetIndex::new(text);
    let out = |s: Span| SpanOut {
        start: index.from_byte(OffsetUnit::Codepoint, s.start),
        end: index.from_byte(OffsetUnit::Codepoint, s.end),
        text: s.slice(text),
    };
    let mut lost = Lost::default();
    lost.article_fields(article);
    if !gold.ignore.is_empty() {
        lost.article("ignore (regions left out of scoring)");
    }
    // Mentions of speakers whose names ride in `sources`: no group may hold
    // them, or importing would take their names from the group.
    let plain: Vec<Span> = gold
        .quotes
        .iter()
        .filter_map(|q| q.speaker.as_ref())
        .filter(|sp| {
            sp.entity
                .as_deref()
                .and_then(|e| occurrence(text, e))
                .is_none()
        })
        .filter_map(|sp| sp.span)
        .collect();
    let mut groups: Vec<(String, BTreeSet<Span>)> = Vec::new();
    let mut quotes = Vec::with_capacity(gold.quotes.len());
    for q in &gold.quotes {
        if q.kind.is_some() {
            lost.record("kind");
        }
        if q.optional {
            lost.record("optional");
        }
        if q.note.is_some() {
            lost.record("note");
        }
        let mut sources = Vec::new();
        let mut coreferences = Vec::new();
        let speaker = match &q.speaker {
            Some(sp) => match sp.span {
                Some(span) => Some((sp, span)),
                None => {
                    // Citron's sources are spans: a speaker without a
                    // mention has none, and its names would come back as one.
                    lost.record("speaker given by entity alone (no mention in the text)");
                    None
                }
            },
            None => None,
        };
        if let Some((sp, span)) = speaker {
            sources.push(out(span));
            let aliases: Vec<Span> = sp
                .aliases
                .iter()
                .filter_map(|a| occurrence(text, a))
                .collect();
            if aliases.len() < sp.aliases.len() {
                lost.record("speaker aliases that do not occur in the text");
            }
            match sp.entity.as_deref().map(|e| (e, occurrence(text, e))) {
                Some((e, Some(at))) => {
                    coreferences.push(out(at));
                    coreferences.extend(aliases.iter().map(|a| out(*a)));
                    let members: BTreeSet<Span> = std::iter::once(span)
                        .chain(std::iter::once(at))
                        .chain(aliases.iter().copied())
                        .filter(|m| !plain.iter().any(|p| p.overlaps(*m) || p == m))
                        .collect();
                    match groups.iter_mut().find(|(name, _)| name == e) {
                        Some((_, g)) => g.extend(members),
                        None => groups.push((e.to_string(), members)),
                    }
                }
                Some((_, None)) => {
                    lost.record("speaker entity that does not occur in the text");
                    sources.extend(aliases.iter().map(|a| out(*a)));
                }
                None => sources.extend(aliases.iter().map(|a| out(*a))),
            }
        }
        quotes.push(QuoteOut {
            id: &q.id,
            cue: q.cue.map(out),
            sources,
            contents: q.content.iter().map(|s| out(*s)).collect(),
            coreferences,
        });
    }
    let doc = DocOut {
        status: (gold.status == crate::corpus::model::Status::Draft).then_some("draft"),
        text,
        quotes,
        coreference_groups: groups
            .into_iter()
            .filter(|(_, g)| g.len() > 1)
            .map(|(_, g)| g.into_iter().map(out).collect())
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&doc).expect("a Citron document serializes");
    json.push('\n');
    Converted {
        files: vec![("json", json)],
        lost,
    }
}
