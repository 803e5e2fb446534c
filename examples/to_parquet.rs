//! Writes a JSON-lines corpus or replay as a Parquet file, for the
//! Parquet benchmark (benches/parquet.sh):
//! `cargo run --release --example to_parquet -- [--nested] [--uncompressed] IN.jsonl OUT.parquet`.
//!
//! By default every field becomes a string column: a string as it is,
//! anything else (`quotes`) as its JSON text, the form docs/corpus.md
//! calls "a string holding the row's quotes as JSON text". With
//! `--nested`, every field takes the Arrow type of its values (`quotes` a
//! list of structs, offsets integers), inferred over the whole file; a
//! `content` of one span is written as a list of one, as a content of
//! several spans is, so that the column has one type.
//! Lines are read and written 8192 at a time, one row group each,
//! compressed with snappy, or not at all with `--uncompressed`.

use std::io::{BufRead, BufReader};
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde_json::{Map, Value};

#[path = "../tests/it/util/parquet.rs"]
#[allow(dead_code)]
mod writer;

const ROWS: usize = 8192;

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut flag = |name: &str| match args.iter().position(|a| a == name) {
        Some(i) => {
            args.remove(i);
            true
        }
        None => false,
    };
    let nested = flag("--nested");
    let compression = if flag("--uncompressed") {
        Compression::UNCOMPRESSED
    } else {
        Compression::SNAPPY
    };
    let [input, output] = &args[..] else {
        anyhow::bail!("usage: to_parquet [--nested] [--uncompressed] IN.jsonl OUT.parquet");
    };
    let lines = || -> anyhow::Result<_> {
        Ok(BufReader::new(std::fs::File::open(input)?)
            .lines()
            .map(move |l| {
                let mut row = serde_json::from_str::<Map<String, Value>>(&l?)?;
                if nested {
                    one_type(&mut row);
                }
                Ok(row)
            }))
    };
    let chunks = || -> anyhow::Result<_> {
        let mut lines = lines()?;
        Ok(std::iter::from_fn(move || {
            let chunk: anyhow::Result<Vec<Map<String, Value>>> =
                lines.by_ref().take(ROWS).collect();
            match chunk {
                Ok(c) if c.is_empty() => None,
                c => Some(c),
            }
        }))
    };
    // The columns: every key of any line, in first-seen order, each with
    // the type of all its values.
    let mut names: Vec<String> = Vec::new();
    let mut types: Vec<DataType> = Vec::new();
    for chunk in chunks()? {
        let chunk = chunk?;
        for row in &chunk {
            for k in row.keys() {
                if !names.contains(k) {
                    names.push(k.clone());
                    types.push(DataType::Null);
                }
            }
        }
        if nested {
            for (n, t) in names.iter().zip(types.iter_mut()) {
                let values: Vec<Option<&Value>> = chunk.iter().map(|r| r.get(n)).collect();
                *t = writer::unify(t, &writer::infer(&values));
            }
        }
    }
    if !nested {
        types = vec![DataType::Utf8; names.len()];
    }
    let schema = Arc::new(Schema::new(
        names
            .iter()
            .zip(&types)
            .map(|(n, t)| Field::new(n, t.clone(), true))
            .collect::<Vec<_>>(),
    ));
    let props = WriterProperties::builder()
        .set_compression(compression)
        .set_max_row_group_row_count(Some(ROWS))
        .build();
    let mut writer =
        ArrowWriter::try_new(std::fs::File::create(output)?, schema.clone(), Some(props))?;
    for chunk in chunks()? {
        let chunk = chunk?;
        let columns: Vec<ArrayRef> = names
            .iter()
            .zip(&types)
            .map(|(n, t)| {
                let values: Vec<Option<Value>> = chunk
                    .iter()
                    .map(|row| match row.get(n) {
                        None | Some(Value::Null) => None,
                        Some(Value::String(s)) if !nested => Some(Value::String(s.clone())),
                        Some(v) if !nested => Some(Value::String(v.to_string())),
                        Some(v) => Some(v.clone()),
                    })
                    .collect();
                let refs: Vec<Option<&Value>> = values.iter().map(Option::as_ref).collect();
                writer::build(&refs, t)
            })
            .collect();
        writer.write(&RecordBatch::try_new(schema.clone(), columns)?)?;
    }
    writer.close()?;
    Ok(())
}

/// Writes each quote's `content` of one span as a list of one.
fn one_type(row: &mut Map<String, Value>) {
    let Some(Value::Array(quotes)) = row.get_mut("quotes") else {
        return;
    };
    for q in quotes {
        if let Some(c) = q.get_mut("content").filter(|c| c.is_object()) {
            *c = Value::Array(vec![c.take()]);
        }
    }
}
