//! Quotes in Japanese news: `X は「…」と述べた。`, reported clauses
//! ending in `と発表した`, and `X によると、…`. The cues are in
//! `languages/ja.txt`; docs/baseline.md lists the shapes.
//!
//! Japanese has no spaces, so a "word" of the units is a run of letters
//! between punctuation marks; the rules look inside such runs for `は`
//! (the topic that names the speaker), `と` + a cue, and `によると`.

use super::languages::Words;
use super::speakers::Mention;
use super::units::Doc;
use super::Rec;
use crate::corpus::{Kind, Span};

/// The quotes of a Japanese article, unsorted.
pub(super) fn find(doc: &mut Doc, w: &Words) -> Vec<Rec> {
    let mut recs = Vec::new();
    let mut held = vec![false; doc.quotes.len()];
    let (according, cues) = (w.list("according"), w.list("cue"));
    for si in 0..doc.sentences.len() {
        let (s, e) = doc.sentences[si];
        for u in s..e {
            if let Some(q) = doc.quote(u) {
                // `「…」と述べた`
                let Some(cue) = cue_after(doc, cues, u + 1) else {
                    continue;
                };
                held[q] = true;
                let speaker = topic(doc, s, u);
                recs.push(Rec {
                    content: doc.quotes[q].parts.clone(),
                    speaker,
                    cue: Some(cue),
                    kind: Kind::Direct,
                    inherits: speaker.is_none(),
                });
                continue;
            }
            let Some(raw) = doc.word(u).map(|_| doc.raw(u)) else {
                continue;
            };
            let span = doc.units[u].span;
            // `町によると、…`
            if let Some(at) = according.iter().find_map(|a| find_str(raw, a)) {
                // The content: to the sentence's end, without its closing
                // marks; there may be nothing else after the comma.
                let mut ce = e;
                while ce > u + 2 && doc.is_terminal(ce - 1) {
                    ce -= 1;
                }
                if at > 0 && doc.is_punct(u + 1, &['、']) && u + 2 < ce {
                    let mut m = Mention::of(doc, u, u);
                    m.span = Span::new(span.start, span.start + at);
                    let len = according
                        .iter()
                        .find(|a| raw[at..].starts_with(**a))
                        .map_or(0, |a| a.len());
                    recs.push(Rec {
                        content: vec![doc.span(u + 2, ce - 1)],
                        speaker: Some(m),
                        cue: Some(Span::new(span.start + at, span.start + at + len)),
                        kind: Kind::Indirect,
                        inherits: false,
                    });
                    continue;
                }
            }
            // `…廃止すると発表した`: a clause ending in `と` + a cue.
            if u > s && doc.quote(u - 1).is_some() {
                continue;
            }
            let Some((to, cue)) = inner_cue(raw, cues) else {
                continue;
            };
            if to == 0 {
                continue;
            }
            let speaker = topic(doc, s, u);
            recs.push(Rec {
                content: vec![Span::new(span.start, span.start + to)],
                speaker,
                cue: Some(Span::new(span.start + cue.0, span.start + cue.1)),
                kind: Kind::Indirect,
                inherits: speaker.is_none(),
            });
        }
    }
    for (q, &is_held) in held.iter().enumerate() {
        let u = doc.quote_unit[q];
        if is_held || u == usize::MAX {
            continue;
        }
        // A whole sentence in quotation marks: `「…」。`
        let alone = (u == 0 || doc.punct(u - 1).is_some() || doc.is_break(u - 1))
            && (doc.is_terminal(u + 1) || u + 1 >= doc.len() || doc.is_break(u + 1));
        if alone {
            recs.push(Rec::unattributed(doc, q));
        }
    }
    recs
}

/// `と述べた` at the start of unit `v` (or `とも述べた`), a cue of `cues`:
/// the cue's span.
fn cue_after(doc: &Doc, cues: &[&str], v: usize) -> Option<Span> {
    doc.word(v)?;
    let raw = doc.raw(v);
    let rest = raw
        .strip_prefix("とも")
        .or_else(|| raw.strip_prefix("と"))?;
    let start = doc.units[v].span.start + (raw.len() - rest.len());
    let cue = cues.iter().find(|c| rest.starts_with(**c))?;
    Some(Span::new(start, start + cue.len()))
}

/// A clause ending in `と` + a cue of `cues` inside a run: the byte offset
/// of `と` and the cue's byte range in the run.
fn inner_cue(raw: &str, cues: &[&str]) -> Option<(usize, (usize, usize))> {
    for (i, _) in raw.match_indices('と') {
        let rest = &raw[i + 'と'.len_utf8()..];
        if let Some(c) = cues.iter().find(|c| rest.starts_with(**c)) {
            let start = i + 'と'.len_utf8();
            return Some((i, (start, start + c.len())));
        }
    }
    None
}

/// The topic before unit `u` in its sentence (`林田雅子町長は`): the run
/// before its `は`, as the speaker.
fn topic(doc: &Doc, s: usize, u: usize) -> Option<Mention> {
    for i in (s..u).rev() {
        if doc.word(i).is_none() {
            continue;
        }
        let raw = doc.raw(i);
        let Some(at) = raw.find('は') else { continue };
        let span = doc.units[i].span;
        if at == 0 {
            // `佐藤キヨさん（82）は`: the run before the bracket.
            let j = (s..i)
                .rev()
                .find(|&j| doc.word(j).is_some() && !is_digits(doc.raw(j)))?;
            return Some(Mention::of(doc, j, j));
        }
        let mut m = Mention::of(doc, i, i);
        m.span = Span::new(span.start, span.start + at);
        return Some(m);
    }
    None
}

fn is_digits(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_digit())
}

/// `raw.find(pat)`, by a search for the first char of `pat`: a `str`
/// pattern sets up a searcher for every call, which costs more than the
/// short runs of most articles take to scan.
fn find_str(raw: &str, pat: &str) -> Option<usize> {
    let Some(first) = pat.chars().next() else {
        return Some(0);
    };
    raw.match_indices(first)
        .map(|(i, _)| i)
        .find(|&i| raw[i..].starts_with(pat))
}

#[cfg(test)]
mod tests {
    use super::find_str;

    #[test]
    fn the_char_search_finds_what_the_str_search_finds() {
        let runs = [
            "町によると",
            "同社によれば来年",
            "によるとによると",
            "にによると",
            "町に",
            "",
            "ascii text, によ",
        ];
        for raw in runs {
            for pat in ["によると", "によれば", "に", "", "と", "x"] {
                assert_eq!(find_str(raw, pat), raw.find(pat), "{raw:?} {pat:?}");
            }
        }
    }
}
