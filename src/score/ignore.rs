//! Ignored regions (scoring.md §4): a prediction whose located content lies
//! entirely inside the gold's `ignore` spans is set aside before scoring,
//! so it is neither a true nor a false positive.
//!
//! Gold content never overlaps an ignored region (validation refuses it),
//! so by the location rule (§2) a set-aside prediction could match no gold
//! quote: setting it aside only keeps it from counting as a false positive.

use crate::corpus::{PredPart, Prediction, Span};

/// Whether `prediction` lies inside the ignored regions: it has a located
/// part, and every located part is inside the union of `ignore` (text-only
/// parts add nothing, as for the location rule).
pub fn is_ignored(ignore: &[Span], prediction: &Prediction) -> bool {
    if ignore.is_empty() {
        return false;
    }
    let merged = merge(ignore);
    let mut located = prediction.content.iter().filter_map(|p| match p {
        PredPart::Located(s) => Some(*s),
        PredPart::Text(_) => None,
    });
    let mut any = false;
    let all = located.all(|s| {
        any = true;
        merged.iter().any(|r| r.start <= s.start && s.end <= r.end)
    });
    any && all
}

/// The predictions that are scored, and how many were set aside.
pub fn set_aside(ignore: &[Span], predictions: Vec<Prediction>) -> (Vec<Prediction>, usize) {
    if ignore.is_empty() {
        return (predictions, 0);
    }
    let before = predictions.len();
    let kept: Vec<Prediction> = predictions
        .into_iter()
        .filter(|p| !is_ignored(ignore, p))
        .collect();
    let n = before - kept.len();
    (kept, n)
}

/// The regions as disjoint spans in text order: touching or overlapping
/// spans are one region, so a part across two adjacent regions is inside.
fn merge(ignore: &[Span]) -> Vec<Span> {
    let mut sorted = ignore.to_vec();
    sorted.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::with_capacity(sorted.len());
    for s in sorted {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(parts: &[(usize, usize)]) -> Prediction {
        Prediction {
            content: parts
                .iter()
                .map(|&(s, e)| PredPart::Located(Span::new(s, e)))
                .collect(),
            ..Prediction::default()
        }
    }

    #[test]
    fn inside_means_every_located_part_inside_the_union() {
        let ignore = [Span::new(10, 20), Span::new(20, 30), Span::new(50, 60)];
        assert!(
            is_ignored(&ignore, &located(&[(12, 28)])),
            "across two touching regions"
        );
        assert!(is_ignored(&ignore, &located(&[(10, 20), (52, 55)])));
        assert!(
            !is_ignored(&ignore, &located(&[(12, 31)])),
            "one character outside"
        );
        assert!(!is_ignored(&ignore, &located(&[(12, 18), (40, 45)])));
        assert!(!is_ignored(&[], &located(&[(12, 18)])));
        let text_only = Prediction {
            content: vec![PredPart::Text("boilerplate".into())],
            ..Prediction::default()
        };
        assert!(
            !is_ignored(&ignore, &text_only),
            "no location: never ignored"
        );
        let (kept, n) = set_aside(&ignore, vec![located(&[(12, 18)]), located(&[(0, 5)])]);
        assert_eq!((kept.len(), n), (1, 1));
    }
}
