//! Figures over many articles (scoring.md §6).

use std::collections::BTreeMap;

use super::article::ArticleScore;
use super::counts::{
    Accuracy, Counts, Criterion, KindBucket, KindPrecision, KindRecall, PerCriterion,
};
use super::fidelity::FidelityCounts;

/// Precision, recall and F1.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Figures {
    /// Precision.
    pub p: f64,
    /// Recall.
    pub r: f64,
    /// F1.
    pub f1: f64,
}

/// Running sums of per-article P, R and F1, for macro averages.
///
/// Each article's figure is an exact fraction, added as a fixed-point
/// integer (64 fractional bits, rounded down): integer addition does not
/// depend on the order articles arrive in, as float addition would, and
/// the rounding (under 2^-64 per article) is far below what an f64 shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct MacroSums {
    p: u128,
    r: u128,
    f1: u128,
}

/// Figures accumulated over articles: micro counts and macro means per
/// criterion, accuracies and per-kind figures.
///
/// The result does not depend on the order articles are added in, and two
/// partial totals can be [merged](Totals::merge).
///
/// ```
/// use quotecheck::score::{Criterion, Totals};
/// let t = Totals::new();
/// // No article at all: nothing was missed and nothing was wrong.
/// assert_eq!(t.micro(Criterion::Content).f1, 1.0);
/// assert_eq!(t.macro_figures(Criterion::Content).f1, 1.0);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    articles: u64,
    counts: PerCriterion<Counts>,
    macro_sums: PerCriterion<MacroSums>,
    kind_recall: BTreeMap<KindBucket, KindRecall>,
    kind_precision: BTreeMap<KindBucket, KindPrecision>,
    fidelity: FidelityCounts,
}

impl Totals {
    /// Totals over no article.
    pub fn new() -> Totals {
        Totals::default()
    }

    /// Adds one article's figures.
    pub fn add(&mut self, score: &ArticleScore) {
        self.articles += 1;
        for c in Criterion::ALL {
            let counts = score.counts[c];
            self.counts[c] += counts;
            let sums = &mut self.macro_sums[c];
            sums.p += counts.precision_ratio().fixed();
            sums.r += counts.recall_ratio().fixed();
            sums.f1 += counts.f1_ratio().fixed();
        }
        for (&bucket, &recall) in &score.kind_recall {
            *self.kind_recall.entry(bucket).or_default() += recall;
        }
        for (&bucket, &precision) in &score.kind_precision {
            *self.kind_precision.entry(bucket).or_default() += precision;
        }
        self.fidelity += score.fidelity;
    }

    /// Adds every article of `other`, as if each had been added here.
    pub fn merge(&mut self, other: &Totals) {
        self.articles += other.articles;
        for c in Criterion::ALL {
            self.counts[c] += other.counts[c];
            let (mine, theirs) = (&mut self.macro_sums[c], other.macro_sums[c]);
            mine.p += theirs.p;
            mine.r += theirs.r;
            mine.f1 += theirs.f1;
        }
        for (&bucket, &recall) in &other.kind_recall {
            *self.kind_recall.entry(bucket).or_default() += recall;
        }
        for (&bucket, &precision) in &other.kind_precision {
            *self.kind_precision.entry(bucket).or_default() += precision;
        }
        self.fidelity += other.fidelity;
    }

    /// How many predictions got each fidelity verdict (scoring.md §8).
    pub fn fidelity(&self) -> FidelityCounts {
        self.fidelity
    }

    /// How many articles were added.
    pub fn articles(&self) -> u64 {
        self.articles
    }

    /// TP, FP and FN of a criterion, summed over articles.
    pub fn counts(&self, criterion: Criterion) -> Counts {
        self.counts[criterion]
    }

    /// Micro P / R / F1: from the summed counts.
    pub fn micro(&self, criterion: Criterion) -> Figures {
        let c = self.counts[criterion];
        Figures {
            p: c.p(),
            r: c.r(),
            f1: c.f1(),
        }
    }

    /// Macro P / R / F1: the mean of each article's figure. With no article
    /// there is nothing to average; the figures are then 1 / 1 / 1, like
    /// those of an article without gold and predictions and like the micro
    /// figures of zero counts.
    pub fn macro_figures(&self, criterion: Criterion) -> Figures {
        if self.articles == 0 {
            return Figures {
                p: 1.0,
                r: 1.0,
                f1: 1.0,
            };
        }
        let sums = self.macro_sums[criterion];
        let mean = |sum: u128| {
            // Divide in integers first so the one rounding happens at the end.
            let n = u128::from(self.articles);
            let whole = sum / n;
            let rest = sum % n;
            (whole as f64 + rest as f64 / n as f64) / 2f64.powi(64)
        };
        Figures {
            p: mean(sums.p),
            r: mean(sums.r),
            f1: mean(sums.f1),
        }
    }

    /// Speaker accuracy over all articles: summed attribution TP over
    /// summed content TP.
    pub fn speaker_accuracy(&self) -> Accuracy {
        self.accuracy(Criterion::Attribution)
    }

    /// Cue accuracy over all articles.
    pub fn cue_accuracy(&self) -> Accuracy {
        self.accuracy(Criterion::Cue)
    }

    /// Kind accuracy over all articles.
    pub fn kind_accuracy(&self) -> Accuracy {
        self.accuracy(Criterion::Kind)
    }

    fn accuracy(&self, criterion: Criterion) -> Accuracy {
        Accuracy {
            correct: self.counts[criterion].tp,
            of: self.counts.content.tp,
        }
    }

    /// Per-kind recall, summed over articles.
    pub fn kind_recall(&self) -> &BTreeMap<KindBucket, KindRecall> {
        &self.kind_recall
    }

    /// Per-kind precision, summed over articles.
    pub fn kind_precision(&self) -> &BTreeMap<KindBucket, KindPrecision> {
        &self.kind_precision
    }

    /// Everything a report shows, as plain data.
    pub fn summary(&self) -> TotalsSummary {
        TotalsSummary {
            articles: self.articles,
            criteria: PerCriterion::from_fn(|c| CriterionTotals {
                counts: self.counts[c],
                micro: self.micro(c),
                macro_: self.macro_figures(c),
            }),
            speaker_accuracy: self.speaker_accuracy(),
            cue_accuracy: self.cue_accuracy(),
            kind_accuracy: self.kind_accuracy(),
            kind_recall: self.kind_recall.clone(),
            kind_precision: self.kind_precision.clone(),
        }
    }
}

impl serde::Serialize for Totals {
    /// Serialized as its [`TotalsSummary`].
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.summary().serialize(serializer)
    }
}

/// The totals of one criterion.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct CriterionTotals {
    /// Summed TP / FP / FN (with the micro figures they give).
    pub counts: Counts,
    /// P / R / F1 of the summed counts.
    pub micro: Figures,
    /// Mean of each article's P / R / F1.
    #[serde(rename = "macro")]
    pub macro_: Figures,
}

/// [`Totals`] as plain data, the form reports serialize.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct TotalsSummary {
    /// How many articles were scored.
    pub articles: u64,
    /// Micro and macro figures per criterion.
    pub criteria: PerCriterion<CriterionTotals>,
    /// Summed attribution TP over summed content TP.
    pub speaker_accuracy: Accuracy,
    /// Summed cue TP over summed content TP.
    pub cue_accuracy: Accuracy,
    /// Summed kind TP over summed content TP.
    pub kind_accuracy: Accuracy,
    /// Per-kind recall, summed over articles.
    pub kind_recall: BTreeMap<KindBucket, KindRecall>,
    /// Per-kind precision, summed over articles.
    pub kind_precision: BTreeMap<KindBucket, KindPrecision>,
}
