//! The collector of the issues found while resolving one file or line,
//! and how values and text are shown in their messages.
//!
//! It knows where the records come from ([`Place`]) but nothing of what
//! they mean: gold, span and prediction rules live beside it.

use serde_json::{Map, Value};

use crate::corpus::issue::{Issue, Severity};
use crate::corpus::model::Span;

/// Where the records being resolved come from, for messages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place<'a> {
    pub file: &'a str,
    pub line: Option<usize>,
    pub article: &'a str,
}

/// The issues of one file or line, each located at its [`Place`].
pub(crate) struct Diagnostics<'a> {
    pub place: Place<'a>,
    pub issues: Vec<Issue>,
}

impl<'a> Diagnostics<'a> {
    pub fn new(place: Place<'a>) -> Diagnostics<'a> {
        Diagnostics {
            place,
            issues: Vec::new(),
        }
    }

    /// A warning for each key written twice in one object.
    pub fn duplicate_keys(&mut self, dups: &[super::json::DuplicateKey]) {
        for d in dups {
            self.push(
                Severity::Warning,
                "duplicate-key",
                &d.path,
                None,
                d.message(),
            )
            .hint = Some(super::json::DuplicateKey::HINT.into());
        }
    }

    /// Records an issue located at `path` in record `record`, and returns it
    /// for further detail.
    pub fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        path: &str,
        record: Option<&str>,
        message: impl Into<String>,
    ) -> &mut Issue {
        let mut issue =
            Issue::new(severity, code, self.place.file, message).article(self.place.article);
        issue.line = self.place.line;
        if !path.is_empty() {
            issue.path = Some(path.to_string());
        }
        issue.record = record.map(str::to_string);
        self.issues.push(issue);
        self.issues.last_mut().expect("just pushed")
    }

    /// Records an error; see [`push`](Diagnostics::push).
    pub fn error(
        &mut self,
        code: &'static str,
        path: &str,
        record: Option<&str>,
        message: impl Into<String>,
    ) -> &mut Issue {
        self.push(Severity::Error, code, path, record, message)
    }

    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }

    /// How many errors have been recorded so far.
    pub fn error_count(&self) -> usize {
        self.issues.iter().filter(|i| i.is_error()).count()
    }

    /// Reports every key of `obj` not in `known`.
    pub fn unknown_keys(
        &mut self,
        obj: &Map<String, Value>,
        known: &[&str],
        path: &str,
        record: Option<&str>,
    ) {
        for key in obj.keys().filter(|k| !known.contains(&k.as_str())) {
            let suggestion = closest(key, known);
            let issue = self.error(
                "unknown-field",
                &join(path, key),
                record,
                format!("unknown field `{key}`"),
            );
            issue.hint = Some(match suggestion {
                Some(s) => format!(
                    "did you mean `{s}`? Known fields here: {}",
                    known.join(", ")
                ),
                None => format!(
                    "known fields here: {}; remove it or fix its name",
                    known.join(", ")
                ),
            });
        }
    }
}

/// `path.key`, or `key` at the top level.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The known name closest to `key` by edit distance, if close enough to be a typo.
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(&key.to_lowercase(), k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// The Levenshtein distance of `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What a JSON syntax error says, without serde's "at line L column C"
/// (the caller puts the position where its messages put positions).
pub fn json_error_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    }
}

/// A short JSON rendering of a value for messages.
pub(crate) fn show(v: &Value) -> String {
    let s = v.to_string();
    cut(&s, 60)
}

/// `s` cut to at most `max` characters, with `…` when cut.
pub(crate) fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The excerpt of `text` an issue shows as its context: the text around
/// `span`, with the span in `⟦…⟧` and line breaks shown as `⏎`.
pub(crate) fn excerpt(text: &str, span: Span) -> String {
    const AROUND: usize = 30;
    let before_start = text[..span.start]
        .char_indices()
        .rev()
        .nth(AROUND - 1)
        .map_or(0, |(i, _)| i);
    let after_end = text[span.end..]
        .char_indices()
        .nth(AROUND)
        .map_or(text.len(), |(i, _)| span.end + i);
    let clean = |s: &str| s.replace('\n', "⏎");
    format!(
        "{}{}⟦{}⟧{}{}",
        if before_start > 0 { "…" } else { "" },
        clean(&text[before_start..span.start]),
        clean(&cut(span.slice(text), 80)),
        clean(&text[span.end..after_end]),
        if after_end < text.len() { "…" } else { "" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_the_known_name() {
        let known = ["content", "speaker", "cue"];
        assert_eq!(closest("speeker", &known), Some("speaker"));
        assert_eq!(closest("Content", &known), Some("content"));
        assert_eq!(closest("author", &known), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn an_excerpt_marks_the_span_and_line_breaks() {
        let text = "He said:\n“We stay.”";
        let at = text.find("We").unwrap();
        assert_eq!(
            excerpt(text, Span::new(at, at + "We stay.".len())),
            "He said:⏎“⟦We stay.⟧”"
        );
    }
}
