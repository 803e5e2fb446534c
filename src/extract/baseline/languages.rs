//! The language of an article, and the word lists of the languages other
//! than English (`languages/*.txt`).
//!
//! The detector (docs/baseline.md, "Languages") is deliberately simple:
//! an article with kana (hiragana or katakana) in at least 1 in 20 of its
//! letters is Japanese; otherwise the language whose frequent words
//! (`stop` entries) occur most often among the first 2,000 words wins,
//! English on a tie. An article's `language` or the extractor's
//! `language =` setting overrides it.
//!
//! The format of a list file: UTF-8, a header `# NAME: …`, then one
//! `KIND word` a line (lower case, `'` for an apostrophe); blank lines and
//! lines starting with `#` are ignored. An entry ending in `'` (`l'`,
//! `qu'`) matches every word it starts (`l'exposition`).

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// A language the baseline has rules for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (and Chinese, whose direct quotes the English rules read).
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Japanese.
    Ja,
}

impl Lang {
    /// The language of a BCP 47 tag (`de`, `de-CH`, `fr-FR`, `ja`, `en-GB`):
    /// its primary subtag, case-insensitive; `None` for a language without
    /// rules of its own.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            "fr" => Some(Lang::Fr),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The tag as the configuration writes it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Ja => "ja",
        }
    }
}

/// A kind of word the rules test for. Each is at a fixed bit in every
/// language, so a test is one lookup, of the word, not two.
#[derive(Clone, Copy)]
pub(super) struct Kind(u64);

/// `a | b`: either kind, for [`Kinds::is`].
impl std::ops::BitOr for Kind {
    type Output = Kind;

    fn bitor(self, other: Kind) -> Kind {
        Kind(self.0 | other.0)
    }
}

/// The kinds of one word ([`Words::kinds`]): one lookup for several
/// tests of the same word.
#[derive(Clone, Copy)]
pub(super) struct Kinds(u64);

impl Kinds {
    /// Whether the word is of `kind` (of any of them, for `a | b`).
    pub fn is(self, kind: Kind) -> bool {
        self.0 & kind.0 != 0
    }
}

/// Whether `word` is an entry `prefix…` of a list: it starts with the
/// prefix and is longer.
fn extends(word: &str, prefix: &str) -> bool {
    word.len() > prefix.len() && word.starts_with(prefix)
}

/// The kinds of [`kind`], by bit; a language's other kinds take the bits
/// after them.
const FIXED: [&str; 17] = [
    "after",
    "as",
    "aux",
    "before",
    "cue",
    "det",
    "konj",
    "nosubj",
    "npstop",
    "of",
    "participle",
    "particle",
    "perfect",
    "postfix",
    "pron",
    "refl",
    "that",
];

/// The kinds the rules test words for (`languages/*.txt`).
pub(super) mod kind {
    use super::{Kind, FIXED};

    /// The kind `name` of [`FIXED`]; not compiled when it is not there.
    const fn named(name: &str) -> Kind {
        let mut i = 0;
        while i < FIXED.len() {
            let (a, b) = (FIXED[i].as_bytes(), name.as_bytes());
            if a.len() == b.len() {
                let mut j = 0;
                while j < a.len() && a[j] == b[j] {
                    j += 1;
                }
                if j == a.len() {
                    return Kind(1 << i);
                }
            }
            i += 1;
        }
        panic!("a kind missing from FIXED");
    }

    pub(in crate::extract::baseline) const AFTER: Kind = named("after");
    pub(in crate::extract::baseline) const AS: Kind = named("as");
    pub(in crate::extract::baseline) const AUX: Kind = named("aux");
    pub(in crate::extract::baseline) const BEFORE: Kind = named("before");
    pub(in crate::extract::baseline) const CUE: Kind = named("cue");
    pub(in crate::extract::baseline) const DET: Kind = named("det");
    pub(in crate::extract::baseline) const KONJ: Kind = named("konj");
    pub(in crate::extract::baseline) const NOSUBJ: Kind = named("nosubj");
    pub(in crate::extract::baseline) const NPSTOP: Kind = named("npstop");
    pub(in crate::extract::baseline) const OF: Kind = named("of");
    pub(in crate::extract::baseline) const PARTICIPLE: Kind = named("participle");
    pub(in crate::extract::baseline) const PARTICLE: Kind = named("particle");
    pub(in crate::extract::baseline) const PERFECT: Kind = named("perfect");
    pub(in crate::extract::baseline) const POSTFIX: Kind = named("postfix");
    pub(in crate::extract::baseline) const PRON: Kind = named("pron");
    pub(in crate::extract::baseline) const REFL: Kind = named("refl");
    pub(in crate::extract::baseline) const THAT: Kind = named("that");
}

/// The words of one language, by kind.
pub(super) struct Words {
    /// Each kind's bit (at most 64 kinds a language).
    bits: FxHashMap<&'static str, u64>,
    /// Each word's kinds, as bits: one lookup a word.
    kinds: FxHashMap<&'static str, u64>,
    /// Entries ending in `'`, with their kinds' bits.
    prefixes: Vec<(u64, &'static str)>,
    /// Entries in file order, by kind (for lists tried in order).
    ordered: FxHashMap<&'static str, Vec<&'static str>>,
    /// The entries of each kind `X+` (the nouns of a source after `X`), by
    /// `X`.
    plus: FxHashMap<&'static str, Vec<&'static str>>,
}

impl Words {
    fn parse(file: &'static str) -> Words {
        let mut w = Words {
            bits: FxHashMap::default(),
            kinds: FxHashMap::default(),
            prefixes: Vec::new(),
            ordered: FxHashMap::default(),
            plus: FxHashMap::default(),
        };
        for line in file.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((kind, word)) = line.split_once(' ') else {
                continue;
            };
            let others = w.bits.keys().filter(|k| !FIXED.contains(k)).count();
            let bit = *w.bits.entry(kind).or_insert_with(|| {
                let at = FIXED
                    .iter()
                    .position(|f| *f == kind)
                    .unwrap_or(FIXED.len() + others);
                assert!(at < 64, "a language file has more than 64 kinds");
                1 << at
            });
            *w.kinds.entry(word).or_default() |= bit;
            w.ordered.entry(kind).or_default().push(word);
            if let Some(x) = kind.strip_suffix('+') {
                w.plus.entry(x).or_default().push(word);
            }
            if word.ends_with('\'') {
                w.prefixes.push((bit, word));
            }
        }
        w
    }

    /// Whether `word` (lower case, `'` for `’`) is of `kind`.
    pub fn is(&self, kind: Kind, word: &str) -> bool {
        self.has(kind.0, word)
    }

    /// The kinds of `word`: `kinds(x).is(k)` is `is(k, x)`, and one lookup
    /// for any number of tests.
    pub fn kinds(&self, word: &str) -> Kinds {
        let mut bits = self.kinds.get(word).copied().unwrap_or(0);
        for &(k, p) in &self.prefixes {
            if extends(word, p) {
                bits |= k;
            }
        }
        Kinds(bits)
    }

    /// Whether `word` is of the kind named `kind` (the tests' form of
    /// [`Words::is`]).
    #[cfg(test)]
    fn is_named(&self, kind: &str, word: &str) -> bool {
        self.bits.get(kind).is_some_and(|&bit| self.has(bit, word))
    }

    /// Whether `word` is of the kind at `bit`.
    fn has(&self, bit: u64, word: &str) -> bool {
        self.kinds.get(word).is_some_and(|k| k & bit != 0)
            || self
                .prefixes
                .iter()
                .any(|&(k, p)| k & bit != 0 && extends(word, p))
    }

    /// Whether the list has any entry of `kind`.
    pub fn any(&self, kind: &str) -> bool {
        self.bits.contains_key(kind)
    }

    /// The entries of `kind` in file order.
    pub fn list(&self, kind: &str) -> &[&'static str] {
        self.ordered.get(kind).map_or(&[], Vec::as_slice)
    }

    /// The entries of kind `X+` for `x`, in file order (empty when the
    /// list has none): `list(&format!("{x}+"))` without building the name.
    pub fn plus(&self, x: &str) -> &[&'static str] {
        self.plus.get(x).map_or(&[], Vec::as_slice)
    }
}

static EN: LazyLock<Words> = LazyLock::new(|| Words::parse(include_str!("languages/en.txt")));
static DE: LazyLock<Words> = LazyLock::new(|| Words::parse(include_str!("languages/de.txt")));
static FR: LazyLock<Words> = LazyLock::new(|| Words::parse(include_str!("languages/fr.txt")));
static JA: LazyLock<Words> = LazyLock::new(|| Words::parse(include_str!("languages/ja.txt")));

/// The word lists of `lang`.
pub(super) fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::De => &DE,
        Lang::Fr => &FR,
        Lang::Ja => &JA,
    }
}

/// The words the detector counts.
const SAMPLE_WORDS: usize = 2000;

/// The languages the stop-word count tells apart, in tie order.
const COUNTED: [Lang; 3] = [Lang::En, Lang::De, Lang::Fr];

/// Every stop word of [`COUNTED`], by [`packed`], with a bit per language
/// it belongs to: one lookup a word, of a number rather than a string.
static STOPS: LazyLock<FxHashMap<u64, u8>> = LazyLock::new(|| {
    let mut map = FxHashMap::default();
    for (bit, lang) in COUNTED.iter().enumerate() {
        for word in words(*lang).list("stop") {
            let key = packed(word.as_bytes()).expect("no stop word is longer than MAX_STOP");
            *map.entry(key).or_insert(0u8) |= 1 << bit;
        }
    }
    map
});

/// The longest stop word, in bytes: longer words are not looked up.
const MAX_STOP: usize = 8;

/// The bytes of a word of at most [`MAX_STOP`] bytes as one number,
/// zero-padded; `None` for a longer word. A word has no NUL byte, so two
/// words have the same number only when they are the same.
fn packed(word: &[u8]) -> Option<u64> {
    let mut bytes = [0u8; MAX_STOP];
    bytes.get_mut(..word.len())?.copy_from_slice(word);
    Some(u64::from_le_bytes(bytes))
}

/// The language of `text` by the detector of the module doc.
pub fn detect(text: &str) -> Lang {
    if has_kana(text) && is_japanese(text) {
        return Lang::Ja;
    }
    count_stops(text)
}

/// Whether `text` holds any kana: a byte scan for the UTF-8 lead bytes
/// of both blocks (`E3`, `EF`), the chars decoded only around them. Most
/// articles have none and skip the letter count, whose answer without
/// kana is always "not Japanese".
fn has_kana(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| b == 0xE3 || b == 0xEF) {
        let start = i + at;
        // `start` is a lead byte, so a char boundary.
        if let Some(c) = text[start..].chars().next() {
            if matches!(c, '\u{3040}'..='\u{30ff}' | '\u{ff66}'..='\u{ff9f}') {
                return true;
            }
        }
        i = start + 1;
    }
    false
}

/// Whether kana are at least 1 in 20 of the letters of `text`.
fn is_japanese(text: &str) -> bool {
    let mut letters = 0usize;
    let mut kana = 0usize;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        // Hiragana and katakana blocks, and halfwidth katakana: a range
        // test, cheaper than a script lookup for every letter.
        if !c.is_ascii() && matches!(c, '\u{3040}'..='\u{30ff}' | '\u{ff66}'..='\u{ff9f}') {
            kana += 1;
        }
    }
    kana > 0 && kana * 20 >= letters
}

/// The runs of letters and `'` of `text`, as
/// `text.split(|c| !(c.is_alphabetic() || c == '\'')).filter(|w| !w.is_empty())`
/// gives them, but testing ASCII bytes without decoding a char.
fn stop_candidates(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let mut start = None;
        while i < bytes.len() {
            let b = bytes[i];
            let (inside, width) = if b < 0x80 {
                (b.is_ascii_alphabetic() || b == b'\'', 1)
            } else {
                // A lead byte: `i` is always a char boundary here.
                let c = text[i..].chars().next().unwrap_or(' ');
                (c.is_alphabetic(), c.len_utf8())
            };
            match (inside, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => return Some(&text[s..i]),
                _ => {}
            }
            i += width;
        }
        start.map(|s| &text[s..])
    })
}

/// The language of `text` by its stop words among the first
/// [`SAMPLE_WORDS`] words.
fn count_stops(text: &str) -> Lang {
    let counts = stop_counts(text);
    // The first of the highest counts: English on a tie.
    let mut best = 0;
    for (i, &n) in counts.iter().enumerate() {
        if n > counts[best] {
            best = i;
        }
    }
    COUNTED[best]
}

/// How many of the first [`SAMPLE_WORDS`] words of `text` are stop words
/// of each language of [`COUNTED`].
fn stop_counts(text: &str) -> [usize; COUNTED.len()] {
    let mut counts = [0usize; COUNTED.len()];
    let mut lower = String::new();
    for word in stop_candidates(text).take(SAMPLE_WORDS) {
        if word.len() > MAX_STOP {
            continue;
        }
        let key = if word.is_ascii() {
            // Most words: lower-cased on the stack.
            let mut ascii = [0u8; MAX_STOP];
            ascii[..word.len()].copy_from_slice(word.as_bytes());
            ascii.make_ascii_lowercase();
            Some(u64::from_le_bytes(ascii))
        } else {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            packed(lower.as_bytes())
        };
        if let Some(&bits) = key.and_then(|k| STOPS.get(&k)) {
            for (bit, n) in counts.iter_mut().enumerate() {
                *n += usize::from(bits >> bit & 1);
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[(&str, &str)] = &[
        ("en", include_str!("languages/en.txt")),
        ("de", include_str!("languages/de.txt")),
        ("fr", include_str!("languages/fr.txt")),
        ("ja", include_str!("languages/ja.txt")),
    ];

    #[test]
    fn every_language_file_follows_the_format() {
        super::super::lexicon::check_list_files("languages", FILES, |name, line| {
            let (kind, word) = line
                .split_once(' ')
                .unwrap_or_else(|| panic!("{name}.txt: {line:?} is not `KIND word`"));
            assert!(!kind.is_empty() && !word.is_empty() && !word.contains(' '));
        });
    }

    #[test]
    fn each_kind_holds_exactly_the_words_of_its_lines() {
        for (name, file) in FILES {
            let w = Words::parse(file);
            let lines: Vec<(&str, &str)> = file
                .lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .filter_map(|l| l.split_once(' '))
                .collect();
            for &(kind, _) in &lines {
                for &(_, word) in &lines {
                    let listed = lines.contains(&(kind, word));
                    let prefixed = lines.iter().any(|&(k, p)| {
                        k == kind
                            && p.ends_with('\'')
                            && word.starts_with(p)
                            && word.len() > p.len()
                    });
                    assert_eq!(
                        w.is_named(kind, word),
                        listed || prefixed,
                        "{name}: {kind} {word}"
                    );
                    assert_eq!(
                        w.kinds(word).is(Kind(w.bits[kind])),
                        listed || prefixed,
                        "{name}: kinds of {word}, {kind}"
                    );
                }
                assert!(w.any(kind) && !w.is_named(kind, "") && !w.is_named("no-such-kind", "der"));
                if let Some(x) = kind.strip_suffix('+') {
                    assert_eq!(w.plus(x), w.list(kind), "{name}: {kind}");
                }
            }
        }
    }

    #[test]
    fn no_stop_word_is_longer_than_the_detector_looks() {
        for lang in COUNTED {
            for w in words(lang).list("stop") {
                assert!(w.len() <= MAX_STOP, "{w:?} is longer than MAX_STOP");
            }
        }
    }

    #[test]
    fn the_stop_count_is_that_of_the_lower_case_strings() {
        let simple = |text: &str| {
            let mut counts = [0usize; COUNTED.len()];
            for word in stop_candidates(text).take(SAMPLE_WORDS) {
                let lower: String = word.chars().flat_map(char::to_lowercase).collect();
                for (n, lang) in counts.iter_mut().zip(COUNTED) {
                    *n += usize::from(words(lang).list("stop").contains(&lower.as_str()));
                }
            }
            counts
        };
        for text in [
            include_str!("../../../corpus/bbc-libya-us-talks.txt"),
            include_str!("../../../corpus/world/bremen-hansewerft.txt"),
            include_str!("../../../corpus/world/lyon-musee-greve.txt"),
            "DER Minister SAGTE, DASS LE plan ÉTÉ für À Straße İst x\u{0}y",
        ] {
            assert_eq!(stop_counts(text), simple(text), "{text:?}");
        }
        assert_ne!(packed(b"le"), packed(b"les"));
        assert_eq!(packed(b"123456789"), None);
    }

    #[test]
    fn the_word_runs_are_those_of_the_char_split() {
        for text in [
            "",
            "l'été, c'est « déjà » fini!",
            "Straße—über  Öl's   'x'",
            "市长说：“我们会重建。” ｶﾀｶﾅ and 町長は",
            "  trailing word",
            "a",
        ] {
            let split: Vec<&str> = text
                .split(|c: char| !(c.is_alphabetic() || c == '\''))
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(stop_candidates(text).collect::<Vec<_>>(), split, "{text:?}");
        }
    }

    #[test]
    fn the_kana_scan_agrees_with_the_letter_count() {
        for text in [
            "町長は「年内にまとめたい」と述べた。",
            "ｶﾀｶﾅ",
            "市长说：“我们会重建。”",
            "an English text with one の in it",
            "ﬁ and ＡＢＣ, full-width but no kana",
            "",
        ] {
            let kana = text
                .chars()
                .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{ff66}'..='\u{ff9f}'));
            assert_eq!(has_kana(text), kana, "{text:?}");
        }
    }

    #[test]
    fn the_detector_tells_the_four_languages_apart() {
        assert_eq!(detect("The minister said that the plan is dead."), Lang::En);
        assert_eq!(
            detect("Der Minister sagte, der Plan sei tot und nicht zu retten."),
            Lang::De
        );
        assert_eq!(
            detect("Le ministre a déclaré que le plan est mort pour la ville."),
            Lang::Fr
        );
        assert_eq!(detect("町長は「年内にまとめたい」と述べた。"), Lang::Ja);
        assert_eq!(detect(""), Lang::En);
        assert_eq!(detect("市长说：“我们会重建。”"), Lang::En);
        assert!(
            words(Lang::Fr).is(kind::DET, "l'exposition")
                && !words(Lang::Fr).is(kind::DET, "lexposition")
        );
        assert_eq!(Lang::from_tag("de-CH"), Some(Lang::De));
        assert_eq!(Lang::from_tag("FR"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("es"), None);
    }
}
