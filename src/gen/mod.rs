//! Synthetic corpora: articles with gold quotes, and perturbed predictions
//! of them, for benchmarks and tests (docs/performance.md).
//!
//! Every article is drawn from its own generator, seeded from the seed and
//! the article's number, so the same settings give the same articles
//! whatever the number of threads, and the first N articles of a larger
//! corpus are the N articles of a smaller one. Articles are the corpus's
//! own [`Article`]s and [`Prediction`]s, written with the corpus's own
//! writers, so what [`write()`] writes reads back as what [`generate`] gives.
//!
//! It sits after `corpus` and before `run`, and uses only `corpus`: it
//! knows the corpus formats, not extractors, scoring or the command line.
//!
//! ```
//! use quotecheck::gen::{generate, Settings};
//!
//! let settings = Settings { articles: 3, ..Settings::default() };
//! let corpus: Vec<_> = generate(&settings).collect();
//! assert_eq!(corpus.len(), 3);
//! assert!(corpus[0].article.gold.is_some());
//! ```

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::corpus::write::{corpus_line, gold_json_line, predictions_line, SpanText};
use crate::corpus::{Article, OffsetUnit, Prediction};

mod article;
mod files;
mod perturb;

use files::Output;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The seed: the same seed and settings give the same articles.
    pub seed: u64,
    /// How many articles.
    pub articles: usize,
    /// How many quotes each article has: a number drawn uniformly from
    /// this range. It must not be empty.
    pub quotes: RangeInclusive<usize>,
    /// Sentences that are no quote are added between the quotes until an
    /// article's text has at least this many bytes (0: none are added, and
    /// the articles are those of earlier versions).
    pub text_bytes: usize,
}

impl Default for Settings {
    /// 1,000 articles of 2 to 10 quotes, seed 1, no padding: what
    /// `quotecheck gen` writes without options.
    fn default() -> Settings {
        Settings {
            seed: 1,
            articles: 1000,
            quotes: 2..=10,
            text_bytes: 0,
        }
    }
}

/// One generated article and its predictions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// The article, with its gold.
    pub article: Article,
    /// The predictions, in the order an extractor would list them.
    pub predictions: Vec<Prediction>,
    /// The unit the written predictions count offsets in: UTF-16 for about
    /// one article in ten, code points otherwise.
    pub offsets: OffsetUnit,
    /// Whether each prediction's located content is written with its text.
    content_text: Vec<bool>,
}

impl Generated {
    /// The gold: a line of a JSON-lines corpus, or a gold file.
    fn gold_json(&self, jsonl: bool) -> String {
        let a = &self.article;
        let gold = a.gold.as_ref().expect("a generated article has gold");
        if jsonl {
            corpus_line(&a.id, &a.text, gold, OffsetUnit::Codepoint)
        } else {
            gold_json_line(&a.id, &a.text, gold, OffsetUnit::Codepoint)
        }
    }

    /// The predictions: a line of a JSON-lines replay (with the article's
    /// id), or a prediction file.
    fn predictions_json(&self, jsonl: bool) -> String {
        let records = self
            .predictions
            .iter()
            .zip(&self.content_text)
            .map(|(p, &content)| {
                let with = SpanText {
                    content,
                    mentions: false,
                };
                (p, with)
            });
        let id = jsonl.then_some(&self.article.id);
        predictions_line(id, &self.article.text, self.offsets, records)
    }
}

/// Article `n` (from 0) of the corpus `settings` describe, and its
/// predictions.
///
/// # Panics
/// When `settings.quotes` is empty.
pub fn article(settings: &Settings, n: usize) -> Generated {
    let quotes = (*settings.quotes.start(), *settings.quotes.end());
    assert!(quotes.0 <= quotes.1, "the range of quotes is empty");
    let made = article::make_article(settings.seed, n, quotes, settings.text_bytes);
    let perturbed = perturb::perturb(&made, settings.seed, n);
    let (predictions, content_text) = perturbed
        .into_iter()
        .map(|p| (p.prediction, p.content_text))
        .unzip();
    Generated {
        article: made.article,
        predictions,
        offsets: if made.utf16 {
            OffsetUnit::Utf16
        } else {
            OffsetUnit::Codepoint
        },
        content_text,
    }
}

/// The articles of the corpus `settings` describe, in order, made as they
/// are asked for.
///
/// # Panics
/// When `settings.quotes` is empty.
pub fn generate(settings: &Settings) -> impl Iterator<Item = Generated> + '_ {
    (0..settings.articles).map(move |n| article(settings, n))
}

/// Writing a generated corpus failed.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// A file or folder could not be created.
    #[error("cannot create {}", path.display())]
    Create {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Writes the corpus `settings` describe to `corpus`, and its predictions
/// as a replay to `replay`: a path ending in `.jsonl` is one JSON-lines
/// file, any other path a folder (`<id>.txt` and `<id>.json` for the
/// corpus, `<id>.json` for the replay). Gold offsets count code points;
/// see [`Generated::offsets`] for the predictions'.
///
/// Articles are made on rayon's threads, a chunk at a time so memory
/// stays bounded, and written in order: the bytes do not depend on the
/// number of threads.
///
/// # Panics
/// When `settings.quotes` is empty.
pub fn write(settings: &Settings, corpus: &Path, replay: &Path) -> Result<(), GenError> {
    let mut corpus = Output::create(corpus)?;
    let mut replay = Output::create(replay)?;
    let (corpus_jsonl, replay_jsonl) = (corpus.is_jsonl(), replay.is_jsonl());
    const CHUNK: usize = 4096;
    let mut start = 0;
    while start < settings.articles {
        let end = (start + CHUNK).min(settings.articles);
        let made: Vec<(Generated, String, String)> = (start..end)
            .into_par_iter()
            .map(|n| {
                let g = article(settings, n);
                let gold = g.gold_json(corpus_jsonl);
                let predictions = g.predictions_json(replay_jsonl);
                (g, gold, predictions)
            })
            .collect();
        for (g, gold, predictions) in made {
            let id = &g.article.id;
            corpus.write(id, Some(&g.article.text), &gold)?;
            replay.write(id, None, &predictions)?;
        }
        start = end;
    }
    corpus.finish()?;
    replay.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{resolve_output, Corpus, Item};

    #[test]
    fn what_is_written_reads_back_as_what_is_generated() {
        let settings = Settings {
            seed: 5,
            articles: 40,
            quotes: 1..=6,
            text_bytes: 0,
        };
        let dir = tempfile::tempdir().unwrap();
        for (corpus, replay) in [("c.jsonl", "r.jsonl"), ("c", "r")] {
            let (corpus, replay) = (dir.path().join(corpus), dir.path().join(replay));
            write(&settings, &corpus, &replay).unwrap();
            let read = Corpus::open(&corpus).unwrap();
            let lines = std::fs::read_to_string(&replay).unwrap_or_default();
            let mut lines = lines.lines();
            for (item, g) in read.items().zip(generate(&settings)) {
                let Item::Article { article, issues } = item else {
                    panic!("{item:?}");
                };
                assert!(issues.is_empty(), "{issues:?}");
                assert_eq!(article, g.article);
                let json = match lines.next() {
                    Some(line) => line.to_string(),
                    None => std::fs::read_to_string(replay.join(format!("{}.json", g.article.id)))
                        .unwrap(),
                };
                let value: serde_json::Value = serde_json::from_str(&json).unwrap();
                let set = resolve_output(&value, &article.text, "r", "a", None).unwrap();
                assert!(set.issues.is_empty(), "{:?}", set.issues);
                assert_eq!(set.quotes, g.predictions);
            }
        }
    }

    #[test]
    fn an_article_depends_on_the_seed_and_its_number_only() {
        let small = Settings {
            articles: 3,
            ..Settings::default()
        };
        let big = Settings {
            articles: 10,
            ..Settings::default()
        };
        let first: Vec<Generated> = generate(&small).collect();
        assert_eq!(first, generate(&big).take(3).collect::<Vec<_>>());
        let other = Settings {
            seed: 2,
            ..small.clone()
        };
        assert_ne!(first, generate(&other).collect::<Vec<_>>());
    }
}
