//! The predictions of a synthetic article: its gold, perturbed as real
//! extractors err.
//!
//! Quotes are missed, boundaries shifted, speakers swapped or dropped,
//! content given as text only, interrupted quotes cut to their first
//! part, kinds mistaken, sentences that are no quote predicted, and the
//! records listed out of text order. The generator of the predictions is
//! separate from the article's, so the article does not depend on them.

use super::article::{rng_for, Made, Person};
use crate::corpus::{Kind, PredMention, PredPart, Prediction, Span};
use crate::rng::SplitMix64;

/// One prediction, and whether its located content is written with its
/// text.
pub(super) struct Perturbed {
    pub prediction: Prediction,
    pub content_text: bool,
}

/// Another kind than `k`.
fn other_kind(k: Kind, rng: &mut SplitMix64) -> Kind {
    let others: Vec<Kind> = Kind::ALL.into_iter().filter(|x| *x != k).collect();
    others[rng.below(2)]
}

/// The predictions for article `n` of the corpus of `seed`.
pub(super) fn perturb(made: &Made, seed: u64, n: usize) -> Vec<Perturbed> {
    let mut rng = rng_for(seed, n, 2);
    let text = made.article.text.as_str();
    let entity = |p: &Person| PredMention::named(p.entity.clone());
    let located = |parts: &[Span]| parts.iter().copied().map(PredPart::Located).collect();
    let mut out = Vec::new();
    for (q, facts) in made.quotes().iter().zip(&made.facts) {
        let roll = rng.below(100);
        if roll < 10 {
            continue; // missed
        }
        let speaker = &made.people[facts.speaker];
        let right_speaker = if rng.coin() {
            PredMention::at(text, facts.speaker_span)
        } else {
            entity(speaker)
        };
        let kind = if rng.below(10) == 0 {
            other_kind(facts.kind, &mut rng)
        } else {
            facts.kind
        };
        let cue = PredMention::named(facts.cue.slice(text));
        let with_text = rng.below(3) == 0;
        let (content, speaker, content_text) = match roll {
            // Shifted: boundaries moved by a few words, inwards or outwards.
            10..=21 => {
                let w = &facts.words;
                let drop_front = rng.below(3).min(w.len() - 1);
                let drop_back = rng.below(3).min(w.len() - 1 - drop_front);
                let first = w[drop_front];
                let last = w[w.len() - 1 - drop_back];
                let mut end = last;
                if rng.below(4) == 0 {
                    // Run on into the attribution that follows.
                    end = facts.cue;
                    if end.start < last.start {
                        end = last;
                    }
                }
                let span = Span::new(first.start, end.end);
                (
                    vec![PredPart::Located(span)],
                    Some(right_speaker),
                    with_text,
                )
            }
            // Wrong speaker: someone else in the article, or nobody.
            22..=29 => {
                let others: Vec<&Person> = made
                    .people
                    .iter()
                    .enumerate()
                    .filter(|(i, p)| *i != facts.speaker && p.entity != speaker.entity)
                    .map(|(_, p)| p)
                    .collect();
                let wrong = if others.is_empty() || rng.below(4) == 0 {
                    None
                } else {
                    Some(entity(others[rng.below(others.len())]))
                };
                (located(&q.content), wrong, with_text)
            }
            // Text only: no offsets at all.
            30..=39 => {
                let t: Vec<&str> = q.content.iter().map(|r| r.slice(text)).collect();
                (
                    vec![PredPart::Text(t.join(" "))],
                    Some(entity(speaker)),
                    false,
                )
            }
            // Right, or an interrupted quote predicted as its first part.
            _ => {
                let parts = if q.content.len() > 1 && rng.below(3) == 0 {
                    &q.content[..1]
                } else {
                    &q.content[..]
                };
                (located(parts), Some(right_speaker), with_text)
            }
        };
        out.push(Perturbed {
            prediction: Prediction {
                id: None,
                content,
                speaker,
                cue: Some(cue),
                kind: Some(kind),
            },
            content_text,
        });
    }
    // Spurious: a sentence that is not a quote, about one article in three.
    for _ in 0..rng.below(3) {
        if rng.below(2) == 0 || made.fillers.is_empty() {
            continue;
        }
        let f = made.fillers[rng.below(made.fillers.len())];
        let someone = &made.people[rng.below(made.people.len())];
        out.push(Perturbed {
            prediction: Prediction::at(f)
                .with_speaker(entity(someone))
                .with_cue(PredMention::named("said"))
                .with_kind(Kind::Indirect),
            content_text: false,
        });
    }
    // Extractors rarely list quotes in text order.
    if rng.below(2) == 0 {
        out.reverse();
    }
    out
}
