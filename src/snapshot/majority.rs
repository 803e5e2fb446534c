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
    /// The mark of an unstable article, when not every repeat agreed.
    pub fn unstable(&self) -> Option<Unstable> {
        (self.agree < self.of).then_some(Unstable {
            agree: self.agree,
            of: self.of,
        })
    }
}

/// An article whose repeats did not all render the same: `agree` of `of`
/// repeats rendered the snapshot's body. Written in a snapshot's header as
/// `unstable: 2 of 3 repeats`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unstable {
    /// Repeats that rendered the snapshot's body.
    pub agree: usize,
    /// Repeats rendered.
    pub of: usize,
}

impl fmt::Display for Unstable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {} repeats", self.agree, self.of)
    }
}

impl Unstable {
    /// Reads what [`Unstable`]'s `Display` writes.
    pub fn parse(s: &str) -> Option<Unstable> {
        let (agree, rest) = s.split_once(" of ")?;
        let of = rest.strip_suffix(" repeats")?;
        Some(Unstable {
            agree: agree.parse().ok()?,
            of: of.parse().ok()?,
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
        assert_eq!(m.unstable().unwrap().to_string(), "2 of 3 repeats");
        let m = majority(&["a", "b", "c", "b", "a"]).unwrap();
        assert_eq!((m.index, m.agree), (0, 2));
        let m = majority(&["a", "a"]).unwrap();
        assert_eq!(m.unstable(), None);
        assert_eq!(majority::<&str>(&[]), None);
        assert_eq!(
            Unstable::parse("2 of 3 repeats"),
            Some(Unstable { agree: 2, of: 3 })
        );
        assert_eq!(Unstable::parse("2 of 3"), None);
    }
}
