//! The one control-character cleaner: what quotecheck shows of text it did
//! not write (an extractor's `error`, a worker's stderr, a handshake's
//! `version`, an HTTP body, an id that failed its check, an article's text
//! in `validate`'s `context:`) goes through [`printable`] or
//! [`printable_line`] before any format's own escaping (Markdown, XML,
//! HTML) and before any colour, so that a terminal, a browser or an XML
//! reader never acts on it.
//!
//! Hidden characters become visible `\u{…}` escapes: C0 controls but line
//! breaks and tabs (ESC, so no colour, cursor move or OSC 8 link; BEL, NUL,
//! a lone CR that would overwrite the line), DEL, the C1 controls (some
//! terminals take `\u{9b}` for ESC `[`), the bidirectional controls that
//! reorder a line on screen, and the line and paragraph separators.

use std::borrow::Cow;

/// Whether `c` is hidden or acted on rather than shown: any control
/// character, a bidirectional control, or a line or paragraph separator.
/// The renderings of `snapshot` escape the same set.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with every hidden character ([`is_hidden`]) shown as `\u{…}`, but
/// line breaks and tabs kept (a `\r\n` becomes `\n`): for messages of
/// several lines.
///
/// ```
/// use quotecheck::text::printable;
/// assert_eq!(printable("red \x1b[31mtext\x07\r\nnext"), "red \\u{1b}[31mtext\\u{7}\nnext");
/// assert_eq!(printable("plain"), "plain");
/// ```
pub fn printable(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// Like [`printable`], on one line: line breaks become `⏎` too, so a value
/// cannot start a line of its own (a forged `error:` or `passed`).
///
/// ```
/// use quotecheck::text::printable_line;
/// assert_eq!(printable_line("v1\r\ngates: passed\rX"), "v1⏎gates: passed\\u{d}X");
/// ```
pub fn printable_line(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

fn clean(s: &str, one_line: bool) -> Cow<'_, str> {
    let kept = |c: char| c == '\t' || (c == '\n' && !one_line);
    if !s.chars().any(|c| is_hidden(c) && !kept(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' if one_line => out.push('⏎'),
            c if kept(c) => out.push(c),
            c if is_hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_a_terminal_acts_on_is_left() {
        let hostile =
            "a\x1b]8;;https://x.test\x1b\\link\x1b]8;;\x1b\\\x07\0\r\u{9b}2J\u{7f}\u{202e}b";
        for clean in [printable(hostile), printable_line(hostile)] {
            assert!(!clean.chars().any(is_hidden), "{clean:?}");
            assert!(clean.contains("\\u{1b}]8;;https://x.test"), "{clean:?}");
        }
        assert_eq!(printable("a\tb\nc"), "a\tb\nc");
        assert_eq!(printable_line("a\tb\nc"), "a\tb⏎c");
        assert!(matches!(printable("ünïcödé “quotes”"), Cow::Borrowed(_)));
    }
}
