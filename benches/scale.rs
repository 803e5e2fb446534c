//! The measurements of `benches/scale.py` that the command line cannot
//! make. Not a criterion benchmark: a small program, run as
//!
//! ```text
//! scale bytes  CORPUS REPLAY [--threads N]  # read every byte, count lines: nothing parsed
//! scale value  CORPUS REPLAY [--threads N]  # parse into serde_json::Value
//! scale typed  CORPUS REPLAY [--threads N]  # serde_json into typed, borrowed structs
//! scale simd   CORPUS REPLAY [--threads N]  # simd-json into the same structs
//! scale sonic  CORPUS REPLAY [--threads N]  # sonic-rs into the same structs
//! scale score  CORPUS REPLAY                # load with quotecheck, then time scoring alone
//! ```
//!
//! The first five are floors: what reading and parsing the same files
//! costs with nothing else done (no checks, no offsets, no scoring). Each
//! prints one JSON object on standard output. `CORPUS` and `REPLAY` are
//! what `quotecheck gen` writes: `.jsonl` files or folders. With
//! `--threads 2` each file is cut at the line nearest its middle (a
//! folder's files in two halves) and each half read on its own thread.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::time::Instant;

use quotecheck::align::Scheme;
use quotecheck::corpus::{Corpus, Item};
use quotecheck::extract::{Extractor, Replay};
use quotecheck::score::{score_article, Criterion, Totals};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// CPU time of the process (every thread) or of the calling thread, in
/// seconds: unlike wall-clock time it does not depend on what else the
/// machine is doing.
fn cpu(clock: libc::clockid_t) -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec to write to.
    let rc = unsafe { libc::clock_gettime(clock, &mut t) };
    assert_eq!(rc, 0, "clock_gettime");
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

fn main() {
    // `cargo bench` passes `--bench`; `--threads N` is the only option.
    let mut args: Vec<String> = Vec::new();
    let mut threads = 1usize;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        if a == "--threads" {
            threads = it
                .next()
                .and_then(|n| n.parse().ok())
                .filter(|&n| n >= 1)
                .unwrap_or_else(|| usage());
        } else if !a.starts_with("--") {
            args.push(a);
        }
    }
    let parser = match args.first().map(String::as_str) {
        Some("bytes") => Parser::Bytes,
        Some("value") => Parser::Value,
        Some("typed") => Parser::Typed,
        Some("simd") => Parser::Simd,
        Some("sonic") => Parser::Sonic,
        Some("score") if args.len() == 3 && threads == 1 => {
            return score(Path::new(&args[1]), Path::new(&args[2]));
        }
        _ => usage(),
    };
    if args.len() != 3 {
        usage();
    }
    floor(parser, Path::new(&args[1]), Path::new(&args[2]), threads);
}

fn usage() -> ! {
    eprintln!("usage: scale bytes|value|typed|simd|sonic CORPUS REPLAY [--threads N]\n       scale score CORPUS REPLAY");
    std::process::exit(2);
}

/// How a floor reads each JSON document.
#[derive(Clone, Copy, Debug)]
enum Parser {
    /// Not at all: the bytes are read and their lines counted.
    Bytes,
    Value,
    Typed,
    Simd,
    Sonic,
}

// The typed floor's structs: every field quotecheck reads from a corpus
// line, a gold file and a replay line (docs/corpus.md), strings borrowed
// from the line when they have no escapes. Unknown fields are skipped.

#[derive(Deserialize)]
#[allow(dead_code)] // read to be parsed, not used
struct GoldDoc<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    article: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    offsets: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    language: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    quotes: Option<Vec<GoldQuote<'a>>>,
    #[serde(borrow, default)]
    ignore: Option<Vec<SpanDoc<'a>>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct GoldQuote<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    content: OneOrMany<SpanDoc<'a>>,
    #[serde(borrow, default)]
    speaker: Option<SpanDoc<'a>>,
    #[serde(borrow, default)]
    cue: Option<SpanDoc<'a>>,
    #[serde(default)]
    optional: Option<bool>,
    #[serde(borrow, default)]
    note: Option<Cow<'a, str>>,
}

/// A span, a speaker or a cue: offsets, text, and for a speaker its entity
/// and aliases.
#[derive(Deserialize)]
#[allow(dead_code)]
struct SpanDoc<'a> {
    #[serde(default)]
    start: Option<u64>,
    #[serde(default)]
    end: Option<u64>,
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    entity: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    aliases: Option<Vec<Cow<'a, str>>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ReplayDoc<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    offsets: Option<Cow<'a, str>>,
    #[serde(borrow)]
    quotes: Vec<PredQuote<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PredQuote<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    content: OneOrMany<SpanDoc<'a>>,
    #[serde(borrow, default)]
    speaker: Option<SpanDoc<'a>>,
    #[serde(borrow, default)]
    cue: Option<SpanDoc<'a>>,
    #[serde(borrow, default)]
    kind: Option<Cow<'a, str>>,
}

/// A span or a list of spans, told apart by the first token, without the
/// buffering of `#[serde(untagged)]`.
#[allow(dead_code)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a span or a list of spans")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(OneOrMany::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(OneOrMany::Many)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<T> OneOrMany<T> {
    fn len(&self) -> usize {
        match self {
            OneOrMany::One(_) => 1,
            OneOrMany::Many(v) => v.len(),
        }
    }
}

/// What a floor found: enough to show every document was parsed.
#[derive(Default)]
struct Count {
    documents: usize,
    quotes: usize,
    /// The content parts of every quote, gold and predicted.
    parts: usize,
    bytes: usize,
}

impl Count {
    fn add(&mut self, other: Count) {
        self.documents += other.documents;
        self.quotes += other.quotes;
        self.parts += other.parts;
        self.bytes += other.bytes;
    }
}

/// Which document a file holds.
#[derive(Clone, Copy)]
enum Doc {
    Gold,
    Replay,
}

/// Parses one JSON document (`buf` may be changed: simd-json parses in
/// place) and counts its quotes and their parts.
fn parse(parser: Parser, doc: Doc, buf: &mut [u8], count: &mut Count) {
    count.bytes += buf.len();
    let (quotes, parts): (usize, usize) = match (parser, doc) {
        (Parser::Bytes, _) => return,
        (Parser::Value, _) => {
            let v: Value = serde_json::from_slice(buf).expect("valid JSON");
            let quotes = v["quotes"].as_array().map_or(&[][..], Vec::as_slice);
            let parts: usize = quotes
                .iter()
                .map(|q| q["content"].as_array().map_or(1, Vec::len))
                .sum();
            (quotes.len(), parts)
        }
        (_, Doc::Gold) => {
            let d: GoldDoc = typed(parser, buf);
            let quotes = d.quotes.as_deref().unwrap_or_default();
            let parts: usize = quotes.iter().map(|q| q.content.len()).sum();
            std::hint::black_box(&d);
            (quotes.len(), parts)
        }
        (_, Doc::Replay) => {
            let d: ReplayDoc = typed(parser, buf);
            let parts: usize = d.quotes.iter().map(|q| q.content.len()).sum();
            std::hint::black_box(&d);
            (d.quotes.len(), parts)
        }
    };
    count.documents += 1;
    count.quotes += quotes;
    count.parts += parts;
}

/// One document into the typed structs, borrowing from `buf`.
fn typed<'a, T: Deserialize<'a>>(parser: Parser, buf: &'a mut [u8]) -> T {
    match parser {
        Parser::Typed => serde_json::from_slice(buf).expect("valid JSON"),
        Parser::Simd => simd_json::serde::from_slice(buf).expect("valid JSON"),
        Parser::Sonic => sonic_rs::from_slice(buf).expect("valid JSON"),
        Parser::Bytes | Parser::Value => unreachable!("not a typed parser"),
    }
}

/// A piece of the input for one thread: a byte range of a JSON-lines
/// file, or some of a folder's files.
enum Piece {
    Lines { path: PathBuf, start: u64, end: u64 },
    Files(Vec<PathBuf>),
}

/// `path` cut into `n` pieces: a file at the line boundaries nearest
/// each n-th of its size, a folder's sorted files in n runs.
fn pieces(path: &Path, n: usize) -> Vec<Piece> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .expect("a readable folder")
            .map(|e| e.expect("a readable entry").path())
            .collect();
        files.sort();
        let per = files.len().div_ceil(n).max(1);
        return files
            .chunks(per)
            .map(|c| Piece::Files(c.to_vec()))
            .collect();
    }
    let size = std::fs::metadata(path).expect("a file").len();
    let mut cuts = vec![0u64];
    let mut f = BufReader::new(File::open(path).expect("a file"));
    let mut skip = Vec::new();
    for k in 1..n as u64 {
        let at = (size * k / n as u64).max(*cuts.last().expect("a cut"));
        f.seek(SeekFrom::Start(at)).expect("seekable");
        skip.clear();
        // The next line starts after the first newline at or after `at`.
        let rest = f.read_until(b'\n', &mut skip).expect("readable") as u64;
        cuts.push((at + rest).min(size));
    }
    cuts.push(size);
    cuts.windows(2)
        .map(|w| Piece::Lines {
            path: path.to_path_buf(),
            start: w[0],
            end: w[1],
        })
        .collect()
}

/// Reads and parses one piece.
fn read_piece(parser: Parser, doc: Doc, piece: &Piece) -> Count {
    let mut count = Count::default();
    match piece {
        Piece::Files(files) => {
            for p in files {
                let mut bytes = std::fs::read(p).expect("a readable file");
                if p.extension().is_some_and(|e| e == "json") {
                    parse(parser, doc, &mut bytes, &mut count);
                } else {
                    // Article texts are read and checked as UTF-8 only.
                    std::str::from_utf8(&bytes).expect("UTF-8 text");
                    count.bytes += bytes.len();
                }
            }
        }
        Piece::Lines { path, start, end } if matches!(parser, Parser::Bytes) => {
            let mut f = File::open(path).expect("a file");
            f.seek(SeekFrom::Start(*start)).expect("seekable");
            let mut f = f.take(end - start);
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = f.read(&mut buf).expect("readable");
                if n == 0 {
                    break;
                }
                count.bytes += n;
                count.documents += buf[..n].iter().filter(|&&b| b == b'\n').count();
            }
        }
        Piece::Lines { path, start, end } => {
            let mut f = File::open(path).expect("a file");
            f.seek(SeekFrom::Start(*start)).expect("seekable");
            let mut reader = BufReader::with_capacity(1 << 16, f.take(end - start));
            let mut line = Vec::new();
            while reader.read_until(b'\n', &mut line).expect("readable") > 0 {
                if line.iter().any(|b| !b.is_ascii_whitespace()) {
                    parse(parser, doc, &mut line, &mut count);
                }
                line.clear();
            }
        }
    }
    count
}

/// A floor: every byte of the corpus and the replay read and, but for
/// `bytes`, every JSON document parsed, on `threads` threads.
fn floor(parser: Parser, corpus: &Path, replay: &Path, threads: usize) {
    let (started, cpu0) = (Instant::now(), cpu(libc::CLOCK_PROCESS_CPUTIME_ID));
    let mut total = Count::default();
    for (path, doc) in [(corpus, Doc::Gold), (replay, Doc::Replay)] {
        let pieces = pieces(path, threads);
        let counts: Vec<Count> = std::thread::scope(|s| {
            let handles: Vec<_> = pieces
                .iter()
                .map(|piece| s.spawn(move || read_piece(parser, doc, piece)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a floor thread"))
                .collect()
        });
        for c in counts {
            total.add(c);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = cpu(libc::CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    println!(
        "{}",
        serde_json::json!({
            "mode": format!("{parser:?}").to_lowercase(),
            "threads": threads,
            "documents": total.documents,
            "quotes": total.quotes,
            "parts": total.parts,
            "bytes": total.bytes,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
        })
    );
}

/// Scoring alone: every article and its predictions are loaded and
/// resolved first; only `score_article` and the totals are timed, on one
/// thread.
fn score(corpus: &Path, replay: &Path) {
    let corpus = Corpus::open(corpus).expect("a corpus");
    let replay = Replay::open("bench", replay).expect("a replay");
    let loaded: Vec<_> = corpus
        .items()
        .filter_map(|item| match item {
            Item::Article { article, .. } => {
                let predictions = replay
                    .extract(&article)
                    .map(|o| o.quotes)
                    .unwrap_or_default();
                Some((article, predictions))
            }
            Item::Broken { .. } => None,
        })
        .collect();
    let scheme = Scheme::default();
    let (started, cpu0) = (Instant::now(), cpu(libc::CLOCK_THREAD_CPUTIME_ID));
    let mut totals = Totals::new();
    for (article, predictions) in &loaded {
        let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
        totals.add(&score_article(&article.text, gold, predictions, &scheme));
    }
    let (seconds, cpu_seconds) = (
        started.elapsed().as_secs_f64(),
        cpu(libc::CLOCK_THREAD_CPUTIME_ID) - cpu0,
    );
    let counts = |c| {
        let c = totals.counts(c);
        serde_json::json!({"tp": c.tp, "fp": c.fp, "fn": c.fn_})
    };
    println!(
        "{}",
        serde_json::json!({
            "mode": "score",
            "articles": loaded.len(),
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "content": counts(Criterion::Content),
            "attribution": counts(Criterion::Attribution),
            "cue": counts(Criterion::Cue),
            "kind": counts(Criterion::Kind),
        })
    );
}
