//! Reads a corpus and looks up every article's saved output in a replay,
//! and nothing else (no scoring, no report): the reading part of a run,
//! for the Parquet benchmark (benches/parquet.sh), on either layout:
//! `cargo run --release --example read_bench -- CORPUS REPLAY [JOBS]`.
//!
//! It reads as `quotecheck run` does: batches of 64 articles parsed on a
//! pool of JOBS threads (default: one a core), then each article's output
//! looked up and resolved on the same pool. It prints what it read, so
//! two layouts of one content can be checked to read the same.

use quotecheck::corpus::{Corpus, Item};

/// The allocator of the `quotecheck` binary, so that the reading is timed
/// as a run does it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use quotecheck::extract::{Extractor, Replay};
use rayon::prelude::*;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (corpus, replay, jobs) = match &args[..] {
        [c, r] => (c, r, 0),
        [c, r, j] => (c, r, j.parse()?),
        _ => anyhow::bail!("usage: read_bench CORPUS REPLAY [JOBS]"),
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let corpus = Corpus::open(corpus)?;
    let replay = Replay::open("p", replay)?;
    let (mut articles, mut broken, mut gold, mut predicted, mut failed) = (0, 0, 0, 0, 0);
    for items in corpus.batches(64, &pool) {
        let batch: Vec<_> = items
            .into_iter()
            .filter_map(|item| match item {
                Item::Article { article, .. } => Some(article),
                Item::Broken { .. } => {
                    broken += 1;
                    None
                }
            })
            .collect();
        articles += batch.len();
        gold += batch
            .iter()
            .map(|a| a.gold.as_ref().map_or(0, |g| g.quotes.len()))
            .sum::<usize>();
        let outputs: Vec<_> =
            pool.install(|| batch.par_iter().map(|a| replay.extract(a)).collect());
        for out in outputs {
            match out {
                Ok(o) => predicted += o.quotes.len(),
                Err(_) => failed += 1,
            }
        }
    }
    let issues = replay.finish(&|_| true).len();
    println!(
        "articles {articles}, broken {broken}, gold quotes {gold}, predicted quotes {predicted}, failed {failed}, replay issues {issues}"
    );
    Ok(())
}
