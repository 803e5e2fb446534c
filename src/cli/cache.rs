//! `quotecheck cache`.

use crate::extract::Cache;

use super::EXIT_OK;

/// Manage the cache of extractor outputs in .quotecheck/cache.
///
/// Outputs are cached by the extractor's fingerprint and the article text,
/// so editing gold or changing the scheme reuses them, and a changed
/// article is never served a stale one.
///
/// A worker's fingerprint covers its command, the content of every argument
/// that is a file (the script), the content of the files and folders in its
/// `cache_inputs`, its `env`, its `cwd`, and its handshake's name, version
/// and offsets. Anything else its output depends on (code the script
/// imports, a model it downloads) is not seen: list it in `cache_inputs`,
/// bump the handshake's version, or run `cache clear`. An endpoint's covers
/// its URL, version, offsets and header names (one without a version is
/// never cached); a chat model's, its API, model, temperature, seed,
/// max_tokens, the content of its prompt template and its header names; an
/// in-process extractor's, its name, version and quotecheck's.
///
/// The terminal report of `run` says how many outputs came from the cache;
/// `run --no-cache` bypasses it for one run.
#[derive(Debug, clap::Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    action: CacheAction,
}

#[derive(Debug, clap::Subcommand)]
enum CacheAction {
    /// Remove every cached output.
    Clear,
}

pub fn run(args: CacheArgs) -> anyhow::Result<u8> {
    match args.action {
        CacheAction::Clear => {
            let cache = Cache::default_location();
            let removed = cache.clear()?;
            println!(
                "removed {removed} cached output(s) from {}",
                cache.root().display()
            );
        }
    }
    Ok(EXIT_OK)
}
