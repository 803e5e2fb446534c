//! Speakers: the noun phrase of an attribution clause, and what a pronoun
//! refers to.

use super::lexicon::{self, Pronoun};
use super::units::Doc;
use crate::corpus::Span;

/// The longest noun phrase looked at, in words.
const MAX_WORDS: usize = 10;

/// A speaker mention and what is known of it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Mention {
    pub span: Span,
    pub pronoun: Option<Pronoun>,
    /// Contains a name (a capitalised word).
    pub named: bool,
    /// An organisation rather than a person.
    pub org: bool,
    /// A plural (`officials`, `Smith and Jones`).
    pub plural: bool,
    /// `Some(true)` male, `Some(false)` female, from titles and roles.
    pub male: Option<bool>,
}

impl Mention {
    /// The mention spanning units `first..=last`.
    pub fn of(doc: &Doc, first: usize, last: usize) -> Mention {
        let mut m = Mention {
            span: doc.span(first, last),
            pronoun: None,
            named: false,
            org: false,
            plural: false,
            male: None,
        };
        if first == last {
            m.pronoun = doc.word(first).and_then(lexicon::pronoun);
        }
        let mut person_role = false;
        for i in first..=last {
            let Some(w) = doc.word(i) else { continue };
            if doc.namey(i) {
                m.named = true;
                let raw = doc.raw(i);
                if raw.chars().count() >= 2
                    && raw.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
                {
                    m.org = true;
                }
            }
            if lexicon::organisation(w) {
                m.org = true;
            }
            if lexicon::title(w) || (lexicon::role(w) && !lexicon::organisation(w)) {
                person_role = true;
            }
            if w == "and" {
                m.plural = true;
            }
            if let Some(g) = lexicon::gender(w) {
                m.male = Some(g);
            }
        }
        if person_role && m.named {
            // `Libyan government spokesman Moussa Ibrahim`: a person.
            if let Some(last_word) = doc.word(last) {
                if !lexicon::organisation(last_word) {
                    m.org = false;
                }
            }
        }
        if let Some(head) = doc.word(last) {
            if !doc.capitalised(last)
                && ((head.ends_with('s') && !head.ends_with("ss") && !head.ends_with("'s"))
                    || matches!(
                        head,
                        "police"
                            | "people"
                            | "staff"
                            | "spokesmen"
                            | "spokeswomen"
                            | "men"
                            | "women"
                    ))
            {
                m.plural = true;
            }
        }
        if let Some(p) = m.pronoun {
            match p {
                Pronoun::They | Pronoun::We => m.plural = true,
                Pronoun::He => m.male = Some(true),
                Pronoun::She => m.male = Some(false),
                _ => {}
            }
        }
        m
    }

    /// A person (for `he` and `she`).
    pub fn person(&self) -> bool {
        self.pronoun.is_none() && self.named && !self.org && !self.plural
    }

    /// Whether a pronoun can refer to this (named) mention.
    pub fn fits(&self, p: Pronoun) -> bool {
        if self.pronoun.is_some() || !self.named {
            return false;
        }
        match p {
            Pronoun::He => self.person() && self.male != Some(false),
            Pronoun::She => self.person() && self.male != Some(true),
            Pronoun::It => self.org && !self.plural,
            Pronoun::They => self.org || self.plural,
            Pronoun::We => true,
            Pronoun::I => self.person(),
            Pronoun::You => false,
        }
    }
}

/// A word that may be part of a role phrase after a determiner
/// (`the US state department`, `a spokeswoman`).
pub(super) fn phrase_word(doc: &Doc, i: usize) -> bool {
    // Names, and capitalised words inside a phrase (`the BBC's Today programme`).
    let inside = i > 0 && doc.word(i - 1).is_some();
    if doc.namey(i)
        || inside && doc.capitalised(i) && doc.word(i).and_then(lexicon::pronoun).is_none()
    {
        return true;
    }
    match doc.word(i) {
        None => false,
        Some(w) if contracted_pronoun(w) => false,
        Some(w) => {
            !lexicon::function_word(w)
                && !lexicon::negation(w)
                && (lexicon::verb(w).is_none() || doc.capitalised(i) || lexicon::role(w))
        }
    }
}

/// A word of a name or title run: `Libyan government spokesman Moussa Ibrahim`.
fn run_word(doc: &Doc, i: usize) -> bool {
    if doc.namey(i) {
        return true;
    }
    match doc.word(i) {
        Some(w) => lexicon::title(w) || lexicon::role(w) || lexicon::modifier(w),
        None => false,
    }
}

fn initial_or_title(doc: &Doc, i: usize) -> bool {
    match doc.word(i) {
        Some(w) => {
            let raw = doc.raw(i);
            (raw.chars().count() == 1 && raw.chars().all(char::is_uppercase))
                || lexicon::title(w)
                || lexicon::abbreviation(w)
        }
        None => false,
    }
}

/// A noun phrase starting at unit `i` (not past `end`): a pronoun, a
/// determiner phrase, or a run of titles, roles and names, optionally
/// followed by `of`/`for`/`at`/`from`/`in`/`with` and another phrase.
/// Returns the last unit.
pub(super) fn forward(doc: &Doc, i: usize, end: usize) -> Option<usize> {
    let w = doc.word(i)?;
    if i >= end {
        return None;
    }
    if lexicon::pronoun(w).is_some() {
        return Some(i);
    }
    let last = head_forward(doc, i, end)?;
    // `a spokeswoman for the company`
    let mut last = last;
    if let Some(p) = doc.word(last + 1) {
        if lexicon::joining_preposition(p) && last + 2 < end {
            if let Some(more) = head_forward(doc, last + 2, end) {
                last = more;
            }
        }
    }
    Some(last)
}

fn head_forward(doc: &Doc, i: usize, end: usize) -> Option<usize> {
    let w = doc.word(i)?;
    if lexicon::determiner(w) || lexicon::possessive(w) && !doc.capitalised(i) {
        let mut j = i + 1;
        while j < end && j < i + 1 + 6 && phrase_word(doc, j) {
            j += 1;
        }
        return (j > i + 1).then_some(j - 1);
    }
    if !run_word(doc, i) {
        return None;
    }
    let mut j = i;
    let mut last_good = None;
    while j < end && j < i + MAX_WORDS {
        if run_word(doc, j) {
            last_good = Some(j);
            j += 1;
            // `Labour's shadow chancellor`: a possessive name, then its phrase.
            if doc.word(j - 1).is_some_and(|w| w.ends_with("'s")) {
                let mut k = j;
                while k < end && k < j + 4 && phrase_word(doc, k) {
                    k += 1;
                }
                if k > j {
                    return Some(k - 1);
                }
            }
        } else if (doc.word(j).is_some_and(lexicon::particle)
            || doc.is_punct(j, &['.']) && initial_or_title(doc, j - 1))
            && doc.namey(j + 1)
        {
            j += 1;
        } else {
            break;
        }
    }
    let last = last_good?;
    // A run of lower-case words is a speaker only if it ends in a role
    // (`senior officials`), and a run ending in a modifier is cut back to
    // the last name or role (`Smith later` is not a run, `police` is).
    let mut last = last;
    while last > i && !doc.namey(last) && !doc.word(last).is_some_and(lexicon::role) {
        last -= 1;
    }
    let ok = doc.namey(last) || doc.word(last).is_some_and(lexicon::role);
    ok.then_some(last)
}

/// A noun phrase ending at unit `e` (not before `lo`). Returns the first unit.
pub(super) fn backward(doc: &Doc, e: usize, lo: usize) -> Option<usize> {
    let w = doc.word(e)?;
    if e < lo {
        return None;
    }
    if lexicon::pronoun(w).is_some() {
        return Some(e);
    }
    // `She's hoping`, `they've said`: a pronoun and its auxiliary.
    if contracted_pronoun(w) {
        return Some(e);
    }
    let mut first = head_backward(doc, e, lo)?;
    // `a spokeswoman for the company`, `police in Paris`
    if first >= lo + 2 {
        if let Some(p) = doc.word(first - 1) {
            if lexicon::joining_preposition(p) {
                if let Some(more) = head_backward(doc, first - 2, lo) {
                    first = more;
                }
            }
        }
    }
    Some(first)
}

fn head_backward(doc: &Doc, e: usize, lo: usize) -> Option<usize> {
    let head = doc.word(e)?;
    // `Many said …`, `some of the delegates`: a quantifier on its own.
    if lexicon::quantifier(head) {
        return Some(e);
    }
    // `most of them`, `many of us`
    if matches!(head, "them" | "us")
        && e >= lo + 2
        && doc.word(e - 1) == Some("of")
        && doc.word(e - 2).is_some_and(lexicon::quantifier)
    {
        return Some(e - 2);
    }
    // `47 percent said`, `Seventy-four percent of registered voters say`.
    if let Some(f) = share(doc, e, lo).or_else(|| ratio(doc, e, lo)) {
        return Some(f);
    }
    let mut k = e;
    let mut first = None;
    // Names, titles and roles.
    if run_word(doc, e) {
        loop {
            let keeps = run_word(doc, k)
                || (first.is_some()
                    && doc.word(k).is_some_and(lexicon::possessive)
                    && !doc.word(k).is_some_and(lexicon::determiner));
            // A particle or the full stop of an initial is kept only if a
            // name comes before it too.
            let bridges = first.is_some()
                && (doc.word(k).is_some_and(lexicon::particle)
                    || doc.is_punct(k, &['.']) && k > 0 && initial_or_title(doc, k - 1));
            if keeps {
                first = Some(k);
            } else if !bridges {
                break;
            }
            if k == lo || k + MAX_WORDS <= e {
                break;
            }
            k -= 1;
        }
    }
    if let Some(f) = first {
        let ok = doc.namey(e) || lexicon::role(head);
        if ok {
            // `the minister`, `the US state department`
            // ... or a few plain words before: `a fire brigade spokesman`
            let mut k = f;
            while k > lo && k + 4 > f {
                k -= 1;
                match doc.word(k) {
                    Some(w) if lexicon::determiner(w) || w.ends_with("'s") => return Some(k),
                    Some(_) if phrase_word(doc, k) => {}
                    _ => break,
                }
            }
            return Some(f);
        }
    }
    // `the bank`, `a statement from the ministry`: a determiner within four
    // words before a plain head.
    // `… this week said`: a time is no speaker.
    if !phrase_word(doc, e)
        || doc.capitalised(e) && !doc.namey(e)
        || lexicon::time_noun(head)
        || head == "weekend"
    {
        return None;
    }
    let mut k = e;
    while k > lo && k + 5 > e {
        k -= 1;
        let Some(w) = doc.word(k) else {
            return bare_plural(doc, e, k + 1, lo);
        };
        if lexicon::determiner(w) || (lexicon::possessive(w) && !doc.capitalised(k)) {
            return Some(k);
        }
        // `Mrs. Lee's advisers`, `Ortega's city hall allies`.
        if w.ends_with("'s") && doc.namey(k) {
            let mut f = k;
            while f > lo
                && (doc.namey(f - 1)
                    || doc.word(f - 1).is_some_and(lexicon::title)
                    || doc.is_punct(f - 1, &['.'])
                        && f >= lo + 2
                        && doc
                            .word(f - 2)
                            .is_some_and(|t| lexicon::title(t) || lexicon::abbreviation(t)))
            {
                f -= 1;
            }
            return Some(f);
        }
        if !phrase_word(doc, k) {
            return bare_plural(doc, e, k + 1, lo);
        }
    }
    if k == lo {
        return bare_plural(doc, e, k, lo);
    }
    None
}

/// A share of people ending at unit `e`: a number, `percent`, and
/// optionally `of` and at most three words (`47 percent`, `Twenty-four
/// percent of them`, `41 percent of the dock workers`). Returns the
/// number's unit.
fn share(doc: &Doc, e: usize, lo: usize) -> Option<usize> {
    let mut p = e;
    while doc.word(p) != Some("percent") {
        if p == lo || p + 4 <= e {
            return None;
        }
        p -= 1;
    }
    if p < e {
        let of = doc.word(p + 1) == Some("of") && p + 2 <= e;
        let words = (p + 2..=e)
            .all(|k| phrase_word(doc, k) || matches!(doc.word(k), Some("them" | "us" | "those")));
        if !of || !words {
            return None;
        }
    }
    if p == lo {
        return None;
    }
    doc.word(p - 1).is_some_and(number).then_some(p - 1)
}

/// A ratio of people ending at unit `e`: `two in three`, `More than six
/// in 10`, `nearly 4 in 10`. Returns its first unit.
fn ratio(doc: &Doc, e: usize, lo: usize) -> Option<usize> {
    if e < lo + 2
        || doc.word(e - 1) != Some("in")
        || !doc.word(e).is_some_and(number)
        || !doc.word(e - 2).is_some_and(number)
    {
        return None;
    }
    let mut f = e - 2;
    // `more than`, `nearly`, `about`, `fewer than`
    if f > lo
        && doc.word(f - 1).is_some_and(|w| {
            matches!(
                w,
                "nearly" | "almost" | "about" | "roughly" | "some" | "around" | "over" | "only"
            )
        })
    {
        f -= 1;
    } else if f > lo + 1
        && doc.word(f - 1) == Some("than")
        && doc
            .word(f - 2)
            .is_some_and(|w| matches!(w, "more" | "fewer" | "less"))
    {
        f -= 2;
    }
    Some(f)
}

/// A number in digits (`47`, `1,200`, `3.5`) or in words (`forty-one`).
fn number(w: &str) -> bool {
    if w.bytes().any(|b| b.is_ascii_digit()) {
        return w
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.');
    }
    !w.is_empty()
        && w.split(['-', '‐', '‑']).all(|part| {
            matches!(
                part,
                "one"
                    | "two"
                    | "three"
                    | "four"
                    | "five"
                    | "six"
                    | "seven"
                    | "eight"
                    | "nine"
                    | "ten"
                    | "eleven"
                    | "twelve"
                    | "thirteen"
                    | "fourteen"
                    | "fifteen"
                    | "sixteen"
                    | "seventeen"
                    | "eighteen"
                    | "nineteen"
                    | "twenty"
                    | "thirty"
                    | "forty"
                    | "fifty"
                    | "sixty"
                    | "seventy"
                    | "eighty"
                    | "ninety"
                    | "hundred"
            )
        })
}

/// `opponents say`, `harbour engineers say`, `…, but economists warn`:
/// a plural head (a lower-case word in `-s`) with at most two words before
/// it from `f`, at the start of a clause (the sentence start `lo`, a comma
/// or dash, or a conjunction). Returns `f`.
fn bare_plural(doc: &Doc, e: usize, f: usize, lo: usize) -> Option<usize> {
    if f > e || e - f > 2 {
        return None;
    }
    let head = doc.word(e)?;
    let plural = head.len() > 3
        && head.ends_with('s')
        && !head.ends_with("ss")
        && !head.ends_with("'s")
        && !doc.capitalised(e)
        && !head.bytes().any(|b| b.is_ascii_digit());
    if !plural {
        return None;
    }
    let starts = f == lo
        || doc.is_punct(f - 1, &[',', '—', '–', ';', ':'])
        || doc.word(f - 1).is_some_and(|w| {
            matches!(
                w,
                "but"
                    | "and"
                    | "while"
                    | "though"
                    | "although"
                    | "because"
                    | "since"
                    | "so"
                    | "yet"
                    | "as"
                    | "if"
                    | "when"
                    | "where"
                    | "now"
            )
        });
    starts.then_some(f)
}

/// The parenthesis that ends at unit `e` (`Sen. Ann Lee (D-Ore.)`): at
/// most seven words, full stops, hyphens and commas between `(` and `)`.
/// Returns the unit before `(` when it is a name.
pub(super) fn before_paren(doc: &Doc, e: usize, lo: usize) -> Option<usize> {
    if !doc.is_punct(e, &[')']) {
        return None;
    }
    let mut k = e;
    while k > lo && e - k < 8 {
        k -= 1;
        if doc.is_punct(k, &['(']) {
            return k.checked_sub(1).filter(|&b| b >= lo && doc.namey(b));
        }
        if doc.word(k).is_none() && !doc.is_punct(k, &['.', '-', ',']) {
            return None;
        }
    }
    None
}

/// The parenthesis that starts right after the name ending at unit `l`
/// (`Sen. Ann Lee (D-Ore.) said`), not past `end`: the unit of its `)`.
pub(super) fn paren_after(doc: &Doc, l: usize, end: usize) -> Option<usize> {
    if !doc.namey(l) || !doc.is_punct(l + 1, &['(']) {
        return None;
    }
    let mut k = l + 2;
    while k < end && k < l + 10 {
        if doc.is_punct(k, &[')']) {
            return (k > l + 2).then_some(k);
        }
        if doc.word(k).is_none() && !doc.is_punct(k, &['.', '-', ',']) {
            return None;
        }
        k += 1;
    }
    None
}

/// A subject pronoun with its auxiliary: `she's`, `they've`, `he'll`.
pub(super) fn contracted_pronoun(w: &str) -> bool {
    ["'s", "'re", "'ve", "'ll", "'d"].iter().any(|c| {
        w.strip_suffix(c)
            .is_some_and(|p| lexicon::pronoun(p).is_some())
    })
}
