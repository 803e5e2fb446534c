//! Resolving gold and prediction records from parsed JSON.
//!
//! Records are read from `serde_json::Value` rather than derived structs so
//! that every problem in a file is reported in one pass, each with the JSON
//! path of the offending value, instead of stopping at the first one.
//!
//! In front of them, [`fast`] reads the common case — a line or output
//! without a single issue — into borrowed, typed structs instead, and
//! steps aside for anything else.
//!
//! [`diagnostics`] collects those problems; [`spans`] locates the spans
//! both kinds of record share; [`gold`] and [`predictions`] hold each
//! kind's rules. Nothing here reads files: the readers give the JSON and
//! say where it came from.

mod diagnostics;
mod fast;
mod gold;
mod ignore;
pub mod json;
mod predictions;
mod spans;

pub use diagnostics::json_error_message;
pub(crate) use diagnostics::{cut, show, Diagnostics, Place};
pub(crate) use fast::{
    gold_line as fast_gold_line, gold_row as fast_gold_row, output as fast_output,
    output_row as fast_output_row, FastLine,
};
pub(crate) use gold::resolve_gold;
pub use predictions::{resolve_output, PredictionSet};

pub(crate) use diagnostics::excerpt;
