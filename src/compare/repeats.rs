//! Every repeat in a comparison (`compare --repeat K`, docs/compare.md
//! "Repeats"): each article's counts pooled over its repeats before the
//! statistics, so the article — with all its repeats — stays the unit
//! that is resampled and swapped.

use crate::run::{ArticleResult, RunResult};
use crate::score::{Counts, Criterion};

/// How many times the extractors of `result` were asked about an article:
/// the most any was (a deterministic extractor is asked once).
pub(super) fn common_repeats(result: &RunResult) -> usize {
    result
        .extractors
        .iter()
        .flat_map(|e| &e.articles)
        .map(|a| 1 + a.repeats.len())
        .max()
        .unwrap_or(1)
}

/// `a`'s counts on criterion `c`, summed over its repeats and brought to
/// `k` repeats: an extractor asked once (deterministic, so every repeat
/// would answer the same) counts `k` times, so that extractors asked
/// different numbers of times weigh alike in paired statistics.
pub(super) fn pooled(a: &ArticleResult, c: Criterion, k: usize) -> Counts {
    let runs = 1 + a.repeats.len();
    let sum = a
        .repeats
        .iter()
        .fold(a.score.counts(c), |acc, r| acc + r.score.counts(c));
    let times = if k % runs == 0 { (k / runs) as u64 } else { 1 };
    Counts {
        tp: sum.tp * times,
        fp: sum.fp * times,
        fn_: sum.fn_ * times,
    }
}

/// Whether a comparison pools one run of each article (serde's
/// `skip_serializing_if`).
pub(super) fn once(repeats: &usize) -> bool {
    *repeats <= 1
}
