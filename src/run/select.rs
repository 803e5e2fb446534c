//! Which articles a run scores: `--articles` patterns, the ids of
//! `--rerun-failed`, and the deterministic split of `--shard K/N`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

use super::PatternMatches;
use crate::corpus::{Closest, Corpus, Item};

/// Which articles of the corpus a run scores.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Glob patterns over article ids (`glob` crate syntax); an article is
    /// selected when it matches any. Empty: every article.
    pub patterns: Vec<glob::Pattern>,
    /// When set, only these ids (for example the failures of the last run).
    pub ids: Option<HashSet<String>>,
    /// When set, this run is one shard of several: only these ids, and the
    /// others are counted as belonging to other shards.
    pub shard: Option<Shard>,
}

/// One part of a corpus split for a CI matrix (`--shard K/N`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which part, from 1.
    pub index: usize,
    /// How many parts.
    pub count: usize,
    /// The ids of the articles in this part.
    pub ids: ShardIds,
}

/// The ids of a shard's articles, sorted in one string: a lookup is a
/// binary search, and memory is the ids' bytes and 16 bytes an id rather
/// than an allocation an id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShardIds {
    names: String,
    spans: Vec<(usize, usize)>,
}

impl ShardIds {
    /// The set of `ids`.
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> ShardIds {
        let mut ids: Vec<&str> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        let mut set = ShardIds {
            names: String::with_capacity(ids.iter().map(|i| i.len()).sum()),
            spans: Vec::with_capacity(ids.len()),
        };
        for id in ids {
            let start = set.names.len();
            set.names.push_str(id);
            set.spans.push((start, set.names.len()));
        }
        set
    }

    /// Whether `id` is one of them.
    pub fn contains(&self, id: &str) -> bool {
        self.spans
            .binary_search_by(|&(start, end)| self.names[start..end].cmp(id))
            .is_ok()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The ids, in byte order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans
            .iter()
            .map(|&(start, end)| &self.names[start..end])
    }
}

impl Shard {
    /// Splits `corpus` into `count` parts of about equal text size and
    /// returns part `index` (1-based).
    ///
    /// Deterministic: articles are taken largest first (ties by id) and each
    /// goes to the part with the least text so far (ties to the lowest
    /// part), so every machine of a CI matrix computes the same split.
    ///
    /// # Panics
    /// When `index` is not in `1..=count`.
    pub fn of(corpus: &Corpus, index: usize, count: usize) -> Shard {
        assert!(
            index >= 1 && index <= count,
            "a shard index is in 1..=count"
        );
        // The ids go into one string, not one allocation each: a small
        // allocation kept between every article's large, freed ones would
        // pin the heap's pages (3 GB of a million 6 KB articles).
        let mut names = String::new();
        let mut sizes: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for item in corpus.items() {
            let start = names.len();
            let size = match item {
                Item::Article { article, .. } => {
                    names.push_str(article.id.as_str());
                    article.text.len()
                }
                Item::Broken { id, .. } => {
                    names.push_str(&id);
                    0
                }
            };
            sizes.push((size, start..names.len()));
        }
        let name = |r: &std::ops::Range<usize>| &names[r.clone()];
        sizes.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| name(&a.1).cmp(name(&b.1))));
        // Only the first `articles` parts can ever get one (an empty part
        // wins over any other), so the split never holds more parts than
        // articles, whatever `count` is: `--shard 1/18446744073709551615`
        // costs what `--shard 1/1` does. The least loaded part comes off a
        // heap, so a split into as many parts as articles stays fast.
        let parts = count.min(sizes.len());
        let mut load: BinaryHeap<Reverse<(usize, usize)>> =
            (0..parts).map(|part| Reverse((0, part))).collect();
        let mut ids = Vec::new();
        for (size, id) in &sizes {
            let Reverse((least, part)) = load.pop().expect("one part per article at least");
            load.push(Reverse((least.saturating_add((*size).max(1)), part)));
            if part + 1 == index {
                ids.push(name(id));
            }
        }
        Shard {
            index,
            count,
            ids: ShardIds::new(ids),
        }
    }
}

/// `K/N`, as `--shard` takes it: part K of a split into N (1 ≤ K ≤ N).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardSpec {
    /// Which part, from 1.
    pub index: usize,
    /// How many parts.
    pub count: usize,
}

/// Why a text is not `K/N`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShardSpecError {
    /// No `/`.
    #[error("expected K/N, such as 2/4")]
    NoSlash,
    /// K or N is not a whole number.
    #[error("{0:?} is not a whole number")]
    NotANumber(String),
    /// K or N is beyond the largest number of parts.
    #[error("{0:?} is larger than {max}, the most parts a split can have", max = usize::MAX)]
    TooLarge(String),
    /// K is 0 or greater than N.
    #[error("{k}/{n}: K must be between 1 and N")]
    OutOfRange {
        /// K.
        k: usize,
        /// N.
        n: usize,
    },
}

impl std::str::FromStr for ShardSpec {
    type Err = ShardSpecError;

    fn from_str(s: &str) -> Result<ShardSpec, ShardSpecError> {
        let (k, n) = s.split_once('/').ok_or(ShardSpecError::NoSlash)?;
        let number = |word: &str| {
            word.trim().parse::<usize>().map_err(|e| match e.kind() {
                std::num::IntErrorKind::PosOverflow => ShardSpecError::TooLarge(word.to_string()),
                _ => ShardSpecError::NotANumber(word.to_string()),
            })
        };
        let (k, n) = (number(k)?, number(n)?);
        if n == 0 || k == 0 || k > n {
            return Err(ShardSpecError::OutOfRange { k, n });
        }
        Ok(ShardSpec { index: k, count: n })
    }
}

impl Selection {
    /// Whether no article is filtered out.
    pub fn is_all(&self) -> bool {
        self.patterns.is_empty() && self.ids.is_none()
    }

    /// Whether the article `id` is selected.
    pub fn selects(&self, id: &str) -> bool {
        (self.patterns.is_empty() || self.patterns.iter().any(|p| p.matches(id)))
            && self.ids.as_ref().is_none_or(|ids| ids.contains(id))
    }
}

/// Matches ids against the `--articles` patterns as the corpus is read,
/// counting what each matches and, for each that has matched nothing so
/// far, keeping the closest ids (a few per pattern, whatever the corpus).
pub(super) struct PatternTracker<'a> {
    patterns: &'a [glob::Pattern],
    found: Vec<(PatternMatches, Closest)>,
}

impl<'a> PatternTracker<'a> {
    pub(super) fn new(patterns: &'a [glob::Pattern]) -> PatternTracker<'a> {
        let found = patterns
            .iter()
            .map(|p| {
                (
                    PatternMatches {
                        pattern: p.as_str().to_string(),
                        ..PatternMatches::default()
                    },
                    Closest::new(p.as_str()),
                )
            })
            .collect();
        PatternTracker { patterns, found }
    }

    /// Whether some pattern matches `id` (or there is none).
    pub(super) fn matches(&mut self, id: &str) -> bool {
        let mut any = self.patterns.is_empty();
        for (p, (found, closest)) in self.patterns.iter().zip(&mut self.found) {
            found.against += 1;
            if p.matches(id) {
                found.matched += 1;
                any = true;
            } else if found.matched == 0 {
                closest.offer(id);
            }
        }
        any
    }

    pub(super) fn finish(self) -> Vec<PatternMatches> {
        self.found
            .into_iter()
            .map(|(mut found, closest)| {
                if found.matched == 0 {
                    found.closest = closest.into_ids();
                }
                found
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{ShardIds, ShardSpec, ShardSpecError};

    #[test]
    fn shard_ids_are_a_set_of_exactly_the_ids_given() {
        let given = ["b", "a", "ä", "a", "", "ab", "B"];
        let ids = ShardIds::new(given);
        assert_eq!(ids.len(), 6);
        assert_eq!(
            ids.iter().collect::<Vec<_>>(),
            ["", "B", "a", "ab", "b", "ä"]
        );
        for id in given {
            assert!(ids.contains(id), "{id:?}");
        }
        for id in ["c", "A", "aa", "a ", "äa"] {
            assert!(!ids.contains(id), "{id:?}");
        }
        assert!(ShardIds::new([]).is_empty() && !ShardIds::new([]).contains(""));
    }

    #[test]
    fn shard_specs() {
        assert_eq!("2/4".parse(), Ok(ShardSpec { index: 2, count: 4 }));
        assert_eq!(" 1 / 1 ".parse(), Ok(ShardSpec { index: 1, count: 1 }));
        assert_eq!("2".parse::<ShardSpec>(), Err(ShardSpecError::NoSlash));
        assert_eq!(
            "x/4".parse::<ShardSpec>(),
            Err(ShardSpecError::NotANumber("x".into()))
        );
        for bad in ["0/4", "5/4", "1/0"] {
            assert!(
                matches!(
                    bad.parse::<ShardSpec>(),
                    Err(ShardSpecError::OutOfRange { .. })
                ),
                "{bad}"
            );
        }
    }
}
