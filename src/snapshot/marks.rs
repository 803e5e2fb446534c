//! The highlighting model: which span of an article's text carries which
//! mark (a quote's content with its verdict, a speaker, a cue) and how
//! overlapping spans nest. `quotecheck show` draws it on a terminal
//! ([`render_marked`]) and the HTML report as markup; both draw this one
//! model, so a verdict means the same colour of the same span in each.
//!
//! A [`Highlighting`] is built from records already aligned by
//! [`crate::align`] (its verdicts are [`Highlight`]s, the reader's view of
//! [`GoldVerdict`] and [`PredictionVerdict`]) in one of three selections:
//! gold on its own ([`Highlighting::gold`]), an extractor's predictions with
//! the quotes it missed ([`Highlighting::predictions`], what the terminal
//! shows), or one quote per record ([`Highlighting::records`], what the HTML
//! report shows next to its record list). [`Highlighting::pieces`] cuts the
//! text at every span boundary and says which marks cover each piece.
//!
//! It knows nothing of terminals' or pages' markup beyond the terminal text
//! it renders itself, and nothing of runs or files.

use std::cmp::Reverse;
use std::ops::Range;

use anstyle::{AnsiColor, Style};

use crate::align::{Alignment, GoldVerdict, PredictionVerdict};
use crate::corpus::{GoldQuote, PredPart, Prediction, Span};

/// The verdict a highlighted quote is shown with: what a reader needs of
/// the alignment's [`GoldVerdict`]s and [`PredictionVerdict`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Highlight {
    /// A gold quote shown on its own, with no prediction to compare.
    Gold,
    /// A required gold quote found, or the prediction that found it
    /// (content TP).
    Matched,
    /// A required gold quote not found (FN).
    Missed,
    /// A prediction matching no gold quote (FP).
    Spurious,
    /// An optional gold quote, found or not, or the prediction that found
    /// it (no penalty).
    Optional,
}

impl Highlight {
    /// The verdicts of a scored article, in the order reports list them.
    pub const SCORED: [Highlight; 4] = [
        Highlight::Matched,
        Highlight::Missed,
        Highlight::Spurious,
        Highlight::Optional,
    ];

    /// `gold`, `matched`, `missed`, `spurious` or `optional`.
    pub fn as_str(self) -> &'static str {
        match self {
            Highlight::Gold => "gold",
            Highlight::Matched => "matched",
            Highlight::Missed => "missed",
            Highlight::Spurious => "spurious",
            Highlight::Optional => "optional",
        }
    }

    /// What it means, in a few words for a legend.
    pub fn meaning(self) -> &'static str {
        match self {
            Highlight::Gold => "a gold quote",
            Highlight::Matched => "a required gold quote found (content TP)",
            Highlight::Missed => "a required gold quote not found (FN)",
            Highlight::Spurious => "a prediction matching no gold quote (FP)",
            Highlight::Optional => "an optional gold quote, found or not (no penalty)",
        }
    }

    /// How a gold quote with this verdict is shown.
    pub fn of_gold(verdict: &GoldVerdict) -> Highlight {
        match verdict {
            GoldVerdict::Matched { optional: true, .. } | GoldVerdict::OptionalMissed => {
                Highlight::Optional
            }
            GoldVerdict::Matched { .. } => Highlight::Matched,
            GoldVerdict::Missed => Highlight::Missed,
        }
    }

    /// How a prediction with this verdict is shown.
    pub fn of_prediction(verdict: &PredictionVerdict) -> Highlight {
        match verdict {
            PredictionVerdict::Matched { .. } => Highlight::Matched,
            PredictionVerdict::OptionalMatch { .. } => Highlight::Optional,
            PredictionVerdict::Spurious => Highlight::Spurious,
        }
    }
}

/// One quote drawn in the text: a gold record (with the prediction paired
/// to it, if any) or a prediction (with the gold quote it found, if any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkedQuote {
    /// The gold record, by index in the article's gold.
    pub gold: Option<usize>,
    /// The prediction, by index in the extractor's predictions.
    pub prediction: Option<usize>,
    /// Its verdict.
    pub highlight: Highlight,
    /// A required match whose speaker, cue or kind is wrong.
    pub wrong: bool,
}

/// What a marked span of the text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkPart {
    /// A span of the quote's content.
    Content,
    /// The speaker mention of the gold record.
    GoldSpeaker,
    /// The cue of the gold record.
    GoldCue,
    /// The speaker mention of the prediction; `correct` as the scorer
    /// judged it (a spurious prediction's is not judged: `true`).
    PredictedSpeaker {
        /// Whether it is the right speaker.
        correct: bool,
    },
    /// The cue of the prediction; `correct` as for the speaker.
    PredictedCue {
        /// Whether it is the right cue.
        correct: bool,
    },
}

impl MarkPart {
    /// Whether it is a speaker or cue mention rather than content.
    pub fn is_mention(self) -> bool {
        self != MarkPart::Content
    }
}

/// One marked span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    /// Where, in bytes of the article's text.
    pub span: Span,
    /// The quote it belongs to, by index in [`Highlighting::quotes`].
    pub quote: usize,
    /// What the span is.
    pub part: MarkPart,
}

/// The quotes drawn in an article's text and every span they mark.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlighting {
    /// The quotes, in the order of the selection.
    pub quotes: Vec<MarkedQuote>,
    /// Their spans, quote after quote (each quote's content, then its
    /// mentions). Where marks start or end together, this is the order
    /// they are drawn in.
    pub marks: Vec<Mark>,
}

/// One piece of the text between two span boundaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Where, in bytes; never empty.
    pub range: Range<usize>,
    /// The marks covering it, by index in [`Highlighting::marks`], in that
    /// order.
    pub marks: Vec<usize>,
}

impl Highlighting {
    /// Gold on its own, in file order: each quote's content (as
    /// [`Highlight::Gold`], or [`Highlight::Optional`]), speaker and cue.
    pub fn gold(gold: &[GoldQuote]) -> Highlighting {
        let mut h = Highlighting::default();
        for (g, q) in gold.iter().enumerate() {
            let highlight = if q.optional {
                Highlight::Optional
            } else {
                Highlight::Gold
            };
            let at = h.quote(Some(g), None, highlight, false);
            h.gold_marks(at, q);
        }
        h
    }

    /// An extractor's predictions as a reader checks them against the
    /// text: the required gold quotes it missed (their content), then every
    /// prediction in file order with its verdict (content, speaker, cue).
    pub fn predictions(
        gold: &[GoldQuote],
        predictions: &[Prediction],
        alignment: &Alignment,
    ) -> Highlighting {
        let mut h = Highlighting::default();
        for (g, verdict) in alignment.gold.iter().enumerate() {
            if *verdict == GoldVerdict::Missed {
                let at = h.quote(Some(g), None, Highlight::Missed, false);
                h.content_marks(at, &gold[g].content);
            }
        }
        for (p, verdict) in alignment.predictions.iter().enumerate() {
            let paired = match verdict {
                PredictionVerdict::Matched { gold } | PredictionVerdict::OptionalMatch { gold } => {
                    Some(*gold)
                }
                PredictionVerdict::Spurious => None,
            };
            let wrong = paired.is_some_and(|g| is_wrong(&alignment.gold[g]));
            let at = h.quote(paired, Some(p), Highlight::of_prediction(verdict), wrong);
            h.located_marks(at, &predictions[p]);
            h.prediction_mentions(at, p, &predictions[p], alignment);
        }
        h
    }

    /// One quote per record of an extractor's result, as a record list
    /// shows them: every gold quote in position order with its verdict (its
    /// content, speaker and cue, and the speaker and cue of the prediction
    /// paired to it), then the spurious predictions in position order
    /// (content, speaker, cue). A matched prediction's content is not drawn:
    /// its gold quote's is.
    pub fn records(
        gold: &[GoldQuote],
        predictions: &[Prediction],
        alignment: &Alignment,
    ) -> Highlighting {
        let mut h = Highlighting::default();
        for &g in &alignment.gold_order {
            let verdict = &alignment.gold[g];
            let paired = match verdict {
                GoldVerdict::Matched { prediction, .. } => Some(*prediction),
                GoldVerdict::Missed | GoldVerdict::OptionalMissed => None,
            };
            let at = h.quote(
                Some(g),
                paired,
                Highlight::of_gold(verdict),
                is_wrong(verdict),
            );
            h.gold_marks(at, &gold[g]);
            if let Some(p) = paired {
                h.prediction_mentions(at, p, &predictions[p], alignment);
            }
        }
        for &p in &alignment.prediction_order {
            if alignment.predictions[p] != PredictionVerdict::Spurious {
                continue;
            }
            let at = h.quote(None, Some(p), Highlight::Spurious, false);
            h.located_marks(at, &predictions[p]);
            h.prediction_mentions(at, p, &predictions[p], alignment);
        }
        h
    }

    fn quote(
        &mut self,
        gold: Option<usize>,
        prediction: Option<usize>,
        highlight: Highlight,
        wrong: bool,
    ) -> usize {
        self.quotes.push(MarkedQuote {
            gold,
            prediction,
            highlight,
            wrong,
        });
        self.quotes.len() - 1
    }

    fn mark(&mut self, quote: usize, span: Span, part: MarkPart) {
        self.marks.push(Mark { span, quote, part });
    }

    fn content_marks(&mut self, quote: usize, content: &[Span]) {
        for &s in content {
            self.mark(quote, s, MarkPart::Content);
        }
    }

    fn gold_marks(&mut self, quote: usize, q: &GoldQuote) {
        self.content_marks(quote, &q.content);
        if let Some(span) = q.speaker.as_ref().and_then(|s| s.span) {
            self.mark(quote, span, MarkPart::GoldSpeaker);
        }
        if let Some(cue) = q.cue {
            self.mark(quote, cue, MarkPart::GoldCue);
        }
    }

    /// The located parts of a prediction's content (a part given only as
    /// text has no place in the text).
    fn located_marks(&mut self, quote: usize, p: &Prediction) {
        for part in &p.content {
            if let PredPart::Located(s) = part {
                self.mark(quote, *s, MarkPart::Content);
            }
        }
    }

    fn prediction_mentions(
        &mut self,
        quote: usize,
        p: usize,
        prediction: &Prediction,
        alignment: &Alignment,
    ) {
        let (speaker_ok, cue_ok) = match alignment.predictions[p] {
            PredictionVerdict::Matched { gold: g }
            | PredictionVerdict::OptionalMatch { gold: g } => match &alignment.gold[g] {
                GoldVerdict::Matched {
                    speaker_correct,
                    cue_correct,
                    ..
                } => (*speaker_correct, *cue_correct),
                _ => (true, true),
            },
            PredictionVerdict::Spurious => (true, true),
        };
        if let Some(span) = prediction.speaker.as_ref().and_then(|m| m.span) {
            let correct = speaker_ok;
            self.mark(quote, span, MarkPart::PredictedSpeaker { correct });
        }
        if let Some(span) = prediction.cue.as_ref().and_then(|m| m.span) {
            let correct = cue_ok;
            self.mark(quote, span, MarkPart::PredictedCue { correct });
        }
    }

    /// `text` cut at the boundaries of the marks `take` keeps, each piece
    /// with the marks covering it. Marks whose span does not fit `text`
    /// (outside it, or inside a character) are left out; an empty span cuts
    /// the text but covers nothing.
    pub fn pieces(&self, text: &str, take: impl Fn(&Mark) -> bool) -> Vec<Piece> {
        let fits = |s: Span| {
            s.start <= s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        };
        let taken: Vec<usize> = (0..self.marks.len())
            .filter(|&i| fits(self.marks[i].span) && take(&self.marks[i]))
            .collect();
        let mut bounds: Vec<usize> = vec![0, text.len()];
        bounds.extend(
            taken
                .iter()
                .flat_map(|&i| [self.marks[i].span.start, self.marks[i].span.end]),
        );
        bounds.sort_unstable();
        bounds.dedup();
        bounds
            .windows(2)
            .map(|w| Piece {
                range: w[0]..w[1],
                marks: taken
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let s = self.marks[i].span;
                        s.start <= w[0] && w[1] <= s.end
                    })
                    .collect(),
            })
            .collect()
    }

    /// Sorts marks (indices in [`Highlighting::marks`]) outer first: by
    /// start, longer first, then in mark order, so that marks opened in
    /// this order nest wherever their spans do.
    pub fn outer_first(&self, marks: &mut [usize]) {
        marks.sort_by_key(|&i| (self.marks[i].span.start, Reverse(self.marks[i].span.end), i));
    }
}

/// Whether a required match has a wrong speaker, cue or kind.
fn is_wrong(verdict: &GoldVerdict) -> bool {
    matches!(
        verdict,
        GoldVerdict::Matched {
            optional: false,
            speaker_correct,
            cue_correct,
            kind_correct,
            ..
        } if !(*speaker_correct && *cue_correct && *kind_correct)
    )
}

/// The text with `highlighting` drawn on it for a terminal: with `color`,
/// content in the colour of its verdict, speakers bold and cues
/// underlined; without, content between `⟦` and `⟧` followed by its record
/// (`p3`: the third prediction of the file, or the gold record's id, as
/// `q2:missed` for a gold quote the predictions missed), speakers between
/// `{` and `}` and cues between `‹` and `›`. Control characters of the
/// text are shown as `\u{…}` ([`crate::text::printable`]).
pub fn render_marked(
    text: &str,
    gold: &[GoldQuote],
    highlighting: &Highlighting,
    color: bool,
) -> String {
    let label = |m: &Mark| {
        let q = &highlighting.quotes[m.quote];
        match (q.prediction, q.gold) {
            (Some(p), _) => format!("p{}", p + 1),
            (None, Some(g)) if q.highlight == Highlight::Missed => format!("{}:missed", gold[g].id),
            (None, Some(g)) => gold[g].id.clone(),
            (None, None) => String::new(),
        }
    };
    let mut out = String::new();
    for piece in highlighting.pieces(text, |_| true) {
        let (a, b) = (piece.range.start, piece.range.end);
        let marks: Vec<&Mark> = piece
            .marks
            .iter()
            .map(|&i| &highlighting.marks[i])
            .collect();
        // The text is shown, never acted on: controls as `\u{…}`.
        let slice = crate::text::printable(&text[a..b]);
        if color {
            let mut style = Style::new();
            for m in &marks {
                style = match m.part {
                    MarkPart::Content => style.fg_color(Some(
                        match highlighting.quotes[m.quote].highlight {
                            Highlight::Gold | Highlight::Matched => AnsiColor::Green,
                            Highlight::Missed => AnsiColor::Red,
                            Highlight::Spurious => AnsiColor::Magenta,
                            Highlight::Optional => AnsiColor::Yellow,
                        }
                        .into(),
                    )),
                    MarkPart::GoldSpeaker | MarkPart::PredictedSpeaker { .. } => style.bold(),
                    MarkPart::GoldCue | MarkPart::PredictedCue { .. } => style.underline(),
                };
            }
            out.push_str(&format!("{style}{slice}{style:#}"));
            continue;
        }
        for m in marks.iter().filter(|m| m.span.start == a) {
            out.push_str(match m.part {
                MarkPart::Content => "⟦",
                MarkPart::GoldSpeaker | MarkPart::PredictedSpeaker { .. } => "{",
                MarkPart::GoldCue | MarkPart::PredictedCue { .. } => "‹",
            });
        }
        out.push_str(&slice);
        for m in marks.iter().filter(|m| m.span.end == b) {
            match m.part {
                MarkPart::Content => {
                    out.push('⟧');
                    out.push_str(&label(m));
                }
                MarkPart::GoldSpeaker | MarkPart::PredictedSpeaker { .. } => out.push('}'),
                MarkPart::GoldCue | MarkPart::PredictedCue { .. } => out.push('›'),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(id: &str, content: &[(usize, usize)]) -> GoldQuote {
        GoldQuote {
            id: id.into(),
            kind: None,
            content: content.iter().map(|&(s, e)| Span::new(s, e)).collect(),
            speaker: None,
            cue: None,
            optional: false,
            note: None,
        }
    }

    #[test]
    fn nested_and_crossing_spans_cut_the_text_once_per_boundary() {
        let text = "0123456789";
        let gold = [
            quote("A", &[(1, 8)]),
            quote("B", &[(3, 5)]),
            quote("C", &[(4, 9)]),
        ];
        let h = Highlighting::gold(&gold);
        let pieces = h.pieces(text, |_| true);
        let ranges: Vec<Range<usize>> = pieces.iter().map(|p| p.range.clone()).collect();
        assert_eq!(ranges, [0..1, 1..3, 3..4, 4..5, 5..8, 8..9, 9..10]);
        assert_eq!(pieces[3].marks, [0, 1, 2]);
        let mut covering = vec![2, 1, 0];
        h.outer_first(&mut covering);
        assert_eq!(covering, [0, 1, 2]);
        assert_eq!(render_marked(text, &gold, &h, false), "0⟦12⟦3⟦4⟧B567⟧A8⟧C9");
    }

    #[test]
    fn spans_that_do_not_fit_the_text_are_left_out() {
        let text = "né";
        let gold = [
            quote("A", &[(0, 1)]),
            quote("B", &[(1, 2)]),
            quote("C", &[(2, 9)]),
        ];
        let h = Highlighting::gold(&gold);
        assert_eq!(render_marked(text, &gold, &h, false), "⟦n⟧Aé");
    }

    #[test]
    fn a_missed_quote_is_labelled_as_missed() {
        let text = "0123456789";
        let gold = [quote("A", &[(1, 3)]), quote("B", &[(5, 8)])];
        let alignment = Alignment {
            gold: vec![GoldVerdict::Missed, GoldVerdict::Missed],
            predictions: Vec::new(),
            gold_order: vec![0, 1],
            prediction_order: Vec::new(),
            fidelity: Vec::new(),
        };
        let h = Highlighting::predictions(&gold, &[], &alignment);
        assert_eq!(
            render_marked(text, &gold, &h, false),
            "0⟦12⟧A:missed34⟦567⟧B:missed89"
        );
        // On its own, gold is drawn with its ids.
        let h = Highlighting::gold(&gold);
        assert_eq!(render_marked(text, &gold, &h, false), "0⟦12⟧A34⟦567⟧B89");
    }

    #[test]
    fn verdicts_read_as_the_alignment_says() {
        let matched = |optional| GoldVerdict::Matched {
            prediction: 0,
            optional,
            speaker_correct: true,
            cue_correct: false,
            kind_correct: true,
            sim: crate::align::Similarity {
                shared: 1,
                total: 1,
            },
        };
        assert_eq!(Highlight::of_gold(&matched(false)), Highlight::Matched);
        assert_eq!(Highlight::of_gold(&matched(true)), Highlight::Optional);
        assert_eq!(
            Highlight::of_gold(&GoldVerdict::OptionalMissed),
            Highlight::Optional
        );
        assert!(is_wrong(&matched(false)) && !is_wrong(&matched(true)));
        assert_eq!(
            Highlight::of_prediction(&PredictionVerdict::OptionalMatch { gold: 0 }),
            Highlight::Optional
        );
    }
}
