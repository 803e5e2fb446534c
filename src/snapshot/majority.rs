//! The rendering a snapshot keeps when an extractor was asked several
//! times about an article (`--repeat K`): the majority rendering, and how
//! many repeats agreed with it (docs/snapshots.md, "Repeats").
//!
//! Pure: renderings in, a choice out.

use std::fmt;

/// The rendering chosen among repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Majority {
    /// Its index in the renderings given (repeat order).
    pub index: usize,
    /// How many renderings are the same as it.
    pub agree: usize,
    /// How many renderings there were.
    pub of: usize,
}

impl Majority {
    /// The mark of an unstable article, when not every repeat agreed:
    /// how many did, and which records of the chosen rendering (of
    /// `renderings`, the ones [`majority`] chose among) some repeat did not
    /// render as it is.
    pub fn unstable<S: AsRef<str>>(&self, renderings: &[S]) -> Option<Unstable> {
        if self.agree == self.of {
            return None;
        }
        let all: Vec<Vec<&str>> = renderings.iter().map(|r| records(r.as_ref())).collect();
        let varied = all[self.index]
            .iter()
            .filter(|record| !all.iter().all(|o| o.contains(record)))
            .filter_map(|record| record.split_whitespace().next())
            .map(str::to_string)
            .collect();
        Some(Unstable {
            agree: self.agree,
            of: self.of,
            records: varied,
        })
    }
}

/// The records of a rendering: its blocks between blank lines (a
/// prediction with what it matched, a missed gold quote, a failure), each
/// named by its first word (`p@191`, `q3`).
fn records(rendering: &str) -> Vec<&str> {
    rendering
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .collect()
}

/// An article whose repeats did not all render the same: `agree` of `of`
/// repeats rendered the snapshot's body, and `records` are the records of
/// the body that some repeat rendered otherwise or not at all. Written in
/// a snapshot's header as `unstable: 2 of 3 repeats; records p@191, q3`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unstable {
    /// Repeats that rendered the snapshot's body.
    pub agree: usize,
    /// Repeats rendered.
    pub of: usize,
    /// The names of the body's records that not every repeat rendered so,
    /// in the body's order; empty when the repeats differ only in records
    /// the body does not have.
    pub records: Vec<String>,
}

impl fmt::Display for Unstable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {} repeats", self.agree, self.of)?;
        if !self.records.is_empty() {
            write!(f, "; records {}", self.records.join(", "))?;
        }
        Ok(())
    }
}

impl Unstable {
    /// Reads what [`Unstable`]'s `Display` writes.
    pub fn parse(s: &str) -> Option<Unstable> {
        let (counts, records) = match s.split_once("; records ") {
            Some((counts, names)) => (
                counts,
                names.split(", ").map(str::to_string).collect::<Vec<_>>(),
            ),
            None => (s, Vec::new()),
        };
        let (agree, rest) = counts.split_once(" of ")?;
        let of = rest.strip_suffix(" repeats")?;
        if records
            .iter()
            .any(|r| r.is_empty() || r.contains(char::is_whitespace))
        {
            return None;
        }
        Some(Unstable {
            agree: agree.parse().ok()?,
            of: of.parse().ok()?,
            records,
        })
    }
}

/// The rendering most repeats made; among as many, the one that came
/// first (repeat 0's when it is among them). `None` when there is none.
pub fn majority<S: AsRef<str>>(renderings: &[S]) -> Option<Majority> {
    let mut best: Option<Majority> = None;
    for (i, r) in renderings.iter().enumerate() {
        if renderings[..i].iter().any(|s| s.as_ref() == r.as_ref()) {
            continue;
        }
        let agree = renderings
            .iter()
            .filter(|s| s.as_ref() == r.as_ref())
            .count();
        if best.is_none_or(|b| agree > b.agree) {
            best = Some(Majority {
                index: i,
                agree,
                of: renderings.len(),
            });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_repeats_win_and_ties_go_to_the_first() {
        let m = majority(&["a", "b", "b"]).unwrap();
        assert_eq!((m.index, m.agree, m.of), (1, 2, 3));
        let m = majority(&["a", "b", "c", "b", "a"]).unwrap();
        assert_eq!((m.index, m.agree), (0, 2));
        let m = majority(&["a", "a"]).unwrap();
        assert_eq!(m.unstable(&["a", "a"]), None);
        assert_eq!(majority::<&str>(&[]), None);
        assert_eq!(
            Unstable::parse("2 of 3 repeats"),
            Some(Unstable {
                agree: 2,
                of: 3,
                records: vec![]
            })
        );
        assert_eq!(Unstable::parse("2 of 3"), None);
        assert_eq!(Unstable::parse("2 of 3 repeats; records "), None);
    }

    #[test]
    fn the_records_some_repeat_rendered_otherwise_are_marked() {
        let steady = "p@0 · matched q1\n  speaker  \"A\"";
        let a = format!("{steady}\n\np@40 · matched q2\n  speaker  \"B\"\n\nq3 missed");
        let b = format!("{steady}\n\np@40 · matched q2\n  speaker  \"C\"\n\nq3 missed");
        let renderings = [a.as_str(), a.as_str(), b.as_str()];
        let m = majority(&renderings).unwrap();
        let u = m.unstable(&renderings).unwrap();
        assert_eq!(u.records, ["p@40"]);
        assert_eq!(u.to_string(), "2 of 3 repeats; records p@40");
        assert_eq!(Unstable::parse(&u.to_string()), Some(u));
        // A record only another repeat has is not in the body to mark.
        let c = format!("{a}\n\np@90 · spurious");
        let renderings = [a.as_str(), a.as_str(), c.as_str()];
        let u = majority(&renderings)
            .unwrap()
            .unstable(&renderings)
            .unwrap();
        assert!(u.records.is_empty(), "{u:?}");
        assert_eq!(u.to_string(), "2 of 3 repeats");
    }
}
