//! The figures of one article (scoring.md §4, §5).

use std::collections::BTreeMap;

use crate::align::{align_article, max_matching, Alignment, Matching, Pair, Scheme};
use crate::corpus::{GoldQuote, Prediction};

use super::counts::{
    Accuracy, Counts, Criterion, KindBucket, KindPrecision, KindRecall, PerCriterion,
};

/// Every figure of one article.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ArticleScore {
    /// TP / FP / FN of each criterion's own matching (§4).
    pub counts: PerCriterion<Counts>,
    /// Attribution TP of content TP.
    pub speaker_accuracy: Accuracy,
    /// Cue TP of content TP.
    pub cue_accuracy: Accuracy,
    /// Kind TP of content TP.
    pub kind_accuracy: Accuracy,
    /// Per-kind recall, for each kind some required gold quote has. Gold
    /// quotes without a kind are under [`KindBucket::None`].
    pub kind_recall: BTreeMap<KindBucket, KindRecall>,
    /// Per-kind precision, for each kind some prediction has; predictions
    /// without a kind are under [`KindBucket::None`].
    pub kind_precision: BTreeMap<KindBucket, KindPrecision>,
    /// The pairing shown to people; no figure above comes from it.
    pub alignment: Alignment,
}

impl ArticleScore {
    /// The counts of one criterion.
    pub fn counts(&self, criterion: Criterion) -> Counts {
        self.counts[criterion]
    }
}

/// Scores one article's predictions against its gold (scoring.md §2–§5).
///
/// Spans are byte ranges of `text`, as the corpus loader resolves them. An
/// article on which the extractor failed is scored with no predictions
/// (§6): every required gold quote is then a false negative.
///
/// # Panics
/// When a span is out of range of `text` or not on character boundaries.
pub fn score_article(
    text: &str,
    gold: &[GoldQuote],
    predictions: &[Prediction],
    scheme: &Scheme,
) -> ArticleScore {
    let aligned = align_article(text, gold, predictions, scheme);
    let pairs = &aligned.pairs;
    let optional: Vec<bool> = gold.iter().map(|g| g.optional).collect();
    let required_total = optional.iter().filter(|&&o| !o).count() as u64;
    let mut matchings = MatchingCache::default();

    let counts = PerCriterion::from_fn(|criterion| {
        // An optional quote only needs its content matched, whatever the criterion.
        let edges = edges(pairs, |pair| {
            optional[pair.gold]
                || match criterion {
                    Criterion::Content => true,
                    Criterion::Attribution => pair.speaker,
                    Criterion::Cue => pair.cue,
                    Criterion::Kind => pair.kind,
                }
        });
        let m = matchings.get(&optional, predictions.len(), edges);
        Counts {
            tp: m.required as u64,
            fp: (predictions.len() - m.pairs.len()) as u64,
            fn_: required_total - m.required as u64,
        }
    });
    let accuracy = |c: Criterion| Accuracy {
        correct: counts[c].tp,
        of: counts.content.tp,
    };

    let mut kind_recall = BTreeMap::new();
    for q in gold.iter().filter(|q| !q.optional) {
        let entry: &mut KindRecall = kind_recall.entry(KindBucket::from(q.kind)).or_default();
        entry.total += 1;
    }
    for (&bucket, recall) in kind_recall.iter_mut() {
        // Optional gold is left out of this matching altogether: it is not
        // among "the required gold quotes of kind k".
        let edges = edges(pairs, |pair| {
            let q = &gold[pair.gold];
            !q.optional && KindBucket::from(q.kind) == bucket
        });
        recall.tp = matchings.get(&optional, predictions.len(), edges).required as u64;
    }

    let mut kind_precision = BTreeMap::new();
    let mut per_bucket = BTreeMap::<KindBucket, u64>::new();
    for p in predictions {
        *per_bucket.entry(KindBucket::from(p.kind)).or_default() += 1;
    }
    for (bucket, n) in per_bucket {
        let edges = edges(pairs, |pair| {
            KindBucket::from(predictions[pair.prediction].kind) == bucket
        });
        let m = matchings.get(&optional, predictions.len(), edges);
        kind_precision.insert(
            bucket,
            KindPrecision {
                tp: m.required as u64,
                fp: n - m.pairs.len() as u64,
            },
        );
    }

    ArticleScore {
        speaker_accuracy: accuracy(Criterion::Attribution),
        cue_accuracy: accuracy(Criterion::Cue),
        kind_accuracy: accuracy(Criterion::Kind),
        counts,
        kind_recall,
        kind_precision,
        alignment: aligned.alignment,
    }
}

fn edges(pairs: &[Pair], keep: impl Fn(&Pair) -> bool) -> Vec<(usize, usize)> {
    pairs
        .iter()
        .filter(|p| keep(p))
        .map(|p| (p.gold, p.prediction))
        .collect()
}

/// The matchings already solved for this article, by edge list.
///
/// Most criteria and per-kind restrictions keep every content edge (all
/// predictions right, a single kind): solving each such graph once spares
/// the cubic assignment on large components.
#[derive(Default)]
struct MatchingCache {
    solved: Vec<(Vec<(usize, usize)>, Matching)>,
}

impl MatchingCache {
    fn get(
        &mut self,
        optional: &[bool],
        n_predictions: usize,
        edges: Vec<(usize, usize)>,
    ) -> &Matching {
        let at = match self.solved.iter().position(|(e, _)| *e == edges) {
            Some(at) => at,
            None => {
                let m = max_matching(optional, n_predictions, &edges);
                self.solved.push((edges, m));
                self.solved.len() - 1
            }
        };
        &self.solved[at].1
    }
}
