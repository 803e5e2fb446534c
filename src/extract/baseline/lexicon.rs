//! Word lists: reporting verbs, pronouns, determiners, titles, roles.
//!
//! The lists are data files in `lexicon/`, compiled in with `include_str!`
//! and read once, on first use, into one hash map from each word to the
//! lists it is in and the verb it is a form of: editing a list is editing
//! a text file, and one (fast) hash tells every list at once. The rules
//! around the lists (a final `s` dropped, a word in digits, `n't`) stay
//! here, in code.
//! Every lookup takes a word already lower-cased, with `’` written `'`.
//! docs/baseline.md lists what each list is for. This module knows words,
//! not sentences: the stages that use it decide what a match means.
//!
//! The format of a list file: UTF-8, one entry a line; the first line is
//! a header `# NAME: what the list is for` (NAME is the file's name);
//! blank lines and lines starting with `#` are ignored; an entry is lower
//! case, has no space around it and writes an apostrophe `'`. In
//! `verbs.txt` an entry is the five forms of a verb separated by spaces
//! (bare, `-s`, past, past participle, `-ing`), then ` : ` and its flags
//! by name when it has any (`warn warns warned warned warning : may-listen
//! inverts`). A test reads every file against these rules.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// May come before its speaker: `…,” said Ms Ortiz`.
pub(super) const INVERTS: u16 = 1;
/// Takes a listener before its clause: `told reporters (that) …`.
pub(super) const LISTENER: u16 = 2;
/// Its bare and `-s` forms are more often nouns (`the claims`, `a note`):
/// only the other forms are cues.
pub(super) const NOUNY: u16 = 4;
/// Only attributes a direct quote (`“…,” she continued`), never introduces
/// reported speech.
pub(super) const DIRECT_ONLY: u16 = 8;
/// Only a cue when followed by `out` (`pointed out`).
pub(super) const NEEDS_OUT: u16 = 16;
/// May take a listener (`warned them that`, `asked him whether`): a
/// pronoun, or a phrase followed by `that`.
pub(super) const MAY_LISTEN: u16 = 32;
/// Only a cue when followed by `to`, which is part of the cue (`referring
/// to`).
pub(super) const NEEDS_TO: u16 = 64;
/// Its clause may be an infinitive or an object (`wants to win`, `hopes
/// voters will`, `declined to comment`): what follows the verb is the
/// content, without looking for a later `that`.
pub(super) const TAKES_TO: u16 = 128;
/// Its content may be an infinitive right after it (`vowed to leave`,
/// `agreed to step down`): a `to` after the verb starts the content.
pub(super) const INFINITIVE: u16 = 256;
/// Its content is an object (`endorsed her`, `cited a report`): it ends
/// at the first comma, dash, parenthesis or `and` with another cue.
pub(super) const OBJECT: u16 = 512;
/// Only a cue with a preposition after it that takes its object as the
/// content (`voted for Clinton`, `focused on jobs`, `railed against`).
pub(super) const NEEDS_PARTICLE: u16 = 1024;

/// The grammatical form of a reporting verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Form {
    /// `say`
    Base,
    /// `says`
    S,
    /// `said` (past tense or past participle)
    Past,
    /// `saying`
    Ing,
}

/// A reporting verb form.
#[derive(Clone, Copy, Debug)]
pub(super) struct Verb {
    pub form: Form,
    pub flags: u16,
}

impl Verb {
    pub fn has(self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}

/// The flags of `verbs.txt`, by name.
const FLAG_NAMES: [(&str, u16); 11] = [
    ("inverts", INVERTS),
    ("listener", LISTENER),
    ("nouny", NOUNY),
    ("direct-only", DIRECT_ONLY),
    ("needs-out", NEEDS_OUT),
    ("may-listen", MAY_LISTEN),
    ("needs-to", NEEDS_TO),
    ("takes-to", TAKES_TO),
    ("infinitive", INFINITIVE),
    ("object", OBJECT),
    ("needs-particle", NEEDS_PARTICLE),
];

/// The entries of a list file: its lines without the header, comments and
/// blank lines.
fn entries(file: &'static str) -> impl Iterator<Item = &'static str> {
    file.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// What the word lists say of one word: the lists it is in (a bit each,
/// [`LISTS`]) and the reporting verb it is a form of.
#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    lists: u32,
    verb: Option<Verb>,
}

const OBJECT_PRONOUNS: u32 = 1;
const DETERMINERS: u32 = 1 << 1;
const POSSESSIVES: u32 = 1 << 2;
const TITLES: u32 = 1 << 3;
const ROLES: u32 = 1 << 4;
const ROLE_NOUNS: u32 = 1 << 5;
const MODIFIERS: u32 = 1 << 6;
const PARTICLES: u32 = 1 << 7;
const NOT_NAMES: u32 = 1 << 8;
const AUXILIARIES: u32 = 1 << 9;
const BE: u32 = 1 << 10;
const NEGATIONS: u32 = 1 << 11;
const ADVERBIAL_STARTS: u32 = 1 << 12;
const FUNCTION_WORDS: u32 = 1 << 13;
const JOINING_PREPOSITIONS: u32 = 1 << 14;
const ORGANISATIONS: u32 = 1 << 15;
const MALE: u32 = 1 << 16;
const FEMALE: u32 = 1 << 17;
const ABBREVIATIONS: u32 = 1 << 18;
const CONTRASTS: u32 = 1 << 19;
const NOT_ADVERBS: u32 = 1 << 20;
const QUANTIFIERS: u32 = 1 << 21;

/// The list files of single words (`lexicon/FILE`), each with its bit.
const LISTS: [(u32, &str); 22] = [
    (OBJECT_PRONOUNS, include_str!("lexicon/object-pronouns.txt")),
    (DETERMINERS, include_str!("lexicon/determiners.txt")),
    (POSSESSIVES, include_str!("lexicon/possessives.txt")),
    (TITLES, include_str!("lexicon/titles.txt")),
    (ROLES, include_str!("lexicon/roles.txt")),
    (ROLE_NOUNS, include_str!("lexicon/role-nouns.txt")),
    (MODIFIERS, include_str!("lexicon/modifiers.txt")),
    (PARTICLES, include_str!("lexicon/particles.txt")),
    (NOT_NAMES, include_str!("lexicon/not-names.txt")),
    (AUXILIARIES, include_str!("lexicon/auxiliaries.txt")),
    (BE, include_str!("lexicon/be.txt")),
    (NEGATIONS, include_str!("lexicon/negations.txt")),
    (
        ADVERBIAL_STARTS,
        include_str!("lexicon/adverbial-starts.txt"),
    ),
    (FUNCTION_WORDS, include_str!("lexicon/function-words.txt")),
    (
        JOINING_PREPOSITIONS,
        include_str!("lexicon/joining-prepositions.txt"),
    ),
    (ORGANISATIONS, include_str!("lexicon/organisations.txt")),
    (MALE, include_str!("lexicon/male.txt")),
    (FEMALE, include_str!("lexicon/female.txt")),
    (ABBREVIATIONS, include_str!("lexicon/abbreviations.txt")),
    (CONTRASTS, include_str!("lexicon/contrasts.txt")),
    (NOT_ADVERBS, include_str!("lexicon/not-adverbs.txt")),
    (QUANTIFIERS, include_str!("lexicon/quantifiers.txt")),
];

/// Every word of the lists and of `verbs.txt` (each form with its form and
/// flags), read once on first use: one lookup a word tells every list it
/// is in and its verb. Of two verbs sharing a form, the first listed wins.
static LEXICON: LazyLock<FxHashMap<&'static str, Entry>> = LazyLock::new(|| {
    let mut map: FxHashMap<&'static str, Entry> = FxHashMap::default();
    for (bit, file) in LISTS {
        for word in entries(file) {
            map.entry(word).or_default().lists |= bit;
        }
    }
    for entry in entries(include_str!("lexicon/verbs.txt")) {
        let (forms, flags) = entry.split_once(" : ").unwrap_or((entry, ""));
        let flags = flags
            .split(' ')
            .filter(|f| !f.is_empty())
            .fold(0, |all, f| {
                let (_, bit) = FLAG_NAMES
                    .iter()
                    .find(|(name, _)| *name == f)
                    .unwrap_or_else(|| panic!("verbs.txt: unknown flag {f:?} in {entry:?}"));
                all | bit
            });
        let f: Vec<&'static str> = forms.split(' ').collect();
        assert_eq!(f.len(), 5, "verbs.txt: {entry:?} must give five forms");
        let tagged = [
            (f[0], Form::Base),
            (f[1], Form::S),
            (f[2], Form::Past),
            (f[3], Form::Past),
            (f[4], Form::Ing),
        ];
        for (word, form) in tagged {
            let e = map.entry(word).or_default();
            if e.verb.is_none() {
                e.verb = Some(Verb { form, flags });
            }
        }
    }
    map
});

/// The lists `word` is in, as bits.
fn lists(word: &str) -> u32 {
    LEXICON.get(word).map_or(0, |e| e.lists)
}

/// Whether `word` is in the list of `bit`.
fn listed(word: &str, bit: u32) -> bool {
    lists(word) & bit != 0
}

/// The reporting verb `word` is a form of, if any (NOUNY forms included:
/// the caller decides).
pub(super) fn verb(word: &str) -> Option<Verb> {
    LEXICON.get(word).and_then(|e| e.verb)
}

/// A subject pronoun.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pronoun {
    /// he
    He,
    /// she
    She,
    /// it
    It,
    /// they
    They,
    /// we
    We,
    /// I
    I,
    /// you
    You,
}

pub(super) fn pronoun(word: &str) -> Option<Pronoun> {
    Some(match word {
        "he" => Pronoun::He,
        "she" => Pronoun::She,
        "it" => Pronoun::It,
        "they" => Pronoun::They,
        "we" => Pronoun::We,
        "i" => Pronoun::I,
        "you" => Pronoun::You,
        _ => return None,
    })
}

pub(super) fn object_pronoun(word: &str) -> bool {
    listed(word, OBJECT_PRONOUNS)
}

pub(super) fn determiner(word: &str) -> bool {
    listed(word, DETERMINERS) || word.chars().all(|c| c.is_ascii_digit())
}

pub(super) fn possessive(word: &str) -> bool {
    listed(word, POSSESSIVES) || word.ends_with("'s") || word.ends_with("s'")
}

/// Titles that stand before a name (`Dr`, `President`, `Sen.`).
pub(super) fn title(word: &str) -> bool {
    listed(word, TITLES)
}

/// Nouns for people and bodies that speak (`spokesman`, `officials`,
/// `ministry`): a phrase ending in one is a speaker even without a
/// determiner (`officials said`).
pub(super) fn role(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    listed(word, ROLES) || listed(singular, ROLE_NOUNS)
}

/// Words that qualify a role (`foreign minister`, `deputy chief executive`).
pub(super) fn modifier(word: &str) -> bool {
    listed(word, MODIFIERS)
}

/// Name particles (`Ludwig van Beethoven`, `Osama bin Laden`): part of a
/// name only between or before capitalised words.
pub(super) fn particle(word: &str) -> bool {
    listed(word, PARTICLES)
}

/// Capitalised words that start sentences but never names.
pub(super) fn not_a_name(word: &str) -> bool {
    LEXICON
        .get(word)
        .is_some_and(|e| e.lists & NOT_NAMES != 0 || e.verb.is_some())
}

/// Auxiliaries and adverbs that may stand between a speaker and a cue, and
/// are kept in the cue (`has confirmed`, `also said`).
pub(super) fn auxiliary(word: &str) -> bool {
    listed(word, AUXILIARIES)
}

pub(super) fn be(word: &str) -> bool {
    listed(word, BE)
}

pub(super) fn negation(word: &str) -> bool {
    listed(word, NEGATIONS) || word.ends_with("n't")
}

/// Words that start an adverbial rather than a reported clause after a
/// cue (`said on Monday`, `told reporters in Paris`).
pub(super) fn adverbial_start(word: &str) -> bool {
    listed(word, ADVERBIAL_STARTS)
}

/// Words that end a noun phrase: conjunctions, relatives, auxiliaries,
/// prepositions that do not join two names.
pub(super) fn function_word(word: &str) -> bool {
    const ANY: u32 = FUNCTION_WORDS | BE | AUXILIARIES | OBJECT_PRONOUNS | DETERMINERS;
    listed(word, ANY) || pronoun(word).is_some() || determiner(word)
}

/// Prepositions that join a role to its organisation
/// (`a spokeswoman for the company`, `police in Paris`).
pub(super) fn joining_preposition(word: &str) -> bool {
    listed(word, JOINING_PREPOSITIONS)
}

/// Words that make a name an organisation (`it`, `they`) rather than a person.
pub(super) fn organisation(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    listed(singular, ORGANISATIONS)
}

/// Words that make a mention male or female (for `he` and `she`).
pub(super) fn gender(word: &str) -> Option<bool> {
    let l = lists(word);
    if l & MALE != 0 {
        Some(true)
    } else if l & FEMALE != 0 {
        Some(false)
    } else {
        None
    }
}

/// Abbreviations whose full stop does not end a sentence.
pub(super) fn abbreviation(word: &str) -> bool {
    listed(word, ABBREVIATIONS) || word.contains('.')
}

/// Chinese reporting verbs, matched at the end of a run of Han characters
/// before `：` or a quote mark (`外交部发言人说：“…”`), in the order of
/// the file: the first that matches is taken.
pub(super) static CJK_CUES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| entries(include_str!("lexicon/cjk-cues.txt")).collect());

/// Single characters that may stand between a Chinese speaker and the cue
/// (`他也说`).
pub(super) static CJK_ADVERBS: LazyLock<Vec<char>> = LazyLock::new(|| {
    entries(include_str!("lexicon/cjk-adverbs.txt"))
        .map(|e| {
            let mut chars = e.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => panic!("cjk-adverbs.txt: {e:?} is not one character"),
            }
        })
        .collect()
});

/// A day of the week or a part of the calendar or the day (`Monday`,
/// `week`, `evening`), as in `said on Monday`, `this week`.
pub(super) fn time_noun(word: &str) -> bool {
    matches!(
        word,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "week"
            | "month"
            | "year"
            | "night"
            | "morning"
            | "afternoon"
            | "evening"
    )
}

/// Words after a comma that start a clause of the writer's rather than the
/// reported one (`…, while the minister said …`, `…, despite warnings`).
pub(super) fn contrast(word: &str) -> bool {
    listed(word, CONTRASTS)
}

/// Words that name some of a group of people on their own (`some`,
/// `many`, `others`, `nobody`): a speaker by themselves (`Many said …`,
/// `some of the delegates`).
pub(super) fn quantifier(word: &str) -> bool {
    listed(word, QUANTIFIERS)
}

/// Adverbs in `-ly` (`has long argued`, `quickly added`), not the nouns
/// and verbs that end the same way (`the family said`).
pub(super) fn ly_adverb(word: &str) -> bool {
    word.len() > 4 && word.ends_with("ly") && !listed(word, NOT_ADVERBS)
}

/// Checks the word-list files of `src/extract/baseline/FOLDER` (this
/// module's lexicon and the language files of `languages.rs`): every file
/// on disk is listed in `files`, starts with `# NAME: …`, and lists at
/// least one line, each trimmed, in lower case, with `'` for `’`, once;
/// `line` checks what else a file's lines must be.
#[cfg(test)]
pub(super) fn check_list_files(folder: &str, files: &[(&str, &str)], line: impl Fn(&str, &str)) {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/extract/baseline")
        .join(folder);
    let on_disk = std::fs::read_dir(&folder).unwrap().count();
    assert_eq!(on_disk, files.len(), "a file of {folder:?} is not in FILES");
    for (name, file) in files {
        let header = file.lines().next().unwrap_or_default();
        assert!(
            header.starts_with(&format!("# {name}: ")),
            "{name}.txt must start with `# {name}: …`, not {header:?}"
        );
        let mut seen = std::collections::HashSet::new();
        for l in file
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            assert_eq!(l, l.trim(), "{name}.txt: spaces around {l:?}");
            assert_eq!(l, l.to_lowercase(), "{name}.txt: {l:?} is not lower case");
            assert!(!l.contains('’'), "{name}.txt: write {l:?} with '");
            line(name, l);
            assert!(seen.insert(l), "{name}.txt: {l:?} is listed twice");
        }
        assert!(!seen.is_empty(), "{name}.txt is empty");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every list file, by name.
    const FILES: &[(&str, &str)] = &[
        ("verbs", include_str!("lexicon/verbs.txt")),
        (
            "object-pronouns",
            include_str!("lexicon/object-pronouns.txt"),
        ),
        ("determiners", include_str!("lexicon/determiners.txt")),
        ("possessives", include_str!("lexicon/possessives.txt")),
        ("titles", include_str!("lexicon/titles.txt")),
        ("roles", include_str!("lexicon/roles.txt")),
        ("role-nouns", include_str!("lexicon/role-nouns.txt")),
        ("modifiers", include_str!("lexicon/modifiers.txt")),
        ("particles", include_str!("lexicon/particles.txt")),
        ("not-names", include_str!("lexicon/not-names.txt")),
        ("auxiliaries", include_str!("lexicon/auxiliaries.txt")),
        ("be", include_str!("lexicon/be.txt")),
        ("negations", include_str!("lexicon/negations.txt")),
        (
            "adverbial-starts",
            include_str!("lexicon/adverbial-starts.txt"),
        ),
        ("function-words", include_str!("lexicon/function-words.txt")),
        (
            "joining-prepositions",
            include_str!("lexicon/joining-prepositions.txt"),
        ),
        ("organisations", include_str!("lexicon/organisations.txt")),
        ("male", include_str!("lexicon/male.txt")),
        ("female", include_str!("lexicon/female.txt")),
        ("abbreviations", include_str!("lexicon/abbreviations.txt")),
        ("contrasts", include_str!("lexicon/contrasts.txt")),
        ("not-adverbs", include_str!("lexicon/not-adverbs.txt")),
        ("quantifiers", include_str!("lexicon/quantifiers.txt")),
        ("cjk-cues", include_str!("lexicon/cjk-cues.txt")),
        ("cjk-adverbs", include_str!("lexicon/cjk-adverbs.txt")),
    ];

    #[test]
    fn every_list_file_follows_the_format() {
        check_list_files("lexicon", FILES, |_, _| {});
    }

    #[test]
    fn one_lookup_gives_each_list_exactly_its_words() {
        for (bit, file) in LISTS {
            let words: std::collections::HashSet<&str> = entries(file).collect();
            assert!(words.iter().all(|w| listed(w, bit)));
            for (w, e) in LEXICON.iter() {
                assert_eq!(e.lists & bit != 0, words.contains(w), "{w:?}");
            }
        }
        let forms = entries(include_str!("lexicon/verbs.txt"))
            .flat_map(|e| e.split(" : ").next().unwrap_or(e).split(' '))
            .collect::<std::collections::HashSet<_>>();
        for (w, e) in LEXICON.iter() {
            assert_eq!(e.verb.is_some(), forms.contains(w), "{w:?}");
        }
    }

    #[test]
    fn every_list_parses() {
        // Forces each list, so that a bad flag or a bad entry fails here
        // rather than in the middle of an extraction.
        assert_eq!(verb("said").map(|v| v.form), Some(Form::Past));
        assert!(verb("warned").is_some_and(|v| v.has(MAY_LISTEN) && v.has(INVERTS)));
        assert!(verb("pointed").is_some_and(|v| v.has(NEEDS_OUT)));
        assert!(verb("referring").is_some_and(|v| v.has(NEEDS_TO)));
        assert!(verb("wants").is_some_and(|v| v.has(TAKES_TO)));
        assert!(verb("confirmed").is_some_and(|v| v.flags == 0));
        assert_eq!(verb("written").map(|v| v.form), Some(Form::Past));
        assert_eq!(CJK_CUES.first(), Some(&"表示"));
        assert!(CJK_ADVERBS.contains(&'也'));
        assert!(object_pronoun("everyone") && determiner("42") && possessive("nato's"));
        assert!(title("sen") && role("officials") && role("women") && modifier("deputy"));
        assert!(particle("bin") && not_a_name("monday") && not_a_name("says"));
        assert!(auxiliary("'ve") && be("'re") && negation("won't"));
        assert!(adverbial_start("via") && function_word("whether") && function_word("them"));
        assert!(joining_preposition("for") && organisation("departments"));
        assert_eq!(
            (gender("queen"), gender("pope"), gender("nurse")),
            (Some(false), Some(true), None)
        );
        assert!(abbreviation("e.g") && abbreviation("u.s") && contrast("whereas"));
        assert!(ly_adverb("quickly") && !ly_adverb("family") && !ly_adverb("ally"));
    }
}
