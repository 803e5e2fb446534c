//! Which articles a run scores: `--articles` patterns, the ids of
//! `--rerun-failed`, and the deterministic split of `--shard K/N`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Arc;

use super::PatternMatches;
use crate::corpus::{check_hash_id, hash_id, Closest, Corpus, Item};
use crate::spill::SpillMap;

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
#[derive(Clone, Debug)]
pub struct Shard {
    /// Which part, from 1.
    pub index: usize,
    /// How many parts.
    pub count: usize,
    /// The ids of the articles in this part.
    pub ids: ShardIds,
}

/// The ids of a shard's articles, by their hashes ([`SpillMap`]: on disk
/// past the newest), each with a second, independent hash of the id, so
/// that an id of another shard with the same 64-bit hash is not taken.
#[derive(Clone, Default)]
pub struct ShardIds {
    hashes: Arc<SpillMap>,
}

impl std::fmt::Debug for ShardIds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ShardIds({} ids)", self.hashes.len())
    }
}

impl ShardIds {
    /// The set of `ids`; an error when the ids written out to a
    /// temporary file cannot be read back.
    pub fn new<I: AsRef<str>>(ids: impl IntoIterator<Item = I>) -> io::Result<ShardIds> {
        let mut set = ShardIdsBuilder::default();
        for id in ids {
            set.push(id.as_ref())?;
        }
        Ok(set.finish())
    }

    /// Whether `id` is one of them; an error when the ids cannot be read
    /// back from their temporary file.
    pub fn contains(&self, id: &str) -> std::io::Result<bool> {
        Ok(self
            .hashes
            .get(hash_id(id))?
            .is_some_and(|[check, _, _]| check == check_hash_id(id)))
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

#[derive(Default)]
struct ShardIdsBuilder {
    hashes: SpillMap,
}

impl ShardIdsBuilder {
    fn push(&mut self, id: &str) -> io::Result<()> {
        let (hash, check) = (hash_id(id), check_hash_id(id));
        // Of two ids of one hash, the first is kept (p ≈ 3·10⁻⁸ at a million
        // articles): the second is then in no shard. An id given twice is
        // one.
        if self.hashes.get(hash)?.is_none() {
            self.hashes.insert(hash, [check, 0, 0]);
        }
        Ok(())
    }

    fn finish(mut self) -> ShardIds {
        // Looked up once an article: one read at most each.
        let _ = self.hashes.compact();
        ShardIds {
            hashes: Arc::new(self.hashes),
        }
    }
}

/// Articles' sizes and ids, given back largest first (ties by id), sorted
/// on unnamed temporary files past [`BY_SIZE_LIMIT`] of them in memory, so
/// that splitting a corpus takes the same memory however large it is. A
/// run that cannot be written leaves them all in memory.
#[derive(Default)]
struct BySize {
    names: String,
    /// Size, and where the id is in `names`.
    entries: Vec<(u64, usize, usize)>,
    runs: Vec<File>,
    in_memory: bool,
}

/// Sizes and ids held in memory before they are sorted and written out
/// (the crate's unit tests write them out past four).
const BY_SIZE_LIMIT: usize = if cfg!(test) { 4 } else { 1 << 16 };

impl BySize {
    fn push(&mut self, size: u64, id: &str) {
        let start = self.names.len();
        self.names.push_str(id);
        self.entries.push((size, start, self.names.len()));
        if self.entries.len() >= BY_SIZE_LIMIT && !self.in_memory && self.spill().is_err() {
            self.in_memory = true;
        }
    }

    fn sort(&mut self) {
        let names = &self.names;
        self.entries.sort_unstable_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| names[a.1..a.2].cmp(&names[b.1..b.2]))
        });
    }

    fn spill(&mut self) -> io::Result<()> {
        self.sort();
        let mut out = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
        for &(size, start, end) in &self.entries {
            let id = &self.names[start..end];
            out.write_all(&size.to_le_bytes())?;
            out.write_all(&(id.len() as u64).to_le_bytes())?;
            out.write_all(id.as_bytes())?;
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        self.runs.push(file);
        self.entries.clear();
        self.names.clear();
        Ok(())
    }

    /// Calls `f` with each size and id, largest first, then by id.
    fn for_each_sorted(mut self, mut f: impl FnMut(u64, &str) -> io::Result<()>) -> io::Result<()> {
        self.sort();
        let mut runs: Vec<BufReader<File>> = std::mem::take(&mut self.runs)
            .into_iter()
            .map(|file| BufReader::with_capacity(1 << 14, file))
            .collect();
        let memory = runs.len();
        let mut in_memory = self.entries.iter();
        let mut next = |source: usize| -> io::Result<Option<Head>> {
            let Some(run) = runs.get_mut(source) else {
                return Ok(in_memory.next().map(|&(size, start, end)| Head {
                    size,
                    id: self.names[start..end].to_string(),
                    source,
                }));
            };
            let mut word = [0u8; 8];
            if run.fill_buf()?.is_empty() {
                return Ok(None);
            }
            run.read_exact(&mut word)?;
            let size = u64::from_le_bytes(word);
            run.read_exact(&mut word)?;
            let mut id = vec![0; u64::from_le_bytes(word) as usize];
            run.read_exact(&mut id)?;
            let id = String::from_utf8(id).map_err(io::Error::other)?;
            Ok(Some(Head { size, id, source }))
        };
        let mut heap = BinaryHeap::new();
        for source in 0..=memory {
            heap.extend(next(source)?);
        }
        while let Some(head) = heap.pop() {
            f(head.size, &head.id)?;
            heap.extend(next(head.source)?);
        }
        Ok(())
    }
}

/// The next size and id of one sorted source: the greatest is the largest
/// size, then the first id.
#[derive(PartialEq, Eq)]
struct Head {
    size: u64,
    id: String,
    source: usize,
}

impl Ord for Head {
    fn cmp(&self, other: &Head) -> std::cmp::Ordering {
        (self.size.cmp(&other.size))
            .then_with(|| other.id.cmp(&self.id))
            .then_with(|| other.source.cmp(&self.source))
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Head) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Shard {
    /// Splits `corpus` into `count` parts of about equal text size and
    /// returns part `index` (1-based).
    ///
    /// Deterministic: articles are taken largest first (ties by id) and each
    /// goes to the part with the least text so far (ties to the lowest
    /// part), so every machine of a CI matrix computes the same split.
    /// The sizes and ids are sorted on disk past 65,536 articles; an error
    /// when they cannot be read back.
    ///
    /// # Panics
    /// When `index` is not in `1..=count`.
    pub fn of(corpus: &Corpus, index: usize, count: usize) -> io::Result<Shard> {
        assert!(
            index >= 1 && index <= count,
            "a shard index is in 1..=count"
        );
        // Every article's size and id, largest first (ties by id), sorted
        // on disk past the first few ([`BySize`]).
        let mut sizes = BySize::default();
        let mut articles = 0usize;
        for item in corpus.items() {
            articles += 1;
            match item {
                Item::Article { article, .. } => {
                    sizes.push(article.text.len() as u64, article.id.as_str());
                }
                Item::Broken { id, .. } => sizes.push(0, &id),
            }
        }
        // Only the first `articles` parts can ever get one (an empty part
        // wins over any other), so the split never holds more parts than
        // articles, whatever `count` is: `--shard 1/18446744073709551615`
        // costs what `--shard 1/1` does. The least loaded part comes off a
        // heap, so a split into as many parts as articles stays fast.
        let parts = count.min(articles);
        let mut load: BinaryHeap<Reverse<(u64, usize)>> =
            (0..parts).map(|part| Reverse((0, part))).collect();
        let mut ids = ShardIdsBuilder::default();
        sizes.for_each_sorted(|size, id| {
            let Reverse((least, part)) = load.pop().expect("one part per article at least");
            load.push(Reverse((least.saturating_add(size.max(1)), part)));
            if part + 1 == index {
                ids.push(id)?;
            }
            Ok(())
        })?;
        Ok(Shard {
            index,
            count,
            ids: ids.finish(),
        })
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
    use super::{BySize, ShardIds, ShardSpec, ShardSpecError, BY_SIZE_LIMIT};

    #[test]
    fn sizes_sorted_on_disk_come_back_as_one_sort_gives_them() {
        // Sizes with ties, ids with ties and non-ASCII ones, past the limit
        // many times over (the unit tests write out every four).
        let given: Vec<(u64, String)> = (0..203u64)
            .map(|i| {
                (
                    (i * 7919) % 13,
                    format!("{}{}", ["b", "a", "ä"][(i % 3) as usize], i % 17),
                )
            })
            .collect();
        let mut sizes = BySize::default();
        for (size, id) in &given {
            sizes.push(*size, id);
        }
        assert!(sizes.runs.len() > 10, "{} runs", sizes.runs.len());
        assert!(sizes.entries.len() < BY_SIZE_LIMIT);
        let mut got = Vec::new();
        sizes
            .for_each_sorted(|size, id| {
                got.push((size, id.to_string()));
                Ok(())
            })
            .unwrap();
        let mut want = given;
        want.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        assert_eq!(got, want);
    }

    #[test]
    fn shard_ids_are_a_set_of_exactly_the_ids_given() {
        let given = ["b", "a", "ä", "a", "", "ab", "B"];
        let ids = ShardIds::new(given).unwrap();
        assert_eq!(ids.len(), 6);
        for id in given {
            assert!(ids.contains(id).unwrap(), "{id:?}");
        }
        for id in ["c", "A", "aa", "a ", "äa"] {
            assert!(!ids.contains(id).unwrap(), "{id:?}");
        }
        let none: [&str; 0] = [];
        let empty = ShardIds::new(none).unwrap();
        assert!(empty.is_empty() && !empty.contains("").unwrap());
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
