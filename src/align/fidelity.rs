//! Quote fidelity (scoring.md §8): whether a prediction given as text
//! reproduces the article — `verbatim`, `normalized`, `stitched`,
//! `altered` or `fabricated`.
//!
//! A verdict says how faithful the quoted words are, not whether they
//! match a gold quote: it needs only the article's text and the
//! prediction. Scoring ignores it unless `--require-verbatim` asks
//! ([`FidelityPolicy`]). The cost is linear: the article is indexed once
//! (its normalized text and its tokens, each built only when a part needs
//! it), and each part given as text then costs time linear in its own
//! length plus the article's (a suffix automaton over the article's runs
//! of the part's own tokens), however long and bogus it is.

use std::collections::HashMap;

use crate::corpus::{Kind, PredPart, Prediction};
use crate::text::for_each_token;

use super::prepared::{FxBuild, Vocab};

/// How faithfully a prediction's content reproduces the article, from
/// best to worst (scoring.md §8).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Fidelity {
    /// The text occurs in the article exactly; every part located by
    /// offsets is verbatim by construction.
    Verbatim,
    /// It occurs once quote marks, apostrophes, dashes, white space and
    /// letter case are normalized.
    Normalized,
    /// Two or more pieces, each found in the article, that are not one
    /// passage there.
    Stitched,
    /// Not found, but one article passage of its length holds more than
    /// half of its tokens: a misquote.
    Altered,
    /// Nothing in the article is that close.
    Fabricated,
}

impl Fidelity {
    /// Every verdict, from best to worst.
    pub const ALL: [Fidelity; 5] = [
        Fidelity::Verbatim,
        Fidelity::Normalized,
        Fidelity::Stitched,
        Fidelity::Altered,
        Fidelity::Fabricated,
    ];

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Fidelity::Verbatim => "verbatim",
            Fidelity::Normalized => "normalized",
            Fidelity::Stitched => "stitched",
            Fidelity::Altered => "altered",
            Fidelity::Fabricated => "fabricated",
        }
    }

    /// Parses the name used in reports.
    pub fn parse(s: &str) -> Option<Fidelity> {
        Fidelity::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Whether the words are not the article's, in one passage or in
    /// marked pieces, so `--require-verbatim` refuses the match of a direct
    /// or mixed quote.
    pub fn is_unfaithful(self) -> bool {
        matches!(
            self,
            Fidelity::Stitched | Fidelity::Altered | Fidelity::Fabricated
        )
    }
}

impl std::fmt::Display for Fidelity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What scoring does with fidelity verdicts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FidelityPolicy {
    /// `--require-verbatim`: a stitched, altered or fabricated prediction
    /// whose kind (its own, else its gold quote's) is direct or mixed
    /// matches nothing (scoring.md §8).
    pub require_verbatim: bool,
}

impl FidelityPolicy {
    /// Whether a pair of a prediction of this verdict and kind with a gold
    /// quote of `gold_kind` in `gold_parts` parts may match. A stitched
    /// prediction may match a gold quote in several parts: the article
    /// interrupts that quote itself, so pieces are how it is quoted.
    pub fn allows(
        self,
        fidelity: Option<Fidelity>,
        kind: Option<Kind>,
        gold_kind: Option<Kind>,
        gold_parts: usize,
    ) -> bool {
        let refused = match fidelity {
            Some(Fidelity::Stitched) => gold_parts < 2,
            Some(f) => f.is_unfaithful(),
            None => false,
        };
        !(self.require_verbatim
            && refused
            && matches!(kind.or(gold_kind), Some(Kind::Direct | Kind::Mixed)))
    }
}

/// The shortest piece of a stitched quote that no ellipsis marks off, in
/// tokens: shorter runs of common words occur anywhere.
pub const MIN_PIECE_TOKENS: usize = 4;

/// An altered quote shares more than this fraction of its tokens with one
/// article passage of its own length: more than half.
pub const ALTERED_SHARE: (u64, u64) = (1, 2);

/// The verdict of each prediction, in order; `None` for one without usable
/// content (no part at all), which has nothing to judge.
pub fn fidelities(text: &str, predictions: &[Prediction]) -> Vec<Option<Fidelity>> {
    let mut index = ArticleIndex::new(text);
    predictions
        .iter()
        .map(|p| {
            p.content
                .iter()
                .map(|part| match part {
                    PredPart::Located(_) => Fidelity::Verbatim,
                    PredPart::Text(t) => index.verdict(t),
                })
                .max()
        })
        .collect()
}

/// The verdict of one text against an article (scoring.md §8).
///
/// ```
/// use quotecheck::align::{fidelity_of, Fidelity};
/// let article = "“We will not raise taxes this year,” she said.";
/// assert_eq!(fidelity_of(article, "We will not raise taxes"), Fidelity::Verbatim);
/// assert_eq!(fidelity_of(article, "\"we will not raise taxes"), Fidelity::Normalized);
/// assert_eq!(fidelity_of(article, "We will never raise taxes this year"), Fidelity::Altered);
/// assert_eq!(fidelity_of(article, "Schools get new roofs"), Fidelity::Fabricated);
/// ```
pub fn fidelity_of(article: &str, quote: &str) -> Fidelity {
    ArticleIndex::new(article).verdict(quote)
}

/// Maps a character to its normalized form (scoring.md §8): quote marks
/// and apostrophes to `"`, dashes to `-`, anything else to its lower case.
fn fold_char(c: char, out: &mut String) {
    match c {
        '"' | '\'' | '`' | '\u{00AB}' | '\u{00B4}' | '\u{00BB}' | '\u{02BC}' | '\u{2018}'
        | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{201C}' | '\u{201D}' | '\u{201E}'
        | '\u{201F}' | '\u{2032}' | '\u{2033}' | '\u{2039}' | '\u{203A}' | '\u{300C}'
        | '\u{300D}' | '\u{300E}' | '\u{300F}' | '\u{301D}' | '\u{301E}' | '\u{301F}'
        | '\u{FF02}' | '\u{FF07}' => out.push('"'),
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{2E3A}' | '\u{2E3B}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            out.push('-')
        }
        c => out.extend(c.to_lowercase()),
    }
}

/// The normalized form of `s`: each run of white space one space, every
/// other character folded ([`fold_char`]).
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // An ASCII byte other than white space, a quote mark or a dash
        // folds to its lower case, without decoding a character (most of
        // a text).
        if b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'`' | b'-') {
            in_space = false;
            out.push(char::from(b.to_ascii_lowercase()));
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().expect("a character starts here");
        i += c.len_utf8();
        normalize_char(c, &mut in_space, &mut out);
    }
    out
}

/// One character of [`normalize`]: white space becomes one space a run
/// (`in_space` says whether the last character was white space).
fn normalize_char(c: char, in_space: &mut bool, out: &mut String) {
    if c.is_whitespace() {
        if !*in_space {
            out.push(' ');
        }
        *in_space = true;
    } else {
        *in_space = false;
        fold_char(c, out);
    }
}

/// Splits `s` at ellipsis markers: `…` (U+2026) and runs of three or more
/// full stops. Brackets around a marker (`[…]`, `(...)`) are punctuation,
/// which tokens ignore.
fn segments(s: &str) -> Vec<&str> {
    const ELLIPSIS: &[u8] = "\u{2026}".as_bytes();
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    // Both markers begin with a byte that starts a character, so every cut
    // is on a character boundary.
    while i < bytes.len() {
        if bytes[i..].starts_with(ELLIPSIS) {
            out.push(&s[start..i]);
            i += ELLIPSIS.len();
            start = i;
        } else if bytes[i] == b'.' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'.').count();
            if run >= 3 {
                out.push(&s[start..i]);
                start = i + run;
            }
            i += run;
        } else {
            i += 1;
        }
    }
    out.push(&s[start..]);
    out
}

/// What is computed of an article once, each part when first needed.
struct ArticleIndex<'a> {
    text: &'a str,
    normalized: Option<String>,
    /// The article's tokens as written.
    tokens: Option<Vec<&'a str>>,
}

impl<'a> ArticleIndex<'a> {
    fn new(text: &'a str) -> ArticleIndex<'a> {
        ArticleIndex {
            text,
            normalized: None,
            tokens: None,
        }
    }

    fn verdict(&mut self, quote: &str) -> Fidelity {
        if !crate::text::has_tokens(quote) {
            // No word to check: it says nothing the article says.
            return Fidelity::Fabricated;
        }
        if memchr::memmem::find(self.text.as_bytes(), quote.as_bytes()).is_some() {
            return Fidelity::Verbatim;
        }
        let text = self.text;
        let normalized = self.normalized.get_or_insert_with(|| normalize(text));
        let folded = normalize(quote);
        let folded = folded.trim_matches(' ').as_bytes();
        if memchr::memmem::find(normalized.as_bytes(), folded).is_some() {
            return Fidelity::Normalized;
        }
        let tokens = self.tokens.get_or_insert_with(|| {
            // About one token every six bytes of news text.
            let mut tokens = Vec::with_capacity(text.len() / 6);
            for_each_token(text, |t| tokens.push(t));
            tokens
        });
        let view = QuoteView::new(tokens, quote);
        if view.stitched(quote) {
            return Fidelity::Stitched;
        }
        let (num, den) = ALTERED_SHARE;
        let shared = best_window(&view.seq, view.alphabet, &view.quote);
        if den * shared > num * view.quote.len() as u64 {
            Fidelity::Altered
        } else {
            Fidelity::Fabricated
        }
    }
}

/// Which article tokens can be one of a quote's, told from their first
/// byte alone: most cannot, and are not lower-cased and looked up.
///
/// A token that begins with an ASCII byte lower-cases to one that begins
/// with that byte lower-cased, and an ASCII token to one of its own
/// length; a token that begins otherwise may lower-case to anything
/// (`K`, the Kelvin sign, to `k`) and is always looked up.
struct FirstBytes {
    /// Lower-case first bytes of the quote's tokens that begin with ASCII.
    first: u128,
    /// The same, by length (modulo 16), of the quote's ASCII tokens.
    by_length: [u128; 16],
}

impl FirstBytes {
    fn of(vocab: &Vocab) -> FirstBytes {
        let mut bytes = FirstBytes {
            first: 0,
            by_length: [0; 16],
        };
        for id in 0..vocab.len() {
            let word = vocab.word(id as u32);
            match word.as_bytes().first() {
                Some(&b) if b.is_ascii() => {
                    bytes.first |= 1 << b;
                    if word.is_ascii() {
                        bytes.by_length[word.len() % 16] |= 1 << b;
                    }
                }
                _ => {}
            }
        }
        bytes
    }

    /// Whether `token`, as written, may lower-case to one of the quote's.
    fn in_quote(&self, token: &str) -> bool {
        match token.as_bytes().first() {
            Some(&b) if b.is_ascii() => {
                let bit = 1u128 << b.to_ascii_lowercase();
                let mask = match token.is_ascii() {
                    true => self.by_length[token.len() % 16],
                    false => self.first,
                };
                mask & bit != 0
            }
            _ => true,
        }
    }
}

/// The article as one quote sees it: every article token the quote lacks
/// is one symbol, `other`, so that the suffix automaton is built over the
/// article's runs of the quote's own tokens only. No passage of the quote
/// holds `other`, so every passage the quote shares with the article is
/// found as in the whole article, while the automaton is a fraction of its
/// size (most of an article's words are not in a given quote).
struct QuoteView {
    /// The article's tokens in the quote's ids, one per article token.
    seq: Vec<u32>,
    /// The quote's tokens in its ids, every one `Some` (the automaton and
    /// [`best_window`] take `Option`s): a token the article lacks has an id
    /// `seq` never holds, which, as `None` would, matches nothing.
    quote: Vec<Option<u32>>,
    /// How many ids there are: the quote's distinct tokens and `other`.
    alphabet: usize,
    /// Over `seq` with each run of `other` one symbol.
    sam: SuffixAutomaton,
}

impl QuoteView {
    fn new(article: &[&str], quote: &str) -> QuoteView {
        // The quote's own tokens take ids 0, 1, …; the article's are
        // looked up among them, which is all that is asked of them.
        let mut vocab = Vocab::default();
        let mut ids = Vec::new();
        vocab.tokens(quote, &mut ids);
        let other = u32::try_from(vocab.len()).expect("fewer than 2^32 distinct tokens");
        let may_be = FirstBytes::of(&vocab);
        let seq: Vec<u32> = (article.iter())
            .map(|t| match may_be.in_quote(t) {
                true => vocab.find_raw(t).unwrap_or(other),
                false => other,
            })
            .collect();
        let mut runs = Vec::new();
        for &id in &seq {
            if id != other || runs.last() != Some(&other) {
                runs.push(id);
            }
        }
        QuoteView {
            seq,
            // A token the article lacks has an id the article never has:
            // no passage holds it, and no window.
            quote: ids.into_iter().map(Some).collect(),
            alphabet: other as usize + 1,
            sam: SuffixAutomaton::new(&runs),
        }
    }

    /// Whether the quote is stitched (scoring.md §8): not one passage, but
    /// covered by pieces that are — each marked-off segment one passage,
    /// or greedily the longest passages of at least [`MIN_PIECE_TOKENS`].
    fn stitched(&self, quote: &str) -> bool {
        if self.sam.longest_prefix(&self.quote) == self.quote.len() {
            return false;
        }
        let mut pieces = 0;
        // A marker is no token and no part of one, so the segments' tokens
        // are the quote's, in order.
        let mut start = 0;
        for segment in segments(quote) {
            let mut count = 0;
            for_each_token(segment, |_| count += 1);
            let ids = &self.quote[start..start + count];
            start += count;
            if ids.is_empty() {
                continue;
            }
            if self.sam.longest_prefix(ids) == ids.len() {
                pieces += 1;
                continue;
            }
            let mut at = 0;
            while at < ids.len() {
                let run = self.sam.longest_prefix(&ids[at..]);
                if run < MIN_PIECE_TOKENS {
                    return false;
                }
                pieces += 1;
                at += run;
            }
        }
        pieces >= 2
    }
}

/// The most tokens of `quote` (a multiset) that one window of `article` of
/// `quote`'s length holds (the whole article when it is shorter), by one
/// sliding pass. Ids are below `vocab`.
fn best_window(article: &[u32], vocab: usize, quote: &[Option<u32>]) -> u64 {
    let mut need = vec![0u32; vocab];
    for id in quote.iter().flatten() {
        need[*id as usize] += 1;
    }
    let width = quote.len().min(article.len());
    let mut have = vec![0u32; vocab];
    let (mut shared, mut best) = (0u64, 0u64);
    for (i, &id) in article.iter().enumerate() {
        let id = id as usize;
        if have[id] < need[id] {
            shared += 1;
        }
        have[id] += 1;
        if i >= width {
            let out = article[i - width] as usize;
            have[out] -= 1;
            if have[out] < need[out] {
                shared -= 1;
            }
        }
        best = best.max(shared);
    }
    best
}

/// A suffix automaton over a token sequence: every substring of it is a
/// path from the root, so the longest prefix of a list that occurs in the
/// article is found in time linear in that prefix. Built in linear time;
/// it has fewer than twice as many states and three times as many
/// transitions as the article has tokens.
struct SuffixAutomaton {
    len: Vec<u32>,
    link: Vec<u32>,
    /// Each state's first outgoing edge in `edges`, a linked list of the
    /// tokens it has a transition on (to copy them when a state is cloned).
    head: Vec<u32>,
    edges: Vec<(u32, u32)>,
    next: HashMap<(u32, u32), u32, FxBuild>,
}

const NONE: u32 = u32::MAX;

impl SuffixAutomaton {
    fn new(seq: &[u32]) -> SuffixAutomaton {
        let mut sam = SuffixAutomaton {
            len: vec![0],
            link: vec![NONE],
            head: vec![NONE],
            edges: Vec::new(),
            next: HashMap::default(),
        };
        sam.next.reserve(seq.len() * 2);
        let mut last = 0u32;
        for &c in seq {
            last = sam.extend(last, c);
        }
        sam
    }

    fn state(&mut self, len: u32, link: u32) -> u32 {
        self.len.push(len);
        self.link.push(link);
        self.head.push(NONE);
        (self.len.len() - 1) as u32
    }

    fn add_edge(&mut self, from: u32, c: u32, to: u32) {
        if self.next.insert((from, c), to).is_none() {
            self.edges.push((c, self.head[from as usize]));
            self.head[from as usize] = (self.edges.len() - 1) as u32;
        }
    }

    fn extend(&mut self, last: u32, c: u32) -> u32 {
        let cur = self.state(self.len[last as usize] + 1, 0);
        let mut p = last;
        while p != NONE && !self.next.contains_key(&(p, c)) {
            self.add_edge(p, c, cur);
            p = self.link[p as usize];
        }
        if p == NONE {
            return cur;
        }
        let q = self.next[&(p, c)];
        if self.len[p as usize] + 1 == self.len[q as usize] {
            self.link[cur as usize] = q;
            return cur;
        }
        let clone = self.state(self.len[p as usize] + 1, self.link[q as usize]);
        let mut e = self.head[q as usize];
        while e != NONE {
            let (token, rest) = self.edges[e as usize];
            let to = self.next[&(q, token)];
            self.add_edge(clone, token, to);
            e = rest;
        }
        while p != NONE && self.next.get(&(p, c)) == Some(&q) {
            self.next.insert((p, c), clone);
            p = self.link[p as usize];
        }
        self.link[q as usize] = clone;
        self.link[cur as usize] = clone;
        cur
    }

    /// How many leading tokens of `ids` occur together in the sequence.
    fn longest_prefix(&self, ids: &[Option<u32>]) -> usize {
        let mut state = 0u32;
        for (n, id) in ids.iter().enumerate() {
            match id.and_then(|c| self.next.get(&(state, c))) {
                Some(&to) => state = to,
                None => return n,
            }
        }
        ids.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    /// The article of scoring.md §8's worked cases.
    const ARTICLE: &str = include_str!("../../docs/examples/fidelity/corpus/council.txt");

    fn verdict(quote: &str) -> Fidelity {
        fidelity_of(ARTICLE, quote)
    }

    #[test]
    fn the_worked_cases_of_the_docs() {
        use Fidelity::*;
        for (quote, expected) in [
            ("We will not raise taxes this year,", Verbatim),
            ("\"we will NOT raise taxes  this year,\"", Normalized),
            ("the city's debt had doubled", Normalized),
            (
                "We will not raise taxes … the budget is a fantasy",
                Stitched,
            ),
            ("We will not raise taxes [...] fantasy", Stitched),
            (
                "We will not raise taxes this year. The budget is a fantasy.",
                Stitched,
            ),
            ("We will never raise taxes this year", Altered),
            ("We will not raise taxes this year” she said", Altered),
            ("the budget said Tom Hale", Altered),
            ("Tom Hale promised schools", Fabricated),
            ("Our schools will get new roofs", Fabricated),
            ("“…”", Fabricated),
        ] {
            assert_eq!(verdict(quote), expected, "{quote:?}");
        }
    }

    #[test]
    fn a_located_part_is_verbatim_and_the_worst_part_decides() {
        use crate::corpus::Span;
        let located = Prediction::at(Span::new(0, 9));
        let mut mixed = Prediction::at(Span::new(0, 9));
        mixed
            .content
            .push(PredPart::Text("We will never raise taxes this year".into()));
        let none = Prediction::default();
        assert_eq!(
            fidelities(ARTICLE, &[located, mixed, none]),
            [Some(Fidelity::Verbatim), Some(Fidelity::Altered), None]
        );
    }

    #[test]
    fn short_unmarked_pieces_are_not_a_stitch() {
        // "the budget" and "said tom hale" are passages, but shorter than
        // four tokens without an ellipsis between them.
        assert_eq!(verdict("the budget said Tom Hale"), Fidelity::Altered);
        assert_eq!(verdict("the budget … said Tom Hale"), Fidelity::Stitched);
        // One passage in different punctuation is not two pieces.
        assert_eq!(verdict("Critics, were unconvinced"), Fidelity::Altered);
    }

    #[test]
    fn segments_split_at_every_marker() {
        assert_eq!(
            segments("a … b ... c.. d [....] e"),
            ["a ", " b ", " c.. d [", "] e"]
        );
        assert_eq!(segments("plain"), ["plain"]);
    }

    #[test]
    fn normalization_folds_marks_dashes_space_and_case() {
        assert_eq!(
            normalize("«Ça» — „Ja“\t\n ‹x› 「y」 ‘z’ ‚w’ ΣΑ"),
            "\"ça\" - \"ja\" \"x\" \"y\" \"z\" \"w\" σα"
        );
    }

    /// The fast path for ASCII folds as character by character does.
    #[test]
    fn normalization_of_ascii_agrees_with_folding_every_character() {
        let by_char = |s: &str| {
            let (mut out, mut in_space) = (String::new(), false);
            for c in s.chars() {
                normalize_char(c, &mut in_space, &mut out);
            }
            out
        };
        let every: String = (0..0x250).filter_map(char::from_u32).collect();
        for s in [
            every.clone(),
            every.chars().rev().collect(),
            "A\u{b}\u{c}b \u{a0}\u{85}C\r\n\t–D-'\"`".to_string(),
        ] {
            assert_eq!(normalize(&s), by_char(&s), "{s:?}");
        }
    }

    /// The automaton answers as a brute-force search does.
    #[test]
    fn the_automaton_finds_the_longest_prefix() {
        let mut rng = SplitMix64::new(27);
        for _ in 0..300 {
            let seq: Vec<u32> = (0..rng.below(40)).map(|_| rng.below(4) as u32).collect();
            let sam = SuffixAutomaton::new(&seq);
            let query: Vec<Option<u32>> = (0..rng.below(12))
                .map(|_| Some(rng.below(5) as u32).filter(|&c| c < 4))
                .collect();
            let brute = (0..=query.len())
                .rev()
                .find(|&l| {
                    l == 0
                        || (0..seq.len().saturating_sub(l - 1))
                            .any(|i| (0..l).all(|k| query[k] == Some(seq[i + k])))
                })
                .unwrap();
            assert_eq!(sam.longest_prefix(&query), brute, "{seq:?} {query:?}");
        }
    }

    #[test]
    fn the_best_window_is_the_brute_force_one() {
        let mut rng = SplitMix64::new(8);
        for _ in 0..300 {
            let article: Vec<u32> = (0..rng.below(30)).map(|_| rng.below(5) as u32).collect();
            let quote: Vec<Option<u32>> = (0..1 + rng.below(10))
                .map(|_| Some(rng.below(6) as u32).filter(|&c| c < 5))
                .collect();
            let w = quote.len().min(article.len());
            let brute = (0..=article.len() - w)
                .map(|i| {
                    let mut window = article[i..i + w].to_vec();
                    quote
                        .iter()
                        .flatten()
                        .filter(|id| {
                            let found = window.iter().position(|x| x == *id);
                            found.map(|at| window.remove(at)).is_some()
                        })
                        .count() as u64
                })
                .max()
                .unwrap_or(0);
            assert_eq!(
                best_window(&article, 5, &quote),
                brute,
                "{article:?} {quote:?}"
            );
        }
    }

    /// The article's tokens as ids.
    struct Tokens {
        vocab: Vocab,
        seq: Vec<u32>,
    }

    impl Tokens {
        fn new(text: &str) -> Tokens {
            let mut vocab = Vocab::default();
            // About one token every six bytes of news text.
            let mut seq = Vec::with_capacity(text.len() / 6);
            vocab.tokens(text, &mut seq);
            Tokens { vocab, seq }
        }
    }

    /// The stitched and altered verdicts as the whole article's automaton
    /// gives them, every token its own symbol: what [`QuoteView`] must
    /// agree with.
    fn whole_article_verdict(article: &str, quote: &str) -> Option<Fidelity> {
        let mut tokens = Tokens::new(article);
        let sam = SuffixAutomaton::new(&tokens.seq);
        let mut ids_of = |s: &str| {
            let mut out = Vec::new();
            for_each_token(s, |t| out.push(tokens.vocab.find_raw(t)));
            out
        };
        let whole = ids_of(quote);
        let stitched = sam.longest_prefix(&whole) < whole.len() && {
            let mut pieces = 0;
            let mut covered = true;
            'segments: for segment in segments(quote) {
                let ids = ids_of(segment);
                if ids.is_empty() {
                    continue;
                }
                if sam.longest_prefix(&ids) == ids.len() {
                    pieces += 1;
                    continue;
                }
                let mut at = 0;
                while at < ids.len() {
                    let run = sam.longest_prefix(&ids[at..]);
                    if run < MIN_PIECE_TOKENS {
                        covered = false;
                        break 'segments;
                    }
                    pieces += 1;
                    at += run;
                }
            }
            covered && pieces >= 2
        };
        if stitched {
            return Some(Fidelity::Stitched);
        }
        let shared = best_window(&tokens.seq, tokens.vocab.len(), &whole);
        let (num, den) = ALTERED_SHARE;
        Some(if den * shared > num * whole.len() as u64 {
            Fidelity::Altered
        } else {
            Fidelity::Fabricated
        })
    }

    /// The first-byte filter passes every token whose lower case may be
    /// the quote's: one that begins with a letter outside ASCII (which
    /// may lower-case to ASCII, as the Kelvin sign does) is looked up.
    #[test]
    fn tokens_that_begin_outside_ascii_are_looked_up() {
        let article = "Über alles Ärzte sagen Ökonomen lügen";
        // Three of five tokens in one window, two of them Ä… and Ö….
        assert_eq!(
            fidelity_of(article, "über ärzte ökonomen lügen nie"),
            Fidelity::Altered
        );
        let article = "\u{212A}ey figures show";
        assert_eq!(fidelity_of(article, "key figures shown"), Fidelity::Altered);
        assert_eq!(
            fidelity_of("Key figures show", "key figures shown"),
            Fidelity::Altered
        );
    }

    #[test]
    fn the_quote_view_judges_as_the_whole_article_does() {
        let words = [
            "we", "will", "not", "Raise", "taxes", "the", "budget", "a", "fantasy",
        ];
        let pick = |rng: &mut SplitMix64, n: usize, marks: bool| {
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(words[rng.below(words.len())]);
                s.push_str(if marks && rng.below(6) == 0 {
                    " … "
                } else {
                    " "
                });
            }
            s
        };
        let mut rng = SplitMix64::new(31);
        let mut seen = std::collections::BTreeMap::new();
        for _ in 0..2000 {
            let (article_len, quote_len) = (rng.below(60), 1 + rng.below(14));
            let article = pick(&mut rng, article_len, false);
            let quote = pick(&mut rng, quote_len, true);
            let mut index = ArticleIndex::new(&article);
            let got = index.verdict(&quote);
            if matches!(got, Fidelity::Verbatim | Fidelity::Normalized) {
                continue;
            }
            assert_eq!(
                Some(got),
                whole_article_verdict(&article, &quote),
                "{article:?} {quote:?}"
            );
            *seen.entry(got).or_insert(0) += 1;
        }
        // Every verdict the automaton decides came up.
        assert_eq!(
            seen.keys().copied().collect::<Vec<_>>(),
            [Fidelity::Stitched, Fidelity::Altered, Fidelity::Fabricated]
        );
    }

    #[test]
    fn a_huge_bogus_quote_is_judged_in_linear_time() {
        let quote = "lorem ipsum dolor ".repeat(200_000);
        assert_eq!(verdict(&quote), Fidelity::Fabricated);
        let repeated = "We will not raise taxes this year ".repeat(50_000);
        assert_eq!(verdict(&repeated), Fidelity::Stitched);
    }
}
