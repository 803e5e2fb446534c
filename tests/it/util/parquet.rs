//! Writes JSON objects as a Parquet file, for the Parquet corpus and
//! replay tests: the column types are inferred from the values (objects
//! become structs, arrays lists), or a column is kept as JSON text.

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{Array, ArrayRef, ListArray, NullArray, RecordBatch, StructArray};
use arrow_schema::{DataType, Field, Fields, Schema};
use parquet::arrow::ArrowWriter;
pub use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

/// How one column is written.
#[derive(Clone, Copy, PartialEq)]
pub enum Form {
    /// Arrow types inferred from the values.
    Nested,
    /// The value's JSON text, a string column.
    Json,
}

/// Writes `rows` (JSON objects) to `path`: every key of any row is a
/// column, in first-seen order, null where a row lacks it; `json` columns
/// hold JSON text. Row groups of `group` rows.
pub fn write(path: &Path, rows: &[Value], json: &[&str], group: usize) {
    write_with(path, rows, json, group, Compression::UNCOMPRESSED)
}

/// [`write`], its pages compressed with `compression`.
pub fn write_with(
    path: &Path,
    rows: &[Value],
    json: &[&str],
    group: usize,
    compression: Compression,
) {
    let mut names: Vec<String> = Vec::new();
    for row in rows {
        for k in row.as_object().expect("rows are objects").keys() {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
    }
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for name in &names {
        let values: Vec<Option<Value>> = rows
            .iter()
            .map(|r| match r.get(name) {
                None | Some(Value::Null) => None,
                Some(v) if json.contains(&name.as_str()) => Some(Value::String(v.to_string())),
                Some(v) => Some(v.clone()),
            })
            .collect();
        let refs: Vec<Option<&Value>> = values.iter().map(Option::as_ref).collect();
        let t = infer(&refs);
        columns.push(build(&refs, &t));
        fields.push(Field::new(name, t, true));
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group))
        .set_compression(compression)
        .build();
    let mut writer = ArrowWriter::try_new(file, schema, Some(props)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

/// The Arrow type of a column of `values`; panics on mixed types, which
/// a test then writes as JSON text.
pub fn infer(values: &[Option<&Value>]) -> DataType {
    let mut t = DataType::Null;
    for v in values.iter().flatten() {
        let this = match v {
            Value::Null => continue,
            Value::Bool(_) => DataType::Boolean,
            Value::Number(n) if n.is_i64() => DataType::Int64,
            Value::Number(_) => DataType::Float64,
            Value::String(_) => DataType::Utf8,
            Value::Array(_) => DataType::List(Arc::new(Field::new("item", DataType::Null, true))),
            Value::Object(_) => DataType::Struct(Fields::empty()),
        };
        if t == DataType::Null {
            t = this;
        } else if std::mem::discriminant(&t) != std::mem::discriminant(&this) {
            panic!("mixed types in one column: {t} and {this}");
        }
    }
    match t {
        DataType::List(_) => {
            let items: Vec<Option<&Value>> = values
                .iter()
                .flatten()
                .filter_map(|v| v.as_array())
                .flat_map(|a| a.iter().map(Some))
                .collect();
            DataType::List(Arc::new(Field::new("item", infer(&items), true)))
        }
        DataType::Struct(_) => {
            let mut keys: Vec<&String> = Vec::new();
            for v in values.iter().flatten().filter_map(|v| v.as_object()) {
                for k in v.keys() {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
            }
            DataType::Struct(
                keys.into_iter()
                    .map(|k| {
                        let child: Vec<Option<&Value>> =
                            values.iter().map(|v| v.and_then(|v| v.get(k))).collect();
                        Field::new(k, infer(&child), true)
                    })
                    .collect(),
            )
        }
        t => t,
    }
}

/// The type that holds the values of both `a` and `b`, inferred from two
/// parts of one column: null gives way to the other, lists unify their
/// items, structs take the fields of both; panics on mixed types.
pub fn unify(a: &DataType, b: &DataType) -> DataType {
    match (a, b) {
        (DataType::Null, t) | (t, DataType::Null) => t.clone(),
        (DataType::List(x), DataType::List(y)) => DataType::List(Arc::new(Field::new(
            "item",
            unify(x.data_type(), y.data_type()),
            true,
        ))),
        (DataType::Struct(x), DataType::Struct(y)) => {
            let mut fields: Vec<Field> = x.iter().map(|f| f.as_ref().clone()).collect();
            for f in y.iter() {
                match fields.iter_mut().find(|g| g.name() == f.name()) {
                    Some(g) => *g = Field::new(f.name(), unify(g.data_type(), f.data_type()), true),
                    None => fields.push(f.as_ref().clone()),
                }
            }
            DataType::Struct(fields.into())
        }
        (x, y) if x == y => x.clone(),
        (x, y) => panic!("mixed types in one column: {x} and {y}"),
    }
}

/// The column of `values` as an array of type `t` (from [`infer`] or
/// [`unify`]).
pub fn build(values: &[Option<&Value>], t: &DataType) -> ArrayRef {
    let values: Vec<Option<&Value>> = values.iter().map(|v| v.filter(|v| !v.is_null())).collect();
    match t {
        DataType::Null => Arc::new(NullArray::new(values.len())),
        DataType::Boolean => {
            let mut b = BooleanBuilder::new();
            values
                .iter()
                .for_each(|v| b.append_option(v.and_then(Value::as_bool)));
            Arc::new(b.finish())
        }
        DataType::Int64 => {
            let mut b = Int64Builder::new();
            values
                .iter()
                .for_each(|v| b.append_option(v.and_then(Value::as_i64)));
            Arc::new(b.finish())
        }
        DataType::Float64 => {
            let mut b = Float64Builder::new();
            values
                .iter()
                .for_each(|v| b.append_option(v.and_then(Value::as_f64)));
            Arc::new(b.finish())
        }
        DataType::Utf8 => {
            let mut b = StringBuilder::new();
            values
                .iter()
                .for_each(|v| b.append_option(v.and_then(Value::as_str)));
            Arc::new(b.finish())
        }
        DataType::List(field) => {
            let mut items = Vec::new();
            let mut lengths = Vec::new();
            for v in &values {
                let a = v.and_then(Value::as_array);
                lengths.push(a.map_or(0, Vec::len));
                items.extend(a.into_iter().flatten().map(Some));
            }
            let child = build(&items, field.data_type());
            let nulls = values.iter().map(Option::is_some).collect::<Vec<_>>();
            Arc::new(
                ListArray::try_new(
                    field.clone(),
                    arrow_buffer::OffsetBuffer::from_lengths(lengths),
                    child,
                    Some(nulls.into()),
                )
                .unwrap(),
            )
        }
        DataType::Struct(fields) => {
            let children = fields
                .iter()
                .map(|f| {
                    let child: Vec<Option<&Value>> = values
                        .iter()
                        .map(|v| v.and_then(|v| v.get(f.name())))
                        .collect();
                    build(&child, f.data_type())
                })
                .collect();
            let nulls = values.iter().map(Option::is_some).collect::<Vec<_>>();
            let a = StructArray::try_new(fields.clone(), children, Some(nulls.into())).unwrap();
            assert_eq!(a.len(), values.len());
            Arc::new(a)
        }
        t => panic!("no writer for {t}"),
    }
}
