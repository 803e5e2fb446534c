//! The comparison report: several extractors side by side
//! (`quotecheck compare`), for the terminal and as Markdown.

use std::io::{self, Write};

use super::{Comparison, Difference, ExtractorFigures, Figure};
use crate::report::fmt3;
use crate::run::RunResult;

fn figure(f: &Figure) -> String {
    format!("{} [{}, {}]", fmt3(f.f1), fmt3(f.ci.low), fmt3(f.ci.high))
}

/// What stands in an extractor's figures when it did not run.
fn not_run(e: &ExtractorFigures) -> String {
    // An extractor's own words: shown, never acted on.
    let error = crate::text::printable_line(e.error.as_deref().unwrap_or(""));
    match e.status {
        "nothing-scored" => "nothing scored".to_string(),
        "failed" => format!("failed on every article ({}): {error}", e.failures),
        status => format!("{status}: {error}"),
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or("n/a".to_string(), fmt3)
}

fn difference(d: &Difference) -> String {
    format!(
        "{:+.3} [{:+.3}, {:+.3}]  p = {}",
        d.diff,
        d.ci.low,
        d.ci.high,
        p_value(d.p_adjusted)
    )
}

fn p_value(p: f64) -> String {
    if p < 0.001 {
        "<0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

/// Writes the comparison for a terminal.
pub fn write_terminal(
    result: &RunResult,
    c: &Comparison,
    disagreements: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "corpus {} · {} articles scored · scheme {} · {:.0}% intervals from {} bootstrap resamples (seed {})",
        result.corpus.path,
        result.corpus.scored,
        result.scheme,
        c.level * 100.0,
        c.resamples,
        c.seed
    )?;
    if c.repeats > 1 {
        writeln!(
            out,
            "every figure pools {} repeats of each article (deterministic extractors count their one run {} times)",
            c.repeats, c.repeats
        )?;
    }
    writeln!(out)?;
    let width = c
        .extractors
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(0)
        .max(9);
    let kinds: Vec<String> = {
        let mut k: Vec<String> = c
            .extractors
            .iter()
            .flat_map(|e| e.kind_recall.keys().cloned())
            .collect();
        k.sort();
        k.dedup();
        k
    };
    write!(
        out,
        "  {:<width$}  {:<22}  {:<22}  {:>7}  {:>7}",
        "extractor", "content F1", "end-to-end F1", "speaker", "cue"
    )?;
    for k in &kinds {
        write!(out, "  {:>8}", format!("R {k}"))?;
    }
    writeln!(out, "  {:>6}", "failed")?;
    for e in &c.extractors {
        let (Some(content), Some(attribution)) = (&e.content, &e.attribution) else {
            writeln!(out, "  {:<width$}  {}", e.name, not_run(e))?;
            continue;
        };
        write!(
            out,
            "  {:<width$}  {:<22}  {:<22}  {:>7}  {:>7}",
            e.name,
            figure(content),
            figure(attribution),
            opt(e.speaker_accuracy),
            opt(e.cue_accuracy)
        )?;
        for k in &kinds {
            write!(out, "  {:>8}", opt(e.kind_recall.get(k).copied()))?;
        }
        writeln!(out, "  {:>6}", e.failures)?;
    }
    let ran: Vec<usize> = (0..c.extractors.len())
        .filter(|&i| c.extractors[i].content.is_some())
        .collect();
    if ran.len() < 2 {
        writeln!(out)?;
        writeln!(
            out,
            "no differences: {} of the {} extractors ran",
            ran.len(),
            c.extractors.len()
        )?;
    }
    if !c.pairs.is_empty() {
        writeln!(out)?;
        writeln!(out, "differences (a − b; {}):", c.test)?;
        for p in &c.pairs {
            writeln!(out, "  {} − {}", p.a, p.b)?;
            writeln!(out, "    end-to-end F1  {}", difference(&p.attribution))?;
            writeln!(out, "    content F1     {}", difference(&p.content))?;
            writeln!(
                out,
                "    articles won   {} {}, {} {}, {} tied",
                p.a_wins, p.a, p.b_wins, p.b, p.ties
            )?;
        }
    }
    if c.articles.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "per article (end-to-end F1):")?;
    let id_width = c
        .articles
        .iter()
        .map(|a| a.id.len())
        .max()
        .unwrap_or(0)
        .max(7);
    write!(out, "  {:<id_width$}", "article")?;
    for &i in &ran {
        let e = &c.extractors[i];
        write!(out, "  {:>w$}", e.name, w = e.name.len().max(6))?;
    }
    writeln!(out, "  winner")?;
    for a in &c.articles {
        write!(out, "  {:<id_width$}", a.id)?;
        for &i in &ran {
            let e = &c.extractors[i];
            let f = a.f1[i].map_or("—".to_string(), fmt3);
            write!(out, "  {:>w$}", f, w = e.name.len().max(6))?;
        }
        let winner = match (&a.winner, ran.len()) {
            (Some(w), _) => w.as_str(),
            (None, 0 | 1) => "—",
            (None, _) => "tie",
        };
        writeln!(out, "  {winner}")?;
    }
    let all: Vec<(&str, &crate::compare::QuoteDisagreement)> = c
        .articles
        .iter()
        .flat_map(|a| a.disagreements.iter().map(move |d| (a.id.as_str(), d)))
        .collect();
    if !all.is_empty() && disagreements > 0 {
        writeln!(out)?;
        writeln!(out, "where they differ ({} gold quotes):", all.len())?;
        for (id, d) in all.iter().take(disagreements) {
            if d.speakers.is_empty() {
                writeln!(
                    out,
                    "  {id} {}: found by {}; missed by {}",
                    d.gold,
                    d.found_by.join(", "),
                    d.missed_by.join(", ")
                )?;
            } else {
                let given: Vec<String> = d
                    .speakers
                    .iter()
                    .map(|s| {
                        let name = s
                            .speaker
                            .as_deref()
                            .map_or("no speaker".to_string(), |n| format!("{n:?}"));
                        format!(
                            "{} {name} {}",
                            s.extractor,
                            if s.correct { "✓" } else { "✗" }
                        )
                    })
                    .collect();
                let missed = if d.missed_by.is_empty() {
                    String::new()
                } else {
                    format!("; missed by {}", d.missed_by.join(", "))
                };
                writeln!(
                    out,
                    "  {id} {}: speakers differ: {}{missed}",
                    d.gold,
                    given.join(", ")
                )?;
            }
        }
        if all.len() > disagreements {
            writeln!(
                out,
                "  … and {} more (see --json)",
                all.len() - disagreements
            )?;
        }
    }
    Ok(())
}

/// Writes the comparison as Markdown (for a CI summary or a pull request).
pub fn write_markdown(result: &RunResult, c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## quotecheck compare")?;
    writeln!(out)?;
    writeln!(
        out,
        "{} articles · scheme `{}` · {:.0}% bootstrap intervals ({} resamples, seed {})",
        result.corpus.scored,
        result.scheme,
        c.level * 100.0,
        c.resamples,
        c.seed
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| extractor | end-to-end F1 | content F1 | speaker | cue | failed |"
    )?;
    writeln!(out, "|---|---|---|---:|---:|---:|")?;
    for e in &c.extractors {
        let (Some(content), Some(attribution)) = (&e.content, &e.attribution) else {
            writeln!(
                out,
                "| {} | **{}** | — | — | — | {} |",
                e.name,
                not_run(e),
                e.failures
            )?;
            continue;
        };
        writeln!(
            out,
            "| {} | **{}** | {} | {} | {} | {} |",
            e.name,
            figure(attribution),
            figure(content),
            opt(e.speaker_accuracy),
            opt(e.cue_accuracy),
            e.failures
        )?;
    }
    if !c.pairs.is_empty() {
        writeln!(out)?;
        writeln!(out, "| a − b | end-to-end F1 | content F1 | articles won |")?;
        writeln!(out, "|---|---|---|---|")?;
        for p in &c.pairs {
            writeln!(
                out,
                "| {} − {} | {} | {} | {} / {} / {} tied |",
                p.a,
                p.b,
                difference(&p.attribution),
                difference(&p.content),
                p.a_wins,
                p.b_wins,
                p.ties
            )?;
        }
        writeln!(out)?;
        writeln!(out, "p-values: {}.", c.test)?;
    }
    writeln!(out)?;
    let ran: Vec<usize> = (0..c.extractors.len())
        .filter(|&i| c.extractors[i].content.is_some())
        .collect();
    write!(out, "| article |")?;
    for &i in &ran {
        write!(out, " {} |", c.extractors[i].name)?;
    }
    writeln!(out, " winner |")?;
    writeln!(out, "|---|{}---|", "---:|".repeat(ran.len()))?;
    for a in &c.articles {
        write!(out, "| `{}` |", a.id)?;
        for &i in &ran {
            write!(out, " {} |", a.f1[i].map_or("—".to_string(), fmt3))?;
        }
        let winner = match (&a.winner, ran.len()) {
            (Some(w), _) => w.as_str(),
            (None, 0 | 1) => "—",
            (None, _) => "tie",
        };
        writeln!(out, " {winner} |")?;
    }
    Ok(())
}
