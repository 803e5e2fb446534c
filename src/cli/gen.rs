//! `quotecheck gen` (hidden): a synthetic corpus with gold quotes and a
//! replay of perturbed predictions, for benchmarks (docs/performance.md).
//!
//! Every article is drawn from its own generator, seeded from `--seed` and
//! the article's number, so the same arguments write the same bytes
//! whatever the number of threads, and the first N articles of a larger
//! corpus are the N articles of a smaller one.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use crate::rng::SplitMix64;

/// Write a synthetic corpus and a replay of perturbed predictions.
///
/// Articles are made of pseudo-words, with direct, indirect and
/// interrupted quotes attributed to named speakers, and a few characters
/// outside the Basic Multilingual Plane. The predictions follow the gold
/// with perturbations: missed quotes, spurious predictions, shifted
/// boundaries, wrong speakers, text-only records, and whole articles whose
/// offsets are counted in UTF-16 code units.
///
/// A path ending in `.jsonl` is written as one JSON-lines file; any other
/// path as a folder (`<id>.txt` and `<id>.json` for the corpus, `<id>.json`
/// for the replay).
///
/// Examples:
///   quotecheck gen --articles 10000 --corpus target/bench/c.jsonl --replay target/bench/r.jsonl
///   quotecheck gen --articles 1 --quotes 2000 --corpus big --replay big-replay
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct GenArgs {
    /// How many articles to write.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    articles: usize,

    /// Quotes per article: N, or A-B for a number drawn uniformly between A and B.
    #[arg(long, default_value = "2-10", value_name = "N|A-B", value_parser = parse_quotes)]
    quotes: (usize, usize),

    /// The seed: the same seed and arguments write the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Where to write the gold corpus (`.jsonl`, or a folder).
    #[arg(long, value_name = "PATH")]
    corpus: PathBuf,

    /// Where to write the predictions (`.jsonl`, or a folder).
    #[arg(long, value_name = "PATH")]
    replay: PathBuf,
}

fn parse_quotes(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("{s:?} is not N or A-B");
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (
            a.trim().parse().map_err(|_| bad())?,
            b.trim().parse().map_err(|_| bad())?,
        ),
        None => {
            let n = s.trim().parse().map_err(|_| bad())?;
            (n, n)
        }
    };
    if a > b {
        return Err(format!("{s:?}: A must not exceed B"));
    }
    Ok((a, b))
}

pub fn run(args: GenArgs) -> anyhow::Result<u8> {
    let mut corpus = Sink::new(&args.corpus)?;
    let mut replay = Sink::new(&args.replay)?;
    let vocab = vocabulary();
    // Chunks keep memory bounded; within one, articles are made in parallel
    // and written in order.
    const CHUNK: usize = 4096;
    let mut start = 0;
    while start < args.articles {
        let end = (start + CHUNK).min(args.articles);
        let made: Vec<Rendered> = (start..end)
            .into_par_iter()
            .map(|n| {
                let article = make_article(&vocab, args.seed, n, args.quotes);
                let predictions = perturb(&article, args.seed, n);
                article.render(&predictions, corpus.is_jsonl())
            })
            .collect();
        for r in made {
            corpus.write(&r.id, Some(&r.text), &r.gold)?;
            replay.write(&r.id, None, &r.predictions)?;
        }
        start = end;
    }
    corpus.finish()?;
    replay.finish()?;
    Ok(super::EXIT_OK)
}

/// A JSON-lines file or a folder being written.
enum Sink {
    Lines(BufWriter<File>, PathBuf),
    Folder(PathBuf),
}

impl Sink {
    fn new(path: &Path) -> anyhow::Result<Sink> {
        let is_jsonl = path.extension().is_some_and(|e| e == "jsonl");
        if is_jsonl {
            if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let f =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            Ok(Sink::Lines(
                BufWriter::with_capacity(1 << 20, f),
                path.to_path_buf(),
            ))
        } else {
            fs::create_dir_all(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            Ok(Sink::Folder(path.to_path_buf()))
        }
    }

    fn is_jsonl(&self) -> bool {
        matches!(self, Sink::Lines(..))
    }

    /// Writes one entry: a JSON line, or `<id>.json` (and `<id>.txt` when
    /// `text` is given) in the folder.
    fn write(&mut self, id: &str, text: Option<&[u8]>, json: &[u8]) -> anyhow::Result<()> {
        match self {
            Sink::Lines(out, path) => {
                out.write_all(json)
                    .and_then(|()| out.write_all(b"\n"))
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            Sink::Folder(dir) => {
                if let Some(text) = text {
                    let txt = dir.join(format!("{id}.txt"));
                    fs::write(&txt, text)
                        .with_context(|| format!("cannot write {}", txt.display()))?;
                }
                let file = dir.join(format!("{id}.json"));
                fs::write(&file, json)
                    .with_context(|| format!("cannot write {}", file.display()))?;
            }
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        if let Sink::Lines(mut out, path) = self {
            out.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }
}

/// A position in the text, in both units the files use.
#[derive(Clone, Copy, Debug, Default)]
struct Pos {
    cp: usize,
    u16: usize,
}

/// A range of the text.
#[derive(Clone, Copy, Debug)]
struct Range {
    start: Pos,
    end: Pos,
    /// Byte range, to slice the text.
    bytes: (usize, usize),
}

/// An article text being written, with its length in every unit.
#[derive(Default)]
struct Text {
    s: String,
    at: Pos,
}

impl Text {
    fn push(&mut self, t: &str) {
        self.s.push_str(t);
        self.at.cp += t.chars().count();
        self.at.u16 += t.encode_utf16().count();
    }

    /// Pushes `t` and returns its range.
    fn span(&mut self, t: &str) -> Range {
        let (start, b) = (self.at, self.s.len());
        self.push(t);
        Range {
            start,
            end: self.at,
            bytes: (b, self.s.len()),
        }
    }

    fn slice(&self, r: Range) -> &str {
        &self.s[r.bytes.0..r.bytes.1]
    }
}

const FIRST: &[&str] = &[
    "Ana", "Boris", "Chloé", "Dmitri", "Elif", "Farah", "Gustavo", "Hana", "Ivo", "Jamal", "Kirsi",
    "Lars", "Maëlle", "Nkem", "Olek", "Priya", "Quentin", "Rosa", "Sione", "Tomasz", "Uma",
    "Viktor", "Wen", "Ximena", "Yusuf", "Zoë",
];
const LAST: &[&str] = &[
    "Abara",
    "Bianchi",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fonseca",
    "García",
    "Haddad",
    "Ibsen",
    "Jovanović",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Urquhart",
    "Varga",
    "Wójcik",
    "Xu",
    "Yilmaz",
    "Zamora",
];
const CUES: &[&str] = &[
    "said",
    "added",
    "warned",
    "told reporters",
    "insisted",
    "argued",
];
/// Characters outside the Basic Multilingual Plane (two UTF-16 units each),
/// so that UTF-16 offsets differ from code points.
const ASTRAL: &[&str] = &["🙂", "📈", "𝔸", "🏛"];

/// Pseudo-words made of syllables, some with accents: the same list every run.
fn vocabulary() -> Vec<String> {
    const ONSETS: &[&str] = &[
        "b", "br", "c", "ch", "d", "f", "g", "gr", "k", "l", "m", "n", "p", "pl", "r", "s", "st",
        "t", "tr", "v", "z",
    ];
    const NUCLEI: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou", "é", "ö"];
    let mut rng = SplitMix64::new(0x51_7ea5);
    let mut words: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while words.len() < 4000 {
        let syllables = 1 + rng.below(3);
        let mut w = String::new();
        for _ in 0..syllables {
            w.push_str(ONSETS[rng.below(ONSETS.len())]);
            w.push_str(NUCLEI[rng.below(NUCLEI.len())]);
        }
        if rng.below(3) == 0 {
            w.push(['n', 's', 'r', 'l', 't'][rng.below(5)]);
        }
        if seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

struct Person {
    entity: String,
    /// The ways the article names them: full name, family name.
    mentions: [String; 2],
}

struct GoldQuote {
    kind: &'static str,
    parts: Vec<Range>,
    /// Every word of the content, in order, for shifted predictions.
    words: Vec<Range>,
    speaker: usize,
    speaker_span: Range,
    cue: Range,
    optional: bool,
}

struct Article {
    id: String,
    text: Text,
    people: Vec<Person>,
    quotes: Vec<GoldQuote>,
    /// Sentences that are not quotes, for spurious predictions.
    fillers: Vec<Range>,
    /// Whether the predictions count offsets in UTF-16 units.
    utf16: bool,
}

/// The generator of article `n`.
fn rng_for(seed: u64, n: usize, stream: u64) -> SplitMix64 {
    let mut mix = SplitMix64::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
    let base = mix.next_u64();
    SplitMix64::new(base ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn words(rng: &mut SplitMix64, vocab: &[String], n: usize) -> Vec<String> {
    (0..n)
        .map(|_| vocab[rng.below(vocab.len())].clone())
        .collect()
}

fn capitalized(w: &str) -> String {
    let mut c = w.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().chain(c).collect::<String>()
    })
}

/// Pushes words as a clause, recording each word's range.
fn clause(text: &mut Text, ws: &[String], capital: bool, out: &mut Vec<Range>) -> Range {
    let (start, b) = (text.at, text.s.len());
    for (i, w) in ws.iter().enumerate() {
        if i > 0 {
            text.push(" ");
        }
        let w = if i == 0 && capital {
            capitalized(w)
        } else {
            w.clone()
        };
        out.push(text.span(&w));
    }
    Range {
        start,
        end: text.at,
        bytes: (b, text.s.len()),
    }
}

fn make_article(vocab: &[String], seed: u64, n: usize, quotes: (usize, usize)) -> Article {
    let mut rng = rng_for(seed, n, 1);
    let people: Vec<Person> = (0..2 + rng.below(4))
        .map(|_| {
            let (f, l) = (FIRST[rng.below(FIRST.len())], LAST[rng.below(LAST.len())]);
            Person {
                entity: format!("{f} {l}"),
                mentions: [format!("{f} {l}"), l.to_string()],
            }
        })
        .collect();
    let n_quotes = quotes.0 + rng.below(quotes.1 - quotes.0 + 1);
    let mut text = Text::default();
    let mut gold = Vec::with_capacity(n_quotes);
    let mut fillers = Vec::new();
    let filler = |text: &mut Text, rng: &mut SplitMix64, fillers: &mut Vec<Range>| {
        let len = 6 + rng.below(18);
        let ws = words(rng, vocab, len);
        let r = clause(text, &ws, true, &mut Vec::new());
        if rng.below(8) == 0 {
            text.push(" ");
            text.push(ASTRAL[rng.below(ASTRAL.len())]);
        }
        text.push(". ");
        fillers.push(r);
    };
    for _ in 0..n_quotes {
        for _ in 0..rng.below(3) {
            filler(&mut text, &mut rng, &mut fillers);
        }
        let speaker = rng.below(people.len());
        let mention = people[speaker].mentions[rng.below(2)].clone();
        let cue_word = CUES[rng.below(CUES.len())];
        let len = 4 + rng.below(26);
        let content_words = words(&mut rng, vocab, len);
        let mut word_ranges = Vec::new();
        let optional = rng.below(20) == 0;
        let q = match rng.below(10) {
            // “Content,” Speaker said.
            0..=3 => {
                text.push("“");
                let c = clause(&mut text, &content_words, true, &mut word_ranges);
                text.push(",” ");
                let s = text.span(&mention);
                text.push(" ");
                let cue = text.span(cue_word);
                text.push(". ");
                GoldQuote {
                    kind: "direct",
                    parts: vec![c],
                    words: word_ranges,
                    speaker,
                    speaker_span: s,
                    cue,
                    optional,
                }
            }
            // Speaker said that content.
            4..=6 => {
                let s = text.span(&mention);
                text.push(" ");
                let cue = text.span(cue_word);
                text.push(" that ");
                let c = clause(&mut text, &content_words, false, &mut word_ranges);
                text.push(". ");
                GoldQuote {
                    kind: "indirect",
                    parts: vec![c],
                    words: word_ranges,
                    speaker,
                    speaker_span: s,
                    cue,
                    optional,
                }
            }
            // Speaker said the plan was “content”.
            7 => {
                let s = text.span(&mention);
                text.push(" ");
                let cue = text.span(cue_word);
                text.push(" the plan was “");
                let c = clause(&mut text, &content_words, false, &mut word_ranges);
                text.push("”. ");
                GoldQuote {
                    kind: "mixed",
                    parts: vec![c],
                    words: word_ranges,
                    speaker,
                    speaker_span: s,
                    cue,
                    optional,
                }
            }
            // “First part,” Speaker said, “second part.”
            _ => {
                let cut = (content_words.len() / 2).max(1);
                text.push("“");
                let a = clause(&mut text, &content_words[..cut], true, &mut word_ranges);
                text.push(",” ");
                let s = text.span(&mention);
                text.push(" ");
                let cue = text.span(cue_word);
                text.push(", “");
                let b = clause(&mut text, &content_words[cut..], false, &mut word_ranges);
                text.push(".” ");
                GoldQuote {
                    kind: "direct",
                    parts: vec![a, b],
                    words: word_ranges,
                    speaker,
                    speaker_span: s,
                    cue,
                    optional,
                }
            }
        };
        gold.push(q);
    }
    filler(&mut text, &mut rng, &mut fillers);
    // The text ends without a trailing space.
    while text.s.ends_with(' ') {
        text.s.pop();
        text.at.cp -= 1;
        text.at.u16 -= 1;
    }
    Article {
        id: format!("a{n:07}"),
        text,
        people,
        quotes: gold,
        fillers,
        utf16: rng.below(10) == 0,
    }
}

/// Where a predicted span points.
enum PredContent {
    Located(Vec<Range>),
    Text(String),
}

enum PredName {
    At(Range),
    Named(String),
}

struct PredQuote {
    content: PredContent,
    speaker: Option<PredName>,
    cue: Option<String>,
    kind: Option<&'static str>,
    /// Whether located spans also carry their text.
    with_text: bool,
}

/// The predictions for an article: the gold, perturbed.
fn perturb(article: &Article, seed: u64, n: usize) -> Vec<PredQuote> {
    let mut rng = rng_for(seed, n, 2);
    let mut out = Vec::new();
    let other_kind = |k: &str, r: &mut SplitMix64| {
        let all = ["direct", "indirect", "mixed"];
        let others: Vec<&'static str> = all.into_iter().filter(|x| *x != k).collect();
        others[r.below(2)]
    };
    for q in &article.quotes {
        let roll = rng.below(100);
        if roll < 10 {
            continue; // missed
        }
        let right_speaker = if rng.coin() {
            PredName::At(q.speaker_span)
        } else {
            PredName::Named(article.people[q.speaker].entity.clone())
        };
        let kind = if rng.below(10) == 0 {
            Some(other_kind(q.kind, &mut rng))
        } else {
            Some(q.kind)
        };
        let cue = Some(article.text.slice(q.cue).to_string());
        let with_text = rng.below(3) == 0;
        let p = match roll {
            // Shifted: boundaries moved by a few words, inwards or outwards.
            10..=21 => {
                let w = &q.words;
                let drop_front = rng.below(3).min(w.len() - 1);
                let drop_back = rng.below(3).min(w.len() - 1 - drop_front);
                let first = w[drop_front];
                let last = w[w.len() - 1 - drop_back];
                let mut end = last;
                if rng.below(4) == 0 {
                    // Run on into the attribution that follows.
                    end = q.cue;
                    if end.bytes.0 < last.bytes.0 {
                        end = last;
                    }
                }
                let span = Range {
                    start: first.start,
                    end: end.end,
                    bytes: (first.bytes.0, end.bytes.1),
                };
                PredQuote {
                    content: PredContent::Located(vec![span]),
                    speaker: Some(right_speaker),
                    cue,
                    kind,
                    with_text,
                }
            }
            // Wrong speaker: someone else in the article, or nobody.
            22..=29 => {
                let others: Vec<&Person> = article
                    .people
                    .iter()
                    .enumerate()
                    .filter(|(i, p)| {
                        *i != q.speaker && p.entity != article.people[q.speaker].entity
                    })
                    .map(|(_, p)| p)
                    .collect();
                let speaker = if others.is_empty() || rng.below(4) == 0 {
                    None
                } else {
                    Some(PredName::Named(
                        others[rng.below(others.len())].entity.clone(),
                    ))
                };
                PredQuote {
                    content: PredContent::Located(q.parts.clone()),
                    speaker,
                    cue,
                    kind,
                    with_text,
                }
            }
            // Text only: no offsets at all.
            30..=39 => {
                let t: Vec<&str> = q.parts.iter().map(|r| article.text.slice(*r)).collect();
                PredQuote {
                    content: PredContent::Text(t.join(" ")),
                    speaker: Some(PredName::Named(article.people[q.speaker].entity.clone())),
                    cue,
                    kind,
                    with_text: false,
                }
            }
            // Right, or an interrupted quote predicted as its first part.
            _ => {
                let parts = if q.parts.len() > 1 && rng.below(3) == 0 {
                    q.parts[..1].to_vec()
                } else {
                    q.parts.clone()
                };
                PredQuote {
                    content: PredContent::Located(parts),
                    speaker: Some(right_speaker),
                    cue,
                    kind,
                    with_text,
                }
            }
        };
        out.push(p);
    }
    // Spurious: a sentence that is not a quote, about one article in three.
    for _ in 0..rng.below(3) {
        if rng.below(2) == 0 || article.fillers.is_empty() {
            continue;
        }
        let f = article.fillers[rng.below(article.fillers.len())];
        out.push(PredQuote {
            content: PredContent::Located(vec![f]),
            speaker: Some(PredName::Named(
                article.people[rng.below(article.people.len())]
                    .entity
                    .clone(),
            )),
            cue: Some("said".into()),
            kind: Some("indirect"),
            with_text: false,
        });
    }
    // Extractors rarely list quotes in text order.
    if rng.below(2) == 0 {
        out.reverse();
    }
    out
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

#[derive(Serialize)]
struct TextOut<'a> {
    text: &'a str,
}

/// A span, a list of spans, or a text-only span.
#[derive(Serialize)]
#[serde(untagged)]
enum ContentOut<'a> {
    One(SpanOut<'a>),
    Many(Vec<SpanOut<'a>>),
    Text(TextOut<'a>),
}

/// A located or named mention.
#[derive(Serialize)]
#[serde(untagged)]
enum NameOut<'a> {
    At(SpanOut<'a>),
    Named(TextOut<'a>),
}

#[derive(Serialize)]
struct GoldSpeakerOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    entity: &'a str,
    aliases: [&'a str; 1],
}

#[derive(Serialize)]
struct GoldOut<'a> {
    id: String,
    kind: &'a str,
    content: ContentOut<'a>,
    speaker: GoldSpeakerOut<'a>,
    cue: SpanOut<'a>,
    optional: bool,
}

#[derive(Serialize)]
struct CorpusLine<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    article: Option<&'a str>,
    offsets: &'static str,
    status: &'static str,
    quotes: Vec<GoldOut<'a>>,
}

#[derive(Serialize)]
struct PredOut<'a> {
    content: ContentOut<'a>,
    speaker: Option<NameOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cue: Option<TextOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
}

#[derive(Serialize)]
struct ReplayLine<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    offsets: &'static str,
    quotes: Vec<PredOut<'a>>,
}

/// An article as written: its text, its gold (a corpus line or a gold
/// file) and its predictions (a replay line or file).
struct Rendered {
    id: String,
    text: Vec<u8>,
    gold: Vec<u8>,
    predictions: Vec<u8>,
}

impl Article {
    fn render<'a>(&'a self, predictions: &'a [PredQuote], jsonl: bool) -> Rendered {
        let text = &self.text;
        let cp = |r: Range, with_text: bool| SpanOut {
            start: r.start.cp,
            end: r.end.cp,
            text: with_text.then(|| text.slice(r)),
        };
        let quotes = self
            .quotes
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let person = &self.people[q.speaker];
                let content = if q.parts.len() == 1 {
                    ContentOut::One(cp(q.parts[0], true))
                } else {
                    ContentOut::Many(q.parts.iter().map(|r| cp(*r, true)).collect())
                };
                GoldOut {
                    id: format!("q{}", i + 1),
                    kind: q.kind,
                    content,
                    speaker: GoldSpeakerOut {
                        start: q.speaker_span.start.cp,
                        end: q.speaker_span.end.cp,
                        text: text.slice(q.speaker_span),
                        entity: &person.entity,
                        aliases: [&person.mentions[1]],
                    },
                    cue: cp(q.cue, true),
                    optional: q.optional,
                }
            })
            .collect();
        let gold = CorpusLine {
            id: jsonl.then_some(self.id.as_str()),
            text: jsonl.then_some(text.s.as_str()),
            article: (!jsonl).then_some(self.id.as_str()),
            offsets: "codepoint",
            status: "gold",
            quotes,
        };
        let unit = |p: Pos| if self.utf16 { p.u16 } else { p.cp };
        let span = |r: Range, with_text: bool| SpanOut {
            start: unit(r.start),
            end: unit(r.end),
            text: with_text.then(|| text.slice(r)),
        };
        let name = |n: &'a PredName| match n {
            PredName::At(r) => NameOut::At(span(*r, false)),
            PredName::Named(s) => NameOut::Named(TextOut { text: s }),
        };
        let preds = predictions
            .iter()
            .map(|p| PredOut {
                content: match &p.content {
                    PredContent::Located(parts) if parts.len() == 1 => {
                        ContentOut::One(span(parts[0], p.with_text))
                    }
                    PredContent::Located(parts) => {
                        ContentOut::Many(parts.iter().map(|r| span(*r, p.with_text)).collect())
                    }
                    PredContent::Text(t) => ContentOut::Text(TextOut { text: t }),
                },
                speaker: p.speaker.as_ref().map(name),
                cue: p.cue.as_deref().map(|t| TextOut { text: t }),
                kind: p.kind,
            })
            .collect();
        let replay = ReplayLine {
            id: jsonl.then_some(self.id.as_str()),
            offsets: if self.utf16 { "utf16" } else { "codepoint" },
            quotes: preds,
        };
        Rendered {
            id: self.id.clone(),
            text: text.s.clone().into_bytes(),
            gold: serde_json::to_vec(&gold).expect("gold serializes"),
            predictions: serde_json::to_vec(&replay).expect("predictions serialize"),
        }
    }
}
