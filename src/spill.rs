//! A map from 64-bit keys (the hashes of ids) to triples of `u64` that keeps
//! a bounded part of itself in memory, for the bookkeeping a run needs of
//! every article: the ids seen, to catch a repeated one, and where each
//! saved output is.
//!
//! The newest entries are in a hash map; past [`SpillMap::with_limit`]'s
//! count they are sorted and written out as a *run* on an unnamed
//! temporary file (unlinked from the start, so nothing is left behind),
//! and runs of the same size are merged eight at a time, as a
//! log-structured merge tree does. Memory is the hash map, one Bloom
//! filter over every key written out (10 to 20 bits a key) and the first
//! key of each 1 KiB block of 32 entries (0.25 bytes a key): about
//! 2 bytes an entry past the hash map instead of 25 to 50 in one. A key
//! the filter rules out costs no read; one it lets through costs one
//! positioned read of a block per run that may hold it, and
//! [`SpillMap::compact`] merges every run into one for maps that are
//! looked up more than written.
//!
//! A run that cannot be written leaves its entries in memory, and the map
//! stays in memory from then on: writing out is never needed for a right
//! answer. Reading a run back can fail, and [`SpillMap::get`] says so.

use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What a key maps to.
pub type Value = [u64; 3];

/// Entries held in memory before they are written out as a run: about
/// 2 MB of hash map at most, and a run of up to about 30,000 articles reads
/// nothing back. The crate's own unit tests spill past four, so that every
/// reader and replay test goes through the runs.
const LIMIT: usize = if cfg!(test) { 4 } else { 1 << 15 };

/// Entries in a block: a block is the unit read back (32 bytes an entry,
/// 1 KiB a block).
const BLOCK: usize = 32;

/// Runs of the same level merged into one of the next.
const FANOUT: usize = 8;

const ENTRY: usize = 32;

/// A map from `u64` keys to [`Value`]s, spilling to temporary files past a
/// bounded number of entries in memory. See the module's documentation.
pub struct SpillMap {
    recent: HashMap<u64, Value>,
    limit: usize,
    /// Oldest first; a key in two runs (inserted twice) is the newest's.
    runs: Vec<Run>,
    /// The keys of every run.
    filter: Filter,
    /// Set when a run could not be written: everything stays in memory.
    in_memory: bool,
    /// Where runs are written; the system's temporary folder by default.
    dir: Option<PathBuf>,
}

struct Run {
    file: File,
    len: usize,
    level: u32,
    /// The first key of each block.
    fences: Vec<u64>,
    last: u64,
}

impl Default for SpillMap {
    fn default() -> SpillMap {
        SpillMap::with_limit(LIMIT)
    }
}

impl SpillMap {
    /// An empty map that writes out its entries past `limit` of them in
    /// memory (at least one).
    pub fn with_limit(limit: usize) -> SpillMap {
        SpillMap {
            recent: HashMap::new(),
            limit: limit.max(1),
            runs: Vec::new(),
            filter: Filter::with_capacity(0),
            in_memory: false,
            dir: None,
        }
    }

    /// The map, writing its runs into `dir`.
    pub fn in_dir(mut self, dir: &Path) -> SpillMap {
        self.dir = Some(dir.to_path_buf());
        self
    }

    /// How many entries were inserted (a key inserted twice counts twice
    /// once written out).
    pub fn len(&self) -> usize {
        self.recent.len() + self.runs.iter().map(|r| r.len).sum::<usize>()
    }

    /// Whether nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether part of the map is on disk.
    pub fn spilled(&self) -> bool {
        !self.runs.is_empty()
    }

    /// Maps `key` to `value`. A key already in the map should not be
    /// inserted again ([`SpillMap::get`] it first): which of the two values
    /// [`SpillMap::get`] then gives is the newest while in memory, either
    /// once merged.
    pub fn insert(&mut self, key: u64, value: Value) {
        self.recent.insert(key, value);
        if self.recent.len() >= self.limit && !self.in_memory && self.flush().is_err() {
            self.in_memory = true;
        }
    }

    /// The value of `key`, if it was inserted; an error if a run could not
    /// be read back.
    pub fn get(&self, key: u64) -> io::Result<Option<Value>> {
        if let Some(v) = self.recent.get(&key) {
            return Ok(Some(*v));
        }
        if self.runs.is_empty() || !self.filter.may_contain(key) {
            return Ok(None);
        }
        for run in self.runs.iter().rev() {
            if let Some(v) = run.get(key)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    /// Merges every run, and what is in memory, into one run, so that a
    /// key is found with one read at most. Does nothing while the map is
    /// all in memory.
    pub fn compact(&mut self) -> io::Result<()> {
        if self.runs.is_empty() || self.in_memory {
            return Ok(());
        }
        if !self.recent.is_empty() {
            self.flush_recent()?;
        }
        if self.runs.len() > 1 {
            let level = self.runs.iter().map(|r| r.level).max().unwrap_or(0) + 1;
            // The runs are replaced only once merged: a failed merge loses
            // nothing.
            let merged = merge(&self.runs, self.dir.as_deref(), level)?;
            self.runs = vec![merged];
        }
        Ok(())
    }

    /// Writes the entries in memory out as a run, then merges runs.
    fn flush(&mut self) -> io::Result<()> {
        self.flush_recent()?;
        loop {
            let n = self.runs.len();
            if n < FANOUT {
                break;
            }
            let level = self.runs[n - 1].level;
            if self.runs[n - FANOUT..].iter().any(|r| r.level != level) {
                break;
            }
            let merged = merge(&self.runs[n - FANOUT..], self.dir.as_deref(), level + 1)?;
            self.runs.truncate(n - FANOUT);
            self.runs.push(merged);
        }
        Ok(())
    }

    fn flush_recent(&mut self) -> io::Result<()> {
        let mut entries: Vec<(u64, Value)> = self.recent.iter().map(|(&k, &v)| (k, v)).collect();
        entries.sort_unstable_by_key(|e| e.0);
        let mut out = RunWriter::new(self.dir.as_deref(), 0)?;
        for &(k, v) in &entries {
            out.push(k, v)?;
        }
        let run = out.finish()?;
        let keys = self.runs.iter().map(|r| r.len).sum::<usize>() + run.len;
        if keys > self.filter.capacity {
            // Twice what is needed, so that the filter is rebuilt only as
            // often as the map doubles.
            let mut filter = Filter::with_capacity(keys * 2);
            for r in &self.runs {
                r.for_each_key(|k| filter.insert(k))?;
            }
            self.filter = filter;
        }
        for &(k, _) in &entries {
            self.filter.insert(k);
        }
        self.runs.push(run);
        self.recent.clear();
        self.recent.shrink_to(self.limit);
        Ok(())
    }
}

impl Run {
    fn get(&self, key: u64) -> io::Result<Option<Value>> {
        if self.fences.first().is_none_or(|&f| key < f) || key > self.last {
            return Ok(None);
        }
        let block = self.fences.partition_point(|&f| f <= key) - 1;
        let start = block * BLOCK;
        let n = BLOCK.min(self.len - start);
        let mut buf = [0u8; BLOCK * ENTRY];
        let buf = &mut buf[..n * ENTRY];
        read_at(&self.file, buf, (start * ENTRY) as u64)?;
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let (k, v) = decode(&buf[mid * ENTRY..(mid + 1) * ENTRY]);
            match k.cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(Some(v)),
            }
        }
        Ok(None)
    }

    fn for_each_key(&self, mut f: impl FnMut(u64)) -> io::Result<()> {
        let mut cursor = Cursor::new(self);
        while let Some((k, _)) = cursor.next()? {
            f(k);
        }
        Ok(())
    }
}

/// Merges `runs` (oldest first) into one run of `level`; of a key in
/// several, the newest run's entry is kept.
fn merge(runs: &[Run], dir: Option<&Path>, level: u32) -> io::Result<Run> {
    let mut cursors: Vec<Cursor<'_>> = runs.iter().map(Cursor::new).collect();
    // Smallest key first, then the newest run first.
    let mut heap = BinaryHeap::new();
    for (i, c) in cursors.iter_mut().enumerate() {
        if let Some((k, v)) = c.next()? {
            heap.push(std::cmp::Reverse((k, std::cmp::Reverse(i), v)));
        }
    }
    let mut out = RunWriter::new(dir, level)?;
    let mut last: Option<u64> = None;
    while let Some(std::cmp::Reverse((k, std::cmp::Reverse(i), v))) = heap.pop() {
        if last != Some(k) {
            out.push(k, v)?;
            last = Some(k);
        }
        if let Some((k, v)) = cursors[i].next()? {
            heap.push(std::cmp::Reverse((k, std::cmp::Reverse(i), v)));
        }
    }
    out.finish()
}

/// Writes a run's sorted entries to a new unnamed temporary file.
struct RunWriter {
    out: BufWriter<File>,
    len: usize,
    level: u32,
    fences: Vec<u64>,
    last: u64,
}

impl RunWriter {
    fn new(dir: Option<&Path>, level: u32) -> io::Result<RunWriter> {
        let file = match dir {
            Some(dir) => tempfile::tempfile_in(dir)?,
            None => tempfile::tempfile()?,
        };
        Ok(RunWriter {
            out: BufWriter::with_capacity(1 << 16, file),
            len: 0,
            level,
            fences: Vec::new(),
            last: 0,
        })
    }

    fn push(&mut self, key: u64, value: Value) -> io::Result<()> {
        if self.len % BLOCK == 0 {
            self.fences.push(key);
        }
        let mut entry = [0u8; ENTRY];
        entry[..8].copy_from_slice(&key.to_le_bytes());
        entry[8..16].copy_from_slice(&value[0].to_le_bytes());
        entry[16..24].copy_from_slice(&value[1].to_le_bytes());
        entry[24..].copy_from_slice(&value[2].to_le_bytes());
        self.out.write_all(&entry)?;
        self.len += 1;
        self.last = key;
        Ok(())
    }

    fn finish(self) -> io::Result<Run> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        Ok(Run {
            file,
            len: self.len,
            level: self.level,
            fences: self.fences,
            last: self.last,
        })
    }
}

/// Reads a run's entries in order, 64 KiB at a time.
struct Cursor<'r> {
    run: &'r Run,
    next: usize,
    buf: Vec<u8>,
    at: usize,
}

impl<'r> Cursor<'r> {
    const CHUNK: usize = (1 << 16) / ENTRY;

    fn new(run: &'r Run) -> Cursor<'r> {
        Cursor {
            run,
            next: 0,
            buf: Vec::new(),
            at: 0,
        }
    }

    fn next(&mut self) -> io::Result<Option<(u64, Value)>> {
        if self.at == self.buf.len() {
            let n = Self::CHUNK.min(self.run.len - self.next);
            if n == 0 {
                return Ok(None);
            }
            self.buf.resize(n * ENTRY, 0);
            read_at(&self.run.file, &mut self.buf, (self.next * ENTRY) as u64)?;
            self.next += n;
            self.at = 0;
        }
        let entry = decode(&self.buf[self.at..self.at + ENTRY]);
        self.at += ENTRY;
        Ok(Some(entry))
    }
}

fn decode(entry: &[u8]) -> (u64, Value) {
    let word = |i: usize| u64::from_le_bytes(entry[i..i + 8].try_into().expect("8 bytes"));
    (word(0), [word(8), word(16), word(24)])
}

/// Fills `buf` from `file` at `at` with the positioned read of the system,
/// which leaves the file's cursor alone (threads may read at once).
pub(crate) fn read_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match read_some_at(file, buf, at) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                at += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// One positioned read of up to `buf.len()` bytes of `file` at `at`: how
/// many were read, 0 at its end.
pub(crate) fn read_some_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_at(file, buf, at);
    #[cfg(windows)]
    return std::os::windows::fs::FileExt::seek_read(file, buf, at);
}

/// Writes all of `buf` to `file` at `at` with the positioned write of the
/// system, which leaves the file's cursor alone.
fn write_at(file: &File, mut buf: &[u8], mut at: u64) -> io::Result<()> {
    while !buf.is_empty() {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::write_at(file, buf, at);
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_write(file, buf, at);
        match n {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                buf = &buf[n..];
                at += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Strings appended one at a time and read back in order, for the lists a
/// run needs whole only at its end and that grow with the corpus (the ids
/// of the failed articles past those it keeps): up to 64 KiB of the newest
/// in memory, the rest on an unnamed temporary file (unlinked from the
/// start, so nothing is left behind). A file that cannot be written keeps
/// the rest in memory from then on: writing out is never needed for a
/// right answer. Reading the file back can fail, and
/// [`SpillList::try_for_each`] says so.
#[derive(Debug, Default)]
pub struct SpillList {
    len: usize,
    file: Option<File>,
    /// Bytes on the file: records of a 4-byte little-endian length and
    /// the string's bytes.
    written: u64,
    /// Records not yet on the file.
    pending: Vec<u8>,
    /// Whether a write failed: nothing more goes to the file.
    stuck: bool,
}

/// The records held in memory before they are written out.
const PENDING: usize = if cfg!(test) { 64 } else { 1 << 16 };

impl SpillList {
    /// How many strings it holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `s`.
    ///
    /// # Panics
    /// When `s` is 4 GiB long or more.
    pub fn push(&mut self, s: &str) {
        let n = u32::try_from(s.len()).expect("a string shorter than 4 GiB");
        self.pending.extend_from_slice(&n.to_le_bytes());
        self.pending.extend_from_slice(s.as_bytes());
        self.len += 1;
        if self.pending.len() >= PENDING && !self.stuck {
            self.write_out();
        }
    }

    fn write_out(&mut self) {
        if self.file.is_none() {
            match tempfile::tempfile() {
                Ok(f) => self.file = Some(f),
                Err(_) => {
                    self.stuck = true;
                    return;
                }
            }
        }
        let file = self.file.as_ref().expect("a file");
        match write_at(file, &self.pending, self.written) {
            Ok(()) => {
                self.written += self.pending.len() as u64;
                self.pending.clear();
            }
            Err(_) => self.stuck = true,
        }
    }

    /// Calls `f` with each string, in the order they were appended,
    /// until it returns an error (that error, or one reading the file
    /// back).
    pub fn try_for_each(&self, mut f: impl FnMut(&str) -> io::Result<()>) -> io::Result<()> {
        if let Some(file) = &self.file {
            let mut buf = Vec::new();
            let mut at = 0;
            let mut chunk = vec![0u8; 1 << 16];
            while at < self.written {
                let want = chunk.len().min((self.written - at) as usize);
                read_at(file, &mut chunk[..want], at)?;
                at += want as u64;
                buf.extend_from_slice(&chunk[..want]);
                let used = records(&buf, &mut f)?;
                buf.drain(..used);
            }
            if !buf.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a list's temporary file ends inside a record",
                ));
            }
        }
        let used = records(&self.pending, &mut f)?;
        debug_assert_eq!(used, self.pending.len());
        Ok(())
    }
}

/// A copy holds every string in memory, so that the two never write to
/// one file.
impl Clone for SpillList {
    fn clone(&self) -> SpillList {
        let mut copy = SpillList {
            stuck: true,
            ..SpillList::default()
        };
        // What can be read; the original says what cannot.
        let _ = self.try_for_each(|s| {
            copy.push(s);
            Ok(())
        });
        copy
    }
}

/// Calls `f` with each whole record at the start of `buf`: how many bytes
/// they took.
fn records(buf: &[u8], f: &mut impl FnMut(&str) -> io::Result<()>) -> io::Result<usize> {
    let mut i = 0;
    while buf.len() >= i + 4 {
        let n = u32::from_le_bytes(buf[i..i + 4].try_into().expect("4 bytes")) as usize;
        if buf.len() < i + 4 + n {
            break;
        }
        let s = std::str::from_utf8(&buf[i + 4..i + 4 + n])
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        f(s)?;
        i += 4 + n;
    }
    Ok(i)
}

/// A blocked Bloom filter: each key sets [`Filter::PROBES`] bits of one
/// 512-bit block, so that a lookup touches one cache line. At 10 bits a
/// key, about 1% of absent keys get through.
struct Filter {
    blocks: Vec<[u64; 8]>,
    capacity: usize,
}

impl Filter {
    const PROBES: u32 = 6;
    const BITS_PER_KEY: usize = 10;

    fn with_capacity(capacity: usize) -> Filter {
        let blocks = (capacity * Self::BITS_PER_KEY).div_ceil(512).max(1);
        Filter {
            blocks: vec![[0; 8]; blocks],
            capacity,
        }
    }

    /// The block and the bits of `key`. The keys are hashes already; they
    /// are mixed again so that the block and the bits do not depend on
    /// each other.
    fn place(&self, key: u64) -> (usize, u64) {
        let h = mix(key);
        let block = ((u128::from(h) * self.blocks.len() as u128) >> 64) as usize;
        (block, mix(h ^ 0x9e37_79b9_7f4a_7c15))
    }

    fn insert(&mut self, key: u64) {
        let (block, bits) = self.place(key);
        let words = &mut self.blocks[block];
        for i in 0..Self::PROBES {
            let bit = (bits >> (i * 9)) & 511;
            words[(bit / 64) as usize] |= 1 << (bit % 64);
        }
    }

    fn may_contain(&self, key: u64) -> bool {
        let (block, bits) = self.place(key);
        let words = &self.blocks[block];
        (0..Self::PROBES).all(|i| {
            let bit = (bits >> (i * 9)) & 511;
            words[(bit / 64) as usize] & (1 << (bit % 64)) != 0
        })
    }
}

/// SplitMix64's finalizer.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_past_its_memory_gives_back_every_string_in_order() {
        let mut list = SpillList::default();
        let want: Vec<String> = (0..500)
            .map(|i| format!("article-{i}-{}", "é".repeat(i % 7)))
            .collect();
        for s in &want {
            list.push(s);
        }
        assert!(list.written > 0, "nothing was written out");
        assert!(list.pending.len() < PENDING + 64);
        assert_eq!(list.len(), 500);
        let collect = |list: &SpillList| {
            let mut got = Vec::new();
            list.try_for_each(|s| {
                got.push(s.to_string());
                Ok(())
            })
            .unwrap();
            got
        };
        assert_eq!(collect(&list), want);
        // A copy holds the same, and the two go on apart.
        let mut copy = list.clone();
        copy.push("only in the copy");
        list.push("only in the original");
        let from_copy = collect(&copy);
        assert_eq!(from_copy.len(), 501);
        assert_eq!(from_copy[..500], want[..]);
        assert_eq!(from_copy[500], "only in the copy");
        let from_list = collect(&list);
        assert_eq!(from_list[500], "only in the original");
    }

    /// Keys spread as hashes are, from a counter.
    fn key(i: u64) -> u64 {
        mix(i.wrapping_add(1))
    }

    #[test]
    fn a_map_past_its_limit_finds_every_key_in_its_runs_and_no_other() {
        let mut map = SpillMap::with_limit(100);
        for i in 0..10_000 {
            assert_eq!(map.get(key(i)).unwrap(), None, "{i} before insert");
            map.insert(key(i), [i, i * 2, 7]);
        }
        assert!(map.spilled());
        assert!(map.recent.len() < 100, "{}", map.recent.len());
        // Merged as they come: 100 flushes of 100, at most 7 runs a level.
        assert!(map.runs.len() < 2 * FANOUT, "{} runs", map.runs.len());
        assert_eq!(map.len(), 10_000);
        for i in 0..10_000 {
            assert_eq!(map.get(key(i)).unwrap(), Some([i, i * 2, 7]), "{i}");
        }
        for i in 10_000..20_000 {
            assert_eq!(map.get(key(i)).unwrap(), None, "{i}");
        }
        map.compact().unwrap();
        assert_eq!(map.runs.len(), 1);
        assert!(map.recent.is_empty());
        for i in 0..10_000 {
            assert_eq!(
                map.get(key(i)).unwrap(),
                Some([i, i * 2, 7]),
                "{i} compacted"
            );
        }
        assert_eq!(map.get(key(10_001)).unwrap(), None);
    }

    #[test]
    fn keys_at_the_ends_of_blocks_and_runs_are_found() {
        // Keys in order: every block boundary is a neighbour of a key.
        let mut map = SpillMap::with_limit(BLOCK * 3);
        for k in 1..=(BLOCK as u64 * 30) {
            map.insert(k * 2, [k, 0, 0]);
        }
        for k in 1..=(BLOCK as u64 * 30) {
            assert_eq!(map.get(k * 2).unwrap(), Some([k, 0, 0]), "{k}");
            assert_eq!(map.get(k * 2 + 1).unwrap(), None, "{k} + 1");
        }
        assert_eq!(map.get(0).unwrap(), None);
        assert_eq!(map.get(u64::MAX).unwrap(), None);
    }

    #[test]
    fn a_key_inserted_again_after_it_was_written_out_is_the_newest_once_merged() {
        let mut map = SpillMap::with_limit(10);
        for i in 0..10 {
            map.insert(key(i), [1, i, 0]);
        }
        assert!(map.spilled());
        map.insert(key(3), [2, 3, 0]);
        assert_eq!(map.get(key(3)).unwrap(), Some([2, 3, 0]));
        map.compact().unwrap();
        assert_eq!(map.get(key(3)).unwrap(), Some([2, 3, 0]));
        assert_eq!(map.get(key(4)).unwrap(), Some([1, 4, 0]));
    }

    #[test]
    fn a_small_map_stays_in_memory() {
        let mut map = SpillMap::with_limit(1 << 17);
        for i in 0..1000 {
            map.insert(key(i), [i, 0, 0]);
        }
        map.compact().unwrap();
        assert!(!map.spilled());
        assert_eq!(map.get(key(999)).unwrap(), Some([999, 0, 0]));
        assert!(!map.is_empty());
    }

    #[test]
    fn a_map_whose_runs_cannot_be_written_stays_in_memory_and_right() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        let mut map = SpillMap::with_limit(10).in_dir(&gone);
        for i in 0..1000 {
            map.insert(key(i), [i, 0, 0]);
        }
        assert!(!map.spilled());
        assert!(map.in_memory);
        map.compact().unwrap();
        assert!((0..1000).all(|i| map.get(key(i)).unwrap() == Some([i, 0, 0])));
        assert_eq!(map.get(key(1000)).unwrap(), None);
        // The same map in a folder that exists spills.
        let mut map = SpillMap::with_limit(10).in_dir(dir.path());
        for i in 0..100 {
            map.insert(key(i), [i, 0, 0]);
        }
        assert!(map.spilled());
    }

    #[test]
    fn the_filter_lets_few_absent_keys_through() {
        let mut filter = Filter::with_capacity(10_000);
        for i in 0..10_000 {
            filter.insert(key(i));
        }
        assert!((0..10_000).all(|i| filter.may_contain(key(i))));
        let through = (10_000..110_000)
            .filter(|&i| filter.may_contain(key(i)))
            .count();
        // About 1% expected of a blocked filter at 10 bits a key.
        assert!(through < 3_000, "{through} of 100,000 absent keys");
    }
}
