//! The Project Dialogism Novel Corpus (PDNC): one folder a novel with
//! `novel_text.txt`, `quotation_info.csv` and `character_info.csv`.
//!
//! `quotation_info.csv` has a row a quote: `quoteID`, `quoteText`,
//! `subQuotationList`, `quoteByteSpans`, `speaker`, `addressees`,
//! `quoteType`, `referringExpression` and lists of the characters
//! mentioned inside the quote; list cells are Python literals
//! (`[[36, 52]]`, `['Mrs. Beaver']`). `character_info.csv` has a row a
//! character: `Character ID`, `Main Name`, `Aliases` (a Python set or
//! list), `Gender`, `Category`.
//!
//! The speaker is a character, named by its main name: its aliases come
//! from the character list. An `Explicit` quote's referring expression
//! ("said Mrs Beaver") names the speaker; when it occurs exactly once near
//! the quote and holds one of the speaker's names, that occurrence is the
//! speaker's mention. Otherwise (every `Anaphoric` and `Implicit` quote
//! included) the speaker is given by entity alone (corpus.md). The quote
//! type, the referring expression and the addressees go to the note.

use std::collections::HashMap;

use super::{finish, skip_at, Doc, DocImport, RawQuote, RawSpan};
use crate::corpus::issue::{Issue, Severity};

/// How far from a quote (in bytes) its referring expression is looked for.
const NEAR: usize = 300;

/// Imports one novel. `quotes` is `quotation_info.csv`, `characters`
/// `character_info.csv`, `text` `novel_text.txt`. `Err` when a file is not
/// PDNC's CSV at all.
pub fn import_pdnc(
    text: &str,
    quotes: &str,
    characters: &str,
    (file, article): (&str, &str),
) -> Result<DocImport, Box<Issue>> {
    let wrong = |what: &str, message: String| {
        Box::new(
            Issue::new(Severity::Error, "wrong-shape", what, message)
                .article(article)
                .hint("PDNC keeps a novel as novel_text.txt, quotation_info.csv and character_info.csv with the published columns"),
        )
    };
    let chars_file = file.replace("quotation_info.csv", "character_info.csv");
    let char_rows =
        csv_rows(characters).map_err(|e| wrong(&chars_file, format!("{e}; not imported")))?;
    let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
    // Each alias's characters: a speaker written by an alias ("Lucy" for
    // "Lucy Honeychurch") is the one character that has it.
    let mut by_alias: HashMap<String, Vec<String>> = HashMap::new();
    {
        let head =
            columns(&char_rows, &["Main Name", "Aliases"]).map_err(|e| wrong(&chars_file, e))?;
        for row in char_rows.iter().skip(1) {
            let name = cell(row, head[0]).to_string();
            let names = literal(cell(row, head[1]))
                .map(|v| v.strings())
                .unwrap_or_default();
            for n in &names {
                by_alias.entry(n.clone()).or_default().push(name.clone());
            }
            aliases.insert(name, names);
        }
    }
    let rows = csv_rows(quotes).map_err(|e| wrong(file, format!("{e}; not imported")))?;
    let names = [
        "quoteID",
        "subQuotationList",
        "quoteByteSpans",
        "speaker",
        "addressees",
        "quoteType",
        "referringExpression",
    ];
    let head = columns(&rows, &names).map_err(|e| wrong(file, e))?;
    let mut doc = Doc {
        text: text.to_string(),
        ..Doc::default()
    };
    let mut unknown = 0;
    for (i, row) in rows.iter().enumerate().skip(1) {
        let id = cell(row, head[0]);
        let line = i + 1;
        let record = Some(id).filter(|s| !s.is_empty());
        let bad = |column: &str, message: String| {
            let mut issue = skip_at("malformed-record", file, article, column, record, message);
            issue.line = Some(line);
            issue
        };
        let spans = match literal(cell(row, head[2])).and_then(|v| v.pairs()) {
            Some(s) if !s.is_empty() => s,
            _ => {
                doc.records.push(Err(bad(
                    "quoteByteSpans",
                    format!(
                        "`quoteByteSpans` must be a list of [start, end] pairs, not {:?}; the record is skipped",
                        cell(row, head[2])
                    ),
                )));
                continue;
            }
        };
        let texts = literal(cell(row, head[1]))
            .map(|v| v.strings())
            .unwrap_or_default();
        let content = spans
            .iter()
            .enumerate()
            .map(|(j, &(s, e))| {
                RawSpan::one(
                    s,
                    e,
                    texts.get(j).cloned().filter(|_| texts.len() == spans.len()),
                    format!("quoteByteSpans[{j}]"),
                )
            })
            .collect();
        let speaker = cell(row, head[3]);
        let kind = cell(row, head[5]);
        let reference = cell(row, head[6]);
        let mut note = vec![format!("PDNC quoteType: {kind}")];
        if !reference.is_empty() && reference != "nan" {
            note.push(format!("PDNC referringExpression: {reference}"));
        }
        let addressees = literal(cell(row, head[4]))
            .map(|v| v.strings())
            .unwrap_or_default();
        if !addressees.is_empty() {
            note.push(format!(
                "PDNC addressees: {}",
                serde_json::to_string(&addressees).expect("strings serialize")
            ));
        }
        let mut q = RawQuote {
            id: record.map(str::to_string),
            line: Some(line),
            content,
            note: Some(note.join("\n")),
            ..RawQuote::default()
        };
        if !speaker.is_empty() && speaker != "nan" {
            let known = aliases.get(speaker).cloned().or_else(|| {
                match by_alias.get(speaker).map(Vec::as_slice) {
                    Some([main]) => {
                        let mut names = aliases.get(main).cloned().unwrap_or_default();
                        names.push(main.clone());
                        Some(names)
                    }
                    _ => None,
                }
            });
            if known.is_none() {
                unknown += 1;
            }
            let mut all: Vec<String> = known.unwrap_or_default();
            all.sort();
            all.dedup();
            let mention = (kind == "Explicit")
                .then(|| mention(text, &spans, reference, speaker, &all))
                .flatten();
            q.sources = mention
                .map(|(s, e)| RawSpan::one(s, e, None, "referringExpression"))
                .into_iter()
                .collect();
            q.entity = Some(speaker.to_string());
            q.aliases = all.into_iter().filter(|a| a != speaker).collect();
            q.entity_speaker = true;
        }
        doc.records.push(Ok(q));
    }
    if unknown > 0 {
        doc.issues.push(
            Issue::new(
                Severity::Note,
                "unknown-speaker",
                file,
                format!("{unknown} quotes name a speaker that character_info.csv lists neither as a main name nor as the alias of one character: the speaker is the name alone, without aliases"),
            )
            .article(article),
        );
    }
    Ok(finish(doc, file, article))
}

/// The speaker's mention in an explicit quote's referring expression: the
/// expression must occur exactly once within [`NEAR`] bytes of the quote,
/// outside it, and hold exactly one longest occurrence of the speaker's
/// name or an alias as whole words. Offsets are code points (the texts are
/// ASCII: bytes are code points).
fn mention(
    text: &str,
    spans: &[(u64, u64)],
    reference: &str,
    speaker: &str,
    aliases: &[String],
) -> Option<(u64, u64)> {
    if reference.is_empty() || !text.is_ascii() {
        return None;
    }
    let start = usize::try_from(spans.first()?.0).ok()?;
    let end = usize::try_from(spans.last()?.1).ok()?;
    let lo = start.saturating_sub(NEAR);
    let hi = end.saturating_add(NEAR).min(text.len());
    let window = text.get(lo..hi)?;
    let found: Vec<usize> = window
        .match_indices(reference)
        .map(|(i, _)| lo + i)
        .collect();
    let [at] = found[..] else { return None };
    let inside = spans
        .iter()
        .any(|&(s, e)| (at as u64) < e && s < (at + reference.len()) as u64);
    if inside {
        return None;
    }
    let word = |b: Option<&u8>| b.is_none_or(|c| !c.is_ascii_alphanumeric());
    let mut hits: Vec<(usize, usize)> = std::iter::once(speaker)
        .chain(aliases.iter().map(String::as_str))
        .filter(|n| !n.is_empty())
        .flat_map(|n| {
            reference.match_indices(n).filter_map(move |(i, _)| {
                let bytes = reference.as_bytes();
                (word(i.checked_sub(1).and_then(|p| bytes.get(p))) && word(bytes.get(i + n.len())))
                    .then_some((i, i + n.len()))
            })
        })
        .collect();
    hits.sort_by_key(|&(s, e)| (std::cmp::Reverse(e - s), s));
    hits.dedup();
    let (s, e) = *hits.first()?;
    if hits.get(1).is_some_and(|&(s2, e2)| e2 - s2 == e - s) {
        return None;
    }
    Some(((at + s) as u64, (at + e) as u64))
}

/// The positions of `names` in the header row, or which one is missing.
fn columns(rows: &[Vec<String>], names: &[&str]) -> Result<Vec<usize>, String> {
    let header = rows.first().ok_or("the file is empty")?;
    names
        .iter()
        .map(|n| {
            header
                .iter()
                .position(|h| h == n)
                .ok_or_else(|| format!("the header has no column `{n}`; not imported"))
        })
        .collect()
}

fn cell(row: &[String], i: usize) -> &str {
    row.get(i).map_or("", String::as_str)
}

/// Splits RFC 4180 CSV: fields separated by `,`, quoted with `"` (a quote
/// doubled inside), records ending in a line break outside quotes.
fn csv_rows(s: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    let mut line = 1;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                line += 1;
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if quoted {
        return Err(format!(
            "a quoted field opened before line {line} is never closed"
        ));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// A Python literal of the kinds PDNC's cells hold.
#[derive(Debug, PartialEq)]
enum Lit {
    Str(String),
    Int(u64),
    List(Vec<Lit>),
}

impl Lit {
    /// The strings of a list or set of strings (a lone string: itself).
    fn strings(self) -> Vec<String> {
        match self {
            Lit::Str(s) => vec![s],
            Lit::Int(_) => Vec::new(),
            Lit::List(items) => items
                .into_iter()
                .filter_map(|l| match l {
                    Lit::Str(s) => Some(s),
                    _ => None,
                })
                .collect(),
        }
    }

    /// `[[a, b], …]` as pairs.
    fn pairs(self) -> Option<Vec<(u64, u64)>> {
        let Lit::List(items) = self else { return None };
        items
            .into_iter()
            .map(|l| match l {
                Lit::List(p) => match p[..] {
                    [Lit::Int(a), Lit::Int(b)] => Some((a, b)),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }
}

/// Parses a Python list, set or tuple of strings and whole numbers.
fn literal(s: &str) -> Option<Lit> {
    let mut p = s.trim().chars().peekable();
    let lit = parse(&mut p)?;
    p.all(char::is_whitespace).then_some(lit)
}

fn parse(p: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<Lit> {
    while p.next_if(|c| c.is_whitespace()).is_some() {}
    match *p.peek()? {
        open @ ('[' | '{' | '(') => {
            p.next();
            let close = match open {
                '[' => ']',
                '{' => '}',
                _ => ')',
            };
            let mut items = Vec::new();
            loop {
                while p.next_if(|c| c.is_whitespace()).is_some() {}
                if p.next_if_eq(&close).is_some() {
                    return Some(Lit::List(items));
                }
                items.push(parse(p)?);
                while p.next_if(|c| c.is_whitespace()).is_some() {}
                if p.next_if_eq(&',').is_none() {
                    while p.next_if(|c| c.is_whitespace()).is_some() {}
                    return p.next_if_eq(&close).map(|_| Lit::List(items));
                }
            }
        }
        q @ ('\'' | '"') => {
            p.next();
            let mut out = String::new();
            loop {
                match p.next()? {
                    '\\' => match p.next()? {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        c => out.push(c),
                    },
                    c if c == q => return Some(Lit::Str(out)),
                    c => out.push(c),
                }
            }
        }
        c if c.is_ascii_digit() => {
            let mut n: u64 = 0;
            while let Some(d) = p.next_if(char::is_ascii_digit) {
                n = n.checked_mul(10)?.checked_add(u64::from(d.to_digit(10)?))?;
            }
            Some(Lit::Int(n))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_literals_and_csv_quoting() {
        assert_eq!(
            literal("{'Emma', \"Mrs. O'Dowd\", 'a\\'b'}").map(Lit::strings),
            Some(vec!["Emma".into(), "Mrs. O'Dowd".into(), "a'b".into()])
        );
        assert_eq!(
            literal("[[36, 52], [60, 61]]").and_then(Lit::pairs),
            Some(vec![(36, 52), (60, 61)])
        );
        assert_eq!(literal("[[36, 52]"), None);
        let rows = csv_rows("a,\"b,\"\"c\"\"\nd\"\r\n1,2\n").unwrap();
        assert_eq!(rows, vec![vec!["a", "b,\"c\"\nd"], vec!["1", "2"]]);
        assert!(csv_rows("a,\"b\n").is_err());
    }
}
