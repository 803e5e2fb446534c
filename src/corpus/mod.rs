//! Corpora: loading, validating, importing and exporting articles and their gold.
//!
//! This is the first stage of the pipeline. It owns the file formats of
//! corpus.md (folders, JSON-lines files, gold, prediction and replay
//! records) and turns them into resolved [`model`] records with byte
//! offsets. It knows nothing of extractors, matching or scores.

mod draft;
pub mod export;
mod id;
pub mod import;
mod issue;
pub mod model;
pub mod offsets;

pub use draft::draft_record;
pub use id::{check_hash_id, closest_ids, hash_id, ArticleId, Closest, UnsafeId};
pub use issue::{Issue, Severity};
pub use model::*;
pub use offsets::{OffsetError, OffsetIndex, OffsetUnit};
mod read;
mod records;
mod validate;
pub mod write;

pub use id::{did_you_mean, FindError, UnknownArticle};
/// The rows of a Parquet file, for Parquet replays.
pub(crate) use read::parquet;
pub use read::{limits, Batches, Corpus, CorpusError, Item};
pub(crate) use records::{fast_output, fast_output_row};
pub use records::{json, json_error_message, resolve_output, PredictionSet};
pub use validate::{validate, Validation};
