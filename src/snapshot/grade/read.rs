//! Reading a rendering back into the output it shows, so that an accepted
//! snapshot can be scored against the article's gold again.
//!
//! A rendering ([`crate::snapshot::render_predictions`]) keeps everything
//! the scorer looks at: each prediction's located parts (code points, in
//! `at`), the text of parts given as text only (in `content`), its speaker
//! and cue (a located mention with its position, one given as text in
//! quotes) and its kind. Values were escaped to one line and wrapped; they
//! are unescaped and their lines joined with a space, which gives back the
//! same tokens unless a single word was longer than a line.

use crate::corpus::{Kind, OffsetIndex, OffsetUnit, PredMention, PredPart, Prediction, Span};

/// What a rendering shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rendered {
    /// An accepted failure (`failed · …`).
    Failure,
    /// Predictions, in the rendering's order.
    Predictions(Vec<Prediction>),
}

/// Why a rendering cannot be read back.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A block lacks a field every prediction block has.
    #[error("block {block:?} has no `{field}` line")]
    MissingField {
        /// The block's header.
        block: String,
        /// The field.
        field: &'static str,
    },
    /// A position is not one of the article's text.
    #[error("block {block:?}: {value:?} is not a position in the article's text")]
    BadPosition {
        /// The block's header.
        block: String,
        /// The value.
        value: String,
    },
}

/// Reads the output `body` shows, on the article `text`.
pub fn read_rendering(text: &str, body: &str) -> Result<Rendered, ReadError> {
    if body.starts_with("failed · ") {
        return Ok(Rendered::Failure);
    }
    let index = OffsetIndex::new(text);
    let mut predictions = Vec::new();
    for block in body.split("\n\n") {
        let mut lines = block.lines().filter(|l| !l.is_empty());
        let Some(header) = lines.next() else { continue };
        let mut fields: Vec<(&str, String)> = Vec::new();
        for line in lines {
            let Some(rest) = line.strip_prefix("  ") else {
                continue;
            };
            if rest.starts_with(' ') {
                // A continuation line: joined to the value with a space.
                if let Some((_, value)) = fields.last_mut() {
                    value.push(' ');
                    value.push_str(rest.trim_start());
                }
            } else {
                let (label, value) = rest.split_once(' ').unwrap_or((rest, ""));
                fields.push((label, value.trim_start().to_string()));
            }
        }
        let get = |field: &'static str| {
            fields
                .iter()
                .find(|(l, _)| *l == field)
                .map(|(_, v)| v.as_str())
                .ok_or_else(|| ReadError::MissingField {
                    block: header.to_string(),
                    field,
                })
        };
        let bad = |value: &str| ReadError::BadPosition {
            block: header.to_string(),
            value: value.to_string(),
        };
        let span = |range: &str| -> Result<Span, ReadError> {
            let (a, b) = range.split_once('-').ok_or_else(|| bad(range))?;
            let cp = |s: &str| {
                s.parse::<usize>()
                    .ok()
                    .and_then(|n| index.to_byte(OffsetUnit::Codepoint, n).ok())
                    .ok_or_else(|| bad(range))
            };
            let (start, end) = (cp(a)?, cp(b)?);
            if start > end {
                return Err(bad(range));
            }
            Ok(Span::new(start, end))
        };
        let at = get("at")?;
        let content_value = get("content")?;
        let mut content = Vec::new();
        if at != "none" {
            let parts: Vec<&str> = at.trim_start_matches('@').split(',').collect();
            // Parts are joined by ` … `; an empty first or last part loses
            // its space to the wrapping, so the value is padded back. Spaces
            // at the ends of a part are escaped (`␠`), so trimming the
            // padding takes nothing of a part.
            let padded = format!(" {content_value} ");
            let pieces: Vec<&str> = padded.split(" … ").map(|p| p.trim_matches(' ')).collect();
            for (i, part) in parts.iter().enumerate() {
                if *part == "text" {
                    let piece = if pieces.len() == parts.len() {
                        pieces[i]
                    } else {
                        content_value
                    };
                    content.push(PredPart::Text(unescape(piece)));
                } else {
                    content.push(PredPart::Located(span(part)?));
                }
            }
        }
        let mention = |value: &str| -> Result<Option<PredMention>, ReadError> {
            if value == "none" {
                return Ok(None);
            }
            if let Some((quoted, range)) = value.rsplit_once(" @") {
                if let (Some(_), Ok(s)) = (quoted.strip_prefix('"'), span(range)) {
                    return Ok(Some(PredMention {
                        span: Some(s),
                        text: s.slice(text).to_string(),
                    }));
                }
            }
            let inner = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            Ok(Some(PredMention {
                span: None,
                text: unescape(inner),
            }))
        };
        predictions.push(Prediction {
            id: None,
            content,
            speaker: mention(get("speaker")?)?,
            cue: mention(get("cue")?)?,
            kind: Kind::parse(get("kind")?),
        });
    }
    Ok(Rendered::Predictions(predictions))
}

/// The inverse of the rendering's escaping: `⏎` a line break, `⇥` a tab,
/// `␠` a space, `\u{…}` the character.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("\\u{") {
            if let Some((hex, tail)) = after.split_once('}') {
                if let Some(ch) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                    rest = tail;
                    continue;
                }
            }
        }
        out.push(match c {
            '⏎' => '\n',
            '⇥' => '\t',
            '␠' => ' ',
            c => c,
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_read_back() {
        assert_eq!(unescape("a⏎b⇥c␠\\u{2028}"), "a\nb\tc \u{2028}");
    }
}
