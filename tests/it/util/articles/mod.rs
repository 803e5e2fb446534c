//! Random input for property tests (proptest strategies): article texts,
//! and whole articles with gold and predictions to score. Two generators of
//! scored articles explore different ground and are kept apart, [`plain`]
//! and [`rich`]; they share how a text is laid out from words and how a
//! record points into it. A third source is the library's own synthetic
//! corpus ([`generated`], `quotecheck::gen`): realistic articles with
//! perturbed predictions, as the benchmarks score them. What the
//! properties are is the tests' business.

pub mod plain;
pub mod rich;

/// An article of `quotecheck::gen`'s synthetic corpus, with its perturbed
/// predictions: any seed, any of the first articles, 0 to 8 quotes.
pub fn generated() -> impl Strategy<Value = Article> {
    (any::<u64>(), 0usize..40, 0usize..=8, 0usize..=4).prop_map(|(seed, n, low, extra)| {
        let settings = quotecheck::gen::Settings {
            seed,
            articles: n + 1,
            quotes: low..=low + extra,
            ..quotecheck::gen::Settings::default()
        };
        let made = quotecheck::gen::article(&settings, n);
        Article {
            text: made.article.text.clone(),
            gold: made.article.gold.map_or_else(Vec::new, |g| g.quotes),
            predictions: made.predictions,
        }
    })
}

use proptest::prelude::*;
use quotecheck::corpus::{GoldQuote, Kind, PredMention, PredPart, Prediction, Span};

/// An article's text with its gold quotes and an extractor's predictions.
#[derive(Clone, Debug)]
pub struct Article {
    pub text: String,
    pub gold: Vec<GoldQuote>,
    pub predictions: Vec<Prediction>,
}

/// Text made of `picks`, each a word of `words` and the separator of
/// `separators` after it (indices), and the span of each word.
pub fn lay_out(
    words: &[&str],
    separators: &[&str],
    picks: &[(usize, usize)],
) -> (String, Vec<Span>) {
    let mut text = String::new();
    let mut at = Vec::new();
    for &(w, sep) in picks {
        let start = text.len();
        text.push_str(words[w]);
        at.push(Span::new(start, text.len()));
        text.push_str(separators[sep]);
    }
    (text, at)
}

/// The span over `len` words from word `start` of the spans `at`: the
/// first word is taken modulo their number, the run stops at the last.
pub fn word_run(at: &[Span], start: usize, len: usize) -> Span {
    let s = start % at.len();
    let e = (s + len).min(at.len());
    Span::new(at[s].start, at[e - 1].end)
}

/// A kind from a random number, if any.
pub fn kind_of(k: Option<u8>) -> Option<Kind> {
    k.map(|k| Kind::ALL[k as usize % 3])
}

/// The prediction an extractor that agreed with the gold quote `g` of
/// `text` would make.
pub fn from_gold(text: &str, g: &GoldQuote) -> Prediction {
    Prediction {
        id: None,
        content: g.content.iter().map(|&s| PredPart::Located(s)).collect(),
        speaker: g.speaker.as_ref().map(|s| match s.span {
            Some(span) => PredMention::at(text, span),
            None => PredMention::named(s.text.clone()),
        }),
        cue: g.cue.map(|c| PredMention::at(text, c)),
        kind: g.kind,
    }
}

/// Text of `len` pieces drawn from `pieces` (each piece any string: a
/// word, a space, an emoji, a line break).
pub fn text_of(
    pieces: Vec<&'static str>,
    len: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), len).prop_map(|parts| parts.concat())
}
