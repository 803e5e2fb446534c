//! Text primitives shared by every stage: tokens (scoring.md §1), and the
//! one cleaner of control characters that every writer applies to text it
//! did not write ([`printable`]).
//!
//! This module knows nothing about corpora, records or scores; it only turns
//! strings into the token lists that every text comparison in quotecheck uses,
//! and into text that is safe to show.

mod printable;

pub use printable::{is_hidden, printable, printable_line};

use unicode_script::{Script, UnicodeScript};

/// Returns the tokens of `s` as defined in scoring.md §1.
///
/// A token is a maximal run of alphanumeric characters, except that a Han,
/// Hiragana or Katakana character is a token on its own. Each token is then
/// lower-cased with the full Unicode mapping (split first, lower-case after,
/// so `İ` gives `i̇`). Everything else separates tokens.
///
/// ```
/// assert_eq!(quotecheck::text::tokens("“Gaddafi must leave,”"), ["gaddafi", "must", "leave"]);
/// assert_eq!(quotecheck::text::tokens("東京で"), ["東", "京", "で"]);
/// ```
pub fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(s, |t| out.push(t.to_lowercase()));
    out
}

/// `bytes` as text, checked with SIMD (`simdutf8`), which on text with
/// accented letters is several times faster than the standard library's
/// check; on invalid bytes, the standard library's error, which says where.
pub fn from_utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes))
}

/// Whether `s` has at least one token, without allocating.
pub fn has_tokens(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Calls `f` with each token of `s` before lower-casing, as a slice of `s`.
pub fn for_each_token<'a>(s: &'a str, mut f: impl FnMut(&'a str)) {
    let bytes = s.as_bytes();
    let mut run_start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        // An ASCII byte is a character of its own, alphanumeric exactly
        // when `is_ascii_alphanumeric`, and never ideographic.
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                run_start.get_or_insert(i);
            } else if let Some(start) = run_start.take() {
                f(&s[start..i]);
            }
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().expect("a character starts after one");
        if !is_alphanumeric(c) {
            if let Some(start) = run_start.take() {
                f(&s[start..i]);
            }
        } else if is_ideographic_script(c) {
            if let Some(start) = run_start.take() {
                f(&s[start..i]);
            }
            f(&s[i..i + c.len_utf8()]);
        } else if run_start.is_none() {
            run_start = Some(i);
        }
        i += c.len_utf8();
    }
    if let Some(start) = run_start {
        f(&s[start..]);
    }
}

/// `char::is_alphanumeric`, without its table for the accented Latin
/// letters of European news (U+00C0–U+024F: every one a letter but `×` and
/// `÷`, which a test checks against the table).
fn is_alphanumeric(c: char) -> bool {
    match c {
        '\u{D7}' | '\u{F7}' => false,
        '\u{C0}'..='\u{24F}' => true,
        c => c.is_alphanumeric(),
    }
}

/// Han, Hiragana and Katakana characters are tokens on their own: these
/// scripts write words without spaces between them.
fn is_ideographic_script(c: char) -> bool {
    // None of the three scripts has a character below U+2E80 (CJK Radicals
    // Supplement): skip the script table for Latin, Greek, Cyrillic, Arabic…
    c >= '\u{2E80}'
        && matches!(
            c.script(),
            Script::Han | Script::Hiragana | Script::Katakana
        )
}

/// Name normalization (scoring.md §3): the tokens joined by single spaces,
/// with a first token `the` removed.
///
/// ```
/// assert_eq!(quotecheck::text::normalize_name("The US State Department"), "us state department");
/// ```
pub fn normalize_name(s: &str) -> String {
    let toks = tokens(s);
    let rest = match toks.first() {
        Some(first) if first == "the" => &toks[1..],
        _ => &toks[..],
    };
    rest.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_punctuation_and_quote_marks() {
        assert_eq!(tokens("«Bonjour», dit-il"), ["bonjour", "dit", "il"]);
        assert_eq!(tokens("don't"), ["don", "t"]);
        assert_eq!(tokens("„Wir schaffen das“"), ["wir", "schaffen", "das"]);
        assert!(tokens(" – … ").is_empty());
    }

    #[test]
    fn ideographs_and_kana_are_single_tokens_but_hangul_is_not() {
        // The prolonged sound mark ー has Script=Common: it forms a run of its own.
        assert_eq!(tokens("「東京タワー」"), ["東", "京", "タ", "ワ", "ー"]);
        assert_eq!(tokens("abc東def"), ["abc", "東", "def"]);
        assert_eq!(tokens("서울시"), ["서울시"]);
    }

    #[test]
    fn latin_letters_are_alphanumeric_as_the_table_says() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn no_ideographic_script_below_the_cjk_radicals() {
        for c in (0..0x2E80).filter_map(char::from_u32) {
            assert!(
                !matches!(
                    c.script(),
                    Script::Han | Script::Hiragana | Script::Katakana
                ),
                "{c:?}"
            );
        }
        assert!(is_ideographic_script('\u{2E80}'));
    }

    /// The definition, a character at a time, as it was written first.
    fn tokens_by_chars(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut run_start: Option<usize> = None;
        for (i, c) in s.char_indices() {
            if !c.is_alphanumeric() {
                if let Some(start) = run_start.take() {
                    out.push(&s[start..i]);
                }
            } else if is_ideographic_script(c) {
                if let Some(start) = run_start.take() {
                    out.push(&s[start..i]);
                }
                out.push(&s[i..i + c.len_utf8()]);
            } else if run_start.is_none() {
                run_start = Some(i);
            }
        }
        if let Some(start) = run_start {
            out.push(&s[start..]);
        }
        out
    }

    #[test]
    fn the_ascii_fast_path_splits_as_the_definition_does() {
        // Every pair and triple of characters from ASCII, Latin, kana,
        // Han, Hangul, digits of other scripts, marks and punctuation.
        let chars: Vec<char> = (0u8..128)
            .map(char::from)
            .chain("éÖß٣²ⅫİΣ東京タワーで서\u{301}\u{200B}“”—…😀".chars())
            .collect();
        let mut seen = 0;
        for &a in &chars {
            for &b in &chars {
                for c in ["", "x", "é", "東", " ", "9"] {
                    let s = format!("{a}{b}{c}{a}");
                    let mut fast = Vec::new();
                    for_each_token(&s, |t| fast.push(t));
                    assert_eq!(fast, tokens_by_chars(&s), "{s:?}");
                    seen += 1;
                }
            }
        }
        assert!(seen > 100_000);
    }

    #[test]
    fn lower_cases_after_splitting() {
        assert_eq!(tokens("İstanbul"), ["i\u{307}stanbul"]);
        assert_eq!(tokens("ΣΟΦΟΣ"), ["σοφος"]);
        assert_eq!(tokens("Zoë 42x"), ["zoë", "42x"]);
    }

    #[test]
    fn name_normalization_drops_a_leading_the_only() {
        assert_eq!(normalize_name("the  Minister"), "minister");
        assert_eq!(
            normalize_name("Minister of the Interior"),
            "minister of the interior"
        );
        assert_eq!(normalize_name("The"), "");
    }
}
