//! The integration tests: one binary, one module per area, so that a change
//! to the library links one test binary instead of one per file (as
//! rust-analyzer and cargo do). Run one area with
//! `cargo test --test it run_corpus::`, one test by its name.
//!
//! Shared helpers and proptest strategies live in [`util`], and nowhere
//! else; a module reaches them as `crate::util`.
//!
//! Only `tests/worker.rs` stands alone: one of its tests bounds the peak
//! memory of its own process (`VmHWM`) while a worker floods it, and the
//! other tests of this binary, running in parallel threads of the same
//! process, would raise that peak. Everything else belongs here, the slow
//! textacy tests included: they keep no process-wide state, and here their
//! spaCy runs overlap with the other tests instead of adding a binary that
//! runs after them.

mod util;

mod baseline;
mod baseline_corpus;
mod baseline_languages;
mod chat;
mod chat_llama;
mod ci_docs;
mod compare_stats;
mod config;
mod corpus_props;
mod curate;
mod diff_cmd;
mod docs_examples;
mod fidelity;
mod gates;
mod gen;
mod gold_corpus;
mod grades;
mod hostile_input;
mod hostile_output;
mod html;
mod http;
mod ids;
mod ignored_regions;
mod import;
mod import_corpora;
mod import_pdnc;
mod import_write;
mod limits;
mod many_broken;
mod many_failures;
mod no_panic_props;
mod nothing_scored;
mod oracle;
#[cfg(feature = "parquet")]
mod parquet;
mod pipeline;
mod predictions;
mod python_package;
mod ray;
mod render;
mod repeats;
mod run_corpus;
mod run_replay;
mod score_props;
mod scoring;
mod shard;
mod snapshots_cycle;
mod streams;
mod textacy;
mod unavailable;
mod validate;
