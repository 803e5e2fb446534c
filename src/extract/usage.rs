//! What answering cost an extractor over a run: tokens, money and time.
//! An adapter that is told (the chat adapter reads each reply's `usage`)
//! sums it here; the runner copies it into the extractor's result and the
//! reports show it. Articles answered from the cache cost nothing and are
//! not counted.

use std::sync::Mutex;

/// The price of a model's tokens, per million, in the unit the user
/// chose (`price_per_million = { prompt = 0.15, completion = 0.60 }`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Price {
    /// The price of a million prompt tokens.
    pub prompt: f64,
    /// The price of a million completion tokens.
    pub completion: f64,
}

/// Latency percentiles over the articles asked, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Latency {
    /// The median.
    pub p50: u64,
    /// The 95th percentile.
    pub p95: u64,
}

/// An extractor's usage over a run ([`super::Extractor::usage`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Usage {
    /// Articles asked (not answered from the cache).
    pub requests: u64,
    /// Prompt tokens, summed over the replies that said.
    pub prompt_tokens: u64,
    /// Completion tokens, summed over the replies that said.
    pub completion_tokens: u64,
    /// The tokens at the configured [`Price`], when there is one.
    pub cost: Option<f64>,
    /// Over the articles asked, whatever their outcome; `None` when none was.
    pub latency_ms: Option<Latency>,
}

/// A running sum of [`Usage`], shared by the threads of a run.
#[derive(Debug, Default)]
pub(crate) struct Meter {
    inner: Mutex<(u64, u64, Vec<u64>)>,
}

impl Meter {
    /// One article asked: its tokens, if the reply said, and how long all
    /// its tries took.
    pub(crate) fn record(&self, tokens: Option<(u64, u64)>, elapsed_ms: u64) {
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((prompt, completion)) = tokens {
            m.0 = m.0.saturating_add(prompt);
            m.1 = m.1.saturating_add(completion);
        }
        m.2.push(elapsed_ms);
    }

    /// The sum so far, priced at `price`.
    pub(crate) fn usage(&self, price: Option<Price>) -> Usage {
        let m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut times = m.2.clone();
        times.sort_unstable();
        Usage {
            requests: times.len() as u64,
            prompt_tokens: m.0,
            completion_tokens: m.1,
            cost: price.map(|p| (m.0 as f64 * p.prompt + m.1 as f64 * p.completion) / 1_000_000.0),
            latency_ms: (!times.is_empty()).then(|| Latency {
                p50: nearest_rank(&times, 50),
                p95: nearest_rank(&times, 95),
            }),
        }
    }
}

/// The nearest-rank percentile `p` of sorted, non-empty `values`: the
/// smallest value with at least `p`% of the values at or below it.
fn nearest_rank(values: &[u64], p: usize) -> u64 {
    let rank = (values.len() * p).div_ceil(100).max(1);
    values[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let values: Vec<u64> = (1..=20).collect();
        assert_eq!(nearest_rank(&values, 50), 10);
        assert_eq!(nearest_rank(&values, 95), 19);
        assert_eq!(nearest_rank(&[7], 95), 7);
        let meter = Meter::default();
        meter.record(Some((1_000_000, 500_000)), 30);
        meter.record(None, 10);
        let usage = meter.usage(Some(Price {
            prompt: 0.15,
            completion: 0.6,
        }));
        assert_eq!(usage.requests, 2);
        assert_eq!(
            (usage.prompt_tokens, usage.completion_tokens),
            (1_000_000, 500_000)
        );
        assert!((usage.cost.unwrap() - 0.45).abs() < 1e-12);
        assert_eq!(usage.latency_ms, Some(Latency { p50: 10, p95: 30 }));
    }
}
