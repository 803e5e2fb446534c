//! One-line values and deterministic wrapping by display columns.
//!
//! Every value shown in a rendering goes through [`escape`] (so that it is
//! one line with no invisible ends) and then [`wrap`]. Both are pure
//! functions of the string: no terminal, locale or environment is
//! consulted, so a rendering is the same everywhere.
//!
//! Column widths follow the usual terminal conventions closely enough for
//! news text: East Asian wide and fullwidth characters and emoji take two
//! columns, combining marks, variation selectors and joiners none, anything
//! else one. This is an approximation of Unicode's East Asian Width data,
//! kept small on purpose; it only decides where lines break.

use std::borrow::Cow;

/// The widest a rendered line gets, in columns, when no single character
/// cluster is wider than the room left for it.
pub(crate) const WIDTH: usize = 76;

/// `s` as a single line whose ends are visible.
///
/// Line breaks become `⏎` and tabs `⇥`; other control characters, line and
/// paragraph separators and bidirectional controls (which would reorder
/// the line on screen) become `\u{…}`. Whitespace at either end becomes
/// `␠` (a space) or `\u{…}`, so a span that ends in a space is told apart
/// from one that does not, and no line ends in whitespace.
pub(crate) fn escape(s: &str) -> Cow<'_, str> {
    let plain = |c: char| !needs_escape(c) && !c.is_whitespace() || c == ' ';
    let ends_plain = |c: Option<char>| c.is_none_or(|c| !c.is_whitespace());
    if s.chars().all(plain) && ends_plain(s.chars().next()) && ends_plain(s.chars().next_back()) {
        return Cow::Borrowed(s);
    }
    let lead = s.len() - s.trim_start().len();
    let trail = s.trim_end().len().max(lead);
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at_end = i < lead || i >= trail;
        match c {
            '\r' if chars.peek().is_some_and(|&(_, n)| n == '\n') => {}
            '\n' | '\r' => out.push('⏎'),
            '\t' => out.push('⇥'),
            ' ' if at_end => out.push('␠'),
            c if needs_escape(c) || (at_end && c.is_whitespace()) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The characters of [`crate::text::printable`]: one rule of what is hidden.
fn needs_escape(c: char) -> bool {
    crate::text::is_hidden(c)
}

/// The columns a character takes on a terminal (see the module docs).
pub(crate) fn char_width(c: char) -> usize {
    if is_zero_width(c) {
        0
    } else if is_wide(c) {
        2
    } else {
        1
    }
}

/// The columns `s` takes, cluster by cluster.
pub(crate) fn width(s: &str) -> usize {
    clusters(s).iter().map(|c| c.width).sum()
}

fn is_zero_width(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05bd}'
        | '\u{0610}'..='\u{061a}'
        | '\u{064b}'..='\u{065f}'
        | '\u{0e31}' | '\u{0e34}'..='\u{0e3a}' | '\u{0e47}'..='\u{0e4e}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{200b}'..='\u{200d}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{302a}'..='\u{302f}'
        | '\u{3099}' | '\u{309a}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{fe20}'..='\u{fe2f}'
        | '\u{feff}'
        | '\u{1f3fb}'..='\u{1f3ff}'
        | '\u{e0020}'..='\u{e007f}'
        | '\u{e0100}'..='\u{e01ef}')
}

fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115f}'
        | '\u{231a}' | '\u{231b}' | '\u{23e9}'..='\u{23ec}' | '\u{23f0}' | '\u{23f3}'
        | '\u{25fd}' | '\u{25fe}' | '\u{2614}' | '\u{2615}' | '\u{2648}'..='\u{2653}'
        | '\u{267f}' | '\u{2693}' | '\u{26a1}' | '\u{26aa}' | '\u{26ab}' | '\u{26bd}'
        | '\u{26be}' | '\u{26c4}' | '\u{26c5}' | '\u{26ce}' | '\u{26d4}' | '\u{26ea}'
        | '\u{26f2}' | '\u{26f3}' | '\u{26f5}' | '\u{26fa}' | '\u{26fd}' | '\u{2705}'
        | '\u{270a}' | '\u{270b}' | '\u{2728}' | '\u{274c}' | '\u{274e}'
        | '\u{2753}'..='\u{2755}' | '\u{2757}' | '\u{2795}'..='\u{2797}' | '\u{27b0}'
        | '\u{27bf}' | '\u{2b1b}' | '\u{2b1c}' | '\u{2b50}' | '\u{2b55}'
        | '\u{2e80}'..='\u{303e}'
        | '\u{3041}'..='\u{3247}'
        | '\u{3250}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{a4cf}'
        | '\u{a960}'..='\u{a97f}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe10}'..='\u{fe19}'
        | '\u{fe30}'..='\u{fe6f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}'
        | '\u{16fe0}'..='\u{18aff}'
        | '\u{1b000}'..='\u{1b2ff}'
        | '\u{1f004}' | '\u{1f0cf}' | '\u{1f18e}' | '\u{1f191}'..='\u{1f19a}'
        | '\u{1f200}'..='\u{1f251}'
        | '\u{1f300}'..='\u{1f320}' | '\u{1f32d}'..='\u{1f335}' | '\u{1f337}'..='\u{1f37c}'
        | '\u{1f37e}'..='\u{1f393}' | '\u{1f3a0}'..='\u{1f3ca}' | '\u{1f3cf}'..='\u{1f3d3}'
        | '\u{1f3e0}'..='\u{1f3f0}' | '\u{1f3f4}' | '\u{1f3f8}'..='\u{1f43e}' | '\u{1f440}'
        | '\u{1f442}'..='\u{1f4fc}' | '\u{1f4ff}'..='\u{1f53d}' | '\u{1f54b}'..='\u{1f54e}'
        | '\u{1f550}'..='\u{1f567}' | '\u{1f57a}' | '\u{1f595}' | '\u{1f596}' | '\u{1f5a4}'
        | '\u{1f5fb}'..='\u{1f64f}' | '\u{1f680}'..='\u{1f6c5}' | '\u{1f6cc}'
        | '\u{1f6d0}'..='\u{1f6d2}' | '\u{1f6d5}'..='\u{1f6d7}' | '\u{1f6dc}'..='\u{1f6df}'
        | '\u{1f6eb}' | '\u{1f6ec}' | '\u{1f6f4}'..='\u{1f6fc}' | '\u{1f7e0}'..='\u{1f7eb}'
        | '\u{1f7f0}' | '\u{1f90c}'..='\u{1f93a}' | '\u{1f93c}'..='\u{1f945}'
        | '\u{1f947}'..='\u{1f9ff}' | '\u{1fa70}'..='\u{1faff}'
        | '\u{20000}'..='\u{2fffd}'
        | '\u{30000}'..='\u{3fffd}')
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
}

/// Closing punctuation and small kana that a line may not start with
/// (the common core of the Japanese and Chinese line-breaking rules).
fn no_break_before(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '・'
            | '：'
            | '；'
            | '？'
            | '！'
            | 'ー'
            | '」'
            | '』'
            | '）'
            | '］'
            | '｝'
            | '〕'
            | '〉'
            | '》'
            | '】'
            | '〙'
            | '〗'
            | '〟'
            | '’'
            | '”'
            | '…'
            | '‥'
            | '々'
            | 'ゝ'
            | 'ゞ'
            | 'ヽ'
            | 'ヾ'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | ','
            | '.'
            | ':'
            | ';'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
    )
}

/// Opening punctuation that a line may not end with.
fn no_break_after(c: char) -> bool {
    matches!(
        c,
        '「' | '『'
            | '（'
            | '［'
            | '｛'
            | '〔'
            | '〈'
            | '《'
            | '【'
            | '〘'
            | '〖'
            | '〝'
            | '‘'
            | '“'
            | '('
            | '['
            | '{'
    )
}

/// A user-perceived character, approximately: a base character with the
/// marks, selectors and joined characters that follow it.
#[derive(Clone, Copy, Debug)]
struct Cluster<'a> {
    text: &'a str,
    width: usize,
    first: char,
    last: char,
}

impl Cluster<'_> {
    /// Whitespace a line may break at (not a no-break space).
    fn is_break_space(&self) -> bool {
        self.first.is_whitespace()
            && !matches!(self.first, '\u{a0}' | '\u{2007}' | '\u{202f}')
            && self.text.chars().count() == 1
    }
}

fn clusters(s: &str) -> Vec<Cluster<'_>> {
    let mut out: Vec<Cluster<'_>> = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        let joins = match (prev, out.last()) {
            (None, _) | (_, None) => false,
            (Some(p), Some(last)) => {
                is_zero_width(c) && c != '\u{200b}' && c != '\u{feff}'
                    || p == '\u{200d}'
                    || is_regional_indicator(c)
                        && is_regional_indicator(p)
                        && last
                            .text
                            .chars()
                            .filter(|&c| is_regional_indicator(c))
                            .count()
                            == 1
            }
        };
        // The current cluster is always `out.last()`, extended in place.
        if joins {
            let last = out.last_mut().expect("a cluster to join");
            last.text = &s[start..i + c.len_utf8()];
            last.last = c;
            if is_regional_indicator(c) {
                last.width += char_width(c);
            }
        } else {
            start = i;
            out.push(Cluster {
                text: &s[i..i + c.len_utf8()],
                width: char_width(c),
                first: c,
                last: c,
            });
        }
        prev = Some(c);
    }
    out
}

/// Whether a line may break between two adjacent non-space clusters:
/// only next to a wide character (scripts written without spaces, emoji),
/// and never before closing or after opening punctuation.
fn may_break_between(a: &Cluster<'_>, b: &Cluster<'_>) -> bool {
    (a.width == 2 || b.width == 2) && !no_break_before(b.first) && !no_break_after(a.last)
}

/// Breaks `s` (one line, as [`escape`] returns it) into lines of at most
/// `width` columns.
///
/// Lines break at spaces, which are dropped at the break, and between wide
/// characters (CJK text has no spaces), keeping closing punctuation on the
/// line before it. A word wider than a whole line is cut between
/// characters. Never returns an empty list; returns `[""]` for `""`.
pub(crate) fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let cs = clusters(s);
    // Words: runs of non-space clusters with no break opportunity inside.
    let mut pieces: Vec<(bool, &[Cluster<'_>])> = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let space = cs[i].is_break_space();
        let mut j = i + 1;
        while j < cs.len()
            && cs[j].is_break_space() == space
            && (space || !may_break_between(&cs[j - 1], &cs[j]))
        {
            j += 1;
        }
        pieces.push((space, &cs[i..j]));
        i = j;
    }

    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0;
    let mut pending_space: &[Cluster<'_>] = &[];
    for (space, piece) in pieces {
        if space {
            pending_space = piece;
            continue;
        }
        let space_width: usize = pending_space.iter().map(|c| c.width).sum();
        let piece_width: usize = piece.iter().map(|c| c.width).sum();
        if line_width + space_width + piece_width <= width {
            for c in pending_space.iter().chain(piece) {
                line.push_str(c.text);
            }
            line_width += space_width + piece_width;
        } else {
            if line_width > 0 || !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0;
            }
            for c in piece {
                if line_width + c.width > width && line_width > 0 {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0;
                }
                line.push_str(c.text);
                line_width += c.width;
            }
        }
        pending_space = &[];
    }
    // Escaped values have no whitespace at their ends; keep any anyway.
    for c in pending_space {
        line.push_str(c.text);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_breaks_controls_and_invisible_ends() {
        assert_eq!(escape("plain text"), "plain text");
        assert_eq!(escape("a\r\nb\nc\td"), "a⏎b⏎c⇥d");
        assert_eq!(escape(" leave, "), "␠leave,␠");
        assert_eq!(escape("\u{3000}x\u{a0}"), "\\u{3000}x\\u{a0}");
        assert_eq!(escape("a\u{202e}b\u{7}"), "a\\u{202e}b\\u{7}");
        assert_eq!(escape("  "), "␠␠");
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            wrap("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("a  b", 1), ["a", "b"]);
    }

    #[test]
    fn cuts_words_longer_than_a_line() {
        assert_eq!(
            wrap("see https://example.com/a/very/long/path now", 12),
            ["see", "https://exam", "ple.com/a/ve", "ry/long/path", "now"]
        );
    }

    #[test]
    fn wraps_cjk_by_columns_and_keeps_closing_punctuation() {
        // Each character takes two columns: five fit in ten.
        assert_eq!(wrap("運転手の確保に努め", 10), ["運転手の確", "保に努め"]);
        // `、` may not start a line: it goes with the character before it.
        assert_eq!(wrap("あいうえお、かき", 10), ["あいうえ", "お、かき"]);
        // `「` may not end a line.
        assert_eq!(wrap("あいうえ「かき」", 10), ["あいうえ", "「かき」"]);
    }

    #[test]
    fn keeps_emoji_sequences_whole() {
        let chef = "👨\u{200d}🍳";
        assert_eq!(width(chef), 2);
        assert_eq!(width("🇪🇸"), 2);
        assert_eq!(width("é"), 1);
        let s = format!("{chef}{chef}{chef}");
        assert_eq!(wrap(&s, 4), [format!("{chef}{chef}"), chef.to_string()]);
        assert_eq!(wrap("🇪🇸🇪🇸", 2), ["🇪🇸", "🇪🇸"]);
    }

    #[test]
    fn every_line_fits_unless_one_cluster_does_not() {
        let text =
            "Apology accepted 👍 I’ll take you up on that meal, 住民の足を守るのは町の責任です";
        for w in 1..30 {
            for line in wrap(text, w) {
                assert!(width(&line) <= w.max(2), "{w}: {line:?}");
                assert!(!line.ends_with(' ') && !line.starts_with(' '), "{line:?}");
            }
        }
    }
}
