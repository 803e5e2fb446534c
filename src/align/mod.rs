//! Matching predicted quotes to gold quotes (scoring.md §1–§5).
//!
//! This stage owns the rules that decide which prediction goes with which
//! gold quote: the content schemes and their exact threshold ([`Scheme`]),
//! the location rule and token similarity ([`Pair`], [`Similarity`]), the
//! speaker, cue and kind verdicts, the one-to-one assignment
//! ([`max_matching`]) and the pairing shown to people ([`Alignment`]).
//!
//! It works on one article at a time, on resolved records whose offsets are
//! already bytes, and knows nothing of files, counts, totals or reports:
//! turning matchings into figures is [`crate::score`]'s job.
//!
//! Tokens are computed once per record and interned per article, so every
//! comparison is over small integer lists; only gold and predictions whose
//! spans overlap are compared, except predictions given as text only,
//! which may match any gold quote.

mod display;
mod fidelity;
mod matching;
mod pairs;
mod prepared;
mod scheme;

pub use display::{AlignedRow, Alignment, GoldVerdict, PredictionVerdict};
pub use fidelity::{
    fidelities, fidelity_of, Fidelity, FidelityPolicy, ALTERED_SHARE, MIN_PIECE_TOKENS,
};
pub use matching::{max_matching, Matching};
pub use pairs::{Pair, Similarity};
pub use scheme::{Scheme, SchemeError, Theta};

use crate::corpus::{GoldQuote, Prediction};

/// Everything matching finds in one article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleAlignment {
    /// Every (gold, prediction) pair whose content matches under the
    /// scheme, with its speaker, cue and kind verdicts, sorted by gold then
    /// prediction index. These are the edges of every §4 matching.
    pub pairs: Vec<Pair>,
    /// The pairing shown to people (§5).
    pub alignment: Alignment,
}

/// Finds the matching pairs of one article and the pairing to show.
///
/// `text` is the article; every span in `gold` and `predictions` is a byte
/// range of it on character boundaries, as the corpus loader resolves them.
///
/// # Panics
/// When a span is out of range of `text` or not on character boundaries.
pub fn align_article(
    text: &str,
    gold: &[GoldQuote],
    predictions: &[Prediction],
    scheme: &Scheme,
) -> ArticleAlignment {
    align_article_with(text, gold, predictions, scheme, FidelityPolicy::default())
}

/// [`align_article`] under a fidelity policy: with `require_verbatim`, the
/// pairs scoring.md §8 refuses are left out, so their predictions are
/// false positives unless they match something else.
///
/// # Panics
/// As [`align_article`].
pub fn align_article_with(
    text: &str,
    gold: &[GoldQuote],
    predictions: &[Prediction],
    scheme: &Scheme,
    policy: FidelityPolicy,
) -> ArticleAlignment {
    let prepared = prepared::Prepared::new(text, gold, predictions);
    let fidelity = fidelities(text, predictions);
    let mut pairs = pairs::matching_pairs(&prepared, gold, predictions, scheme);
    if policy.require_verbatim {
        pairs.retain(|pair| {
            policy.allows(
                fidelity[pair.prediction],
                predictions[pair.prediction].kind,
                gold[pair.gold].kind,
                gold[pair.gold].content.len(),
            )
        });
    }
    let mut alignment = display::display_alignment(&prepared, gold, predictions, &pairs);
    alignment.fidelity = fidelity;
    ArticleAlignment { pairs, alignment }
}
