//! Renderings of one article's gold and of its predictions with verdicts.

use crate::align::{align_article, Alignment, PredictionVerdict, Scheme};
use crate::corpus::{GoldQuote, Prediction};

use super::view::{Block, View};
use super::wrap::{escape, wrap, WIDTH};

/// Renders an article's gold quotes, one block per quote in position order.
///
/// Each block is headed by the quote's id (and `optional` for an optional
/// quote) and lists its position in code points (`at`), its content (the
/// article text of its spans; the parts of a discontinuous quote joined by
/// ` … `), its speaker (mention → entity), the speaker's aliases, its cue,
/// its kind (`untyped` when the corpus gives none) and the curator's note.
/// Text is kept to one line per value (line breaks show as `⏎`) and
/// wrapped at 76 columns.
///
/// The result depends only on the records, not on their order.
///
/// ```
/// use quotecheck::corpus::{GoldQuote, Kind, Span};
/// use quotecheck::snapshot::render_gold;
///
/// let text = "“We will stay,” she said.";
/// let gold = [GoldQuote {
///     id: "q1".into(),
///     kind: Some(Kind::Direct),
///     content: vec![Span::new(3, 15)],
///     speaker: None,
///     cue: Some(Span::new(24, 28)),
///     optional: false,
///     note: None,
/// }];
/// assert_eq!(
///     render_gold(text, &gold),
///     "q1
///   at       @1-13
///   content  We will stay
///   speaker  none
///   cue      \"said\" @20-24
///   kind     direct
/// "
/// );
/// ```
///
/// # Panics
/// When a span is out of range of `text` or not on character boundaries.
pub fn render_gold(text: &str, gold: &[GoldQuote]) -> String {
    // The gold order does not depend on predictions or on the scheme.
    let alignment = align_article(text, gold, &[], &Scheme::default()).alignment;
    let view = View::new(text, gold, &[], &alignment, &Scheme::Exact);
    let blocks = view.gold_order().iter().map(|&g| Block {
        header: if gold[g].optional {
            format!("{} · optional", view.gold_name(g))
        } else {
            view.gold_name(g)
        },
        fields: view.gold_review_fields(g),
    });
    join(blocks)
}

/// Renders an article's predictions with their verdicts in `alignment`
/// (the pairing shown to people, scoring.md §5): the form a snapshot of an
/// extractor's output stores.
///
/// Predictions come in position order (the alignment's
/// `prediction_order`), each named by the first position its located parts
/// start at, in code points (`p@519`; `p@text` for content given as text
/// only, `p@none` for unusable content; a name met again in that order
/// gets `#2`, `#3`, …), followed by the extractor's own id in brackets
/// when it gave one. Each block is headed by the name and the verdict —
/// `matched q7`, `optional-match q2` or `spurious` — and lists the
/// prediction's position (`@text` for content given as text only, `none`
/// for unusable content), content, speaker, cue and kind. A paired
/// prediction has a `checks` line with ✓ or ✗ for speaker, cue and kind
/// and its similarity against the scheme's θ (`sim 0.70 ≥ 0.5 (12/17)`:
/// 12 shared tokens of 17); a spurious one a `nearest` line naming the gold
/// quote it came closest to, so that a near miss below θ shows as one.
///
/// The result depends only on the records, not on their order.
///
/// # Panics
/// When `alignment` is not an alignment of `gold` and `predictions`, or a
/// span is out of range of `text` or not on character boundaries.
pub fn render_predictions(
    text: &str,
    gold: &[GoldQuote],
    predictions: &[Prediction],
    alignment: &Alignment,
    scheme: &Scheme,
) -> String {
    let view = View::new(text, gold, predictions, alignment, scheme);
    let blocks = view.prediction_order().iter().map(|&p| {
        let name = view.pred_name(p);
        let mut fields = view.prediction_fields(p);
        let header = match *view.pred_verdict(p) {
            PredictionVerdict::Matched { gold: g } => {
                fields.push(view.checks(g));
                format!("{name} · matched {}", view.gold_name(g))
            }
            PredictionVerdict::OptionalMatch { gold: g } => {
                fields.push(view.checks(g));
                format!("{name} · optional-match {}", view.gold_name(g))
            }
            PredictionVerdict::Spurious => {
                fields.extend(view.nearest(p));
                format!("{name} · spurious")
            }
        };
        Block { header, fields }
    });
    join(blocks)
}

/// Renders an extractor's failure on an article, for a snapshot: its kind,
/// then its message indented, each of its lines wrapped like every value of
/// a rendering.
///
/// ```
/// use quotecheck::extract::{Failure, FailureKind};
/// use quotecheck::snapshot::render_failure;
///
/// let f = Failure::new(FailureKind::Error, "3 quotation marks found");
/// assert_eq!(render_failure(&f), "failed · error\n  3 quotation marks found\n");
/// ```
pub fn render_failure(failure: &crate::extract::Failure) -> String {
    let mut out = format!("failed · {}\n", failure.kind);
    for line in failure.message.lines() {
        for piece in wrap(&escape(line.trim_end()), WIDTH - 2) {
            out.push_str("  ");
            out.push_str(&piece);
            out.push('\n');
        }
    }
    out
}

/// What a snapshot holds for one article's outcome: the rendering of its
/// predictions, or of the extractor's failure when that failure is
/// deterministic ([`FailureKind::is_deterministic`](crate::extract::FailureKind::is_deterministic));
/// `None` for any other failure (a time-out, a crash), which is never
/// snapshotted.
///
/// # Panics
/// As [`render_predictions`].
pub fn render_outcome(
    article: &crate::corpus::Article,
    predictions: &[Prediction],
    alignment: &Alignment,
    failure: Option<&crate::extract::Failure>,
    scheme: &Scheme,
) -> Option<String> {
    match failure {
        Some(f) if f.kind.is_deterministic() => Some(render_failure(f)),
        Some(_) => None,
        None => {
            let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
            Some(render_predictions(
                &article.text,
                gold,
                predictions,
                alignment,
                scheme,
            ))
        }
    }
}

/// Blocks separated by blank lines, each line ending in a newline.
fn join(blocks: impl Iterator<Item = Block>) -> String {
    let mut out = String::new();
    for (i, block) in blocks.enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for line in block.lines() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
