//! The Parquet layout: one article a row, the columns named as the fields
//! of a JSON-lines line (docs/corpus.md, "One Parquet file").
//!
//! A row is first given to the typed fast path (`records::fast`) straight
//! from the Arrow arrays ([`de`]: strings borrowed from the column
//! buffers, no `serde_json::Value`). When that path declines, the row
//! becomes the JSON object its line would be, and from there the
//! JSON-lines rules apply unchanged ([`super::jsonl::parse_object`]), so a
//! corpus gives the same articles and issues in either layout. Nested
//! columns (lists, structs) become JSON arrays and objects; a string
//! `quotes` column holds each row's quotes as JSON text. A null column
//! value is an absent field, except in `id` and `text`, where it is
//! reported; a null inside a struct is a JSON `null`.
//!
//! The file is read a record batch at a time ([`BATCH_ROWS`] rows), never
//! whole, decoded a few batches ahead on a thread of its own: memory is
//! the batches not yet parsed and the row group the reader decodes them
//! from. The same reader indexes a replay
//! (`extract::replay`), which then reads its rows a row group at a time
//! ([`Groups`]).

use std::path::Path;

use serde_json::{Map, Value};

#[cfg(feature = "parquet")]
mod de;
#[cfg(all(test, feature = "parquet"))]
mod tests;
/// The Parquet writer of the integration tests, for these.
#[cfg(all(test, feature = "parquet"))]
#[path = "../../../tests/it/util/parquet.rs"]
#[allow(dead_code)]
mod writer;

use super::parse::{parse_json, too_large};
use super::stream::{Parsed, Unparsed};
use super::Item;
use crate::corpus::issue::{Issue, Severity};

/// Rows decoded at a time: small enough that a batch of long articles
/// stays small, large enough that decoding is not per row.
#[cfg(feature = "parquet")]
pub const BATCH_ROWS: usize = 256;

#[cfg(feature = "parquet")]
pub use imp::{Group, Groups};

/// Without the `parquet` feature no file is ever opened.
#[cfg(not(feature = "parquet"))]
pub enum Groups {}

/// Without the `parquet` feature no row group is ever read.
#[cfg(not(feature = "parquet"))]
pub enum Group {}

#[cfg(not(feature = "parquet"))]
impl Groups {
    pub fn open(_path: &Path) -> Result<Groups, String> {
        Err("this quotecheck was built without the `parquet` feature".into())
    }

    pub fn group_of(&self, _at: u64) -> Option<(usize, u64, u64)> {
        match *self {}
    }

    pub fn read(&self, _g: usize, _from: u64, _to: u64) -> Result<Group, String> {
        match *self {}
    }
}

#[cfg(not(feature = "parquet"))]
impl Group {
    pub fn row(&self, _at: u64) -> Option<RowRef> {
        match *self {}
    }
}

/// Whether `text` is JSON that [`crate::corpus::json::parse`] reads,
/// found without building its value: the same parser visits every token
/// the same way, and only the value is not kept.
pub fn is_json(text: &str) -> bool {
    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

    struct Check;

    impl<'de> Deserialize<'de> for Check {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Check, D::Error> {
            d.deserialize_any(Check)
        }
    }

    impl<'de> Visitor<'de> for Check {
        type Value = Check;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Check, E> {
            Ok(Check)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Check, E> {
            Ok(Check)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Check, E> {
            Ok(Check)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Check, E> {
            Ok(Check)
        }
        fn visit_str<E>(self, _: &str) -> Result<Check, E> {
            Ok(Check)
        }
        fn visit_unit<E>(self) -> Result<Check, E> {
            Ok(Check)
        }
        fn visit_none<E>(self) -> Result<Check, E> {
            Ok(Check)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Check, A::Error> {
            while seq.next_element::<Check>()?.is_some() {}
            Ok(Check)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Check, A::Error> {
            while map.next_key::<Check>()?.is_some() {
                map.next_value::<Check>()?;
            }
            Ok(Check)
        }
    }

    let mut de = serde_json::Deserializer::from_str(text);
    Check::deserialize(&mut de).and_then(|_| de.end()).is_ok()
}

/// Whether `path` names a Parquet file.
pub fn is_parquet(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".parquet"))
}

/// One thing read from a Parquet file.
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub enum Row {
    /// A row; `number` counts from 1.
    Fields {
        /// The row number, from 1.
        number: usize,
        /// The row, in the record batch it was decoded in.
        row: RowRef,
    },
    /// The file cannot be read further: this issue ends it.
    End(Box<Issue>),
}

/// One row of a record batch: the batch is shared, so holding a row
/// costs a count, not a copy.
#[cfg(feature = "parquet")]
#[derive(Clone)]
pub struct RowRef {
    batch: std::sync::Arc<de::Decoded>,
    i: usize,
}

/// Without the `parquet` feature no row is ever read.
#[cfg(not(feature = "parquet"))]
#[derive(Clone)]
pub enum RowRef {}

#[cfg(feature = "parquet")]
impl RowRef {
    /// The batch's columns with their fields, in schema order.
    fn columns(&self) -> impl Iterator<Item = (&arrow_schema::FieldRef, &arrow_array::ArrayRef)> {
        let batch = &self.batch.batch;
        batch.schema_ref().fields().iter().zip(batch.columns())
    }

    /// The row as the JSON object of its line: its non-null columns, and
    /// `id`/`text` even when null (of two columns of one name, the last).
    pub fn fields(&self) -> Map<String, Value> {
        let mut fields = Map::new();
        for (f, column) in self.columns() {
            let value = imp::value(column.as_ref(), self.i);
            if !value.is_null() || de::kept_when_null(f.name()) {
                fields.insert(f.name().clone(), value);
            }
        }
        fields
    }

    /// The row as a deserializer of the object [`fields`](Self::fields)
    /// gives, borrowing the strings from the batch.
    pub(crate) fn de(&self) -> de::RowDe<'_> {
        de::RowDe {
            batch: &self.batch,
            i: self.i,
        }
    }

    /// The string that [`fields`](Self::fields) would hold as `name`, if
    /// it holds a string there.
    pub fn str(&self, name: &str) -> Option<&str> {
        let mut found = None;
        for (f, column) in self.columns() {
            if f.name() != name {
                continue;
            }
            let cell = de::Cell {
                array: column.as_ref(),
                i: self.i,
            };
            if !de::is_json_null(cell.array, cell.i) || de::kept_when_null(name) {
                found = Some(cell);
            }
        }
        found?.str()
    }

    /// At least the length of the row's JSON line (its object with a
    /// string `quotes` parsed and written back, as a replay reads it),
    /// found from the lengths of its strings without writing it; `None`
    /// for a column of a type with no JSON value.
    pub fn json_len_bound(&self) -> Option<u64> {
        let mut n = 2u64;
        for (f, column) in self.columns() {
            let a = column.as_ref();
            if de::is_json_null(a, self.i) && !de::kept_when_null(f.name()) {
                continue;
            }
            // A string `quotes` is JSON text written back: a number such
            // as `1e15` grows to `1000000000000000.0`, under 8 bytes a byte.
            let grows = if f.name() == "quotes" { 8 } else { 6 };
            n += key_bound(f.name()) + json_bound(a, self.i, grows)?;
        }
        Some(n)
    }
}

#[cfg(feature = "parquet")]
impl RowRef {
    /// At least the length of the JSON line of any row of this row's
    /// record batch, as [`json_len_bound`](Self::json_len_bound) counts
    /// it, found from the sizes of the batch's arrays without visiting
    /// their values: when it is under a limit, so is every row.
    pub fn batch_json_len_bound(&self) -> Option<u64> {
        let mut n = 2u64;
        for (f, column) in self.columns() {
            let grows = if f.name() == "quotes" { 8 } else { 6 };
            n += key_bound(f.name()) + array_bound(column.as_ref(), grows)?;
        }
        Some(n)
    }
}

/// At least the sum over the values of `a` of [`json_bound`]: what all of
/// them take as JSON, from the lengths of the arrays and of their string
/// buffers.
#[cfg(feature = "parquet")]
fn array_bound(a: &dyn arrow_array::Array, grows: u64) -> Option<u64> {
    use arrow_array::cast::AsArray;
    use arrow_schema::DataType::*;
    let len = a.len() as u64;
    // A null is 4 bytes, and a string's quotes 2: 4 a value covers both.
    Some(match a.data_type() {
        Null => 4 * len,
        Utf8 => grows * a.as_string::<i32>().values().len() as u64 + 4 * len,
        LargeUtf8 => grows * a.as_string::<i64>().values().len() as u64 + 4 * len,
        Utf8View => {
            let v = a.as_string_view();
            let longest: u64 = v.views().iter().map(|view| u64::from(*view as u32)).sum();
            grows * longest + 4 * len
        }
        Boolean => 5 * len,
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 => 20 * len,
        Float32 | Float64 => 24 * len,
        // Brackets or null, and a comma an item.
        List(_) => {
            let values = a.as_list::<i32>().values();
            4 * len + values.len() as u64 + array_bound(values.as_ref(), 6)?
        }
        LargeList(_) => {
            let values = a.as_list::<i64>().values();
            4 * len + values.len() as u64 + array_bound(values.as_ref(), 6)?
        }
        Struct(fields) => {
            let keys: u64 = fields.iter().map(|f| key_bound(f.name())).sum();
            let mut n = (4 + keys) * len;
            for column in a.as_struct().columns() {
                n += array_bound(column.as_ref(), 6)?;
            }
            n
        }
        _ => return None,
    })
}

/// At least the bytes of a JSON key and what follows it: its escapes (6
/// bytes a byte at most), its quotes, the colon and the comma.
#[cfg(feature = "parquet")]
fn key_bound(name: &str) -> u64 {
    6 * name.len() as u64 + 4
}

/// At least the bytes of the JSON value of row `i` of `a`, its strings
/// written back at most `grows` bytes a byte; `None` for a type with no
/// JSON value.
#[cfg(feature = "parquet")]
fn json_bound(a: &dyn arrow_array::Array, i: usize, grows: u64) -> Option<u64> {
    use arrow_array::cast::AsArray;
    use arrow_schema::DataType::*;
    if de::is_json_null(a, i) {
        return Some(4);
    }
    // The items of a list, by the offsets of row `i` into its values,
    // without slicing the arrays.
    let items = |values: &dyn arrow_array::Array, from: usize, to: usize| -> Option<u64> {
        (from..to).try_fold(2, |n, j| Some(n + 1 + json_bound(values, j, 6)?))
    };
    Some(match a.data_type() {
        Utf8 | LargeUtf8 | Utf8View => {
            let len = de::Cell { array: a, i }.str().map_or(0, str::len) as u64;
            grows * len + 2
        }
        Boolean => 5,
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 => 20,
        // The longest `f64` serde_json writes (`-1.7976931348623157e308`).
        Float32 | Float64 => 24,
        List(_) => {
            let l = a.as_list::<i32>();
            let o = l.value_offsets();
            items(l.values().as_ref(), o[i] as usize, o[i + 1] as usize)?
        }
        LargeList(_) => {
            let l = a.as_list::<i64>();
            let o = l.value_offsets();
            items(l.values().as_ref(), o[i] as usize, o[i + 1] as usize)?
        }
        Struct(fields) => {
            let s = a.as_struct();
            let mut n = 2;
            for (f, column) in fields.iter().zip(s.columns()) {
                n += key_bound(f.name()) + json_bound(column.as_ref(), i, 6)?;
            }
            n
        }
        _ => return None,
    })
}

#[cfg(not(feature = "parquet"))]
impl RowRef {
    pub fn fields(&self) -> Map<String, Value> {
        match *self {}
    }

    pub(crate) fn de(&self) -> Value {
        match *self {}
    }

    pub fn str(&self, _name: &str) -> Option<&str> {
        match *self {}
    }

    pub fn json_len_bound(&self) -> Option<u64> {
        match *self {}
    }

    pub fn batch_json_len_bound(&self) -> Option<u64> {
        match *self {}
    }
}

/// The rows of a Parquet file, a record batch at a time.
pub struct Rows {
    #[cfg(feature = "parquet")]
    inner: Option<imp::Batches>,
    pending: Option<Box<Issue>>,
}

impl Rows {
    /// Opens the file at `path` and checks that it has each of `required`
    /// columns as strings; any problem is the first and only row.
    pub fn open(path: &Path, display: &str, required: &[&str]) -> Rows {
        #[cfg(feature = "parquet")]
        {
            match imp::Batches::open(path, display, required) {
                Ok(b) => Rows {
                    inner: Some(b),
                    pending: None,
                },
                Err(issue) => Rows {
                    inner: None,
                    pending: Some(issue),
                },
            }
        }
        #[cfg(not(feature = "parquet"))]
        {
            let _ = (path, required);
            Rows {
                pending: Some(Box::new(
                    Issue::new(
                        Severity::Error,
                        "unreadable",
                        display,
                        "this quotecheck was built without the `parquet` feature, so it does not read Parquet files",
                    )
                    .hint("build it with the default features, or convert the file to JSON lines"),
                )),
            }
        }
    }

    /// The next row, or the issue that ends the file; `None` at the end.
    pub fn next_row(&mut self) -> Option<Row> {
        if let Some(issue) = self.pending.take() {
            return Some(Row::End(issue));
        }
        #[cfg(feature = "parquet")]
        {
            let inner = self.inner.as_mut()?;
            match inner.next_row() {
                Ok(Some(row)) => Some(row),
                Ok(None) => {
                    self.inner = None;
                    None
                }
                Err(issue) => {
                    self.inner = None;
                    Some(Row::End(issue))
                }
            }
        }
        #[cfg(not(feature = "parquet"))]
        None
    }
}

/// The rows of a Parquet corpus, as the corpus reader reads them.
pub(super) struct CorpusRows {
    rows: Rows,
}

impl CorpusRows {
    pub fn open(path: &Path, display: &str) -> CorpusRows {
        CorpusRows {
            rows: Rows::open(path, display, &["id", "text"]),
        }
    }

    /// The next row to parse, or the item of the error that ends the file.
    pub fn next<'c>(&mut self, display: &'c str) -> Option<Unparsed<'c>> {
        match self.rows.next_row()? {
            Row::Fields { number, row } => Some(Unparsed::Row {
                display,
                row: number,
                data: row,
            }),
            Row::End(issue) => Some(Unparsed::Ready(Item::Broken {
                id: issue
                    .line
                    .map_or_else(|| "the file".to_string(), |n| format!("row {n}")),
                issues: vec![*issue],
            })),
        }
    }
}

/// Parses one row of a Parquet corpus: its text against the size limit,
/// then the fast path from the Arrow arrays, else its `quotes` from JSON
/// text if it is a string and the JSON-lines rules.
pub(super) fn parse_row(display: &str, row: usize, data: RowRef) -> Parsed {
    parse_row_with(display, row, data, true)
}

/// [`parse_row`], trying the fast path first when `fast` is set (the
/// tests compare both).
pub(super) fn parse_row_with(display: &str, row: usize, data: RowRef, fast: bool) -> Parsed {
    let label = match data.str("id") {
        Some(id) => id.to_string(),
        None => format!("row {row}"),
    };
    let limit = super::limits::ReadLimits::current().max_article_bytes;
    if let Some(text) = data.str("text") {
        if text.len() as u64 > limit {
            let what = format!("the text of row {row} is {} bytes", text.len());
            let issue = too_large(display, &what, limit).line(row).article(&label);
            return Parsed::Final(Some(Box::new(Item::Broken {
                id: label,
                issues: vec![issue],
            })));
        }
    }
    if fast {
        if let Some(parsed) = fast_row(row, &data) {
            return parsed;
        }
    }
    parse_fields(display, row, label, data.fields())
}

fn fast_row(row: usize, data: &RowRef) -> Option<Parsed> {
    super::jsonl::fast_row(row, data.de())
}

/// The checked path of a row, from the object of its line.
fn parse_fields(
    display: &str,
    row: usize,
    label: String,
    mut fields: Map<String, Value>,
) -> Parsed {
    let broken = |issue: Issue| {
        Parsed::Final(Some(Box::new(Item::Broken {
            id: label.clone(),
            issues: vec![issue],
        })))
    };
    let mut dups = Vec::new();
    if let Some(Value::String(json)) = fields.get("quotes") {
        match parse_json(json, display, Some(&label), Some(row)) {
            Ok((value, found)) => {
                fields.insert("quotes".into(), value);
                dups = found
                    .into_iter()
                    .map(|mut d| {
                        d.path = nested_path("quotes", &d.path);
                        d
                    })
                    .collect();
            }
            Err(mut issue) => {
                issue.message = format!(
                    "the `quotes` of row {row} are not JSON: {} (column {} of the string)",
                    issue.message,
                    issue.column.unwrap_or(0)
                );
                issue.column = None;
                issue.hint = Some("a string `quotes` column holds each row's quotes as JSON text, as in a JSON-lines line; fix or re-export the row".into());
                return broken(*issue);
            }
        }
    }
    super::jsonl::parse_object(
        display,
        row,
        format!("row {row}"),
        Value::Object(fields),
        dups,
    )
}

/// The path of `inner` (a path inside the value of `field`) from the row.
fn nested_path(field: &str, inner: &str) -> String {
    if inner.is_empty() {
        field.to_string()
    } else if inner.starts_with('[') {
        format!("{field}{inner}")
    } else {
        format!("{field}.{inner}")
    }
}

/// A whole-file problem: the file, and what to do.
#[cfg(feature = "parquet")]
fn file_issue(display: &str, message: String, hint: &str) -> Box<Issue> {
    Box::new(Issue::new(Severity::Error, "unreadable", display, message).hint(hint))
}

#[cfg(feature = "parquet")]
mod imp {
    //! The arrow-rs reader and the conversion of Arrow values to JSON.

    use std::fs::File;
    use std::path::Path;
    use std::sync::mpsc::{sync_channel, Receiver};
    use std::sync::{Arc, Mutex};

    use arrow_array::cast::AsArray;
    use arrow_array::types::{
        Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type,
        UInt32Type, UInt64Type, UInt8Type,
    };
    use arrow_array::{Array, RecordBatch};
    use arrow_schema::{DataType, Schema};
    use parquet::arrow::arrow_reader::{
        ArrowReaderMetadata, ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder,
        RowSelection, RowSelector,
    };
    use serde_json::{Number, Value};

    use super::de::Decoded;
    use super::{file_issue, Row, RowRef, BATCH_ROWS};
    use crate::corpus::issue::Issue;

    const CORRUPT: &str = "check that the file is a whole Parquet file (an interrupted copy or write leaves it cut short), or write it again";

    /// What to do about a decoding error `e`: a codec this build does not
    /// read (LZO) is not a damaged file.
    pub(super) fn hint_for(e: &str) -> &'static str {
        if e.contains("codec") {
            "the file is compressed with a codec quotecheck does not read: write it again with snappy, zstd, LZ4, gzip, brotli or none"
        } else {
            CORRUPT
        }
    }

    /// Record batches decoded ahead of the one being read: decoding runs
    /// on a thread of its own while the articles before are parsed and
    /// scored, and memory stays a few batches.
    const AHEAD: usize = 2;

    pub struct Batches {
        display: String,
        /// The batches, from the thread that decodes them, then `None`; a
        /// decoding error ends them.
        decoded: Receiver<Result<Option<Decoded>, String>>,
        batch: Option<Arc<Decoded>>,
        /// The next row of `batch`, and the rows before `batch`.
        at: usize,
        before: usize,
    }

    impl Batches {
        pub fn open(path: &Path, display: &str, required: &[&str]) -> Result<Batches, Box<Issue>> {
            let file = File::open(path).map_err(|e| {
                file_issue(
                    display,
                    format!("cannot read the file: {e}"),
                    "check the path and its permissions",
                )
            })?;
            let builder =
                guard(|| Ok(ParquetRecordBatchReaderBuilder::try_new(file)?)).map_err(|e| {
                    file_issue(
                        display,
                        format!("not a readable Parquet file: {e}"),
                        CORRUPT,
                    )
                })?;
            check_schema(builder.schema(), display, required)?;
            let reader = builder.with_batch_size(BATCH_ROWS).build().map_err(|e| {
                file_issue(
                    display,
                    format!("not a readable Parquet file: {e}"),
                    CORRUPT,
                )
            })?;
            let (send, decoded) = sync_channel(AHEAD);
            let decode = move || {
                let mut reader = reader;
                loop {
                    // The columns' types are resolved here too, off the
                    // reading thread.
                    let next = guard(|| Ok(reader.next().transpose()?))
                        .map(|batch| batch.map(Decoded::new))
                        .map_err(|e| e.to_string());
                    let last = !matches!(next, Ok(Some(_)));
                    // The reader has stopped reading: so does this.
                    if send.send(next).is_err() || last {
                        return;
                    }
                }
            };
            std::thread::Builder::new()
                .name("parquet-decode".into())
                .spawn(decode)
                .map_err(|e| {
                    file_issue(
                        display,
                        format!("cannot start the thread that decodes the file: {e}"),
                        "the system is out of threads or memory: run fewer processes at once",
                    )
                })?;
            Ok(Batches {
                display: display.to_string(),
                decoded,
                batch: None,
                at: 0,
                before: 0,
            })
        }

        pub fn next_row(&mut self) -> Result<Option<Row>, Box<Issue>> {
            loop {
                if let Some(batch) = &self.batch {
                    if self.at < batch.batch.num_rows() {
                        let i = self.at;
                        self.at += 1;
                        return Ok(Some(Row::Fields {
                            number: self.before + i + 1,
                            row: RowRef {
                                batch: Arc::clone(batch),
                                i,
                            },
                        }));
                    }
                    self.before += batch.batch.num_rows();
                    self.batch = None;
                }
                // A thread that stopped without saying so is an error, not
                // the end of the file.
                let next = self.decoded.recv().unwrap_or_else(|_| {
                    Err("the thread that decodes the file stopped".to_string())
                });
                match next {
                    Ok(None) => return Ok(None),
                    Ok(Some(batch)) => {
                        self.batch = Some(Arc::new(batch));
                        self.at = 0;
                    }
                    Err(e) => {
                        let mut issue = file_issue(
                            &self.display,
                            format!(
                                "cannot decode the rows after row {}: {e}; the rest of the file is not read",
                                self.before
                            ),
                            hint_for(&e),
                        );
                        issue.line = Some(self.before + 1);
                        return Err(issue);
                    }
                }
            }
        }
    }

    /// A Parquet file read by row number, some rows of a row group at a
    /// time: how a replay reads the rows it indexed.
    pub struct Groups {
        file: File,
        metadata: ArrowReaderMetadata,
        /// The first row of each row group, and the number of rows after
        /// the last.
        starts: Vec<u64>,
        /// Where the last read stopped, to go on from there.
        cursor: Mutex<Option<Box<Cursor>>>,
        /// Readers of a row group made so far.
        #[cfg(test)]
        pub opened: std::sync::atomic::AtomicUsize,
    }

    /// A reader of one row group from some row to the group's end, left
    /// where the last read stopped: rows read in order are decoded in one
    /// pass, not skipped again from the start of their group each time.
    struct Cursor {
        g: usize,
        /// The next row (of the file, from 0) it gives.
        at: u64,
        reader: ParquetRecordBatchReader,
        /// Rows decoded past the last read.
        pending: Option<RecordBatch>,
    }

    impl Cursor {
        /// The next `n` rows (fewer at the end of the group).
        fn take(&mut self, n: usize) -> Result<Vec<Arc<Decoded>>, ReadError> {
            let mut batches = Vec::new();
            let mut need = n;
            while need > 0 {
                let batch = match self.pending.take() {
                    Some(b) => b,
                    None => match self.reader.next() {
                        Some(b) => b?,
                        None => break,
                    },
                };
                let rows = batch.num_rows();
                if rows <= need {
                    need -= rows;
                    batches.push(Arc::new(Decoded::new(batch)));
                } else {
                    batches.push(Arc::new(Decoded::new(batch.slice(0, need))));
                    self.pending = Some(batch.slice(need, rows - need));
                    need = 0;
                }
            }
            self.at += (n - need) as u64;
            Ok(batches)
        }
    }

    /// Rows of one row group, decoded, in record batches of at most
    /// [`BATCH_ROWS`] rows.
    pub struct Group {
        first: u64,
        batches: Vec<Arc<Decoded>>,
    }

    impl Group {
        /// Row `at` of the file, if it is in this group.
        pub fn row(&self, at: u64) -> Option<RowRef> {
            let mut i = usize::try_from(at.checked_sub(self.first)?).ok()?;
            for batch in &self.batches {
                if i < batch.batch.num_rows() {
                    return Some(RowRef {
                        batch: Arc::clone(batch),
                        i,
                    });
                }
                i -= batch.batch.num_rows();
            }
            None
        }
    }

    impl Groups {
        /// Opens the file at `path` again, for rows that were read once.
        pub fn open(path: &Path) -> Result<Groups, String> {
            let file = File::open(path).map_err(|e| e.to_string())?;
            let metadata = guard(|| Ok(ArrowReaderMetadata::load(&file, Default::default())?))
                .map_err(|e| e.to_string())?;
            let mut starts = vec![0u64];
            for g in metadata.metadata().row_groups() {
                let last = *starts.last().expect("not empty");
                starts.push(last + u64::try_from(g.num_rows()).unwrap_or(0));
            }
            Ok(Groups {
                file,
                metadata,
                starts,
                cursor: Mutex::new(None),
                #[cfg(test)]
                opened: Default::default(),
            })
        }

        /// The row group that holds row `at` (from 0), and the first row
        /// of the next one.
        pub fn group_of(&self, at: u64) -> Option<(usize, u64, u64)> {
            let g = self.starts.partition_point(|&s| s <= at);
            (g > 0 && g < self.starts.len()).then(|| (g - 1, self.starts[g - 1], self.starts[g]))
        }

        /// Decodes rows `from..to` (of the file, from 0) of row group `g`,
        /// which holds them: from where the last read stopped when it
        /// stopped at `from`, else from a reader of the group that skips
        /// the pages before `from` by their headers, not decompressed,
        /// where the column allows.
        pub fn read(&self, g: usize, from: u64, to: u64) -> Result<Group, String> {
            let take = usize::try_from(to - from).map_err(|e| e.to_string())?;
            let mut cursor = self.cursor.lock().unwrap_or_else(|e| e.into_inner());
            let step = || -> Result<Vec<Arc<Decoded>>, ReadError> {
                if !cursor.as_ref().is_some_and(|c| c.g == g && c.at == from) {
                    *cursor = None;
                    let skip = usize::try_from(from - self.starts[g])
                        .map_err(|e| ReadError(e.to_string()))?;
                    let rest = usize::try_from(self.starts[g + 1] - from)
                        .map_err(|e| ReadError(e.to_string()))?;
                    let file = self
                        .file
                        .try_clone()
                        .map_err(|e| ReadError(e.to_string()))?;
                    let selection = RowSelection::from(vec![
                        RowSelector::skip(skip),
                        RowSelector::select(rest),
                    ]);
                    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(
                        file,
                        self.metadata.clone(),
                    )
                    .with_row_groups(vec![g])
                    .with_row_selection(selection)
                    .with_batch_size(BATCH_ROWS)
                    .build()?;
                    #[cfg(test)]
                    self.opened
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    *cursor = Some(Box::new(Cursor {
                        g,
                        at: from,
                        reader,
                        pending: None,
                    }));
                }
                cursor.as_mut().expect("just set").take(take)
            };
            let batches = guard(step).map_err(|e| e.to_string());
            if batches.is_err() {
                // A reader that failed part-way is not read on.
                *cursor = None;
            }
            Ok(Group {
                first: from,
                batches: batches?,
            })
        }
    }

    /// Runs a step of the Parquet reader, turning a panic into an error:
    /// the reader asserts some invariants of the file rather than checking
    /// them, and a corrupt file must be an error, not the end of the run.
    fn guard<T>(step: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "an inconsistent file".into());
            Err(ReadError(what))
        })
    }

    /// An error of the reader, as text.
    struct ReadError(String);

    impl From<parquet::errors::ParquetError> for ReadError {
        fn from(e: parquet::errors::ParquetError) -> Self {
            ReadError(e.to_string())
        }
    }

    impl From<arrow_schema::ArrowError> for ReadError {
        fn from(e: arrow_schema::ArrowError) -> Self {
            ReadError(e.to_string())
        }
    }

    impl std::fmt::Display for ReadError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }

    /// The required columns are strings; every column has a type that
    /// has a JSON value.
    fn check_schema(schema: &Schema, display: &str, required: &[&str]) -> Result<(), Box<Issue>> {
        for name in required {
            match schema.field_with_name(name) {
                Err(_) => {
                    return Err(file_issue(
                        display,
                        format!("the file has no `{name}` column"),
                        &format!(
                            "a Parquet corpus or replay needs the columns {} (strings), named as the fields of a JSON-lines line",
                            required.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                        ),
                    ))
                }
                Ok(f) if !is_string(f.data_type()) => {
                    return Err(file_issue(
                        display,
                        format!("the `{name}` column is of type {}, not a string", f.data_type()),
                        "write the column as UTF-8 strings (Arrow utf8)",
                    ))
                }
                Ok(_) => {}
            }
        }
        for f in schema.fields() {
            if !supported(f.data_type()) {
                return Err(file_issue(
                    display,
                    format!(
                        "the `{}` column is of type {}, which has no JSON value here",
                        f.name(),
                        f.data_type()
                    ),
                    "columns may be strings, booleans, integers, floats, lists and structs of them: cast the column or drop it",
                ));
            }
        }
        Ok(())
    }

    fn is_string(t: &DataType) -> bool {
        matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
    }

    fn supported(t: &DataType) -> bool {
        use DataType::*;
        match t {
            Null | Boolean | Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64
            | Float32 | Float64 => true,
            Utf8 | LargeUtf8 | Utf8View => true,
            List(f) | LargeList(f) => supported(f.data_type()),
            Struct(fields) => fields.iter().all(|f| supported(f.data_type())),
            _ => false,
        }
    }

    fn float(x: f64) -> Value {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }

    /// The JSON value of row `i` of `a`, whose type [`supported`] accepts.
    pub(super) fn value(a: &dyn Array, i: usize) -> Value {
        use DataType::*;
        if a.is_null(i) {
            return Value::Null;
        }
        match a.data_type() {
            Utf8 => Value::String(a.as_string::<i32>().value(i).to_string()),
            LargeUtf8 => Value::String(a.as_string::<i64>().value(i).to_string()),
            Utf8View => Value::String(a.as_string_view().value(i).to_string()),
            Boolean => Value::Bool(a.as_boolean().value(i)),
            Int8 => a.as_primitive::<Int8Type>().value(i).into(),
            Int16 => a.as_primitive::<Int16Type>().value(i).into(),
            Int32 => a.as_primitive::<Int32Type>().value(i).into(),
            Int64 => a.as_primitive::<Int64Type>().value(i).into(),
            UInt8 => a.as_primitive::<UInt8Type>().value(i).into(),
            UInt16 => a.as_primitive::<UInt16Type>().value(i).into(),
            UInt32 => a.as_primitive::<UInt32Type>().value(i).into(),
            UInt64 => a.as_primitive::<UInt64Type>().value(i).into(),
            Float32 => float(f64::from(a.as_primitive::<Float32Type>().value(i))),
            Float64 => float(a.as_primitive::<Float64Type>().value(i)),
            List(_) => list(a.as_list::<i32>().value(i).as_ref()),
            LargeList(_) => list(a.as_list::<i64>().value(i).as_ref()),
            Struct(_) => {
                let s = a.as_struct();
                let mut obj = serde_json::Map::new();
                for (name, column) in s.column_names().into_iter().zip(s.columns()) {
                    // A struct has every field in every row: a null one
                    // stays null, which the records read as absent where a
                    // field is optional (and `speaker: null` needs).
                    obj.insert(name.to_string(), value(column.as_ref(), i));
                }
                Value::Object(obj)
            }
            _ => Value::Null,
        }
    }

    fn list(items: &dyn Array) -> Value {
        Value::Array((0..items.len()).map(|j| value(items, j)).collect())
    }
}
