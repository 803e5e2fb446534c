//! Resampling statistics over articles: bootstrap confidence intervals and
//! a paired test of the difference between two extractors.
//!
//! Everything works on per-article counts (TP, FP, FN of one criterion),
//! because every figure compared is a micro F1: a ratio of sums, so the
//! article, not the quote, is the unit that is resampled (quotes of one
//! article are not independent).

use crate::rng::SplitMix64;
use crate::score::Counts;

/// A two-sided confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Interval {
    /// Lower bound.
    #[serde(rename = "ci_low")]
    pub low: f64,
    /// Upper bound.
    #[serde(rename = "ci_high")]
    pub high: f64,
}

fn sum<'a>(counts: impl Iterator<Item = &'a Counts>) -> Counts {
    counts.fold(Counts::default(), |acc, c| acc + *c)
}

/// Micro F1 of the summed counts.
pub fn micro_f1(counts: &[Counts]) -> f64 {
    sum(counts.iter()).f1()
}

/// The `q` quantile of sorted values, by linear interpolation between the
/// closest ranks (the usual "type 7" definition).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn percentile_interval(mut values: Vec<f64>, level: f64) -> Interval {
    values.sort_by(f64::total_cmp);
    let alpha = (1.0 - level) / 2.0;
    Interval {
        low: quantile(&values, alpha),
        high: quantile(&values, 1.0 - alpha),
    }
}

/// Percentile bootstrap interval of a statistic of resampled articles:
/// `resamples` times, draw as many article indices as there are articles,
/// with replacement, and compute `statistic` on them.
fn bootstrap(
    n: usize,
    resamples: usize,
    seed: u64,
    level: f64,
    mut statistic: impl FnMut(&[usize]) -> f64,
) -> Interval {
    if n == 0 {
        let v = statistic(&[]);
        return Interval { low: v, high: v };
    }
    let mut rng = SplitMix64::new(seed);
    let mut idx = vec![0; n];
    let values = (0..resamples.max(1))
        .map(|_| {
            for i in idx.iter_mut() {
                *i = rng.below(n);
            }
            statistic(&idx)
        })
        .collect();
    percentile_interval(values, level)
}

/// The percentile bootstrap interval of one extractor's micro F1.
pub fn f1_interval(articles: &[Counts], resamples: usize, seed: u64, level: f64) -> Interval {
    bootstrap(articles.len(), resamples, seed, level, |idx| {
        sum(idx.iter().map(|&i| &articles[i])).f1()
    })
}

/// The paired bootstrap interval of the difference `F1(a) − F1(b)`: the
/// same resampled articles for both, so what the two have in common
/// cancels out.
pub fn difference_interval(
    a: &[Counts],
    b: &[Counts],
    resamples: usize,
    seed: u64,
    level: f64,
) -> Interval {
    assert_eq!(a.len(), b.len(), "paired samples");
    bootstrap(a.len(), resamples, seed, level, |idx| {
        sum(idx.iter().map(|&i| &a[i])).f1() - sum(idx.iter().map(|&i| &b[i])).f1()
    })
}

/// The two-sided p-value of a paired approximate randomization test of
/// `F1(a) − F1(b)` (Noreen 1989; Yeh 2000): under the null hypothesis the
/// two extractors are exchangeable on every article, so each round swaps
/// their counts on each article with probability ½ and recomputes the
/// difference. p = (r + 1) / (rounds + 1), where r counts the rounds whose
/// |difference| is at least the observed one.
pub fn randomization_p_value(a: &[Counts], b: &[Counts], rounds: usize, seed: u64) -> f64 {
    assert_eq!(a.len(), b.len(), "paired samples");
    let observed = (micro_f1(a) - micro_f1(b)).abs();
    let mut rng = SplitMix64::new(seed);
    let mut at_least = 0usize;
    for _ in 0..rounds {
        let (mut sa, mut sb) = (Counts::default(), Counts::default());
        for (x, y) in a.iter().zip(b) {
            let (to_a, to_b) = if rng.coin() { (y, x) } else { (x, y) };
            sa += *to_a;
            sb += *to_b;
        }
        // A margin far below any printed digit keeps exact ties (the
        // identical permutation, symmetric data) counted as ties.
        if (sa.f1() - sb.f1()).abs() >= observed - 1e-12 {
            at_least += 1;
        }
    }
    (at_least + 1) as f64 / (rounds + 1) as f64
}

/// Holm's step-down correction of several p-values (family-wise error
/// rate): sorted ascending, the i-th (from 0) is multiplied by (m − i), made
/// monotone, and capped at 1. Returned in the original order.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
    let mut adjusted = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max((p[i] * (m - rank) as f64).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holm_by_hand() {
        // m = 3, ascending 0.01, 0.03, 0.04: 0.01·3 = 0.03, 0.03·2 = 0.06,
        // 0.04·1 = 0.04 → kept monotone at 0.06.
        let adj = holm(&[0.04, 0.01, 0.03]);
        let expect = [0.06, 0.03, 0.06];
        for (a, e) in adj.iter().zip(expect) {
            assert!((a - e).abs() < 1e-12, "{adj:?}");
        }
        assert_eq!(holm(&[0.9, 0.6]), vec![1.0, 1.0]);
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.25), 2.0);
        assert!((quantile(&v, 0.1) - 1.4).abs() < 1e-12);
    }

    #[test]
    fn identical_extractors_are_not_different() {
        let a: Vec<Counts> = (0..30)
            .map(|i| Counts {
                tp: i % 5,
                fp: i % 3,
                fn_: i % 4,
            })
            .collect();
        assert_eq!(randomization_p_value(&a, &a, 200, 1), 1.0);
        let d = difference_interval(&a, &a, 200, 1, 0.95);
        assert_eq!((d.low, d.high), (0.0, 0.0));
    }
}
