//! Indirect and mixed quotes: reported clauses outside quote marks.
//!
//! Four shapes, tried for each cue of a sentence that no direct quote
//! used:
//!
//! - `X said (that) CLAUSE.` (and `X told reporters (that) CLAUSE.`);
//! - `CLAUSE, X said.` / `CLAUSE, said X.` / `CLAUSE, X said, CLAUSE.`;
//! - `According to X, CLAUSE.` / `CLAUSE, according to X.`;
//! - `…, adding (that) CLAUSE.`: a participle after a comma, whose speaker
//!   is the one of the clause before it.
//!
//! The clause is `mixed` when it contains a quotation, `indirect` otherwise.

use super::cues::{self, Cue};
use super::direct::{apposition, context, subject};
use super::lexicon::{self, Form, Pronoun};
use super::speakers::{self, Mention};
use super::units::Doc;
use super::Rec;
use crate::corpus::Kind;

/// What a pattern found: content ranges of units and the speaker.
struct Found {
    parts: Vec<(usize, usize)>,
    speaker: Mention,
    /// The last unit the record covers (content or attribution).
    last: usize,
}

/// Finds indirect and mixed quotes sentence by sentence.
pub(super) fn find(doc: &mut Doc, held: &mut [bool], recs: &mut Vec<Rec>) {
    for si in 0..doc.sentences.len() {
        let (s, e) = doc.sentences[si];
        if doc.is_punct(e - 1, &['?', '？']) {
            // A question: `What did he say?`
            continue;
        }
        let mut ce = e;
        while ce > s && (doc.is_terminal(ce - 1) || doc.is_punct(ce - 1, &[';', ':', ',', '：'])) {
            ce -= 1;
        }
        if let Some(rec) = colon_headed(doc, s, e, held) {
            recs.push(rec);
            continue;
        }
        if let Some(rec) = in_poll(doc, s, ce, held) {
            recs.push(rec);
            continue;
        }
        let mut k = s;
        while k < ce {
            if doc.used[k] {
                k += 1;
                continue;
            }
            if let Some((rec, last)) = seeming(doc, s, ce, k, held) {
                recs.push(rec);
                k = last + 1;
                continue;
            }
            if let Some((rec, last)) = passive(doc, s, ce, k, held) {
                recs.push(rec);
                k = last + 1;
                continue;
            }
            let Some(cue) = cues::any_at(doc, k, s) else {
                k += 1;
                continue;
            };
            if cue.has(lexicon::DIRECT_ONLY) || (cue.first..=cue.last).any(|i| doc.used[i]) {
                k += 1;
                continue;
            }
            let found = shapes(doc, s, ce, &cue, held, recs);
            let Some(found) = found else {
                k += 1;
                continue;
            };
            k = found.last.max(cue.last) + 1;
            recs.push(record(doc, held, &cue, found));
        }
    }
}

/// The record of what a shape found for `cue`; marks the cue used and the
/// quotations inside the content held.
fn record(doc: &mut Doc, held: &mut [bool], cue: &Cue, found: Found) -> Rec {
    for i in cue.first..=cue.last {
        doc.used[i] = true;
    }
    let mut kind = Kind::Indirect;
    let mut content = Vec::new();
    for &(a, b) in &found.parts {
        if hold_quotes(doc, a..b + 1, held) {
            kind = Kind::Mixed;
        }
        content.push(doc.span(a, b));
    }
    Rec {
        content,
        speaker: Some(found.speaker),
        cue: Some(doc.span(cue.first, cue.last)),
        kind,
        inherits: false,
    }
}

/// `Kerry: "By law, …"`, `Wash Post Fact-Check: If Obama Says It, It's
/// True`: a sentence that starts with a named speaker and a colon; the
/// colon is the cue. A lone quotation after the colon is a direct quote,
/// anything else runs to the sentence end.
fn colon_headed(doc: &mut Doc, s: usize, e: usize, held: &mut [bool]) -> Option<Rec> {
    let c = (s + 1..(s + 7).min(e)).find(|&i| doc.punct(i).is_some())?;
    if !doc.is_punct(c, &[':']) || (s..c).any(|i| doc.used[i]) {
        return None;
    }
    if speakers::backward(doc, c - 1, s)? != s || !doc.namey(s) {
        return None;
    }
    let speaker = Mention::of(doc, s, c - 1);
    if !speaker.named || speaker.pronoun.is_some() {
        return None;
    }
    let mut end = e;
    while end > c + 1 && (doc.is_terminal(end - 1) || doc.is_punct(end - 1, &[';', ':', ','])) {
        end -= 1;
    }
    if end <= c + 1 {
        return None;
    }
    let (content, kind) = match doc.quote(c + 1) {
        Some(q) if end == c + 2 => {
            if held[q] {
                return None;
            }
            held[q] = true;
            (doc.quotes[q].parts.clone(), Kind::Direct)
        }
        _ => {
            if !usable(doc, c + 1, end - 1, held) {
                return None;
            }
            let kind = if hold_quotes(doc, c + 1..end, held) {
                Kind::Mixed
            } else {
                Kind::Indirect
            };
            (vec![doc.span(c + 1, end - 1)], kind)
        }
    };
    for i in s..=c {
        doc.used[i] = true;
    }
    Some(Rec {
        content,
        speaker: Some(speaker),
        cue: Some(doc.units[c].span),
        kind,
        inherits: false,
    })
}

/// `The plan seemed doomed.`, `Voters appear to favour the mayor.`, `The
/// bill is expected to pass.`: an impression or expectation that nobody
/// in the text voices. The content is the subject (from the sentence start
/// or the last comma before the cue) and what follows the cue, in two
/// parts; there is no speaker. Returns the record and its last unit.
fn seeming(
    doc: &mut Doc,
    s: usize,
    ce: usize,
    k: usize,
    held: &mut [bool],
) -> Option<(Rec, usize)> {
    // The raw text first, as this is tried at every word: a capitalised
    // form is refused below anyway.
    let r = doc.raw(k);
    if !(r.starts_with("seem") || r.starts_with("appear") || r == "expected") {
        return None;
    }
    let w = doc.word(k)?;
    // The next word is read only for the words that need it.
    let next = || doc.word(k + 1);
    let cue_first = match w {
        "seem" | "seems" | "seemed" => k,
        "appear" | "appears" | "appeared" => {
            let ok = next().is_some_and(|n| {
                n == "to"
                    || !(lexicon::adverbial_start(n)
                        || lexicon::function_word(n)
                        || doc.capitalised(k + 1))
            });
            if !ok {
                return None;
            }
            k
        }
        "expected" if next() == Some("to") => {
            let b = k.checked_sub(1).filter(|&b| b > s)?;
            if !doc.word(b).is_some_and(lexicon::be) {
                return None;
            }
            b
        }
        _ => return None,
    };
    if cue_first <= s || doc.capitalised(k) || doc.used[cue_first..=k].iter().any(|&u| u) {
        return None;
    }
    let prev = doc.word(cue_first - 1)?;
    if prev == "to" || lexicon::determiner(prev) || lexicon::negation(prev) {
        return None;
    }
    // The subject: after the last comma before the cue, or from the
    // sentence start when the comma ends an apposition right before it.
    let mut a = (s..cue_first)
        .rev()
        .find(|&i| doc.is_punct(i, &[',', ';', ':', '—', '–']))
        .map_or(s, |c| c + 1);
    if a == cue_first {
        a = s;
    }
    if doc
        .word(a)
        .is_some_and(|w| matches!(w, "but" | "and" | "yet" | "so" | "still"))
    {
        a += 1;
    }
    let mut sb = cue_first - 1;
    while sb > a && doc.is_punct(sb, &[',', '—', '–']) {
        sb -= 1;
    }
    if a > sb || sb - a > 14 || (a..=sb).any(|i| doc.used[i] || doc.is_break(i)) {
        return None;
    }
    let c = k + 1;
    let b = clause_end(doc, c, ce).checked_sub(1)?;
    if b < c || !usable(doc, c, b, held) || (c..=b).any(|i| doc.used[i]) {
        return None;
    }
    let mut kind = Kind::Indirect;
    for i in (a..=sb).chain(c..=b) {
        if let Some(q) = doc.quote(i) {
            if held[q] {
                return None;
            }
            kind = Kind::Mixed;
        }
    }
    for i in (a..=sb).chain(c..=b) {
        if let Some(q) = doc.quote(i) {
            held[q] = true;
        }
    }
    for i in cue_first..=k {
        doc.used[i] = true;
    }
    let rec = Rec {
        content: vec![doc.span(a, sb), doc.span(c, b)],
        speaker: None,
        cue: Some(doc.span(cue_first, k)),
        kind,
        inherits: false,
    };
    Some((rec, b))
}

/// `The plan was praised by the union.`, `As reported by the Post,
/// CLAUSE.`: a reporting verb in the passive with its speaker after `by`.
/// The content is the subject before the verb (from the sentence start or
/// the last comma), or, after a leading `as`, the clause after the comma.
/// Returns the record and its last unit.
fn passive(
    doc: &mut Doc,
    s: usize,
    ce: usize,
    k: usize,
    held: &mut [bool],
) -> Option<(Rec, usize)> {
    // `by` first, on the raw text: the cheap test, for every word of the
    // sentence.
    if k + 1 >= ce || !doc.raw(k + 1).eq_ignore_ascii_case("by") || doc.word(k + 1).is_none() {
        return None;
    }
    let w = doc.word(k)?;
    let verb = lexicon::verb(w)?;
    if verb.form != Form::Past
        || verb.has(lexicon::DIRECT_ONLY)
        || doc.word(k + 1) != Some("by")
        || doc.capitalised(k)
        || k <= s
    {
        return None;
    }
    let l = speakers::forward(doc, k + 2, ce)?;
    let speaker = Mention::of(doc, k + 2, l);
    if (k..=l).any(|i| doc.used[i]) {
        return None;
    }
    let (parts, cue_first, last) = if k == s + 1 && doc.word(s) == Some("as") {
        // `As reported by the Post, CLAUSE.`
        if !doc.is_punct(l + 1, &[',']) {
            return None;
        }
        let a = l + 2;
        let b = clause_end(doc, a, ce).checked_sub(1)?;
        (vec![(a, b)], k, b)
    } else {
        // `The plan was praised by …`, `The plan has been praised by …`
        let mut f = k;
        while f > s
            && f + 3 > k
            && doc
                .word(f - 1)
                .is_some_and(|p| lexicon::be(p) || lexicon::auxiliary(p))
        {
            f -= 1;
        }
        if f == k || !(f..k).any(|i| doc.word(i).is_some_and(lexicon::be)) || f <= s {
            return None;
        }
        let a = (s..f)
            .rev()
            .find(|&i| doc.is_punct(i, &[',', ';', ':', '—', '–']))
            .map_or(s, |c| c + 1);
        let b = f - 1;
        if a > b
            || b - a > 12
            || doc
                .word(b)
                .is_some_and(|x| lexicon::function_word(x) && lexicon::pronoun(x).is_none())
        {
            return None;
        }
        (vec![(a, b)], f, l)
    };
    for &(a, b) in &parts {
        // One word is enough: `Trump was attacked by …`.
        let one_word = a == b && doc.word(a).is_some();
        if !(usable(doc, a, b, held) || one_word) || (a..=b).any(|i| doc.used[i]) {
            return None;
        }
    }
    let mut kind = Kind::Indirect;
    for &(a, b) in &parts {
        if hold_quotes(doc, a..b + 1, held) {
            kind = Kind::Mixed;
        }
    }
    for i in cue_first..=l {
        doc.used[i] = true;
    }
    let rec = Rec {
        content: parts.iter().map(|&(a, b)| doc.span(a, b)).collect(),
        speaker: Some(speaker),
        cue: Some(doc.span(cue_first, k)),
        kind,
        inherits: false,
    };
    Some((rec, last))
}

/// Whether the words of `range` hold a quotation, each one found marked
/// `held` (the reported clause that holds it makes a mixed record).
fn hold_quotes(doc: &Doc, range: std::ops::Range<usize>, held: &mut [bool]) -> bool {
    let mut any = false;
    for i in range {
        if let Some(q) = doc.quote(i) {
            held[q] = true;
            any = true;
        }
    }
    any
}

/// The words that make `In X, CLAUSE.` a report of X's findings.
const FINDINGS: [&str; 6] = ["poll", "polls", "survey", "surveys", "study", "studies"];

/// `In a new CNN/ORC poll released Monday, Clinton leads by 10 points.`:
/// a sentence that starts with `in` and a phrase of at most twelve words
/// naming a poll, survey or study, then a comma; the phrase is the
/// speaker, `in` the cue, the rest of the sentence the content.
fn in_poll(doc: &mut Doc, s: usize, ce: usize, held: &mut [bool]) -> Option<Rec> {
    let mut i = s;
    if doc
        .word(i)
        .is_some_and(|w| matches!(w, "but" | "and" | "yet" | "meanwhile"))
    {
        i += 1;
    }
    if doc.word(i) != Some("in") {
        return None;
    }
    let cue = i;
    let comma = (cue + 2..(cue + 16).min(ce)).find(|&k| {
        doc.is_punct(k, &[',', ';', ':'])
            || doc.is_terminal(k)
            || doc.is_break(k)
            || doc.quote(k).is_some()
    })?;
    if !doc.is_punct(comma, &[',']) || (cue..=comma).any(|k| doc.used[k]) {
        return None;
    }
    if !(cue + 1..comma).any(|k| doc.word(k).is_some_and(|w| FINDINGS.contains(&w))) {
        return None;
    }
    let a = comma + 1;
    let b = clause_end(doc, a, ce).checked_sub(1)?;
    if !usable(doc, a, b, held) || (a..=b).any(|k| doc.used[k]) {
        return None;
    }
    let kind = if hold_quotes(doc, a..b + 1, held) {
        Kind::Mixed
    } else {
        Kind::Indirect
    };
    for k in cue..=comma {
        doc.used[k] = true;
    }
    Some(Rec {
        content: vec![doc.span(a, b)],
        speaker: Some(Mention::of(doc, cue + 1, comma - 1)),
        cue: Some(doc.units[cue].span),
        kind,
        inherits: false,
    })
}

fn shapes(doc: &Doc, s: usize, ce: usize, cue: &Cue, held: &[bool], recs: &[Rec]) -> Option<Found> {
    if cue.verb().is_none() {
        return according(doc, s, ce, cue, held);
    }
    subject_first(doc, s, ce, cue, held, recs)
        .or_else(|| clause_first(doc, s, ce, cue, held))
        .or_else(|| {
            let speaker = distant_subject(doc, s, cue)?;
            reported(doc, ce, cue, held, speaker, false)
        })
}

/// `Rep. Ann Lee (D-Ore.), chair of the committee, said …`, `Ann Lee,
/// clad in a red cape, said …`, `Ann Lee on Tuesday said …`, `Officials
/// who spoke with the paper said …`: the noun phrase that starts the
/// sentence at `s`, when what stands between it and the cue is set aside
/// (a parenthesis, a phrase between commas or dashes, a time, a relative
/// clause). Tried when the words before the cue end no speaker.
fn distant_subject(doc: &Doc, s: usize, cue: &Cue) -> Option<Mention> {
    let mut lo = after_dateline(doc, s, cue.first);
    if doc
        .word(lo)
        .is_some_and(|w| matches!(w, "but" | "and" | "yet" | "so" | "still"))
    {
        lo += 1;
    }
    let l = speakers::forward(doc, lo, cue.first)?;
    let l = speakers::paren_after(doc, l, cue.first).unwrap_or(l);
    if l + 1 >= cue.first || !set_aside(doc, l + 1, cue.first - 1) {
        return None;
    }
    // `The bridge's engineer, Dr Helen Okafor, told …`: the name.
    let b = cue.first - 1;
    if doc.is_punct(l + 1, &[','])
        && doc.is_punct(b, &[','])
        && !(lo..=l).any(|i| doc.namey(i))
        && speakers::forward(doc, l + 2, b) == Some(b - 1)
        && doc.namey(b - 1)
    {
        return Some(Mention::of(doc, l + 2, b - 1));
    }
    Some(Mention::of(doc, lo, l))
}

/// `Officials who spoke with the paper said …`, `Veterans interviewed at
/// rallies said …`, `People familiar with the plan say …`: the subject
/// that starts the sentence at `s`, when a clause without commas that
/// restricts it stands between it and the cue.
fn restricted_subject(doc: &Doc, s: usize, cue: &Cue) -> Option<Mention> {
    let lo = after_dateline(doc, s, cue.first);
    let l = speakers::forward(doc, lo, cue.first)?;
    if l + 1 >= cue.first || !restricts(doc, l + 1) || !set_aside(doc, l + 1, cue.first - 1) {
        return None;
    }
    Some(Mention::of(doc, lo, l))
}

/// Whether the word at `i` starts a clause that restricts the noun
/// phrase before it: `who`, a participle in `-ed`, `familiar`, `close`.
fn restricts(doc: &Doc, i: usize) -> bool {
    doc.word(i).is_some_and(|w| {
        matches!(w, "who" | "familiar" | "close")
            || w.len() > 4 && w.ends_with("ed") && !doc.capitalised(i) && lexicon::verb(w).is_none()
    })
}

/// Whether units `a..=b`, between a subject and its cue, can be set
/// aside: a phrase between commas or dashes (`, clad in a red cape,`), a
/// time (`on Tuesday`, `last week`), or a relative clause without commas
/// (`who spoke with the paper`).
fn set_aside(doc: &Doc, a: usize, b: usize) -> bool {
    if b < a || b - a > 30 {
        return false;
    }
    let opens = doc.is_punct(a, &[',', '—', '–']);
    let closes = doc.is_punct(b, &[',', '—', '–']) || quote_comma(doc, b);
    if opens && closes && b > a + 1 {
        return (a + 1..b).any(|i| doc.word(i).is_some())
            && (a + 1..b).all(|i| {
                doc.word(i).is_some()
                    || doc.quote(i).is_some()
                    || doc.punct(i).is_some()
                        && !doc.is_terminal(i)
                        && !doc.is_punct(i, &[':', ';'])
            });
    }
    if restricts(doc, a) {
        return b - a <= 12 && (a..=b).all(|i| doc.word(i).is_some());
    }
    b - a < 5 && (a..=b).all(|i| doc.word(i).is_some_and(time_word))
}

/// A word of a time between a subject and its cue: `on Tuesday`, `last
/// week`, `earlier this month`, `on Dec. 3`.
fn time_word(w: &str) -> bool {
    w.bytes().all(|b| b.is_ascii_digit())
        || lexicon::time_noun(w)
        || matches!(
            w,
            "on" | "last"
                | "this"
                | "earlier"
                | "later"
                | "early"
                | "late"
                | "yesterday"
                | "today"
                | "tonight"
                | "recently"
                | "previously"
                | "weekend"
                | "january"
                | "february"
                | "march"
                | "april"
                | "may"
                | "june"
                | "july"
                | "august"
                | "september"
                | "october"
                | "november"
                | "december"
        )
}

/// Whether a content range is usable: at least two words (a quotation
/// counts as two), no quotation that is already a direct quote, no colon
/// (`said the following:` introduces a direct quote).
fn usable(doc: &Doc, a: usize, b: usize, held: &[bool]) -> bool {
    if a > b || b >= doc.len() {
        return false;
    }
    let mut words = 0;
    for i in a..=b {
        if doc.word(i).is_some() {
            words += 1;
        } else if let Some(q) = doc.quote(i) {
            if held[q] {
                return false;
            }
            words += 2;
        } else if doc.is_break(i) {
            return false;
        } else if doc.is_punct(i, &[':', '：']) {
            // `said the following:` introduces a direct quote; a colon
            // inside the clause (`…, his agenda: support for Israel`) is
            // part of it.
            let next = i + 1;
            if next > b || doc.quote(next).is_some() || doc.is_break(next) {
                return false;
            }
        }
    }
    words >= 2
}

/// The end of a reported clause starting at `a`: the sentence end `ce`, or
/// earlier before `, adding …`, `, according to …`, `, while …`,
/// `, despite …` or `;`.
fn clause_end(doc: &Doc, a: usize, ce: usize) -> usize {
    let mut i = a;
    while i < ce {
        if doc.is_punct(i, &[';']) {
            break;
        }
        // `…, "… together," suggesting that …`: a quotation that holds the
        // comma before a participle ends the clause.
        if i > a
            && doc.quote(i).is_some()
            && doc
                .raw(i)
                .trim_end_matches(|c: char| !c.is_alphanumeric() && c != ',')
                .ends_with(',')
            && cues::any_at(doc, i + 1, i + 1).is_some_and(|c| c.is_ing())
        {
            i += 1;
            break;
        }
        if doc.is_punct(i, &[',', '—', '–']) {
            if let Some(c) = cues::any_at(doc, i + 1, i + 1) {
                if c.is_ing() || c.verb().is_none() {
                    break;
                }
            }
            // `…, while the minister said …`, `…, despite warnings`
            if doc.word(i + 1).is_some_and(lexicon::contrast) {
                break;
            }
            if writer_resumes(doc, i + 1, ce) {
                break;
            }
            if i > a + 2 && doc.is_punct(i, &[',']) && matches!(doc.word(i + 1), Some("who")) {
                break;
            }
        }
        // `said he would run and suggested that …`: a second reporting
        // verb of the same speaker.
        if i > a + 1 && doc.word(i) == Some("and") && second_cue(doc, i + 1) {
            break;
        }
        i += 1;
    }
    // Drop trailing commas and dashes.
    while i > a && doc.is_punct(i - 1, &[',', '—', '–', '-']) {
        i -= 1;
    }
    i
}

/// Whether unit `k`, right after `and`, is a reporting verb in the past
/// or `-s` form: the same speaker's next attribution (`said … and
/// suggested that …`).
fn second_cue(doc: &Doc, k: usize) -> bool {
    // `and has expressed support`, `and also says`: auxiliaries and
    // adverbs may come first.
    for j in k..k + 3 {
        if let Some(c) = cues::at(doc, j, k) {
            return c.first == k
                && !c.has(lexicon::DIRECT_ONLY)
                && c.verb().is_some_and(|v| {
                    matches!(v.form, Form::Past | Form::S) || j > k && v.form == Form::Past
                });
        }
        if !doc.word(j).is_some_and(lexicon::auxiliary) {
            return false;
        }
    }
    false
}

/// Whether the words from `k`, after a comma, are the writer's rather than
/// the reported clause's: `and`/`but` and another attribution (`…, and
/// Trump vowed to …`) within six words.
fn writer_resumes(doc: &Doc, k: usize, ce: usize) -> bool {
    let Some(w) = doc.word(k) else { return false };
    if doc.capitalised(k) {
        return false;
    }
    if matches!(w, "and" | "but") {
        return (k + 2..(k + 7).min(ce)).any(|j| {
            doc.word(j - 1).is_some() && cues::at(doc, j, k + 1).is_some_and(|c| !c.is_ing())
        });
    }
    false
}

/// `According to X, CLAUSE.`, `CLAUSE, according to X.`,
/// `CLAUSE according to X.`
fn according(doc: &Doc, s: usize, ce: usize, cue: &Cue, held: &[bool]) -> Option<Found> {
    let at_start = cue.first == s
        || (cue.first == s + 1
            && doc
                .word(s)
                .is_some_and(|w| matches!(w, "but" | "and" | "yet" | "so" | "however")));
    let mut l = speakers::forward(doc, cue.last + 1, ce);
    // `According to early results of exit polls conducted for …, CLAUSE`:
    // a source longer than a noun phrase runs to the comma.
    if l.is_none_or(|l| !doc.is_punct(l + 1, &[',']) && l + 1 < ce) {
        let a = cue.last + 1;
        let stop = (a..(a + 20).min(ce)).find(|&i| doc.word(i).is_none());
        l = match stop {
            Some(c) if c > a && doc.is_punct(c, &[',']) => Some(c - 1),
            None if !at_start && ce > a && ce <= a + 20 => Some(ce - 1),
            _ => l,
        };
    }
    let l = l?;
    let speaker = Mention::of(doc, cue.last + 1, l);
    if at_start {
        if !doc.is_punct(l + 1, &[',']) {
            return None;
        }
        let a = l + 2;
        let b = clause_end(doc, a, ce).checked_sub(1)?;
        return usable(doc, a, b, held).then(|| Found {
            parts: vec![(a, b)],
            speaker,
            last: b,
        });
    }
    let mut b = cue.first.checked_sub(1)?;
    if doc.is_punct(b, &[',', '—', '–']) {
        b = b.checked_sub(1)?;
    }
    if b < s || !usable(doc, s, b, held) {
        return None;
    }
    let mut parts = vec![(s, b)];
    let mut last = l;
    // `CLAUSE, according to X, CLAUSE.`, but not `…, according to X,
    // who …`: a relative clause tells of the source.
    let relative = doc
        .word(l + 2)
        .is_some_and(|w| matches!(w, "who" | "whom" | "whose" | "which" | "where"));
    if doc.is_punct(l + 1, &[',']) && l + 2 < ce && !relative {
        let c = clause_end(doc, l + 2, ce).checked_sub(1)?;
        if usable(doc, l + 2, c, held) {
            parts.push((l + 2, c));
            last = c;
        }
    }
    Some(Found {
        parts,
        speaker,
        last,
    })
}

/// Where the reported clause after a cue starts: after a listener (`told
/// reporters`), adverbials ending in `that` (`said on Monday that`), or
/// `that`. `None` when no clause follows (`said on Monday.`).
fn complement(doc: &Doc, cue: &Cue, ce: usize) -> Option<usize> {
    let mut j = cue.last + 1;
    if cue.has(lexicon::LISTENER) {
        let w = doc.word(j)?;
        if lexicon::object_pronoun(w) {
            j += 1;
        } else {
            j = object_end(doc, j, ce)? + 1;
        }
    } else if cue.has(lexicon::MAY_LISTEN) {
        if doc.word(j).is_some_and(lexicon::object_pronoun) && doc.word(j + 1) != Some("to") {
            j += 1;
        } else if let Some(l) = object_end(doc, j, ce) {
            if doc.word(l + 1) == Some("that") {
                j = l + 1;
            }
        }
    }
    // `vowed to leave`, `agreed to step down`: an infinitive.
    if cue.has(lexicon::INFINITIVE)
        && doc.word(j) == Some("to")
        && doc
            .word(j + 1)
            .is_some_and(|w| !doc.capitalised(j + 1) && !lexicon::function_word(w))
    {
        return Some(j);
    }
    if cue.has(lexicon::TAKES_TO) {
        // `wants to win`, `hopes voters will`, `declined to comment`
        return match doc.word(j)? {
            "that" => Some(j + 1),
            "to" => Some(j),
            w if lexicon::adverbial_start(w) || lexicon::be(w) || lexicon::auxiliary(w) => None,
            _ => Some(j),
        };
    }
    // `said on Monday that`, `told reporters in Paris that`
    for k in j..(j + 9).min(ce) {
        match doc.word(k) {
            Some("that") => return Some(k + 1),
            Some("and") if second_cue(doc, k + 1) => break,
            Some(_) => {}
            None => break,
        }
    }
    let w = doc.word(j);
    // `said on Friday he met …`: a short adverbial, then a clause that
    // starts with a subject pronoun.
    if w.is_some_and(lexicon::adverbial_start) && !w.is_some_and(lexicon::be) {
        for k in j + 1..(j + 5).min(ce) {
            match doc.word(k) {
                Some(x) if lexicon::pronoun(x).is_some_and(|p| p != Pronoun::You) => {
                    return (k + 2 < ce).then_some(k);
                }
                // `said on Monday the plan would fail`: a day, then a
                // subject with a determiner.
                Some(x)
                    if matches!(x, "the" | "a" | "an" | "his" | "her" | "their" | "its")
                        && doc.word(k - 1).is_some_and(lexicon::time_noun) =>
                {
                    return (k + 3 < ce).then_some(k);
                }
                Some(x) if lexicon::function_word(x) && k > j + 1 => break,
                Some(_) => {}
                None => break,
            }
        }
    }
    // `said about half of …`: `about` and a number starts a clause.
    let about_number = w == Some("about")
        && doc.word(j + 1).is_some_and(|n| {
            n == "half"
                || lexicon::quantifier(n)
                || n.bytes().next().is_some_and(|b| b.is_ascii_digit())
        });
    // `said nothing had changed`, `said too many farms are idle`: a
    // quantity that is the subject of a verb within six words.
    let quantity = w.is_some_and(|w| {
        matches!(
            w,
            "more" | "much" | "little" | "nothing" | "something" | "anything" | "too" | "so"
        )
    }) && (j + 1..(j + 7).min(ce))
        .take_while(|&i| doc.word(i).is_some())
        .any(|i| {
            doc.word(i)
                .is_some_and(|x| lexicon::be(x) || lexicon::auxiliary(x))
        });
    match w {
        Some(_) if about_number || quantity => Some(j),
        Some(w)
            if lexicon::adverbial_start(w)
                || lexicon::be(w)
                || lexicon::auxiliary(w)
                    && !matches!(
                        w,
                        "will" | "would" | "could" | "should" | "might" | "may" | "must" | "can"
                    ) =>
        {
            None
        }
        Some(_) => Some(j),
        None => doc.quote(j).map(|_| j),
    }
}

/// The listener after `told`: a pronoun, a name, `reporters`, `the BBC`,
/// `a local newspaper`. Returns its last unit.
fn object_end(doc: &Doc, j: usize, ce: usize) -> Option<usize> {
    let w = doc.word(j)?;
    if lexicon::object_pronoun(w) {
        return Some(j);
    }
    if lexicon::determiner(w) {
        // Up to the next determiner, pronoun or `that`: `the BBC the talks …`
        let mut k = j + 1;
        while k < ce && k < j + 4 {
            if !speakers::phrase_word(doc, k) {
                break;
            }
            k += 1;
        }
        return (k > j + 1).then_some(k - 1);
    }
    if doc.namey(j) {
        let mut k = j;
        while k + 1 < ce && doc.namey(k + 1) {
            k += 1;
        }
        return Some(k);
    }
    // `reporters`, `journalists`: one plain word.
    (!lexicon::function_word(w)).then_some(j)
}

/// `issued a statement`, `put out a new statement`, `released a video`:
/// the verb's unit, when unit `b` ends such a phrase (not before `s`).
fn statement_verb(doc: &Doc, b: usize, s: usize) -> Option<usize> {
    let head = doc.word(b)?;
    if !matches!(
        head,
        "statement" | "letter" | "release" | "video" | "ad" | "email" | "memo"
    ) {
        return None;
    }
    let f = speakers::backward(doc, b, s)?;
    let mut v = f.checked_sub(1).filter(|&v| v > s)?;
    if doc.word(v) == Some("out") {
        v = v.checked_sub(1).filter(|&v| v > s)?;
    }
    let verb = doc.word(v)?;
    matches!(
        verb,
        "issued" | "released" | "put" | "sent" | "posted" | "published" | "issues" | "releases"
    )
    .then_some(v)
}

/// `X said (that) CLAUSE.`
fn subject_first(
    doc: &Doc,
    s: usize,
    ce: usize,
    cue: &Cue,
    held: &[bool],
    recs: &[Rec],
) -> Option<Found> {
    let before = cue.first.checked_sub(1).filter(|&b| b >= s);
    // `…, Smith, who said CLAUSE, …`: the relative pronoun of a clause
    // between commas is the mention, and the clause ends with it.
    let mut relative = false;
    let speaker = match before {
        Some(b)
            if b > s
                && doc.word(b).is_some_and(|w| w == "who" || w == "which")
                && (doc.is_punct(b - 1, &[','])
                    || doc.word(b) == Some("who") && doc.word(b - 1).is_some()) =>
        {
            relative = true;
            Mention::of(doc, b, b)
        }
        // `… and suggested that …`: the speaker of the record before in
        // the sentence.
        Some(b) if doc.word(b) == Some("and") && second_cue(doc, cue.first) => context(
            recs,
            doc.units[s].span.start,
            doc.units[cue.first].span.start,
        )
        .or_else(|| subject(doc, after_dateline(doc, s, cue.first), cue.first))?,
        // `… but lauded the choice`, `… and will ask …`: the subject of
        // the sentence, or the speaker of the record before in it.
        Some(b)
            if b > s && !cue.is_ing() && doc.word(b).is_some_and(|w| w == "but" || w == "and") =>
        {
            context(
                recs,
                doc.units[s].span.start,
                doc.units[cue.first].span.start,
            )
            .or_else(|| subject(doc, after_dateline(doc, s, b), cue.first))?
        }
        // `The party issued a statement saying …`: the subject that issued
        // it, or the speaker of the record before in the sentence.
        Some(b) if cue.is_ing() && statement_verb(doc, b, s).is_some() => {
            let v = statement_verb(doc, b, s)?;
            context(recs, doc.units[s].span.start, doc.units[v].span.start)
                .or_else(|| subject(doc, after_dateline(doc, s, v), v))?
        }
        Some(b) if doc.word(b).is_some() => {
            // `Ford itself said …`: a reflexive after the speaker.
            let reflexive = b > s
                && doc
                    .word(b)
                    .is_some_and(|w| matches!(w, "himself" | "herself" | "itself" | "themselves"));
            let h = if reflexive { b - 1 } else { b };
            let f = speakers::backward(doc, h, s).or_else(|| findings_subject(doc, h, s))?;
            // `Officials who spoke with the paper said …`: the subject
            // before a clause that restricts it, not the last noun phrase
            // in that clause.
            if f > s + 1 {
                if let Some(speaker) = restricted_subject(doc, s, cue) {
                    return reported(doc, ce, cue, held, speaker, false);
                }
            }
            if f > s {
                let w = doc.word(f - 1);
                // `As X said, CLAUSE.`; without the comma, `as X urged
                // voters to unite` has its content after the cue.
                let comma = (cue.last + 1..(cue.last + 8).min(ce))
                    .find(|&i| doc.is_punct(i, &[',']))
                    .filter(|&c| {
                        c == cue.last + 1
                            || doc.capitalised(cue.last + 1)
                            || doc.word(cue.last + 1).is_some_and(lexicon::adverbial_start)
                    });
                if let (Some("as"), Some(comma)) = (w, comma) {
                    let b2 = clause_end(doc, comma + 1, ce).checked_sub(1)?;
                    return usable(doc, comma + 1, b2, held).then(|| Found {
                        parts: vec![(comma + 1, b2)],
                        speaker: Mention::of(doc, f, b),
                        last: b2,
                    });
                }
                // `which the auditors said were left out`, `a plan that
                // Ortega called “a gift”`: the relative pronoun and what
                // follows the cue, in two parts.
                if w.is_some_and(|w| matches!(w, "which" | "who" | "whom" | "that" | "what")) {
                    let mut a = cue.last + 1;
                    if doc.word(a) == Some("that") {
                        a += 1;
                    }
                    let mut b2 = clause_end(doc, a, ce).checked_sub(1)?;
                    if let Some(c) = (a..=b2).find(|&i| doc.is_punct(i, &[',', '—', '–'])) {
                        b2 = c.checked_sub(1)?;
                    }
                    let one_word = a == b2 && doc.word(a).is_some();
                    return (a < ce && (usable(doc, a, b2, held) || one_word)).then(|| Found {
                        parts: vec![(f - 1, f - 1), (a, b2)],
                        speaker: Mention::of(doc, f, b),
                        last: b2,
                    });
                }
                if w.is_some_and(|w| {
                    matches!(
                        w,
                        "what"
                            | "which"
                            | "who"
                            | "whom"
                            | "that"
                            | "how"
                            | "why"
                            | "whatever"
                            | "than"
                    )
                }) {
                    return None;
                }
            }
            Mention::of(doc, f, b)
        }
        // `Joseph Biden Jr. said …`: the full stop of an abbreviation.
        Some(b)
            if b > s
                && doc.is_punct(b, &['.'])
                && doc.word(b - 1).is_some_and(lexicon::abbreviation) =>
        {
            let f = speakers::backward(doc, b - 1, s)?;
            Mention::of(doc, f, b)
        }
        // `Sen. Ann Lee (D-Ore.) said …`: a parenthesis after the name.
        Some(b) if doc.is_punct(b, &[')']) => {
            let p = speakers::before_paren(doc, b, s)?;
            let f = speakers::backward(doc, p, s)?;
            Mention::of(doc, f, b)
        }
        // `Jones, the author of "Big Book," said …`: an apposition may end
        // with a title whose marks hold its comma.
        Some(b)
            if doc.is_punct(b, &[','])
                || doc.quote(b).is_some()
                    && doc
                        .raw(b)
                        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != ',')
                        .ends_with(',') =>
        {
            if let Some((f, l)) = apposition(doc, b, s) {
                Mention::of(doc, f, l)
            } else if cue.is_ing() {
                context(
                    recs,
                    doc.units[s].span.start,
                    doc.units[cue.first].span.start,
                )
                .or_else(|| subject(doc, after_dateline(doc, s, cue.first), cue.first))?
            } else {
                return None;
            }
        }
        _ => return None,
    };
    reported(doc, ce, cue, held, speaker, relative)
}

/// The reported clause after the cue of `X said (that) CLAUSE.`, whose
/// speaker is found; `relative` when the speaker is a relative pronoun
/// (`…, who said CLAUSE, …`).
fn reported(
    doc: &Doc,
    ce: usize,
    cue: &Cue,
    held: &[bool],
    speaker: Mention,
    relative: bool,
) -> Option<Found> {
    let a = complement(doc, cue, ce)?;
    if a >= ce {
        return None;
    }
    // `would not say who …`: what was not said is no content.
    let negated = (cue.first..cue.last).any(|i| doc.word(i).is_some_and(lexicon::negation));
    if negated
        && doc.word(a).is_some_and(|w| {
            matches!(
                w,
                "who" | "what" | "whether" | "how" | "why" | "which" | "if" | "where"
            )
        })
    {
        return None;
    }
    let mut b = clause_end(doc, a, ce).checked_sub(1)?;
    if relative {
        if let Some(c) = (a..=b).find(|&i| doc.is_punct(i, &[',', '—', '–'])) {
            b = c.checked_sub(1)?;
        }
        // `Those who know the mayor say …`: without a comma, the
        // relative clause ends before the next cue.
        if !doc.is_punct(cue.first - 2, &[',']) {
            if let Some(c) = (a + 1..=b).find(|&i| cues::at(doc, i, a).is_some()) {
                b = c - 1;
            }
        }
    }
    // `endorsed her – they …`, `cited a report, which …`: an object ends
    // at a comma, dash or parenthesis, a contrast or `and` with a cue.
    let particle = doc
        .word(cue.last)
        .is_some_and(|w| matches!(w, "for" | "on" | "against" | "about" | "to"));
    let object = (cue.has(lexicon::OBJECT) || particle) && doc.word(a - 1) != Some("that");
    if object {
        // Not inside a relative clause of the object: `a system in which
        // overtime has become, in the words of one, …`.
        let stop = (a + 1..=b)
            .take_while(|&i| {
                !doc.word(i)
                    .is_some_and(|w| matches!(w, "which" | "who" | "whom" | "whose" | "where"))
            })
            .find(|&i| {
                doc.is_punct(i, &[',', '—', '–', '(', ';'])
                    || doc
                        .word(i)
                        .is_some_and(|w| lexicon::contrast(w) && w != "even")
                    || doc.word(i) == Some("and") && cues::at(doc, i + 1, i + 1).is_some()
            });
        if let Some(c) = stop {
            b = c - 1;
        }
    }
    // `endorsed Okafor.`, `opposed him`: a name or a pronoun alone is the
    // object, though one word.
    if !(usable(doc, a, b, held) || object && named_object(doc, a, b)) {
        return None;
    }
    Some(Found {
        parts: vec![(a, b)],
        speaker,
        last: b,
    })
}

/// `endorsed Okafor.`, `opposed him`: whether units `a` to `b` are one
/// word that is a name (not `Okafor's`) or an object pronoun.
fn named_object(doc: &Doc, a: usize, b: usize) -> bool {
    a == b
        && doc.word(a).is_some_and(|w| {
            // A word's lower case writes `’` as `'`.
            doc.namey(a) && !w.ends_with("'s") || matches!(w, "him" | "her" | "them" | "it")
        })
}

/// Where the sentence at `s` starts after a dateline, not past `b`: a
/// word in capitals, then a dash within twelve units (`LONDON, Nov 13 -
/// …`), or a capitalised word and a news agency in parentheses before a
/// dash (`Washington (AFP) – …`).
fn after_dateline(doc: &Doc, s: usize, b: usize) -> usize {
    let dash = |i: usize| doc.is_punct(i, &['-', '—', '–']);
    let raw = doc.raw(s);
    if raw.chars().count() >= 2 && raw.chars().all(char::is_uppercase) {
        if let Some(i) = (s + 1..(s + 12).min(b)).find(|&i| dash(i)) {
            return i + 1;
        }
    }
    // `Washington (AFP) – …`, `PARIS, Dec. 8 (UPI) — …`: an agency in
    // parentheses, then a dash.
    if !doc.capitalised(s) {
        return s;
    }
    (s + 3..(s + 12).min(b))
        .find(|&i| {
            dash(i)
                && doc.is_punct(i - 1, &[')'])
                && doc.is_punct(i - 3, &['('])
                && doc.capitalised(i - 2)
        })
        .map_or(s, |i| i + 1)
}

/// Whether unit `i` is a quotation whose closing mark holds a comma
/// (`"…campaign,"`).
fn quote_comma(doc: &Doc, i: usize) -> bool {
    doc.quote(i).is_some()
        && doc
            .raw(i)
            .trim_end_matches(|c: char| !c.is_alphanumeric() && c != ',')
            .ends_with(',')
}

/// `Recent polling shows …`, `Early analysis suggests …`: a subject that
/// names findings without a determiner, up to five words back from `b`
/// (not past the sentence start `s` or a comma). Returns its first unit.
fn findings_subject(doc: &Doc, b: usize, s: usize) -> Option<usize> {
    // `The report released by the council on Friday found …`: the
    // findings may come a few words before the cue.
    let h = cues::findings_before(doc, b + 1, s)?;
    let mut f = h;
    while f > s && f + 5 > h && speakers::phrase_word(doc, f - 1) {
        f -= 1;
    }
    if f > s && doc.word(f - 1).is_some_and(lexicon::determiner) {
        f -= 1;
    }
    Some(f)
}

/// `CLAUSE, X said.`, `CLAUSE, said X.`, `CLAUSE, X said, CLAUSE.`
fn clause_first(doc: &Doc, s: usize, ce: usize, cue: &Cue, held: &[bool]) -> Option<Found> {
    let before = cue.first.checked_sub(1).filter(|&b| b > s)?;
    // The speaker and where the clause before it ends.
    let inverted_after_quote = quote_comma(doc, before);
    let (speaker, comma, mut t) = if doc.is_punct(before, &[',', '—', '–']) || inverted_after_quote
    {
        // `CLAUSE, said X`
        let inverted = || {
            if !cue.has(lexicon::INVERTS) {
                return None;
            }
            let l = speakers::forward(doc, cue.last + 1, ce)?;
            let m = Mention::of(doc, cue.last + 1, l);
            // `…, said it would …`, `…, said the water came in` are no
            // inversions: the speaker is `he`, `she`, a name or a role.
            let fits = match m.pronoun {
                Some(p) => matches!(p, Pronoun::He | Pronoun::She),
                None => m.named || doc.word(l).is_some_and(lexicon::role),
            };
            fits.then_some((
                m,
                if inverted_after_quote {
                    before + 1
                } else {
                    before
                },
                l + 1,
            ))
        };
        // `CLAUSE, a spokeswoman, Ann Lee, said`: a speaker with an
        // apposition, after the comma that ends the clause.
        let apposed = || {
            if !doc.is_punct(before, &[',']) {
                return None;
            }
            let (f, l) = apposition(doc, before, s)?;
            let comma = f
                .checked_sub(1)
                .filter(|&c| c > s && doc.is_punct(c, &[',']))?;
            Some((Mention::of(doc, f, l), comma, cue.last + 1))
        };
        inverted().or_else(apposed)?
    } else {
        let mut f = speakers::backward(doc, before, s)
            .or_else(|| {
                let p = speakers::before_paren(doc, before, s)?;
                speakers::backward(doc, p, s)
            })
            .or_else(|| {
                let ok = doc.is_punct(before, &['.'])
                    && doc.word(before - 1).is_some_and(lexicon::abbreviation);
                ok.then(|| speakers::backward(doc, before - 1, s)).flatten()
            })?;
        // `…, law enforcement officials say.`: plain words before the head
        // back to the comma.
        let mut g = f;
        while g > s + 1
            && g + 3 > f
            && !doc.is_punct(g - 1, &[',', '—', '–'])
            && speakers::phrase_word(doc, g - 1)
            && !doc.capitalised(g - 1)
        {
            g -= 1;
        }
        if g < f && doc.is_punct(g - 1, &[',', '—', '–']) {
            f = g;
        }
        let comma = f
            .checked_sub(1)
            .filter(|&c| c > s && doc.is_punct(c, &[',', '—', '–']));
        // `The media are "framing this campaign," Gilmore said.`: the comma
        // inside the closing mark; the quotation ends the clause.
        let comma = match comma {
            Some(c) => c,
            None if f > s + 1 && quote_comma(doc, f - 1) => f,
            None => return None,
        };
        let mut t = cue.last + 1;
        if cue.has(lexicon::LISTENER) {
            if let Some(l) = object_end(doc, t, ce) {
                t = l + 1;
            }
        }
        (Mention::of(doc, f, before), comma, t)
    };
    let b = comma - 1;
    // `Survival, she said, depends on …`: one word before the attribution
    // when the clause goes on after it.
    let short = b == s && doc.word(s).is_some();
    if !usable(doc, s, b, held) && !short {
        return None;
    }
    let mut parts = vec![(s, b)];
    let mut last = t.saturating_sub(1).max(cue.last);
    // A short tail (`on Monday`, `in a statement`), then the sentence end
    // or the rest of a clause interrupted by the attribution.
    let tail_start = t;
    while t < ce && t < tail_start + 8 && !doc.is_punct(t, &[',', '—', '–']) {
        if doc.word(t).is_some_and(|w| w == "that") || doc.quote(t).is_some() {
            return None;
        }
        t += 1;
    }
    if t < ce {
        if !doc.is_punct(t, &[',', '—', '–']) {
            return None;
        }
        // `, adding that …` is a record of its own.
        if cues::any_at(doc, t + 1, t + 1).is_none() {
            let c = clause_end(doc, t + 1, ce).checked_sub(1)?;
            if !usable(doc, t + 1, c, held) {
                return None;
            }
            parts.push((t + 1, c));
            last = c;
        } else {
            last = t;
        }
    } else {
        last = last.max(ce.saturating_sub(1));
    }
    if short && parts.len() < 2 && !usable(doc, s, b, held) {
        return None;
    }
    Some(Found {
        parts,
        speaker,
        last,
    })
}
