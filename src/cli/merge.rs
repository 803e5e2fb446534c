//! `quotecheck merge`.

use std::path::PathBuf;

use anyhow::Context;

use super::output::ReportArgs;
use crate::report::json::Report;
use crate::report::merge::merge_named;
use crate::report::terminal::SnapshotOptions;
use crate::session::{conclude, Outcome, WorstDiffs};
use crate::snapshot::store::is_ci;

/// Combine JSON reports of runs over disjoint parts of one corpus into one.
///
/// A part is any report of `quotecheck run --json` over a subset of a corpus:
/// a shard (`--shard K/N`, one per machine of a CI matrix), an `--articles`
/// selection, an engine's partition, or a report merged before. Parts merge
/// in any order and grouping; parts that cover the corpus give exactly the
/// report one unsharded run gives (counts summed; micro and macro figures,
/// accuracies and per-kind figures recomputed from the per-article data),
/// and articles no part covers count as not selected. `merge` writes the
/// same reports and applies the same gates as `run`.
///
/// Exit codes are those of `run`: 0 pass, 1 a gate failed or an extractor
/// failed on some article, 2 bad input (an article in two parts, the same
/// id with another text, parts of another corpus, scheme, snapshot policy
/// or extractor version, or no article scored in any part, unless
/// --allow-empty).
///
/// Examples:
///   quotecheck merge part-*.json --json report.json --junit junit.xml --markdown summary.md
///   quotecheck merge parts/*.json --min-f1 0.7 --baseline main.json
///   quotecheck merge world.json rest.json --json all.json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct MergeArgs {
    /// The reports to merge, in any order: shards, selections, merged reports.
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
    let parts = read_parts(&args.parts)?;
    let merged = merge_parts(&args.parts, &parts)?;
    if merged.corpus.not_selected > 0 {
        eprintln!(
            "note: {} of the corpus's {} articles are in none of the {} parts merged",
            merged.corpus.not_selected,
            merged.corpus.articles,
            parts.len()
        );
    }
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

/// Reads the JSON reports at `paths`.
pub(crate) fn read_parts(paths: &[PathBuf]) -> anyhow::Result<Vec<Report>> {
    paths
        .iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Report::read(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        })
        .collect()
}

/// Merges `parts`, read from `paths`, with errors that name the files.
pub(crate) fn merge_parts(paths: &[PathBuf], parts: &[Report]) -> anyhow::Result<Report> {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let named: Vec<(&str, &Report)> = names.iter().map(String::as_str).zip(parts).collect();
    merge_named(&named).map_err(|e| super::hinted(format!("cannot merge: {e}"), e.hint()))
}
