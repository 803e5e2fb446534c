//! Parquet replays: a row per article, the columns named as the fields of
//! a JSON-lines replay line (`id`, `quotes`, `offsets`, `error`).
//!
//! The file is read once when opened, a record batch at a time, into an
//! index of each row's id and number (that of a JSON-lines replay, on
//! disk past the newest rows), with every problem a JSON-lines replay of the
//! same rows would have found then: row N is line N, so every rule and
//! message of JSON-lines replays holds. A string `quotes` column holds
//! each row's quotes as JSON text; it is checked to be JSON without
//! keeping its value.
//!
//! An article's row is then read from the file with the rows around it:
//! the [`WINDOW`] rows of its row group that hold it are decoded (the
//! pages before them skipped by their headers) and kept with the few
//! decoded before ([`KEPT`]). A replay written in corpus order decodes
//! each row about once; one in another order decodes a window an article
//! at worst, not a row group; memory is those windows and the index,
//! however large the replay. The row is resolved by the typed fast path
//! straight from the Arrow arrays; a row it declines becomes the JSON
//! object of its line and takes the checked path, as the line would.

use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::{entry_problem, Failure, FailureKind, IdOnly, Index, Output, Replay};
use crate::corpus::json;
use crate::corpus::limits::{show_limit, ReadLimits};
use crate::corpus::parquet::{is_json, Group, Groups, Row, RowRef, Rows};
use crate::corpus::{fast_output_row, json_error_message, Article, Issue, Severity};

/// Rows decoded at a time: a few pages of a long column, so that reading
/// in order costs little more than one pass, and out of order little
/// more than the row.
const WINDOW: u64 = 1024;

/// Windows kept decoded: the one being read, and those that threads
/// still on the articles before it need.
const KEPT: usize = 4;

/// The rows of a Parquet replay, read a window of rows at a time.
pub(super) struct Table {
    groups: Groups,
    window: u64,
    /// The windows decoded last, by their first row, the most recent last.
    kept: Mutex<Vec<(u64, Arc<Group>)>>,
}

/// Reads and indexes the Parquet replay at `path`. A problem with one row
/// is one of `problems` and the row is ignored; a file that cannot be
/// read as Parquet is an error.
pub(super) fn index_rows(
    path: &Path,
    display: &str,
    problems: &mut Vec<Issue>,
) -> io::Result<(Table, Index)> {
    let limit = ReadLimits::current().max_article_bytes;
    let mut index = Index::default();
    each_row(path, display, |number, row| {
        if let Some(issue) = row_problem(row, number, display, limit) {
            problems.push(issue);
            return Ok(());
        }
        match row.str("id") {
            Some(id) => index.push(id, number as u64 - 1, 0, number, display, problems)?,
            // What the line of the row would be: not an entry.
            None => {
                let line = line_of(row).map_err(io::Error::other)?;
                if let Err(e) = serde_json::from_slice::<IdOnly<'_>>(&line) {
                    problems.push(entry_problem(
                        display,
                        number,
                        "invalid-output",
                        format!(
                            "the line cannot be read as a replay entry ({}); it is ignored",
                            json_error_message(&e)
                        ),
                    ));
                }
            }
        }
        Ok(())
    })?;
    index.finish(problems)?;
    let groups = Groups::open(path).map_err(io::Error::other)?;
    Ok((
        Table {
            groups,
            window: WINDOW,
            kept: Mutex::new(Vec::new()),
        },
        index,
    ))
}

/// Calls `f` with the id of every row [`index_rows`] indexes, from the
/// file again.
pub(super) fn for_each_row_id(
    path: &Path,
    display: &str,
    f: &mut dyn FnMut(&str),
) -> io::Result<()> {
    let limit = ReadLimits::current().max_article_bytes;
    each_row(path, display, |number, row| {
        if row_problem(row, number, display, limit).is_none() {
            if let Some(id) = row.str("id") {
                f(id);
            }
        }
        Ok(())
    })
}

/// Calls `f` with the number and fields of each row of the file at
/// `path`; a file that cannot be read on is an error.
fn each_row(
    path: &Path,
    display: &str,
    mut f: impl FnMut(usize, &RowRef) -> io::Result<()>,
) -> io::Result<()> {
    let mut rows = Rows::open(path, display, &["id"]);
    while let Some(row) = rows.next_row() {
        match row {
            Row::Fields { number, row } => f(number, &row)?,
            Row::End(issue) => {
                let hint = issue.hint.as_deref().unwrap_or("");
                return Err(io::Error::other(format!("{}; {hint}", issue.message)));
            }
        }
    }
    Ok(())
}

/// Why row `number` is ignored, as a JSON-lines replay of its line would
/// say: its `quotes` are not JSON, or its line is over the limit.
fn row_problem(row: &RowRef, number: usize, display: &str, limit: u64) -> Option<Issue> {
    let id = match row.str("id") {
        Some(id) => id.to_string(),
        None => format!("row {number}"),
    };
    let problem = |code, message: String| {
        Issue::new(Severity::Error, code, display, message)
            .line(number)
            .article(&id)
    };
    if let Some(text) = row.str("quotes") {
        if let Some(p) = (!is_json(text)).then(|| json::parse(text).err()).flatten() {
            return Some(problem(
                "invalid-output",
                format!(
                    "the `quotes` of row {number} are not JSON ({}, column {} of the string); the row is ignored",
                    p.message, p.column
                ),
            ).hint("a string `quotes` column holds each row's quotes as JSON text, as in a JSON-lines line"));
        }
    }
    let under = |bound: Option<u64>| bound.is_some_and(|n| n <= limit);
    if under(row.batch_json_len_bound()) || under(row.json_len_bound()) {
        return None;
    }
    let len = line_of(row).ok()?.len();
    (len as u64 > limit).then(|| {
        problem(
            "too-large",
            format!(
                "row {number} is {len} bytes as JSON, more than the limit of {} for one article (--max-article-bytes); it is ignored",
                show_limit(limit)
            ),
        )
    })
}

/// The object of the row's line, a string `quotes` parsed.
fn object_of(row: &RowRef) -> Result<Value, String> {
    let mut fields = row.fields();
    if let Some(Value::String(text)) = fields.get("quotes") {
        let (value, _) = json::parse(text).map_err(|p| p.message)?;
        fields.insert("quotes".into(), value);
    }
    Ok(Value::Object(fields))
}

/// The row as the JSON line a JSON-lines replay would hold.
fn line_of(row: &RowRef) -> Result<Vec<u8>, String> {
    serde_json::to_vec(&object_of(row)?).map_err(|e| e.to_string())
}

impl Table {
    /// Row `at` (from 0), from its window of rows, decoded now or kept.
    fn row(&self, at: u64) -> Result<RowRef, String> {
        let no_row = || format!("the file has no row {}", at + 1);
        let (g, start, end) = self.groups.group_of(at).ok_or_else(no_row)?;
        let from = start + (at - start) / self.window * self.window;
        // Held while a window is decoded: the threads that need it wait
        // for it rather than decode it too.
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let rows = match kept.iter().position(|(first, _)| *first == from) {
            Some(i) => Arc::clone(&kept[i].1),
            None => {
                let rows = Arc::new(self.groups.read(g, from, end.min(from + self.window))?);
                if kept.len() == KEPT {
                    kept.remove(0);
                }
                kept.push((from, Arc::clone(&rows)));
                rows
            }
        };
        drop(kept);
        rows.row(at).ok_or_else(no_row)
    }

    /// The output saved in row `at` for `article`.
    pub(super) fn extract(
        &self,
        at: u64,
        article: &Article,
        display: &str,
    ) -> Result<Output, Failure> {
        let row = self.row(at).map_err(|e| {
            Failure::new(
                FailureKind::InvalidOutput,
                format!("cannot read the saved output: {e}"),
            )
        })?;
        // An output without a single issue needs no checked parse.
        if let Some(quotes) = fast_output_row(row.de(), &article.text) {
            return Ok(Output {
                quotes,
                issues: Vec::new(),
            });
        }
        let value = object_of(&row).map_err(|e| {
            Failure::new(
                FailureKind::InvalidOutput,
                format!("{display}: the saved output cannot be read: {e}"),
            )
        })?;
        Replay::checked(&value, &[], article, display)
    }
}

#[cfg(all(test, feature = "parquet"))]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    use parquet::arrow::ArrowWriter;
    use parquet::file::properties::WriterProperties;

    use super::*;
    use crate::corpus::ArticleId;
    use crate::extract::Extractor;

    const TEXT: &str = "😀 Ana said: “Hi there”.";

    fn article(id: &str) -> Article {
        Article {
            id: ArticleId::new(id).unwrap(),
            text: TEXT.into(),
            gold: None,
        }
    }

    /// Seven rows, in row groups of four: `id`, `offsets` and `quotes` as
    /// JSON text.
    fn rows() -> Vec<(String, String)> {
        (0..7)
            .map(|i| {
                let quotes = format!(r#"[{{"id": {i}, "content": {{"start": 14, "end": 22}}, "speaker": "Ana", "kind": "direct"}}]"#);
                (format!("a{i}"), quotes)
            })
            .collect()
    }

    fn write(path: &Path) {
        let (ids, quotes): (Vec<String>, Vec<String>) = rows().into_iter().unzip();
        let offsets = vec!["utf16"; ids.len()];
        let batch = RecordBatch::try_from_iter([
            ("id", Arc::new(StringArray::from(ids)) as ArrayRef),
            ("offsets", Arc::new(StringArray::from(offsets)) as ArrayRef),
            ("quotes", Arc::new(StringArray::from(quotes)) as ArrayRef),
        ])
        .unwrap();
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(4))
            .build();
        let mut w = ArrowWriter::try_new(
            std::fs::File::create(path).unwrap(),
            batch.schema(),
            Some(props),
        )
        .unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }

    #[test]
    fn rows_are_read_by_row_group_on_the_fast_path_as_their_lines_are() {
        let dir = tempfile::tempdir().unwrap();
        let parquet = dir.path().join("r.parquet");
        write(&parquet);
        let lines: String = rows()
            .iter()
            .map(|(id, q)| format!(r#"{{"id": "{id}", "offsets": "utf16", "quotes": {q}}}"#) + "\n")
            .collect();
        let jsonl = dir.path().join("r.jsonl");
        std::fs::write(&jsonl, lines).unwrap();
        let (mut p, j) = (
            Replay::open("p", &parquet).unwrap(),
            Replay::open("p", &jsonl).unwrap(),
        );
        // Windows of a whole row group, of three rows (one cut by the end
        // of its row group) and of one.
        for window in [WINDOW, 3, 1] {
            let super::super::Source::Parquet { table, .. } = &mut p.source else {
                panic!("not read by rows");
            };
            table.window = window;
            table.kept.lock().unwrap().clear();
            let super::super::Source::Parquet { table, index, .. } = &p.source else {
                unreachable!()
            };
            // Out of order, then in order: a window decoded again when it
            // was dropped, never more than a few kept.
            for id in ["a6", "a0", "a1", "a3", "a2", "a4", "a5", "a6", "a0"] {
                let out = p.extract(&article(id)).unwrap();
                assert_eq!(out, j.extract(&article(id)).unwrap(), "{id}");
                assert_eq!(out.quotes.len(), 1);
                let row = table.row(index.get(id).unwrap().unwrap().at).unwrap();
                assert_eq!(row.str("id"), Some(id), "window {window}");
                assert!(
                    fast_output_row(row.de(), TEXT).is_some(),
                    "{id}: the fast path declined"
                );
                assert!(table.kept.lock().unwrap().len() <= KEPT);
            }
        }
        assert_eq!(
            p.extract(&article("b")).unwrap_err().kind,
            FailureKind::Missing
        );
    }

    #[test]
    fn rows_read_in_order_decode_each_row_group_in_one_pass() {
        use std::sync::atomic::Ordering;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.parquet");
        write(&path);
        let mut p = Replay::open("p", &path).unwrap();
        let super::super::Source::Parquet { table, .. } = &mut p.source else {
            panic!("not read by rows");
        };
        // Windows of one row: seven reads, in two row groups of 4 and 3.
        table.window = 1;
        for i in 0..7 {
            assert_eq!(
                p.extract(&article(&format!("a{i}"))).unwrap().quotes.len(),
                1
            );
        }
        let super::super::Source::Parquet { table, .. } = &p.source else {
            unreachable!()
        };
        assert_eq!(table.groups.opened.load(Ordering::Relaxed), 2);
        // Backwards, with no window kept, each is read by a reader of its
        // own.
        table.kept.lock().unwrap().clear();
        for i in (0..7).rev() {
            assert_eq!(
                p.extract(&article(&format!("a{i}"))).unwrap().quotes.len(),
                1
            );
        }
        assert_eq!(table.groups.opened.load(Ordering::Relaxed), 2 + 7);
    }
}
