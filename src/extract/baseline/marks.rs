//! Paragraphs and quote marks: which characters open and close a
//! quotation, and the quotations they delimit.
//!
//! A mark is read by the characters on each side of it: `'` and `’` between
//! two letters or digits are apostrophes (`don't`, `O’Brien`), a mark after
//! a space opens, a mark before a space or punctuation closes. A quotation
//! runs from an opening mark to the first closing mark of the same style;
//! other marks inside it (nested quotations, apostrophes) are left alone.

use crate::corpus::Span;

/// A quotation: text between an opening and a closing mark, possibly over
/// several paragraphs.
#[derive(Clone, Debug)]
pub(super) struct Quotation {
    /// First byte of the first opening mark.
    pub open: usize,
    /// One past the closing mark (one past the content when unclosed).
    pub end: usize,
    /// The content, one part per paragraph, without marks or surrounding
    /// white space; never empty.
    pub parts: Vec<Span>,
}

/// Every character that can be a quote mark.
pub(super) fn is_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '„'
            | '‚'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '「'
            | '」'
            | '『'
            | '』'
            | '｢'
            | '｣'
            | '〝'
            | '〞'
            | '〟'
            | '＂'
            | '﹁'
            | '﹂'
            | '﹃'
            | '﹄'
    )
}

/// Whether `c` closes a quotation opened by `opener`.
fn closes(opener: char, c: char) -> bool {
    match opener {
        '"' => c == '"',
        '＂' => c == '＂',
        '\'' => c == '\'',
        '“' => c == '”',
        '„' => c == '“' || c == '”',
        '”' => c == '”',
        '‘' => c == '’',
        '‚' => c == '‘' || c == '’',
        '«' => c == '»',
        '»' => c == '«' || c == '»',
        '‹' => c == '›',
        '›' => c == '‹' || c == '›',
        '「' => c == '」',
        '『' => c == '』',
        '｢' => c == '｣',
        '〝' => c == '〞' || c == '〟',
        '﹁' => c == '﹂',
        '﹃' => c == '﹄',
        _ => false,
    }
}

/// Styles, for quotations that go on over several paragraphs (the opening
/// mark is repeated at the start of each).
fn style(c: char) -> u8 {
    match c {
        '"' | '＂' => 1,
        '\'' => 2,
        '“' | '„' | '”' => 3,
        '‘' | '‚' => 4,
        '«' | '»' => 5,
        '‹' | '›' => 6,
        '「' | '｢' | '﹁' => 7,
        '『' | '﹃' => 8,
        '〝' => 9,
        _ => 0,
    }
}

/// Double marks: a quotation they open that is not closed by the end of its
/// paragraph still counts, up to the paragraph's end (a missing closing
/// mark). Single marks are too often apostrophes for that.
fn may_stay_open(opener: char) -> bool {
    matches!(
        opener,
        '"' | '＂' | '“' | '„' | '«' | '「' | '『' | '｢' | '﹁' | '﹃'
    )
}

fn opens_before(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '…' | '*')
                || is_mark(c)
        }
    }
}

/// `'90s`, `'em`, `'til`, `rock 'n' roll`: a straight apostrophe before a
/// word, not an opening mark.
fn elision(chars: &[(usize, char)], from: usize) -> bool {
    let Some(&(_, first)) = chars.get(from) else {
        return false;
    };
    if first.is_ascii_digit() {
        return true;
    }
    let word: String = chars[from..]
        .iter()
        .map(|&(_, c)| c)
        .take_while(|c| c.is_alphanumeric())
        .take(8)
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        word.as_str(),
        "em" | "til" | "tis" | "twas" | "cause" | "bout" | "n" | "round" | "nuff" | "kay"
    )
}

/// Whether the mark at `i` can open and whether it can close, from its
/// neighbours within the paragraph.
fn roles(chars: &[(usize, char)], i: usize) -> (bool, bool) {
    let c = chars[i].1;
    let prev = i.checked_sub(1).map(|k| chars[k].1);
    let next = chars.get(i + 1).map(|&(_, c)| c);
    let prev_alnum = prev.is_some_and(char::is_alphanumeric);
    let next_alnum = next.is_some_and(char::is_alphanumeric);
    let prev_space = prev.is_none_or(char::is_whitespace);
    let next_space = next.is_none_or(char::is_whitespace);
    match c {
        '"' | '＂' => {
            if prev_alnum && next_alnum {
                (false, false)
            } else {
                (!next_space && opens_before(prev), !prev_space)
            }
        }
        '\'' => {
            if prev_alnum && next_alnum {
                (false, false)
            } else {
                (
                    !next_space && opens_before(prev) && !elision(chars, i + 1),
                    !prev_space && !next_alnum,
                )
            }
        }
        '’' => {
            if prev_alnum && next_alnum {
                (false, false)
            } else {
                (false, !prev_space && !next_alnum)
            }
        }
        '‘' => {
            if prev_alnum && next_alnum {
                (false, false)
            } else {
                (!next_space && !prev_alnum, !prev_space && !next_alnum)
            }
        }
        '“' => (!next_space, !prev_space && !next_alnum),
        '”' => (prev_space && next_alnum, !prev_space),
        '„' | '‚' => (!next_space && !prev_alnum, false),
        '«' | '‹' => (next.is_some(), true),
        '»' | '›' => (!next_space, true),
        '「' | '『' | '｢' | '〝' | '﹁' | '﹃' => (next.is_some(), false),
        '」' | '』' | '｣' | '〞' | '〟' | '﹂' | '﹄' => (false, true),
        _ => (false, false),
    }
}

/// A closing `’` or `'` after an `s` and before a word is more likely a
/// plural possessive (`the workers’ union`): skipped when a later closing
/// mark exists.
fn possessive(chars: &[(usize, char)], i: usize) -> bool {
    let c = chars[i].1;
    if c != '’' && c != '\'' {
        return false;
    }
    let prev = i.checked_sub(1).map(|k| chars[k].1);
    let next = chars.get(i + 1).map(|&(_, c)| c);
    let after = chars.get(i + 2).map(|&(_, c)| c);
    matches!(prev, Some('s' | 'S'))
        && next.is_some_and(char::is_whitespace)
        && after.is_some_and(|c| c.is_alphanumeric() && !c.is_uppercase())
}

/// The paragraphs of `text`: runs of lines separated by line breaks. A single
/// line break before a line that starts in lower case, after a line that
/// does not end a sentence, is taken as a wrapped line, not a paragraph break.
pub(super) fn paragraphs(text: &str) -> Vec<Span> {
    let is_break = |c: char| {
        matches!(
            c,
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        )
    };
    let mut lines: Vec<Span> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if is_break(c) {
            if let Some(s) = start.take() {
                lines.push(Span::new(s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        lines.push(Span::new(s, text.len()));
    }
    let mut paras: Vec<Span> = Vec::new();
    for line in lines {
        if text[line.start..line.end].trim().is_empty() {
            continue;
        }
        if let Some(last) = paras.last_mut() {
            let gap = &text[last.end..line.start];
            let newlines = gap.chars().filter(|&c| c == '\n').count();
            let single =
                newlines <= 1 && gap.chars().filter(|&c| is_break(c) && c != '\r').count() <= 1;
            let first = text[line.start..line.end].trim_start().chars().next();
            let prev_last = text[last.start..last.end].trim_end().chars().last();
            let wrapped = single
                && first.is_some_and(char::is_lowercase)
                && !prev_last
                    .is_some_and(|c| matches!(c, '.' | '!' | '?' | ':' | '…' | '。') || is_mark(c));
            if wrapped {
                last.end = line.end;
                continue;
            }
        }
        paras.push(line);
    }
    paras
}

/// The characters of a paragraph with their byte offsets into `chars`,
/// and the indices of its quote marks ([`is_mark`]) into `marks`, both
/// cleared first. Two straight apostrophes in a row (`''…''`, as some
/// newspapers' text has its double quote marks) read as one straight
/// double mark `"`.
fn paragraph_chars(text: &str, para: Span, chars: &mut Vec<(usize, char)>, marks: &mut Vec<usize>) {
    chars.clear();
    marks.clear();
    let mut it = text[para.start..para.end].char_indices().peekable();
    while let Some((b, c)) = it.next() {
        let c = if c == '\'' && it.peek().is_some_and(|&(_, n)| n == '\'') {
            it.next();
            '"'
        } else {
            c
        };
        if is_mark(c) {
            marks.push(chars.len());
        }
        chars.push((b + para.start, c));
    }
}

struct Open {
    opener: char,
    at: usize,
    content: usize,
    parts: Vec<Span>,
}

fn trimmed(text: &str, start: usize, end: usize) -> Span {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let inner = s.trim();
    Span::new(start + lead, start + lead + inner.len())
}

fn finish(text: &str, mut open: Open, content_end: usize, end: usize, out: &mut Vec<Quotation>) {
    open.parts.push(trimmed(text, open.content, content_end));
    open.parts.retain(|p| !p.is_empty());
    if !open.parts.is_empty() {
        out.push(Quotation {
            open: open.at,
            end,
            parts: open.parts,
        });
    }
}

/// The quotations of `text`, in text order, not overlapping.
pub(super) fn quotations(text: &str, paras: &[Span]) -> Vec<Quotation> {
    let mut out = Vec::new();
    let mut carry: Option<Open> = None;
    let (mut chars, mut marks) = (Vec::new(), Vec::new());
    // The marks that can open or close, with their roles: the only
    // characters the scan of a paragraph acts on.
    let mut roled: Vec<(usize, bool, bool)> = Vec::new();
    let mut last_close: Vec<(char, usize)> = Vec::new();
    for (pi, para) in paras.iter().enumerate() {
        paragraph_chars(text, *para, &mut chars, &mut marks);
        let chars = &chars;
        // One past the character at `i`: where a quotation opened there starts.
        let after = |i: usize| chars.get(i + 1).map_or(para.end, |&(b, _)| b);
        roled.clear();
        roled.extend(marks.iter().filter_map(|&i| {
            let (can_open, can_close) = roles(chars, i);
            (can_open || can_close).then_some((i, can_open, can_close))
        }));
        // The last place each closing character can close, to know whether
        // an opening mark has a partner later in the paragraph.
        last_close.clear();
        for &(i, _, can_close) in &roled {
            let c = chars[i].1;
            if can_close {
                match last_close.iter_mut().find(|(k, _)| *k == c) {
                    Some(entry) => entry.1 = i,
                    None => last_close.push((c, i)),
                }
            }
        }
        let last_close = &last_close;
        let closer_after =
            |opener: char, i: usize| last_close.iter().any(|&(c, k)| k > i && closes(opener, c));
        let next_first = paras.get(pi + 1).and_then(|p| {
            let t = text[p.start..p.end].trim_start();
            if t.starts_with("''") {
                Some('"')
            } else {
                t.chars().next()
            }
        });
        let continues =
            |opener: char| next_first.is_some_and(|c| is_mark(c) && style(c) == style(opener));

        let mut cur = carry.take();
        let mut i = 0;
        if let Some(open) = cur.as_mut() {
            // A continued quotation: its mark opens this paragraph again.
            while i < chars.len() && chars[i].1.is_whitespace() {
                i += 1;
            }
            if i < chars.len() {
                open.content = after(i);
                i += 1;
            }
        }
        let from = i;
        for &(i, can_open, can_close) in roled.iter().filter(|m| m.0 >= from) {
            let (b, c) = chars[i];
            match cur.take() {
                None => {
                    if can_open && (closer_after(c, i) || may_stay_open(c) || continues(c)) {
                        cur = Some(Open {
                            opener: c,
                            at: b,
                            content: after(i),
                            parts: Vec::new(),
                        });
                    }
                }
                Some(open) => {
                    if can_close && closes(open.opener, c) {
                        if possessive(chars, i) && closer_after(open.opener, i) {
                            cur = Some(open);
                        } else {
                            finish(text, open, b, after(i), &mut out);
                        }
                    } else if c == open.opener && matches!(c, '"' | '＂') && can_open {
                        // A straight mark after a space while one is open:
                        // the open one was never closed.
                        let end = trimmed(text, open.content, b).end.max(open.content);
                        finish(text, open, b, end, &mut out);
                        cur = Some(Open {
                            opener: c,
                            at: b,
                            content: after(i),
                            parts: Vec::new(),
                        });
                    } else {
                        cur = Some(open);
                    }
                }
            }
        }
        if let Some(mut open) = cur {
            if continues(open.opener) {
                open.parts.push(trimmed(text, open.content, para.end));
                carry = Some(open);
            } else if may_stay_open(open.opener) {
                let end = trimmed(text, open.content, para.end).end.max(open.content);
                finish(text, open, para.end, end, &mut out);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // The scan as it was, char by char over every character of a
    // paragraph, that `quotations` must agree with.

    /// The characters of a paragraph with their byte offsets.
    fn simple_paragraph_chars(text: &str, para: Span) -> Vec<(usize, char)> {
        let mut chars: Vec<(usize, char)> = Vec::with_capacity(para.end - para.start);
        let mut it = text[para.start..para.end].char_indices().peekable();
        while let Some((b, c)) = it.next() {
            if c == '\'' && it.peek().is_some_and(|&(_, n)| n == '\'') {
                it.next();
                chars.push((b + para.start, '"'));
            } else {
                chars.push((b + para.start, c));
            }
        }
        chars
    }

    /// The quotations of `text`, every character of a paragraph scanned.
    fn simple_quotations(text: &str, paras: &[Span]) -> Vec<Quotation> {
        let mut out = Vec::new();
        let mut carry: Option<Open> = None;
        for (pi, para) in paras.iter().enumerate() {
            let chars = simple_paragraph_chars(text, *para);
            // One past the character at `i`: where a quotation opened there starts.
            let after = |i: usize| chars.get(i + 1).map_or(para.end, |&(b, _)| b);
            let roles: Vec<(bool, bool)> = (0..chars.len())
                .map(|i| {
                    if is_mark(chars[i].1) {
                        roles(&chars, i)
                    } else {
                        (false, false)
                    }
                })
                .collect();
            // The last place each closing character can close, to know whether
            // an opening mark has a partner later in the paragraph.
            let mut last_close: Vec<(char, usize)> = Vec::new();
            for (i, &(_, c)) in chars.iter().enumerate() {
                if roles[i].1 {
                    match last_close.iter_mut().find(|(k, _)| *k == c) {
                        Some(entry) => entry.1 = i,
                        None => last_close.push((c, i)),
                    }
                }
            }
            let closer_after = |opener: char, i: usize| {
                last_close.iter().any(|&(c, k)| k > i && closes(opener, c))
            };
            let next_first = paras.get(pi + 1).and_then(|p| {
                let t = text[p.start..p.end].trim_start();
                if t.starts_with("''") {
                    Some('"')
                } else {
                    t.chars().next()
                }
            });
            let continues =
                |opener: char| next_first.is_some_and(|c| is_mark(c) && style(c) == style(opener));

            let mut cur = carry.take();
            let mut i = 0;
            if let Some(open) = cur.as_mut() {
                // A continued quotation: its mark opens this paragraph again.
                while i < chars.len() && chars[i].1.is_whitespace() {
                    i += 1;
                }
                if i < chars.len() {
                    open.content = after(i);
                    i += 1;
                }
            }
            while i < chars.len() {
                let (b, c) = chars[i];
                let (can_open, can_close) = roles[i];
                if can_open || can_close {
                    match cur.take() {
                        None => {
                            if can_open && (closer_after(c, i) || may_stay_open(c) || continues(c))
                            {
                                cur = Some(Open {
                                    opener: c,
                                    at: b,
                                    content: after(i),
                                    parts: Vec::new(),
                                });
                            }
                        }
                        Some(open) => {
                            if can_close && closes(open.opener, c) {
                                if possessive(&chars, i) && closer_after(open.opener, i) {
                                    cur = Some(open);
                                } else {
                                    finish(text, open, b, after(i), &mut out);
                                }
                            } else if c == open.opener && matches!(c, '"' | '＂') && can_open {
                                // A straight mark after a space while one is open:
                                // the open one was never closed.
                                let end = trimmed(text, open.content, b).end.max(open.content);
                                finish(text, open, b, end, &mut out);
                                cur = Some(Open {
                                    opener: c,
                                    at: b,
                                    content: after(i),
                                    parts: Vec::new(),
                                });
                            } else {
                                cur = Some(open);
                            }
                        }
                    }
                }
                i += 1;
            }
            if let Some(mut open) = cur {
                if continues(open.opener) {
                    open.parts.push(trimmed(text, open.content, para.end));
                    carry = Some(open);
                } else if may_stay_open(open.opener) {
                    let end = trimmed(text, open.content, para.end).end.max(open.content);
                    finish(text, open, para.end, end, &mut out);
                }
            }
        }
        out
    }

    fn agree(text: &str) {
        let paras = paragraphs(text);
        let key = |qs: Vec<Quotation>| -> Vec<(usize, usize, Vec<Span>)> {
            qs.into_iter().map(|q| (q.open, q.end, q.parts)).collect()
        };
        assert_eq!(
            key(quotations(text, &paras)),
            key(simple_quotations(text, &paras)),
            "{text:?}"
        );
    }

    #[test]
    fn the_mark_scan_agrees_with_the_char_scan_on_the_corpus() {
        for text in [
            include_str!("../../../corpus/bbc-libya-us-talks.txt"),
            include_str!("../../../corpus/world/bremen-hansewerft.txt"),
            include_str!("../../../corpus/world/lyon-musee-greve.txt"),
            include_str!("../../../corpus/world/saginoura-bus.txt"),
            "\u{201c}One,\u{201d} she said.\n\n\u{201c}A paragraph\n\n\u{201c}goes on.\u{201d}",
            "''Two apostrophes,'' he said. The workers\u{2019} union \u{2018}agreed\u{2019}.",
            "\"open \"again\" and \u{ab} jamais \u{bb}",
        ] {
            agree(text);
        }
    }

    proptest! {
        #[test]
        fn the_mark_scan_agrees_with_the_char_scan(
            text in "[a sS9.,(\n\"'\u{201c}\u{201d}\u{2018}\u{2019}\u{201e}\u{201a}\u{ab}\u{bb}\u{2039}\u{203a}\u{300c}\u{300d}\u{300e}\u{300f}\u{ff02}\u{301d}\u{301e}]{0,60}"
        ) {
            agree(&text);
        }
    }
}
