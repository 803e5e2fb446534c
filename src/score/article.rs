//! The figures of one article (scoring.md §4, §5).

use std::collections::BTreeMap;

use crate::align::{align_article_with, max_matching, Alignment, FidelityPolicy, Pair, Scheme};
use crate::corpus::{GoldQuote, Prediction};

use super::counts::{
    Accuracy, Counts, Criterion, KindBucket, KindPrecision, KindRecall, PerCriterion,
};
use super::fidelity::FidelityCounts;

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
    /// How many predictions got each fidelity verdict (scoring.md §8).
    pub fidelity: FidelityCounts,
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
    score_article_with(text, gold, predictions, scheme, FidelityPolicy::default())
}

/// [`score_article`] under a fidelity policy (`--require-verbatim`,
/// scoring.md §8).
///
/// # Panics
/// As [`score_article`].
pub fn score_article_with(
    text: &str,
    gold: &[GoldQuote],
    predictions: &[Prediction],
    scheme: &Scheme,
    policy: FidelityPolicy,
) -> ArticleScore {
    let aligned = align_article_with(text, gold, predictions, scheme, policy);
    let pairs = &aligned.pairs;
    let optional: Vec<bool> = gold.iter().map(|g| g.optional).collect();
    let required_total = optional.iter().filter(|&&o| !o).count() as u64;
    let mut matchings = Matchings::new(pairs, &optional, predictions.len());

    let counts = PerCriterion::from_fn(|criterion| {
        // An optional quote only needs its content matched, whatever the criterion.
        let m = matchings.get(|pair| {
            optional[pair.gold]
                || match criterion {
                    Criterion::Content => true,
                    Criterion::Attribution => pair.speaker,
                    Criterion::Cue => pair.cue,
                    Criterion::Kind => pair.kind,
                }
        });
        Counts {
            tp: m.required as u64,
            fp: (predictions.len() - m.pairs) as u64,
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
        recall.tp = matchings
            .get(|pair| {
                let q = &gold[pair.gold];
                !q.optional && KindBucket::from(q.kind) == bucket
            })
            .required as u64;
    }

    let mut kind_precision = BTreeMap::new();
    let mut per_bucket = BTreeMap::<KindBucket, u64>::new();
    for p in predictions {
        *per_bucket.entry(KindBucket::from(p.kind)).or_default() += 1;
    }
    for (bucket, n) in per_bucket {
        let m = matchings.get(|pair| KindBucket::from(predictions[pair.prediction].kind) == bucket);
        kind_precision.insert(
            bucket,
            KindPrecision {
                tp: m.required as u64,
                fp: n - m.pairs as u64,
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
        fidelity: FidelityCounts::of(aligned.alignment.fidelity.iter().copied()),
        alignment: aligned.alignment,
    }
}

/// How many quotes a matching pairs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Matched {
    /// Required gold quotes matched.
    required: usize,
    /// Pairs in all (required and optional gold).
    pairs: usize,
}

/// The §4 matchings of one article, each over the content pairs some
/// criterion keeps.
///
/// A maximum matching is the union of maximum matchings of the connected
/// components of its graph, and every criterion keeps a subset of the
/// content pairs. So the content graph is split once: a component with a
/// single pair (one gold quote, one prediction: most of them) is matched
/// exactly when its pair is kept, with no assignment to solve; only the
/// pairs of larger components go to [`max_matching`], and each distinct
/// set of them is solved once.
struct Matchings<'p> {
    pairs: &'p [Pair],
    optional: &'p [bool],
    n_predictions: usize,
    /// Whether each pair is the only one of its component.
    alone: Vec<bool>,
    /// The assignments already solved, by the pairs of larger components kept.
    solved: Vec<(Vec<(usize, usize)>, Matched)>,
}

impl<'p> Matchings<'p> {
    fn new(pairs: &'p [Pair], optional: &'p [bool], n_predictions: usize) -> Matchings<'p> {
        let n_gold = optional.len();
        // A pair is alone when its gold quote and its prediction are in no
        // other pair (pairs are distinct).
        let mut gold_degree = vec![0u32; n_gold];
        let mut pred_degree = vec![0u32; n_predictions];
        for p in pairs {
            gold_degree[p.gold] += 1;
            pred_degree[p.prediction] += 1;
        }
        let alone = pairs
            .iter()
            .map(|p| gold_degree[p.gold] == 1 && pred_degree[p.prediction] == 1)
            .collect();
        Matchings {
            pairs,
            optional,
            n_predictions,
            alone,
            solved: Vec::new(),
        }
    }

    /// The matching over the pairs `keep` keeps.
    fn get(&mut self, keep: impl Fn(&Pair) -> bool) -> Matched {
        let mut matched = Matched::default();
        let mut rest = Vec::new();
        for (pair, &alone) in self.pairs.iter().zip(&self.alone) {
            if !keep(pair) {
                continue;
            }
            if alone {
                matched.pairs += 1;
                matched.required += usize::from(!self.optional[pair.gold]);
            } else {
                rest.push((pair.gold, pair.prediction));
            }
        }
        if rest.is_empty() {
            return matched;
        }
        let solved = match self.solved.iter().find(|(edges, _)| *edges == rest) {
            Some((_, m)) => *m,
            None => {
                let m = max_matching(self.optional, self.n_predictions, &rest);
                let m = Matched {
                    required: m.required,
                    pairs: m.pairs.len(),
                };
                self.solved.push((rest, m));
                m
            }
        };
        matched.required += solved.required;
        matched.pairs += solved.pairs;
        matched
    }
}
