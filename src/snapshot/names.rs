//! The names of predictions in renderings: `p@519`, by the first position
//! the prediction locates (in code points), so that a prediction more or
//! less renames no other; and the renaming of renderings written before,
//! which named predictions by rank in position order (`p1`, `p2`, …).

use std::collections::HashMap;

use crate::align::Alignment;
use crate::corpus::{OffsetIndex, OffsetUnit, PredPart, Prediction};

/// Where a prediction is, for its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Anchor {
    /// The first start of its located parts, in code points.
    At(usize),
    /// Its content is given as text only.
    Text,
    /// It has no usable content.
    Nowhere,
}

/// The names of predictions given in display order: `p@519`, `p@text`,
/// `p@none`; a name met again gets `#2`, `#3`, … in display order.
fn names_in_order(anchors: impl IntoIterator<Item = Anchor>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    anchors
        .into_iter()
        .map(|a| {
            let base = match a {
                Anchor::At(n) => format!("p@{n}"),
                Anchor::Text => "p@text".to_string(),
                Anchor::Nowhere => "p@none".to_string(),
            };
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}#{n}")
            }
        })
        .collect()
}

/// The name of each prediction (indexed like `predictions`) in renderings
/// and diffs of `text` under `alignment`: `p@519`, by the first position
/// its located parts start at in code points; `p@text` for content given
/// as text only, `p@none` for none usable; a name met again in the
/// alignment's position order gets `#2`, `#3`, … (without the extractor's
/// ids, which renderings add in brackets).
///
/// # Panics
/// When `alignment` is not one of `predictions`, or a span is out of
/// range of `text` or not on a character boundary.
pub fn prediction_names(
    text: &str,
    predictions: &[Prediction],
    alignment: &Alignment,
) -> Vec<String> {
    let index = OffsetIndex::new(text);
    let order = &alignment.prediction_order;
    let names = names_in_order(order.iter().map(|&p| {
        let r = &predictions[p];
        let first = r
            .content
            .iter()
            .filter_map(|part| match part {
                PredPart::Located(s) => Some(s.start),
                PredPart::Text(_) => None,
            })
            .min();
        match first {
            Some(byte) => Anchor::At(index.from_byte(OffsetUnit::Codepoint, byte)),
            None if r.content.is_empty() => Anchor::Nowhere,
            None => Anchor::Text,
        }
    }));
    let mut by_index = vec![String::new(); predictions.len()];
    for (&p, name) in order.iter().zip(names) {
        by_index[p] = name;
    }
    by_index
}

/// The rank a header line of the old naming gives its prediction
/// (`p3 · spurious`, `p3 [id] · matched q1`).
fn legacy_rank(line: &str) -> Option<usize> {
    let rest = line.strip_prefix('p')?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after = &rest[digits..];
    if digits == 0 || !(after.starts_with(" · ") || after.starts_with(" [")) {
        return None;
    }
    rest[..digits].parse().ok()
}

/// The anchor an `at` value shows: `@12-40,text`, `@text`, `none`.
fn anchor_of(value: &str) -> Anchor {
    let Some(parts) = value.strip_prefix('@') else {
        return Anchor::Nowhere;
    };
    parts
        .split(',')
        .filter_map(|p| p.split_once('-').and_then(|(a, _)| a.trim().parse().ok()))
        .min()
        .map_or(Anchor::Text, Anchor::At)
}

/// A rendering that names its predictions by rank, with each renamed by
/// the position its own `at` line shows, as renderings name them now;
/// `None` when `body` has no prediction named the old way.
pub fn rename_legacy(body: &str) -> Option<String> {
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut anchors = Vec::new();
    let mut headers = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with(' ') || line.trim().is_empty() {
            continue;
        }
        let rank = legacy_rank(line)?;
        if rank != headers.len() + 1 {
            return None;
        }
        headers.push(i);
        let mut at = String::new();
        let mut in_at = false;
        for l in &lines[i + 1..] {
            let l = l.trim_end();
            if let Some(v) = l.strip_prefix("  at ") {
                at = v.trim().to_string();
                in_at = true;
            } else if in_at && l.starts_with("           ") {
                at.push_str(l.trim());
            } else if l.is_empty() || !l.starts_with(' ') || in_at {
                break;
            }
        }
        anchors.push(anchor_of(&at));
    }
    if headers.is_empty() {
        return None;
    }
    let names = names_in_order(anchors);
    let name_of = |rank: usize| names.get(rank.checked_sub(1)?);
    let mut out = String::with_capacity(body.len() + 16 * names.len());
    for (i, line) in lines.iter().enumerate() {
        if let Some(k) = headers.iter().position(|&h| h == i) {
            let digits = line[1..].len()
                - line[1..]
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .len();
            out.push_str(&names[k]);
            out.push_str(&line[1 + digits..]);
            continue;
        }
        // `· paired with p3` in a spurious prediction's `nearest` line.
        let mut rest = *line;
        while let Some(at) = rest.find("paired with p") {
            let start = at + "paired with ".len();
            out.push_str(&rest[..start]);
            let tail = &rest[start + 1..];
            let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let renamed = tail[..digits].parse().ok().and_then(name_of);
            match renamed {
                Some(name) if digits > 0 => {
                    out.push_str(name);
                    rest = &tail[digits..];
                }
                _ => {
                    out.push('p');
                    rest = tail;
                }
            }
        }
        out.push_str(rest);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_positions_and_repeat_with_a_count() {
        let names = names_in_order([
            Anchor::At(5),
            Anchor::At(5),
            Anchor::At(9),
            Anchor::Text,
            Anchor::Text,
            Anchor::Nowhere,
        ]);
        assert_eq!(
            names,
            ["p@5", "p@5#2", "p@9", "p@text", "p@text#2", "p@none"]
        );
    }

    #[test]
    fn old_renderings_are_renamed_from_their_own_positions() {
        let old = "p1 · matched q1\n  at       @12-40\n  kind     direct\n\np2 [x] · spurious\n  at       @50-60,text\n  nearest  q1 · sim 0.2 < 0.5 (1/5) · paired with p1\n\np3 · spurious\n  at       none\n";
        assert_eq!(
            rename_legacy(old).unwrap(),
            "p@12 · matched q1\n  at       @12-40\n  kind     direct\n\np@50 [x] · spurious\n  at       @50-60,text\n  nearest  q1 · sim 0.2 < 0.5 (1/5) · paired with p@12\n\np@none · spurious\n  at       none\n"
        );
        assert_eq!(rename_legacy("p@12 · spurious\n  at       @12-40\n"), None);
        assert_eq!(rename_legacy("failed · error\n  no\n"), None);
        assert_eq!(rename_legacy(""), None);
    }
}
