//! `quotecheck gen` (hidden): the flags of [`crate::gen::write`], which
//! writes a synthetic corpus with gold quotes and a replay of perturbed
//! predictions, for benchmarks (docs/performance.md).

use std::path::PathBuf;

use crate::gen::{self, Settings};

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
///   quotecheck gen --articles 10000 --quotes 9 --text-bytes 6000 --corpus c.jsonl --replay r.jsonl
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct GenArgs {
    /// How many articles to write.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    articles: usize,

    /// Quotes per article: N, or A-B for a number drawn uniformly between A and B.
    #[arg(long, default_value = "2-10", value_name = "N|A-B", value_parser = parse_quotes)]
    quotes: (usize, usize),

    /// Add sentences that are no quote between the quotes until each
    /// article's text has at least N bytes (0: none; news articles are
    /// about 6000).
    #[arg(long, default_value_t = 0, value_name = "N")]
    text_bytes: usize,

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

/// Why a value of `--quotes` is not `N` or `A-B`.
#[derive(Debug, thiserror::Error)]
enum QuotesError {
    #[error("{0:?} is not N or A-B")]
    NotARange(String),
    #[error("{0:?}: A must not exceed B")]
    Reversed(String),
}

fn parse_quotes(s: &str) -> Result<(usize, usize), QuotesError> {
    let bad = || QuotesError::NotARange(s.to_string());
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
        return Err(QuotesError::Reversed(s.to_string()));
    }
    Ok((a, b))
}

pub fn run(args: GenArgs) -> anyhow::Result<u8> {
    let settings = Settings {
        seed: args.seed,
        articles: args.articles,
        quotes: args.quotes.0..=args.quotes.1,
        text_bytes: args.text_bytes,
    };
    gen::write(&settings, &args.corpus, &args.replay)?;
    Ok(super::EXIT_OK)
}
