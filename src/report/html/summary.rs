//! The top of the page: header, filters, the summary tables, the legend,
//! corpus problems and the chart of per-article end-to-end F1.
//!
//! Formats the totals of a [`RunResult`]; it knows nothing of article
//! texts.

use maud::{html, Markup};

use super::page::{article_anchor, Entry};
use crate::corpus::Issue;
use crate::report::fmt3;
use crate::run::RunResult;
use crate::score::{Accuracy, Counts, Criterion};
use crate::snapshot::Highlight;
use crate::text::{printable, printable_line};

/// `1 article`, `2 articles`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The kind filter's names: `none` for untyped quotes and predictions.
const KINDS: [&str; 4] = ["direct", "indirect", "mixed", "none"];

fn acc(a: Accuracy) -> Markup {
    match a.value() {
        Some(v) => html! { (fmt3(v)) " " span.dim { "(" (a.correct) "/" (a.of) ")" } },
        None => html! { span.dim { "n/a" } },
    }
}

fn label(c: Criterion) -> &'static str {
    match c {
        Criterion::Content => "content",
        Criterion::Attribution => "end-to-end",
        Criterion::Cue => "cue",
        Criterion::Kind => "kind",
    }
}

/// Criteria in the order the summary shows them: the headline first.
const SHOWN: [Criterion; 4] = [
    Criterion::Attribution,
    Criterion::Content,
    Criterion::Cue,
    Criterion::Kind,
];

/// The header, filters, summary, chart and corpus problems.
pub(super) fn top(result: &RunResult, entries: &[Entry<'_>], unavailable: Option<&str>) -> Markup {
    let c = &result.corpus;
    let mut facts = vec![format!("{} scored", count(c.scored, "article"))];
    if c.unannotated > 0 {
        facts.push(format!("{} unannotated (not scored)", c.unannotated));
    }
    if let (Some((k, n)), true) = (result.shard, c.other_shards > 0) {
        facts.push(format!("shard {k}/{n}: {} in other shards", c.other_shards));
    }
    if c.not_selected > 0 {
        facts.push(format!("{} not selected", c.not_selected));
    }
    if c.drafts_skipped > 0 {
        facts.push(format!("{} draft (not scored)", c.drafts_skipped));
    }
    if c.broken_count() > 0 {
        facts.push(format!("{} unreadable", c.broken_count()));
    }
    let several = result.extractors.len() > 1;
    html! {
        header.top {
            h1 { "quotecheck report" }
            p.meta {
                "corpus " code { (printable_line(&c.path)) } " · " (facts.join(", ")) " · scheme " code { (result.scheme.to_string()) }
            }
        }
        form #filters .filters hidden aria-label="filters" {
            label.only { input #only-mismatches type="checkbox"; " only mismatches" }
            fieldset {
                legend { "verdict" }
                @for v in Highlight::SCORED {
                    label { input type="checkbox" name="v" value=(v.as_str()) checked; " " span class={"sw v-" (v.as_str())} {} (v.as_str()) }
                }
            }
            fieldset {
                legend { "kind" }
                @for k in KINDS {
                    label { input type="checkbox" name="k" value=(k) checked; " " (if k == "none" { "untyped" } else { k }) }
                }
            }
            @if several {
                fieldset {
                    legend { "extractor" }
                    @for (x, e) in result.extractors.iter().enumerate() {
                        label { input type="checkbox" name="x" value=(x) checked; " " span class={"sw c" (x % 6)} {} (e.name) }
                    }
                }
            }
            output #shown {}
        }
        section #summary {
            @if let Some(why) = unavailable {
                div.problems { p { b { "Article texts are not shown" } ": " (printable(why)) "." } }
            }
            h2 { "Summary" }
            (summary_table(result))
            (extra_table(result))
            @for e in &result.extractors {
                @if !e.issues.is_empty() {
                    div.problems {
                        p { b { (e.name) } ": " (e.issues.len()) " problem(s) with the extractor's output" }
                        (issue_list(&e.issues))
                    }
                }
            }
            @if c.broken_count() > 0 {
                div.problems.bad {
                    p { b { (c.broken_count()) " article(s) could not be loaded and were not scored" } " (" code { "quotecheck validate" } " lists every problem):" }
                    ul {
                        @for b in &c.broken {
                            li { code { (printable_line(&b.id)) } ": " (printable_line(b.issues.first().map_or("", |i| i.message.lines().next().unwrap_or("")))) }
                        }
                        @if c.more_broken > 0 {
                            li { "… and " (c.more_broken) " more" }
                        }
                    }
                }
            }
            (legend())
        }
        (chart(result, entries))
    }
}

fn figure_cells(counts: Counts, strong: bool) -> Markup {
    html! {
        td.num { (fmt3(counts.p())) }
        td.num { (fmt3(counts.r())) }
        @if strong { td.num.f1 { b { (fmt3(counts.f1())) } } } @else { td.num.f1 { (fmt3(counts.f1())) } }
    }
}

fn summary_table(result: &RunResult) -> Markup {
    html! {
        table.summary {
            caption { "Micro precision, recall and F1 over the scored articles" }
            thead {
                tr {
                    th rowspan="2" { "extractor" }
                    th rowspan="2" { "articles" }
                    @for c in SHOWN {
                        th colspan="3" class=(if c == Criterion::Attribution { "grp head" } else { "grp" }) { (label(c)) }
                    }
                }
                tr {
                    @for _ in SHOWN { th.sub { "P" } th.sub { "R" } th.sub.f1 { "F1" } }
                }
            }
            tbody {
                @for (x, e) in result.extractors.iter().enumerate() {
                    tr {
                        th.name { span class={"sw c" (x % 6)} {} (e.name) @if let Some(v) = &e.version { " " span.dim { (printable_line(v)) } } }
                        td.num { (e.totals.articles()) }
                        @for c in SHOWN { (figure_cells(e.totals.counts(c), c == Criterion::Attribution)) }
                    }
                }
            }
        }
    }
}

fn extra_table(result: &RunResult) -> Markup {
    html! {
        table.summary.extra {
            caption { "Accuracy on found quotes, per-kind figures and failures" }
            thead {
                tr {
                    th { "extractor" }
                    th { "end-to-end TP / FP / FN" }
                    th { "macro F1" }
                    th { "speaker acc." }
                    th { "cue acc." }
                    th { "kind acc." }
                    th { "recall by gold kind" }
                    th { "precision by predicted kind" }
                    th { "fidelity" }
                    th { "failed" }
                }
            }
            tbody {
                @for (x, e) in result.extractors.iter().enumerate() {
                    @let t = &e.totals;
                    @let n = t.counts(Criterion::Attribution);
                    @let failed = e.failed();
                    tr {
                        th.name { span class={"sw c" (x % 6)} {} (e.name) }
                        td.num { (n.tp) " / " (n.fp) " / " (n.fn_) }
                        td.num { (fmt3(t.macro_figures(Criterion::Attribution).f1)) }
                        td.num { (acc(t.speaker_accuracy())) }
                        td.num { (acc(t.cue_accuracy())) }
                        td.num { (acc(t.kind_accuracy())) }
                        td {
                            @for (k, r) in t.kind_recall() {
                                span.kv { (k.as_str()) " " (fmt3(r.recall())) " " span.dim { "(" (r.tp) "/" (r.total) ")" } }
                            }
                        }
                        td {
                            @for (k, p) in t.kind_precision() {
                                span.kv { (k.as_str()) " " (fmt3(p.precision())) " " span.dim { "(" (p.tp) "/" (p.tp + p.fp) ")" } }
                            }
                        }
                        td {
                            @for f in crate::align::Fidelity::ALL {
                                @let n = t.fidelity().get(f);
                                @if n > 0 { span.kv { (f.as_str()) " " (n) } }
                            }
                        }
                        td.num class=(if failed > 0 { "bad" } else { "" }) { (failed) }
                    }
                }
            }
        }
    }
}

fn legend() -> Markup {
    html! {
        div.legend {
            @for v in Highlight::SCORED {
                span.item { mark class={"key v-" (v.as_str())} { (v.as_str()) } " " span.dim { (v.meaning()) } }
            }
            span.item { mark.key.v-matched.wrong { "matched" } " " span.dim { "with a wrong speaker, cue or kind" } }
            span.item { span.m.spk { "speaker" } " / " span.m.cue { "cue" } " " span.dim { "in the gold" } }
            span.item { span.m.pspk { "speaker" } " / " span.m.pcue { "cue" } " " span.dim { "predicted" } " " span.m.pspk.bad { "wrong" } }
        }
    }
}

/// A bar chart of each article's end-to-end F1, one bar per extractor,
/// each linking to its article.
fn chart(result: &RunResult, entries: &[Entry<'_>]) -> Markup {
    if entries.is_empty() || result.extractors.is_empty() {
        return html! {};
    }
    const BAR: usize = 10;
    const GAP: usize = 6;
    let group = result.extractors.len() * BAR + GAP;
    let width = (entries.len() * group).max(100);
    html! {
        section #chart {
            h2 { "End-to-end F1 per article" }
            div.chart {
                div.axis { span { "1" } span { "0.5" } span { "0" } }
                svg viewBox={"0 0 " (width) " 100"} preserveAspectRatio="none" role="img" aria-label="End-to-end F1 of each article, in corpus order" {
                    line.grid x1="0" y1="0.5" x2=(width) y2="0.5" {}
                    line.grid x1="0" y1="50" x2=(width) y2="50" {}
                    line.grid x1="0" y1="99.5" x2=(width) y2="99.5" {}
                    @for (i, entry) in entries.iter().enumerate() {
                        @for (x, a) in entry.results.iter().enumerate() {
                            @if let Some(a) = a {
                                @let f1 = a.score.counts(Criterion::Attribution).f1();
                                @let h = (f1 * 100.0).max(2.0);
                                a href={"#" (article_anchor(entry.id))} data-x=(x) {
                                    rect class={"bar c" (x % 6) @if a.failure.is_some() { " failed" }}
                                        x=(i * group + GAP / 2 + x * BAR) y=(format!("{:.2}", 100.0 - h))
                                        width=(BAR - 1) height=(format!("{h:.2}")) {
                                        title {
                                            (entry.id) " · " (result.extractors[x].name) ": " (fmt3(f1))
                                            @if let Some(f) = &a.failure { " (" (f.kind.as_str()) ")" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p.dim.small { (count(entries.len(), "article")) " in corpus order; a bar links to its article. " @if result.extractors.len() > 1 { "Bars are coloured by extractor as in the summary." } }
        }
    }
}

pub(super) fn issue_list(issues: &[Issue]) -> Markup {
    html! {
        ul.issues {
            @for i in issues {
                li {
                    span class={"sev " (i.severity.to_string())} { (i.severity.to_string()) }
                    " " (printable(&i.message))
                    @if let Some(r) = &i.record { " " span.dim { "(record " (printable_line(r)) ")" } }
                    @if let Some(p) = &i.path { " " span.dim { "at " code { (printable_line(p)) } } }
                    @if let Some(h) = &i.hint { br; span.dim { "hint: " (printable(h)) } }
                }
            }
        }
    }
}
