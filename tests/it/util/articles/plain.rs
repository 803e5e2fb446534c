//! Plain random articles, for the properties every score must have
//! (`score_props`): words from a short list, gold quotes of one word run
//! with a speaker naming an entity and a one-word cue, predictions located,
//! given as text, mixed or made of other words, speakers named only.

use proptest::prelude::*;
use quotecheck::corpus::{GoldQuote, GoldSpeaker, PredMention, PredPart, Prediction};

use super::{kind_of, lay_out, word_run, Article};

const WORDS: [&str; 10] = [
    "we",
    "will",
    "win",
    "The",
    "minister",
    "said",
    "Ana",
    "東京",
    "no",
    "İstanbul",
];
const SEPARATORS: [&str; 4] = [" ", ", ", " “", "” "];
const NAMES: [&str; 5] = ["Ana", "the minister", "Minister", "we", "Silva"];

type GoldSpec = (
    usize,
    usize,
    bool,
    Option<u8>,
    Option<(usize, usize)>,
    Option<usize>,
);
type PredSpec = (u8, usize, usize, Vec<usize>, Option<usize>, Option<u8>);

fn build(words: &[(usize, usize)], golds: &[GoldSpec], preds: &[PredSpec]) -> Article {
    let (text, at) = lay_out(&WORDS, &SEPARATORS, words);
    let gold: Vec<GoldQuote> = golds
        .iter()
        .enumerate()
        .map(
            |(i, &(start, len, optional, kind, speaker, cue))| GoldQuote {
                id: format!("q{i}"),
                kind: kind_of(kind),
                content: vec![word_run(&at, start, len)],
                speaker: speaker.map(|(w, entity)| {
                    let span = word_run(&at, w, 1);
                    GoldSpeaker {
                        span: Some(span),
                        text: span.slice(&text).to_owned(),
                        entity: Some(NAMES[entity % NAMES.len()].to_owned()),
                        aliases: vec![],
                    }
                }),
                cue: cue.map(|w| word_run(&at, w, 1)),
                optional,
                note: None,
            },
        )
        .collect();
    let predictions = preds
        .iter()
        .map(|(how, start, len, extra, speaker, kind)| {
            let extra_text: Vec<&str> = extra.iter().map(|&w| WORDS[w]).collect();
            let span = word_run(&at, *start, *len);
            let content = match how % 4 {
                0 => vec![PredPart::Located(span)],
                1 => vec![PredPart::Text(span.slice(&text).to_owned())],
                2 => vec![
                    PredPart::Located(span),
                    PredPart::Text(extra_text.join(" ")),
                ],
                _ => vec![PredPart::Text(extra_text.join(" "))],
            };
            Prediction {
                id: None,
                content,
                speaker: speaker.map(|n| PredMention {
                    span: None,
                    text: NAMES[n % NAMES.len()].to_owned(),
                }),
                cue: None,
                kind: kind_of(*kind),
            }
        })
        .collect();
    Article {
        text,
        gold,
        predictions,
    }
}

/// A plain random article (see the module doc).
pub fn article() -> impl Strategy<Value = Article> {
    let gold = (
        0usize..20,
        1usize..4,
        prop::bool::weighted(0.2),
        prop::option::of(0u8..3),
        prop::option::of((0usize..20, 0usize..5)),
        prop::option::of(0usize..20),
    );
    let pred = (
        0u8..4,
        0usize..20,
        1usize..4,
        prop::collection::vec(0usize..WORDS.len(), 0..3),
        prop::option::of(0usize..5),
        prop::option::of(0u8..3),
    );
    (
        prop::collection::vec((0usize..WORDS.len(), 0usize..SEPARATORS.len()), 1..14),
        prop::collection::vec(gold, 0..7),
        prop::collection::vec(pred, 0..8),
    )
        .prop_map(|(w, g, p)| build(&w, &g, &p))
}
