//! Rich random articles, for the brute-force oracle (`oracle`): gold
//! quotes in one or two parts, speakers with entities and aliases, cues of
//! several words; predictions close to a gold quote (its spans or its text,
//! reversed, with extra words), located, textual, mixed or unusable, with
//! speakers and cues named or located. Every index is taken modulo what
//! exists, so that any spec is valid.

use proptest::prelude::*;
use quotecheck::corpus::{GoldQuote, GoldSpeaker, PredMention, PredPart, Prediction};

use super::{kind_of, lay_out, word_run, Article};

const WORDS: [&str; 12] = [
    "we",
    "will",
    "win",
    "the",
    "Minister",
    "said",
    "Ana",
    "Silva",
    "İstanbul",
    "東京",
    "no",
    "No",
];
const SEPARATORS: [&str; 5] = [" ", ", ", " “", "” ", " — "];
const ENTITIES: [&str; 5] = ["Ana Silva", "the minister", "Minister Silva", "PM", "we"];
const NAMES: [&str; 8] = [
    "Ana Silva",
    "ana silva",
    "The Minister",
    "Silva",
    "the the minister",
    "P.M.",
    "we",
    "No",
];
const CUES: [&str; 4] = ["said", "Said!", "will", "no no"];
#[derive(Clone, Debug)]
struct GoldSpec {
    start: usize,
    len: usize,
    second_part: Option<(usize, usize)>,
    optional: bool,
    kind: Option<u8>,
    speaker: Option<(usize, Option<usize>, Vec<usize>)>,
    cue: Option<(usize, usize)>,
}

#[derive(Clone, Debug)]
enum ContentSpec {
    /// Close to a gold quote: its spans or its text, maybe reversed, plus
    /// extra words.
    FromGold {
        gold: usize,
        as_text: bool,
        reversed: bool,
        extra: Vec<usize>,
    },
    Located(usize, usize),
    Text(Vec<usize>),
    Mixed(usize, usize, Vec<usize>, bool),
    Unusable,
}

#[derive(Clone, Debug)]
enum MentionSpec {
    Absent,
    Named(usize),
    Located(usize, usize),
}

#[derive(Clone, Debug)]
struct PredSpec {
    content: ContentSpec,
    speaker: MentionSpec,
    cue: MentionSpec,
    kind: Option<u8>,
}

fn gold_spec() -> impl Strategy<Value = GoldSpec> {
    (
        (
            0usize..30,
            1usize..4,
            prop::option::weighted(0.25, (0usize..3, 1usize..3)),
        ),
        prop::bool::weighted(0.25),
        prop::option::weighted(0.8, 0u8..3),
        prop::option::weighted(
            0.7,
            (
                0usize..30,
                prop::option::of(0usize..ENTITIES.len()),
                prop::collection::vec(0usize..ENTITIES.len(), 0..2),
            ),
        ),
        prop::option::weighted(0.6, (0usize..30, 1usize..3)),
    )
        .prop_map(
            |((start, len, second_part), optional, kind, speaker, cue)| GoldSpec {
                start,
                len,
                second_part,
                optional,
                kind,
                speaker,
                cue,
            },
        )
}

fn mention_spec(pool: usize) -> impl Strategy<Value = MentionSpec> {
    prop_oneof![
        1 => Just(MentionSpec::Absent),
        2 => (0..pool).prop_map(MentionSpec::Named),
        2 => (0usize..30, 1usize..3).prop_map(|(s, l)| MentionSpec::Located(s, l)),
    ]
}

fn pred_spec() -> impl Strategy<Value = PredSpec> {
    let words = || prop::collection::vec(0usize..WORDS.len(), 0..3);
    let content = prop_oneof![
        5 => (0usize..8, any::<bool>(), prop::bool::weighted(0.2), words())
            .prop_map(|(gold, as_text, reversed, extra)| ContentSpec::FromGold { gold, as_text, reversed, extra }),
        2 => (0usize..30, 1usize..5).prop_map(|(s, l)| ContentSpec::Located(s, l)),
        2 => prop::collection::vec(0usize..WORDS.len(), 0..5).prop_map(ContentSpec::Text),
        1 => (0usize..30, 1usize..4, words(), any::<bool>()).prop_map(|(s, l, w, f)| ContentSpec::Mixed(s, l, w, f)),
        1 => Just(ContentSpec::Unusable),
    ];
    (
        content,
        mention_spec(NAMES.len()),
        mention_spec(CUES.len()),
        prop::option::weighted(0.7, 0u8..3),
    )
        .prop_map(|(content, speaker, cue, kind)| PredSpec {
            content,
            speaker,
            cue,
            kind,
        })
}

/// Builds the text from words and the records from specs; every index is
/// taken modulo what exists so that any spec is valid.
fn build(words: &[(usize, usize)], golds: &[GoldSpec], preds: &[PredSpec]) -> Article {
    let (text, at) = lay_out(&WORDS, &SEPARATORS, words);
    let n = at.len();
    let run = |start: usize, len: usize| word_run(&at, start, len);
    let gold: Vec<GoldQuote> = golds
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let first = run(g.start, g.len);
            let mut content = vec![first];
            if let Some((gap, len)) = g.second_part {
                let next = (g.start % n + g.len + gap).min(n);
                if next < n {
                    let second = run(next, len);
                    if second.start >= first.end {
                        content.push(second);
                    }
                }
            }
            GoldQuote {
                id: format!("q{i}"),
                kind: kind_of(g.kind),
                content,
                speaker: g.speaker.as_ref().map(|(w, entity, aliases)| {
                    let span = run(*w, 1);
                    let aliases: Vec<String> =
                        aliases.iter().map(|&a| ENTITIES[a].to_owned()).collect();
                    // One speaker in four with an entity is given by it
                    // alone (corpus.md): right by name only.
                    if let Some(e) = entity.filter(|_| w % 4 == 0) {
                        return GoldSpeaker::entity_only(ENTITIES[e], aliases);
                    }
                    GoldSpeaker {
                        span: Some(span),
                        text: span.slice(&text).to_owned(),
                        entity: entity.map(|e| ENTITIES[e].to_owned()),
                        aliases,
                    }
                }),
                cue: g.cue.map(|(s, l)| run(s, l)),
                optional: g.optional,
                note: None,
            }
        })
        .collect();
    let text_of = |ws: &[usize]| ws.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ");
    let mention = |m: &MentionSpec, pool: &[&str]| match m {
        MentionSpec::Absent => None,
        MentionSpec::Named(i) => Some(PredMention {
            span: None,
            text: pool[*i].to_owned(),
        }),
        MentionSpec::Located(s, l) => {
            let span = run(*s, *l);
            Some(PredMention {
                span: Some(span),
                text: span.slice(&text).to_owned(),
            })
        }
    };
    let predictions = preds
        .iter()
        .map(|p| {
            let content = match &p.content {
                ContentSpec::FromGold { .. } if gold.is_empty() => {
                    vec![PredPart::Text("we".into())]
                }
                ContentSpec::FromGold {
                    gold: g,
                    as_text,
                    reversed,
                    extra,
                } => {
                    let g = &gold[g % gold.len()];
                    let mut parts: Vec<PredPart> = if *as_text {
                        vec![PredPart::Text(
                            g.content
                                .iter()
                                .map(|s| s.slice(&text))
                                .collect::<Vec<_>>()
                                .join(" "),
                        )]
                    } else {
                        g.content.iter().map(|&s| PredPart::Located(s)).collect()
                    };
                    if *reversed {
                        parts.reverse();
                    }
                    if !extra.is_empty() {
                        parts.push(PredPart::Text(text_of(extra)));
                    }
                    parts
                }
                ContentSpec::Located(s, l) => vec![PredPart::Located(run(*s, *l))],
                ContentSpec::Text(ws) => vec![PredPart::Text(text_of(ws))],
                ContentSpec::Mixed(s, l, ws, text_first) => {
                    let mut parts =
                        vec![PredPart::Located(run(*s, *l)), PredPart::Text(text_of(ws))];
                    if *text_first {
                        parts.reverse();
                    }
                    parts
                }
                ContentSpec::Unusable => Vec::new(),
            };
            Prediction {
                id: None,
                content,
                speaker: mention(&p.speaker, &NAMES),
                cue: mention(&p.cue, &CUES),
                kind: kind_of(p.kind),
            }
        })
        .collect();
    Article {
        text,
        gold,
        predictions,
    }
}

/// A rich random article (see the module doc).
pub fn article() -> impl Strategy<Value = Article> {
    (
        prop::collection::vec((0usize..WORDS.len(), 0usize..SEPARATORS.len()), 1..16),
        prop::collection::vec(gold_spec(), 0..7),
        prop::collection::vec(pred_spec(), 0..8),
    )
        .prop_map(|(words, golds, preds)| build(&words, &golds, &preds))
}
