//! brat standoff: `T` text-bound lines tied together by `Attribution` events.
//!
//! ```text
//! T1⇥Content 0 24⇥"The plan is dead,"
//! T2⇥Source 25 27⇥he
//! T3⇥Cue 28 32⇥said
//! T4⇥Attribution 28 32⇥said
//! E1⇥Attribution:T4 Cue:T3 Source:T2 Content:T1
//! #1⇥AnnotatorNotes E1⇥free text
//! ```
//!
//! (`⇥` is a tab.) Each `Attribution…` event is one record, with the event id as record id.
//! A `Content` span that no event uses is reported and skipped; a `Discard`
//! span (PolNeAR) is an ignored region of the gold.

use std::collections::{BTreeSet, HashMap};

use super::{finish, Doc, DocImport, RawQuote, RawSpan};
use crate::corpus::issue::{Issue, Severity};

/// One text-bound annotation line.
enum TextBound {
    Ok {
        label: String,
        parts: Vec<(u64, u64)>,
        text: Option<String>,
        line: usize,
    },
    Malformed {
        line: usize,
        why: LineError,
    },
}

struct Event {
    id: String,
    line: usize,
    kind: String,
    trigger: String,
    args: Vec<(String, String)>,
}

/// Imports one brat document: its `.ann` and its `.txt`.
///
/// `file` names the `.ann` file in messages; `article` is the article id.
pub fn import_brat(ann: &str, text: &str, file: &str, article: &str) -> DocImport {
    let mut doc = Doc {
        text: text.to_string(),
        ..Doc::default()
    };
    let mut bounds: HashMap<String, TextBound> = HashMap::new();
    // In line order; a malformed event line is the reason its record is skipped.
    let mut events: Vec<Result<Event, Issue>> = Vec::new();
    // Notes by the annotation they are on: an event or a text-bound span.
    let mut notes: HashMap<String, Vec<String>> = HashMap::new();
    let mut other_lines = 0usize;
    let warn = |line: usize, code: &'static str, message: String| {
        Issue::new(Severity::Warning, code, file, message)
            .article(article)
            .line(line)
    };
    let lines: Vec<&str> = ann
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut next = 0;
    while next < lines.len() {
        let i = next;
        next += 1;
        let line = i + 1;
        let raw = lines[i];
        if raw.trim().is_empty() {
            continue;
        }
        let mut fields = raw.splitn(3, '\t');
        let id = fields.next().unwrap_or("").trim().to_string();
        let body = fields.next();
        let rest = fields.next();
        match id.chars().next() {
            Some('T') => {
                let parsed = body.ok_or(LineError::NoTab).and_then(parse_text_bound);
                let entry = match parsed {
                    Ok((label, parts)) => {
                        // The text column holds the covered text, which may
                        // contain newlines: it is as long as the offsets say,
                        // so the lines that continue it are read by length,
                        // never as annotations of their own.
                        let text = rest.map(|first| {
                            let want = covered_len(&parts);
                            let mut text = first.to_string();
                            let mut have = first.chars().count() as u64;
                            while have < want && next < lines.len() {
                                text.push('\n');
                                text.push_str(lines[next]);
                                have += 1 + lines[next].chars().count() as u64;
                                next += 1;
                            }
                            text
                        });
                        TextBound::Ok {
                            label,
                            parts,
                            text,
                            line,
                        }
                    }
                    Err(why) => TextBound::Malformed { line, why },
                };
                bounds.insert(id, entry);
            }
            Some('E') => {
                let parsed = body.ok_or(LineError::NoTab).and_then(parse_event);
                match parsed {
                    Ok((kind, trigger, args)) => events.push(Ok(Event {
                        id,
                        line,
                        kind,
                        trigger,
                        args,
                    })),
                    Err(why) => {
                        let id = Some(id.as_str()).filter(|s| s.len() > 1);
                        events.push(Err(Issue::new(
                            Severity::Error,
                            "malformed-line",
                            file,
                            format!("malformed event line ({why}); the record is skipped"),
                        )
                        .article(article)
                        .record(id)
                        .line(line)
                        .context(raw.replace('\t', "⇥"))
                        .hint("an event line is `E<n>⇥Attribution:T<n> Cue:T<n> Source:T<n> Content:T<n>`")));
                    }
                }
            }
            // A quotecheck export of draft gold: `#0⇥QuotecheckStatus T1⇥draft`.
            Some('#')
                if body.is_some_and(|b| b.starts_with("QuotecheckStatus"))
                    && rest.map(str::trim) == Some("draft") =>
            {
                doc.draft = true;
            }
            Some('#') => {
                let target = body.and_then(|b| b.strip_prefix("AnnotatorNotes "));
                match (target, rest) {
                    (Some(target), Some(note)) if !note.trim().is_empty() => {
                        notes
                            .entry(target.trim().to_string())
                            .or_default()
                            .push(note.trim().to_string());
                    }
                    _ => other_lines += 1,
                }
            }
            Some('R' | 'A' | 'M' | 'N' | '*') => other_lines += 1,
            _ => doc.issues.push(warn(
                line,
                "malformed-line",
                format!(
                    "a line that is no brat annotation ({:?}); it is ignored",
                    cut(raw)
                ),
            )),
        }
    }

    let mut used: BTreeSet<&str> = BTreeSet::new();
    for event in events.iter().flatten() {
        used.insert(&event.trigger);
        used.extend(event.args.iter().map(|(_, t)| t.as_str()));
    }
    for event in &events {
        let event = match event {
            Ok(event) => event,
            Err(issue) => {
                doc.records.push(Err(issue.clone()));
                continue;
            }
        };
        if !event.kind.starts_with("Attribution") {
            doc.issues.push(
                Issue::new(
                    Severity::Note,
                    "not-an-attribution",
                    file,
                    format!(
                        "event {} is a {:?} event, not an attribution; it is ignored",
                        event.id, event.kind
                    ),
                )
                .article(article)
                .line(event.line),
            );
            continue;
        }
        let skip = |code: &'static str, message: String| {
            Issue::new(Severity::Error, code, file, message)
                .article(article)
                .record(Some(&event.id))
                .line(event.line)
        };
        // The notes on the event, then on its trigger and arguments in
        // the order the event lists them.
        let mut seen = BTreeSet::new();
        let note: Vec<&str> = std::iter::once(&event.id)
            .chain(std::iter::once(&event.trigger))
            .chain(event.args.iter().map(|(_, t)| t))
            .filter(|target| seen.insert(target.as_str()))
            .flat_map(|target| notes.get(target).into_iter().flatten())
            .map(String::as_str)
            .collect();
        let mut q = RawQuote {
            id: Some(event.id.clone()),
            line: Some(event.line),
            note: (!note.is_empty()).then(|| note.join(" ")),
            ..RawQuote::default()
        };
        let mut failed = None;
        for (role, target) in &event.args {
            let base = role.trim_end_matches(|c: char| c.is_ascii_digit());
            if !matches!(base, "Content" | "Source" | "Cue") {
                doc.issues.push(
                    warn(
                        event.line,
                        "unknown-role",
                        format!(
                            "role {role:?} of event {} is not Content, Source or Cue; it is ignored",
                            event.id
                        ),
                    )
                    .record(Some(&event.id)),
                );
                continue;
            }
            let span = match bounds.get(target) {
                None => {
                    failed = Some(skip(
                        "bad-reference",
                        format!(
                            "{role}:{target} refers to {target}, which is not defined; the record is skipped"
                        ),
                    ));
                    break;
                }
                Some(TextBound::Malformed { line, why }) => {
                    failed = Some(
                        skip(
                            "bad-reference",
                            format!(
                                "{role}:{target} refers to {target}, which is malformed on line {line} ({why}); the record is skipped"
                            ),
                        )
                        .hint("a text-bound line is `T<n>⇥Label START END⇥text`, with `;` between the fragments of a discontinuous span"),
                    );
                    break;
                }
                Some(TextBound::Ok {
                    parts, text, line, ..
                }) => RawSpan {
                    parts: parts.clone(),
                    text: text.clone(),
                    at: format!("{target} (line {line})"),
                },
            };
            match base {
                "Content" => q.content.push(span),
                "Source" => q.sources.push(span),
                _ if q.cue.is_none() => q.cue = Some(span),
                _ => doc.issues.push(
                    warn(
                        event.line,
                        "second-cue",
                        format!(
                            "event {} has a second cue ({role}:{target}); only the first is kept",
                            event.id
                        ),
                    )
                    .record(Some(&event.id)),
                ),
            }
        }
        match failed {
            Some(issue) => doc.records.push(Err(issue)),
            None => {
                if q.content.is_empty() {
                    doc.records.push(Err(skip(
                        "missing-content",
                        format!(
                            "event {} has no Content argument; the record is skipped",
                            event.id
                        ),
                    )
                    .hint("add `Content:T<n>` to the event")));
                } else {
                    doc.records.push(Ok(q));
                }
            }
        }
    }

    // Content annotations no event uses, and malformed lines nothing uses.
    let mut leftovers: Vec<(usize, &String, &TextBound)> = bounds
        .iter()
        .filter(|(id, _)| !used.contains(id.as_str()))
        .map(|(id, b)| match b {
            TextBound::Ok { line, .. } | TextBound::Malformed { line, .. } => (*line, id, b),
        })
        .collect();
    leftovers.sort_by_key(|(line, _, _)| *line);
    // Spans of other labels (PolNeAR's `Discuss`) are counted, not lost silently.
    let mut unused: std::collections::BTreeMap<&str, usize> = Default::default();
    for (line, id, bound) in leftovers {
        match bound {
            TextBound::Ok { label, .. } if label == "Content" => {
                doc.records.push(Err(Issue::new(
                    Severity::Error,
                    "content-without-event",
                    file,
                    format!("Content {id} is part of no Attribution event, so it has no source or cue; the record is skipped"),
                )
                .article(article)
                .record(Some(id))
                .line(line)
                .hint("add an event for it, or remove it")));
            }
            // PolNeAR's Discard: text the annotators excluded, such as boilerplate.
            TextBound::Ok {
                label, parts, text, ..
            } if label == "Discard" => doc.ignore.push(RawSpan {
                parts: parts.clone(),
                text: text.clone(),
                at: format!("{id} (line {line})"),
            }),
            TextBound::Ok { label, .. } => *unused.entry(label.as_str()).or_insert(0) += 1,
            TextBound::Malformed { why, .. } => doc.issues.push(warn(
                line,
                "malformed-line",
                format!("malformed text-bound annotation {id} ({why}); no event uses it, so it is ignored"),
            )),
        }
    }
    if !unused.is_empty() {
        let n: usize = unused.values().sum();
        let labels: Vec<String> = unused.iter().map(|(l, n)| format!("{n} {l}")).collect();
        doc.issues.push(
            Issue::new(
                Severity::Note,
                "unused-spans",
                file,
                format!(
                    "{n} text-bound annotation{} no Attribution event uses {} not read ({})",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" },
                    labels.join(", ")
                ),
            )
            .article(article),
        );
    }
    // Notes on annotations that are not read are not read either.
    let read: BTreeSet<&str> = events
        .iter()
        .flatten()
        .filter(|e| e.kind.starts_with("Attribution"))
        .flat_map(|e| {
            [e.id.as_str(), e.trigger.as_str()]
                .into_iter()
                .chain(e.args.iter().map(|(_, t)| t.as_str()))
        })
        .collect();
    other_lines += notes
        .iter()
        .filter(|(target, _)| !read.contains(target.as_str()))
        .map(|(_, n)| n.len())
        .sum::<usize>();
    if other_lines > 0 {
        doc.issues.push(
            Issue::new(
                Severity::Note,
                "ignored-lines",
                file,
                format!(
                    "{other_lines} relation, attribute, normalization or note line{} ignored: only Attribution events and AnnotatorNotes on them are read",
                    if other_lines == 1 { " is" } else { "s are" }
                ),
            )
            .article(article),
        );
    }
    finish(doc, file, article)
}

/// How many characters the text column of a span with these fragments
/// holds: brat joins the fragments with one space.
fn covered_len(parts: &[(u64, u64)]) -> u64 {
    let chars: u64 = parts.iter().map(|&(s, e)| e.saturating_sub(s)).sum();
    chars + parts.len().saturating_sub(1) as u64
}

fn cut(s: &str) -> String {
    crate::corpus::records::cut(s, 40)
}

/// `Label 0 5;8 12` → the label and the fragments.
fn parse_text_bound(body: &str) -> Result<(String, Vec<(u64, u64)>), LineError> {
    let (label, frags) = body
        .split_once(' ')
        .ok_or_else(|| LineError::NoOffsets(body.to_string()))?;
    let mut parts = Vec::new();
    for frag in frags.split(';') {
        let nums: Vec<&str> = frag.split_whitespace().collect();
        let [s, e] = nums.as_slice() else {
            return Err(LineError::BadFragment(frag.trim().to_string()));
        };
        let num = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| LineError::BadOffset(v.to_string()))
        };
        parts.push((num(s)?, num(e)?));
    }
    Ok((label.to_string(), parts))
}

/// `Attribution:T4 Cue:T3 Source:T2 Content:T1` → the type and the arguments.
/// An event's type, trigger and `(role, target)` arguments.
type ParsedEvent = (String, String, Vec<(String, String)>);

/// Why a text-bound or event line cannot be read; the message is shown
/// inside the issue about the line.
#[derive(Clone, Debug, thiserror::Error)]
enum LineError {
    /// The line has an id and nothing else.
    #[error("no tab after the id")]
    NoTab,
    /// A text-bound annotation without offsets.
    #[error("no offsets after the label in {0:?}")]
    NoOffsets(String),
    /// A fragment that is not two offsets.
    #[error("a fragment must be `START END`, not {0:?}")]
    BadFragment(String),
    /// An offset that is not a whole number.
    #[error("offset {0:?} is not a whole number")]
    BadOffset(String),
    /// The body is empty.
    #[error("no event type")]
    NoType,
    /// The type is not followed by `:T<n>`.
    #[error("the event type {0:?} has no `:T<n>` trigger")]
    NoTrigger(String),
    /// An argument is not `Role:T<n>`.
    #[error("argument {0:?} is not `Role:T<n>`")]
    BadArgument(String),
}

fn parse_event(body: &str) -> Result<ParsedEvent, LineError> {
    let mut args = body.split_whitespace();
    let trigger = args.next().ok_or(LineError::NoType)?;
    let (kind, trigger) = trigger
        .split_once(':')
        .ok_or_else(|| LineError::NoTrigger(trigger.to_string()))?;
    let args = args
        .map(|a| match a.split_once(':') {
            Some((role, target)) if !role.is_empty() && !target.is_empty() => {
                Ok((role.to_string(), target.to_string()))
            }
            _ => Err(LineError::BadArgument(a.to_string())),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((kind.to_string(), trigger.to_string(), args))
}
