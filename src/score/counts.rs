//! Counts and the ratios derived from them (scoring.md §4), with the
//! conventions for empty denominators.

use std::fmt;
use std::ops::{Add, AddAssign, Index, IndexMut};

use serde::ser::SerializeStruct;

use crate::corpus::Kind;

/// What a matching is asked to get right (scoring.md §4 table).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    /// The quote's content matches.
    Content,
    /// The content matches and the speaker is correct: the headline figure.
    Attribution,
    /// The content matches and the cue is correct.
    Cue,
    /// The content matches and the kind is correct.
    Kind,
}

impl Criterion {
    /// All criteria, in report order.
    pub const ALL: [Criterion; 4] = [
        Criterion::Content,
        Criterion::Attribution,
        Criterion::Cue,
        Criterion::Kind,
    ];

    /// The name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::Content => "content",
            Criterion::Attribution => "attribution",
            Criterion::Cue => "cue",
            Criterion::Kind => "kind",
        }
    }
}

impl fmt::Display for Criterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One value per [`Criterion`], serialized as an object keyed by criterion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PerCriterion<T> {
    /// For [`Criterion::Content`].
    pub content: T,
    /// For [`Criterion::Attribution`].
    pub attribution: T,
    /// For [`Criterion::Cue`].
    pub cue: T,
    /// For [`Criterion::Kind`].
    pub kind: T,
}

impl<T> PerCriterion<T> {
    /// Builds each value from its criterion.
    pub fn from_fn(mut f: impl FnMut(Criterion) -> T) -> PerCriterion<T> {
        PerCriterion {
            content: f(Criterion::Content),
            attribution: f(Criterion::Attribution),
            cue: f(Criterion::Cue),
            kind: f(Criterion::Kind),
        }
    }

    /// The values with their criteria, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (Criterion, &T)> {
        Criterion::ALL.into_iter().map(move |c| (c, &self[c]))
    }
}

impl<T> Index<Criterion> for PerCriterion<T> {
    type Output = T;
    fn index(&self, c: Criterion) -> &T {
        match c {
            Criterion::Content => &self.content,
            Criterion::Attribution => &self.attribution,
            Criterion::Cue => &self.cue,
            Criterion::Kind => &self.kind,
        }
    }
}

impl<T> IndexMut<Criterion> for PerCriterion<T> {
    fn index_mut(&mut self, c: Criterion) -> &mut T {
        match c {
            Criterion::Content => &mut self.content,
            Criterion::Attribution => &mut self.attribution,
            Criterion::Cue => &mut self.cue,
            Criterion::Kind => &mut self.kind,
        }
    }
}

/// An exact non-negative fraction, so that figures can be summed without
/// rounding before they are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ratio {
    pub(crate) num: u64,
    pub(crate) den: u64,
}

impl Ratio {
    const ONE: Ratio = Ratio { num: 1, den: 1 };
    const ZERO: Ratio = Ratio { num: 0, den: 1 };

    pub(crate) fn value(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// `floor(self · 2^64)`, exact; values are at most 1, so this fits.
    pub(crate) fn fixed(self) -> u128 {
        (u128::from(self.num) << 64) / u128::from(self.den)
    }
}

/// True positives, false positives and false negatives of one matching.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Counts {
    /// Required gold quotes matched.
    pub tp: u64,
    /// Predictions left unmatched.
    pub fp: u64,
    /// Required gold quotes left unmatched.
    pub fn_: u64,
}

impl Counts {
    pub(crate) fn precision_ratio(self) -> Ratio {
        match self.tp + self.fp {
            0 => Ratio::ONE,
            den => Ratio { num: self.tp, den },
        }
    }

    pub(crate) fn recall_ratio(self) -> Ratio {
        match self.tp + self.fn_ {
            0 => Ratio::ONE,
            den => Ratio { num: self.tp, den },
        }
    }

    /// F1 as one fraction: 2PR/(P+R) is 2·TP/(2·TP+FP+FN) whenever TP > 0;
    /// with TP = 0 it is 1 only when P and R are both 1 by convention.
    pub(crate) fn f1_ratio(self) -> Ratio {
        match (self.tp, self.fp, self.fn_) {
            (0, 0, 0) => Ratio::ONE,
            (0, _, _) => Ratio::ZERO,
            (tp, fp, fn_) => Ratio {
                num: 2 * tp,
                den: 2 * tp + fp + fn_,
            },
        }
    }

    /// Precision TP/(TP+FP); 1 when TP+FP = 0.
    pub fn p(self) -> f64 {
        self.precision_ratio().value()
    }

    /// Recall TP/(TP+FN); 1 when TP+FN = 0.
    pub fn r(self) -> f64 {
        self.recall_ratio().value()
    }

    /// F1 2PR/(P+R); 0 when P+R = 0.
    pub fn f1(self) -> f64 {
        self.f1_ratio().value()
    }
}

impl Add for Counts {
    type Output = Counts;
    fn add(self, o: Counts) -> Counts {
        Counts {
            tp: self.tp + o.tp,
            fp: self.fp + o.fp,
            fn_: self.fn_ + o.fn_,
        }
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        *self = *self + o;
    }
}

impl serde::Serialize for Counts {
    /// `{"tp", "fp", "fn", "p", "r", "f1"}`: the counts and what they give.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Counts", 6)?;
        s.serialize_field("tp", &self.tp)?;
        s.serialize_field("fp", &self.fp)?;
        s.serialize_field("fn", &self.fn_)?;
        s.serialize_field("p", &self.p())?;
        s.serialize_field("r", &self.r())?;
        s.serialize_field("f1", &self.f1())?;
        s.end()
    }
}

/// How often a found quote has a field right (scoring.md §4: speaker, cue
/// or kind accuracy): `correct` of `of` content true positives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Accuracy {
    /// The criterion's true positives.
    pub correct: u64,
    /// The content true positives.
    pub of: u64,
}

impl Accuracy {
    /// `correct / of`; `None` when no quote was found (`of = 0`).
    pub fn value(self) -> Option<f64> {
        (self.of != 0).then(|| self.correct as f64 / self.of as f64)
    }
}

impl Add for Accuracy {
    type Output = Accuracy;
    fn add(self, o: Accuracy) -> Accuracy {
        Accuracy {
            correct: self.correct + o.correct,
            of: self.of + o.of,
        }
    }
}

impl AddAssign for Accuracy {
    fn add_assign(&mut self, o: Accuracy) {
        *self = *self + o;
    }
}

impl serde::Serialize for Accuracy {
    /// `{"correct", "of", "value"}`, `value` being `null` when `of` is 0.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Accuracy", 3)?;
        s.serialize_field("correct", &self.correct)?;
        s.serialize_field("of", &self.of)?;
        s.serialize_field("value", &self.value())?;
        s.end()
    }
}

/// The kind a per-kind figure is about (scoring.md §5).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum KindBucket {
    /// `direct` quotes.
    Direct,
    /// `indirect` quotes.
    Indirect,
    /// `mixed` quotes.
    Mixed,
    /// Records without a kind: predictions that give none, and, for
    /// per-kind recall, gold quotes of corpora that do not type them.
    None,
}

impl KindBucket {
    /// All buckets, in report order.
    pub const ALL: [KindBucket; 4] = [
        KindBucket::Direct,
        KindBucket::Indirect,
        KindBucket::Mixed,
        KindBucket::None,
    ];

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            KindBucket::Direct => "direct",
            KindBucket::Indirect => "indirect",
            KindBucket::Mixed => "mixed",
            KindBucket::None => "none",
        }
    }
}

impl From<Option<Kind>> for KindBucket {
    fn from(kind: Option<Kind>) -> KindBucket {
        match kind {
            Some(Kind::Direct) => KindBucket::Direct,
            Some(Kind::Indirect) => KindBucket::Indirect,
            Some(Kind::Mixed) => KindBucket::Mixed,
            None => KindBucket::None,
        }
    }
}

impl fmt::Display for KindBucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Per-kind recall for one gold kind (scoring.md §5): `tp` of the `total`
/// required gold quotes of that kind are matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KindRecall {
    /// Required gold quotes of the kind that are matched.
    pub tp: u64,
    /// Required gold quotes of the kind.
    pub total: u64,
}

impl KindRecall {
    /// `tp / total`; 1 when `total` is 0, as for recall in §4.
    pub fn recall(self) -> f64 {
        Counts {
            tp: self.tp,
            fp: 0,
            fn_: self.total - self.tp,
        }
        .r()
    }
}

impl AddAssign for KindRecall {
    fn add_assign(&mut self, o: KindRecall) {
        self.tp += o.tp;
        self.total += o.total;
    }
}

impl serde::Serialize for KindRecall {
    /// `{"tp", "total", "r"}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("KindRecall", 3)?;
        s.serialize_field("tp", &self.tp)?;
        s.serialize_field("total", &self.total)?;
        s.serialize_field("r", &self.recall())?;
        s.end()
    }
}

/// Per-kind precision for one predicted kind (scoring.md §5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KindPrecision {
    /// Predictions of the kind matched to required gold quotes.
    pub tp: u64,
    /// Predictions of the kind left unmatched.
    pub fp: u64,
}

impl KindPrecision {
    /// `tp / (tp + fp)`; 1 when that is 0/0 (every prediction of the kind
    /// matched an optional quote), as for precision in §4.
    pub fn precision(self) -> f64 {
        Counts {
            tp: self.tp,
            fp: self.fp,
            fn_: 0,
        }
        .p()
    }
}

impl AddAssign for KindPrecision {
    fn add_assign(&mut self, o: KindPrecision) {
        self.tp += o.tp;
        self.fp += o.fp;
    }
}

impl serde::Serialize for KindPrecision {
    /// `{"tp", "fp", "p"}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("KindPrecision", 3)?;
        s.serialize_field("tp", &self.tp)?;
        s.serialize_field("fp", &self.fp)?;
        s.serialize_field("p", &self.precision())?;
        s.end()
    }
}
