//! Direct quotes: attributing each quotation to the clause next to it,
//! joining split quotes, and telling quotes from scare quotes and titles.

use super::cues::{self, Cue};
use super::lexicon::{self, CJK_ADVERBS, CJK_CUES};
use super::speakers::{self, Mention};
use super::units::{Doc, UnitKind};
use super::Rec;
use crate::corpus::{Kind, Span};
use crate::text;

/// The most units looked at after a quotation for its attribution.
const AFTER_WINDOW: usize = 25;

/// An attribution clause: who, by which cue, up to which unit.
struct Attribution {
    speaker: Mention,
    cue: Span,
    /// Units used by the clause.
    first: usize,
    last: usize,
}

fn attribution(doc: &Doc, speaker: Mention, cue: &Cue, first: usize, last: usize) -> Attribution {
    Attribution {
        speaker,
        cue: doc.span(cue.first, cue.last),
        first,
        last,
    }
}

/// Whether the quotation at unit `u` starts a clause: at the start of a
/// paragraph or sentence, after `:`, `,`, a dash, a bracket or another
/// quotation. A quotation after a word (`the “reforms”`) is a fragment.
pub(super) fn starts_clause(doc: &Doc, u: usize) -> bool {
    let Some(p) = u.checked_sub(1) else {
        return true;
    };
    match doc.units[p].kind {
        UnitKind::Break | UnitKind::Quote(_) => true,
        // Any punctuation or symbol (`:`, `,`, a dash, a bracket, an emoji)
        // but an apostrophe, a slash or an operator.
        UnitKind::Punct(c) => !matches!(c, '\'' | '’' | '/' | '&' | '+' | '=' | '*'),
        UnitKind::Word => false,
    }
}

fn has_cjk(s: &str) -> bool {
    use unicode_script::{Script, UnicodeScript};
    s.chars().any(|c| {
        matches!(
            c.script(),
            Script::Han | Script::Hiragana | Script::Katakana
        )
    })
}

/// The first letter of the quotation's content is upper case, or the
/// content starts with a digit or a letter without case.
fn starts_upper(doc: &Doc, q: usize) -> bool {
    let part = doc.quotes[q].parts[0];
    match doc.text[part.start..part.end]
        .chars()
        .find(|c| c.is_alphanumeric())
    {
        Some(c) => !c.is_lowercase(),
        None => false,
    }
}

/// The clause after the quotation at unit `u`: `“…,” she said`, `“…,” said
/// Dr Ortiz`, `“…,” Dr Ortiz, an economist, said`, `“…,” according to X`.
fn after(doc: &Doc, u: usize) -> Option<Attribution> {
    let q = doc.quote(u)?;
    let mut i = u + 1;
    let mut skipped = 0;
    while skipped < 2 && doc.is_punct(i, &[',', '—', '–', '-', ':', '，']) {
        i += 1;
        skipped += 1;
    }
    let mut end = i;
    let mut to_terminal = false;
    while end < doc.len() && end < i + AFTER_WINDOW {
        match doc.units[end].kind {
            UnitKind::Quote(_) | UnitKind::Break => break,
            // `(R-Ky.)`: a full stop inside a parenthesis goes on.
            UnitKind::Punct(_) if doc.is_terminal(end) && !doc.is_punct(end + 1, &[')']) => {
                to_terminal = true;
                break;
            }
            _ => end += 1,
        }
    }
    if i >= end || doc.word(i).is_none() {
        return None;
    }
    if let Some(att) = cjk_attribution(doc, i) {
        return Some(att);
    }
    let lower_start = doc.raw(i).chars().next().is_some_and(char::is_lowercase);
    match doc.quote_last_char(q) {
        // `“We won.” He left.`: a new sentence.
        Some('.' | '。' | ';') if !lower_start => return None,
        // `“Why?” Smith asked.` but not `“Why?” Smith left the room and …`
        Some('?' | '!' | '…' | '？' | '！') if !(lower_start || to_terminal && end - i <= 6) => {
            return None
        }
        _ => {}
    }
    // The cue first.
    if let Some(cue) = cues::any_at(doc, i, i) {
        let inverts = cue.has(lexicon::INVERTS) || cue.verb().is_none();
        if inverts {
            let mut l = speakers::forward(doc, cue.last + 1, end)?;
            // `said its director, Paul Hart`: the name too.
            if !(cue.last + 1..=l).any(|k| doc.namey(k)) && doc.is_punct(l + 1, &[',']) {
                if let Some(l2) = speakers::forward(doc, l + 2, end) {
                    let ends = l2 + 1 >= end || doc.is_punct(l2 + 1, &[',']);
                    if doc.namey(l2) && ends {
                        l = l2;
                    }
                }
            }
            let m = Mention::of(doc, cue.last + 1, l);
            return Some(attribution(doc, m, &cue, i, l));
        }
        return None;
    }
    // The speaker first, maybe with a parenthesis or an apposition.
    let mut l = speakers::forward(doc, i, end)?;
    if let Some(p) = speakers::paren_after(doc, l, end) {
        l = p;
    }
    let mut j = l + 1;
    if doc.is_punct(j, &[',']) {
        let mut k = j + 1;
        while k < end && k < j + 15 && !doc.is_punct(k, &[',']) {
            k += 1;
        }
        if !doc.is_punct(k, &[',']) || k >= end {
            return None;
        }
        j = k + 1;
    }
    let cue = cues::after_speaker(doc, j, end)?;
    let m = Mention::of(doc, i, l);
    Some(attribution(doc, m, &cue, i, cue.last))
}

/// The clause before the quotation at unit `u`: `She said: “…”`, `Dr Ortiz
/// told reporters on Monday: “…”`, `He said, “…”`, and a paragraph ending
/// in `:` before a paragraph that opens with the quotation.
fn before(doc: &Doc, u: usize, recs: &[Rec]) -> Option<Attribution> {
    let q = doc.quote(u)?;
    let mut j = u.checked_sub(1)?;
    if doc.is_break(j) {
        j = j.checked_sub(1)?;
        if !doc.is_punct(j, &[':', '：']) {
            return None;
        }
    }
    let mut punct = None;
    if let Some(c) = doc.punct(j) {
        if !matches!(c, ':' | ',' | '—' | '–' | '：' | '，') {
            return None;
        }
        punct = Some(c);
        j = j.checked_sub(1)?;
    }
    doc.word(j)?;
    let (lo, _) = doc.sentence(j)?;
    if let Some(att) = cjk_attribution(doc, j) {
        return Some(att);
    }
    let colon = matches!(punct, Some(':' | '：'));
    if punct.is_none() && !starts_upper(doc, q) {
        // `He said “the plan is dead”`: reported speech with a quoted
        // fragment, left to the indirect rules.
        return None;
    }
    let mut k = j;
    let cue = loop {
        if let Some(cue) = cues::any_at(doc, k, lo) {
            if cue.last == j || colon {
                break cue;
            }
            return None;
        }
        if !colon || k == lo || j - k >= 8 {
            return None;
        }
        k -= 1;
        if doc.word(k).is_none() && !doc.is_punct(k, &['-', '\'', '’']) {
            return None;
        }
    };
    if cue.verb().is_none() {
        // `According to the ministry: “…”`
        let l = speakers::forward(doc, cue.last + 1, j + 1)?;
        let m = Mention::of(doc, cue.last + 1, l);
        return Some(attribution(doc, m, &cue, cue.first, j));
    }
    let s_end = cue.first.checked_sub(1).filter(|&e| e >= lo);
    match s_end {
        Some(e) if doc.word(e).is_some() => {
            let f = speakers::backward(doc, e, lo)?;
            if f > lo
                && doc.word(f - 1).is_some_and(|w| {
                    matches!(w, "what" | "which" | "who" | "that" | "how" | "whom")
                })
            {
                return None;
            }
            let m = Mention::of(doc, f, e);
            Some(attribution(doc, m, &cue, f, j))
        }
        // `Sen. Ann Lee (D-Ore.) said: “…”`
        Some(e) if doc.is_punct(e, &[')']) => {
            let p = speakers::before_paren(doc, e, lo)?;
            let f = speakers::backward(doc, p, lo)?;
            let m = Mention::of(doc, f, e);
            Some(attribution(doc, m, &cue, f, j))
        }
        Some(e) if doc.is_punct(e, &[',']) => {
            if let Some(f) = apposition(doc, e, lo) {
                let m = Mention::of(doc, f.0, f.1);
                return Some(attribution(doc, m, &cue, f.0, j));
            }
            if cue.is_ing() {
                let m = context(
                    recs,
                    doc.units[lo].span.start,
                    doc.units[cue.first].span.start,
                )
                .or_else(|| subject(doc, lo, cue.first))?;
                return Some(attribution(doc, m, &cue, cue.first, j));
            }
            None
        }
        _ => None,
    }
}

/// `Dr Ortiz, chief economist at the bank, said`: the speaker before an
/// apposition that ends at the comma `e`. The speaker must start its clause.
pub(super) fn apposition(doc: &Doc, e: usize, lo: usize) -> Option<(usize, usize)> {
    let mut k = e;
    // `Tom O'Neill, 54, a shop owner, said`: several appositions in a row.
    while k > lo && e - k < 40 {
        k -= 1;
        if doc.is_punct(k, &[',']) {
            let end = k.checked_sub(1)?;
            let Some(f) = speakers::backward(doc, end, lo)
                .filter(|&f| f == lo || doc.is_punct(f - 1, &[',']) || f == lo + 1)
                .or_else(|| leading_phrase(doc, lo, end).then_some(lo))
            else {
                continue;
            };
            let starts = f == lo
                || doc.is_punct(f - 1, &[','])
                || f == lo + 1
                    && doc
                        .word(lo)
                        .is_some_and(|w| lexicon::contrast(w) || matches!(w, "and" | "so" | "yet"));
            if !starts {
                continue;
            }
            // `The opposition leader, Carla Mendes, said`: the name too.
            let named = !(f..=end).any(|i| doc.namey(i))
                && speakers::forward(doc, k + 1, e) == Some(e - 1)
                && doc.namey(e - 1);
            return Some((f, if named { e - 1 } else { end }));
        }
        // `Ann Lee, a baker on "Bake Off," said`, `Sen. Ann Lee, D-Ore.,
        // said`: a title, or the full stop of an abbreviation before a
        // comma, inside the apposition.
        let title = doc.quote(k).is_some()
            && k > lo + 1
            && doc.word(k - 1).is_some()
            && doc
                .raw(k)
                .trim_end_matches(|c: char| !c.is_alphanumeric() && c != ',')
                .ends_with(',');
        let abbreviation = doc.is_punct(k, &['.'])
            && doc.is_punct(k + 1, &[','])
            && k > lo
            && doc.word(k - 1).is_some();
        if (doc.quote(k).is_some() && !title) || (doc.is_terminal(k) && !abbreviation) {
            return None;
        }
    }
    None
}

/// Whether units `lo..=end` are one noun phrase of at most eight words
/// with prepositional phrases (`Another delegate on the slate`, `A
/// lawyer for the family in Ohio`): it starts with a determiner and holds
/// only words of a phrase, determiners and prepositions.
fn leading_phrase(doc: &Doc, lo: usize, end: usize) -> bool {
    if end < lo + 1 || end > lo + 7 || !doc.word(lo).is_some_and(lexicon::determiner) {
        return false;
    }
    (lo + 1..=end).all(|i| {
        speakers::phrase_word(doc, i)
            || doc.word(i).is_some_and(|w| {
                lexicon::determiner(w)
                    || matches!(w, "of" | "for" | "at" | "from" | "in" | "on" | "with")
            })
    }) && speakers::phrase_word(doc, end)
}

/// The speaker of the latest record whose speaker lies in `[from, to)`:
/// who `adding` or `saying` after a comma refers to.
pub(super) fn context(recs: &[Rec], from: usize, to: usize) -> Option<Mention> {
    recs.iter()
        .filter_map(|r| r.speaker)
        .filter(|m| m.span.start >= from && m.span.end <= to)
        .max_by_key(|m| m.span.start)
}

/// The noun phrase that starts the sentence at `lo` (after `But`, `And`):
/// the subject that a participle such as `adding` refers to when no
/// attribution came before it in the sentence.
pub(super) fn subject(doc: &Doc, lo: usize, before: usize) -> Option<Mention> {
    let mut i = lo;
    if doc
        .word(i)
        .is_some_and(|w| lexicon::contrast(w) || matches!(w, "and" | "so" | "yet" | "also"))
    {
        i += 1;
    }
    let l = speakers::forward(doc, i, before)?;
    let mut last = l;
    // `Labour's shadow chancellor, Rachel Green, described …`
    if doc.is_punct(l + 1, &[',']) {
        if let Some(l2) = speakers::forward(doc, l + 2, before) {
            if doc.is_punct(l2 + 1, &[',']) && doc.namey(l2) {
                last = l2;
            }
        }
    }
    Some(Mention::of(doc, i, last))
}

/// `外交部发言人说：“…”`, `“…”他说。`: a run of Chinese characters ending
/// in a cue; the speaker is what comes before the cue (at most twelve
/// characters), less an adverb such as `也`.
fn cjk_attribution(doc: &Doc, j: usize) -> Option<Attribution> {
    let raw = doc.raw(j);
    if !has_cjk(raw) {
        return None;
    }
    let span = doc.units[j].span;
    let cue = CJK_CUES.iter().find(|c| raw.ends_with(*c))?;
    let cue_start = span.end - cue.len();
    let mut speaker_end = cue_start;
    let head = &doc.text[span.start..cue_start];
    if let Some(c) = head.chars().last() {
        if CJK_ADVERBS.contains(&c) {
            speaker_end -= c.len_utf8();
        }
    }
    // At most twelve characters before the cue.
    let mut speaker_start = span.start;
    let chars = doc.text[span.start..speaker_end].chars().count();
    if chars > 12 {
        speaker_start = doc.text[span.start..speaker_end]
            .char_indices()
            .nth(chars - 12)
            .map_or(span.start, |(b, _)| span.start + b);
    }
    if speaker_start >= speaker_end {
        return None;
    }
    let mut speaker = Mention::of(doc, j, j);
    speaker.span = Span::new(speaker_start, speaker_end);
    speaker.named = true;
    Some(Attribution {
        speaker,
        cue: Span::new(cue_start, span.end),
        first: j,
        last: j,
    })
}

/// Finds the direct quotes with an attribution next to them. Returns the
/// records and, for each quotation, whether a record holds it.
pub(super) fn attributed(doc: &mut Doc) -> (Vec<Rec>, Vec<bool>) {
    let n = doc.quotes.len();
    let mut held = vec![false; n];
    let mut recs: Vec<Rec> = Vec::new();
    let mut q = 0;
    while q < n {
        let u = doc.quote_unit[q];
        if u == usize::MAX || !starts_clause_or_cue(doc, u) {
            q += 1;
            continue;
        }
        let from_after = after(doc, u);
        let is_after = from_after.is_some();
        let Some(att) = from_after.or_else(|| before(doc, u, &recs)) else {
            q += 1;
            continue;
        };
        for k in att.first..=att.last.min(doc.len() - 1) {
            doc.used[k] = true;
        }
        let mut content = doc.quotes[q].parts.clone();
        held[q] = true;
        let mut next = q + 1;
        if is_after {
            // “The difference,” he says, “is huge.”
            while next < n && joins(doc, att.last, doc.quote_unit[next]) {
                content.extend(doc.quotes[next].parts.iter().copied());
                held[next] = true;
                next += 1;
            }
        }
        recs.push(Rec {
            content,
            speaker: Some(att.speaker),
            cue: Some(att.cue),
            kind: Kind::Direct,
            inherits: false,
        });
        q = next;
    }
    (recs, held)
}

fn starts_clause_or_cue(doc: &Doc, u: usize) -> bool {
    if starts_clause(doc, u) {
        return true;
    }
    // `He said “We will win.”`, `他说“…”`
    let p = u - 1;
    doc.word(p)
        .is_some_and(|w| lexicon::verb(w).is_some() || has_cjk(doc.raw(p)))
}

/// Whether the quotation at unit `v` continues the split quote whose
/// attribution ends at unit `last`: only a comma or dash (and at most a
/// few words, `he told reporters,`) between them, and no attribution of
/// its own.
fn joins(doc: &Doc, last: usize, v: usize) -> bool {
    if v == usize::MAX || v <= last + 1 || v - last > 8 {
        return false;
    }
    if !doc.is_punct(v - 1, &[',', '—', '–', '，']) {
        return false;
    }
    for k in last + 1..v - 1 {
        match doc.units[k].kind {
            UnitKind::Word => {
                if cues::any_at(doc, k, k).is_some() {
                    return false;
                }
            }
            UnitKind::Punct(c) if !doc.is_terminal(k) && c != ':' => {}
            _ => return false,
        }
    }
    after(doc, v).is_none()
}

/// How big a content is: words, with Chinese and Japanese characters
/// counting half (they are a token each).
fn size(s: &str) -> usize {
    let mut latin = 0;
    let mut cjk = 0;
    text::for_each_token(s, |t| {
        if has_cjk(t) {
            cjk += 1;
        } else {
            latin += 1;
        }
    });
    latin + cjk / 2
}

/// Whether an unattributed quotation reads as speech rather than a scare
/// quote or a title (docs/baseline.md, "Scare quotes and titles").
fn speech_like(doc: &Doc, q: usize) -> bool {
    let u = doc.quote_unit[q];
    let quote = &doc.quotes[q];
    let first = quote.parts[0];
    let last = *quote.parts.last().unwrap_or(&first);
    let all = &doc.text[first.start..last.end];
    let clause = u != usize::MAX && starts_clause(doc, u);
    let upper = starts_upper(doc, q);
    let last_char = doc.quote_last_char(q);
    // A whole sentence in quote marks, however short: `“They lost.”`
    let full_stop = |c: char| matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？');
    if clause && upper && last_char.is_some_and(full_stop) {
        return true;
    }
    let words = size(all);
    if words < 4 {
        return false;
    }
    let ends = last_char.is_some_and(|c| full_stop(c) || matches!(c, ',' | '—' | '，'));
    // Titles: most words capitalised and no closing punctuation.
    if !ends && words < 10 {
        let mut cased = 0;
        let mut capital = 0;
        text::for_each_token(all, |t| {
            if let Some(c) = t.chars().next() {
                if c.is_uppercase() || c.is_lowercase() {
                    cased += 1;
                    if c.is_uppercase() {
                        capital += 1;
                    }
                }
            }
        });
        if capital > 1 && cased >= 2 && (capital - 1) * 2 >= cased - 1 {
            return false;
        }
    }
    (upper && (clause || ends)) || (clause && ends)
}

/// Quotations with no attribution and not inside reported speech: kept
/// when they read as speech, with the speaker left to be carried over.
pub(super) fn unattributed(doc: &Doc, held: &[bool], recs: &mut Vec<Rec>) {
    for (q, &is_held) in held.iter().enumerate() {
        if is_held || !speech_like(doc, q) {
            continue;
        }
        recs.push(Rec::unattributed(doc, q));
    }
}
