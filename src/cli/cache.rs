//! `quotecheck cache`.

use crate::extract::Cache;

use super::EXIT_OK;

/// Manage the cache of extractor outputs in .quotecheck/cache.
///
/// Outputs are cached by the extractor's fingerprint and the article text,
/// so editing gold or changing the scheme reuses them, and a changed
/// extractor or article is never served a stale one. `run --no-cache`
/// bypasses the cache for one run.
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
