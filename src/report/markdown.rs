//! The Markdown summary (`--markdown PATH`, and `$GITHUB_STEP_SUMMARY`):
//! the headline table, the change against the baseline, gates, the worst
//! articles and the failures, for a CI job's summary page.

use std::io::{self, Write};

use super::fmt3;
use crate::gate::{label, GateOutcome};
use crate::run::{ExtractorStatus, RunResult};
use crate::score::{Accuracy, Criterion};
use crate::snapshot::store::SnapshotReport;
use crate::snapshot::SnapshotState;
use crate::text::printable_line;

/// Makes text safe inside a Markdown table cell or list item: control
/// characters cleaned first ([`printable_line`]), then Markdown's own.
fn cell(s: &str) -> String {
    let s = printable_line(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a code span: backslash escapes do not work there, so
/// backticks and line breaks are replaced instead.
fn code(s: &str) -> String {
    format!(
        "`{}`",
        printable_line(s).replace('`', "'").replace('⏎', " ")
    )
}

fn change(now: f64, before: Option<f64>) -> String {
    match before {
        None => fmt3(now),
        Some(b) if (now - b).abs() < 5e-4 => format!("{} ＝", fmt3(now)),
        Some(b) if now > b => format!("{} ▲ {:+.3}", fmt3(now), now - b),
        Some(b) => format!("{} ▼ {:+.3}", fmt3(now), now - b),
    }
}

fn acc(a: Accuracy) -> String {
    a.value().map_or("n/a".into(), fmt3)
}

/// Writes the Markdown summary of `result`, with what its snapshots found
/// when they were compared (`snapshots`).
pub fn write(
    result: &RunResult,
    gates: &GateOutcome,
    worst: usize,
    snapshots: Option<&SnapshotReport>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let c = &result.corpus;
    writeln!(out, "## quotecheck")?;
    writeln!(out)?;
    writeln!(
        out,
        "Corpus {} · {} articles scored · scheme `{}`",
        code(&c.path),
        c.scored,
        result.scheme
    )?;
    writeln!(out)?;
    writeln!(out, "| extractor | end-to-end P | end-to-end R | end-to-end F1 | content F1 | cue F1 | kind F1 | speaker accuracy | failed articles |")?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    let mut not_run = Vec::new();
    for e in &result.extractors {
        let status = e.status();
        if !status.ran() {
            let what = match &status {
                ExtractorStatus::NothingScored => "nothing scored".to_string(),
                ExtractorStatus::Failed(why) => format!("failed on every article: {why}"),
                other => format!("{}: {}", other.as_str(), other.error().unwrap_or_default()),
            };
            writeln!(
                out,
                "| {} | — | — | **{}** | — | — | — | — | {} |",
                cell(&e.name),
                status.as_str(),
                e.failed()
            )?;
            if status.did_not_run() {
                not_run.push(format!("- {}: {}", cell(&e.name), cell(&what)));
            }
            continue;
        }
        let t = &e.totals;
        let before = |c: Criterion| gates.before.get(&(e.name.clone(), c)).copied();
        let a = t.micro(Criterion::Attribution);
        writeln!(
            out,
            "| {} | {} | {} | **{}** | {} | {} | {} | {} | {} |",
            cell(&e.name),
            fmt3(a.p),
            fmt3(a.r),
            change(a.f1, before(Criterion::Attribution)),
            change(t.micro(Criterion::Content).f1, before(Criterion::Content)),
            change(t.micro(Criterion::Cue).f1, before(Criterion::Cue)),
            change(t.micro(Criterion::Kind).f1, before(Criterion::Kind)),
            acc(t.speaker_accuracy()),
            e.failed()
        )?;
    }
    writeln!(out)?;
    let unfaithful: Vec<_> = result
        .extractors
        .iter()
        .filter(|e| e.status().ran() && !e.totals.fidelity().all_verbatim())
        .collect();
    for e in &unfaithful {
        let f = e.totals.fidelity();
        writeln!(
            out,
            "- fidelity of {}'s quotes given as text: {f}",
            cell(&e.name)
        )?;
    }
    if !unfaithful.is_empty() {
        writeln!(out)?;
    }
    if !not_run.is_empty() {
        for line in not_run {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }
    if let (Some(why), None) = (c.nothing_scored(), result.shard) {
        writeln!(out, "**Nothing was scored:** {}", cell(&why.reason()))?;
        writeln!(out)?;
    }
    if gates.failures.is_empty() && gates.checked == 0 {
        writeln!(out, "**Gates:** not checked (nothing scored)")?;
    } else if gates.failures.is_empty() {
        writeln!(out, "**Gates:** ✅ passed")?;
    } else {
        writeln!(out, "**Gates:** ❌ {} failed", gates.failures.len())?;
        writeln!(out)?;
        for f in &gates.failures {
            writeln!(out, "- {}", cell(&f.to_string()))?;
        }
    }
    for note in &gates.notes {
        writeln!(out, "- note: {}", cell(note))?;
    }
    writeln!(out)?;

    let mut rows = Vec::new();
    for e in result.extractors.iter().filter(|e| e.status().ran()) {
        let mut articles: Vec<_> = e
            .articles
            .iter()
            .map(|a| (a.score.counts(Criterion::Attribution), a))
            .filter(|(c, _)| c.f1() < 1.0)
            .collect();
        articles.sort_by(|(x, a), (y, b)| x.f1().total_cmp(&y.f1()).then_with(|| a.id.cmp(&b.id)));
        for (counts, a) in articles.into_iter().take(worst) {
            let worse = gates
                .worse
                .get(&e.name)
                .and_then(|w| w.iter().find(|w| w.id == a.id))
                .map_or(String::new(), |w| format!(" ▼ {:+.3}", w.after - w.before));
            rows.push(format!(
                "| {} | {} | {}{worse} | {} | {} | {} |",
                cell(&e.name),
                code(&a.id),
                fmt3(counts.f1()),
                counts.tp,
                counts.fp,
                counts.fn_
            ));
        }
    }
    if !rows.is_empty() {
        writeln!(
            out,
            "### Worst articles ({} F1)",
            label(Criterion::Attribution)
        )?;
        writeln!(out)?;
        writeln!(out, "| extractor | article | F1 | TP | FP | FN |")?;
        writeln!(out, "|---|---|---:|---:|---:|---:|")?;
        for r in rows {
            writeln!(out, "{r}")?;
        }
        writeln!(out)?;
    }

    if let Some(report) = snapshots {
        write_snapshots(report, out)?;
    }

    let failures: Vec<String> = result
        .extractors
        .iter()
        // An unavailable extractor fails every article the same way: it is
        // listed once, above.
        .filter(|e| !matches!(e.status(), ExtractorStatus::Unavailable(_)))
        .flat_map(|e| {
            e.failures().map(move |a| {
                let f = a.failure.as_ref().expect("a failure");
                format!(
                    "- {} · {}: {}: {}",
                    cell(&e.name),
                    code(&a.id),
                    f.kind,
                    cell(&f.message)
                )
            })
        })
        .collect();
    if !failures.is_empty() {
        writeln!(out, "### Failures")?;
        writeln!(out)?;
        for f in failures {
            writeln!(out, "{f}")?;
        }
        for e in &result.extractors {
            if e.more_failures.count > 0 {
                writeln!(
                    out,
                    "- {} · … and {} more (every failure is in the JSON report)",
                    cell(&e.name),
                    e.more_failures.count
                )?;
            }
        }
        writeln!(out)?;
    }
    if c.broken_count() > 0 {
        writeln!(out, "### Articles that could not be loaded")?;
        writeln!(out)?;
        for b in &c.broken {
            let first = b.issues.first().map_or(String::new(), |i| {
                cell(i.message.lines().next().unwrap_or(""))
            });
            writeln!(out, "- {}: {first}", code(&b.id))?;
        }
        if c.more_broken > 0 {
            writeln!(
                out,
                "- … and {} more (`quotecheck validate` lists every problem)",
                c.more_broken
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The snapshots section: per extractor the changed and new articles with
/// their grades (docs/snapshots.md, "Grades").
fn write_snapshots(report: &SnapshotReport, out: &mut dyn Write) -> io::Result<()> {
    let changes: Vec<_> = report
        .extractors
        .iter()
        .filter(|e| e.states.iter().any(|(_, s)| s.is_change()))
        .collect();
    if changes.is_empty() {
        return Ok(());
    }
    writeln!(out, "### Snapshots")?;
    writeln!(out)?;
    for e in changes {
        let changed = e.count(SnapshotState::Changed);
        let new = e.count(SnapshotState::New);
        let mut counts = Vec::new();
        if changed > 0 {
            counts.push(format!("{changed} changed"));
        }
        if new > 0 {
            counts.push(format!("{new} new"));
        }
        let grades = e.grade_counts();
        let grades = if grades.is_empty() {
            String::new()
        } else {
            format!(" — {grades}")
        };
        writeln!(out, "**{}**: {}{grades}", cell(&e.name), counts.join(", "))?;
        writeln!(out)?;
        for (id, state) in e.states.iter().filter(|(_, s)| s.is_change()) {
            let grade = e
                .grading(id)
                .map_or_else(|| "ungraded".to_string(), |g| g.summary());
            writeln!(out, "- {} {state}: {}", code(id), cell(&grade))?;
        }
        writeln!(out)?;
    }
    Ok(())
}
