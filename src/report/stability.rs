//! How the reports show an extractor's stability over repeats
//! (`--repeat K`): the `stability` object of the JSON report and the
//! terminal report's line. The figures come from
//! [`Stability`](crate::score::Stability); this only lays them out.

use serde::{Deserialize, Serialize};

use crate::score::Stability;

/// `stability` on an extractor's entry of the JSON report
/// (docs/report-json.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StabilityJson {
    /// How many times each article was asked (1 for a deterministic
    /// extractor).
    pub repeats: usize,
    /// Whether the extractor is deterministic, so was asked once.
    pub deterministic: bool,
    /// Share of required gold quotes whose level differed between repeats.
    pub flip_rate: f64,
    /// Those quotes.
    pub flipped: u64,
    /// Required gold quotes.
    pub quotes: u64,
    /// Repeats after the first that failed (counted as finding nothing).
    pub failed_repeats: u64,
    /// Mean of the repeats' end-to-end micro F1.
    pub f1_mean: f64,
    /// Their sample standard deviation.
    pub f1_sd: f64,
    /// The bootstrap interval of `f1_mean` over articles and repeats
    /// (lower bound).
    pub ci_low: Option<f64>,
    /// Its upper bound.
    pub ci_high: Option<f64>,
    /// Its confidence level.
    pub level: f64,
}

impl From<&Stability> for StabilityJson {
    fn from(s: &Stability) -> StabilityJson {
        let interval = s.interval();
        StabilityJson {
            repeats: s.repeats,
            deterministic: s.deterministic,
            flip_rate: s.flip_rate(),
            flipped: s.flipped,
            quotes: s.quotes,
            failed_repeats: s.failed,
            f1_mean: s.f1_mean(),
            f1_sd: s.f1_sd(),
            ci_low: interval.map(|i| i.0),
            ci_high: interval.map(|i| i.1),
            level: crate::score::stability::LEVEL,
        }
    }
}

/// The terminal report's line: `stability over 3 repeats: end-to-end F1
/// 0.667 ± 0.289 (95% interval 0.333–1.000), flip rate 0.250 (1/4 gold
/// quotes); figures below are repeat 0's`, or the note of a deterministic
/// extractor.
pub fn line(s: &Stability) -> String {
    if s.deterministic {
        return "deterministic: asked once per article, whatever --repeat says (repeats: 1)"
            .to_string();
    }
    let interval = s.interval().map_or(String::new(), |(lo, hi)| {
        format!(
            " ({:.0}% interval {lo:.3}–{hi:.3})",
            crate::score::stability::LEVEL * 100.0
        )
    });
    let failed = match s.failed {
        0 => String::new(),
        n => format!(", {n} later repeats failed (counted as finding nothing)"),
    };
    format!(
        "stability over {} repeats: end-to-end F1 {:.3} ± {:.3}{interval}, flip rate {:.3} ({}/{} gold quotes){failed}; figures below are repeat 0's",
        s.repeats,
        s.f1_mean(),
        s.f1_sd(),
        s.flip_rate(),
        s.flipped,
        s.quotes
    )
}
