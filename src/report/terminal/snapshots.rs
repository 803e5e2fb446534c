//! The snapshot section of the terminal report: per extractor the states,
//! the changed and new articles with their diffs, then what was written
//! and what to do next.

use std::io::{self, Write};

use super::{Painter, TerminalOptions};
use crate::snapshot::store::{SnapshotReport, Unreferenced};
use crate::snapshot::SnapshotState;
use crate::text::printable;

/// How the snapshot section of the terminal report is written.
#[derive(Clone, Debug, Default)]
pub struct SnapshotOptions {
    /// Whether the run is on CI (said when nothing was written).
    pub ci: bool,
    /// The command that remakes the run locally, named in the hint when
    /// changes were not written.
    pub command: String,
    /// How many diffs of changed snapshots to show per extractor (`None`:
    /// every diff kept).
    pub diffs: Option<usize>,
}

/// How many article ids to list per state and extractor.
const LISTED: usize = 10;

/// Writes what the snapshots of a run found: per extractor the states, the
/// changed and new articles and the diffs of the changed ones, then what
/// was written and what to do next.
pub fn write_snapshots(
    report: &SnapshotReport,
    options: TerminalOptions,
    snapshot: &SnapshotOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let p = Painter {
        color: options.color,
    };
    let root = report.root.display().to_string();
    if !report.extractors.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            p.bold(&format!(
                "snapshots in {root}/ (update {})",
                report.update.as_str()
            ))
        )?;
    }
    for e in &report.extractors {
        let mut counts: Vec<String> = [
            SnapshotState::Unchanged,
            SnapshotState::Changed,
            SnapshotState::New,
        ]
        .into_iter()
        .filter_map(|s| {
            let n = e.count(s);
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
        if counts.is_empty() {
            counts.push("none compared".into());
        }
        let grades = e.grade_counts();
        let grades = if grades.is_empty() {
            String::new()
        } else {
            format!(" — {grades}")
        };
        writeln!(out, "  {}: {}{grades}", e.name, counts.join(", "))?;
        if !e.accepted_failures.is_empty() {
            writeln!(
                out,
                "    failed as accepted (does not fail the run): {}",
                e.accepted_failures.join(", ")
            )?;
        }
        let width = [SnapshotState::Changed, SnapshotState::New]
            .into_iter()
            .flat_map(|state| {
                e.states
                    .iter()
                    .filter(move |(_, s)| *s == state)
                    .take(LISTED)
            })
            .map(|(id, _)| id.chars().count())
            .max()
            .unwrap_or(0);
        for state in [SnapshotState::Changed, SnapshotState::New] {
            let ids: Vec<&str> = e
                .states
                .iter()
                .filter(|(_, s)| *s == state)
                .map(|(id, _)| id.as_str())
                .collect();
            for id in ids.iter().take(LISTED) {
                let lines = e
                    .diffs
                    .iter()
                    .find(|(d, _)| d == id)
                    .filter(|_| state == SnapshotState::Changed)
                    .map_or(String::new(), |(_, d)| {
                        let pad = " ".repeat(width - id.chars().count());
                        format!(
                            "{pad}  {}",
                            p.dim(&format!("+{} -{} lines", d.added(), d.removed()))
                        )
                    });
                let label = match state {
                    SnapshotState::Changed => p.yellow(&format!("{:<8}", state.as_str())),
                    _ => format!("{:<8}", state.as_str()),
                };
                let grade = match e.grading(id) {
                    Some(g) if state == SnapshotState::Changed => {
                        let pad = if lines.is_empty() {
                            " ".repeat(width - id.chars().count())
                        } else {
                            String::new()
                        };
                        format!("{pad}  {}", g.summary())
                    }
                    _ => String::new(),
                };
                writeln!(out, "    {label} {id}{lines}{grade}")?;
            }
            if ids.len() > LISTED {
                writeln!(
                    out,
                    "    {}",
                    p.dim(&format!("… and {} more {state}", ids.len() - LISTED))
                )?;
            }
        }
        for (scheme, n) in &e.other_scheme {
            writeln!(
                out,
                "    {}: {n} snapshot(s) were made under scheme {scheme}, not this run's: not compared (`--update always` remakes them)",
                p.yellow("note")
            )?;
        }
        let changed_ids: std::collections::HashSet<&str> = e
            .states
            .iter()
            .filter(|(_, s)| *s == SnapshotState::Changed)
            .map(|(id, _)| id.as_str())
            .collect();
        let shown: Vec<_> = e
            .diffs
            .iter()
            .filter(|(id, _)| changed_ids.contains(id.as_str()))
            .take(snapshot.diffs.unwrap_or(usize::MAX))
            .collect();
        for (_, diff) in &shown {
            writeln!(out)?;
            diff.write_colored(out, options.color)?;
        }
        let changed = e.count(SnapshotState::Changed);
        if shown.len() < changed && !shown.is_empty() {
            writeln!(
                out,
                "{}",
                p.dim(&format!(
                    "… {} more diff(s) not shown (--snapshot-diffs all shows every one)",
                    changed - shown.len()
                ))
            )?;
        }
    }
    let unaccepted = report.unaccepted().count();
    let pending: usize = report.extractors.iter().map(|e| e.pending_written).sum();
    let accepted: usize = report.extractors.iter().map(|e| e.accepted_written).sum();
    if accepted > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "wrote {accepted} snapshot(s) as accepted (update always)"
        )?;
    }
    if unaccepted > 0 {
        writeln!(out)?;
        if pending > 0 {
            writeln!(
                out,
                "{}",
                p.red(&format!(
                    "{unaccepted} snapshot(s) not accepted, written as .snap.new"
                ))
            )?;
            writeln!(
                out,
                "  review them with `quotecheck review`, or `quotecheck accept --all` / `quotecheck reject --all`"
            )?;
        } else {
            let why = if snapshot.ci {
                "CI is set, so nothing was written"
            } else {
                "update policy `no`, so nothing was written"
            };
            writeln!(
                out,
                "{}",
                p.red(&format!("{unaccepted} snapshot(s) not accepted ({why})"))
            )?;
            writeln!(
                out,
                "  run `{}` locally, review with `quotecheck review`, and commit {root}/",
                snapshot.command
            )?;
        }
    }
    if !report.unreferenced.is_empty() {
        writeln!(out)?;
        let files: usize = report.unreferenced.iter().map(|u| u.paths().len()).sum();
        if report.deleted {
            writeln!(
                out,
                "deleted {files} unreferenced snapshot file(s) (their article or extractor is gone):"
            )?;
        } else {
            writeln!(
                out,
                "{}",
                p.yellow(&format!(
                    "{files} unreferenced snapshot file(s) (their article or extractor is gone):"
                ))
            )?;
        }
        for u in &report.unreferenced {
            match u {
                Unreferenced::Article { paths, .. } => {
                    for path in paths {
                        writeln!(out, "  {}", path.display())?;
                    }
                }
                Unreferenced::Extractor {
                    extractor,
                    path,
                    paths,
                } => writeln!(
                    out,
                    "  {}/ ({} file(s); no configured extractor is named {extractor})",
                    path.display(),
                    paths.len()
                )?,
            }
        }
        if !report.deleted {
            writeln!(
                out,
                "  delete them with `quotecheck run --unreferenced delete` (on a full run)"
            )?;
        }
    }
    for e in &report.errors {
        writeln!(out, "{}: {}", p.red("error"), printable(&e.to_string()))?;
    }
    Ok(())
}
