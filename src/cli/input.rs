//! The flags every command shares about what input it trusts:
//! `--max-article-bytes` and `--follow-links` (docs/reliability.md).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::config::{Config, ConfigError};
use crate::corpus::limits::{ReadLimits, DEFAULT_MAX_ARTICLE_BYTES};

/// How much input to trust; global flags, given before or after the command.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// The largest article line, text or gold file read, in bytes (default
    /// 64 MiB, or `max_article_bytes` in quotecheck.toml). A larger one is
    /// reported and skipped without being read.
    #[arg(long, global = true, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    max_article_bytes: Option<u64>,

    /// Follow symbolic links in a corpus folder that lead outside it
    /// (by default they are reported and skipped).
    #[arg(long, global = true)]
    follow_links: bool,
}

impl InputArgs {
    /// Sets the limits of every reader: the flags, else `max_article_bytes`
    /// of the configuration in the working folder. A configuration that
    /// cannot be read changes nothing here: the commands that need it say
    /// what is wrong with it.
    pub fn apply(&self) {
        FLAG_GIVEN.store(self.max_article_bytes.is_some(), Ordering::Relaxed);
        let max_article_bytes = self.max_article_bytes.unwrap_or_else(|| {
            Config::discover(None)
                .ok()
                .and_then(|c| c.max_article_bytes)
                .unwrap_or(DEFAULT_MAX_ARTICLE_BYTES)
        });
        ReadLimits {
            max_article_bytes,
            follow_links: self.follow_links,
        }
        .apply();
    }
}

/// Whether `--max-article-bytes` was given, which a configuration does
/// not override.
static FLAG_GIVEN: AtomicBool = AtomicBool::new(false);

/// Reads the configuration a command uses (`explicit`, given with
/// `--config`, else quotecheck.toml in the working folder) and applies its
/// `max_article_bytes`, unless the flag was given: every command that reads
/// a configuration reads input under the same limit.
pub fn config(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    let config = Config::discover(explicit)?;
    if let (false, Some(max)) = (FLAG_GIVEN.load(Ordering::Relaxed), config.max_article_bytes) {
        ReadLimits {
            max_article_bytes: max,
            ..ReadLimits::current()
        }
        .apply();
    }
    Ok(config)
}
