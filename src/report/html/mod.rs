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
//! highlighting (shared with `quotecheck show`) and the diff from
//! [`crate::snapshot`]. Article texts and gold are not part of a
//! [`RunResult`](crate::run::RunResult), so the caller passes them in ([`Texts`]); they are read
//! one at a time while the page is written, so memory holds the result and
//! one article, not the corpus.
//!
//! One job per file: `page` (the document and its order), `summary` (the
//! header, filters, tables and chart), `article` (one article's section:
//! records, fields and gold diff), `marks` (the highlighted text) and
//! `rest` (which texts are embedded, `--html-articles`, and the table of
//! the others).

mod article;
mod marks;
mod page;
mod rest;
mod snapshots;
mod summary;

pub use page::{article_anchor, carries_pairings, write, write_with_snapshots, Texts};
pub use rest::{Embed, EmbedError};
