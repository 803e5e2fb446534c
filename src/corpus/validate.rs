//! `quotecheck validate`: every check of corpus.md over a whole corpus.

use std::path::Path;

use super::issue::{Issue, Severity};
use super::model::Status;
use super::read::{Corpus, CorpusError, Item};

/// The outcome of validating a corpus.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Validation {
    /// The corpus path as given.
    pub corpus: String,
    /// Articles found, loadable or not.
    pub articles: usize,
    /// Articles with `gold` status.
    pub annotated: usize,
    /// Articles with `draft` status.
    pub drafts: usize,
    /// Articles without gold.
    pub unannotated: usize,
    /// Articles that could not be loaded.
    pub broken: usize,
    /// Gold records in loadable articles.
    pub records: usize,
    /// Every problem and note, errors first, then in corpus order.
    pub issues: Vec<Issue>,
}

impl Validation {
    /// The number of issues of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == severity)
            .count()
    }

    /// Whether the corpus has no errors (warnings and notes allowed).
    pub fn is_valid(&self) -> bool {
        self.count(Severity::Error) == 0
    }
}

/// Validates the corpus at `path`, collecting every problem of every file.
///
/// Fails only when the corpus cannot be read at all; problems in files are
/// reported in the result.
pub fn validate(path: impl AsRef<Path>) -> Result<Validation, CorpusError> {
    let corpus = Corpus::open(path)?;
    let mut v = Validation {
        corpus: corpus.display().to_string(),
        ..Validation::default()
    };
    v.issues.extend(corpus.listing_issues().iter().cloned());
    for item in corpus.items() {
        v.articles += 1;
        match item {
            Item::Article { article, issues } => {
                match &article.gold {
                    None => v.unannotated += 1,
                    Some(g) => {
                        v.records += g.quotes.len();
                        match g.status {
                            Status::Gold => v.annotated += 1,
                            Status::Draft => v.drafts += 1,
                        }
                    }
                }
                v.issues.extend(issues);
            }
            Item::Broken { issues, .. } => {
                v.broken += 1;
                v.issues.extend(issues);
            }
        }
    }
    // Stable: corpus order within each severity.
    v.issues.sort_by_key(|i| i.severity);
    Ok(v)
}
