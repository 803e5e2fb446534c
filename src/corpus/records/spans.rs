//! Spans: `{start, end, text}` objects located in an article text, with
//! offsets in the file's declared unit converted to bytes.
//!
//! Shared by gold and predictions, which differ in how strict they are
//! (a gold span must carry its text; a prediction's disagreeing text is
//! only a warning). It knows nothing of quote records.

use serde_json::{Map, Value};

use super::diagnostics::{cut, excerpt, join, show, Diagnostics};
use crate::corpus::model::Span;
use crate::corpus::offsets::{OffsetError, OffsetIndex, OffsetUnit};

/// The offset unit declared by `obj["offsets"]`, reporting a bad value.
pub(crate) fn offsets_field(obj: &Map<String, Value>, diag: &mut Diagnostics<'_>) -> OffsetUnit {
    let value = match obj.get("offsets") {
        None | Some(Value::Null) => return OffsetUnit::Codepoint,
        Some(v) => v,
    };
    if let Some(unit) = value.as_str().and_then(OffsetUnit::parse) {
        return unit;
    }
    diag.error(
        "bad-offsets-unit",
        "offsets",
        None,
        format!("`offsets` is {}", show(value)),
    )
    .hint = Some("use \"codepoint\" (the default), \"utf8\" or \"utf16\"".into());
    OffsetUnit::Codepoint
}

/// Locates the spans of one file or line: its text, and the unit its
/// offsets count in.
#[derive(Clone, Copy)]
pub(crate) struct SpanReader<'i, 't> {
    pub index: &'i OffsetIndex<'t>,
    pub unit: OffsetUnit,
}

impl<'t> SpanReader<'_, 't> {
    /// The article text.
    pub fn text(&self) -> &'t str {
        self.index.text()
    }

    /// Resolves one `{start, end, text}` span. With `gold`, `text` is
    /// required and must equal the slice; otherwise a disagreeing `text`
    /// is a warning (reported by the prediction rules, not here).
    pub fn gold_span(
        &self,
        v: &Value,
        path: &str,
        rec: Option<&str>,
        known: &[&str],
        diag: &mut Diagnostics<'_>,
    ) -> Option<Span> {
        let Some(obj) = v.as_object() else {
            diag.error(
                "wrong-type",
                path,
                rec,
                format!(
                    "a span must be an object with `start`, `end` and `text`, not {}",
                    show(v)
                ),
            );
            return None;
        };
        diag.unknown_keys(obj, known, path, rec);
        let span = self.located(obj, path, rec, diag)?;
        let text = self.text();
        let slice = span.slice(text);
        match obj.get("text").filter(|v| !v.is_null()) {
            Some(Value::String(t)) if t == slice => {}
            Some(Value::String(t)) => {
                let issue = diag.error(
                    "text-mismatch",
                    &join(path, "text"),
                    rec,
                    format!(
                        "`text` disagrees with the article slice\n  text:  {:?}\n  slice: {:?}",
                        cut(t, 120),
                        cut(slice, 120)
                    ),
                );
                issue.context = Some(excerpt(text, span));
                issue.hint = Some(format!(
                    "fix `text`, or the offsets if they point at the wrong place (this file counts offsets in {} units)",
                    self.unit
                ));
            }
            None => {
                diag.error(
                    "missing-field",
                    &join(path, "text"),
                    rec,
                    "missing field `text`",
                )
                .hint = Some(format!(
                    "gold spans carry their text; here it is {:?}",
                    cut(slice, 120)
                ));
            }
            Some(other) => {
                diag.error(
                    "wrong-type",
                    &join(path, "text"),
                    rec,
                    format!("`text` must be a string, not {}", show(other)),
                );
            }
        }
        Some(span)
    }

    /// The span at `obj`'s `start`/`end`, or `None` after reporting why not.
    /// Used for gold and predictions alike.
    pub fn located(
        &self,
        obj: &Map<String, Value>,
        path: &str,
        rec: Option<&str>,
        diag: &mut Diagnostics<'_>,
    ) -> Option<Span> {
        let start = self.bound(obj, "start", path, rec, diag);
        let end = self.bound(obj, "end", path, rec, diag);
        let ((raw_start, start), (raw_end, end)) = (start?, end?);
        if start > end {
            let issue = diag.error(
                "start-after-end",
                path,
                rec,
                format!("`start` ({raw_start}) is after `end` ({raw_end})"),
            );
            issue.context = Some(excerpt(self.text(), Span::new(end, start)));
            issue.hint = Some(
                "ends are exclusive and must not come before starts; swap them if they are reversed"
                    .into(),
            );
            return None;
        }
        Some(Span::new(start, end))
    }

    /// The offset `obj[key]` as written and as a byte offset, or `None`
    /// after reporting why it cannot be used.
    fn bound(
        &self,
        obj: &Map<String, Value>,
        key: &str,
        path: &str,
        rec: Option<&str>,
        diag: &mut Diagnostics<'_>,
    ) -> Option<(u64, usize)> {
        let (index, unit) = (self.index, self.unit);
        // The path is only needed for a message: built then, not per span.
        let p = || join(path, key);
        // `-0` is read as a float: it is 0 all the same.
        let whole = |v: &Value| {
            v.as_u64()
                .or_else(|| v.as_f64().filter(|f| *f == 0.0).map(|_| 0))
        };
        // `null` is no offset, as an absent key is (a writer with a fixed
        // schema, a Parquet struct or a data frame, writes null there).
        let raw = match obj.get(key).filter(|v| !v.is_null()).map(|v| (v, whole(v))) {
            Some((_, Some(n))) => n,
            Some((other, None)) => {
                diag.error(
                    "bad-offset",
                    &p(),
                    rec,
                    format!(
                        "`{key}` must be a non-negative whole number, not {}",
                        show(other)
                    ),
                );
                return None;
            }
            None => {
                diag.error("missing-field", &p(), rec, format!("missing field `{key}`"));
                return None;
            }
        };
        let converted = usize::try_from(raw)
            .map_err(|_| OffsetError::OutOfRange {
                len: index.len(unit),
            })
            .and_then(|o| index.to_byte(unit, o));
        match converted {
            Ok(b) => Some((raw, b)),
            Err(e) => {
                let code = match e {
                    OffsetError::OutOfRange { .. } => "offset-out-of-range",
                    OffsetError::InsideCharacter => "offset-inside-character",
                    OffsetError::InsideSurrogatePair => "offset-inside-surrogate-pair",
                };
                let issue = diag.error(code, &p(), rec, format!("`{key}` = {raw} ({unit}) {e}"));
                let near = self.near_byte(raw);
                issue.context = Some(excerpt(index.text(), Span::new(near, near)));
                issue.hint = Some(match e {
                    OffsetError::OutOfRange { .. } => "check that the offsets belong to this article's text, and the file's `offsets` unit".to_string(),
                    _ => format!("the offsets look like another unit than {unit}: set the file's `offsets` to the unit your tool counts in"),
                });
                None
            }
        }
    }

    /// The byte offset nearest to `raw` units, for showing context around a
    /// bad offset.
    fn near_byte(&self, raw: u64) -> usize {
        let len = self.index.len(self.unit) as u64;
        let mut o = raw.min(len) as usize;
        loop {
            if let Ok(b) = self.index.to_byte(self.unit, o) {
                return b;
            }
            o -= 1;
        }
    }
}
