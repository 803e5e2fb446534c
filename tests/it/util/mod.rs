//! Helpers shared by the integration tests, one file per job; the only
//! place they live. Test modules use them as `crate::util::…`, and
//! `tests/worker.rs`, a binary of its own, includes this folder by path, so
//! these files refer to each other with `super::`, never `crate::`.
//!
//! - [`dir`]: temporary folders and the repository's root;
//! - [`bin`]: running the real binary with a clean environment;
//! - [`corpus`]: corpora, replays and reports that tests build or compare;
//! - [`articles`]: proptest strategies for texts and scored articles;
//! - [`docs`]: the example sessions of a documentation page;
//! - [`need`]: what a test needs from the machine (Python, Chromium, …);
//! - [`http_server`]: a local HTTP/1.1 server answering by a handler;
//! - [`chat_server`]: a mock OpenAI-compatible chat server on it.

// Each binary uses a part of them.
#![allow(dead_code, unused_imports)]

pub mod articles;
pub mod bin;
pub mod chat_server;
pub mod corpus;
pub mod dir;
pub mod docs;
pub mod http_server;
pub mod need;
#[cfg(feature = "parquet")]
pub mod parquet;

pub use corpus::{cp, gen, replay_of_corpus};
pub use dir::{repo, Dir};
