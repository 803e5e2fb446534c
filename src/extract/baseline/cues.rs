//! Cues: reporting verbs and phrases, with the auxiliaries before them.

use super::lexicon::{self, Form, Verb};
use super::units::Doc;

/// A cue found in the units.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cue {
    /// First unit of the cue (an auxiliary, or the verb).
    pub first: usize,
    /// Last unit of the cue (`to` of `according to`, `out` of `pointed out`).
    pub last: usize,
    pub kind: CueKind,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum CueKind {
    Verb(Verb),
    /// `according to`
    According,
}

impl Cue {
    pub fn verb(&self) -> Option<Verb> {
        match self.kind {
            CueKind::Verb(v) => Some(v),
            CueKind::According => None,
        }
    }

    pub fn has(&self, flag: u16) -> bool {
        self.verb().is_some_and(|v| v.has(flag))
    }

    pub fn is_ing(&self) -> bool {
        self.verb().is_some_and(|v| v.form == Form::Ing)
    }
}

/// The cue whose verb is unit `k`, with auxiliaries and adverbs before it
/// down to `lo`; `None` when the word is not used as a reporting verb there.
///
/// Rejected: nouns (`the said agreement`, `his claims`), infinitives (`to
/// say`), capitalised forms inside a sentence (names such as `Said`),
/// negations (`did not say`), passives (`was told`, except `was quoted as
/// saying`).
pub(super) fn at(doc: &Doc, k: usize, lo: usize) -> Option<Cue> {
    let w = doc.word(k)?;
    let prev = k.checked_sub(1).filter(|&p| p >= lo);
    let prev_word = prev.and_then(|p| doc.word(p));
    if w == "according" {
        if doc.word(k + 1) == Some("to") {
            return Some(Cue {
                first: k,
                last: k + 1,
                kind: CueKind::According,
            });
        }
        return None;
    }
    let (verb, clear) = match lexicon::verb(w) {
        Some(v) => (v, None),
        None => made_clear(doc, k)?,
    };
    if verb.has(lexicon::NOUNY)
        && matches!(verb.form, Form::Base | Form::S)
        && !(matches!(w, "show" | "shows") && findings_before(doc, k, lo).is_some())
        && !nouny_verb(doc, k, prev)
    {
        return None;
    }
    if doc.capitalised(k) && prev_word.is_some() && !headline(doc, k) {
        return None;
    }
    // `the said agreement`, `his claims`, `to say`; not `Most said`, nor
    // `two in three said`.
    let ratio = || prev.is_some_and(|p| p > lo && doc.word(p - 1) == Some("in"));
    if prev_word.is_some_and(|p| {
        lexicon::determiner(p) && !lexicon::quantifier(p) && !ratio()
            || lexicon::possessive(p) && !super::speakers::contracted_pronoun(p)
            || p == "to"
    }) {
        return None;
    }
    let mut last = clear.unwrap_or(k);
    if verb.has(lexicon::NEEDS_OUT) {
        if doc.word(k + 1) != Some("out") {
            return None;
        }
        last = k + 1;
    }
    if verb.has(lexicon::NEEDS_TO) {
        if doc.word(k + 1) != Some("to") {
            return None;
        }
        last = k + 1;
    }
    // `called for a ban`, `talked about the economy`: the preposition is
    // part of the cue, its object the content.
    if last == k && doc.word(k + 1).is_some_and(|p| particle(w, p)) {
        last = k + 1;
    } else if verb.has(lexicon::NEEDS_PARTICLE) {
        return None;
    }
    let mut first = k;
    while first > lo && first + 4 > k {
        let Some(p) = doc.word(first - 1) else { break };
        if lexicon::negation(p) {
            // `did not mention`, `never endorsed`: PolNeAR annotates
            // negated cues too.
            first -= 1;
            continue;
        }
        if lexicon::be(p) {
            if verb.form == Form::Past {
                return None;
            }
            first -= 1;
            continue;
        }
        if lexicon::auxiliary(p)
            || (lexicon::ly_adverb(p) && !doc.capitalised(first - 1))
            || p == "long"
        {
            first -= 1;
            continue;
        }
        break;
    }
    Some(Cue {
        first,
        last,
        kind: CueKind::Verb(verb),
    })
}

/// Whether unit `k` is in a headline written in title case (`Mayor Says
/// The Bridge Will Open`), where a capitalised cue is a cue: at least four
/// words of four letters or more, all but one in five of them capitalised.
fn headline(doc: &Doc, k: usize) -> bool {
    let Some((s, e)) = doc.sentence(k) else {
        return false;
    };
    let (mut long, mut capitals) = (0, 0);
    for i in s..e {
        if doc.word(i).is_some_and(|w| w.chars().count() >= 4) {
            long += 1;
            capitals += usize::from(doc.capitalised(i));
        }
    }
    long >= 4 && capitals * 5 >= long * 4
}

/// `made clear`, `has made it clear`: a cue of its own form, ending at
/// `clear`. Returns the verb and the unit of `clear`.
fn made_clear(doc: &Doc, k: usize) -> Option<(Verb, Option<usize>)> {
    let form = match doc.word(k)? {
        "make" => Form::Base,
        "makes" => Form::S,
        "made" => Form::Past,
        "making" => Form::Ing,
        _ => return None,
    };
    let c = match doc.word(k + 1)? {
        "clear" => k + 1,
        "it" if doc.word(k + 2) == Some("clear") => k + 2,
        _ => return None,
    };
    Some((Verb { form, flags: 0 }, Some(c)))
}

/// Whether the bare or `-s` form of a verb that is more often a noun, at
/// `k`, is a verb there: after a subject pronoun (`she calls it a
/// mistake`, `they claim that …`), or after a name or a role when what
/// follows is not a verb or a preposition (`Smith claims the vote was
/// rigged`, `the senator calls for …`, `officials claim that …`; not
/// `Smith claims are false`, `the state department`).
fn nouny_verb(doc: &Doc, k: usize, prev: Option<usize>) -> bool {
    let Some(p) = prev else { return false };
    let Some(pw) = doc.word(p) else { return false };
    // `she calls`, `voters who favor the plan`: after a subject pronoun.
    if lexicon::pronoun(pw).is_some() || pw == "who" {
        return true;
    }
    let w = doc.word(k).unwrap_or("");
    // `would demand`, `did claim`, `often mentions`, `also calls`: after a
    // modal or an adverb, a verb.
    let base = lexicon::verb(w).is_some_and(|v| v.form == Form::Base);
    let modal = matches!(
        pw,
        "will"
            | "would"
            | "shall"
            | "should"
            | "can"
            | "could"
            | "may"
            | "might"
            | "must"
            | "did"
            | "does"
            | "do"
    );
    let adverb = lexicon::ly_adverb(pw) && !doc.capitalised(p)
        || matches!(
            pw,
            "also" | "often" | "always" | "repeatedly" | "frequently" | "still"
        );
    if modal && base || adverb {
        return true;
    }
    // A name takes the `-s` form (`Smith calls`); the bare form follows a
    // plural role (`officials claim`).
    let s_form = lexicon::verb(w).is_some_and(|v| v.form == Form::S);
    // `Ortega aides fear the delay`, `other polls show`: a plural before
    // the bare form.
    let plural = !s_form
        && pw.len() > 3
        && pw.ends_with('s')
        && !pw.ends_with("ss")
        && !pw.ends_with("'s")
        && !doc.capitalised(p)
        && lexicon::verb(pw).is_none()
        && !lexicon::function_word(pw);
    if lexicon::modifier(w) || !(s_form && doc.namey(p) || lexicon::role(pw) || plural) {
        return false;
    }
    doc.word(k + 1).is_some_and(|n| {
        !(lexicon::be(n) || lexicon::auxiliary(n))
            && (!lexicon::function_word(n)
                || lexicon::determiner(n)
                || lexicon::pronoun(n).is_some()
                || matches!(n, "for" | "that"))
    })
}

/// Nouns that name findings (`the poll`, `recent polling`, `the data`):
/// before one, `show` and `shows` are verbs (`the poll shows Clinton
/// ahead`), not nouns.
pub(super) fn findings(word: &str) -> bool {
    matches!(
        word,
        "poll"
            | "polls"
            | "polling"
            | "survey"
            | "surveys"
            | "study"
            | "studies"
            | "data"
            | "analysis"
            | "research"
            | "numbers"
            | "figures"
            | "results"
            | "report"
            | "records"
            | "evidence"
            | "history"
            | "reports"
            | "analyses"
            | "ad"
            | "ads"
            | "review"
            | "audit"
            | "documents"
            | "estimates"
            | "projections"
            | "statistics"
            | "findings"
    )
}

/// The word naming findings in the eight words before unit `k`, with no
/// punctuation or quotation between (`The poll released on Monday shows
/// …`, `Polls there show …`).
pub(super) fn findings_before(doc: &Doc, k: usize, lo: usize) -> Option<usize> {
    let mut i = k;
    while i > lo && i + 8 > k {
        i -= 1;
        let w = doc.word(i)?;
        if findings(w) {
            return Some(i);
        }
    }
    None
}

/// `was quoted as saying`: the cue spans from the auxiliary to `saying`.
pub(super) fn quoted_as_saying(doc: &Doc, k: usize, lo: usize) -> Option<Cue> {
    // The raw text first: this is tried at every word.
    if k >= doc.len()
        || !doc.raw(k).eq_ignore_ascii_case("quoted")
        || doc.word(k)? != "quoted"
        || doc.word(k + 1) != Some("as")
        || doc.word(k + 2) != Some("saying")
    {
        return None;
    }
    let mut first = k;
    while first > lo
        && first + 3 > k
        && doc
            .word(first - 1)
            .is_some_and(|p| lexicon::be(p) || lexicon::auxiliary(p))
    {
        first -= 1;
    }
    Some(Cue {
        first,
        last: k + 2,
        kind: CueKind::Verb(lexicon::verb("saying")?),
    })
}

/// The cue at `k` in any form: a reporting verb, `according to`, or
/// `quoted as saying`.
pub(super) fn any_at(doc: &Doc, k: usize, lo: usize) -> Option<Cue> {
    quoted_as_saying(doc, k, lo).or_else(|| at(doc, k, lo))
}

/// The auxiliaries and adverbs after a speaker and before a cue
/// (`he has also said`): the cue starting at `j`, looking past at most
/// three such words.
pub(super) fn after_speaker(doc: &Doc, j: usize, end: usize) -> Option<Cue> {
    let mut k = j;
    while k < end && k < j + 4 {
        if let Some(mut cue) = any_at(doc, k, j) {
            cue.first = j;
            return Some(cue);
        }
        let w = doc.word(k)?;
        let adverb = lexicon::ly_adverb(w) && !doc.capitalised(k);
        if !(lexicon::auxiliary(w) || lexicon::be(w) || adverb) || lexicon::negation(w) {
            return None;
        }
        k += 1;
    }
    None
}

/// Whether the preposition `p` after the reporting verb form `w` belongs
/// to the cue, its object being the content: `called for`, `calls on`,
/// `talked about`, `warned against`.
fn particle(w: &str, p: &str) -> bool {
    let stem = |stems: &[&str]| stems.iter().any(|s| w.starts_with(s));
    match p {
        "for" => stem(&["call", "ask", "argu", "push", "vot", "advocat"]),
        "on" => stem(&["call", "comment", "focus"]),
        "to" => stem(&["respond", "repl"]),
        "against" => stem(&["warn", "argu", "caution", "vot", "rail", "spok", "speak"]),
        "about" => stem(&[
            "talk", "ask", "writ", "wrote", "complain", "warn", "jok", "boast", "worr", "comment",
            "tweet", "testif", "cautio", "remind", "inform", "learn", "know", "knew", "think",
            "thought", "spok", "speak",
        ]),
        _ => false,
    }
}
