//! The HTML report (`--html PATH`): one self-contained page to read a run.
//!
//! The page holds the summary table, a chart of per-article end-to-end F1,
//! and one section per scored article: its text with every quote
//! highlighted by verdict (matched, missed, spurious, optional), speaker
//! mentions and cues linked to the record of their quote, one `<details>`
//! per record, and the gold diff, with the extractors side by side. A
//! small script adds filters (only mismatches, by verdict, by kind, by
//! extractor) and links marks to records on click; with scripts off the
//! page shows everything and reads the same.
//!
//! Markup is written with [`maud`], whose templates escape every value
//! they interpolate; the highlighted text, built piece by piece, goes
//! through the same escaper ([`maud::Escaper`]). Nothing from a corpus, a
//! configuration or an extractor is ever written unescaped, attributes are
//! always double-quoted, and the only values in `href`, `id` and `data-*`
//! attributes are made here from numbers and fixed names (article anchors
//! are encoded, see [`article_anchor`]). The page loads nothing: its style
//! and script are inline, allowed by hash in a Content-Security-Policy
//! that forbids every other script, style and resource.
//!
//! Like every report it formats and never scores: counts and figures come
//! from [`crate::score`], pairings and verdicts from [`crate::align`], the
//! diff from [`crate::snapshot`]. Article texts and gold are not part of a
//! [`RunResult`], so the caller passes them in ([`Texts`]); they are read
//! one at a time while the page is written, so memory holds the result and
//! one article, not the corpus.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use maud::{html, Escaper, Markup, PreEscaped, DOCTYPE};
use sha2::{Digest, Sha256};

use super::fmt3;
use crate::align::{GoldVerdict, PredictionVerdict};
use crate::corpus::{
    Article, GoldQuote, Issue, Kind, OffsetIndex, OffsetUnit, PredMention, PredPart, Prediction,
    Span,
};
use crate::run::{ArticleResult, ExtractorResult, RunResult};
use crate::score::{Accuracy, Counts, Criterion};
use crate::snapshot::{gold_diff, DiffLabels, GoldDiff, LineTag};

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

/// Where the page gets the articles' texts and gold from.
pub enum Texts<'a> {
    /// The corpus articles, in corpus order; articles the result does not
    /// score are skipped. Each is used while its section is written and
    /// then dropped.
    Articles(Box<dyn Iterator<Item = Article> + 'a>),
    /// The texts cannot be shown, for this reason (said on the page).
    Unavailable(String),
}

/// Whether `result` carries the pairing of every article, as a run does: a
/// result rebuilt from JSON reports (`quotecheck merge`) keeps counts only,
/// and its articles cannot be highlighted.
pub fn carries_pairings(result: &RunResult) -> bool {
    result.extractors.iter().flat_map(|e| &e.articles).all(|a| {
        let c = a.score.counts(Criterion::Content);
        let alignment = &a.score.alignment;
        alignment.gold.len() == a.gold_ids.len()
            && alignment.predictions.len() == a.predictions.len()
            && (c.tp + c.fn_) as usize <= alignment.gold.len()
            && c.fp as usize <= alignment.predictions.len()
    })
}

/// Writes the page for `result`.
pub fn write(result: &RunResult, texts: Texts<'_>, out: &mut dyn Write) -> io::Result<()> {
    let entries = entries(result);
    out.write_all(head(result).into_string().as_bytes())?;
    out.write_all(b"<body>")?;
    let unavailable = match &texts {
        Texts::Unavailable(why) => Some(why.as_str()),
        Texts::Articles(_) => None,
    };
    out.write_all(top(result, &entries, unavailable).into_string().as_bytes())?;
    out.write_all(b"<main id=\"articles\">")?;
    let mut pending: HashMap<&str, usize> =
        entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    match texts {
        Texts::Articles(articles) => {
            for article in articles {
                let Some(i) = pending.remove(article.id.as_str()) else {
                    continue;
                };
                let section = section(result, &entries[i], Source::Article(&article));
                out.write_all(section.into_string().as_bytes())?;
            }
            let missing = "the article is not in the corpus any more";
            for entry in entries.iter().filter(|e| pending.contains_key(e.id)) {
                let section = section(result, entry, Source::Missing(missing));
                out.write_all(section.into_string().as_bytes())?;
            }
        }
        Texts::Unavailable(_) => {
            for entry in &entries {
                let section = section(result, entry, Source::Missing("see the note at the top"));
                out.write_all(section.into_string().as_bytes())?;
            }
        }
    }
    out.write_all(b"</main>")?;
    out.write_all(bottom().into_string().as_bytes())?;
    out.write_all(b"</body></html>\n")?;
    Ok(())
}

/// One scored article and each extractor's result on it.
struct Entry<'r> {
    id: &'r str,
    /// Indexed like `result.extractors`.
    results: Vec<Option<&'r ArticleResult>>,
}

/// The scored articles in corpus order.
fn entries(result: &RunResult) -> Vec<Entry<'_>> {
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut entries: Vec<(usize, Entry<'_>)> = Vec::new();
    let n = result.extractors.len();
    for (x, e) in result.extractors.iter().enumerate() {
        for a in &e.articles {
            let i = *at.entry(&a.id).or_insert_with(|| {
                entries.push((
                    a.position,
                    Entry {
                        id: &a.id,
                        results: vec![None; n],
                    },
                ));
                entries.len() - 1
            });
            entries[i].1.results[x] = Some(a);
        }
    }
    entries.sort_by(|(p, a), (q, b)| p.cmp(q).then_with(|| a.id.cmp(b.id)));
    entries.into_iter().map(|(_, e)| e).collect()
}

/// The anchor of an article's section: `a-` and the id, with every
/// character outside `[A-Za-z0-9._/-]` written `~hex~`. Safe ids (the only
/// ones a corpus has) are kept as they are, so `#a-bbc-libya` links to an
/// article; any other string is encoded without collisions.
pub fn article_anchor(id: &str) -> String {
    let mut s = String::from("a-");
    for c in id.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '.' | '_' | '-' | '/' => s.push(c),
            c => {
                let _ = write!(s, "~{:x}~", c as u32);
            }
        }
    }
    s
}

/// Escapes `s` for HTML text or a double-quoted attribute value.
fn esc(out: &mut String, s: &str) {
    Escaper::new(out)
        .write_str(s)
        .expect("writing to a String cannot fail");
}

/// Standard base64, for the hashes of the Content-Security-Policy.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn sha256(s: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(s.as_bytes())))
}

fn head(result: &RunResult) -> Markup {
    // Nothing may load: no network, no file, no other script or style.
    let csp = format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        sha256(SCRIPT),
        sha256(STYLE)
    );
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(csp);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("quotecheck {}", env!("CARGO_PKG_VERSION")));
                title { "quotecheck · " (result.corpus.path) }
                style { (PreEscaped(STYLE)) }
            }
        }
    }
}

/// The verdict a highlighted quote or a record is shown with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Matched,
    Missed,
    Spurious,
    Optional,
}

impl Verdict {
    const ALL: [Verdict; 4] = [
        Verdict::Matched,
        Verdict::Missed,
        Verdict::Spurious,
        Verdict::Optional,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Verdict::Matched => "matched",
            Verdict::Missed => "missed",
            Verdict::Spurious => "spurious",
            Verdict::Optional => "optional",
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            Verdict::Matched => "a required gold quote found (content TP)",
            Verdict::Missed => "a required gold quote not found (FN)",
            Verdict::Spurious => "a prediction matching no gold quote (FP)",
            Verdict::Optional => "an optional gold quote, found or not (no penalty)",
        }
    }
}

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

fn kind_name(kind: Option<Kind>) -> &'static str {
    kind.map_or("none", |k| k.as_str())
}

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

/// Whether an extractor got an article wholly right: every criterion
/// without FP and FN, and no failure.
fn is_match(a: &ArticleResult) -> bool {
    a.failure.is_none()
        && Criterion::ALL.iter().all(|&c| {
            let n = a.score.counts(c);
            n.fp == 0 && n.fn_ == 0
        })
}

/// The header, filters, summary, chart and corpus problems.
fn top(result: &RunResult, entries: &[Entry<'_>], unavailable: Option<&str>) -> Markup {
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
    if !c.broken.is_empty() {
        facts.push(format!("{} unreadable", c.broken.len()));
    }
    let several = result.extractors.len() > 1;
    html! {
        header.top {
            h1 { "quotecheck report" }
            p.meta {
                "corpus " code { (c.path) } " · " (facts.join(", ")) " · scheme " code { (result.scheme.to_string()) }
            }
        }
        form #filters .filters hidden aria-label="filters" {
            label.only { input #only-mismatches type="checkbox"; " only mismatches" }
            fieldset {
                legend { "verdict" }
                @for v in Verdict::ALL {
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
                div.problems { p { b { "Article texts are not shown" } ": " (why) "." } }
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
            @if !c.broken.is_empty() {
                div.problems.bad {
                    p { b { (c.broken.len()) " article(s) could not be loaded and were not scored" } " (" code { "quotecheck validate" } " lists every problem):" }
                    ul {
                        @for b in &c.broken {
                            li { code { (b.id) } ": " (b.issues.first().map_or("", |i| i.message.lines().next().unwrap_or(""))) }
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
                        th.name { span class={"sw c" (x % 6)} {} (e.name) @if let Some(v) = &e.version { " " span.dim { (v) } } }
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
                    th { "failed" }
                }
            }
            tbody {
                @for (x, e) in result.extractors.iter().enumerate() {
                    @let t = &e.totals;
                    @let n = t.counts(Criterion::Attribution);
                    @let failed = e.failures().count();
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
            @for v in Verdict::ALL {
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

fn bottom() -> Markup {
    html! {
        footer.bottom {
            "Written by quotecheck " (env!("CARGO_PKG_VERSION")) ". Positions are code points; "
            "figures are defined in the scoring contract (docs/scoring.md)."
        }
        script { (PreEscaped(SCRIPT)) }
    }
}

fn issue_list(issues: &[Issue]) -> Markup {
    html! {
        ul.issues {
            @for i in issues {
                li {
                    span class={"sev " (i.severity.to_string())} { (i.severity.to_string()) }
                    " " (i.message)
                    @if let Some(r) = &i.record { " " span.dim { "(record " (r) ")" } }
                    @if let Some(p) = &i.path { " " span.dim { "at " code { (p) } } }
                    @if let Some(h) = &i.hint { br; span.dim { "hint: " (h) } }
                }
            }
        }
    }
}

/// Where an article's text comes from.
enum Source<'a> {
    Article(&'a Article),
    /// Not available, for this reason.
    Missing(&'a str),
}

/// The section of one article: its extractors side by side.
fn section(result: &RunResult, entry: &Entry<'_>, source: Source<'_>) -> Markup {
    let anchor = article_anchor(entry.id);
    let all_match = entry.results.iter().flatten().all(|a| is_match(a));
    let columns = entry.results.len().clamp(1, 3);
    html! {
        article.art id=(anchor) data-ok=(if all_match { "1" } else { "0" }) {
            h2 {
                a.anchor href={"#" (anchor)} { (entry.id) }
                span.badges {
                    @for (x, a) in entry.results.iter().enumerate() {
                        @if let Some(a) = a {
                            @let f1 = a.score.counts(Criterion::Attribution).f1();
                            span class={"badge c" (x % 6) @if a.failure.is_some() { " failed" }} data-x=(x) title={(result.extractors[x].name) ": end-to-end F1"} {
                                @if entry.results.len() > 1 { (result.extractors[x].name) " " }
                                (fmt3(f1))
                            }
                        }
                    }
                }
            }
            div class={"cols n" (columns)} {
                @for (x, a) in entry.results.iter().enumerate() {
                    (column(result, x, entry.id, a.as_ref().copied(), &source))
                }
            }
        }
    }
}

/// Whether `a` was made from `article` as it is now: the same gold records
/// and prediction spans that fit the text. A corpus edited since the run
/// fails this, and its text is then not highlighted.
fn fits(a: &ArticleResult, article: &Article) -> bool {
    let gold = gold_of(article);
    let text = &article.text;
    let span_fits = |s: Span| {
        s.start <= s.end && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
    };
    let mention_fits = |m: &Option<PredMention>| {
        m.as_ref()
            .and_then(|m| m.span)
            .is_none_or(|s: Span| span_fits(s))
    };
    a.gold_ids.len() == gold.len()
        && a.gold_ids.iter().zip(gold).all(|(id, g)| *id == g.id)
        && a.score.alignment.gold.len() == gold.len()
        && a.score.alignment.predictions.len() == a.predictions.len()
        && a.predictions.iter().all(|p| {
            p.content.iter().all(|part| match part {
                PredPart::Located(s) => span_fits(*s),
                PredPart::Text(_) => true,
            }) && mention_fits(&p.speaker)
                && mention_fits(&p.cue)
        })
}

fn gold_of(article: &Article) -> &[GoldQuote] {
    article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..])
}

/// One extractor's column in an article's section.
fn column(
    result: &RunResult,
    x: usize,
    article_id: &str,
    a: Option<&ArticleResult>,
    source: &Source<'_>,
) -> Markup {
    let e = &result.extractors[x];
    let Some(a) = a else {
        return html! {
            div.col data-x=(x) data-ok="1" {
                h3 { span.name { span class={"sw c" (x % 6)} {} (e.name) } }
                p.notice { "Not scored for this extractor." }
            }
        };
    };
    let e2e = a.score.counts(Criterion::Attribution);
    let body = match source {
        Source::Article(article) if fits(a, article) => {
            Ok(Highlighted::new(result, e, x, a, article))
        }
        Source::Article(_) => {
            Err("the article's gold or text in the corpus no longer matches these results")
        }
        Source::Missing(why) => Err(*why),
    };
    let counts = match &body {
        Ok(h) => h.verdict_counts(),
        Err(_) => [None; 4],
    };
    html! {
        div.col data-x=(x) data-ok=(if is_match(a) { "1" } else { "0" }) {
            h3 {
                span.name { span class={"sw c" (x % 6)} {} (e.name) }
                span.f1 { "end-to-end F1 " b { (fmt3(e2e.f1())) } " " span.dim { "TP " (e2e.tp) " FP " (e2e.fp) " FN " (e2e.fn_) } }
            }
            @if let Some(f) = &a.failure {
                div.failure { b { "failed: " (f.kind.as_str()) } " — " (f.message) " " span.dim { "(scored as if it found no quote)" } }
            }
            @if body.is_ok() {
                p.counts {
                    @for (v, n) in Verdict::ALL.iter().zip(counts) {
                        span class={"count v-" (v.as_str())} data-v=(v.as_str()) data-n=(n.unwrap_or(0)) title=(v.meaning()) {
                            (v.as_str()) " " b { (n.unwrap_or(0)) }
                        }
                    }
                }
            }
            @match &body {
                Ok(h) => (h.render(article_id)),
                Err(why) => p.notice { "The text is not shown: " (why) "." },
            }
            @if !a.issues.is_empty() {
                details.issues {
                    summary { (a.issues.len()) " problem(s) in the extractor's records" }
                    (issue_list(&a.issues))
                }
            }
        }
    }
}

/// A quote drawn in the text: a gold quote or a spurious prediction.
struct QuoteMark {
    /// The record it links to.
    rec: String,
    verdict: Verdict,
    kind: &'static str,
    /// A required match with a wrong speaker, cue or kind.
    wrong: bool,
    /// Shown on hover.
    title: String,
    /// Shown at its start (by the style sheet, not in the text).
    label: String,
}

/// A speaker or cue mention drawn in the text, linking to its record.
struct Mention {
    span: Span,
    class: &'static str,
    rec: String,
    title: String,
}

/// One record: a gold quote (with its prediction, if paired) or a
/// spurious prediction.
struct Record {
    id: String,
    gold: Option<usize>,
    prediction: Option<usize>,
    verdict: Verdict,
    kind: &'static str,
}

/// An extractor's result on an article, laid out for the page.
struct Highlighted<'a> {
    result: &'a RunResult,
    e: &'a ExtractorResult,
    a: &'a ArticleResult,
    article: &'a Article,
    index: OffsetIndex<'a>,
    marks: Vec<QuoteMark>,
    /// (span, index in `marks`).
    spans: Vec<(Span, usize)>,
    /// Marks of spurious predictions without a position in the text.
    unlocated: Vec<(usize, String)>,
    mentions: Vec<Mention>,
    records: Vec<Record>,
    pred_rank: Vec<usize>,
}

impl<'a> Highlighted<'a> {
    fn new(
        result: &'a RunResult,
        e: &'a ExtractorResult,
        x: usize,
        a: &'a ArticleResult,
        article: &'a Article,
    ) -> Highlighted<'a> {
        let gold = gold_of(article);
        let alignment = &a.score.alignment;
        let mut pred_rank = vec![0; a.predictions.len()];
        for (r, &p) in alignment.prediction_order.iter().enumerate() {
            pred_rank[p] = r;
        }
        let mut h = Highlighted {
            result,
            e,
            a,
            article,
            index: OffsetIndex::new(&article.text),
            marks: Vec::new(),
            spans: Vec::new(),
            unlocated: Vec::new(),
            mentions: Vec::new(),
            records: Vec::new(),
            pred_rank,
        };
        // Record ids only need to be unique on the page: the article's
        // anchor is, and the rest is made of numbers.
        let base = format!("r{}-{x}", article_anchor(&a.id));
        for &g in &alignment.gold_order {
            let q = &gold[g];
            let rec = format!("{base}-g{g}");
            let (verdict, paired, wrong) = match &alignment.gold[g] {
                GoldVerdict::Matched {
                    prediction,
                    optional,
                    speaker_correct,
                    cue_correct,
                    kind_correct,
                    ..
                } => (
                    if *optional {
                        Verdict::Optional
                    } else {
                        Verdict::Matched
                    },
                    Some(*prediction),
                    !*optional && (!*speaker_correct || !*cue_correct || !*kind_correct),
                ),
                GoldVerdict::Missed => (Verdict::Missed, None, false),
                GoldVerdict::OptionalMissed => (Verdict::Optional, None, false),
            };
            let title = h.title(Some(g), paired, verdict);
            let m = h.marks.len();
            h.marks.push(QuoteMark {
                rec: rec.clone(),
                verdict,
                kind: kind_name(q.kind),
                wrong,
                title,
                label: short(&q.id),
            });
            for &s in &q.content {
                h.spans.push((s, m));
            }
            if let Some(sp) = &q.speaker {
                h.mentions.push(Mention {
                    span: sp.span,
                    class: "spk",
                    rec: rec.clone(),
                    title: format!("speaker of {} (gold)", q.id),
                });
            }
            if let Some(cue) = q.cue {
                h.mentions.push(Mention {
                    span: cue,
                    class: "cue",
                    rec: rec.clone(),
                    title: format!("cue of {} (gold)", q.id),
                });
            }
            if let Some(p) = paired {
                h.prediction_mentions(p, &rec);
            }
            h.records.push(Record {
                id: rec,
                gold: Some(g),
                prediction: paired,
                verdict,
                kind: kind_name(q.kind),
            });
        }
        for &p in &alignment.prediction_order {
            if alignment.predictions[p] != PredictionVerdict::Spurious {
                continue;
            }
            let pred = &a.predictions[p];
            let rec = format!("{base}-p{p}");
            let m = h.marks.len();
            h.marks.push(QuoteMark {
                rec: rec.clone(),
                verdict: Verdict::Spurious,
                kind: kind_name(pred.kind),
                wrong: false,
                title: h.title(None, Some(p), Verdict::Spurious),
                label: h.pred_name(p),
            });
            let located: Vec<Span> = pred
                .content
                .iter()
                .filter_map(|part| match part {
                    PredPart::Located(s) if !s.is_empty() => Some(*s),
                    _ => None,
                })
                .collect();
            if located.is_empty() {
                h.unlocated.push((m, h.content_of(pred)));
            }
            for s in located {
                h.spans.push((s, m));
            }
            h.prediction_mentions(p, &rec);
            h.records.push(Record {
                id: rec,
                gold: None,
                prediction: Some(p),
                verdict: Verdict::Spurious,
                kind: kind_name(pred.kind),
            });
        }
        h
    }

    fn prediction_mentions(&mut self, p: usize, rec: &str) {
        let pred = &self.a.predictions[p];
        let (speaker_ok, cue_ok) = match self.a.score.alignment.predictions[p] {
            PredictionVerdict::Matched { gold: g }
            | PredictionVerdict::OptionalMatch { gold: g } => {
                match &self.a.score.alignment.gold[g] {
                    GoldVerdict::Matched {
                        speaker_correct,
                        cue_correct,
                        ..
                    } => (*speaker_correct, *cue_correct),
                    _ => (true, true),
                }
            }
            PredictionVerdict::Spurious => (true, true),
        };
        let name = self.pred_name(p);
        for (m, class, bad_class, role, ok) in [
            (&pred.speaker, "pspk", "pspk bad", "speaker", speaker_ok),
            (&pred.cue, "pcue", "pcue bad", "cue", cue_ok),
        ] {
            if let Some(span) = m.as_ref().and_then(|m| m.span).filter(|s| !s.is_empty()) {
                self.mentions.push(Mention {
                    span,
                    class: if ok { class } else { bad_class },
                    rec: rec.to_string(),
                    title: format!(
                        "{role} of {name} ({}){}",
                        self.e.name,
                        if ok { "" } else { ", wrong" }
                    ),
                });
            }
        }
    }

    /// `p<rank>`, as the gold diff names predictions.
    fn pred_name(&self, p: usize) -> String {
        format!("p{}", self.pred_rank[p] + 1)
    }

    fn cp(&self, byte: usize) -> usize {
        self.index.from_byte(OffsetUnit::Codepoint, byte)
    }

    fn at(&self, s: Span) -> String {
        format!("@{}-{}", self.cp(s.start), self.cp(s.end))
    }

    fn gold_content(&self, q: &GoldQuote) -> String {
        q.content
            .iter()
            .map(|s| s.slice(&self.article.text))
            .collect::<Vec<_>>()
            .join(" … ")
    }

    fn content_of(&self, p: &Prediction) -> String {
        if p.content.is_empty() {
            return "(no usable content)".into();
        }
        p.content
            .iter()
            .map(|part| match part {
                PredPart::Located(s) => s.slice(&self.article.text).to_string(),
                PredPart::Text(t) => t.clone(),
            })
            .collect::<Vec<_>>()
            .join(" … ")
    }

    /// The hover text of a quote.
    fn title(&self, g: Option<usize>, p: Option<usize>, verdict: Verdict) -> String {
        let gold = gold_of(self.article);
        let mut t = String::new();
        if let Some(g) = g {
            t.push_str(&gold[g].id);
        }
        if let Some(p) = p {
            if g.is_some() {
                t.push_str(" ⇄ ");
            }
            t.push_str(&self.pred_name(p));
        }
        let _ = write!(t, " · {}", verdict.as_str());
        if let Some(g) = g {
            if let GoldVerdict::Matched {
                optional,
                speaker_correct,
                cue_correct,
                kind_correct,
                ..
            } = &self.a.score.alignment.gold[g]
            {
                let mark = |ok: bool| if ok { "✓" } else { "✗" };
                let _ = write!(
                    t,
                    "{} · speaker {} · cue {} · kind {}",
                    if *optional { " (optional quote)" } else { "" },
                    mark(*speaker_correct),
                    mark(*cue_correct),
                    mark(*kind_correct)
                );
            } else if gold[g].optional {
                t.push_str(" (optional quote, not found)");
            }
            let speaker = gold[g].speaker.as_ref().map_or("none".to_string(), |s| {
                s.entity.as_ref().map_or(format!("“{}”", s.text), |e| {
                    format!("“{}” → {e}", s.text)
                })
            });
            let _ = write!(t, "\ngold speaker: {speaker}");
        }
        if let Some(p) = p {
            let speaker = self.a.predictions[p]
                .speaker
                .as_ref()
                .map_or("none".to_string(), |s| format!("“{}”", s.text));
            let _ = write!(t, "\npredicted speaker: {speaker}");
        }
        t
    }

    /// How many quotes of each verdict are highlighted, in `Verdict::ALL`
    /// order.
    fn verdict_counts(&self) -> [Option<u64>; 4] {
        let mut n = [0u64; 4];
        for m in &self.marks {
            let i = Verdict::ALL
                .iter()
                .position(|v| *v == m.verdict)
                .expect("a verdict");
            n[i] += 1;
        }
        n.map(Some)
    }

    fn render(&self, article_id: &str) -> Markup {
        let text = marked_text(&self.article.text, &self.marks, &self.spans, &self.mentions);
        html! {
            div.text dir="auto" { (PreEscaped(text)) }
            @if !self.unlocated.is_empty() {
                div.unlocated {
                    span.dim { "Not located in the text: " }
                    @for (m, content) in &self.unlocated {
                        @let q = &self.marks[*m];
                        mark class={"q loose v-" (q.verdict.as_str()) " k-" (q.kind)}
                            data-r=(q.rec) data-v=(q.verdict.as_str()) data-k=(q.kind) title=(q.title) {
                            b { (q.label) } " " (snippet(content, 80))
                        }
                        " "
                    }
                }
            }
            div.records {
                @for r in &self.records { (self.record(r)) }
            }
            (self.diff(article_id))
        }
    }

    fn record(&self, r: &Record) -> Markup {
        let gold = gold_of(self.article);
        let g = r.gold.map(|g| &gold[g]);
        let p = r.prediction.map(|p| &self.a.predictions[p]);
        let checks = r.gold.and_then(|g| match &self.a.score.alignment.gold[g] {
            GoldVerdict::Matched {
                speaker_correct,
                cue_correct,
                kind_correct,
                sim,
                ..
            } => Some((*speaker_correct, *cue_correct, *kind_correct, *sim)),
            _ => None,
        });
        let (speaker_ok, cue_ok, kind_ok) = checks.map_or((true, true, true), |c| (c.0, c.1, c.2));
        let snip = match (g, p) {
            (Some(q), _) => self.gold_content(q),
            (None, Some(p)) => self.content_of(p),
            (None, None) => String::new(),
        };
        let wrong: Vec<&str> = [
            (!speaker_ok, "speaker"),
            (!cue_ok, "cue"),
            (!kind_ok, "kind"),
        ]
        .into_iter()
        .filter_map(|(w, name)| w.then_some(name))
        .collect();
        html! {
            details class={"rec v-" (r.verdict.as_str()) " k-" (r.kind)} id=(r.id)
                data-r=(r.id) data-v=(r.verdict.as_str()) data-k=(r.kind) {
                summary {
                    span class={"chip v-" (r.verdict.as_str())} { (r.verdict.as_str()) }
                    " "
                    @if let Some(q) = g { b { (q.id) } }
                    @if g.is_some() && p.is_some() { " ⇄ " }
                    @if let Some(pi) = r.prediction { b { (self.pred_name(pi)) } }
                    @if !wrong.is_empty() { " " span.bad { (wrong.join(", ")) " ✗" } }
                    " " span.snip { "“" (snippet(&snip, 70)) "”" }
                }
                table.fields {
                    thead {
                        tr {
                            th {}
                            @if let Some(q) = g { th { "gold " (q.id) @if q.optional { " (optional)" } } }
                            @if let Some(pi) = r.prediction {
                                th {
                                    (self.pred_name(pi)) " · " (self.e.name)
                                    @if let Some(id) = &self.a.predictions[pi].id { " " span.dim { "[" (id) "]" } }
                                }
                            }
                        }
                    }
                    tbody {
                        tr {
                            th { "at" }
                            @if let Some(q) = g {
                                td { (q.content.iter().map(|s| self.at(*s)).collect::<Vec<_>>().join(" ")) }
                            }
                            @if let Some(p) = p { td { (self.pred_at(p)) } }
                        }
                        tr {
                            th { "content" }
                            @if let Some(q) = g { td.content { (self.gold_content(q)) } }
                            @if let Some(p) = p { td.content { (self.content_of(p)) } }
                        }
                        tr class=(if speaker_ok { "" } else { "bad" }) {
                            th { "speaker" }
                            @if let Some(q) = g {
                                td {
                                    @match &q.speaker {
                                        Some(s) => {
                                            "“" (s.text) "” " span.dim { (self.at(s.span)) }
                                            @if let Some(e) = &s.entity { " → " b { (e) } }
                                            @if !s.aliases.is_empty() { br; span.dim { "aliases: " (s.aliases.join(" · ")) } }
                                        }
                                        None => span.dim { "none" },
                                    }
                                }
                            }
                            @if let Some(p) = p { td { (self.mention(p.speaker.as_ref())) @if !speaker_ok { " ✗" } } }
                        }
                        tr class=(if cue_ok { "" } else { "bad" }) {
                            th { "cue" }
                            @if let Some(q) = g {
                                td {
                                    @match q.cue {
                                        Some(c) => { "“" (c.slice(&self.article.text)) "” " span.dim { (self.at(c)) } }
                                        None => span.dim { "none" },
                                    }
                                }
                            }
                            @if let Some(p) = p { td { (self.mention(p.cue.as_ref())) @if !cue_ok { " ✗" } } }
                        }
                        tr class=(if kind_ok { "" } else { "bad" }) {
                            th { "kind" }
                            @if let Some(q) = g { td { (q.kind.map_or("untyped", |k| k.as_str())) } }
                            @if let Some(p) = p { td { (p.kind.map_or("none", |k| k.as_str())) @if !kind_ok { " ✗" } } }
                        }
                        @if let Some((_, _, _, sim)) = checks {
                            tr {
                                th { "similarity" }
                                td colspan="2" {
                                    (fmt3(sim.value())) " " span.dim { "(" (sim.shared) " of " (sim.total) " tokens shared; scheme " (self.result.scheme.to_string()) ")" }
                                }
                            }
                        }
                        @if let Some(note) = g.and_then(|q| q.note.as_ref()) {
                            tr { th { "note" } td colspan="2" { (note) } }
                        }
                    }
                }
            }
        }
    }

    fn pred_at(&self, p: &Prediction) -> String {
        if p.content.is_empty() {
            return "none".into();
        }
        p.content
            .iter()
            .map(|part| match part {
                PredPart::Located(s) => self.at(*s),
                PredPart::Text(_) => "@text".into(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn mention(&self, m: Option<&PredMention>) -> Markup {
        match m {
            None => html! { span.dim { "none" } },
            Some(m) => html! {
                "“" (m.text) "”"
                @match m.span {
                    Some(s) => { " " span.dim { (self.at(s)) } }
                    None => { " " span.dim { "(by name)" } }
                }
            },
        }
    }

    fn diff(&self, article_id: &str) -> Markup {
        let diff = gold_diff(
            &self.article.text,
            gold_of(self.article),
            &self.a.predictions,
            &self.a.score.alignment,
            &self.result.scheme,
            DiffLabels {
                article: article_id,
                extractor: &self.e.name,
            },
        );
        diff_block(&diff, article_id, &self.e.name)
    }
}

/// The first `n` characters of `s`, on one line.
fn snippet(s: &str, n: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut chars = one_line.chars();
    let mut out: String = chars.by_ref().take(n).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// A label short enough to sit at the start of a quote.
fn short(s: &str) -> String {
    snippet(s, 16)
}

fn diff_block(diff: &GoldDiff, article_id: &str, extractor: &str) -> Markup {
    if !diff.has_changes() {
        return html! { p.nodiff { "Gold diff: no difference." } };
    }
    html! {
        details.diff open[!diff.is_match()] {
            summary {
                "Gold diff, gold (−) against " (extractor) " (+): " (diff.hunks().len()) " block(s)"
                @if diff.is_match() { " " span.dim { "(optional quotes only, no penalty)" } }
            }
            pre {
                span.hd { "--- gold/" (article_id) } "\n"
                span.hd { "+++ " (extractor) "/" (article_id) } "\n"
                @for hunk in diff.hunks() {
                    span.hh { "@@ -" (hunk.old_start) "," (hunk.old_len) " +" (hunk.new_start) "," (hunk.new_len) " @@" } "\n"
                    @for line in &hunk.lines {
                        @let class = match line.tag { LineTag::Context => "ctx", LineTag::Removed => "del", LineTag::Added => "ins" };
                        span class=(class) {
                            (line.tag.prefix())
                            @for (strong, part) in emphasized(&line.text, &line.emphasis) {
                                @if strong { em { (part) } } @else { (part) }
                            }
                        }
                        "\n"
                    }
                }
            }
        }
    }
}

/// `text` cut into pieces, each saying whether it is in `emphasis`.
fn emphasized<'t>(text: &'t str, emphasis: &[std::ops::Range<usize>]) -> Vec<(bool, &'t str)> {
    let mut parts = Vec::new();
    let mut at = 0;
    for r in emphasis {
        let (start, end) = (r.start.max(at).min(text.len()), r.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        parts.push((false, &text[at..start]));
        parts.push((true, &text[start..end]));
        at = end;
    }
    parts.push((false, &text[at..]));
    parts.retain(|(_, p)| !p.is_empty());
    parts
}

/// One element the highlighted text has open.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Open {
    /// A quote's `<mark>`, by index in the marks.
    Quote(usize),
    /// The `<a>` of every mention covering a piece, by index.
    Mentions(Vec<usize>),
}

/// The article text as markup: split at every span boundary, each piece
/// inside a `<mark>` for every quote covering it (outer quotes first) and,
/// innermost, one `<a>` for the mentions covering it.
///
/// Elements stay open across boundaries while they still apply, so nested
/// quotes nest in the markup and only crossing quotes are split. The text
/// content of the result is exactly `text`: labels are drawn by the style
/// sheet from `data-label`.
fn marked_text(
    text: &str,
    marks: &[QuoteMark],
    spans: &[(Span, usize)],
    mentions: &[Mention],
) -> String {
    let fits = |s: Span| {
        s.start < s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
    };
    let spans: Vec<(Span, usize)> = spans.iter().copied().filter(|(s, _)| fits(*s)).collect();
    let mentions: Vec<&Mention> = mentions.iter().filter(|m| fits(m.span)).collect();
    let mut bounds: Vec<usize> = vec![0, text.len()];
    bounds.extend(spans.iter().flat_map(|(s, _)| [s.start, s.end]));
    bounds.extend(mentions.iter().flat_map(|m| [m.span.start, m.span.end]));
    bounds.sort_unstable();
    bounds.dedup();

    let mut out = String::with_capacity(text.len() * 2);
    let mut stack: Vec<Open> = Vec::new();
    let mut labelled: HashSet<usize> = HashSet::new();
    let close = |out: &mut String, open: &Open| {
        out.push_str(match open {
            Open::Quote(_) => "</mark>",
            Open::Mentions(_) => "</a>",
        })
    };
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a == b {
            continue;
        }
        let covers = |s: Span| s.start <= a && b <= s.end;
        let mut quotes: Vec<usize> = (0..spans.len()).filter(|&i| covers(spans[i].0)).collect();
        // Outer (earlier, then longer) spans first, so nested ones nest.
        quotes.sort_by_key(|&i| (spans[i].0.start, std::cmp::Reverse(spans[i].0.end), i));
        let mut want: Vec<Open> = quotes.into_iter().map(Open::Quote).collect();
        let here: Vec<usize> = (0..mentions.len())
            .filter(|&i| covers(mentions[i].span))
            .collect();
        if !here.is_empty() {
            want.push(Open::Mentions(here));
        }
        let keep = stack.iter().zip(&want).take_while(|(x, y)| x == y).count();
        while stack.len() > keep {
            let open = stack.pop().expect("not empty");
            close(&mut out, &open);
        }
        for open in &want[keep..] {
            match open {
                Open::Quote(i) => {
                    let (span, m) = spans[*i];
                    let q = &marks[m];
                    let starts = span.start == a;
                    let _ = write!(
                        out,
                        "<mark class=\"q v-{} k-{}{}{}\" data-r=\"",
                        q.verdict.as_str(),
                        q.kind,
                        if q.wrong { " wrong" } else { "" },
                        if starts { " qs" } else { "" }
                    );
                    esc(&mut out, &q.rec);
                    let _ = write!(
                        out,
                        "\" data-v=\"{}\" data-k=\"{}\" title=\"",
                        q.verdict.as_str(),
                        q.kind
                    );
                    esc(&mut out, &q.title);
                    out.push('"');
                    if starts && labelled.insert(*i) {
                        out.push_str(" data-label=\"");
                        esc(&mut out, &q.label);
                        out.push('"');
                    }
                    out.push('>');
                }
                Open::Mentions(list) => {
                    let all: Vec<&Mention> = list.iter().map(|&i| mentions[i]).collect();
                    let mut classes: Vec<&str> =
                        all.iter().flat_map(|m| m.class.split(' ')).collect();
                    classes.sort_unstable();
                    classes.dedup();
                    out.push_str("<a class=\"m ");
                    out.push_str(&classes.join(" "));
                    out.push_str("\" href=\"#");
                    esc(&mut out, &all[0].rec);
                    out.push_str("\" data-r=\"");
                    esc(&mut out, &all[0].rec);
                    out.push_str("\" title=\"");
                    let titles: Vec<&str> = all.iter().map(|m| m.title.as_str()).collect();
                    esc(&mut out, &titles.join("\n"));
                    out.push_str("\">");
                }
            }
            stack.push(open.clone());
        }
        esc(&mut out, &text[a..b]);
    }
    while let Some(open) = stack.pop() {
        close(&mut out, &open);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(rec: &str, verdict: Verdict) -> QuoteMark {
        QuoteMark {
            rec: rec.into(),
            verdict,
            kind: "direct",
            wrong: false,
            title: rec.into(),
            label: rec.into(),
        }
    }

    /// The text content of markup: tags removed, entities decoded.
    fn text_of(markup: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in markup.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn base64_of_known_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn anchors_keep_safe_ids_and_encode_the_rest() {
        assert_eq!(
            article_anchor("bbc/libya-us_talks.2"),
            "a-bbc/libya-us_talks.2"
        );
        assert_eq!(article_anchor("a b\"<"), "a-a~20~b~22~~3c~");
        assert_ne!(article_anchor("a~20~"), article_anchor("a "));
    }

    #[test]
    fn nested_quotes_nest_and_crossing_quotes_split() {
        let text = "0123456789";
        let marks = [mark("A", Verdict::Matched), mark("B", Verdict::Spurious)];
        // B inside A: one element each.
        let nested = marked_text(
            text,
            &marks,
            &[(Span::new(1, 8), 0), (Span::new(3, 5), 1)],
            &[],
        );
        assert_eq!(nested.matches("<mark").count(), 2, "{nested}");
        assert_eq!(text_of(&nested), text);
        // A and B cross: B is split where A ends.
        let crossing = marked_text(
            text,
            &marks,
            &[(Span::new(1, 5), 0), (Span::new(3, 8), 1)],
            &[],
        );
        assert_eq!(crossing.matches("data-r=\"A\"").count(), 1, "{crossing}");
        assert_eq!(crossing.matches("data-r=\"B\"").count(), 2, "{crossing}");
        assert_eq!(crossing.matches("data-label=\"B\"").count(), 1);
        assert_eq!(text_of(&crossing), text);
    }

    #[test]
    fn mentions_become_one_link_inside_the_quotes() {
        let text = "“Go,” he said.";
        let marks = [mark("A", Verdict::Missed)];
        let he = text.find("he").unwrap();
        let said = text.find("said").unwrap();
        let mention = |s: usize, e: usize, class: &'static str| Mention {
            span: Span::new(s, e),
            class,
            rec: "A".into(),
            title: class.into(),
        };
        let out = marked_text(
            text,
            &marks,
            &[(Span::new(0, text.len()), 0)],
            &[
                mention(he, he + 2, "spk"),
                mention(he, he + 2, "pspk bad"),
                mention(said, said + 4, "cue"),
            ],
        );
        assert!(
            out.contains("<a class=\"m bad pspk spk\" href=\"#A\""),
            "{out}"
        );
        assert_eq!(out.matches("<a ").count(), 2);
        assert!(out.ends_with("</a>.</mark>"), "{out}");
        assert_eq!(text_of(&out), text);
    }

    #[test]
    fn hostile_text_is_escaped() {
        let text = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
        let marks = [QuoteMark {
            title: "\"><b>t</b>".into(),
            label: "\"<x>".into(),
            ..mark("A", Verdict::Matched)
        }];
        let out = marked_text(text, &marks, &[(Span::new(0, 10), 0)], &[]);
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert_eq!(text_of(&out), text);
    }
}
