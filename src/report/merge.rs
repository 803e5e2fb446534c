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

use std::collections::HashSet;

use serde_json::Value;

use super::json::{
    ArticleJson, ArticlesSummary, BrokenJson, CorpusJson, ExtractorJson, Report, UsageJson, SCHEMA,
};
use crate::score::Totals;
use crate::snapshot::store::Update;
use crate::spill::SpillMap;

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
    /// Two parts were scored with and without `--require-verbatim`.
    #[error("{file} was scored {verbatim}, {first} {first_verbatim}")]
    RequireVerbatim {
        /// The part.
        file: String,
        /// How it was scored: `with --require-verbatim` or `without it`.
        verbatim: &'static str,
        /// The first part.
        first: String,
        /// How the first part was scored.
        first_verbatim: &'static str,
    },
    /// A part carries the stability of `--repeat K`, which does not merge.
    #[error("{file} has the stability over repeats of {extractor} (run with --repeat): it is a bootstrap over every article's repeats, which a report does not keep, so merged parts cannot give it")]
    Stability {
        /// The part.
        file: String,
        /// The extractor whose entry has it.
        extractor: String,
    },
    /// Two parts have different articles at one place of the corpus.
    #[error("the article at position {position} of the corpus is {id:?} in {file} but {other_id:?} in {other}: the parts were run on different versions of the corpus")]
    Position {
        /// The place.
        position: usize,
        /// The article in the first part.
        id: String,
        /// The first part.
        file: String,
        /// The article in the other part.
        other_id: String,
        /// The other part.
        other: String,
    },
    /// A part does not list an extractor's articles in corpus order.
    #[error("{file} lists article {id:?} (position {position}) of {extractor} after one at position {after}: a report lists articles in corpus order, so this one was changed after quotecheck wrote it")]
    Order {
        /// The part.
        file: String,
        /// The extractor.
        extractor: String,
        /// The article out of order.
        id: String,
        /// Its position.
        position: usize,
        /// The position of the article before it.
        after: usize,
    },
    /// A part's article entries could not be read back.
    #[error("cannot read the articles of {file} again: {message}")]
    Read {
        /// The part.
        file: String,
        /// Why.
        message: String,
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
    /// Parts list more broken articles than a report lists (1,000), and
    /// neither the same ones nor each their own: how many the union has
    /// cannot be told.
    #[error("the parts have more articles that could not be loaded than a report lists, and neither the same ones nor each their own: the merged count would be a guess")]
    BrokenUncounted,
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
            MergeError::OtherText { .. } | MergeError::Position { .. } => {
                "rerun every part on the same corpus"
            }
            MergeError::BrokenUncounted => {
                "fix the articles that cannot be loaded (`quotecheck validate` lists every problem), then rerun the parts"
            }
            MergeError::RequireVerbatim { .. } => {
                "rerun the odd part with --require-verbatim as the others had it (or require_verbatim in quotecheck.toml)"
            }
            MergeError::Stability { .. } => {
                "merge reports of runs without --repeat, or run --repeat K over the whole corpus in one run"
            }
            MergeError::Order { .. } => "rerun the part to write its report again",
            MergeError::Read { .. } => {
                "check that the folder of the merged report has room for a copy of the parts' articles"
            }
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
    if p.require_verbatim != f.require_verbatim {
        let how = |on: bool| {
            if on {
                "with --require-verbatim"
            } else {
                "without --require-verbatim"
            }
        };
        return Err(MergeError::RequireVerbatim {
            file: name.to_string(),
            verbatim: how(p.require_verbatim),
            first: fname.to_string(),
            first_verbatim: how(f.require_verbatim),
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

/// Checks that `part` carries no stability over repeats, which merging
/// cannot give.
fn check_no_stability(name: &str, part: &Report) -> Result<(), MergeError> {
    match part.extractors.iter().find(|e| e.stability.is_some()) {
        Some(e) => Err(MergeError::Stability {
            file: name.to_string(),
            extractor: e.name.clone(),
        }),
        None => Ok(()),
    }
}

/// The article entries of a part, as merging reads them: each
/// extractor's in corpus order, one extractor after the other (as a
/// report lists them), each with its extractor's index in the report. An
/// `Err` is why the entries cannot be read.
pub type Entries<'a> = Box<dyn Iterator<Item = Result<(usize, ArticleJson), String>> + 'a>;

/// A part to merge, read as a stream.
pub struct Part<'a> {
    /// Its name in errors (its file, as given).
    pub name: String,
    /// Its report without article entries (every `articles` list empty).
    pub header: Report,
    /// Its article entries.
    pub entries: Entries<'a>,
}

/// Where merging is in one part.
struct Cursor<'a> {
    name: String,
    entries: std::iter::Peekable<Entries<'a>>,
    /// The position of the last entry taken, of the extractor merged now.
    last: Option<usize>,
}

impl Cursor<'_> {
    /// The position of the part's next entry of extractor `i`, if it has one.
    fn peek(&mut self, i: usize) -> Result<Option<usize>, MergeError> {
        match self.entries.peek() {
            Some(Ok((n, a))) => Ok((*n == i).then_some(a.position)),
            Some(Err(_)) => match self.entries.next() {
                Some(Err(message)) => Err(MergeError::Read {
                    file: self.name.clone(),
                    message,
                }),
                _ => unreachable!("the entry peeked at is an error"),
            },
            None => Ok(None),
        }
    }

    /// The id and text hash of the entry peeked at.
    fn peeked(&mut self) -> (String, Option<String>) {
        match self.entries.peek() {
            Some(Ok((_, a))) => (a.id.clone(), a.text_sha256.clone()),
            _ => (String::new(), None),
        }
    }
}

/// A 128-bit digest of an article id, in two halves: what merging
/// remembers of each article of an extractor (with the part's number) to
/// find one in two parts.
fn id_key(id: &str) -> [u64; 2] {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(id.as_bytes());
    let half = |i: usize| u64::from_le_bytes(digest[i..i + 8].try_into().expect("8 bytes"));
    [half(0), half(8)]
}

/// Merges parts read as streams: checks that they can be merged, then
/// goes through each extractor's entries of every part at once in corpus
/// order (`position`), giving each to `on_article` with its extractor's
/// index as it is counted. The report returned has every figure and empty
/// article lists. Memory holds the parts' headers, one entry per part and
/// a [`SpillMap`] of the digests of the ids of the extractor being merged
/// (to find an id in two parts; on disk past the newest), whatever the
/// size of the parts.
pub fn merge_streams(
    parts: Vec<Part<'_>>,
    on_article: &mut dyn FnMut(usize, &ArticleJson) -> Result<(), MergeError>,
) -> Result<Report, MergeError> {
    let first = parts.first().ok_or(MergeError::Empty)?;
    for part in &parts {
        check_no_stability(&part.name, &part.header)?;
    }
    for part in &parts[1..] {
        check_alike((&first.name, &first.header), (&part.name, &part.header))?;
    }
    let (headers, mut cursors): (Vec<Report>, Vec<Cursor<'_>>) = parts
        .into_iter()
        .map(|p| {
            let cursor = Cursor {
                name: p.name,
                entries: p.entries.peekable(),
                last: None,
            };
            (p.header, cursor)
        })
        .unzip();
    let first = &headers[0];
    let mut extractors = Vec::new();
    for (i, e) in first.extractors.iter().enumerate() {
        let mut totals = Totals::new();
        let mut summary = ArticlesSummary::capped();
        // Digest of each id → (the rest of it, the part): on disk past the
        // newest entries.
        let mut seen = SpillMap::default();
        for c in &mut cursors {
            c.last = None;
        }
        loop {
            // The part whose next entry comes first in the corpus, and
            // another whose next entry is at the same place.
            let mut next: Option<(usize, usize)> = None;
            let mut same = None;
            for (n, c) in cursors.iter_mut().enumerate() {
                let Some(position) = c.peek(i)? else {
                    continue;
                };
                match next {
                    Some((m, at)) if at == position => same = Some((m, n)),
                    Some((_, at)) if at < position => {}
                    _ => {
                        next = Some((n, position));
                        same = None;
                    }
                }
            }
            let Some((n, position)) = next else {
                break;
            };
            if let Some((m, o)) = same {
                let (id, hash) = cursors[m].peeked();
                let (other_id, other_hash) = cursors[o].peeked();
                let (file, other) = (cursors[m].name.clone(), cursors[o].name.clone());
                return Err(if id != other_id {
                    MergeError::Position {
                        position,
                        id,
                        file,
                        other_id,
                        other,
                    }
                } else if matches!((&hash, &other_hash), (Some(x), Some(y)) if !x.eq_ignore_ascii_case(y))
                {
                    MergeError::OtherText { id, file, other }
                } else {
                    MergeError::Overlap { id, file, other }
                });
            }
            let cursor = &mut cursors[n];
            let Some(Ok((_, article))) = cursor.entries.next() else {
                unreachable!("the entry peeked at is an article");
            };
            if let Some(after) = cursor.last.filter(|&last| last >= position) {
                return Err(MergeError::Order {
                    file: cursor.name.clone(),
                    extractor: e.name.clone(),
                    id: article.id,
                    position,
                    after,
                });
            }
            cursor.last = Some(position);
            // The same id at another place: in two parts, or twice in one.
            let [key, rest] = id_key(&article.id);
            let found = seen.get(key).map_err(|e| MergeError::Read {
                file: cursors[n].name.clone(),
                message: format!(
                    "the ids merged before cannot be read back from their temporary file: {e}"
                ),
            })?;
            match found {
                Some([other, m, _]) if other == rest => {
                    return Err(MergeError::Overlap {
                        id: article.id,
                        file: cursors[m as usize].name.clone(),
                        other: cursors[n].name.clone(),
                    });
                }
                // Another id whose digest starts alike (p ≈ 3·10⁻⁸ at a
                // million articles): not an overlap.
                Some(_) => {}
                None => seen.insert(key, [rest, n as u64, 0]),
            }
            totals.add(&article.score());
            summary.add(&article);
            on_article(i, &article)?;
        }
        // Issues about the extractor as a whole (a replay's extra entries)
        // are found in every part alike: each once.
        let mut issues: Vec<Value> = Vec::new();
        for h in &headers {
            for issue in &h.extractors[i].issues {
                if !issues.contains(issue) {
                    issues.push(issue.clone());
                }
            }
        }
        let mut merged = ExtractorJson::from_summary(
            e.name.clone(),
            e.version.clone(),
            &totals,
            summary,
            issues,
        );
        for h in &headers {
            add_part_sums(&mut merged, &h.extractors[i]);
        }
        extractors.push(merged);
    }
    // After the articles: an article in two parts is the clearer error
    // when the parts also count too many.
    let corpus = merge_corpus(headers.iter().map(|h| &h.corpus))?;
    Ok(Report {
        schema: SCHEMA,
        quotecheck: env!("CARGO_PKG_VERSION").to_string(),
        scheme: first.scheme.clone(),
        shard: None,
        snapshot_update: first.snapshot_update,
        require_verbatim: first.require_verbatim,
        corpus,
        extractors,
    })
}

/// `report` without its article entries.
fn header_of(report: &Report) -> Report {
    Report {
        extractors: report
            .extractors
            .iter()
            .map(|e| ExtractorJson {
                articles: Vec::new(),
                ..e.clone()
            })
            .collect(),
        ..report.clone()
    }
}

/// Combines the reports `parts` — each named (a file name) for the errors —
/// of runs over disjoint articles of one corpus into the report of one run
/// over all their articles: articles in corpus order, counts summed, every
/// derived figure (micro, macro, accuracies, per kind) recomputed from the
/// per-article data. Parts that cover the corpus give exactly the report
/// of one unsharded run; the articles they leave out count as
/// `not_selected`, so the result is itself a part that merges again. The
/// same merging as [`merge_streams`], of reports held in memory.
pub fn merge_named(parts: &[(&str, &Report)]) -> Result<Report, MergeError> {
    let count = parts.first().map_or(0, |(_, r)| r.extractors.len());
    let streams = parts
        .iter()
        .map(|&(name, r)| Part {
            name: name.to_string(),
            header: header_of(r),
            entries: Box::new(
                r.extractors
                    .iter()
                    .enumerate()
                    .flat_map(|(n, e)| e.articles.iter().map(move |a| Ok((n, a.clone())))),
            ),
        })
        .collect();
    let mut articles: Vec<Vec<ArticleJson>> = vec![Vec::new(); count];
    let mut merged = merge_streams(streams, &mut |i, a| {
        if let Some(list) = articles.get_mut(i) {
            list.push(a.clone());
        }
        Ok(())
    })?;
    for (e, list) in merged.extractors.iter_mut().zip(articles) {
        // The merge lists only the first failures it streams; with every
        // article here, the report lists every one.
        e.failures = ArticlesSummary::of(&list).failures;
        e.articles = list;
    }
    Ok(merged)
}

/// [`merge_named`] with the parts named `part 1`, `part 2` … in the order
/// given.
pub fn merge(parts: &[Report]) -> Result<Report, MergeError> {
    let names: Vec<String> = (1..=parts.len()).map(|n| format!("part {n}")).collect();
    let named: Vec<(&str, &Report)> = names.iter().map(String::as_str).zip(parts).collect();
    merge_named(&named)
}

/// How many broken articles the union of `parts` has, `listed` of them
/// in the union of their lists. Exact when no part leaves any unlisted;
/// otherwise the parts must either all list the same (the parts of one
/// corpus, each of which reads every article: `--shard`, `--articles`)
/// or each their own (parts that are files of their own, as the Python
/// package's partitions are).
fn broken_count<'a>(
    parts: impl Iterator<Item = &'a CorpusJson> + Clone,
    listed: usize,
) -> Result<usize, MergeError> {
    if parts.clone().all(|c| c.more_broken == 0) {
        return Ok(listed);
    }
    let first = parts.clone().next().expect("at least one part");
    let ids = |c: &'a CorpusJson| c.broken.iter().map(|b| b.id.as_str());
    let same = parts
        .clone()
        .all(|c| c.more_broken == first.more_broken && ids(c).eq(ids(first)));
    if same {
        return Ok(first.broken.len() + first.more_broken);
    }
    let each_own = parts.clone().map(|c| c.broken.len()).sum::<usize>() == listed;
    if each_own {
        return Ok(parts.map(|c| c.broken.len() + c.more_broken).sum());
    }
    Err(MergeError::BrokenUncounted)
}

/// The corpus object of the union: what each part counted added up, the
/// broken articles once each (the first 1,000 listed, the others counted:
/// [`broken_count`]), and the articles no part accounts for as not
/// selected.
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
    let broken_count = broken_count(parts.clone(), broken.len())?;
    broken.truncate(crate::run::CorpusSummary::BROKEN_KEPT);
    let (scored, unannotated, drafts_skipped) = (
        sum(|c| c.scored),
        sum(|c| c.unannotated),
        sum(|c| c.drafts_skipped),
    );
    let covered = broken_count + scored + unannotated + drafts_skipped;
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
        more_broken: broken_count - broken.len(),
        broken,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A part's corpus object that lists the broken articles `ids` and
    /// counts `more` others.
    fn with_broken(ids: &[&str], more: usize) -> CorpusJson {
        CorpusJson {
            path: "c.jsonl".into(),
            articles: 5000,
            scored: 0,
            unannotated: 0,
            drafts_skipped: 0,
            not_selected: 5000,
            other_shards: 0,
            broken: (ids.iter())
                .map(|id| BrokenJson {
                    id: id.to_string(),
                    issues: Vec::new(),
                })
                .collect(),
            more_broken: more,
        }
    }

    #[test]
    fn broken_articles_past_those_listed_are_counted_once() {
        let count = |parts: &[CorpusJson]| {
            let listed: HashSet<&str> = (parts.iter())
                .flat_map(|c| c.broken.iter().map(|b| b.id.as_str()))
                .collect();
            broken_count(parts.iter(), listed.len())
        };
        // Every part lists them all: exact, whatever their number.
        let both = [with_broken(&["a", "b"], 0), with_broken(&["b", "c"], 0)];
        assert_eq!(count(&both).unwrap(), 3);
        // The parts of one corpus: the same list, the same count past it.
        let shards = [with_broken(&["a", "b"], 7), with_broken(&["a", "b"], 7)];
        assert_eq!(count(&shards).unwrap(), 9);
        // Partitions of their own: each part's count is its own.
        let own = [with_broken(&["a", "b"], 7), with_broken(&["c"], 2)];
        assert_eq!(count(&own).unwrap(), 12);
        // Neither: the union cannot be told.
        let neither = [with_broken(&["a", "b"], 7), with_broken(&["b", "c"], 2)];
        assert!(matches!(count(&neither), Err(MergeError::BrokenUncounted)));
    }

    /// The report of the baseline on the repository's corpus, and that
    /// report split in two parts: the even and the odd articles.
    fn whole_and_halves() -> (Report, Report, Report) {
        let corpus =
            crate::corpus::Corpus::open(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")).unwrap();
        let baseline = crate::extract::builtin("baseline").unwrap();
        let result = crate::run::run(
            &corpus,
            &[baseline.as_ref()],
            &crate::run::RunSettings::default(),
            &mut |_| {},
        );
        let whole = Report::from_result(&result);
        let half = |keep: usize| {
            let mut part = whole.clone();
            let e = &mut part.extractors[0];
            e.articles = e
                .articles
                .iter()
                .enumerate()
                .filter(|(n, _)| n % 2 == keep)
                .map(|(_, a)| a.clone())
                .collect();
            part.corpus.scored = e.articles.len();
            if keep == 1 {
                part.corpus.unannotated = 0;
                part.corpus.drafts_skipped = 0;
            }
            part
        };
        let (even, odd) = (half(0), half(1));
        (whole, even, odd)
    }

    fn figures(r: &Report) -> Value {
        let mut v = serde_json::to_value(r).unwrap();
        v["quotecheck"] = Value::Null;
        v
    }

    #[test]
    fn halves_merge_into_the_whole_in_either_order() {
        let (whole, even, odd) = whole_and_halves();
        assert!(whole.extractors[0].articles.len() > 2);
        for pair in [[even.clone(), odd.clone()], [odd, even]] {
            assert_eq!(figures(&merge(&pair).unwrap()), figures(&whole));
        }
    }

    #[test]
    fn parts_scored_with_and_without_require_verbatim_are_refused() {
        let (_, even, mut odd) = whole_and_halves();
        odd.require_verbatim = true;
        let err = merge(&[even, odd]).unwrap_err();
        assert!(matches!(err, MergeError::RequireVerbatim { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("part 2 was scored with --require-verbatim"),
            "{err}"
        );
    }

    #[test]
    fn parts_with_stability_over_repeats_are_refused() {
        let (_, even, mut odd) = whole_and_halves();
        odd.extractors[0].stability = Some(crate::report::stability::StabilityJson {
            repeats: 3,
            deterministic: false,
            flip_rate: 0.0,
            flipped: 0,
            quotes: 1,
            failed_repeats: 0,
            f1_mean: 1.0,
            f1_sd: 0.0,
            ci_low: None,
            ci_high: None,
            level: 0.95,
        });
        let err = merge(&[even.clone(), odd.clone()]).unwrap_err();
        assert!(
            matches!(&err, MergeError::Stability { file, .. } if file == "part 2"),
            "{err}"
        );
        // Alone too: a merged report must not carry figures it cannot give.
        assert!(matches!(merge(&[odd]), Err(MergeError::Stability { .. })));
    }

    #[test]
    fn one_article_in_two_parts_or_two_articles_at_one_place_are_refused() {
        let (_, even, odd) = whole_and_halves();
        let err = merge(&[even.clone(), even.clone()]).unwrap_err();
        assert!(matches!(err, MergeError::Overlap { .. }), "{err}");

        let mut other_text = odd.clone();
        let mut extra = even.extractors[0].articles[0].clone();
        extra.text_sha256 = Some("0".repeat(64));
        other_text.extractors[0].articles.insert(0, extra.clone());
        let err = merge(&[even.clone(), other_text]).unwrap_err();
        assert!(matches!(err, MergeError::OtherText { .. }), "{err}");

        let mut renamed = odd.clone();
        extra.id = "not-the-same".into();
        renamed.extractors[0].articles.insert(0, extra.clone());
        let err = merge(&[even.clone(), renamed]).unwrap_err();
        assert!(matches!(err, MergeError::Position { .. }), "{err}");

        // The same id at another place: the corpus changed between runs.
        let mut moved = odd.clone();
        let mut elsewhere = even.extractors[0].articles[0].clone();
        elsewhere.position = 10_000;
        moved.extractors[0].articles.push(elsewhere);
        let err = merge(&[even, moved]).unwrap_err();
        assert!(matches!(err, MergeError::Overlap { .. }), "{err}");
    }

    #[test]
    fn a_part_out_of_corpus_order_is_refused() {
        let (_, even, mut odd) = whole_and_halves();
        odd.extractors[0].articles.reverse();
        let err = merge(&[even, odd]).unwrap_err();
        assert!(
            matches!(&err, MergeError::Order { file, .. } if file == "part 2"),
            "{err}"
        );
    }
}
