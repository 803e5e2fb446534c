//! Parquet replays: a row per article, the columns named as the fields of
//! a JSON-lines replay line (`id`, `quotes`, `offsets`, `error`).
//!
//! The rows are read a record batch at a time and written, one JSON line
//! each, into an unnamed temporary file (unlinked from the start, so a
//! killed run leaves nothing behind), which is then indexed and read by
//! position as a JSON-lines replay is: row N is line N, so every rule and
//! message of JSON-lines replays holds, and memory stays that of one
//! batch and the index, however large the replay. A string `quotes`
//! column holds each row's quotes as JSON text.

use std::io::{self, BufWriter, Seek, Write};
use std::path::Path;

use serde_json::Value;

use super::{index_read, Index, Lines};
use crate::corpus::json;
use crate::corpus::limits::{show_limit, ReadLimits};
use crate::corpus::parquet::{Row, Rows};
use crate::corpus::{Issue, Severity};

/// Reads and indexes the Parquet replay at `path`. A problem with one row
/// is one of `problems` and the row is ignored; a file that cannot be
/// read as Parquet is an error.
pub(super) fn index_rows(
    path: &Path,
    display: &str,
    problems: &mut Vec<Issue>,
) -> io::Result<(Lines, Index)> {
    let mut rows = Rows::open(path, display, &["id"]);
    let limit = ReadLimits::current().max_article_bytes;
    // Unnamed: unlinked as soon as it is made, so it goes with the replay,
    // or with the process if the run is killed.
    let mut spill = tempfile::tempfile()?;
    let mut lines = BufWriter::with_capacity(1 << 16, &spill);
    let mut found = Vec::new();
    while let Some(row) = rows.next_row() {
        let (number, mut fields) = match row {
            Row::Fields { number, fields } => (number, fields),
            Row::End(issue) => {
                let hint = issue.hint.as_deref().unwrap_or("");
                return Err(io::Error::other(format!("{}; {hint}", issue.message)));
            }
        };
        let id = match fields.get("id") {
            Some(Value::String(id)) => id.clone(),
            _ => format!("row {number}"),
        };
        let problem = |code, message: String| {
            Issue::new(Severity::Error, code, display, message)
                .line(number)
                .article(&id)
        };
        if let Some(Value::String(text)) = fields.get("quotes") {
            match json::parse(text) {
                Ok((value, _)) => {
                    fields.insert("quotes".into(), value);
                }
                Err(p) => {
                    found.push(problem(
                        "invalid-output",
                        format!(
                            "the `quotes` of row {number} are not JSON ({}, column {} of the string); the row is ignored",
                            p.message, p.column
                        ),
                    ).hint("a string `quotes` column holds each row's quotes as JSON text, as in a JSON-lines line"));
                    // Row N stays line N.
                    lines.write_all(b"\n")?;
                    continue;
                }
            }
        }
        let line = serde_json::to_vec(&Value::Object(fields)).map_err(io::Error::other)?;
        if line.len() as u64 > limit {
            found.push(problem(
                "too-large",
                format!(
                    "row {number} is {} bytes as JSON, more than the limit of {} for one article (--max-article-bytes); it is ignored",
                    line.len(),
                    show_limit(limit)
                ),
            ));
            lines.write_all(b"\n")?;
            continue;
        }
        lines.write_all(&line)?;
        lines.write_all(b"\n")?;
    }
    lines.flush()?;
    drop(lines);
    spill.rewind()?;
    let index = index_read(Box::new(&spill), None, display, problems)?;
    problems.extend(found);
    problems.sort_by_key(|i| i.line);
    Ok((Lines::Spill(spill), index))
}
