//! `quotecheck merge`: JSON reports of runs over disjoint parts of one
//! corpus put together into the report of one run over their union.
//!
//! A part is any report of `run` over a subset of a corpus — a shard
//! (`--shard K/N`), an `--articles` selection, an engine's partition — or a
//! report merged before: parts merge in any order and grouping, and the
//! union of parts that cover the corpus is exactly the report of one
//! unsharded run. Every total is recomputed from the per-article entries
//! (integer counts, summed in corpus order), which is why the grouping
//! cannot change a figure. What cannot be merged — the same article in
//! two parts, the same id with another text, another corpus, scheme,
//! snapshot policy or extractor version — is an error naming the files.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::json::{ArticleJson, BrokenJson, CorpusJson, ExtractorJson, Report, UsageJson, SCHEMA};
use crate::score::{
    Accuracy, ArticleScore, Counts, KindBucket, KindPrecision, KindRecall, PerCriterion, Totals,
};
use crate::snapshot::store::Update;

/// Why reports cannot be merged. Each names the files concerned (as the
/// caller named the parts) and [`MergeError::hint`] says what to do.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// No report was given.
    #[error("no report to merge")]
    Empty,
    /// Two parts were run on different corpora.
    #[error("{file} was run on {corpus} ({articles} articles), {first} on {first_corpus} ({first_articles} articles)")]
    Corpus {
        /// The part.
        file: String,
        /// Its corpus path.
        corpus: String,
        /// Articles its corpus has.
        articles: usize,
        /// The first part.
        first: String,
        /// The first part's corpus path.
        first_corpus: String,
        /// Articles the first part's corpus has.
        first_articles: usize,
    },
    /// Two parts were scored under different schemes.
    #[error("{file} was scored with {scheme}, {first} with {first_scheme}")]
    Scheme {
        /// The part.
        file: String,
        /// Its scheme.
        scheme: String,
        /// The first part.
        first: String,
        /// The first part's scheme.
        first_scheme: String,
    },
    /// Two parts ran under different snapshot policies.
    #[error("{file} ran with snapshot update {update}, {first} with {first_update}")]
    Update {
        /// The part.
        file: String,
        /// Its policy.
        update: &'static str,
        /// The first part.
        first: String,
        /// The first part's policy.
        first_update: &'static str,
    },
    /// Two parts ran different extractors, or other versions of them.
    #[error("{file} ran the extractors {other}, {first} ran {first_extractors}")]
    Extractors {
        /// The part.
        file: String,
        /// Its extractors, as `name` or `name@version`.
        other: String,
        /// The first part.
        first: String,
        /// The first part's extractors.
        first_extractors: String,
    },
    /// One article is in two parts.
    #[error(
        "article {id:?} is in both {file} and {other}: the parts must cover disjoint articles"
    )]
    Overlap {
        /// The article.
        id: String,
        /// The part it was found in first.
        file: String,
        /// Another part that has it.
        other: String,
    },
    /// One id names different texts in two parts.
    #[error("article {id:?} has another text in {other} than in {file} (its text_sha256 differs): the parts were run on different versions of the corpus")]
    OtherText {
        /// The article.
        id: String,
        /// The part it was found in first.
        file: String,
        /// The part with another text.
        other: String,
    },
    /// The parts account for more articles than the corpus has: some
    /// unannotated or draft articles (counted, not listed) are in two.
    #[error("the parts account for {covered} articles of a corpus of {articles}: some unannotated or draft articles are counted in two parts")]
    Overcounted {
        /// Articles the parts account for.
        covered: usize,
        /// Articles the corpus has.
        articles: usize,
    },
}

impl MergeError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            MergeError::Empty => "name the JSON reports to merge",
            MergeError::Corpus { .. } => {
                "merge only reports of runs on the same corpus, given by the same path"
            }
            MergeError::Scheme { .. } => "rerun the odd part with the same --scheme",
            MergeError::Update { .. } => "rerun the odd part with the same --update",
            MergeError::Extractors { .. } => {
                "merge only reports of the same extractors, in the same order and versions; rerun the odd part"
            }
            MergeError::Overlap { .. } | MergeError::Overcounted { .. } => {
                "leave out the part given twice, or run the parts on disjoint selections (--shard K/N, --articles)"
            }
            MergeError::OtherText { .. } => "rerun every part on the same corpus",
        }
    }
}

/// The extractors of a report as `name` or `name@version`.
fn extractor_list(r: &Report) -> String {
    let names: Vec<String> = r
        .extractors
        .iter()
        .map(|e| match &e.version {
            Some(v) => format!("{}@{v}", e.name),
            None => e.name.clone(),
        })
        .collect();
    format!("[{}]", names.join(", "))
}

/// Checks that `part` can be merged with `first`: the same corpus, scheme,
/// snapshot policy and extractors.
fn check_alike(first: (&str, &Report), part: (&str, &Report)) -> Result<(), MergeError> {
    let ((fname, f), (name, p)) = (first, part);
    if p.corpus.path != f.corpus.path || p.corpus.articles != f.corpus.articles {
        return Err(MergeError::Corpus {
            file: name.to_string(),
            corpus: p.corpus.path.clone(),
            articles: p.corpus.articles,
            first: fname.to_string(),
            first_corpus: f.corpus.path.clone(),
            first_articles: f.corpus.articles,
        });
    }
    if p.scheme != f.scheme {
        return Err(MergeError::Scheme {
            file: name.to_string(),
            scheme: p.scheme.clone(),
            first: fname.to_string(),
            first_scheme: f.scheme.clone(),
        });
    }
    if p.snapshot_update != f.snapshot_update {
        return Err(MergeError::Update {
            file: name.to_string(),
            update: p.snapshot_update.map_or("none", Update::as_str),
            first: fname.to_string(),
            first_update: f.snapshot_update.map_or("none", Update::as_str),
        });
    }
    let same = p.extractors.len() == f.extractors.len()
        && p.extractors
            .iter()
            .zip(&f.extractors)
            .all(|(a, b)| a.name == b.name && a.version == b.version);
    if !same {
        return Err(MergeError::Extractors {
            file: name.to_string(),
            other: extractor_list(p),
            first: fname.to_string(),
            first_extractors: extractor_list(f),
        });
    }
    Ok(())
}

/// Checks that no article is in two parts, and that no id names two texts.
fn check_disjoint(parts: &[(&str, &Report)]) -> Result<(), MergeError> {
    // Per id: the part it is in and its text's hash.
    let mut seen: HashMap<&str, (usize, Option<&str>)> = HashMap::new();
    for (n, (_, report)) in parts.iter().enumerate() {
        for a in report.extractors.iter().flat_map(|e| &e.articles) {
            let hash = a.text_sha256.as_deref();
            match seen.get(a.id.as_str()) {
                None => {
                    seen.insert(&a.id, (n, hash));
                }
                Some(&(m, other)) => {
                    let (file, other_file) = (parts[m].0.to_string(), parts[n].0.to_string());
                    if let (Some(x), Some(y)) = (hash, other) {
                        if !x.eq_ignore_ascii_case(y) {
                            return Err(MergeError::OtherText {
                                id: a.id.clone(),
                                file,
                                other: other_file,
                            });
                        }
                    }
                    if m != n {
                        return Err(MergeError::Overlap {
                            id: a.id.clone(),
                            file,
                            other: other_file,
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// Combines the reports `parts` — each named (a file name) for the errors —
/// of runs over disjoint articles of one corpus into the report of one run
/// over all their articles: articles in corpus order, counts summed, every
/// derived figure (micro, macro, accuracies, per kind) recomputed from the
/// per-article data. Parts that cover the corpus give exactly the report
/// of one unsharded run; the articles they leave out count as
/// `not_selected`, so the result is itself a part that merges again.
pub fn merge_named(parts: &[(&str, &Report)]) -> Result<Report, MergeError> {
    let &(first_name, first) = parts.first().ok_or(MergeError::Empty)?;
    for &part in &parts[1..] {
        check_alike((first_name, first), part)?;
    }
    check_disjoint(parts)?;

    let corpus = merge_corpus(parts.iter().map(|(_, r)| &r.corpus))?;
    let extractors = (0..first.extractors.len())
        .map(|i| merge_extractor(parts.iter().map(|(_, r)| &r.extractors[i])))
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

/// [`merge_named`] with the parts named `part 1`, `part 2` … in the order
/// given.
pub fn merge(parts: &[Report]) -> Result<Report, MergeError> {
    let names: Vec<String> = (1..=parts.len()).map(|n| format!("part {n}")).collect();
    let named: Vec<(&str, &Report)> = names.iter().map(String::as_str).zip(parts).collect();
    merge_named(&named)
}

/// The corpus object of the union: what each part counted added up, the
/// broken articles (which every part of a corpus lists) once each, and the
/// articles no part accounts for as not selected.
fn merge_corpus<'a>(
    parts: impl Iterator<Item = &'a CorpusJson> + Clone,
) -> Result<CorpusJson, MergeError> {
    let first = parts.clone().next().expect("at least one part");
    let sum = |f: fn(&CorpusJson) -> usize| parts.clone().map(f).sum::<usize>();
    let mut ids = HashSet::new();
    let mut broken: Vec<BrokenJson> = Vec::new();
    for c in parts.clone() {
        for b in &c.broken {
            if ids.insert(b.id.as_str()) {
                broken.push(b.clone());
            }
        }
    }
    let (scored, unannotated, drafts_skipped) = (
        sum(|c| c.scored),
        sum(|c| c.unannotated),
        sum(|c| c.drafts_skipped),
    );
    let covered = broken.len() + scored + unannotated + drafts_skipped;
    let not_selected = first
        .articles
        .checked_sub(covered)
        .ok_or(MergeError::Overcounted {
            covered,
            articles: first.articles,
        })?;
    Ok(CorpusJson {
        path: first.path.clone(),
        articles: first.articles,
        scored,
        unannotated,
        drafts_skipped,
        not_selected,
        other_shards: 0,
        broken,
    })
}

/// One extractor's entry of the union, from its entries in the parts (the
/// same extractor in each, as [`check_alike`] made sure).
fn merge_extractor<'a>(parts: impl Iterator<Item = &'a ExtractorJson> + Clone) -> ExtractorJson {
    let e = parts.clone().next().expect("at least one part");
    let mut articles: Vec<ArticleJson> = parts.clone().flat_map(|p| p.articles.clone()).collect();
    articles.sort_by_key(|a| a.position);
    let mut totals = Totals::new();
    for a in &articles {
        totals.add(&a.score());
    }
    // Issues about the extractor as a whole (a replay's extra entries) are
    // found in every part alike: each once.
    let mut issues: Vec<Value> = Vec::new();
    for p in parts.clone() {
        for issue in &p.issues {
            if !issues.contains(issue) {
                issues.push(issue.clone());
            }
        }
    }
    let mut merged =
        ExtractorJson::from_articles(e.name.clone(), e.version.clone(), &totals, articles, issues);
    for p in parts {
        add_part_sums(&mut merged, p);
    }
    merged
}

/// Adds to `merged` the figures of an extractor that a part reports as
/// sums over its articles without listing them per article: each one that
/// adds up over parts is added here.
fn add_part_sums(merged: &mut ExtractorJson, part: &ExtractorJson) {
    // Tokens and cost add up over the parts; latency percentiles do not,
    // so a merged report has none.
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

// The per-article figures read back from a report: what merging sums
// (and `to_result` gives the other reports and the gates).
impl ArticleJson {
    /// The article's figures as the scorer had them (without the pairing,
    /// which reports keep as rows).
    pub(crate) fn score(&self) -> ArticleScore {
        let counts: PerCriterion<Counts> = PerCriterion {
            content: self.content.into(),
            attribution: self.attribution.into(),
            cue: self.cue.into(),
            kind: self.kind.into(),
        };
        let acc = |c: Counts| Accuracy {
            correct: c.tp,
            of: counts.content.tp,
        };
        ArticleScore {
            speaker_accuracy: acc(counts.attribution),
            cue_accuracy: acc(counts.cue),
            kind_accuracy: acc(counts.kind),
            kind_recall: self
                .per_kind
                .recall
                .iter()
                .filter_map(|(k, v)| {
                    Some((
                        bucket(k)?,
                        KindRecall {
                            tp: v.tp,
                            total: v.total,
                        },
                    ))
                })
                .collect(),
            kind_precision: self
                .per_kind
                .precision
                .iter()
                .filter_map(|(k, v)| Some((bucket(k)?, KindPrecision { tp: v.tp, fp: v.fp })))
                .collect(),
            counts,
            fidelity: crate::score::FidelityCounts::of(self.alignment.iter().map(|r| r.fidelity)),
            alignment: Default::default(),
        }
    }
}

fn bucket(name: &str) -> Option<KindBucket> {
    [
        KindBucket::Direct,
        KindBucket::Indirect,
        KindBucket::Mixed,
        KindBucket::None,
    ]
    .into_iter()
    .find(|b| b.as_str() == name)
}
