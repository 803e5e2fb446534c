//! `quotecheck merge`.

use std::path::PathBuf;

use anyhow::Context;

use super::output::ReportArgs;
use crate::report::json::Report;
use crate::report::merge::merge;
use crate::report::terminal::SnapshotOptions;
use crate::session::{conclude, Outcome, WorstDiffs};
use crate::snapshot::store::is_ci;

/// Combine the partial JSON reports of a sharded run into one.
///
/// Each machine of a CI matrix runs `quotecheck run --shard K/N --json
/// part-K.json`; `merge` puts the parts back together into exactly the report
/// one unsharded run gives (counts summed; macro figures, accuracies and
/// per-kind figures recomputed from the per-article data), and writes the
/// same reports and applies the same gates as `run`.
///
/// Exit codes are those of `run`: 0 pass, 1 a gate failed or an extractor
/// failed on some article, 2 bad input (a missing, duplicated or mismatched
/// part, or no article scored in any part, unless --allow-empty).
///
/// Examples:
///   quotecheck merge part-*.json --json report.json --junit junit.xml --markdown summary.md
///   quotecheck merge parts/*.json --min-f1 0.7 --baseline main.json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct MergeArgs {
    /// The partial reports, one per shard, in any order.
    #[arg(required = true, value_name = "PART")]
    parts: Vec<PathBuf>,

    /// Read [gates] from PATH instead of ./quotecheck.toml.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,

    #[command(flatten)]
    report: ReportArgs,
}

pub fn run(args: MergeArgs) -> anyhow::Result<u8> {
    let config = super::input::config(args.config.as_deref())?;
    let mut parts = Vec::new();
    for path in &args.parts {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let part = Report::read(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        parts.push(part);
    }
    let merged = merge(&parts).map_err(|e| anyhow::anyhow!("cannot merge: {e}"))?;
    let result = merged
        .to_result()
        .map_err(|e| anyhow::anyhow!("cannot merge: {e}"))?;
    let snapshots = merged.snapshots();
    let outcome = Outcome::new(result, merged, snapshots, &args.report.gates(&config)?);
    // Pairings are not in JSON reports, so a merge shows no diffs.
    let mut terminal = args.report.terminal(
        SnapshotOptions {
            ci: is_ci(),
            command: "quotecheck run".into(),
            diffs: None,
        },
        WorstDiffs::new(Some(0), outcome.result.scheme),
    );
    conclude(&outcome, &mut [&mut args.report.files(), &mut terminal])?;
    for note in &outcome.notes {
        eprintln!("{}", crate::text::printable(note));
    }
    Ok(outcome.exit_code())
}
