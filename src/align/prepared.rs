//! Gold and predicted records reduced, once per article, to what matching
//! compares: interned token lists, interned names, cue tokens.
//!
//! Everything here is computed once per record, never per pair, and
//! interning allocates only for tokens and names not seen before in the
//! article: comparing records is then comparing small integers.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::corpus::{GoldQuote, PredPart, Prediction, Span};
use crate::text::{for_each_token, normalize_name};

/// A fast, non-cryptographic hasher (the multiply-rotate scheme of FxHash)
/// for the per-article tables: their keys come from one article, so there
/// is nothing to defend against, and SipHash would dominate interning.
#[derive(Clone, Copy, Default)]
pub(crate) struct Fx(u64);

impl Fx {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn add(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(Fx::K);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ ((bytes.len() as u64) << 56));
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The high bits of a product are the well-mixed ones; tables index
        // with the low bits.
        self.0.rotate_left(26)
    }
}

pub(crate) type FxBuild = BuildHasherDefault<Fx>;

fn fx_hash(bytes: &[u8]) -> u64 {
    let mut h = Fx::default();
    h.write(bytes);
    h.finish()
}

/// Token ids for one article. Ids only stand for equality of tokens within
/// this article; their numeric order means nothing and nothing may depend
/// on it beyond grouping equal tokens.
#[derive(Default)]
pub(crate) struct Vocab {
    /// The hash of each distinct token → its id. Tokens whose hashes
    /// collide take the following keys, so two tokens never share an id.
    ids: HashMap<u64, u32, FxBuild>,
    /// The distinct tokens one after the other: token `i` ends at `ends[i]`.
    arena: String,
    ends: Vec<usize>,
    /// Scratch space for lower-casing.
    lower: String,
}

impl Vocab {
    /// The id of `token`, which is already lower-cased.
    fn intern(&mut self, token: &str) -> u32 {
        match self.find(token) {
            Ok(id) => id,
            Err(key) => {
                let id = u32::try_from(self.ends.len()).expect("fewer than 2^32 distinct tokens");
                self.arena.push_str(token);
                self.ends.push(self.arena.len());
                self.ids.insert(key, id);
                id
            }
        }
    }

    /// The id of `token` (lower-cased), or the free key it would take.
    fn find(&self, token: &str) -> Result<u32, u64> {
        let mut key = fx_hash(token.as_bytes());
        loop {
            match self.ids.get(&key) {
                Some(&id) if self.word(id) == token => return Ok(id),
                Some(_) => key = key.wrapping_add(1),
                None => return Err(key),
            }
        }
    }

    /// The id of a token as it appears in the text, lower-cased first.
    fn intern_raw(&mut self, raw: &str) -> u32 {
        self.with_lower(raw, Vocab::intern)
    }

    /// The id of a token as it appears in a text, if it was interned.
    pub(crate) fn find_raw(&mut self, raw: &str) -> Option<u32> {
        self.with_lower(raw, |vocab, lower| vocab.find(lower).ok())
    }

    /// `f` of the lower case of `raw`, lower-cased in scratch space.
    fn with_lower<T>(&mut self, raw: &str, f: impl FnOnce(&mut Vocab, &str) -> T) -> T {
        // Most tokens are lower case already: take them as they are.
        let lower_already = if raw.is_ascii() {
            !raw.bytes().any(|b| b.is_ascii_uppercase())
        } else {
            raw.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c.is_lowercase())
        };
        if lower_already {
            return f(self, raw);
        }
        let mut lower = std::mem::take(&mut self.lower);
        lower.clear();
        lowercase_into(raw, &mut lower);
        let out = f(self, &lower);
        self.lower = lower;
        out
    }

    /// How many distinct tokens have ids: every id is below it.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Appends the token ids of `s` (scoring.md §1) to `out`.
    pub(crate) fn tokens(&mut self, s: &str, out: &mut Vec<u32>) {
        for_each_token(s, |t| out.push(self.intern_raw(t)));
    }

    pub(crate) fn word(&self, id: u32) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.arena[start..self.ends[i]]
    }
}

/// Appends `s.to_lowercase()` to `out` without allocating: `str::to_lowercase`
/// maps each character on its own except Σ, whose word-final form depends on
/// its neighbours, so a token with a Σ goes through it. (A character with
/// the Lowercase property is its own lower case: a test checks them all.)
fn lowercase_into(s: &str, out: &mut String) {
    if s.contains('Σ') {
        out.push_str(&s.to_lowercase());
        return;
    }
    out.reserve(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c.is_lowercase() {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Normalized names (scoring.md §3) as ids, so that comparing two names is
/// comparing integers; each distinct name of an article is normalized once.
#[derive(Default)]
struct Names<'r> {
    by_raw: HashMap<&'r str, Option<u32>, FxBuild>,
    ids: HashMap<String, u32, FxBuild>,
}

impl<'r> Names<'r> {
    /// The id of `raw`'s normalized form; `None` for a name without tokens
    /// (such as "The"), which names nobody.
    fn id(&mut self, raw: &'r str) -> Option<u32> {
        if let Some(&id) = self.by_raw.get(raw) {
            return id;
        }
        let name = normalize_name(raw);
        let id = (!name.is_empty()).then(|| {
            let next = u32::try_from(self.ids.len()).expect("fewer than 2^32 names");
            *self.ids.entry(name).or_insert(next)
        });
        self.by_raw.insert(raw, id);
        id
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
    fn new(seq: &[u32]) -> TokenList {
        let mut sorted = seq.to_vec();
        sorted.sort_unstable();
        TokenList {
            seq: seq.to_vec(),
            sorted,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.seq.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.seq.len()
    }
}

pub(crate) struct PreparedGoldSpeaker {
    /// `None` for a speaker given by entity alone: right by name only.
    pub(crate) span: Option<Span>,
    /// The normalized mention text, entity and aliases: any of them is a
    /// correct name (scoring.md §3). Names without tokens are left out.
    pub(crate) names: Vec<u32>,
}

pub(crate) struct PreparedGold {
    pub(crate) tokens: TokenList,
    pub(crate) speaker: Option<PreparedGoldSpeaker>,
    pub(crate) cue: Option<(Span, Vec<u32>)>,
}

pub(crate) struct PreparedMention {
    pub(crate) span: Option<Span>,
    /// The normalized name; `None` when it has no tokens.
    pub(crate) name: Option<u32>,
}

pub(crate) struct PreparedPrediction {
    pub(crate) tokens: TokenList,
    /// The parts with valid offsets; when there is any, the location rule
    /// applies (scoring.md §2).
    pub(crate) located: Vec<Span>,
    pub(crate) speaker: Option<PreparedMention>,
    pub(crate) cue: Option<(Option<Span>, Vec<u32>)>,
}

/// A part of a record's content: a span of the article, or text.
enum Part<'a> {
    Span(Span),
    Text(&'a str),
}

/// Every record of one article, prepared once.
pub(crate) struct Prepared {
    pub(crate) vocab: Vocab,
    pub(crate) gold: Vec<PreparedGold>,
    pub(crate) predictions: Vec<PreparedPrediction>,
}

impl Prepared {
    pub(crate) fn new<'r>(
        text: &str,
        gold: &'r [GoldQuote],
        predictions: &'r [Prediction],
    ) -> Prepared {
        let mut vocab = Vocab::default();
        // A typical article has a few hundred distinct tokens in its
        // quotes, and a dozen names: room for them from the start.
        vocab.ids.reserve(256);
        vocab.ends.reserve(256);
        vocab.arena.reserve(2048);
        let mut names = Names::default();
        names.by_raw.reserve(16);
        names.ids.reserve(16);
        let mut scratch: Vec<u32> = Vec::new();
        // The tokens of every span tokenized so far: a prediction located
        // exactly on a gold quote (the common case) reuses its tokens.
        let mut spans: HashMap<Span, (usize, usize), FxBuild> = HashMap::default();
        let mut span_tokens: Vec<u32> = Vec::new();
        let mut token_list = |vocab: &mut Vocab, parts: &mut dyn Iterator<Item = Part<'_>>| {
            scratch.clear();
            for part in parts {
                match part {
                    Part::Text(s) => vocab.tokens(s, &mut scratch),
                    Part::Span(span) => {
                        let (start, end) = *spans.entry(span).or_insert_with(|| {
                            let start = span_tokens.len();
                            vocab.tokens(span.slice(text), &mut span_tokens);
                            (start, span_tokens.len())
                        });
                        scratch.extend_from_slice(&span_tokens[start..end]);
                    }
                }
            }
            TokenList::new(&scratch)
        };
        let cue_tokens = |vocab: &mut Vocab, s: &str| {
            let mut out = Vec::new();
            vocab.tokens(s, &mut out);
            out
        };
        let gold = gold
            .iter()
            .map(|g| PreparedGold {
                tokens: token_list(&mut vocab, &mut g.content.iter().map(|&s| Part::Span(s))),
                speaker: g.speaker.as_ref().map(|s| PreparedGoldSpeaker {
                    span: s.span,
                    names: std::iter::once(s.text.as_str())
                        .chain(s.entity.as_deref())
                        .chain(s.aliases.iter().map(String::as_str))
                        .filter_map(|n| names.id(n))
                        .collect(),
                }),
                cue: g.cue.map(|c| (c, cue_tokens(&mut vocab, c.slice(text)))),
            })
            .collect();
        let predictions = predictions
            .iter()
            .map(|p| PreparedPrediction {
                tokens: token_list(
                    &mut vocab,
                    &mut p.content.iter().map(|part| match part {
                        PredPart::Located(span) => Part::Span(*span),
                        PredPart::Text(s) => Part::Text(s),
                    }),
                ),
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
                    name: names.id(&s.text),
                }),
                cue: p
                    .cue
                    .as_ref()
                    .map(|c| (c.span, cue_tokens(&mut vocab, &c.text))),
            })
            .collect();
        Prepared {
            vocab,
            gold,
            predictions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;
    use crate::text::tokens;

    fn interned(s: &str) -> Vec<String> {
        let mut vocab = Vocab::default();
        let mut ids = Vec::new();
        vocab.tokens(s, &mut ids);
        ids.iter().map(|&id| vocab.word(id).to_string()).collect()
    }

    #[test]
    fn interning_gives_the_tokens_of_the_text_module() {
        for s in [
            "“Gaddafi must leave,” he said",
            "İstanbul ΣΟΦΟΣ Σ ΌΣΟΣ σΣ ΣΑ",
            "「東京タワー」 abc東def 서울시 Zoë 42x",
            "ǅemal ﬁne ẞ Straße ΐ",
            "",
            "   ",
        ] {
            assert_eq!(interned(s), tokens(s), "{s:?}");
        }
        let pool: Vec<char> = "aZé ÉΣσς İıI東タ,.’“-9\u{307}ǅﬁ".chars().collect();
        let mut rng = SplitMix64::new(3);
        for _ in 0..2000 {
            let s: String = (0..rng.below(24))
                .map(|_| pool[rng.below(pool.len())])
                .collect();
            assert_eq!(interned(&s), tokens(&s), "{s:?}");
        }
    }

    #[test]
    fn a_lowercase_character_is_its_own_lower_case() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if c.is_lowercase() {
                assert!(c.to_lowercase().eq([c]), "{c:?}");
            }
        }
    }

    #[test]
    fn equal_tokens_share_an_id_and_only_they_do() {
        let mut vocab = Vocab::default();
        let mut ids = Vec::new();
        vocab.tokens("The the THE cat Cat dog", &mut ids);
        assert_eq!(ids[0], ids[1]);
        assert_eq!(ids[1], ids[2]);
        assert_eq!(ids[3], ids[4]);
        assert_ne!(ids[0], ids[3]);
        assert_ne!(ids[3], ids[5]);
        // Two tokens whose hashes collide still get two ids.
        let key = fx_hash(b"zebra");
        vocab.ids.insert(key, 0);
        let zebra = vocab.intern("zebra");
        assert_ne!(zebra, 0);
        assert_eq!(vocab.word(zebra), "zebra");
        assert_eq!(vocab.intern("zebra"), zebra);
    }
}
