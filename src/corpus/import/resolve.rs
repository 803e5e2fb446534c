//! From source records to gold: offsets, text checks, repairs, ids.

use std::collections::{HashMap, HashSet};

use super::{Doc, DocImport, RawQuote, RawSpan};
use crate::corpus::issue::{Issue, Severity};
use crate::corpus::model::{Gold, GoldQuote, GoldSpeaker, Span, Status};
use crate::corpus::offsets::{OffsetIndex, OffsetUnit};
use crate::corpus::records::{cut, excerpt};

/// How far from its offsets (in code points) the text of a span is looked
/// for when the offsets and the text disagree.
pub const REPAIR_WINDOW: u64 = 100;

/// The text of a span with every whitespace character removed: sources
/// join fragments with a space (brat) or tokens with spaces (SpkAtt), so
/// whitespace is not compared.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

struct Resolver<'a> {
    text: &'a str,
    index: OffsetIndex<'a>,
    file: &'a str,
    article: &'a str,
}

/// Why a span cannot be used.
struct Fail {
    code: &'static str,
    message: String,
    context: Option<String>,
    hint: String,
}

/// A span moved to where its text is.
struct Repair {
    at: String,
    from: (u64, u64),
    to: (usize, usize),
    slice: String,
}

impl Resolver<'_> {
    fn cp(&self, byte: usize) -> usize {
        self.index.from_byte(OffsetUnit::Codepoint, byte)
    }

    /// The byte spans of `raw`, in the order given, checked against the text.
    fn piece(&self, raw: &RawSpan) -> Result<(Vec<Span>, Option<Repair>), Fail> {
        if raw.parts.is_empty() {
            return Err(Fail {
                code: "missing-offsets",
                message: "the span has no offsets".into(),
                context: None,
                hint: "give the span a start and an end".into(),
            });
        }
        let converted = self.convert(raw);
        let problem = match converted {
            Ok(spans) => {
                let slices: String = spans.iter().map(|s| s.slice(self.text)).collect();
                match &raw.text {
                    Some(t) if squeeze(t) != squeeze(&slices) => {
                        let shown: Vec<&str> = spans.iter().map(|s| s.slice(self.text)).collect();
                        Fail {
                            code: "text-mismatch",
                            message: format!(
                                "the text disagrees with the article at its offsets\n  text:  {:?}\n  slice: {:?}",
                                cut(t, 120),
                                cut(&shown.join(" "), 120)
                            ),
                            context: Some(excerpt(self.text, spans[0])),
                            hint: String::new(),
                        }
                    }
                    _ => return Ok((spans, None)),
                }
            }
            Err(fail) => fail,
        };
        // Look for the text near where the offsets point.
        if let (Some(t), [(start, end)]) = (&raw.text, raw.parts.as_slice()) {
            match self.nearest(t, *start) {
                Nearest::Found(at) => {
                    let span = Span::new(at, at + t.len());
                    return Ok((
                        vec![span],
                        Some(Repair {
                            at: raw.at.clone(),
                            from: (*start, *end),
                            to: (self.cp(span.start), self.cp(span.end)),
                            slice: t.clone(),
                        }),
                    ));
                }
                Nearest::Ambiguous(a, b) => {
                    return Err(Fail {
                        hint: format!(
                            "the text occurs at code points {} and {}, equally near: fix the offsets by hand",
                            self.cp(a),
                            self.cp(b)
                        ),
                        ..problem
                    })
                }
                Nearest::None => {}
            }
        }
        let hint = if raw.text.is_some() && raw.parts.len() == 1 {
            format!("the text does not occur within {REPAIR_WINDOW} characters either: fix the offsets in the source")
        } else {
            "fix the offsets in the source".to_string()
        };
        Err(Fail { hint, ..problem })
    }

    /// Byte spans of every fragment, or why one is unusable.
    fn convert(&self, raw: &RawSpan) -> Result<Vec<Span>, Fail> {
        let len = self.index.len(OffsetUnit::Codepoint);
        let mut spans = Vec::with_capacity(raw.parts.len());
        for &(start, end) in &raw.parts {
            let byte = |o: u64| {
                usize::try_from(o)
                    .ok()
                    .and_then(|o| self.index.to_byte(OffsetUnit::Codepoint, o).ok())
            };
            let (Some(s), Some(e)) = (byte(start), byte(end)) else {
                let near = self.text.len();
                return Err(Fail {
                    code: "offset-out-of-range",
                    message: format!(
                        "the offsets {start}..{end} are past the end of the text ({len} characters)"
                    ),
                    context: Some(excerpt(self.text, Span::new(near, near))),
                    hint: String::new(),
                });
            };
            if s > e {
                return Err(Fail {
                    code: "start-after-end",
                    message: format!("the span starts after it ends ({start}..{end})"),
                    context: Some(excerpt(self.text, Span::new(e, s))),
                    hint: String::new(),
                });
            }
            spans.push(Span::new(s, e));
        }
        Ok(spans)
    }

    /// The ignored regions, in text order: each fragment a region. A region
    /// that cannot be placed, or that overlaps a record's content (which it
    /// would leave unscorable), is not kept, with a warning: losing a
    /// region costs less than losing a record.
    fn ignore(&self, raw: &[RawSpan], quotes: &[GoldQuote], issues: &mut Vec<Issue>) -> Vec<Span> {
        let warn = |at: &str, message: String| {
            Issue::new(Severity::Warning, "ignore-not-kept", self.file, message)
                .article(self.article)
                .context(at.to_string())
        };
        let mut out = Vec::new();
        for r in raw {
            match self.piece(r) {
                Ok((spans, _)) => {
                    for s in spans {
                        match quotes.iter().find(|q| q.content.iter().any(|c| c.overlaps(s))) {
                            Some(q) => issues.push(warn(
                                &r.at,
                                format!(
                                    "the ignored region {}..{} overlaps the content of record {:?}; the region is not kept",
                                    self.cp(s.start),
                                    self.cp(s.end),
                                    q.id
                                ),
                            )),
                            None => out.push(s),
                        }
                    }
                }
                Err(fail) => issues.push(warn(
                    &r.at,
                    format!(
                        "an ignored region cannot be placed ({}); it is not kept",
                        fail.message.lines().next().unwrap_or("")
                    ),
                )),
            }
        }
        out.sort_by_key(|s| (s.start, s.end));
        out.dedup();
        out
    }

    fn nearest(&self, t: &str, given: u64) -> Nearest {
        if t.trim().is_empty() {
            return Nearest::None;
        }
        let mut best: Option<(u64, usize)> = None;
        let mut tie: Option<usize> = None;
        let mut from = 0;
        while let Some(i) = self.text[from..].find(t) {
            let at = from + i;
            let d = (self.cp(at) as u64).abs_diff(given);
            if d <= REPAIR_WINDOW {
                match best {
                    Some((bd, _)) if d > bd => {}
                    Some((bd, _)) if d == bd => tie = Some(at),
                    _ => {
                        best = Some((d, at));
                        tie = None;
                    }
                }
            }
            from = at + self.text[at..].chars().next().map_or(1, char::len_utf8);
        }
        match (best, tie) {
            (Some((_, a)), Some(b)) => Nearest::Ambiguous(a, b),
            (Some((_, a)), None) => Nearest::Found(a),
            _ => Nearest::None,
        }
    }

    fn skip(&self, q: &RawQuote, id: &str, at: &str, fail: Fail) -> Box<Issue> {
        let mut issue = Issue::new(
            Severity::Error,
            fail.code,
            self.file,
            with_skip(&fail.message),
        )
        .article(self.article)
        .record(Some(id));
        issue.line = q.line;
        issue.path = Some(at.to_string()).filter(|p| !p.is_empty());
        issue.context = fail.context;
        if !fail.hint.is_empty() {
            issue.hint = Some(fail.hint);
        }
        Box::new(issue)
    }

    /// Resolves one record; `Err` is the reason it is skipped.
    fn record(&self, q: RawQuote, id: &str) -> Result<Resolved, Box<Issue>> {
        let where_ = q.path.clone().unwrap_or_default();
        if q.content.is_empty() {
            return Err(self.skip(
                &q,
                id,
                &where_,
                Fail {
                    code: "missing-content",
                    message: "the record has no content".into(),
                    context: None,
                    hint: "every quote needs its quoted words".into(),
                },
            ));
        }
        let mut repairs = Vec::new();
        let mut content = Vec::new();
        for piece in &q.content {
            let (spans, repair) = self
                .piece(piece)
                .map_err(|f| self.skip(&q, id, &piece.at, f))?;
            content.extend(spans);
            repairs.extend(repair);
        }
        content.sort();
        if content.windows(2).any(|w| w[1].start < w[0].end) {
            return Err(self.skip(
                &q,
                id,
                &where_,
                Fail {
                    code: "parts-overlap",
                    message: "parts of the content overlap".into(),
                    context: Some(excerpt(self.text, content[0])),
                    hint: "a discontinuous quote lists disjoint parts".into(),
                },
            ));
        }
        if !content
            .iter()
            .any(|s| crate::text::has_tokens(s.slice(self.text)))
        {
            return Err(self.skip(
                &q,
                id,
                &where_,
                Fail {
                    code: "content-without-tokens",
                    message: "the content has no letters or digits, so nothing could ever match it"
                        .into(),
                    context: Some(excerpt(self.text, content[0])),
                    hint: "point the content at the quoted words".into(),
                },
            ));
        }
        let mut names = Vec::new();
        let mut mention = None;
        for (i, source) in q.sources.iter().enumerate() {
            let (spans, repair) = self
                .piece(source)
                .map_err(|f| self.skip(&q, id, &source.at, f))?;
            repairs.extend(repair);
            for (j, span) in spans.into_iter().enumerate() {
                if i == 0 && j == 0 {
                    mention = Some(span);
                } else {
                    names.push(span.slice(self.text).to_string());
                }
            }
        }
        let cue = match &q.cue {
            None => None,
            Some(cue) => {
                let (spans, repair) = self.piece(cue).map_err(|f| self.skip(&q, id, &cue.at, f))?;
                repairs.extend(repair);
                spans.first().copied()
            }
        };
        let entity = q.entity.clone().filter(|e| !e.trim().is_empty());
        names.extend(q.aliases.iter().cloned());
        let mut aliases: Vec<String> = Vec::new();
        for n in names {
            if !n.trim().is_empty() && Some(&n) != entity.as_ref() && !aliases.contains(&n) {
                aliases.push(n);
            }
        }
        let speaker = match (mention, &entity) {
            (Some(span), _) => Some(GoldSpeaker {
                span: Some(span),
                text: span.slice(self.text).to_string(),
                entity: entity.clone(),
                aliases: aliases.clone(),
            }),
            // A character the text does not name near the quote (PDNC).
            (None, Some(e)) if q.entity_speaker => {
                Some(GoldSpeaker::entity_only(e.clone(), aliases.clone()))
            }
            (None, _) => None,
        };
        let mut notes: Vec<String> = q.note.iter().cloned().collect();
        let mut issues = Vec::new();
        for r in &repairs {
            notes.push(format!(
                "imported: {} moved from {}..{} to {}..{}, where its text is",
                r.at, r.from.0, r.from.1, r.to.0, r.to.1
            ));
            let mut issue = Issue::new(
                Severity::Warning,
                "repaired",
                self.file,
                format!(
                    "the text is not at its offsets {}..{} but {} away; the span is moved to {}..{} and the record kept",
                    r.from.0,
                    r.from.1,
                    match (r.to.0 as u64).abs_diff(r.from.0) {
                        1 => "1 character".to_string(),
                        n => format!("{n} characters"),
                    },
                    r.to.0,
                    r.to.1
                ),
            )
            .article(self.article)
            .record(Some(id))
            .hint("check the record: the move is written in its `note`");
            issue.line = q.line;
            let to = self
                .index
                .to_byte(OffsetUnit::Codepoint, r.to.0)
                .expect("a repaired span is in the text");
            issue.context = Some(excerpt(self.text, Span::new(to, to + r.slice.len())));
            issue.path = Some(r.at.clone());
            issues.push(issue);
        }
        Ok(Resolved {
            quote: GoldQuote {
                id: id.to_string(),
                kind: q.kind,
                content,
                speaker,
                cue,
                optional: q.optional,
                note: if notes.is_empty() {
                    None
                } else {
                    Some(notes.join("; "))
                },
            },
            repaired: !repairs.is_empty(),
            issues,
        })
    }
}

enum Nearest {
    Found(usize),
    Ambiguous(usize, usize),
    None,
}

struct Resolved {
    quote: GoldQuote,
    repaired: bool,
    issues: Vec<Issue>,
}

/// `message` with "; the record is skipped" after its first line.
fn with_skip(message: &str) -> String {
    match message.split_once('\n') {
        Some((first, rest)) => format!("{first}; the record is skipped\n{rest}"),
        None => format!("{message}; the record is skipped"),
    }
}

/// Ids for the records: the source's own when it has a unique one, else
/// `q<n>` with n the record's position (1-based) among the source records.
fn ids(
    records: &[Result<RawQuote, Issue>],
    file: &str,
    article: &str,
    issues: &mut Vec<Issue>,
) -> Vec<String> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if let Ok(q) = r {
            if let Some(id) = q.id.as_deref().filter(|s| !s.trim().is_empty()) {
                first.entry(id).or_insert(i);
            }
        }
    }
    let mut used: HashSet<String> = first.keys().map(|s| s.to_string()).collect();
    let mut out = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let given = r.as_ref().ok().and_then(|q| q.id.as_deref());
        match given {
            Some(id) if first.get(id) == Some(&i) => out.push(id.to_string()),
            _ => {
                let mut id = format!("q{}", i + 1);
                let mut n = 2;
                while used.contains(&id) {
                    id = format!("q{}-{n}", i + 1);
                    n += 1;
                }
                used.insert(id.clone());
                if let (Some(given), Ok(q)) = (given, r) {
                    let mut issue = Issue::new(
                        Severity::Warning,
                        "duplicate-source-id",
                        file,
                        format!("the source id {given:?} is used by an earlier record too; this record is imported as {id:?}"),
                    )
                    .article(article)
                    .record(Some(&id));
                    issue.line = q.line;
                    issue.path = q.path.clone();
                    issues.push(issue);
                }
                out.push(id);
            }
        }
    }
    out
}

/// Resolves every record of `doc` (see [`super::finish`]).
pub(crate) fn finish(doc: Doc, file: &str, article: &str) -> DocImport {
    let Doc {
        text,
        source,
        records,
        mut issues,
        ignore: raw_ignore,
        draft,
    } = doc;
    let records_in = records.len();
    let ids = ids(&records, file, article, &mut issues);
    let r = Resolver {
        text: &text,
        index: OffsetIndex::new(&text),
        file,
        article,
    };
    let mut skipped = Vec::new();
    let mut quotes: Vec<GoldQuote> = Vec::new();
    let mut repaired = 0;
    // Each content's record, by its position in `quotes`.
    let mut by_content: HashMap<Vec<Span>, usize> = HashMap::new();
    let mut relayed = 0;
    for (record, id) in records.into_iter().zip(ids) {
        let q = match record {
            Err(mut issue) => {
                if issue.record.is_none() {
                    issue.record = Some(id);
                }
                skipped.push(issue);
                continue;
            }
            Ok(q) => q,
        };
        let (line, path) = (q.line, q.path.clone());
        match r.record(q, &id) {
            Err(issue) => skipped.push(*issue),
            Ok(res) => {
                if let Some(&at) = by_content.get(&res.quote.content) {
                    // The same words annotated again: relayed through another
                    // source, or with another kind or cue. Folded, not lost.
                    let mut note = Issue::new(
                        Severity::Note,
                        "folded",
                        file,
                        format!(
                            "record {id:?} has the same content as record {:?}: folded into it, its speaker as an alias and all of it in the note",
                            quotes[at].id
                        ),
                    )
                    .article(article)
                    .record(Some(&id));
                    note.line = line;
                    note.path = path;
                    issues.push(note);
                    fold(&mut quotes[at], res.quote, &text);
                    relayed += 1;
                    repaired += usize::from(res.repaired);
                    issues.extend(res.issues);
                    continue;
                }
                by_content.insert(res.quote.content.clone(), quotes.len());
                repaired += usize::from(res.repaired);
                issues.extend(res.issues);
                quotes.push(res.quote);
            }
        }
    }
    let mut ignore = r.ignore(&raw_ignore, &quotes, &mut issues);
    let mut text = text;
    if text.starts_with('\u{feff}') {
        let n = '\u{feff}'.len_utf8();
        for s in &mut ignore {
            *s = Span::new(s.start.saturating_sub(n), s.end.saturating_sub(n));
        }
        text = strip_bom(text, &mut quotes);
        issues.push(
            Issue::new(
                Severity::Warning,
                "byte-order-mark",
                file,
                "the text starts with a byte-order mark (U+FEFF); it is removed and the offsets moved back by one",
            )
            .article(article),
        );
    }
    let mut gold = Gold {
        status: if skipped.is_empty() && !draft {
            Status::Gold
        } else {
            Status::Draft
        },
        offsets: OffsetUnit::Codepoint,
        source,
        language: None,
        quotes,
        ignore,
    };
    // What an import writes is canonical: `fmt --check` passes right after.
    crate::corpus::write::canonical_order(&mut gold);
    DocImport {
        text,
        gold,
        records_in,
        repaired,
        relayed,
        skipped,
        issues,
    }
}

/// Folds `other`, which has the content of `kept`, into `kept`
/// (docs/corpus.md, relayed quotes): another speaker's names become
/// aliases, so a prediction naming either is right, and the note keeps the
/// other record's id, speaker, cue and kind with their offsets in code
/// points, so nothing is lost.
fn fold(kept: &mut GoldQuote, other: GoldQuote, text: &str) {
    let index = OffsetIndex::new(text);
    let at = |s: Span| {
        format!(
            "{:?} at {}..{}",
            s.slice(text),
            index.from_byte(OffsetUnit::Codepoint, s.start),
            index.from_byte(OffsetUnit::Codepoint, s.end)
        )
    };
    let speaker = other
        .speaker
        .as_ref()
        .map_or("no speaker".to_string(), |s| match s.span {
            Some(span) => format!("speaker {}", at(span)),
            None => format!("speaker {:?} (no mention)", s.text),
        });
    let cue = other
        .cue
        .map_or(", no cue".to_string(), |c| format!(", cue {}", at(c)));
    let kind = other
        .kind
        .map_or(String::new(), |k| format!(", kind {}", k.as_str()));
    let line = format!(
        "also annotated as record {:?}: {speaker}{cue}{kind}",
        other.id
    );
    kept.note = Some(match kept.note.take() {
        Some(n) => format!("{n}\n{line}"),
        None => line,
    });
    match (&mut kept.speaker, other.speaker) {
        (Some(k), Some(o)) => {
            let names = std::iter::once(o.text).chain(o.entity).chain(o.aliases);
            for name in names {
                if name != k.text && k.entity.as_ref() != Some(&name) && !k.aliases.contains(&name)
                {
                    k.aliases.push(name);
                }
            }
        }
        // The words have a source after all: it is the speaker.
        (k @ None, Some(o)) => *k = Some(o),
        (_, None) => {}
    }
    kept.optional &= other.optional;
}

/// Removes a leading byte-order mark and moves every span back over it.
fn strip_bom(text: String, quotes: &mut [GoldQuote]) -> String {
    let n = '\u{feff}'.len_utf8();
    let text = text[n..].to_string();
    let shift = |s: &mut Span| {
        s.start = s.start.saturating_sub(n);
        s.end = s.end.saturating_sub(n);
    };
    for q in quotes {
        q.content.iter_mut().for_each(shift);
        if let Some(c) = q.cue.as_mut() {
            shift(c);
        }
        if let Some(sp) = q.speaker.as_mut() {
            if let Some(span) = sp.span.as_mut() {
                shift(span);
                sp.text = span.slice(&text).to_string();
            }
        }
    }
    text
}
