//! Which articles the page embeds (`--html-articles N|all`), and the table
//! that summarises the others.
//!
//! A page that embeds every text grows with the corpus (334 MB for 20,000
//! articles), past what a browser opens. By default it embeds the failed
//! articles first, then those with the lowest end-to-end F1 (ties in corpus
//! order), up to [`Embed::DEFAULT`]; every other article is one row of a
//! table — its figures for each extractor, anchored like its section would
//! be, so the chart's bars still lead to it — and the page says so at the
//! top.

use std::collections::HashSet;

use maud::{html, Markup};

use super::page::{article_anchor, Entry};
use crate::report::fmt3;
use crate::run::RunResult;
use crate::score::Criterion;

/// How many article texts a page embeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Embed {
    /// Every article's.
    All,
    /// The failed and worst articles', up to this many.
    Worst(usize),
}

impl Embed {
    /// The default: a page of a few hundred articles opens in any browser.
    pub const DEFAULT: Embed = Embed::Worst(300);
}

impl Default for Embed {
    fn default() -> Embed {
        Embed::DEFAULT
    }
}

/// Why a text is not `N` or `all`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected a number of articles or `all`, not {0:?}")]
pub struct EmbedError(String);

impl std::str::FromStr for Embed {
    type Err = EmbedError;

    fn from_str(s: &str) -> Result<Embed, EmbedError> {
        match s.trim() {
            "all" => Ok(Embed::All),
            n => n
                .parse()
                .map(Embed::Worst)
                .map_err(|_| EmbedError(s.to_string())),
        }
    }
}

/// The entries (by index) whose texts are embedded; `None`: all of them.
pub(super) fn embedded(entries: &[Entry<'_>], embed: Embed) -> Option<HashSet<usize>> {
    let limit = match embed {
        Embed::Worst(n) if n < entries.len() => n,
        _ => return None,
    };
    // Failed first, then the lowest end-to-end F1 of any extractor; the
    // sort is stable, so ties stay in corpus order.
    let key = |e: &Entry<'_>| {
        let failed = e.results.iter().flatten().any(|a| a.failure.is_some());
        let f1 = e
            .results
            .iter()
            .flatten()
            .map(|a| a.score.counts(Criterion::Attribution).f1())
            .fold(f64::INFINITY, f64::min);
        (!failed, f1)
    };
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (key(&entries[a]), key(&entries[b]));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    order.truncate(limit);
    Some(order.into_iter().collect())
}

/// What the top of the page says when not every text is embedded.
pub(super) fn notice(shown: usize, total: usize) -> Markup {
    html! {
        div.problems {
            p {
                b { "This page embeds the texts of " (shown) " of " (total) " articles" }
                ": the failed ones first, then those with the lowest end-to-end F1. "
                "The other " (total - shown) " are summarised, one row each, in "
                a href="#rest" { "Other articles" } " (" code { "--html-articles all" } " embeds every text; "
                code { "--html-articles N" } " sets how many)."
            }
        }
    }
}

/// The table of the articles whose texts are not embedded, in corpus order.
pub(super) fn table<'a>(result: &RunResult, rest: impl Iterator<Item = &'a Entry<'a>>) -> Markup {
    html! {
        section #rest {
            h2 { "Other articles" }
            p.dim.small { "Their texts are not embedded (" code { "--html-articles" } "): end-to-end F1 and TP / FP / FN per extractor." }
            table.summary.rest {
                thead {
                    tr {
                        th { "article" }
                        @for (x, e) in result.extractors.iter().enumerate() {
                            th { span class={"sw c" (x % 6)} {} (e.name) }
                        }
                    }
                }
                tbody {
                    @for entry in rest {
                        tr id=(article_anchor(entry.id)) {
                            td { code { (entry.id) } }
                            @for a in &entry.results {
                                @match a {
                                    Some(a) => {
                                        @let c = a.score.counts(Criterion::Attribution);
                                        td.num {
                                            (fmt3(c.f1())) " " span.dim { (c.tp) " / " (c.fp) " / " (c.fn_) }
                                            @if let Some(f) = &a.failure { " " span.bad { (f.kind.as_str()) } }
                                        }
                                    }
                                    None => td.dim { "—" },
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
