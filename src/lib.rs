//! quotecheck verifies quote-attribution extractors against gold-standard corpora.
//!
//! The library is a one-way pipeline, one module per stage:
//! [`corpus`] (load, validate) → `extract` → [`align`] → [`score`] →
//! `snapshot` → `report` → `compare`. Each stage only uses the stages
//! before it. [`text`] holds the token rules every stage shares.
#![warn(missing_docs)]

pub mod align;
pub mod atomic;
pub mod cli;
pub mod compare;
pub mod config;
pub mod corpus;
pub mod curate;
pub mod extract;
pub mod gate;
pub mod gen;
pub mod report;
pub mod run;
pub mod score;
pub mod snapshot;
#[cfg(feature = "testing")]
pub mod testing;
pub mod text;

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The Rust examples of docs/extractors.md, compiled and run as doctests.
#[doc = include_str!("../docs/extractors.md")]
#[cfg(doctest)]
pub struct ExtractorsDoctests;
