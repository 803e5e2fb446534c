//! Stability of an extractor asked several times about the same articles
//! (`--repeat K`, docs/llm-extractors.md "Repeats"): how many required gold
//! quotes change verdict between repeats, end-to-end F1 over repeats (mean
//! and standard deviation), and a bootstrap interval over articles and
//! repeats.
//!
//! Pure numbers: the runner hands it, article by article, each repeat's
//! end-to-end counts and how many of the article's required gold quotes
//! flipped. It knows nothing of extractors, files or reports.

use std::sync::OnceLock;

use super::Counts;
use crate::rng::SplitMix64;

/// Bootstrap resamples of [`Stability::interval`].
pub const RESAMPLES: usize = 1000;
/// The seed of [`Stability::interval`] (the default seed of `compare`).
pub const SEED: u64 = 2011;
/// The confidence level of [`Stability::interval`].
pub const LEVEL: f64 = 0.95;

/// One repeat's end-to-end counts on one article, kept small: a run keeps
/// one per article and repeat even when it keeps no article's result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Small {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl From<Counts> for Small {
    fn from(c: Counts) -> Small {
        let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Small {
            tp: small(c.tp),
            fp: small(c.fp),
            fn_: small(c.fn_),
        }
    }
}

impl From<Small> for Counts {
    fn from(c: Small) -> Counts {
        Counts {
            tp: c.tp.into(),
            fp: c.fp.into(),
            fn_: c.fn_.into(),
        }
    }
}

/// What repeats showed of one extractor over a run.
#[derive(Clone, Debug)]
pub struct Stability {
    /// How many times each article was asked: the `--repeat` asked for, or
    /// 1 for an extractor that is [`deterministic`](Self::deterministic).
    pub repeats: usize,
    /// The extractor declares that it answers the same every time (a
    /// replay, the baseline), so it was asked once.
    pub deterministic: bool,
    /// Required gold quotes over the scored articles.
    pub quotes: u64,
    /// Those whose level (missed, content only, end to end) was not the
    /// same in every repeat.
    pub flipped: u64,
    /// Repeats after the first (1…K−1) in which the extractor failed on
    /// the article; they count as finding nothing. Repeat 0's failures are
    /// the run's, reported as usual.
    pub failed: u64,
    /// Per article, `repeats` end-to-end counts, repeat 0 first.
    counts: Vec<Small>,
    /// [`Stability::interval`], once computed: every report asks for it.
    interval: OnceLock<Option<(f64, f64)>>,
}

impl Stability {
    /// Nothing seen yet, for an extractor asked `repeats` times.
    pub fn new(repeats: usize, deterministic: bool) -> Stability {
        Stability {
            repeats: repeats.max(1),
            deterministic,
            quotes: 0,
            flipped: 0,
            failed: 0,
            counts: Vec::new(),
            interval: OnceLock::new(),
        }
    }

    /// Adds an article: each repeat's end-to-end counts (as many as
    /// `repeats`, repeat 0 first), its required gold quotes and how many of
    /// them flipped.
    ///
    /// # Panics
    /// When `counts` does not hold one entry per repeat.
    pub fn add(&mut self, counts: &[Counts], quotes: u64, flipped: u64) {
        assert_eq!(counts.len(), self.repeats, "one count per repeat");
        self.counts.extend(counts.iter().map(|&c| Small::from(c)));
        self.interval = OnceLock::new();
        self.quotes += quotes;
        self.flipped += flipped;
    }

    /// How many articles were added.
    pub fn articles(&self) -> usize {
        self.counts.len() / self.repeats
    }

    /// `flipped / quotes`; 0 when there is no required gold quote.
    pub fn flip_rate(&self) -> f64 {
        match self.quotes {
            0 => 0.0,
            n => self.flipped as f64 / n as f64,
        }
    }

    /// Each repeat's micro end-to-end F1 over the articles.
    pub fn f1s(&self) -> Vec<f64> {
        let every: Vec<usize> = (0..self.articles()).collect();
        self.per_repeat(&every)
    }

    /// The mean of [`Stability::f1s`].
    pub fn f1_mean(&self) -> f64 {
        mean(&self.f1s())
    }

    /// The sample standard deviation of [`Stability::f1s`] (divided by
    /// `repeats − 1`); 0 for one repeat.
    pub fn f1_sd(&self) -> f64 {
        let f1s = self.f1s();
        if f1s.len() < 2 {
            return 0.0;
        }
        let m = mean(&f1s);
        let ss: f64 = f1s.iter().map(|f| (f - m) * (f - m)).sum();
        (ss / (f1s.len() - 1) as f64).sqrt()
    }

    /// The percentile bootstrap interval of the mean end-to-end F1 over
    /// articles and repeats: [`RESAMPLES`] times, draw as many articles as
    /// there are, with replacement and each with all its repeats, and take
    /// the mean over repeats of each repeat's micro F1 on the drawn
    /// articles; the interval holds the middle [`LEVEL`] of those means
    /// (quantiles interpolated between closest ranks). Seeded with
    /// [`SEED`], so reruns give the same bounds. `None` without articles.
    /// Computed once (it costs [`RESAMPLES`] × articles × repeats
    /// additions).
    pub fn interval(&self) -> Option<(f64, f64)> {
        *self.interval.get_or_init(|| self.bootstrap())
    }

    fn bootstrap(&self) -> Option<(f64, f64)> {
        let n = self.articles();
        if n == 0 {
            return None;
        }
        let mut rng = SplitMix64::new(SEED);
        let mut drawn = vec![0; n];
        let mut means: Vec<f64> = (0..RESAMPLES)
            .map(|_| {
                for d in drawn.iter_mut() {
                    *d = rng.below(n);
                }
                mean(&self.per_repeat(&drawn))
            })
            .collect();
        means.sort_by(f64::total_cmp);
        let alpha = (1.0 - LEVEL) / 2.0;
        Some((quantile(&means, alpha), quantile(&means, 1.0 - alpha)))
    }

    /// Each repeat's micro F1 over the articles `drawn` (indices, repeated
    /// as drawn).
    fn per_repeat(&self, drawn: &[usize]) -> Vec<f64> {
        let k = self.repeats;
        let mut sums = vec![Counts::default(); k];
        for &a in drawn {
            for (r, sum) in sums.iter_mut().enumerate() {
                *sum += Counts::from(self.counts[a * k + r]);
            }
        }
        sums.into_iter().map(Counts::f1).collect()
    }
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// The `q` quantile of sorted values, interpolated between the closest
/// ranks ("type 7", as `compare` computes its intervals).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(tp: u64, fp: u64, fn_: u64) -> Counts {
        Counts { tp, fp, fn_ }
    }

    /// Two articles, three repeats: F1s and flips worked by hand.
    #[test]
    fn figures_over_repeats() {
        let mut s = Stability::new(3, false);
        // Article 1: found, missed, found; article 2: found every time.
        s.add(&[c(1, 0, 0), c(0, 1, 1), c(1, 0, 0)], 1, 1);
        s.add(&[c(1, 0, 0), c(1, 0, 0), c(1, 0, 0)], 1, 0);
        assert_eq!(s.articles(), 2);
        assert_eq!(s.flip_rate(), 0.5);
        // Repeat 1: TP 1, FP 1, FN 1 → F1 0.5; the others 1.
        assert_eq!(s.f1s(), vec![1.0, 0.5, 1.0]);
        assert!((s.f1_mean() - 2.5 / 3.0).abs() < 1e-12);
        // Sample sd of (1, 0.5, 1): sqrt(((1/6)² · 2 + (1/3)²) / 2).
        let sd = ((2.0 * (1.0f64 / 6.0).powi(2) + (1.0f64 / 3.0).powi(2)) / 2.0).sqrt();
        assert!((s.f1_sd() - sd).abs() < 1e-12);
        let (lo, hi) = s.interval().unwrap();
        // Drawing article 2 twice gives 1; article 1 twice gives 2/3.
        assert!(lo >= 2.0 / 3.0 - 1e-12 && hi <= 1.0 && lo <= s.f1_mean() && s.f1_mean() <= hi);
        assert_eq!(s.interval(), s.interval(), "seeded");
    }

    #[test]
    fn one_repeat_has_no_spread() {
        let mut s = Stability::new(1, true);
        s.add(&[c(2, 1, 1)], 3, 0);
        assert_eq!(s.f1_sd(), 0.0);
        assert_eq!(s.flip_rate(), 0.0);
        assert_eq!(s.interval(), Some((s.f1_mean(), s.f1_mean())));
        assert_eq!(Stability::new(2, false).interval(), None);
    }
}
