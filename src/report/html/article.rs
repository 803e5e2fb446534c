//! One article's section: each extractor's column with its text
//! highlighted, one `<details>` per record and the gold diff.
//!
//! Lays out what [`crate::align`] decided (pairings, verdicts) and what
//! [`crate::snapshot`] made of it: the highlighting (one quote per record,
//! [`Highlighting::records`]) and the gold diff. It names records and
//! writes their hover texts; how the highlighted text is marked up is
//! [`super::marks`]'s.

use std::fmt::Write as _;

use maud::{html, Markup, PreEscaped};

use super::marks::{marked_text, QuoteAttrs};
use super::page::{article_anchor, Entry};
use super::summary::issue_list;
use crate::align::GoldVerdict;
use crate::corpus::{
    Article, GoldQuote, Kind, OffsetIndex, OffsetUnit, PredMention, PredPart, Prediction, Span,
};
use crate::report::fmt3;
use crate::run::{ArticleResult, ExtractorResult, RunResult};
use crate::score::Criterion;
use crate::snapshot::{prediction_names, GoldDiff, Highlight, Highlighting, LineTag, MarkPart};
use crate::text::printable;

fn kind_name(kind: Option<Kind>) -> &'static str {
    kind.map_or("none", |k| k.as_str())
}

/// Whether an extractor got an article wholly right: every criterion
/// without FP and FN, and no failure.
fn is_match(a: &ArticleResult) -> bool {
    a.failure.is_none()
        && Criterion::ALL.iter().all(|&c| {
            let n = a.score.counts(c);
            n.fp == 0 && n.fn_ == 0
        })
}

/// Where an article's text comes from.
pub(super) enum Source<'a> {
    Article(&'a Article),
    /// Not available, for this reason.
    Missing(&'a str),
}

/// The section of one article: its extractors side by side.
pub(super) fn section(result: &RunResult, entry: &Entry<'_>, source: Source<'_>) -> Markup {
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
                div.failure { b { "failed: " (f.kind.as_str()) } " — " (printable(&f.message)) " " span.dim { "(scored as if it found no quote)" } }
            }
            @if body.is_ok() {
                p.counts {
                    @for (v, n) in Highlight::SCORED.iter().zip(counts) {
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

/// An extractor's result on an article, laid out for the page: one quote
/// per record ([`Highlighting::records`]), drawn in the text and listed.
struct Highlighted<'a> {
    result: &'a RunResult,
    e: &'a ExtractorResult,
    a: &'a ArticleResult,
    article: &'a Article,
    index: OffsetIndex<'a>,
    highlighting: Highlighting,
    /// Indexed like `highlighting.quotes`.
    quotes: Vec<QuoteAttrs>,
    /// The hover texts of mentions, indexed like `highlighting.marks`
    /// (empty for content).
    titles: Vec<String>,
    /// Spurious predictions without a position in the text: the quote and
    /// its content.
    unlocated: Vec<(usize, String)>,
    /// Each prediction's name, as the gold diff names it (`p@519`).
    pred_names: Vec<String>,
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
        let pred_names = prediction_names(&article.text, &a.predictions, alignment);
        let mut h = Highlighted {
            result,
            e,
            a,
            article,
            index: OffsetIndex::new(&article.text),
            highlighting: Highlighting::records(gold, &a.predictions, alignment),
            quotes: Vec::new(),
            titles: Vec::new(),
            unlocated: Vec::new(),
            pred_names,
        };
        // Record ids only need to be unique on the page: the article's
        // anchor is, and the rest is made of numbers.
        let base = format!("r{}-{x}", article_anchor(&a.id));
        for (i, q) in h.highlighting.quotes.iter().enumerate() {
            let attrs = match (q.gold, q.prediction) {
                (Some(g), paired) => QuoteAttrs {
                    rec: format!("{base}-g{g}"),
                    kind: kind_name(gold[g].kind),
                    title: h.title(Some(g), paired, q.highlight),
                    label: short(&gold[g].id),
                },
                (None, Some(p)) => {
                    let pred = &a.predictions[p];
                    let located =
                        h.highlighting.marks.iter().any(|m| {
                            m.quote == i && m.part == MarkPart::Content && !m.span.is_empty()
                        });
                    if !located {
                        h.unlocated.push((i, h.content_of(pred)));
                    }
                    QuoteAttrs {
                        rec: format!("{base}-p{p}"),
                        kind: kind_name(pred.kind),
                        title: h.title(None, Some(p), q.highlight),
                        label: h.pred_name(p),
                    }
                }
                (None, None) => unreachable!("a record has a gold quote or a prediction"),
            };
            h.quotes.push(attrs);
        }
        let titles: Vec<String> = h
            .highlighting
            .marks
            .iter()
            .map(|m| {
                let q = &h.highlighting.quotes[m.quote];
                let gold_id = || q.gold.map_or("", |g| gold[g].id.as_str());
                let predicted = |role: &str, correct: bool| {
                    let name = q.prediction.map(|p| h.pred_name(p)).unwrap_or_default();
                    let wrong = if correct { "" } else { ", wrong" };
                    format!("{role} of {name} ({}){wrong}", e.name)
                };
                match m.part {
                    MarkPart::Content => String::new(),
                    MarkPart::GoldSpeaker => format!("speaker of {} (gold)", gold_id()),
                    MarkPart::GoldCue => format!("cue of {} (gold)", gold_id()),
                    MarkPart::PredictedSpeaker { correct } => predicted("speaker", correct),
                    MarkPart::PredictedCue { correct } => predicted("cue", correct),
                }
            })
            .collect();
        h.titles = titles;
        h
    }

    /// `p@519`, as the gold diff names predictions.
    fn pred_name(&self, p: usize) -> String {
        self.pred_names[p].clone()
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
    fn title(&self, g: Option<usize>, p: Option<usize>, verdict: Highlight) -> String {
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

    /// How many quotes of each verdict are highlighted, in
    /// [`Highlight::SCORED`] order.
    fn verdict_counts(&self) -> [Option<u64>; 4] {
        let mut n = [0u64; 4];
        for q in &self.highlighting.quotes {
            let i = Highlight::SCORED
                .iter()
                .position(|v| *v == q.highlight)
                .expect("a scored verdict");
            n[i] += 1;
        }
        n.map(Some)
    }

    fn render(&self, article_id: &str) -> Markup {
        let text = marked_text(
            &self.article.text,
            &self.highlighting,
            &self.quotes,
            &self.titles,
        );
        html! {
            div.text dir="auto" { (PreEscaped(text)) }
            @if !self.unlocated.is_empty() {
                div.unlocated {
                    span.dim { "Not located in the text: " }
                    @for (i, content) in &self.unlocated {
                        @let q = &self.quotes[*i];
                        @let verdict = self.highlighting.quotes[*i].highlight.as_str();
                        mark class={"q loose v-" (verdict) " k-" (q.kind)}
                            data-r=(q.rec) data-v=(verdict) data-k=(q.kind) title=(q.title) {
                            b { (q.label) } " " (snippet(content, 80))
                        }
                        " "
                    }
                }
            }
            div.records {
                @for i in 0..self.quotes.len() { (self.record(i)) }
            }
            (self.diff(article_id))
        }
    }

    /// The `<details>` of one record: the quote `i` of the highlighting.
    fn record(&self, i: usize) -> Markup {
        let gold = gold_of(self.article);
        let r = &self.highlighting.quotes[i];
        let QuoteAttrs { rec, kind, .. } = &self.quotes[i];
        let verdict = r.highlight.as_str();
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
        // Shown, as in renderings, only when it is not `verbatim`.
        let fidelity = r
            .prediction
            .and_then(|p| self.a.score.alignment.fidelity_of(p))
            .filter(|&f| f != crate::align::Fidelity::Verbatim);
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
            details class={"rec v-" (verdict) " k-" (kind)} id=(rec)
                data-r=(rec) data-v=(verdict) data-k=(kind) {
                summary {
                    span class={"chip v-" (verdict)} { (verdict) }
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
                                            @match s.span {
                                                Some(at) => { "“" (s.text) "” " span.dim { (self.at(at)) } }
                                                None => span.dim { "no mention" },
                                            }
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
                        @if let Some(f) = fidelity {
                            tr class=(if f.is_unfaithful() { "bad" } else { "" }) {
                                th { "fidelity" }
                                @if g.is_some() { td {} }
                                td { (f.as_str()) }
                            }
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
        let diff = self
            .a
            .gold_diff(self.article, &self.e.name, &self.result.scheme);
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
