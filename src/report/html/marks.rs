//! The highlighted text: an article's text split at every span boundary,
//! each piece inside a `<mark>` per quote covering it and one `<a>` for the
//! mentions covering it, nested where the spans nest.
//!
//! Owns the markup of the text and its escaping. Which span is which
//! quote, with which verdict, and how spans nest is the shared model of
//! [`crate::snapshot::Highlighting`], the one `quotecheck show` draws on a
//! terminal; names and hover texts come from [`super::article`].

use std::collections::HashSet;
use std::fmt::Write as _;

use maud::Escaper;

use crate::snapshot::{Highlighting, MarkPart};

/// Escapes `s` for HTML text or a double-quoted attribute value.
fn esc(out: &mut String, s: &str) {
    Escaper::new(out)
        .write_str(s)
        .expect("writing to a String cannot fail");
}

/// What the page writes on a quote's elements besides its verdict, one per
/// quote of the [`Highlighting`] (indexed like [`Highlighting::quotes`]).
pub(super) struct QuoteAttrs {
    /// The record it links to.
    pub(super) rec: String,
    /// Its kind, as the kind filter names it.
    pub(super) kind: &'static str,
    /// Shown on hover.
    pub(super) title: String,
    /// Shown at its start (by the style sheet, not in the text).
    pub(super) label: String,
}

/// The classes of a mention's link: which side of the record it is from,
/// and whether the scorer found a predicted one wrong.
fn mention_class(part: MarkPart) -> &'static str {
    match part {
        MarkPart::Content => "",
        MarkPart::GoldSpeaker => "spk",
        MarkPart::GoldCue => "cue",
        MarkPart::PredictedSpeaker { correct: true } => "pspk",
        MarkPart::PredictedSpeaker { correct: false } => "pspk bad",
        MarkPart::PredictedCue { correct: true } => "pcue",
        MarkPart::PredictedCue { correct: false } => "pcue bad",
    }
}

/// One element the highlighted text has open.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Open {
    /// A quote's `<mark>` for one of its content marks, by index in the
    /// highlighting's marks.
    Quote(usize),
    /// The `<a>` of every mention covering a piece, by index in the marks.
    Mentions(Vec<usize>),
}

/// The article text as markup: split at every boundary of a non-empty
/// span, each piece inside a `<mark>` for every quote covering it (outer
/// quotes first) and, innermost, one `<a>` for the mentions covering it.
/// `titles` are the mentions' hover texts, indexed like the marks.
///
/// Elements stay open across boundaries while they still apply, so nested
/// quotes nest in the markup and only crossing quotes are split. The text
/// content of the result is exactly `text`: labels are drawn by the style
/// sheet from `data-label`.
pub(super) fn marked_text(
    text: &str,
    highlighting: &Highlighting,
    quotes: &[QuoteAttrs],
    titles: &[String],
) -> String {
    let marks = &highlighting.marks;
    let mut out = String::with_capacity(text.len() * 2);
    let mut stack: Vec<Open> = Vec::new();
    let mut labelled: HashSet<usize> = HashSet::new();
    let close = |out: &mut String, open: &Open| {
        out.push_str(match open {
            Open::Quote(_) => "</mark>",
            Open::Mentions(_) => "</a>",
        })
    };
    for piece in highlighting.pieces(text, |m| !m.span.is_empty()) {
        let a = piece.range.start;
        let (mut covering, here): (Vec<usize>, Vec<usize>) = piece
            .marks
            .iter()
            .copied()
            .partition(|&i| !marks[i].part.is_mention());
        highlighting.outer_first(&mut covering);
        let mut want: Vec<Open> = covering.into_iter().map(Open::Quote).collect();
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
                    let mark = &marks[*i];
                    let q = &highlighting.quotes[mark.quote];
                    let attrs = &quotes[mark.quote];
                    let verdict = q.highlight.as_str();
                    let starts = mark.span.start == a;
                    let _ = write!(
                        out,
                        "<mark class=\"q v-{verdict} k-{}{}{}\" data-r=\"",
                        attrs.kind,
                        if q.wrong { " wrong" } else { "" },
                        if starts { " qs" } else { "" }
                    );
                    esc(&mut out, &attrs.rec);
                    let _ = write!(
                        out,
                        "\" data-v=\"{verdict}\" data-k=\"{}\" title=\"",
                        attrs.kind
                    );
                    esc(&mut out, &attrs.title);
                    out.push('"');
                    if starts && labelled.insert(*i) {
                        out.push_str(" data-label=\"");
                        esc(&mut out, &attrs.label);
                        out.push('"');
                    }
                    out.push('>');
                }
                Open::Mentions(list) => {
                    let mut classes: Vec<&str> = list
                        .iter()
                        .flat_map(|&i| mention_class(marks[i].part).split(' '))
                        .collect();
                    classes.sort_unstable();
                    classes.dedup();
                    // The first mention's record is the one a click opens.
                    let rec = &quotes[marks[list[0]].quote].rec;
                    out.push_str("<a class=\"m ");
                    out.push_str(&classes.join(" "));
                    out.push_str("\" href=\"#");
                    esc(&mut out, rec);
                    out.push_str("\" data-r=\"");
                    esc(&mut out, rec);
                    out.push_str("\" title=\"");
                    let all: Vec<&str> = list.iter().map(|&i| titles[i].as_str()).collect();
                    esc(&mut out, &all.join("\n"));
                    out.push_str("\">");
                }
            }
            stack.push(open.clone());
        }
        esc(&mut out, &text[piece.range]);
    }
    while let Some(open) = stack.pop() {
        close(&mut out, &open);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Span;
    use crate::snapshot::{Highlight, Mark, MarkedQuote};

    /// What the page draws: quotes named by their record, with their
    /// verdicts; content spans and mentions by quote (a mention's title is
    /// its class, to check which ones a link joins).
    struct Drawn {
        highlighting: Highlighting,
        quotes: Vec<QuoteAttrs>,
        titles: Vec<String>,
    }

    fn drawn(
        quotes: &[(&str, Highlight)],
        spans: &[(Span, usize)],
        mentions: &[(Span, usize, MarkPart)],
    ) -> Drawn {
        let mut d = Drawn {
            highlighting: Highlighting::default(),
            quotes: Vec::new(),
            titles: Vec::new(),
        };
        for (rec, highlight) in quotes {
            d.highlighting.quotes.push(MarkedQuote {
                gold: None,
                prediction: None,
                highlight: *highlight,
                wrong: false,
            });
            d.quotes.push(mark(rec));
        }
        let content = spans.iter().map(|&(s, q)| (s, q, MarkPart::Content));
        for (span, quote, part) in content.chain(mentions.iter().copied()) {
            d.highlighting.marks.push(Mark { span, quote, part });
            d.titles.push(mention_class(part).into());
        }
        d
    }

    fn mark(rec: &str) -> QuoteAttrs {
        QuoteAttrs {
            rec: rec.into(),
            kind: "direct",
            title: rec.into(),
            label: rec.into(),
        }
    }

    fn marked(text: &str, d: &Drawn) -> String {
        marked_text(text, &d.highlighting, &d.quotes, &d.titles)
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
    fn nested_quotes_nest_and_crossing_quotes_split() {
        let text = "0123456789";
        let marks = [("A", Highlight::Matched), ("B", Highlight::Spurious)];
        // B inside A: one element each.
        let nested = marked(
            text,
            &drawn(&marks, &[(Span::new(1, 8), 0), (Span::new(3, 5), 1)], &[]),
        );
        assert_eq!(nested.matches("<mark").count(), 2, "{nested}");
        assert_eq!(text_of(&nested), text);
        // A and B cross: B is split where A ends.
        let crossing = marked(
            text,
            &drawn(&marks, &[(Span::new(1, 5), 0), (Span::new(3, 8), 1)], &[]),
        );
        assert_eq!(crossing.matches("data-r=\"A\"").count(), 1, "{crossing}");
        assert_eq!(crossing.matches("data-r=\"B\"").count(), 2, "{crossing}");
        assert_eq!(crossing.matches("data-label=\"B\"").count(), 1);
        assert_eq!(text_of(&crossing), text);
    }

    #[test]
    fn mentions_become_one_link_inside_the_quotes() {
        let text = "“Go,” he said.";
        let marks = [("A", Highlight::Missed)];
        let he = text.find("he").unwrap();
        let said = text.find("said").unwrap();
        let mention = |s: usize, e: usize, part: MarkPart| (Span::new(s, e), 0, part);
        let out = marked(
            text,
            &drawn(
                &marks,
                &[(Span::new(0, text.len()), 0)],
                &[
                    mention(he, he + 2, MarkPart::GoldSpeaker),
                    mention(he, he + 2, MarkPart::PredictedSpeaker { correct: false }),
                    mention(said, said + 4, MarkPart::GoldCue),
                ],
            ),
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
        let mut d = drawn(&[("A", Highlight::Matched)], &[(Span::new(0, 10), 0)], &[]);
        d.quotes[0] = QuoteAttrs {
            title: "\"><b>t</b>".into(),
            label: "\"<x>".into(),
            ..mark("A")
        };
        let out = marked(text, &d);
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert_eq!(text_of(&out), text);
    }
}
