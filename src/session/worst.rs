//! The gold diffs of each extractor's worst articles, kept as the run goes.

use std::collections::BTreeMap;

use super::Reporter;
use crate::align::Scheme;
use crate::report::terminal::Diffs;
use crate::run::{Lowest, RunEvent};
use crate::score::Criterion;
use crate::snapshot::GoldDiff;

/// Keeps, per extractor, the gold diffs of the articles with the lowest
/// end-to-end F1 (then id), at most `limit` of them: what the terminal
/// report shows after its figures. Memory is bounded by the limit.
pub struct WorstDiffs {
    limit: Option<usize>,
    scheme: Scheme,
    kept: BTreeMap<String, Lowest<(String, GoldDiff)>>,
}

impl WorstDiffs {
    /// Keeps at most `limit` diffs per extractor (`None`: every article
    /// with a mismatch).
    pub fn new(limit: Option<usize>, scheme: Scheme) -> WorstDiffs {
        WorstDiffs {
            limit,
            scheme,
            kept: BTreeMap::new(),
        }
    }

    /// Takes the diffs kept so far, worst first, per extractor.
    pub fn take_diffs(&mut self) -> Diffs {
        std::mem::take(&mut self.kept)
            .into_iter()
            .map(|(name, list)| (name, list.into_items().collect()))
            .collect()
    }
}

impl Reporter for WorstDiffs {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        let RunEvent::ArticleDone {
            extractor,
            article,
            result,
        } = event
        else {
            return;
        };
        // A failed article is listed with its failure; its diff would only
        // repeat every gold quote as missed.
        if self.limit == Some(0) || result.failure.is_some() {
            return;
        }
        let f1 = result.score.counts(Criterion::Attribution).f1();
        let list = self
            .kept
            .entry(extractor.to_string())
            .or_insert_with(|| Lowest::new(self.limit));
        if !list.admits(f1, &result.id) {
            return;
        }
        let diff = result.gold_diff(article, extractor, &self.scheme);
        if !diff.is_match() {
            list.offer(f1, result.id.clone(), (result.id.clone(), diff));
        }
    }
}
