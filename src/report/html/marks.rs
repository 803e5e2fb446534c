//! The highlighted text: an article's text split at every span boundary,
//! each piece inside a `<mark>` per quote covering it and one `<a>` for the
//! mentions covering it, nested where the spans nest.
//!
//! Owns the markup of the text and its escaping; which quote is drawn with
//! which verdict is decided by [`super::article`].

use std::collections::HashSet;
use std::fmt::Write as _;

use maud::Escaper;

use crate::corpus::Span;

/// Escapes `s` for HTML text or a double-quoted attribute value.
fn esc(out: &mut String, s: &str) {
    Escaper::new(out)
        .write_str(s)
        .expect("writing to a String cannot fail");
}

/// The verdict a highlighted quote or a record is shown with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    Matched,
    Missed,
    Spurious,
    Optional,
}

impl Verdict {
    pub(super) const ALL: [Verdict; 4] = [
        Verdict::Matched,
        Verdict::Missed,
        Verdict::Spurious,
        Verdict::Optional,
    ];

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Verdict::Matched => "matched",
            Verdict::Missed => "missed",
            Verdict::Spurious => "spurious",
            Verdict::Optional => "optional",
        }
    }

    pub(super) fn meaning(self) -> &'static str {
        match self {
            Verdict::Matched => "a required gold quote found (content TP)",
            Verdict::Missed => "a required gold quote not found (FN)",
            Verdict::Spurious => "a prediction matching no gold quote (FP)",
            Verdict::Optional => "an optional gold quote, found or not (no penalty)",
        }
    }
}

/// A quote drawn in the text: a gold quote or a spurious prediction.
pub(super) struct QuoteMark {
    /// The record it links to.
    pub(super) rec: String,
    pub(super) verdict: Verdict,
    pub(super) kind: &'static str,
    /// A required match with a wrong speaker, cue or kind.
    pub(super) wrong: bool,
    /// Shown on hover.
    pub(super) title: String,
    /// Shown at its start (by the style sheet, not in the text).
    pub(super) label: String,
}

/// A speaker or cue mention drawn in the text, linking to its record.
pub(super) struct Mention {
    pub(super) span: Span,
    pub(super) class: &'static str,
    pub(super) rec: String,
    pub(super) title: String,
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
pub(super) fn marked_text(
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
