//! Repeats (`--repeat K`): each extractor asked K times about each article,
//! for extractors that answer differently each time (docs/llm-extractors.md,
//! "Repeats").
//!
//! Repeat 0 is the ordinary run, with the ordinary cache key; repeat r > 0
//! is cached under a key that adds its index, so a run with more repeats
//! asks only for the repeats it has not seen. A deterministic extractor
//! ([`Extractor::deterministic`]) is asked once. The figures of a run are
//! repeat 0's; the other repeats ride along in [`ArticleResult::repeats`],
//! and [`tally`] adds each article to the extractor's [`Stability`].

use super::{ArticleResult, RunSettings};
use crate::align::Scheme;
use crate::corpus::Article;
use crate::extract::Extractor;
use crate::score::{Criterion, Stability};
use crate::snapshot::Levels;

/// How many times `extractor` is asked about each article.
pub fn repeats_for(extractor: &dyn Extractor, settings: &RunSettings) -> usize {
    if settings.repeats <= 1 || extractor.deterministic() {
        1
    } else {
        settings.repeats
    }
}

/// The stability to fill for `extractor`: `None` without `--repeat`.
pub(super) fn stability_for(
    extractor: &dyn Extractor,
    settings: &RunSettings,
) -> Option<Stability> {
    (settings.repeats > 1)
        .then(|| Stability::new(repeats_for(extractor, settings), extractor.deterministic()))
}

/// The cache key of repeat `repeat` of the extractor whose fingerprint is
/// `fingerprint`: the fingerprint itself for repeat 0, so an ordinary run
/// and repeat 0 share their entries.
pub(super) fn cache_key(fingerprint: String, repeat: usize) -> String {
    match repeat {
        0 => fingerprint,
        r => format!("{fingerprint}\0repeat {r}"),
    }
}

/// Runs every repeat of `extractor` on `article`, one after the other:
/// repeat 0's result, with the others in its `repeats`.
pub(super) fn run_repeated(
    extractor: &dyn Extractor,
    position: usize,
    article: &Article,
    settings: &RunSettings,
) -> ArticleResult {
    let mut first = super::run_one(extractor, position, article, settings, 0);
    first.repeats = (1..repeats_for(extractor, settings))
        .map(|r| super::run_one(extractor, position, article, settings, r))
        .collect();
    first
}

/// Adds `result` (repeat 0's, with its repeats) on `article` to
/// `stability`, if the run keeps one: each repeat's end-to-end counts and
/// how many required gold quotes flipped — had a level (missed, content
/// only, end to end; [`Levels`]) that was not the same in every repeat. A
/// failed repeat found nothing: every quote missed; those after repeat 0
/// are counted.
pub(super) fn tally(
    stability: &mut Option<Stability>,
    article: &Article,
    result: &ArticleResult,
    scheme: &Scheme,
) {
    let Some(stability) = stability else {
        return;
    };
    let outcomes: Vec<&ArticleResult> = std::iter::once(result).chain(&result.repeats).collect();
    let counts: Vec<_> = outcomes
        .iter()
        .map(|o| o.score.counts(Criterion::Attribution))
        .collect();
    let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
    let quotes = gold.iter().filter(|q| !q.optional).count() as u64;
    let flipped = if outcomes.len() < 2 {
        0
    } else {
        let levels: Vec<Levels> = outcomes
            .iter()
            .map(|o| match o.failure {
                Some(_) => Levels::failed(gold),
                None => Levels::of(&article.text, gold, &o.predictions, scheme),
            })
            .collect();
        (0..levels[0].quotes.len())
            .filter(|&q| {
                levels
                    .iter()
                    .any(|l| l.quotes[q].1 != levels[0].quotes[q].1)
            })
            .count() as u64
    };
    stability.add(&counts, quotes, flipped);
    stability.failed += result
        .repeats
        .iter()
        .filter(|r| r.failure.is_some())
        .count() as u64;
}
