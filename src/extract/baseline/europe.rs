//! Quotes in German and French news: the rules of `direct` and `indirect`
//! for languages whose reporting clauses invert (`„…“, sagte der Minister`,
//! `« … », a déclaré X`), name the source with a preposition (`laut X`,
//! `selon X`, `X zufolge`, `…, so X.`) and report speech in a clause after
//! a comma or `dass` / `que`. The words are in `languages/de.txt` and
//! `languages/fr.txt`; docs/baseline.md lists the shapes.
//!
//! Like the English rules, every shape looks at a bounded window of units
//! around a cue or a quotation, so the work is linear in the article.

use super::languages::{kind, Kinds, Words};
use super::speakers::Mention;
use super::units::Doc;
use super::Rec;
use crate::corpus::{Kind, Span};

/// The longest speaker phrase, in units.
const MAX_SPEAKER: usize = 10;

/// The quotes of an article in German or French, unsorted.
pub(super) fn find(doc: &mut Doc, w: &Words) -> Vec<Rec> {
    let mut recs: Vec<Rec> = Vec::new();
    let mut held = vec![false; doc.quotes.len()];
    let nested = w.any("nested");
    for si in 0..doc.sentences.len() {
        let (s, e) = doc.sentences[si];
        let before = recs.len();
        // Direct quotes with an attribution next to them.
        for u in s..e {
            let Some(q) = doc.quote(u) else { continue };
            if held[q] || !starts_clause(doc, u, s) {
                continue;
            }
            let Some((speaker, cue, used)) =
                after_quote(doc, w, u, e).or_else(|| before_quote(doc, w, u, s, e))
            else {
                continue;
            };
            held[q] = true;
            for i in used.0..=used.1 {
                doc.used[i] = true;
            }
            recs.push(Rec {
                content: doc.quotes[q].parts.clone(),
                speaker: Some(speaker),
                cue: Some(cue),
                kind: Kind::Direct,
                inherits: false,
            });
        }
        // Reported speech.
        let mut ce = e;
        while ce > s && (doc.is_terminal(ce - 1) || doc.is_punct(ce - 1, &[';', ':', ','])) {
            ce -= 1;
        }
        if ce <= s || doc.is_punct(e - 1, &['?']) {
            continue;
        }
        let found = if recs.len() > before {
            None
        } else {
            reported(doc, w, s, ce)
        };
        if let Some((parts, speaker, cue)) = found {
            let mut kind = Kind::Indirect;
            let mut content = Vec::new();
            let mut inner = Vec::new();
            for &(a, b) in &parts {
                for i in a..=b {
                    if let Some(q) = doc.quote(i) {
                        if !held[q] {
                            held[q] = true;
                            inner.push(q);
                        }
                    }
                }
                content.push(doc.span(a, b));
            }
            if !inner.is_empty() && !nested {
                kind = Kind::Mixed;
            }
            recs.push(Rec {
                content,
                speaker: Some(speaker),
                cue: Some(cue),
                kind,
                inherits: false,
            });
            if nested {
                // German news corpora annotate a quotation inside reported
                // speech as a direct quote of its own, same speaker.
                for q in inner {
                    recs.push(Rec {
                        content: doc.quotes[q].parts.clone(),
                        speaker: Some(speaker),
                        cue: Some(cue),
                        kind: Kind::Direct,
                        inherits: false,
                    });
                }
            }
        } else if recs.len() == before
            && !recs.is_empty()
            && (s..ce).any(|i| doc.word(i).is_some_and(|x| w.is(kind::KONJ, x)))
            && (s..ce).filter(|&i| doc.word(i).is_some()).count() >= 4
        {
            // Konjunktiv I without a cue continues the reported speech
            // before it: `Die Lage sei ernst.`
            recs.push(Rec {
                content: vec![doc.span(s, ce - 1)],
                speaker: None,
                cue: None,
                kind: Kind::Indirect,
                inherits: true,
            });
        }
    }
    // Quotations that read as speech, with no attribution of their own.
    for (q, &is_held) in held.iter().enumerate() {
        let u = doc.quote_unit[q];
        if is_held || u == usize::MAX {
            continue;
        }
        let (s, _) = doc.sentence(u).unwrap_or((u, u + 1));
        let text = {
            let first = doc.quotes[q].parts[0];
            let last = *doc.quotes[q].parts.last().unwrap_or(&first);
            &doc.text[first.start..last.end]
        };
        let words = text.split_whitespace().count();
        let ends = doc
            .quote_last_char(q)
            .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…'));
        if starts_clause(doc, u, s) && (words >= 4 || ends) {
            recs.push(Rec::unattributed(doc, q));
        }
    }
    recs
}

/// Whether the quotation at unit `u` starts a clause: at the sentence
/// start, after punctuation, or after a cue or `:`.
fn starts_clause(doc: &Doc, u: usize, s: usize) -> bool {
    u == s || u == 0 || doc.punct(u - 1).is_some() || doc.quote(u - 1).is_some() || {
        // `X sagte „…“`: right after a verb; decided by the shapes.
        doc.word(u - 1).is_some()
    }
}

/// Whether unit `i` holds a cue: `(first, last)` units, the auxiliary
/// before it included.
fn cue_at(doc: &Doc, w: &Words, i: usize, s: usize) -> Option<(usize, usize)> {
    let x = doc.word(i)?;
    let is_cue = w.is(kind::CUE, x) || inverted(w, x).is_some();
    if !is_cue || (doc.capitalised(i) && i != s) {
        return None;
    }
    let mut first = i;
    if i > s && doc.word(i - 1).is_some_and(|p| w.is(kind::AUX, p)) {
        first = i - 1;
    }
    Some((first, i))
}

/// `soupire-t-elle`, `a-t-il`, `dit-il`: a verb with its subject pronoun
/// after it in one word; the pronoun's byte offset in the word.
fn inverted(w: &Words, x: &str) -> Option<usize> {
    let (verb, rest) = x.split_once('-')?;
    let pron = rest.strip_prefix("t-").unwrap_or(rest);
    (w.is(kind::PRON, pron) && w.kinds(verb).is(kind::CUE | kind::AUX))
        .then(|| x.len() - pron.len())
}

/// The speaker of the inverted form at unit `i` (`a-t-elle`): the pronoun
/// inside the word.
fn inverted_speaker(doc: &Doc, w: &Words, i: usize) -> Option<Mention> {
    let off = inverted(w, doc.word(i)?)?;
    let span = doc.units[i].span;
    let raw = doc.raw(i);
    // The lower-case word and the raw one have the same length for these
    // forms unless an apostrophe was rewritten: fall back to the unit.
    let start = if raw.len() == doc.word(i)?.len() && raw.is_char_boundary(off) {
        span.start + off
    } else {
        span.start
    };
    let mut m = Mention::of(doc, i, i);
    m.span = Span::new(start, span.end);
    Some(m)
}

/// Whether the word at `k`, of kinds `x`, goes on a speaker phrase.
fn np_word(doc: &Doc, x: Kinds, k: usize, prev_joins: bool) -> bool {
    if x.is(kind::NPSTOP | kind::THAT | kind::CUE | kind::AUX) {
        return false;
    }
    let next_cap = doc.capitalised(k + 1);
    doc.capitalised(k) || x.is(kind::DET) || x.is(kind::OF) && next_cap || prev_joins || {
        // A lower-case word before a capitalised one: `der bayerische
        // Ministerpräsident`.
        next_cap && !x.is(kind::PRON)
    }
}

/// The speaker phrase starting at unit `j`, before `end`: a pronoun, or
/// determiners, names and nouns; its last unit.
fn forward(doc: &Doc, w: &Words, j: usize, end: usize) -> Option<usize> {
    let x = doc.word(j)?;
    if j >= end {
        return None;
    }
    let x = w.kinds(x);
    if x.is(kind::PRON) {
        return Some(j);
    }
    if !(x.is(kind::DET) || doc.capitalised(j)) || x.is(kind::NOSUBJ | kind::NPSTOP) {
        return None;
    }
    let mut last = j;
    let mut joins = x.is(kind::DET | kind::OF);
    let mut k = j + 1;
    while k < end && k < j + MAX_SPEAKER {
        let Some(y) = doc.word(k).map(|y| w.kinds(y)) else {
            break;
        };
        if !np_word(doc, y, k, joins) {
            break;
        }
        joins = y.is(kind::DET | kind::OF);
        last = k;
        k += 1;
    }
    // A phrase does not end in a joining word.
    while last > j
        && doc
            .word(last)
            .is_some_and(|y| w.kinds(y).is(kind::OF | kind::DET))
    {
        last -= 1;
    }
    Some(last)
}

/// The subject before a cue starting at unit `c`: from the start of the
/// clause (sentence start, or after `:`, `;` or a quotation) to `c - 1`;
/// an apposition between commas is kept (`La directrice, Zoë Lefèvre, a
/// dit`), otherwise only what follows the last comma.
fn backward(doc: &Doc, w: &Words, c: usize, s: usize) -> Option<(usize, usize)> {
    let mut a = c;
    while a > s
        && !doc.is_punct(a - 1, &[':', ';', '(', '–', '—'])
        && doc.quote(a - 1).is_none()
        && !doc.is_break(a - 1)
    {
        a -= 1;
    }
    let b = c.checked_sub(1)?;
    if a > b {
        return None;
    }
    let mut b = b;
    if doc.is_punct(b, &[',']) {
        // An apposition right before the cue.
        b = b.checked_sub(1)?;
    } else if let Some(comma) = (a..b).rev().find(|&i| doc.is_punct(i, &[','])) {
        a = comma + 1;
    }
    if a > b || b + 1 - a > MAX_SPEAKER + 2 {
        return None;
    }
    let first = w.kinds(doc.word(a)?);
    if first.is(kind::NOSUBJ | kind::THAT | kind::BEFORE) {
        return None;
    }
    if !(first.is(kind::PRON | kind::DET) || doc.capitalised(a)) {
        return None;
    }
    for i in a..=b {
        if doc
            .word(i)
            .is_some_and(|x| w.kinds(x).is(kind::CUE | kind::THAT))
            || doc.quote(i).is_some()
        {
            return None;
        }
    }
    Some((a, b))
}

/// The speaker of the cue at `(first, last)`: the pronoun of an inverted
/// form, the subject before it, or the phrase after it.
fn speaker_of(
    doc: &Doc,
    w: &Words,
    (first, last): (usize, usize),
    s: usize,
    end: usize,
) -> Option<Mention> {
    for i in first..=last {
        if let Some(m) = inverted_speaker(doc, w, i) {
            return Some(m);
        }
    }
    if let Some((a, b)) = backward(doc, w, first, s) {
        return Some(Mention::of(doc, a, b));
    }
    // `äußerte sich der Sprecher`: past a reflexive pronoun.
    let mut j = last + 1;
    if doc.word(j).is_some_and(|x| w.is(kind::REFL, x)) {
        j += 1;
    }
    let l = forward(doc, w, j, end)?;
    Some(Mention::of(doc, j, l))
}

type Attribution = (Mention, Span, (usize, usize));

/// `„…“, sagte X.`, `« … », a déclaré X`, `„…“, so X.`
fn after_quote(doc: &Doc, w: &Words, u: usize, e: usize) -> Option<Attribution> {
    let mut v = u + 1;
    if doc.is_punct(v, &[',', '–', '—']) {
        v += 1;
    }
    if v >= e {
        return None;
    }
    let x = doc.word(v)?;
    let kx = w.kinds(x);
    if kx.is(kind::AFTER) && !kx.is(kind::BEFORE) {
        // `„…“, so der Minister.`
        let l = forward(doc, w, v + 1, e)?;
        return Some((Mention::of(doc, v + 1, l), doc.units[v].span, (v, l)));
    }
    let k = if kx.is(kind::AUX) && inverted(w, x).is_none() {
        v + 1
    } else {
        v
    };
    let (first, last) = cue_at(doc, w, k, v)?;
    let first = first.min(v);
    let cue = doc.span(first, last);
    for i in first..=last {
        if let Some(m) = inverted_speaker(doc, w, i) {
            return Some((m, cue, (first, last)));
        }
    }
    let l = forward(doc, w, last + 1, e)?;
    Some((Mention::of(doc, last + 1, l), cue, (first, l)))
}

/// `X sagte: „…“`, `X erzählte: „…“`, `Elle a dit : « … »`: a cue before
/// the quotation in its sentence, with at most a few words and a colon or
/// comma between them. Without a colon the quotation must end the
/// sentence (otherwise it is part of reported speech).
fn before_quote(doc: &Doc, w: &Words, u: usize, s: usize, e: usize) -> Option<Attribution> {
    let colon = u > s && doc.is_punct(u - 1, &[':']);
    let ends = u + 1 >= e || doc.is_terminal(u + 1);
    if !colon && !ends {
        return None;
    }
    let lo = u.saturating_sub(8).max(s);
    let k = (lo..u).rev().find_map(|k| cue_at(doc, w, k, s))?;
    if (k.1 + 1..u).any(|i| doc.quote(i).is_some() || doc.is_terminal(i)) {
        return None;
    }
    // Without a colon, no clause between the cue and the quotation:
    // `Er sagte „…“`, `Sie sprach von einem „Kahlschlag“`; but `…
    // ergänzte, man prüfe „alle Instrumente“.` is reported speech.
    let boundary = (k.1 + 1..u).rev().find(|&i| {
        doc.is_punct(i, &[','])
            || doc.word(i).is_some_and(|x| w.is(kind::THAT, x))
            || doc.word(i).is_some_and(|x| x.starts_with("qu'"))
    });
    if !colon && boundary.is_some_and(|b| (b..u).any(|i| doc.word(i).is_some())) {
        return None;
    }
    let speaker = speaker_of(doc, w, k, s, u)?;
    Some((speaker, doc.span(k.0, k.1), k))
}

type Reported = (Vec<(usize, usize)>, Mention, Span);

/// Reported speech in the sentence `s..ce` (terminal punctuation left
/// out): the first shape that fits.
fn reported(doc: &Doc, w: &Words, s: usize, ce: usize) -> Option<Reported> {
    // `Laut X …`, `Selon X, …`, `Nach Angaben X …`, anywhere in the
    // sentence: the rest of the sentence is the content.
    for a in s..ce {
        let Some(x) = doc.word(a) else { continue };
        let (before, nouns) = (w.is(kind::BEFORE, x), w.plus(x));
        if !before && nouns.is_empty() {
            continue;
        }
        let np = a + 1;
        let Some(l) = forward(doc, w, np, ce) else {
            continue;
        };
        // `nach Angaben der Polizei`, `nach ersten Informationen`,
        // `Nach Polizeiangaben`: a noun of the list in the first words.
        let source = before
            || (np..=l.min(np + 2)).any(|i| {
                doc.word(i)
                    .is_some_and(|y| nouns.iter().any(|n| y.ends_with(n)))
            });
        if !source {
            continue;
        }
        if used(doc, a, l + 1) {
            continue;
        }
        let mut parts = Vec::new();
        let mut b = a;
        while b > s && doc.is_punct(b - 1, &[',', '–', '—']) {
            b -= 1;
        }
        if b > s + 1 {
            parts.push((s, b - 1));
        }
        let mut c = l + 1;
        if doc.is_punct(c, &[',', '–', '—']) {
            c += 1;
        }
        if c + 1 < ce {
            parts.push((c, ce - 1));
        }
        if !parts.is_empty() {
            return Some((parts, Mention::of(doc, np, l), doc.units[a].span));
        }
    }
    // `Wie die Polizei mitteilte, …`
    if doc.word(s).is_some_and(|x| w.is(kind::AS, x)) {
        if let Some(comma) = (s + 2..ce.min(s + 14)).find(|&i| doc.is_punct(i, &[','])) {
            if let Some(k) = (s + 2..comma).find_map(|k| cue_at(doc, w, k, s + 1)) {
                if k.0 > s + 1 && k.1 + 1 >= comma - 1 && comma + 2 < ce {
                    return Some((
                        vec![(comma + 1, ce - 1)],
                        Mention::of(doc, s + 1, k.0 - 1),
                        doc.span(k.0, k.1),
                    ));
                }
            }
        }
    }
    // `…, so X.`, `…, selon X.`, `…, wie X sagte.`, `…, sagte X.`
    for i in s + 2..ce {
        if !doc.is_punct(i, &[',', '–', '—']) {
            continue;
        }
        let Some(x) = doc.word(i + 1) else { continue };
        let kx = w.kinds(x);
        if kx.is(kind::AFTER) {
            if let Some(l) = forward(doc, w, i + 2, ce) {
                if l + 1 >= ce || l + 4 >= ce {
                    return Some((
                        vec![(s, i - 1)],
                        Mention::of(doc, i + 2, l),
                        doc.units[i + 1].span,
                    ));
                }
            }
        }
        if kx.is(kind::AS) {
            if let Some(k) = (i + 2..ce.min(i + 12)).find_map(|k| cue_at(doc, w, k, i + 2)) {
                if k.0 > i + 2 && k.1 + 1 >= ce {
                    return Some((
                        vec![(s, i - 1)],
                        Mention::of(doc, i + 2, k.0 - 1),
                        doc.span(k.0, k.1),
                    ));
                }
            }
        }
        let k = if kx.is(kind::AUX) && inverted(w, x).is_none() {
            i + 2
        } else {
            i + 1
        };
        if let Some((first, last)) = cue_at(doc, w, k, i + 1) {
            let first = first.min(i + 1);
            let speaker = (first..=last)
                .find_map(|j| inverted_speaker(doc, w, j))
                .or_else(|| {
                    let l = forward(doc, w, last + 1, ce)?;
                    Some(Mention::of(doc, last + 1, l))
                });
            if let Some(speaker) = speaker {
                return Some((vec![(s, i - 1)], speaker, doc.span(first, last)));
            }
        }
    }
    // `X zufolge …`, `Dem Bericht zufolge …`
    for z in s + 1..ce.min(s + MAX_SPEAKER) {
        if doc.word(z).is_some_and(|x| w.is(kind::POSTFIX, x)) {
            if z + 2 < ce {
                return Some((
                    vec![(z + 1, ce - 1)],
                    Mention::of(doc, s, z - 1),
                    doc.units[z].span,
                ));
            }
            break;
        }
    }
    // `X sagte, …`, `X teilte mit, dass …`, `Elle a précisé que …`
    for k in s..ce {
        let (cue, mut c) = match cue_at(doc, w, k, s) {
            Some(cue) => (cue, cue.1 + 1),
            None => match perfect_at(doc, w, k, ce) {
                Some(p) => ((k, k), p + 1),
                None => continue,
            },
        };
        if doc.used[k] {
            continue;
        }
        if doc.word(c).is_some_and(|x| w.is(kind::PARTICLE, x)) {
            c += 1;
        }
        // Up to four words of adverbials before the comma or `dass`.
        let start = (c..ce.min(c + 5)).find(|&i| {
            doc.is_punct(i, &[','])
                || doc.word(i).is_some_and(|x| w.is(kind::THAT, x))
                || doc.quote(i).is_some() && i == c
        });
        let Some(mut a) = start else { continue };
        if doc.is_punct(a, &[',']) {
            a += 1;
            if !w.any("konj") && !doc.word(a).is_some_and(|x| w.is(kind::THAT, x)) {
                // French reports speech with `que`, not after a comma.
                continue;
            }
        }
        if a + 1 >= ce || (a..ce).any(|i| doc.is_punct(i, &[':'])) {
            continue;
        }
        let Some(speaker) = speaker_of(doc, w, cue, s, ce) else {
            continue;
        };
        return Some((vec![(a, ce - 1)], speaker, doc.span(cue.0, cue.1)));
    }
    None
}

/// `X hatte angekündigt, …`: an auxiliary at `k` whose reporting
/// participle follows within six words; the participle's unit. The gold
/// of German corpora takes the auxiliary, the finite verb, as the cue.
fn perfect_at(doc: &Doc, w: &Words, k: usize, ce: usize) -> Option<usize> {
    if !doc.word(k).is_some_and(|x| w.is(kind::PERFECT, x)) || doc.capitalised(k) && k > 0 {
        return None;
    }
    (k + 1..ce.min(k + 7))
        .take_while(|&i| doc.word(i).is_some())
        .find(|&i| doc.word(i).is_some_and(|x| w.is(kind::PARTICIPLE, x)))
}

fn used(doc: &Doc, a: usize, b: usize) -> bool {
    (a..b).any(|i| doc.used[i])
}
