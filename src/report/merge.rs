//! `quotecheck merge`: the partial JSON reports of a sharded run put back
//! together into the report of one unsharded run.

use std::collections::BTreeMap;

use serde_json::Value;

use super::json::{ArticleJson, BrokenJson, CorpusJson, ExtractorJson, Report, UsageJson, SCHEMA};
use crate::score::Totals;
use crate::snapshot::store::Update;

/// Why partial reports cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// No report was given.
    #[error("no report to merge")]
    Empty,
    /// The first report is a whole run.
    #[error("the first report is not one shard of a sharded run (no `shard`)")]
    FirstNotShard,
    /// A report is a whole run.
    #[error("a report is not one shard of a sharded run (no `shard`)")]
    NotShard,
    /// Two reports come from different splits.
    #[error("the reports come from splits into {0} and into {1} shards")]
    Splits(usize, usize),
    /// One shard is given twice.
    #[error("shard {0}/{1} is given twice")]
    Twice(usize, usize),
    /// Shards ran under different snapshot policies.
    #[error("shard {shard}/{count} ran with snapshot update {update}, shard {first}/{count} with {first_update}")]
    Update {
        /// The shard.
        shard: usize,
        /// How many shards.
        count: usize,
        /// Its policy.
        update: &'static str,
        /// The first report's shard.
        first: usize,
        /// The first report's policy.
        first_update: &'static str,
    },
    /// Shards ran on different corpora or schemes.
    #[error("shard {shard}/{count} was run on {corpus} with {scheme}, shard {first}/{count} on {first_corpus} with {first_scheme}")]
    Corpus {
        /// The shard.
        shard: usize,
        /// How many shards.
        count: usize,
        /// Its corpus.
        corpus: String,
        /// Its scheme.
        scheme: String,
        /// The first report's shard.
        first: usize,
        /// The first report's corpus.
        first_corpus: String,
        /// The first report's scheme.
        first_scheme: String,
    },
    /// Shards ran different extractors.
    #[error("the shards ran different extractors: {first:?} and {other:?}")]
    Extractors {
        /// The first report's extractors.
        first: Vec<String>,
        /// Another report's.
        other: Vec<String>,
    },
    /// A shard's index is 0 or beyond its count.
    #[error("shard {0}/{1} is not a part of a split into {1} (K must be between 1 and N)")]
    OutOfRange(usize, usize),
    /// Some shards are missing.
    #[error("missing shard(s) {0}")]
    Missing(String),
}

/// Combines the partial reports of a sharded run (`--shard K/N`) into the
/// report one unsharded run gives: articles in corpus order, counts summed,
/// every derived figure (micro, macro, accuracies, per kind) recomputed
/// from the per-article data.
pub fn merge(parts: &[Report]) -> Result<Report, MergeError> {
    let first = parts.first().ok_or(MergeError::Empty)?;
    let count = match first.shard {
        Some(s) => s.count,
        None => return Err(MergeError::FirstNotShard),
    };
    // The parts given, not `count` of them: a report may claim any count.
    let mut seen = std::collections::BTreeSet::new();
    for p in parts {
        let s = p.shard.ok_or(MergeError::NotShard)?;
        if s.count != count {
            return Err(MergeError::Splits(count, s.count));
        }
        if s.index == 0 || s.index > count {
            return Err(MergeError::OutOfRange(s.index, count));
        }
        if !seen.insert(s.index) {
            return Err(MergeError::Twice(s.index, count));
        }
        if p.snapshot_update != first.snapshot_update {
            return Err(MergeError::Update {
                shard: s.index,
                count,
                update: p.snapshot_update.map_or("none", Update::as_str),
                first: first.shard.map_or(0, |s| s.index),
                first_update: first.snapshot_update.map_or("none", Update::as_str),
            });
        }
        if p.scheme != first.scheme || p.corpus.path != first.corpus.path {
            return Err(MergeError::Corpus {
                shard: s.index,
                count,
                corpus: p.corpus.path.clone(),
                scheme: p.scheme.clone(),
                first: first.shard.map_or(0, |s| s.index),
                first_corpus: first.corpus.path.clone(),
                first_scheme: first.scheme.clone(),
            });
        }
        let names: Vec<&str> = p.extractors.iter().map(|e| e.name.as_str()).collect();
        let first_names: Vec<&str> = first.extractors.iter().map(|e| e.name.as_str()).collect();
        if names != first_names {
            return Err(MergeError::Extractors {
                first: first_names.iter().map(|n| n.to_string()).collect(),
                other: names.iter().map(|n| n.to_string()).collect(),
            });
        }
    }
    if seen.len() < count {
        // The first few missing, however many there are.
        const SHOWN: usize = 10;
        let mut missing: Vec<String> = (1..=count)
            .filter(|i| !seen.contains(i))
            .take(SHOWN)
            .map(|i| format!("{i}/{count}"))
            .collect();
        let more = count - seen.len() - missing.len();
        if more > 0 {
            missing.push(format!("and {more} more"));
        }
        return Err(MergeError::Missing(missing.join(", ")));
    }

    let sum = |f: fn(&CorpusJson) -> usize| parts.iter().map(|p| f(&p.corpus)).sum::<usize>();
    let mut broken: BTreeMap<String, BrokenJson> = BTreeMap::new();
    for p in parts {
        for b in &p.corpus.broken {
            broken.entry(b.id.clone()).or_insert_with(|| b.clone());
        }
    }
    let corpus = CorpusJson {
        path: first.corpus.path.clone(),
        articles: first.corpus.articles,
        scored: sum(|c| c.scored),
        unannotated: sum(|c| c.unannotated),
        drafts_skipped: sum(|c| c.drafts_skipped),
        not_selected: sum(|c| c.not_selected),
        other_shards: 0,
        broken: broken.into_values().collect(),
    };
    let extractors = (0..first.extractors.len())
        .map(|i| {
            let mut articles: Vec<ArticleJson> = parts
                .iter()
                .flat_map(|p| p.extractors[i].articles.clone())
                .collect();
            articles.sort_by_key(|a| a.position);
            let mut totals = Totals::new();
            for a in &articles {
                totals.add(&a.score());
            }
            let mut issues: Vec<Value> = Vec::new();
            for p in parts {
                for issue in &p.extractors[i].issues {
                    if !issues.contains(issue) {
                        issues.push(issue.clone());
                    }
                }
            }
            let e = &first.extractors[i];
            let mut merged = ExtractorJson::from_articles(
                e.name.clone(),
                e.version.clone(),
                &totals,
                articles,
                issues,
            );
            // Tokens and cost add up over the parts; latency percentiles
            // do not, so a merged report has none.
            for p in parts {
                let part = &p.extractors[i];
                if let Some(u) = part.usage {
                    let sum = merged.usage.get_or_insert(UsageJson {
                        requests: 0,
                        prompt_tokens: 0,
                        completion_tokens: 0,
                    });
                    sum.requests += u.requests;
                    sum.prompt_tokens += u.prompt_tokens;
                    sum.completion_tokens += u.completion_tokens;
                }
                if let Some(c) = part.cost {
                    *merged.cost.get_or_insert(0.0) += c;
                }
            }
            merged
        })
        .collect();
    Ok(Report {
        schema: SCHEMA,
        quotecheck: env!("CARGO_PKG_VERSION").to_string(),
        scheme: first.scheme.clone(),
        shard: None,
        snapshot_update: first.snapshot_update,
        corpus,
        extractors,
    })
}
