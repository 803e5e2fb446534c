//! Gold and predicted records reduced, once per article, to what matching
//! compares: interned token lists, normalized names, cue tokens.

use std::collections::HashMap;

use crate::corpus::{GoldQuote, PredPart, Prediction, Span};
use crate::text::{normalize_name, tokens};

/// Token ids for one article. Ids only stand for equality of tokens within
/// this article; their numeric order means nothing and nothing may depend
/// on it beyond grouping equal tokens.
#[derive(Default)]
pub(crate) struct Vocab {
    ids: HashMap<String, u32>,
    words: Vec<String>,
}

impl Vocab {
    fn intern(&mut self, token: String) -> u32 {
        if let Some(&id) = self.ids.get(&token) {
            return id;
        }
        let id = u32::try_from(self.words.len()).expect("fewer than 2^32 distinct tokens");
        self.words.push(token.clone());
        self.ids.insert(token, id);
        id
    }

    pub(crate) fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }
}

/// A token list in both the orders matching needs.
pub(crate) struct TokenList {
    /// In text order, for `exact`.
    pub(crate) seq: Vec<u32>,
    /// Sorted, for the multiset intersection behind `overlap`.
    pub(crate) sorted: Vec<u32>,
}

impl TokenList {
    fn new(seq: Vec<u32>) -> TokenList {
        let mut sorted = seq.clone();
        sorted.sort_unstable();
        TokenList { seq, sorted }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.seq.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.seq.len()
    }
}

pub(crate) struct PreparedGoldSpeaker {
    pub(crate) span: Span,
    /// The normalized mention text, entity and aliases: any of them is a
    /// correct name (scoring.md §3).
    pub(crate) names: Vec<String>,
}

pub(crate) struct PreparedGold {
    pub(crate) tokens: TokenList,
    pub(crate) speaker: Option<PreparedGoldSpeaker>,
    pub(crate) cue: Option<(Span, Vec<String>)>,
}

pub(crate) struct PreparedMention {
    pub(crate) span: Option<Span>,
    pub(crate) name: String,
}

pub(crate) struct PreparedPrediction {
    pub(crate) tokens: TokenList,
    /// The parts with valid offsets; when there is any, the location rule
    /// applies (scoring.md §2).
    pub(crate) located: Vec<Span>,
    pub(crate) speaker: Option<PreparedMention>,
    pub(crate) cue: Option<(Option<Span>, Vec<String>)>,
}

/// Every record of one article, prepared once.
pub(crate) struct Prepared {
    pub(crate) vocab: Vocab,
    pub(crate) gold: Vec<PreparedGold>,
    pub(crate) predictions: Vec<PreparedPrediction>,
}

impl Prepared {
    pub(crate) fn new(text: &str, gold: &[GoldQuote], predictions: &[Prediction]) -> Prepared {
        let mut vocab = Vocab::default();
        let mut intern_all = |parts: &mut dyn Iterator<Item = &str>| {
            let seq = parts
                .flat_map(tokens)
                .map(|t| vocab.intern(t))
                .collect::<Vec<_>>();
            TokenList::new(seq)
        };
        let gold = gold
            .iter()
            .map(|g| PreparedGold {
                tokens: intern_all(&mut g.content.iter().map(|s| s.slice(text))),
                speaker: g.speaker.as_ref().map(|s| PreparedGoldSpeaker {
                    span: s.span,
                    names: std::iter::once(s.text.as_str())
                        .chain(s.entity.as_deref())
                        .chain(s.aliases.iter().map(String::as_str))
                        .map(normalize_name)
                        // A name without tokens (such as "The") names
                        // nobody: it must not make an empty prediction right.
                        .filter(|n| !n.is_empty())
                        .collect(),
                }),
                cue: g.cue.map(|c| (c, tokens(c.slice(text)))),
            })
            .collect();
        let predictions = predictions
            .iter()
            .map(|p| PreparedPrediction {
                tokens: intern_all(&mut p.content.iter().map(|part| match part {
                    PredPart::Located(span) => span.slice(text),
                    PredPart::Text(s) => s.as_str(),
                })),
                located: p
                    .content
                    .iter()
                    .filter_map(|part| match part {
                        PredPart::Located(span) => Some(*span),
                        PredPart::Text(_) => None,
                    })
                    .collect(),
                speaker: p.speaker.as_ref().map(|s| PreparedMention {
                    span: s.span,
                    name: normalize_name(&s.text),
                }),
                cue: p.cue.as_ref().map(|c| (c.span, tokens(&c.text))),
            })
            .collect();
        Prepared {
            vocab,
            gold,
            predictions,
        }
    }
}
