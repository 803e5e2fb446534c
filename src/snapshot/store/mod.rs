//! Snapshot storage: accepted renderings on disk, compared with each run.
//!
//! The only part of [`crate::snapshot`] that touches files. An extractor's
//! snapshots live in `<root>/<extractor>/<article-id>.snap` (article ids
//! with `/` make sub-folders), in insta's `.snap` format, so that insta's
//! own tools read them:
//!
//! ```text
//! ---
//! source: quotecheck run
//! expression: mine on bbc-libya-us-talks
//! info:
//!   extractor: mine
//!   article: bbc-libya-us-talks
//!   scheme: "overlap:0.5"
//!   gold: "sha256:5e1f0c4a9b2d7e33"
//! ---
//! p@774 · matched q10
//!   at       @774-942
//!   …
//! ```
//!
//! The body is [`super::render_predictions`]: the extractor's predictions
//! with their verdicts. The header records the scheme the verdicts were
//! made under and a hash of the article's text and gold. A rendering that
//! differs from the accepted one is written beside it as `<…>.snap.new`
//! (*pending*) until it is accepted (renamed over the `.snap`) or rejected
//! (deleted).
//!
//! Every write goes to a temporary file in the same folder that is then
//! renamed into place, so a reader (or a run killed half-way) never sees
//! half a file; an accepted snapshot is replaced only by accepting or by
//! `always`. Commands that write take [`Store::lock`] first, so concurrent
//! runs on one folder wait for each other (the lock file `<root>/.lock`
//! exists only while it is held).
//!
//! One job per file: `policy` (what may be written), `file` (the format of
//! one file), `layout` (the folder: paths, reading, writing, listing),
//! `lock` (the folder's lock), `pending` (pending snapshots read for
//! review) and `check` (a run's renderings against the
//! stored ones). Everything is re-exported here.

mod check;
mod file;
mod layout;
mod lock;
mod pending;
mod policy;

pub use check::{
    Checker, ExtractorSnapshots, Outcome, SnapshotReport, SnapshotSettings, Unreferenced,
};
pub use file::{gold_hash, DamagedSnapshot, Info, ParseError, SnapshotFile};
pub use layout::{
    read_snapshot, write_atomically, AcceptError, Entry, SnapshotKind, Store, DEFAULT_ROOT, SNAP,
    SNAP_NEW,
};
pub use lock::{Lock, LOCK_FILE};
pub use pending::{select_pending, NoPending, PendingError, PendingSnapshot};
pub use policy::{is_ci, PolicyVariableError, UnknownPolicy, UnknownUpdate, Update, UpdatePolicy};
