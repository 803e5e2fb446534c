//! Which (gold, prediction) pairs match (scoring.md §2), and whether a
//! matched pair has the right speaker, cue and kind (§3).

use crate::corpus::{GoldQuote, Prediction, Span};

use super::prepared::{Prepared, PreparedGold, PreparedPrediction, TokenList};
use super::scheme::Scheme;

/// The multiset Jaccard similarity of two token lists, as an exact fraction.
///
/// Comparisons and thresholds use the fraction; [`Similarity::value`] is for
/// display only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Similarity {
    /// Σ_t min(count_g(t), count_p(t)): the tokens the lists share.
    pub shared: u64,
    /// Σ_t max(count_g(t), count_p(t)): the size of their multiset union.
    pub total: u64,
}

impl Similarity {
    /// The similarity of two token lists given in any order.
    ///
    /// ```
    /// use quotecheck::align::Similarity;
    /// let s = Similarity::of(&["a", "b", "b", "c"], &["b", "b", "d"]);
    /// assert_eq!((s.shared, s.total), (2, 5));
    /// ```
    pub fn of<T: Ord>(a: &[T], b: &[T]) -> Similarity {
        let mut a: Vec<&T> = a.iter().collect();
        let mut b: Vec<&T> = b.iter().collect();
        a.sort_unstable();
        b.sort_unstable();
        Similarity::of_sorted(&a, &b)
    }

    /// The similarity of two sorted token lists, by one merge.
    pub(crate) fn of_sorted<T: Ord>(a: &[T], b: &[T]) -> Similarity {
        let (mut i, mut j, mut shared) = (0, 0, 0u64);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        Similarity {
            shared,
            total: (a.len() + b.len()) as u64 - shared,
        }
    }

    /// The similarity as a float; 0 for two empty lists.
    pub fn value(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.shared as f64 / self.total as f64
        }
    }
}

impl serde::Serialize for Similarity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.value())
    }
}

/// A gold quote and a prediction whose content matches (scoring.md §2),
/// with the §3 verdicts on the rest of the prediction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pair {
    /// Index of the gold quote in the article's gold list.
    pub gold: usize,
    /// Index of the prediction in the article's prediction list.
    pub prediction: usize,
    /// How similar their tokens are.
    pub sim: Similarity,
    /// Whether the speaker is correct (§3).
    pub speaker: bool,
    /// Whether the cue is correct (§3).
    pub cue: bool,
    /// Whether the kind is correct (§3).
    pub kind: bool,
}

/// Every content-matching pair, sorted by gold then prediction index.
pub(crate) fn matching_pairs(
    prepared: &Prepared,
    gold: &[GoldQuote],
    predictions: &[Prediction],
    scheme: &Scheme,
) -> Vec<Pair> {
    let evaluate = |g: usize, p: usize| {
        let (pg, pp) = (&prepared.gold[g], &prepared.predictions[p]);
        let sim = content_match(&pg.tokens, &pp.tokens, scheme)?;
        Some(Pair {
            gold: g,
            prediction: p,
            sim,
            speaker: speaker_correct(pg, pp),
            cue: cue_correct(pg, pp),
            kind: gold[g].kind.is_none() || predictions[p].kind == gold[g].kind,
        })
    };
    let mut candidates = located_candidates(prepared, gold);
    // A located prediction with several parts may overlap a quote twice.
    candidates.sort_unstable();
    candidates.dedup();
    let mut pairs: Vec<Pair> = candidates
        .into_iter()
        .filter_map(|(g, p)| evaluate(g, p))
        .collect();
    // A prediction given only as text has no location rule: any gold copy
    // of its words is a candidate. Evaluated directly, not listed first:
    // there are gold × such predictions of them.
    for (p, pred) in prepared.predictions.iter().enumerate() {
        if pred.located.is_empty() && !pred.tokens.is_empty() {
            pairs.extend((0..gold.len()).filter_map(|g| evaluate(g, p)));
        }
    }
    pairs.sort_unstable_by_key(|pair| (pair.gold, pair.prediction));
    pairs
}

/// Pairs of a located prediction and a gold quote with overlapping parts:
/// the only pairs the location rule lets through. Found by one sweep over
/// the parts sorted by start, so the cost follows the number of overlaps
/// rather than gold × predictions.
fn located_candidates(prepared: &Prepared, gold: &[GoldQuote]) -> Vec<(usize, usize)> {
    #[derive(Clone, Copy)]
    struct Part {
        span: Span,
        owner: usize,
        is_gold: bool,
    }
    let mut parts: Vec<Part> = Vec::new();
    for (g, q) in gold.iter().enumerate() {
        parts.extend(q.content.iter().map(|&span| Part {
            span,
            owner: g,
            is_gold: true,
        }));
    }
    for (p, pred) in prepared.predictions.iter().enumerate() {
        // A prediction without tokens matches nothing: skip its parts.
        if !pred.tokens.is_empty() {
            parts.extend(pred.located.iter().map(|&span| Part {
                span,
                owner: p,
                is_gold: false,
            }));
        }
    }
    // An empty span has no character in common with anything.
    parts.retain(|part| !part.span.is_empty());
    parts.sort_unstable_by_key(|part| part.span.start);

    let mut out = Vec::new();
    let mut open_gold: Vec<Part> = Vec::new();
    let mut open_pred: Vec<Part> = Vec::new();
    for part in parts {
        // Parts that ended at or before this start cannot overlap it or any
        // later part; every part still open overlaps this one.
        open_gold.retain(|o| o.span.end > part.span.start);
        open_pred.retain(|o| o.span.end > part.span.start);
        if part.is_gold {
            out.extend(open_pred.iter().map(|o| (part.owner, o.owner)));
            open_gold.push(part);
        } else {
            out.extend(open_gold.iter().map(|o| (o.owner, part.owner)));
            open_pred.push(part);
        }
    }
    out
}

/// The similarity of a matching pair, or `None` if the contents do not
/// match under `scheme`. The location rule is the caller's business.
fn content_match(g: &TokenList, p: &TokenList, scheme: &Scheme) -> Option<Similarity> {
    if p.is_empty() {
        return None;
    }
    match scheme {
        Scheme::Exact => (g.seq == p.seq).then_some(Similarity {
            shared: g.len() as u64,
            total: g.len() as u64,
        }),
        Scheme::Overlap(theta) => {
            // sim ≤ min(|g|, |p|) / max(|g|, |p|): skip merges that cannot pass.
            let (lo, hi) = (g.len().min(p.len()) as u64, g.len().max(p.len()) as u64);
            if !theta.accepts(lo, hi) {
                return None;
            }
            let sim = Similarity::of_sorted(&g.sorted, &p.sorted);
            theta.accepts(sim.shared, sim.total).then_some(sim)
        }
    }
}

fn speaker_correct(g: &PreparedGold, p: &PreparedPrediction) -> bool {
    match (&g.speaker, &p.speaker) {
        (None, None) => true,
        (None, Some(_)) | (Some(_), None) => false,
        (Some(gs), Some(ps)) => {
            ps.span.zip(gs.span).is_some_and(|(p, g)| p.overlaps(g))
                || ps.name.is_some_and(|n| gs.names.contains(&n))
        }
    }
}

fn cue_correct(g: &PreparedGold, p: &PreparedPrediction) -> bool {
    match (&g.cue, &p.cue) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some((gspan, gtokens)), Some((pspan, ptokens))) => {
            // Cues without tokens (punctuation only) say nothing: equal
            // empty token lists do not make a cue right.
            pspan.is_some_and(|s| s.overlaps(*gspan)) || (!gtokens.is_empty() && gtokens == ptokens)
        }
    }
}
