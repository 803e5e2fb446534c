//! The text outside quotations as a sequence of units (words, punctuation,
//! whole quotations, paragraph breaks) and its sentences.

use unicode_script::{Script, UnicodeScript};

use super::lexicon;
use super::marks::{self, Quotation};
use crate::corpus::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum UnitKind {
    Word,
    Punct(char),
    /// A whole quotation (index into [`Doc::quotes`]), marks included.
    Quote(usize),
    /// A paragraph break.
    Break,
}

/// Where a word's lower case ([`Doc::word`]) is: the word's own text when
/// that is lower case already (most words), else a range of
/// [`Doc::lowers`]. One buffer for the article instead of a `String` a
/// word.
#[derive(Clone, Copy, Debug)]
enum Lower {
    Raw,
    At(usize, usize),
}

impl Lower {
    /// The lower case of the word at `span` of `text`, whose other lower
    /// cases are `lowers`.
    fn of<'t>(self, text: &'t str, span: Span, lowers: &'t str) -> &'t str {
        match self {
            Lower::Raw => &text[span.start..span.end],
            Lower::At(a, b) => &lowers[a..b],
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Unit {
    pub span: Span,
    pub kind: UnitKind,
    /// Words only: the lower case, `’` written `'`.
    lower: Lower,
    /// Words only: starts with a capital letter.
    pub capitalised: bool,
    /// Words only: can be part of a name ([`Doc::namey`]).
    pub namey: bool,
}

/// An article prepared for the rules.
pub(super) struct Doc<'a> {
    pub text: &'a str,
    pub quotes: Vec<Quotation>,
    pub units: Vec<Unit>,
    /// For each quotation, its unit.
    pub quote_unit: Vec<usize>,
    /// Unit ranges `[start, end)`, in order; breaks belong to none.
    pub sentences: Vec<(usize, usize)>,
    /// For each unit, its sentence (`usize::MAX` for breaks).
    pub sentence_of: Vec<usize>,
    /// Units already part of an attribution.
    pub used: Vec<bool>,
    /// The lower case of the words that are not lower case already, one
    /// after the other.
    lowers: String,
}

/// A letter, a digit or a combining mark (`Script::Inherited`).
fn word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || !no_inherited(c) && c.script() == Script::Inherited
}

/// Blocks the rules meet often that hold no character of
/// `Script::Inherited`, so that their punctuation skips the script
/// table's binary search: Latin-1 and Latin Extended-A and -B, General
/// Punctuation but for the joiners `U+200C`, `U+200D`, the CJK punctuation
/// and kana but for the tone and sound marks (`U+302A`–`U+302D`,
/// `U+3099`–`U+309A`), and the half- and full-width forms.
fn no_inherited(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{24F}'
            | '\u{2000}'..='\u{200B}'
            | '\u{200E}'..='\u{206F}'
            | '\u{3000}'..='\u{3029}'
            | '\u{302E}'..='\u{3098}'
            | '\u{309B}'..='\u{30FF}'
            | '\u{FF00}'..='\u{FFEF}'
    )
}

fn joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐' | '‑' | '.' | '·')
}

fn terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '。' | '！' | '？' | '‼' | '⁇' | '⁈' | '⁉'
    )
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let paras = marks::paragraphs(text);
        let quotes = marks::quotations(text, &paras);
        let mut units = build_units(text, &paras, &quotes);
        let mut lowers = String::new();
        for u in units.iter_mut().filter(|u| u.kind == UnitKind::Word) {
            let raw = &text[u.span.start..u.span.end];
            u.lower = push_lower(&mut lowers, raw);
            let lower = u.lower.of(text, u.span, &lowers);
            u.capitalised = raw.chars().next().is_some_and(char::is_uppercase);
            u.namey = namey(raw, lower, u.capitalised);
        }
        let mut quote_unit = vec![usize::MAX; quotes.len()];
        for (i, u) in units.iter().enumerate() {
            if let UnitKind::Quote(q) = u.kind {
                quote_unit[q] = i;
            }
        }
        let mut doc = Doc {
            text,
            quotes,
            used: vec![false; units.len()],
            sentence_of: vec![usize::MAX; units.len()],
            units,
            quote_unit,
            sentences: Vec::new(),
            lowers,
        };
        doc.split_sentences();
        doc
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// The lower-case word at `i`, if unit `i` is a word.
    pub fn word(&self, i: usize) -> Option<&str> {
        match self.units.get(i) {
            Some(u) if u.kind == UnitKind::Word => {
                Some(u.lower.of(self.text, u.span, &self.lowers))
            }
            _ => None,
        }
    }

    /// The text of unit `i`.
    pub fn raw(&self, i: usize) -> &'a str {
        let span = self.units[i].span;
        &self.text[span.start..span.end]
    }

    pub fn punct(&self, i: usize) -> Option<char> {
        match self.units.get(i)?.kind {
            UnitKind::Punct(c) => Some(c),
            _ => None,
        }
    }

    pub fn is_punct(&self, i: usize, set: &[char]) -> bool {
        self.punct(i).is_some_and(|c| set.contains(&c))
    }

    pub fn quote(&self, i: usize) -> Option<usize> {
        match self.units.get(i)?.kind {
            UnitKind::Quote(q) => Some(q),
            _ => None,
        }
    }

    pub fn is_break(&self, i: usize) -> bool {
        self.units.get(i).is_some_and(|u| u.kind == UnitKind::Break)
    }

    /// Whether the word at `i` starts with a capital letter.
    pub fn capitalised(&self, i: usize) -> bool {
        self.units.get(i).is_some_and(|u| u.capitalised)
    }

    /// A word that can be part of a name: capitalised and not a function
    /// word, or hyphenated with a capitalised part (`al-Assad`).
    pub fn namey(&self, i: usize) -> bool {
        self.units.get(i).is_some_and(|u| u.namey)
    }

    /// Whether unit `i` is a terminal punctuation mark (`.`, `!`, `?`, `…`),
    /// not counting the full stop of an abbreviation or initial before a
    /// name (`Dr. J. R. Ortiz`).
    pub fn is_terminal(&self, i: usize) -> bool {
        match self.punct(i) {
            Some('.') => !self.abbreviation_stop(i),
            Some(c) => terminal(c),
            None => false,
        }
    }

    /// A full stop after an abbreviation or an initial, before a
    /// capitalised word, or after an abbreviation before a number (`Sept.
    /// 11`, `No. 2`).
    fn abbreviation_stop(&self, i: usize) -> bool {
        let Some(w) = i.checked_sub(1).and_then(|p| self.word(p)) else {
            return false;
        };
        let raw = self.raw(i - 1);
        let initial = raw.chars().count() == 1 && raw.chars().all(char::is_uppercase);
        let listed = lexicon::abbreviation(w);
        (listed || initial) && self.capitalised(i + 1)
            || listed
                && self.word(i + 1).is_some()
                && self.raw(i + 1).starts_with(|c: char| c.is_ascii_digit())
    }

    /// The last character of quotation `q`'s content.
    pub fn quote_last_char(&self, q: usize) -> Option<char> {
        let part = *self.quotes[q].parts.last()?;
        self.text[part.start..part.end].chars().last()
    }

    /// Whether a full stop at unit `i` ends a sentence.
    fn full_stop_ends(&self, i: usize) -> bool {
        !self.abbreviation_stop(i) && !self.next_continues(i)
    }

    /// Whether what follows unit `i` continues its sentence (a lower-case
    /// word, a comma, more punctuation).
    fn next_continues(&self, i: usize) -> bool {
        match self.units.get(i + 1) {
            None => false,
            Some(u) => match u.kind {
                UnitKind::Word => {
                    let raw = self.raw(i + 1);
                    raw.chars().next().is_some_and(|c| c.is_lowercase())
                }
                UnitKind::Punct(c) => {
                    matches!(c, ',' | ';' | '.' | ')' | ']' | '-' | '—' | '–') || terminal(c)
                }
                UnitKind::Quote(_) | UnitKind::Break => false,
            },
        }
    }

    fn split_sentences(&mut self) {
        let mut start = 0;
        let n = self.units.len();
        let mut i = 0;
        while i < n {
            let ends_after = match self.units[i].kind {
                UnitKind::Break => {
                    if start < i {
                        self.sentences.push((start, i));
                    }
                    start = i + 1;
                    i += 1;
                    continue;
                }
                UnitKind::Punct('.') => self.full_stop_ends(i),
                UnitKind::Punct(c) if terminal(c) => !self.next_continues(i),
                UnitKind::Quote(q) => {
                    self.quote_last_char(q).is_some_and(terminal) && !self.next_continues(i)
                }
                _ => false,
            };
            if ends_after {
                // Closing brackets stay with their sentence.
                let mut end = i + 1;
                while end < n && self.is_punct(end, &[')', ']']) {
                    end += 1;
                }
                self.sentences.push((start, end));
                start = end;
                i = end;
            } else {
                i += 1;
            }
        }
        if start < n {
            self.sentences.push((start, n));
        }
        for (si, &(s, e)) in self.sentences.iter().enumerate() {
            for k in s..e {
                self.sentence_of[k] = si;
            }
        }
    }

    /// The sentence range containing unit `i`.
    pub fn sentence(&self, i: usize) -> Option<(usize, usize)> {
        let si = *self.sentence_of.get(i)?;
        self.sentences.get(si).copied()
    }

    /// The span from the start of unit `a` to the end of unit `b`.
    pub fn span(&self, a: usize, b: usize) -> Span {
        Span::new(self.units[a].span.start, self.units[b].span.end)
    }
}

/// [`Doc::namey`] for the word `raw`, lower case `lower`: worked out once
/// a word, when the units are made. The capitals are tested first: most
/// words have none, and skip the lexicon's lookup.
fn namey(raw: &str, lower: &str, capitalised: bool) -> bool {
    let capitals = capitalised
        || raw
            .split(['-', '‐', '‑'])
            .skip(1)
            .any(|p| p.chars().next().is_some_and(char::is_uppercase));
    capitals && !lexicon::not_a_name(lower) && lexicon::pronoun(lower).is_none()
}

/// The lower case of the word `raw`, `’` written `'`: [`Lower::Raw`] when
/// that is `raw` itself (an ASCII word without capitals), else appended
/// to `out`. The same as `raw.to_lowercase().replace('’', "'")`, char by
/// char without a `String` of its own.
fn push_lower(out: &mut String, raw: &str) -> Lower {
    if raw.is_ascii() {
        if !raw.bytes().any(|b| b.is_ascii_uppercase()) {
            return Lower::Raw;
        }
        let start = out.len();
        out.extend(raw.chars().map(|c| c.to_ascii_lowercase()));
        return Lower::At(start, out.len());
    }
    let start = out.len();
    if raw.contains('Σ') {
        // The one letter whose lower case depends on its neighbours (a
        // final sigma): the string's own conversion.
        out.push_str(&raw.to_lowercase().replace('’', "'"));
        return Lower::At(start, out.len());
    }
    for c in raw.chars() {
        match c {
            '’' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c if caseless(c) => out.push(c),
            c => out.extend(c.to_lowercase()),
        }
    }
    Lower::At(start, out.len())
}

/// Blocks without case: CJK punctuation, kana and ideographs
/// (`U+3000`–`U+9FFF`), whose characters are their own lower case, so
/// Japanese words skip the case table's search.
fn caseless(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9FFF}')
}

fn build_units(text: &str, paras: &[Span], quotes: &[Quotation]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut qi = 0;
    let mut pos = 0;
    for para in paras {
        if pos >= para.end {
            continue;
        }
        if pos <= para.start && units.last().is_some_and(|u| u.kind != UnitKind::Break) {
            units.push(Unit {
                span: Span::new(para.start, para.start),
                kind: UnitKind::Break,
                lower: Lower::Raw,
                capitalised: false,
                namey: false,
            });
        }
        pos = pos.max(para.start);
        while pos < para.end {
            while qi < quotes.len() && quotes[qi].open < pos {
                qi += 1;
            }
            if qi < quotes.len() && quotes[qi].open == pos {
                let q = &quotes[qi];
                units.push(Unit {
                    span: Span::new(q.open, q.end),
                    kind: UnitKind::Quote(qi),
                    lower: Lower::Raw,
                    capitalised: false,
                    namey: false,
                });
                pos = q.end.max(pos + 1);
                while !text.is_char_boundary(pos) {
                    pos += 1;
                }
                qi += 1;
                continue;
            }
            let rest = &text[pos..para.end];
            let Some(c) = rest.chars().next() else {
                break;
            };
            if c.is_whitespace() {
                pos += c.len_utf8();
                continue;
            }
            if word_char(c) {
                let end = word_end(text, pos, para.end, quotes.get(qi).map(|q| q.open));
                units.push(Unit {
                    span: Span::new(pos, end),
                    kind: UnitKind::Word,
                    lower: Lower::Raw,
                    capitalised: false,
                    namey: false,
                });
                pos = end;
                continue;
            }
            units.push(Unit {
                span: Span::new(pos, pos + c.len_utf8()),
                kind: UnitKind::Punct(c),
                lower: Lower::Raw,
                capitalised: false,
                namey: false,
            });
            pos += c.len_utf8();
        }
    }
    units
}

/// The end of the word starting at `start`: word characters, joined by
/// apostrophes, hyphens and full stops between letters (`don't`,
/// `al-Assad`, `U.S`).
fn word_end(text: &str, start: usize, limit: usize, next_quote: Option<usize>) -> usize {
    let s = &text[start..limit];
    let mut chars = s.char_indices().peekable();
    let mut end = start;
    let mut prev: Option<char> = None;
    while let Some((off, c)) = chars.next() {
        if word_char(c) {
            end = start + off + c.len_utf8();
            prev = Some(c);
            continue;
        }
        let next = chars.peek().map(|&(_, n)| n);
        let digits = c == ','
            && prev.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit());
        let joins = digits
            || joiner(c)
                && prev.is_some()
                && next.is_some_and(word_char)
                && (c != '.'
                    || (prev.is_some_and(char::is_alphanumeric)
                        && next.is_some_and(char::is_alphanumeric)))
                && next_quote != Some(start + off);
        if !joins {
            // `the workers’ union`: an apostrophe after a plural `s`.
            if matches!(c, '\'' | '’')
                && matches!(prev, Some('s' | 'S'))
                && !next.is_some_and(char::is_alphanumeric)
                && next_quote != Some(start + off)
            {
                end = start + off + c.len_utf8();
            }
            break;
        }
        prev = Some(c);
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every char, surrogates left out.
    fn every_char() -> impl Iterator<Item = char> {
        (0..=0x10FFFF_u32).filter_map(char::from_u32)
    }

    #[test]
    fn the_word_chars_are_those_of_the_script_test() {
        for c in every_char() {
            let simple = c.is_alphanumeric() || (!c.is_ascii() && c.script() == Script::Inherited);
            assert_eq!(word_char(c), simple, "{c:?} U+{:04X}", c as u32);
        }
    }

    fn lower_of(raw: &str) -> String {
        let mut out = String::from("prefix");
        match push_lower(&mut out, raw) {
            Lower::Raw => raw.to_string(),
            Lower::At(a, b) => {
                assert_eq!((a, b), (6, out.len()), "{raw:?}");
                out[a..b].to_string()
            }
        }
    }

    #[test]
    fn the_lower_case_is_that_of_the_string_conversion() {
        let simple = |raw: &str| raw.to_lowercase().replace('’', "'");
        for c in every_char() {
            let raw = c.to_string();
            assert_eq!(lower_of(&raw), simple(&raw), "U+{:04X}", c as u32);
        }
        for raw in [
            "l’Exposition",
            "ΟΔΟΣ",
            "ΣΑ",
            "aΣ",
            "ΣΣ",
            "İstanbul",
            "Straße",
            "ǅemal",
            "鷺ノ浦町",
            "ＡＢＣ株式会社",
            "don't",
            "O’Brien’s",
            "ASCII",
            "lower",
        ] {
            assert_eq!(lower_of(raw), simple(raw), "{raw:?}");
        }
        let mut out = String::new();
        assert!(matches!(push_lower(&mut out, "ministre"), Lower::Raw) && out.is_empty());
    }

    #[test]
    fn a_name_is_tested_for_its_capitals_before_the_lexicon() {
        let simple = |raw: &str| {
            let lower = raw.to_lowercase().replace('’', "'");
            let capitalised = raw.chars().next().is_some_and(char::is_uppercase);
            if lexicon::not_a_name(&lower) || lexicon::pronoun(&lower).is_some() {
                return false;
            }
            capitalised
                || raw
                    .split(['-', '‐', '‑'])
                    .skip(1)
                    .any(|p| p.chars().next().is_some_and(char::is_uppercase))
        };
        for raw in [
            "Ortiz", "al-Assad", "The", "He", "said", "Said", "she", "ex-UN", "x‐Y", "Élise",
        ] {
            let lower = raw.to_lowercase().replace('’', "'");
            let capitalised = raw.chars().next().is_some_and(char::is_uppercase);
            assert_eq!(namey(raw, &lower, capitalised), simple(raw), "{raw:?}");
        }
    }

    #[test]
    fn a_word_reads_its_lower_case_from_the_text_or_the_buffer() {
        let doc = Doc::new("Le Ministre a dit l’essentiel à Zoë.");
        let words: Vec<&str> = (0..doc.len()).filter_map(|i| doc.word(i)).collect();
        assert_eq!(
            words,
            ["le", "ministre", "a", "dit", "l'essentiel", "à", "zoë"]
        );
    }
}
