//! The terminal report: the figures a person reads after a run.
//!
//! Text quotecheck did not write (messages, a handshake's version, the id
//! of an article that could not be loaded, paths) goes through
//! [`printable`] or [`printable_line`] before any colour is added, with
//! `--color never` as with colour: no control character of the input
//! reaches the terminal.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::fmt3;
use crate::gate::{GateFailure, GateOutcome};
use crate::run::{ArticleResult, ExtractorResult, ExtractorStatus, RunResult};
use crate::score::{Accuracy, Criterion};
use crate::snapshot::GoldDiff;
use crate::text::{printable, printable_line};

/// Gold diffs to show, per extractor: (article id, diff), in the order to
/// show them.
pub type Diffs = std::collections::BTreeMap<String, Vec<(String, GoldDiff)>>;

/// How the terminal report is written.
#[derive(Clone, Copy, Debug)]
pub struct TerminalOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// How many of the worst articles to list.
    pub worst: usize,
}

impl Default for TerminalOptions {
    fn default() -> TerminalOptions {
        TerminalOptions {
            color: false,
            worst: 5,
        }
    }
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }
    fn red(&self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default().bold(), text)
    }
    fn yellow(&self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default(), text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }
}

/// Writes the terminal report of `result`.
pub fn write(
    result: &RunResult,
    options: TerminalOptions,
    diffs: &Diffs,
    out: &mut dyn Write,
) -> io::Result<()> {
    let p = Painter {
        color: options.color,
    };
    let c = &result.corpus;
    let mut parts = vec![format!("{} articles scored", c.scored)];
    if c.unannotated > 0 {
        parts.push(format!("{} unannotated (not scored)", c.unannotated));
    }
    if let (Some((k, n)), true) = (result.shard, c.other_shards > 0) {
        parts.push(format!("shard {k}/{n}: {} in other shards", c.other_shards));
    }
    if c.not_selected > 0 {
        parts.push(format!("{} not selected", c.not_selected));
    }
    if c.drafts_skipped > 0 {
        parts.push(format!(
            "{} draft (not scored; --include-drafts scores them)",
            c.drafts_skipped
        ));
    }
    if c.broken_count() > 0 {
        parts.push(p.red(&format!("{} unreadable", c.broken_count())));
    }
    writeln!(
        out,
        "{} {} · {} · scheme {}",
        p.bold("corpus"),
        printable_line(&c.path),
        parts.join(", "),
        result.scheme
    )?;
    for e in &result.extractors {
        writeln!(out)?;
        extractor(e, &p, options, out)?;
        let shown = diffs
            .get(&e.name)
            .filter(|d| !d.is_empty() && e.status().ran());
        if let Some(shown) = shown {
            writeln!(out)?;
            writeln!(
                out,
                "  {}",
                p.bold(&format!(
                    "diffs of {} article(s), gold (-) against {} (+):",
                    shown.len(),
                    e.name
                ))
            )?;
            for (_, diff) in shown {
                writeln!(out)?;
                diff.write_colored(out, options.color)?;
            }
        }
    }
    if c.broken_count() > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            p.red(&format!(
                "{} article(s) could not be loaded and were not scored:",
                c.broken_count()
            ))
        )?;
        for b in &c.broken {
            let first = b
                .issues
                .first()
                .map_or("", |i| i.message.lines().next().unwrap_or(""));
            writeln!(
                out,
                "  {}: {}",
                printable_line(&b.id),
                printable_line(first)
            )?;
        }
        if c.more_broken > 0 {
            writeln!(out, "  … and {} more", c.more_broken)?;
        }
        writeln!(
            out,
            "  run `quotecheck validate {}` for every problem with its location",
            printable_line(&c.path)
        )?;
    }
    Ok(())
}

fn extractor(
    e: &ExtractorResult,
    p: &Painter,
    options: TerminalOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let t = &e.totals;
    let version = e
        .version
        .as_deref()
        .map_or(String::new(), |v| format!(" {}", printable_line(v)));
    writeln!(out, "{}{version}", p.bold(&printable_line(&e.name)))?;
    let status = e.status();
    if !status.ran() {
        return did_not_score(e, &status, p, out);
    }
    let cached = e.articles.iter().filter(|a| a.cached).count() + e.dropped.cached;
    if cached > 0 {
        let outputs = e.articles.len() + e.dropped.articles;
        writeln!(
            out,
            "  {}",
            p.dim(&format!(
                "{cached} of {outputs} outputs from the cache · --no-cache to rerun"
            ))
        )?;
    }
    if let Some(u) = &e.usage {
        writeln!(out, "  {}", p.dim(&usage_line(u)))?;
    }
    if let Some(s) = &e.stability {
        writeln!(out, "  {}", super::stability::line(s))?;
    }
    writeln!(
        out,
        "  {:<12} {:>6} {:>6} {:>6}   {:>5} {:>5} {:>5}   {:>8}",
        "", "P", "R", "F1", "TP", "FP", "FN", "macro F1"
    )?;
    for c in Criterion::ALL {
        let label = match c {
            Criterion::Content => "content",
            Criterion::Attribution => "end-to-end",
            Criterion::Cue => "cue",
            Criterion::Kind => "kind",
        };
        let counts = t.counts(c);
        let f = t.micro(c);
        let line = format!(
            "  {label:<12} {:>6} {:>6} {:>6}   {:>5} {:>5} {:>5}   {:>8}",
            fmt3(f.p),
            fmt3(f.r),
            fmt3(f.f1),
            counts.tp,
            counts.fp,
            counts.fn_,
            fmt3(t.macro_figures(c).f1)
        );
        if c == Criterion::Attribution {
            writeln!(out, "{}", p.bold(&line))?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    let acc = |a: Accuracy| {
        a.value().map_or("n/a".to_string(), |v| {
            format!("{} ({}/{})", fmt3(v), a.correct, a.of)
        })
    };
    writeln!(
        out,
        "  accuracy on found quotes: speaker {}, cue {}, kind {}",
        acc(t.speaker_accuracy()),
        acc(t.cue_accuracy()),
        acc(t.kind_accuracy())
    )?;
    let recall: Vec<String> = t
        .kind_recall()
        .iter()
        .map(|(k, r)| format!("{} {} ({}/{})", k.as_str(), fmt3(r.recall()), r.tp, r.total))
        .collect();
    if !recall.is_empty() {
        writeln!(out, "  recall by gold kind: {}", recall.join(", "))?;
    }
    let precision: Vec<String> = t
        .kind_precision()
        .iter()
        .map(|(k, v)| {
            format!(
                "{} {} ({}/{})",
                k.as_str(),
                fmt3(v.precision()),
                v.tp,
                v.tp + v.fp
            )
        })
        .collect();
    if !precision.is_empty() {
        writeln!(
            out,
            "  precision by predicted kind: {}",
            precision.join(", ")
        )?;
    }
    if !t.fidelity().all_verbatim() {
        writeln!(out, "  fidelity of quotes given as text: {}", t.fidelity())?;
    }
    match e.ignored() {
        0 => {}
        1 => writeln!(
            out,
            "  ignored regions: 1 prediction set aside (neither TP nor FP)"
        )?,
        n => writeln!(
            out,
            "  ignored regions: {n} predictions set aside (neither TP nor FP)"
        )?,
    }

    let mut worst: Vec<_> = e
        .articles
        .iter()
        .map(|a| (a.score.counts(Criterion::Attribution).f1(), a))
        .filter(|(f1, _)| *f1 < 1.0)
        .collect();
    // Worst first; ties by id so the list is stable.
    worst.sort_by(|(fa, a), (fb, b)| fa.total_cmp(fb).then_with(|| a.id.cmp(&b.id)));
    if !worst.is_empty() && options.worst > 0 {
        writeln!(out, "  worst articles by end-to-end F1:")?;
        for (f1, a) in worst.iter().take(options.worst) {
            let c = a.score.counts(Criterion::Attribution);
            let failed = a
                .failure
                .as_ref()
                .map_or(String::new(), |f| format!("  {}", p.red(f.kind.as_str())));
            writeln!(
                out,
                "    {:>6}  {}  {}{failed}",
                fmt3(*f1),
                a.id,
                p.dim(&format!("TP {} FP {} FN {}", c.tp, c.fp, c.fn_))
            )?;
        }
        // Articles a run did not keep count too.
        let below_one = worst.len() + e.dropped.below_one;
        if below_one > options.worst {
            writeln!(
                out,
                "    {}",
                p.dim(&format!(
                    "… and {} more below 1.000",
                    below_one - options.worst
                ))
            )?;
        }
    }
    let failures: Vec<_> = e.failures().collect();
    if !failures.is_empty() {
        writeln!(
            out,
            "  {}",
            p.red(&format!(
                "failed on {} article(s) (scored as empty):",
                e.failed()
            ))
        )?;
        failure_groups(&failures, out)?;
        more_failures(e, p, out)?;
    }
    record_issues(e, p, out)?;
    extractor_issues(e, None, p, out)
}

/// How many problems in an extractor's records are listed.
const RECORD_ISSUES_LISTED: usize = 5;

/// The problems in an extractor's records: how many, the first few in
/// corpus order (code, article, record, message), then how many more.
/// Tokens, cost and latency of an extractor that reports them.
fn usage_line(u: &crate::extract::Usage) -> String {
    let mut parts = vec![
        format!("{} asked", u.requests),
        format!(
            "tokens: {} prompt, {} completion",
            u.prompt_tokens, u.completion_tokens
        ),
    ];
    if let Some(cost) = u.cost {
        parts.push(format!("cost {cost:.4}"));
    }
    if let Some(l) = u.latency_ms {
        parts.push(format!("latency p50 {}ms, p95 {}ms", l.p50, l.p95));
    }
    parts.join(" · ")
}

fn record_issues(e: &ExtractorResult, p: &Painter, out: &mut dyn Write) -> io::Result<()> {
    let total: usize =
        e.articles.iter().map(|a| a.issues.len()).sum::<usize>() + e.dropped.record_issues;
    if total == 0 {
        return Ok(());
    }
    writeln!(
        out,
        "  {}",
        p.yellow(&format!("{total} problem(s) in the extractor's records:"))
    )?;
    let mut first: Vec<(usize, &crate::corpus::Issue)> = e
        .articles
        .iter()
        .flat_map(|a| a.issues.iter().map(move |i| (a.position, i)))
        .chain(e.dropped.first_issues.iter().map(|(pos, i)| (*pos, i)))
        .collect();
    first.sort_by_key(|(position, _)| *position);
    for (_, issue) in first.iter().take(RECORD_ISSUES_LISTED) {
        let place = [issue.article.as_deref(), issue.record.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let message = issue.message.lines().next().unwrap_or("");
        writeln!(
            out,
            "    {} {}: {}",
            p.yellow(issue.code),
            printable_line(&place),
            printable_line(message)
        )?;
    }
    let shown = first.len().min(RECORD_ISSUES_LISTED);
    if total > shown {
        writeln!(
            out,
            "    {}",
            p.dim(&format!(
                "… and {} more (the JSON report, --json, has every one)",
                total - shown
            ))
        )?;
    }
    Ok(())
}

/// The failures a run counted but did not keep (past
/// [`FailureTail::KEPT`](crate::run::FailureTail::KEPT) of them).
fn more_failures(e: &ExtractorResult, p: &Painter, out: &mut dyn Write) -> io::Result<()> {
    if e.more_failures.count > 0 {
        writeln!(
            out,
            "    {}",
            p.dim(&format!(
                "… and {} more failed article(s), not listed here: the JSON report (--json) lists every one",
                e.more_failures.count
            ))
        )?;
    }
    Ok(())
}

/// The failures of an extractor, one line per distinct failure: an
/// unavailable extractor fails every article with the same long message.
fn failure_groups(failures: &[&ArticleResult], out: &mut dyn Write) -> io::Result<()> {
    let mut groups: Vec<(&crate::extract::Failure, Vec<&str>)> = Vec::new();
    for a in failures {
        let f = a.failure.as_ref().expect("a failure");
        match groups
            .iter_mut()
            .find(|(g, _)| g.kind == f.kind && g.message == f.message)
        {
            Some((_, ids)) => ids.push(&a.id),
            None => groups.push((f, vec![&a.id])),
        }
    }
    for (f, ids) in groups {
        let mut message = f.message.lines();
        let first = printable_line(message.next().unwrap_or(""));
        match ids.as_slice() {
            [one] => writeln!(out, "    {one} {}: {first}", f.kind)?,
            many => {
                let shown: Vec<&str> = many.iter().take(3).copied().collect();
                let more = if many.len() > 3 {
                    format!(" and {} more", many.len() - 3)
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "    {} articles ({}{more}) {}: {first}",
                    many.len(),
                    shown.join(", "),
                    f.kind
                )?;
            }
        }
        for line in message {
            writeln!(out, "      {}", printable_line(line))?;
        }
    }
    Ok(())
}

/// What is shown of an extractor that has no figures to show: it was given
/// no article, could not start, or failed on every article. Its figures
/// (every gold quote missed, or a row of 1.000s over nothing) would say
/// nothing about it.
fn did_not_score(
    e: &ExtractorResult,
    status: &ExtractorStatus,
    p: &Painter,
    out: &mut dyn Write,
) -> io::Result<()> {
    match status {
        ExtractorStatus::Ran => return Ok(()),
        ExtractorStatus::NothingScored => writeln!(out, "  nothing scored")?,
        ExtractorStatus::Unavailable(why) => {
            let mut lines = why.lines();
            writeln!(
                out,
                "  {}: {}",
                p.red("unavailable"),
                printable_line(lines.next().unwrap_or(""))
            )?;
            for line in lines {
                writeln!(out, "    {}", printable_line(line))?;
            }
        }
        ExtractorStatus::Failed(_) => {
            let failures: Vec<_> = e.failures().collect();
            writeln!(
                out,
                "  {}",
                p.red(&format!(
                    "failed on every article ({}), so it has no figures:",
                    e.failed()
                ))
            )?;
            failure_groups(&failures, out)?;
            more_failures(e, p, out)?;
        }
    }
    extractor_issues(e, Some(status.error().unwrap_or_default()), p, out)
}

/// The extractor's own issues, each on a line, but those whose message is
/// `shown` (already printed as the reason it did not score).
fn extractor_issues(
    e: &ExtractorResult,
    shown: Option<&str>,
    p: &Painter,
    out: &mut dyn Write,
) -> io::Result<()> {
    for issue in e
        .issues
        .iter()
        .filter(|i| Some(i.message.as_str()) != shown)
    {
        writeln!(
            out,
            "  {}: {}",
            p.yellow(&issue.severity.to_string()),
            printable(&issue.message)
        )?;
    }
    Ok(())
}

/// Writes the outcome of the gates, when any gate was set.
pub fn write_gates(
    gates: &GateOutcome,
    options: TerminalOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let p = Painter {
        color: options.color,
    };
    writeln!(out)?;
    if gates.failures.is_empty() && gates.checked == 0 {
        writeln!(out, "{}", p.yellow("gates: not checked (nothing scored)"))?;
    } else if gates.failures.is_empty() {
        writeln!(out, "{}", p.bold("gates: passed"))?;
    } else {
        writeln!(
            out,
            "{}",
            p.red(&format!("gates: {} failed", gates.failures.len()))
        )?;
        for f in &gates.failures {
            writeln!(out, "  {}", printable(&f.to_string()))?;
            if let GateFailure::Regression {
                worse,
                criterion: Criterion::Attribution,
                ..
            } = f
            {
                for w in worse.iter().take(options.worst.max(1)) {
                    writeln!(
                        out,
                        "    {}  {} → {} ({:+.3})",
                        w.id,
                        fmt3(w.before),
                        fmt3(w.after),
                        w.after - w.before
                    )?;
                }
                if worse.len() > options.worst.max(1) {
                    writeln!(
                        out,
                        "    {}",
                        p.dim(&format!(
                            "… and {} more",
                            worse.len() - options.worst.max(1)
                        ))
                    )?;
                }
            }
        }
    }
    for note in &gates.notes {
        writeln!(out, "  {}: {}", p.yellow("note"), printable(note))?;
    }
    Ok(())
}

mod snapshots;
pub use snapshots::{write_snapshots, SnapshotOptions};
