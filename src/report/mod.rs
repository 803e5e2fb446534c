//! Reports: the forms a run's result is shown in.
//!
//! Every report is made from a [`crate::run::RunResult`] and written to any
//! `Write`, so tests capture it. Reports never score: every figure they
//! print comes from [`crate::score`].

pub mod html;
pub mod json;
pub mod json_read;
pub mod json_result;
pub mod json_stream;
pub mod junit;
pub mod junit_stream;
pub mod markdown;
pub mod merge;
pub mod stability;
pub mod terminal;

/// A figure in [0, 1] with three decimals, as every text report prints it.
pub fn fmt3(x: f64) -> String {
    format!("{x:.3}")
}
