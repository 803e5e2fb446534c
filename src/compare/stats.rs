//! Resampling statistics over articles: bootstrap confidence intervals and
//! a paired test of the difference between two extractors.
//!
//! Everything works on per-article counts (TP, FP, FN of one criterion),
//! because every figure compared is a micro F1: a ratio of sums, so the
//! article, not the quote, is the unit that is resampled (quotes of one
//! article are not independent). Every article draws from a stream of its
//! own, keyed by its id, so that the figures of a run and of its parts
//! merged are the same (docs/compare.md).

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

/// `counts` scaled by a bootstrap weight.
fn weighted(c: &Counts, w: u64) -> Counts {
    Counts {
        tp: c.tp * w,
        fp: c.fp * w,
        fn_: c.fn_ * w,
    }
}

/// The Poisson bootstrap: in each of `resamples` resamples, every article
/// is taken w times, w ~ Poisson(1) drawn from the article's own stream
/// ([`SplitMix64::keyed`] by `seed` and its id), and `series` (one count
/// per article each, paired) are summed with those weights. Returns the
/// sums of each series in each resample.
///
/// Because an article's weights depend only on the seed and its id, and
/// sums of integers do not depend on their order, the same articles give
/// the same sums however they were split, ordered or merged.
fn poisson_sums(
    ids: &[&str],
    series: &[&[Counts]],
    resamples: usize,
    seed: u64,
) -> Vec<Vec<Counts>> {
    let mut sums = vec![vec![Counts::default(); resamples]; series.len()];
    for (n, id) in ids.iter().enumerate() {
        let mut rng = SplitMix64::keyed(seed, id);
        for r in 0..resamples {
            let w = rng.poisson1();
            if w == 0 {
                continue;
            }
            for (s, counts) in sums.iter_mut().zip(series) {
                s[r] += weighted(&counts[n], w);
            }
        }
    }
    sums
}

/// The percentile bootstrap interval of one extractor's micro F1;
/// `articles[n]` are the counts of the article `ids[n]`.
pub fn f1_interval(
    ids: &[&str],
    articles: &[Counts],
    resamples: usize,
    seed: u64,
    level: f64,
) -> Interval {
    assert_eq!(ids.len(), articles.len(), "one id per article");
    if ids.is_empty() {
        let v = micro_f1(articles);
        return Interval { low: v, high: v };
    }
    let sums = poisson_sums(ids, &[articles], resamples.max(1), seed);
    percentile_interval(sums[0].iter().map(|c| c.f1()).collect(), level)
}

/// The paired bootstrap interval of the difference `F1(a) − F1(b)`: the
/// same weights for both, so what the two have in common cancels out.
pub fn difference_interval(
    ids: &[&str],
    a: &[Counts],
    b: &[Counts],
    resamples: usize,
    seed: u64,
    level: f64,
) -> Interval {
    assert_eq!(a.len(), b.len(), "paired samples");
    assert_eq!(ids.len(), a.len(), "one id per article");
    if ids.is_empty() {
        let v = micro_f1(a) - micro_f1(b);
        return Interval { low: v, high: v };
    }
    let sums = poisson_sums(ids, &[a, b], resamples.max(1), seed);
    let values = sums[0]
        .iter()
        .zip(&sums[1])
        .map(|(x, y)| x.f1() - y.f1())
        .collect();
    percentile_interval(values, level)
}

/// The two-sided p-value of a paired approximate randomization test of
/// `F1(a) − F1(b)` (Noreen 1989; Yeh 2000): under the null hypothesis the
/// two extractors are exchangeable on every article, so each round swaps
/// their counts on each article with probability ½ and recomputes the
/// difference. p = (r + 1) / (rounds + 1), where r counts the rounds whose
/// |difference| is at least the observed one.
///
/// Article `ids[n]`'s coins, one per round, come from its own stream
/// ([`SplitMix64::keyed`]), so the p-value does not depend on how the
/// articles were split or ordered.
pub fn randomization_p_value(
    ids: &[&str],
    a: &[Counts],
    b: &[Counts],
    rounds: usize,
    seed: u64,
) -> f64 {
    assert_eq!(a.len(), b.len(), "paired samples");
    assert_eq!(ids.len(), a.len(), "one id per article");
    let observed = (micro_f1(a) - micro_f1(b)).abs();
    let mut sa = vec![Counts::default(); rounds];
    let mut sb = vec![Counts::default(); rounds];
    for ((id, x), y) in ids.iter().zip(a).zip(b) {
        let mut rng = SplitMix64::keyed(seed, id);
        for r in 0..rounds {
            let (to_a, to_b) = if rng.coin() { (y, x) } else { (x, y) };
            sa[r] += *to_a;
            sb[r] += *to_b;
        }
    }
    // A margin far below any printed digit keeps exact ties (the
    // identical permutation, symmetric data) counted as ties.
    let at_least = sa
        .iter()
        .zip(&sb)
        .filter(|(x, y)| (x.f1() - y.f1()).abs() >= observed - 1e-12)
        .count();
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
        let names: Vec<String> = (0..a.len()).map(|i| format!("a{i}")).collect();
        let ids: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(randomization_p_value(&ids, &a, &a, 200, 1), 1.0);
        let d = difference_interval(&ids, &a, &a, 200, 1, 0.95);
        assert_eq!((d.low, d.high), (0.0, 0.0));
    }

    #[test]
    fn resample_sums_of_parts_add_up_to_the_whole() {
        // What lets a partitioned run resample part by part: each
        // article's weights are its own, so the sums of two disjoint parts
        // add up to the sums of their union.
        let a: Vec<Counts> = (0..30)
            .map(|i| Counts {
                tp: i % 4,
                fp: i % 3,
                fn_: i % 2,
            })
            .collect();
        let names: Vec<String> = (0..a.len()).map(|i| format!("p{i}")).collect();
        let ids: Vec<&str> = names.iter().map(String::as_str).collect();
        let whole = poisson_sums(&ids, &[&a], 50, 3);
        let left = poisson_sums(&ids[..11], &[&a[..11]], 50, 3);
        let right = poisson_sums(&ids[11..], &[&a[11..]], 50, 3);
        for r in 0..50 {
            assert_eq!(whole[0][r], left[0][r] + right[0][r]);
        }
    }

    #[test]
    fn figures_do_not_depend_on_the_order_of_articles() {
        let a: Vec<Counts> = (0..40)
            .map(|i| Counts {
                tp: i % 7,
                fp: i % 3,
                fn_: i % 5,
            })
            .collect();
        let b: Vec<Counts> = a.iter().rev().copied().collect();
        let names: Vec<String> = (0..a.len()).map(|i| format!("x/{i}")).collect();
        let ids: Vec<&str> = names.iter().map(String::as_str).collect();
        let (mut ra, mut rb, mut rids) = (a.clone(), b.clone(), ids.clone());
        ra.reverse();
        rb.reverse();
        rids.reverse();
        assert_eq!(
            f1_interval(&ids, &a, 300, 9, 0.95),
            f1_interval(&rids, &ra, 300, 9, 0.95)
        );
        assert_eq!(
            difference_interval(&ids, &a, &b, 300, 9, 0.95),
            difference_interval(&rids, &ra, &rb, 300, 9, 0.95)
        );
        assert_eq!(
            randomization_p_value(&ids, &a, &b, 300, 9),
            randomization_p_value(&rids, &ra, &rb, 300, 9)
        );
    }
}
