//! Exporting gold corpora to the formats other tools read (docs/import.md).
//!
//! [`to_brat`] and [`to_citron`] convert one article in memory and say what
//! the format cannot carry; [`export`] converts a whole corpus into a
//! folder, checking every target before writing anything and writing each
//! file atomically. Importing what is exported gives back every field the
//! format carries.

mod brat;
mod citron;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use brat::to_brat;
pub use citron::to_citron;

pub use super::import::WriteError;
use super::issue::{Issue, Severity};
use super::model::Article;
use super::read::{Corpus, Item};
use super::write;

/// A format quotecheck exports to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// brat standoff: `<id>.ann` and `<id>.txt`.
    Brat,
    /// Citron JSON: `<id>.json` holding the text and the quotes.
    Citron,
}

impl Format {
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Brat => "brat",
            Format::Citron => "citron",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a format cannot carry, counted by field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lost {
    /// Field → how many records had a value the format drops.
    pub records: BTreeMap<&'static str, usize>,
    /// Field → how many articles had a value the format drops.
    pub articles: BTreeMap<&'static str, usize>,
}

impl Lost {
    pub(crate) fn record(&mut self, field: &'static str) {
        *self.records.entry(field).or_insert(0) += 1;
    }

    pub(crate) fn article(&mut self, field: &'static str) {
        *self.articles.entry(field).or_insert(0) += 1;
    }

    fn add(&mut self, other: Lost) {
        for (k, v) in other.records {
            *self.records.entry(k).or_insert(0) += v;
        }
        for (k, v) in other.articles {
            *self.articles.entry(k).or_insert(0) += v;
        }
    }

    /// Whether nothing was lost.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.articles.is_empty()
    }

    /// Notes every article-level field a format drops.
    fn article_fields(&mut self, article: &Article) {
        let gold = article
            .gold
            .as_ref()
            .expect("exported articles are annotated");
        if gold
            .source
            .as_ref()
            .is_some_and(|s| *s != Default::default())
        {
            self.article("source (url, license, annotator)");
        }
    }
}

/// One article in another format: files by extension, and what was lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    /// `(extension, contents)` of each file, such as `("ann", …)`.
    pub files: Vec<(&'static str, String)>,
    /// What the format could not carry.
    pub lost: Lost,
}

/// Converts one annotated article.
///
/// # Panics
/// When the article has no gold.
pub fn convert(article: &Article, format: Format) -> Converted {
    match format {
        Format::Brat => to_brat(article),
        Format::Citron => to_citron(article),
    }
}

fn extensions(format: Format) -> &'static [&'static str] {
    match format {
        Format::Brat => &["txt", "ann"],
        Format::Citron => &["json"],
    }
}

/// The outcome of exporting a corpus.
#[derive(Clone, Debug, Default)]
pub struct Export {
    /// Articles exported.
    pub articles: usize,
    /// Records exported.
    pub records: usize,
    /// Files written.
    pub files: usize,
    /// Articles found in the corpus but not exported (unannotated or unreadable).
    pub not_exported: usize,
    /// Articles that could not be read (each has errors in `issues`).
    pub broken: usize,
    /// Why articles were not exported.
    pub issues: Vec<Issue>,
    /// What the format could not carry.
    pub lost: Lost,
}

/// Exports every annotated article of `corpus` into `out`.
///
/// Reads the corpus twice, so that memory stays flat: once to list the
/// targets (nothing is written when one exists and `force` is off), once
/// to convert and write. Unannotated articles are not exported (a note);
/// articles that cannot be read are listed with their errors.
pub fn export(
    corpus: &Corpus,
    format: Format,
    out: &Path,
    force: bool,
) -> Result<Export, WriteError> {
    let mut result = Export::default();
    let mut targets: Vec<PathBuf> = Vec::new();
    for item in corpus.items() {
        match item {
            Item::Article { article, .. } if article.gold.is_some() => {
                for ext in extensions(format) {
                    targets.push(write::target(out, &article.id, ext));
                }
            }
            Item::Article { article, .. } => {
                result.not_exported += 1;
                result.issues.push(
                    Issue::new(
                        Severity::Note,
                        "unannotated",
                        corpus.display(),
                        format!(
                            "article {:?} has no gold, so it is not exported",
                            article.id.as_str()
                        ),
                    )
                    .article(article.id.as_str()),
                );
            }
            Item::Broken { issues, .. } => {
                result.not_exported += 1;
                result.broken += 1;
                result
                    .issues
                    .extend(issues.into_iter().filter(Issue::is_error));
            }
        }
    }
    write::refuse_overwrite(&targets, force)?;
    for item in corpus.items() {
        let Item::Article { article, .. } = item else {
            continue;
        };
        let Some(gold) = &article.gold else {
            continue;
        };
        let converted = convert(&article, format);
        for (ext, contents) in &converted.files {
            write::atomically(&write::target(out, &article.id, ext), contents.as_bytes())?;
            result.files += 1;
        }
        result.articles += 1;
        result.records += gold.quotes.len();
        result.lost.add(converted.lost);
    }
    result.issues.sort_by_key(|i| i.severity);
    Ok(result)
}
