//! Figures from matchings: TP / FP / FN, P / R / F1, accuracies, per-kind
//! figures and totals (scoring.md §4–§6).
//!
//! This stage turns one article's gold and predictions into an
//! [`ArticleScore`] ([`score_article`]) and accumulates articles into
//! [`Totals`]. It takes records that are already loaded and resolved: it
//! never reads files, never runs extractors and knows nothing of report
//! formats. Which prediction matches which gold quote is decided by
//! [`crate::align`]; this module only counts.
//!
//! # Example
//!
//! One article, two required gold quotes and one optional one, scored
//! against three predictions:
//!
//! ```
//! use quotecheck::align::Scheme;
//! use quotecheck::corpus::{GoldQuote, GoldSpeaker, Kind, PredMention, PredPart, Prediction, Span};
//! use quotecheck::score::{score_article, Criterion, Totals};
//!
//! let text = "“We will not leave,” the minister said. Talks go on, aides said.";
//! let span = |s: &str| {
//!     let start = text.find(s).unwrap();
//!     Span::new(start, start + s.len())
//! };
//! let gold = vec![
//!     GoldQuote {
//!         id: "q1".into(),
//!         kind: Some(Kind::Direct),
//!         content: vec![span("We will not leave")],
//!         speaker: Some(GoldSpeaker {
//!             span: Some(span("the minister")),
//!             text: "the minister".into(),
//!             entity: Some("Ana Silva".into()),
//!             aliases: vec![],
//!         }),
//!         cue: Some(span("said")),
//!         optional: false,
//!         note: None,
//!     },
//!     GoldQuote {
//!         id: "q2".into(),
//!         kind: Some(Kind::Indirect),
//!         content: vec![span("Talks go on")],
//!         speaker: None,
//!         cue: None,
//!         optional: true,
//!         note: None,
//!     },
//! ];
//! let predictions = vec![
//!     // Located, the speaker named by its entity: right on every count.
//!     Prediction {
//!         content: vec![PredPart::Located(span("We will not leave,"))],
//!         speaker: Some(PredMention { span: None, text: "Ana Silva".into() }),
//!         cue: Some(PredMention { span: None, text: "said".into() }),
//!         kind: Some(Kind::Direct),
//!         ..Prediction::default()
//!     },
//!     // Text only, matching the optional quote: neither TP nor FP.
//!     Prediction {
//!         content: vec![PredPart::Text("talks go on".into())],
//!         ..Prediction::default()
//!     },
//!     // Nothing like it in the gold: a false positive.
//!     Prediction {
//!         content: vec![PredPart::Text("We will stay".into())],
//!         ..Prediction::default()
//!     },
//! ];
//!
//! let score = score_article(text, &gold, &predictions, &Scheme::default());
//! let content = score.counts(Criterion::Content);
//! assert_eq!((content.tp, content.fp, content.fn_), (1, 1, 0));
//! assert_eq!(content.p(), 0.5);
//! assert_eq!(score.counts(Criterion::Attribution).tp, 1);
//! assert_eq!(score.speaker_accuracy.value(), Some(1.0));
//!
//! let mut totals = Totals::new();
//! totals.add(&score);
//! // An article the extractor failed on is scored with no predictions.
//! totals.add(&score_article(text, &gold, &[], &Scheme::default()));
//! let micro = totals.counts(Criterion::Content);
//! assert_eq!((micro.tp, micro.fp, micro.fn_), (1, 1, 1));
//! ```

mod article;
mod counts;
mod fidelity;
mod ignore;
pub mod stability;
mod totals;

pub use article::{score_article, score_article_with, ArticleScore};
pub use counts::{
    Accuracy, Counts, Criterion, KindBucket, KindPrecision, KindRecall, PerCriterion,
};
pub use fidelity::FidelityCounts;
pub use ignore::{is_ignored, set_aside};
pub use stability::Stability;
pub use totals::{CriterionTotals, Figures, Totals, TotalsSummary};
