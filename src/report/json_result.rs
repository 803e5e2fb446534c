//! A JSON report read back as the result of a run: what `merge` and the
//! baseline give the other reports and the gates. A report keeps no
//! pairing or prediction, so those are empty; every figure is recomputed
//! from the per-article entries.

use super::json::{failure_kind, ArticleJson, ReadError, Report};
use crate::align::Scheme;
use crate::extract::Failure;
use crate::run::{
    ArticleResult, BrokenArticle, CorpusSummary, Dropped, ExtractorResult, RunResult,
};
use crate::score::{
    Accuracy, ArticleScore, Counts, KindBucket, KindPrecision, KindRecall, PerCriterion, Totals,
};
use crate::snapshot::store::{ExtractorSnapshots, SnapshotReport, Update};
use crate::snapshot::SnapshotState;

impl Report {
    /// What the report says of snapshots (states only: no diffs, no
    /// files), for the reports and gates of `merge`; `None` when no
    /// snapshot was compared.
    pub fn snapshots(&self) -> Option<SnapshotReport> {
        let mut states = SnapshotStates::new(self.extractors.iter().map(|e| e.name.clone()));
        for (n, e) in self.extractors.iter().enumerate() {
            for a in &e.articles {
                states.add(n, a);
            }
        }
        states.finish(self.snapshot_update)
    }

    /// A run result with the figures of this report, for the other
    /// reports and the gates. Per-article pairings and predictions are not
    /// in a JSON report, so they are empty.
    pub fn to_result(&self) -> Result<RunResult, ReadError> {
        let totals = self
            .extractors
            .iter()
            .map(|e| {
                let mut totals = Totals::new();
                for a in &e.articles {
                    totals.add(&a.score());
                }
                totals
            })
            .collect();
        let dropped = vec![Dropped::default(); self.extractors.len()];
        self.to_result_with(totals, dropped)
    }

    /// [`Report::to_result`] of a report that lists only some of each
    /// extractor's articles (as a run that keeps the worst does): the
    /// figures are each extractor's `totals`, and `dropped` counts the
    /// articles not listed.
    pub(crate) fn to_result_with(
        &self,
        totals: Vec<Totals>,
        dropped: Vec<Dropped>,
    ) -> Result<RunResult, ReadError> {
        let scheme: Scheme = self
            .scheme
            .parse()
            .map_err(|e: crate::align::SchemeError| ReadError::Scheme {
                scheme: self.scheme.clone(),
                reason: e.to_string(),
            })?;
        let extractors = self
            .extractors
            .iter()
            .zip(totals.into_iter().zip(dropped))
            .map(|(e, (totals, dropped))| {
                let articles = e
                    .articles
                    .iter()
                    .map(|a| {
                        let score = a.score();
                        let failure = (a.status != "ok").then(|| {
                            Failure::new(
                                failure_kind(&a.status),
                                a.error.clone().unwrap_or_default(),
                            )
                        });
                        ArticleResult {
                            id: a.id.clone(),
                            position: a.position,
                            text_sha256: a.text_sha256.clone(),
                            failure,
                            elapsed_ms: a.elapsed_ms,
                            cached: a.cached,
                            predictions: Vec::new(),
                            score,
                            issues: Vec::new(),
                            gold_ids: Vec::new(),
                            ignored: a.ignored,
                            repeats: Vec::new(),
                        }
                    })
                    .collect();
                ExtractorResult {
                    name: e.name.clone(),
                    version: e.version.clone(),
                    totals,
                    articles,
                    issues: Vec::new(),
                    dropped,
                    usage: e.usage.map(|u| crate::extract::Usage {
                        requests: u.requests,
                        prompt_tokens: u.prompt_tokens,
                        completion_tokens: u.completion_tokens,
                        cost: e.cost,
                        latency_ms: e.latency_ms.map(|l| crate::extract::Latency {
                            p50: l.p50,
                            p95: l.p95,
                        }),
                    }),
                    stability: None,
                    more_failures: Default::default(),
                }
            })
            .collect();
        let c = &self.corpus;
        Ok(RunResult {
            scheme,
            shard: self.shard.map(|s| (s.index, s.count)),
            corpus: CorpusSummary {
                path: c.path.clone(),
                articles: c.articles,
                scored: c.scored,
                unannotated: c.unannotated,
                drafts_skipped: c.drafts_skipped,
                broken: c
                    .broken
                    .iter()
                    .map(|b| BrokenArticle {
                        id: b.id.clone(),
                        issues: Vec::new(),
                    })
                    .collect(),
                more_broken: c.more_broken,
                not_selected: c.not_selected,
                other_shards: c.other_shards,
                ..CorpusSummary::default()
            },
            extractors,
        })
    }
}

/// What the article entries of a report say of snapshots, gathered entry
/// by entry (`merge` sees each entry once): per extractor, the states of
/// the articles compared (an id and a state each) and the failures their
/// snapshots accept.
#[derive(Debug)]
pub(crate) struct SnapshotStates {
    extractors: Vec<ExtractorSnapshots>,
}

impl SnapshotStates {
    /// Nothing gathered yet, for the extractors `names`, in report order.
    pub fn new(names: impl Iterator<Item = String>) -> SnapshotStates {
        SnapshotStates {
            extractors: names
                .map(|name| ExtractorSnapshots {
                    name,
                    ..Default::default()
                })
                .collect(),
        }
    }

    /// Gathers the entry `a` of the extractor at `extractor`.
    pub fn add(&mut self, extractor: usize, a: &ArticleJson) {
        let Some(e) = self.extractors.get_mut(extractor) else {
            return;
        };
        if a.snapshot != SnapshotState::None {
            e.states.push((a.id.clone(), a.snapshot));
        }
        if a.error.is_some() && a.snapshot == SnapshotState::Unchanged {
            e.accepted_failures.push(a.id.clone());
        }
    }

    /// The snapshot report of a report whose snapshot policy was `update`;
    /// `None` when no snapshot was compared.
    pub fn finish(self, update: Option<Update>) -> Option<SnapshotReport> {
        let update = update?;
        let mut report = SnapshotReport::new(crate::snapshot::store::DEFAULT_ROOT, update);
        report.extractors = self
            .extractors
            .into_iter()
            .filter(|e| !e.states.is_empty())
            .collect();
        Some(report)
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
