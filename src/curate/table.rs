//! Curation results for people: the statistics of a corpus and the
//! agreement of two annotations as the terminal shows them. Formatting
//! only; every figure comes from [`super::stats`] and [`super::agree`].

use std::io::{self, Write};

use super::{Agreement, Stats};
use crate::align::Scheme;
use crate::report::fmt3;
use crate::score::Criterion;

fn histogram(
    out: &mut dyn Write,
    title: &str,
    data: &std::collections::BTreeMap<String, usize>,
) -> std::io::Result<()> {
    let max = data.values().copied().max().unwrap_or(0).max(1);
    writeln!(out, "{title}:")?;
    for (k, v) in data {
        let bar = "█".repeat((v * 30).div_ceil(max));
        writeln!(out, "  {k:<12} {v:>6}  {bar}")?;
    }
    Ok(())
}

/// Writes the statistics of a corpus, with small histograms.
pub fn write_stats(s: &Stats, out: &mut dyn Write) -> io::Result<()> {
    let pct = |n: usize| {
        if s.quotes == 0 {
            0.0
        } else {
            100.0 * n as f64 / s.quotes as f64
        }
    };
    writeln!(out, "corpus {}", s.corpus)?;
    writeln!(
        out,
        "  {} articles: {} annotated, {} draft, {} unannotated, {} unreadable",
        s.articles, s.annotated, s.drafts, s.unannotated, s.broken
    )?;
    writeln!(
        out,
        "  {} gold quotes: {}",
        s.quotes,
        s.kinds
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(
        out,
        "  optional {} ({:.0}%), discontinuous {} ({:.0}%), no speaker {} ({:.0}%), pronoun speakers {} ({:.0}%)",
        s.optional,
        pct(s.optional),
        s.discontinuous,
        pct(s.discontinuous),
        s.no_speaker,
        pct(s.no_speaker),
        s.pronoun_speakers,
        pct(s.pronoun_speakers)
    )?;
    writeln!(
        out,
        "  offsets units: {}",
        s.offset_units
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(out)?;
    histogram(out, "quote marks around direct quotes", &s.quote_marks)?;
    let speakers = s
        .speakers_per_article
        .iter()
        .map(|(k, v)| (format!("{k:>3}"), *v))
        .collect();
    histogram(out, "speakers per annotated article", &speakers)?;
    histogram(out, "content length (tokens)", &s.content_tokens)?;
    histogram(out, "article length (characters)", &s.article_chars)?;
    Ok(())
}

/// Writes the agreement of two annotations: both directions, then the
/// `worst` articles with disagreements, then the articles not paired.
pub fn write_agreement(
    g: &Agreement,
    scheme: &Scheme,
    worst: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "{} articles annotated in both ({} unpaired) · scheme {scheme}",
        g.articles,
        g.unpaired.len()
    )?;
    for (label, t) in [
        ("B against A", &g.b_against_a),
        ("A against B", &g.a_against_b),
    ] {
        let c = t.micro(Criterion::Content);
        let e = t.micro(Criterion::Attribution);
        let acc = |v: Option<f64>| v.map_or("n/a".into(), fmt3);
        writeln!(
            out,
            "  {label}: content F1 {} (P {} R {}), end-to-end F1 {}, speaker agreement {}, cue agreement {}",
            fmt3(c.f1),
            fmt3(c.p),
            fmt3(c.r),
            fmt3(e.f1),
            acc(t.speaker_accuracy().value()),
            acc(t.cue_accuracy().value())
        )?;
    }
    let disagreeing: Vec<_> = g
        .per_article
        .iter()
        .filter(|a| !a.only_a.is_empty() || !a.only_b.is_empty() || !a.speaker_differs.is_empty())
        .collect();
    if disagreeing.is_empty() {
        writeln!(out, "the two annotations agree on every quote")?;
    } else {
        writeln!(
            out,
            "\n{} articles with disagreements, worst first:",
            disagreeing.len()
        )?;
        for a in disagreeing.iter().take(worst) {
            writeln!(
                out,
                "  {} (end-to-end F1 {})",
                a.id,
                fmt3(a.score.counts(Criterion::Attribution).f1())
            )?;
            if !a.only_a.is_empty() {
                writeln!(out, "    only in A: {}", a.only_a.join(", "))?;
            }
            if !a.only_b.is_empty() {
                writeln!(out, "    only in B: {}", a.only_b.join(", "))?;
            }
            for (id, sa, sb) in &a.speaker_differs {
                writeln!(out, "    {id}: speaker {sa} in A, {sb} in B")?;
            }
        }
        writeln!(
            out,
            "\nnext: settle these quotes between the annotators, then update one side and rerun"
        )?;
    }
    for (id, why) in &g.unpaired {
        writeln!(out, "  unpaired {id}: {why}")?;
    }
    Ok(())
}
