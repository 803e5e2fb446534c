//! Writes a JSON-lines corpus or replay as a Parquet file, for the
//! Parquet benchmark (benches/parquet.sh):
//! `cargo run --release --example to_parquet -- IN.jsonl OUT.parquet`.
//!
//! Every field becomes a string column: a string as it is, anything else
//! (`quotes`) as its JSON text, the form docs/corpus.md calls "a string
//! holding the row's quotes as JSON text". Lines are read and written
//! 8192 at a time, one row group each.

use std::io::{BufRead, BufReader};
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde_json::{Map, Value};

const ROWS: usize = 8192;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = &args[..] else {
        anyhow::bail!("usage: to_parquet IN.jsonl OUT.parquet");
    };
    let lines = || -> anyhow::Result<_> {
        Ok(BufReader::new(std::fs::File::open(input)?)
            .lines()
            .map(|l| Ok(serde_json::from_str::<Map<String, Value>>(&l?)?)))
    };
    // The columns: every key of any line, in first-seen order.
    let mut names: Vec<String> = Vec::new();
    for row in lines()? {
        let row: Map<String, Value> = row.map_err(|e: anyhow::Error| e)?;
        for k in row.keys() {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
    }
    let schema = Arc::new(Schema::new(
        names
            .iter()
            .map(|n| Field::new(n, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ));
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROWS))
        .build();
    let mut writer =
        ArrowWriter::try_new(std::fs::File::create(output)?, schema.clone(), Some(props))?;
    let mut chunk: Vec<Map<String, Value>> = Vec::with_capacity(ROWS);
    let mut flush = |chunk: &mut Vec<Map<String, Value>>| -> anyhow::Result<()> {
        let columns: Vec<ArrayRef> = names
            .iter()
            .map(|n| {
                let mut b = StringBuilder::new();
                for row in chunk.iter() {
                    match row.get(n) {
                        None | Some(Value::Null) => b.append_null(),
                        Some(Value::String(s)) => b.append_value(s),
                        Some(v) => b.append_value(v.to_string()),
                    }
                }
                Arc::new(b.finish()) as ArrayRef
            })
            .collect();
        writer.write(&RecordBatch::try_new(schema.clone(), columns)?)?;
        chunk.clear();
        Ok(())
    };
    for row in lines()? {
        chunk.push(row?);
        if chunk.len() == ROWS {
            flush(&mut chunk)?;
        }
    }
    if !chunk.is_empty() {
        flush(&mut chunk)?;
    }
    writer.close()?;
    Ok(())
}
