//! The Parquet layout: one article a row, the columns named as the fields
//! of a JSON-lines line (docs/corpus.md, "One Parquet file").
//!
//! A row becomes the JSON object its line would be, and from there the
//! JSON-lines rules apply unchanged ([`super::jsonl::parse_object`]), so a
//! corpus gives the same articles and issues in either layout. Nested
//! columns (lists, structs) become JSON arrays and objects; a string
//! `quotes` column holds each row's quotes as JSON text. A null column
//! value is an absent field, except in `id` and `text`, where it is
//! reported; a null inside a struct is a JSON `null`.
//!
//! The file is read a record batch at a time ([`BATCH_ROWS`] rows), never
//! whole: memory is one batch and the row group the reader decodes it from.
//! The same reader gives replays their rows (`extract::replay`).

use std::path::Path;

use serde_json::{Map, Value};

use super::parse::{parse_json, too_large};
use super::stream::{Parsed, Unparsed};
use super::Item;
use crate::corpus::issue::{Issue, Severity};

/// Rows decoded at a time: small enough that a batch of long articles
/// stays small, large enough that decoding is not per row.
#[cfg(feature = "parquet")]
pub const BATCH_ROWS: usize = 256;

/// Whether `path` names a Parquet file.
pub fn is_parquet(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".parquet"))
}

/// One thing read from a Parquet file.
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub enum Row {
    /// A row as the JSON object of its line; `number` counts from 1.
    Fields {
        /// The row number, from 1.
        number: usize,
        /// The row's non-null columns, and `id`/`text` even when null.
        fields: Map<String, Value>,
    },
    /// The file cannot be read further: this issue ends it.
    End(Box<Issue>),
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
            Row::Fields { number, fields } => Some(Unparsed::Row {
                display,
                row: number,
                fields,
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

/// Parses one row of a Parquet corpus: its `quotes` from JSON text if it
/// is a string, its text against the size limit, then the JSON-lines
/// rules.
pub(super) fn parse_row(display: &str, row: usize, mut fields: Map<String, Value>) -> Parsed {
    let label = match fields.get("id") {
        Some(Value::String(id)) => id.clone(),
        _ => format!("row {row}"),
    };
    let broken = |issue: Issue| {
        Parsed::Final(Some(Box::new(Item::Broken {
            id: label.clone(),
            issues: vec![issue],
        })))
    };
    let limit = super::limits::ReadLimits::current().max_article_bytes;
    if let Some(Value::String(text)) = fields.get("text") {
        if text.len() as u64 > limit {
            let what = format!("the text of row {row} is {} bytes", text.len());
            return broken(too_large(display, &what, limit).line(row).article(&label));
        }
    }
    if let Some(parsed) = super::jsonl::fast_row(row, &fields) {
        return parsed;
    }
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

    use arrow_array::cast::AsArray;
    use arrow_array::types::{
        Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type,
        UInt32Type, UInt64Type, UInt8Type,
    };
    use arrow_array::{Array, RecordBatch};
    use arrow_schema::{DataType, Schema};
    use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
    use serde_json::{Map, Number, Value};

    use super::{file_issue, Row, BATCH_ROWS};
    use crate::corpus::issue::Issue;

    const CORRUPT: &str = "check that the file is a whole Parquet file (an interrupted copy or write leaves it cut short), or write it again";

    pub struct Batches {
        display: String,
        reader: ParquetRecordBatchReader,
        names: Vec<String>,
        batch: Option<RecordBatch>,
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
            let names = builder
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect();
            let reader = builder.with_batch_size(BATCH_ROWS).build().map_err(|e| {
                file_issue(
                    display,
                    format!("not a readable Parquet file: {e}"),
                    CORRUPT,
                )
            })?;
            Ok(Batches {
                display: display.to_string(),
                reader,
                names,
                batch: None,
                at: 0,
                before: 0,
            })
        }

        pub fn next_row(&mut self) -> Result<Option<Row>, Box<Issue>> {
            loop {
                if let Some(batch) = &self.batch {
                    if self.at < batch.num_rows() {
                        let i = self.at;
                        self.at += 1;
                        let mut fields = Map::new();
                        for (name, column) in self.names.iter().zip(batch.columns()) {
                            let value = value(column.as_ref(), i);
                            if !value.is_null() || name == "id" || name == "text" {
                                fields.insert(name.clone(), value);
                            }
                        }
                        return Ok(Some(Row::Fields {
                            number: self.before + i + 1,
                            fields,
                        }));
                    }
                    self.before += batch.num_rows();
                    self.batch = None;
                }
                let reader = &mut self.reader;
                match guard(|| Ok(reader.next().transpose()?)).transpose() {
                    None => return Ok(None),
                    Some(Ok(batch)) => {
                        self.batch = Some(batch);
                        self.at = 0;
                    }
                    Some(Err(e)) => {
                        let mut issue = file_issue(
                            &self.display,
                            format!(
                                "cannot decode the rows after row {}: {e}; the rest of the file is not read",
                                self.before
                            ),
                            CORRUPT,
                        );
                        issue.line = Some(self.before + 1);
                        return Err(issue);
                    }
                }
            }
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
    fn value(a: &dyn Array, i: usize) -> Value {
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
