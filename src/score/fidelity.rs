//! Fidelity counts (scoring.md §8): how many predictions got each verdict,
//! per article and summed over articles.

use crate::align::Fidelity;

/// How many predictions got each fidelity verdict. A prediction without
/// usable content has no verdict and is in no count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FidelityCounts {
    /// Found exactly, or located by offsets.
    pub verbatim: u64,
    /// Found once quote marks, dashes, white space and case are normalized.
    pub normalized: u64,
    /// Pieces found apart.
    pub stitched: u64,
    /// A misquote of an article passage.
    pub altered: u64,
    /// Nothing in the article is close.
    pub fabricated: u64,
}

impl FidelityCounts {
    /// The counts of these verdicts.
    pub fn of(verdicts: impl IntoIterator<Item = Option<Fidelity>>) -> FidelityCounts {
        let mut counts = FidelityCounts::default();
        for f in verdicts.into_iter().flatten() {
            *counts.get_mut(f) += 1;
        }
        counts
    }

    /// The count of one verdict.
    pub fn get(&self, f: Fidelity) -> u64 {
        match f {
            Fidelity::Verbatim => self.verbatim,
            Fidelity::Normalized => self.normalized,
            Fidelity::Stitched => self.stitched,
            Fidelity::Altered => self.altered,
            Fidelity::Fabricated => self.fabricated,
        }
    }

    fn get_mut(&mut self, f: Fidelity) -> &mut u64 {
        match f {
            Fidelity::Verbatim => &mut self.verbatim,
            Fidelity::Normalized => &mut self.normalized,
            Fidelity::Stitched => &mut self.stitched,
            Fidelity::Altered => &mut self.altered,
            Fidelity::Fabricated => &mut self.fabricated,
        }
    }

    /// The predictions counted.
    pub fn total(&self) -> u64 {
        Fidelity::ALL.iter().map(|&f| self.get(f)).sum()
    }

    /// Whether every prediction counted is verbatim (also when there is none).
    pub fn all_verbatim(&self) -> bool {
        self.total() == self.verbatim
    }
}

/// `verbatim 3, normalized 1, stitched 0, altered 1, fabricated 2`.
impl std::fmt::Display for FidelityCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, v) in Fidelity::ALL.into_iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{v} {}", self.get(v))?;
        }
        Ok(())
    }
}

impl std::ops::AddAssign for FidelityCounts {
    fn add_assign(&mut self, other: FidelityCounts) {
        for f in Fidelity::ALL {
            *self.get_mut(f) += other.get(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up() {
        let mut a = FidelityCounts::of([Some(Fidelity::Verbatim), None, Some(Fidelity::Altered)]);
        assert_eq!((a.verbatim, a.altered, a.total()), (1, 1, 2));
        assert!(!a.all_verbatim());
        a += FidelityCounts::of([Some(Fidelity::Altered), Some(Fidelity::Stitched)]);
        assert_eq!((a.altered, a.stitched, a.total()), (2, 1, 4));
        assert!(FidelityCounts::default().all_verbatim());
        assert_eq!(
            a.to_string(),
            "verbatim 1, normalized 0, stitched 1, altered 2, fabricated 0"
        );
    }
}
