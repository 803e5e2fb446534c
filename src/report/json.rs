//! The JSON report (`--json PATH`), documented in docs/report-json.md.
//!
//! Other tools parse it: field names are stable, and a change that removes
//! or renames one bumps [`SCHEMA`]. The report is also read back: as a
//! baseline for the gates, and by `quotecheck merge`, which combines the
//! partial reports of a sharded run into exactly the report of one run.

use std::collections::BTreeMap;
use std::io::Write;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::align::AlignedRow;
use crate::extract::{Failure, FailureKind};
use crate::run::{ArticleResult, ExtractorResult, ExtractorStatus, RunResult};
use crate::score::{
    Counts, Criterion, KindBucket, KindPrecision, KindRecall, PerCriterion, Totals,
};
use crate::snapshot::store::{SnapshotReport, Update};
use crate::snapshot::SnapshotState;

/// The version of the report's layout.
pub const SCHEMA: u32 = 1;

/// The whole report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// The layout version, [`SCHEMA`].
    pub schema: u32,
    /// The version of quotecheck that wrote it.
    pub quotecheck: String,
    /// How content was matched.
    pub scheme: String,
    /// `{"index", "count"}` for one shard of a sharded run; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardJson>,
    /// The snapshot update policy in force (`always`, `new`, `no`) when
    /// some extractor's snapshots were compared; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_update: Option<Update>,
    /// Whether `--require-verbatim` was on (scoring.md §8): a misquoted
    /// direct quote counted as a false positive. Written only when on;
    /// reports without it were scored without it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_verbatim: bool,
    /// What was found in the corpus.
    pub corpus: CorpusJson,
    /// One entry per extractor.
    pub extractors: Vec<ExtractorJson>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Which shard a partial report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardJson {
    /// From 1.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

/// The `corpus` object.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CorpusJson {
    /// The corpus path as given.
    pub path: String,
    /// Articles found.
    pub articles: usize,
    /// Articles scored.
    pub scored: usize,
    /// Articles without gold.
    pub unannotated: usize,
    /// Draft articles not scored.
    pub drafts_skipped: usize,
    /// Articles left out by `--articles` or `--rerun-failed`.
    pub not_selected: usize,
    /// Articles of other shards (partial reports only).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub other_shards: usize,
    /// Articles that could not be loaded: the first 1,000, in corpus order.
    pub broken: Vec<BrokenJson>,
    /// How many more could not be loaded, not listed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more_broken: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// An article that could not be loaded.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BrokenJson {
    /// Its id as found.
    pub id: String,
    /// Why (issue objects).
    pub issues: Vec<Value>,
}

/// TP / FP / FN.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountsJson {
    /// True positives.
    pub tp: u64,
    /// False positives.
    pub fp: u64,
    /// False negatives.
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl From<Counts> for CountsJson {
    fn from(c: Counts) -> CountsJson {
        CountsJson {
            tp: c.tp,
            fp: c.fp,
            fn_: c.fn_,
        }
    }
}

impl From<CountsJson> for Counts {
    fn from(c: CountsJson) -> Counts {
        Counts {
            tp: c.tp,
            fp: c.fp,
            fn_: c.fn_,
        }
    }
}

/// Micro figures of one criterion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MicroJson {
    /// Summed true positives.
    pub tp: u64,
    /// Summed false positives.
    pub fp: u64,
    /// Summed false negatives.
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// Precision.
    pub p: f64,
    /// Recall.
    pub r: f64,
    /// F1.
    pub f1: f64,
}

/// Macro figures of one criterion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MacroJson {
    /// Mean precision.
    pub p: f64,
    /// Mean recall.
    pub r: f64,
    /// Mean F1.
    pub f1: f64,
}

/// Speaker, cue and kind accuracy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AccuracyJson {
    /// Attribution TP / content TP.
    pub speaker: Option<f64>,
    /// Cue TP / content TP.
    pub cue: Option<f64>,
    /// Kind TP / content TP.
    pub kind: Option<f64>,
}

/// Per-kind recall of one gold kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KindRecallJson {
    /// Matched required gold quotes of the kind.
    pub tp: u64,
    /// Required gold quotes of the kind.
    pub total: u64,
    /// Recall.
    pub r: f64,
}

/// Per-kind precision of one predicted kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KindPrecisionJson {
    /// Predictions of the kind matched to required gold.
    pub tp: u64,
    /// Predictions of the kind left unmatched.
    pub fp: u64,
    /// Precision.
    pub p: f64,
}

/// Per-kind figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PerKindJson {
    /// By gold kind.
    pub recall: BTreeMap<String, KindRecallJson>,
    /// By predicted kind (`none` for predictions without one).
    pub precision: BTreeMap<String, KindPrecisionJson>,
}

/// One extractor's results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExtractorJson {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: Option<String>,
    /// Whether it ran ([`ExtractorStatus::as_str`]): `ok`, `nothing-scored`
    /// (no article was given to it), `unavailable` (it could not start),
    /// `failed` (it failed on every article). Reports written before the
    /// field existed read as `ok`.
    #[serde(default = "ok")]
    pub status: String,
    /// Why it did not run, for `unavailable` and `failed`.
    #[serde(default)]
    pub error: Option<String>,
    /// Articles scored for it.
    pub articles_scored: usize,
    /// Micro figures per criterion; `null` unless `status` is `ok`.
    pub micro: Option<PerCriterion<MicroJson>>,
    /// Macro figures per criterion; `null` unless `status` is `ok`.
    #[serde(rename = "macro")]
    pub macro_: Option<PerCriterion<MacroJson>>,
    /// Accuracies; `null` unless `status` is `ok`.
    pub accuracy: Option<AccuracyJson>,
    /// Per-kind figures over all articles; `null` unless `status` is `ok`.
    pub per_kind: Option<PerKindJson>,
    /// One entry per scored article, in corpus order.
    pub articles: Vec<ArticleJson>,
    /// The failed articles.
    pub failures: Vec<FailureJson>,
    /// Problems about the extractor as a whole (issue objects).
    pub issues: Vec<Value>,
    /// Predictions set aside in ignored regions, over its articles
    /// (scoring.md §4); left out when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ignored: usize,
    /// Tokens used, for an extractor that reports them (a chat model);
    /// absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<UsageJson>,
    /// The tokens at `price_per_million`, in that price's unit; absent
    /// without a price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// Latency percentiles over the articles asked (not cached); absent
    /// when none was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<LatencyJson>,
    /// Stability over repeats, for a run with `--repeat K`; absent
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stability: Option<super::stability::StabilityJson>,
    /// How many predictions got each fidelity verdict (scoring.md §8);
    /// `null` unless `status` is `ok`, absent in reports before it existed.
    #[serde(default)]
    pub fidelity: Option<crate::score::FidelityCounts>,
}

/// Tokens an extractor used in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageJson {
    /// Articles asked (not answered from the cache).
    pub requests: u64,
    /// Prompt tokens, summed over replies.
    pub prompt_tokens: u64,
    /// Completion tokens, summed over replies.
    pub completion_tokens: u64,
}

/// Latency percentiles, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatencyJson {
    /// The median.
    pub p50: u64,
    /// The 95th percentile (nearest rank).
    pub p95: u64,
}

/// One article's results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ArticleJson {
    /// The article id.
    pub id: String,
    /// Its place in the corpus (0 for the first).
    pub position: usize,
    /// The SHA-256 of its text (hex), by which `merge` tells the same id
    /// with another text; absent in reports written before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_sha256: Option<String>,
    /// `ok` or the failure kind.
    pub status: String,
    /// The failure's message.
    pub error: Option<String>,
    /// How the article's rendering compares with its accepted snapshot.
    #[serde(default)]
    pub snapshot: SnapshotState,
    /// Time taken (volatile).
    pub elapsed_ms: u64,
    /// Whether the output came from the cache.
    pub cached: bool,
    /// Content counts.
    pub content: CountsJson,
    /// End-to-end counts.
    pub attribution: CountsJson,
    /// Cue counts.
    pub cue: CountsJson,
    /// Kind counts.
    pub kind: CountsJson,
    /// The article's per-kind figures (what `merge` needs to recompute totals).
    pub per_kind: PerKindJson,
    /// The displayed pairing.
    pub alignment: Vec<AlignedRow>,
    /// Problems in the extractor's records (issue objects).
    pub issues: Vec<Value>,
    /// Predictions set aside in the article's ignored regions; left out when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ignored: usize,
}

/// A failed article.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FailureJson {
    /// The article id.
    pub id: String,
    /// The failure kind.
    pub status: String,
    /// Its message.
    pub error: String,
}

fn ok() -> String {
    "ok".to_string()
}

fn issues_json(issues: &[crate::corpus::Issue]) -> Vec<Value> {
    issues
        .iter()
        .map(|i| serde_json::to_value(i).expect("issues serialize"))
        .collect()
}

fn per_kind_json(
    recall: &BTreeMap<KindBucket, KindRecall>,
    precision: &BTreeMap<KindBucket, KindPrecision>,
) -> PerKindJson {
    PerKindJson {
        recall: recall
            .iter()
            .map(|(b, v)| {
                (
                    b.as_str().to_string(),
                    KindRecallJson {
                        tp: v.tp,
                        total: v.total,
                        r: v.recall(),
                    },
                )
            })
            .collect(),
        precision: precision
            .iter()
            .map(|(b, v)| {
                (
                    b.as_str().to_string(),
                    KindPrecisionJson {
                        tp: v.tp,
                        fp: v.fp,
                        p: v.precision(),
                    },
                )
            })
            .collect(),
    }
}

/// The figures every report derives from totals.
fn totals_json(
    t: &Totals,
) -> (
    PerCriterion<MicroJson>,
    PerCriterion<MacroJson>,
    AccuracyJson,
    PerKindJson,
) {
    let micro = PerCriterion::from_fn(|c| {
        let counts = t.counts(c);
        let f = t.micro(c);
        MicroJson {
            tp: counts.tp,
            fp: counts.fp,
            fn_: counts.fn_,
            p: f.p,
            r: f.r,
            f1: f.f1,
        }
    });
    let macro_ = PerCriterion::from_fn(|c| {
        let f = t.macro_figures(c);
        MacroJson {
            p: f.p,
            r: f.r,
            f1: f.f1,
        }
    });
    let accuracy = AccuracyJson {
        speaker: t.speaker_accuracy().value(),
        cue: t.cue_accuracy().value(),
        kind: t.kind_accuracy().value(),
    };
    (
        micro,
        macro_,
        accuracy,
        per_kind_json(t.kind_recall(), t.kind_precision()),
    )
}

pub(crate) fn article_json(a: &ArticleResult) -> ArticleJson {
    ArticleJson {
        id: a.id.clone(),
        position: a.position,
        text_sha256: a.text_sha256.clone(),
        status: a.status().to_string(),
        error: a.failure.as_ref().map(|f| f.message.clone()),
        snapshot: SnapshotState::None,
        elapsed_ms: a.elapsed_ms,
        cached: a.cached,
        content: a.score.counts(Criterion::Content).into(),
        attribution: a.score.counts(Criterion::Attribution).into(),
        cue: a.score.counts(Criterion::Cue).into(),
        kind: a.score.counts(Criterion::Kind).into(),
        per_kind: per_kind_json(&a.score.kind_recall, &a.score.kind_precision),
        alignment: a
            .score
            .alignment
            .rows_with_speakers(&a.gold_ids, &a.predictions),
        issues: issues_json(&a.issues),
        ignored: a.ignored,
    }
}

fn extractor_json(e: &ExtractorResult) -> ExtractorJson {
    let articles: Vec<ArticleJson> = e.articles.iter().map(article_json).collect();
    // A run may keep only some articles (`Keep::Worst`): its own status
    // counts the others.
    let summary = ArticlesSummary::of(&articles);
    let mut json = ExtractorJson::with_status(
        e.name.clone(),
        e.version.clone(),
        &e.totals,
        articles,
        summary,
        issues_json(&e.issues),
        &e.status(),
    );
    if let Some(u) = &e.usage {
        json.usage = Some(UsageJson {
            requests: u.requests,
            prompt_tokens: u.prompt_tokens,
            completion_tokens: u.completion_tokens,
        });
        json.cost = u.cost;
        json.latency_ms = u.latency_ms.map(|l| LatencyJson {
            p50: l.p50,
            p95: l.p95,
        });
    }
    json.stability = e.stability.as_ref().map(Into::into);
    json
}

/// What an extractor's entry says of its articles besides listing them:
/// how many, their ignored predictions and their failures. `merge` adds
/// entries up one by one, without keeping them.
#[derive(Clone, Debug, Default)]
pub(crate) struct ArticlesSummary {
    /// Articles scored.
    pub scored: usize,
    /// Predictions set aside in ignored regions.
    pub ignored: usize,
    /// The failed articles: every one, or the first
    /// [`FailureTail::KEPT`](crate::run::FailureTail::KEPT) of a summary
    /// made with [`ArticlesSummary::capped`].
    pub failures: Vec<FailureJson>,
    /// How many articles failed.
    failed: usize,
    /// The first failure past those kept that said the extractor is
    /// unavailable.
    unavailable: Option<FailureJson>,
    /// Whether `failures` stops at the first
    /// [`FailureTail::KEPT`](crate::run::FailureTail::KEPT).
    capped: bool,
}

impl ArticlesSummary {
    /// The summary of `articles`.
    pub fn of(articles: &[ArticleJson]) -> ArticlesSummary {
        let mut summary = ArticlesSummary::default();
        for a in articles {
            summary.add(a);
        }
        summary
    }

    /// An empty summary that lists only the first
    /// [`FailureTail::KEPT`](crate::run::FailureTail::KEPT) failures and
    /// counts the others, for a merge that streams its articles (its JSON
    /// report lists every failure from the entries it writes).
    pub fn capped() -> ArticlesSummary {
        ArticlesSummary {
            capped: true,
            ..ArticlesSummary::default()
        }
    }

    /// Counts the article `a` in.
    pub fn add(&mut self, a: &ArticleJson) {
        self.scored += 1;
        self.ignored += a.ignored;
        if a.status != "ok" {
            self.failed += 1;
            let failure = FailureJson {
                id: a.id.clone(),
                status: a.status.clone(),
                error: a.error.clone().unwrap_or_default(),
            };
            if !self.capped || self.failures.len() < crate::run::FailureTail::KEPT {
                self.failures.push(failure);
            } else if self.unavailable.is_none()
                && failure_kind(&a.status) == FailureKind::Unavailable
            {
                self.unavailable = Some(failure);
            }
        }
    }

    /// Whether the extractor ran, as these articles show.
    fn status(&self) -> ExtractorStatus {
        let failed: Vec<Failure> = (self.failures.iter().chain(&self.unavailable))
            .map(|f| Failure::new(failure_kind(&f.status), f.error.clone()))
            .collect();
        ExtractorStatus::of(self.scored - self.failed, &failed)
    }
}

impl ExtractorJson {
    /// The entry, without its article list, of an extractor whose
    /// articles `summary` sums up, with every figure derived from `totals`.
    pub(crate) fn from_summary(
        name: String,
        version: Option<String>,
        totals: &Totals,
        summary: ArticlesSummary,
        issues: Vec<Value>,
    ) -> ExtractorJson {
        let status = summary.status();
        ExtractorJson::with_status(name, version, totals, Vec::new(), summary, issues, &status)
    }

    /// The entry of an extractor with this status: the figures of one that
    /// did not run are `null`.
    fn with_status(
        name: String,
        version: Option<String>,
        totals: &Totals,
        articles: Vec<ArticleJson>,
        summary: ArticlesSummary,
        issues: Vec<Value>,
        status: &ExtractorStatus,
    ) -> ExtractorJson {
        let (micro, macro_, accuracy, per_kind) = totals_json(totals);
        let ran = status.ran();
        ExtractorJson {
            name,
            version,
            status: status.as_str().to_string(),
            error: status.error().map(str::to_string),
            articles_scored: summary.scored,
            micro: ran.then_some(micro),
            macro_: ran.then_some(macro_),
            accuracy: ran.then_some(accuracy),
            per_kind: ran.then_some(per_kind),
            articles,
            failures: summary.failures,
            issues,
            ignored: summary.ignored,
            usage: None,
            cost: None,
            latency_ms: None,
            stability: None,
            fidelity: ran.then_some(totals.fidelity()),
        }
    }
}

impl Report {
    /// The report of a run.
    pub fn from_result(result: &RunResult) -> Report {
        let c = &result.corpus;
        Report {
            schema: SCHEMA,
            quotecheck: env!("CARGO_PKG_VERSION").to_string(),
            scheme: result.scheme.to_string(),
            shard: result
                .shard
                .map(|(index, count)| ShardJson { index, count }),
            snapshot_update: None,
            require_verbatim: false,
            corpus: CorpusJson {
                path: c.path.clone(),
                articles: c.articles,
                scored: c.scored,
                unannotated: c.unannotated,
                drafts_skipped: c.drafts_skipped,
                not_selected: c.not_selected,
                other_shards: c.other_shards,
                broken: c
                    .broken
                    .iter()
                    .map(|b| BrokenJson {
                        id: b.id.clone(),
                        issues: issues_json(&b.issues),
                    })
                    .collect(),
                more_broken: c.more_broken,
            },
            extractors: result.extractors.iter().map(extractor_json).collect(),
        }
    }

    /// Records in the report what the snapshots of a run found: each
    /// compared article's `snapshot` state and the policy in force.
    pub fn set_snapshots(&mut self, snapshots: &SnapshotReport) {
        if snapshots.extractors.is_empty() {
            return;
        }
        self.snapshot_update = Some(snapshots.update);
        for e in &mut self.extractors {
            let Some(found) = snapshots.extractors.iter().find(|s| s.name == e.name) else {
                continue;
            };
            let states: std::collections::HashMap<&str, SnapshotState> = found
                .states
                .iter()
                .map(|(id, s)| (id.as_str(), *s))
                .collect();
            for a in &mut e.articles {
                a.snapshot = states.get(a.id.as_str()).copied().unwrap_or_default();
            }
        }
    }

    /// Reads a report written by [`write`].
    pub fn read(bytes: &[u8]) -> Result<Report, ReadError> {
        let value: Value = serde_json::from_slice(bytes).map_err(ReadError::NotJson)?;
        match value.get("schema").and_then(Value::as_u64) {
            Some(s) if s == u64::from(SCHEMA) => {}
            Some(s) => return Err(ReadError::Schema(s)),
            None => return Err(ReadError::NoSchema),
        }
        serde_json::from_value(value).map_err(ReadError::Layout)
    }

    /// Writes the report, pretty-printed, with a final newline.
    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        writeln!(out)
    }
}

pub(crate) fn failure_kind(status: &str) -> FailureKind {
    [
        FailureKind::Error,
        FailureKind::Timeout,
        FailureKind::Crashed,
        FailureKind::InvalidOutput,
        FailureKind::OutputTooLarge,
        FailureKind::Missing,
        FailureKind::Unavailable,
    ]
    .into_iter()
    .find(|k| k.as_str() == status)
    .unwrap_or(FailureKind::Error)
}

/// Why bytes are not a JSON report this quotecheck reads.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not JSON at all.
    #[error("not JSON: {0}")]
    NotJson(serde_json::Error),
    /// Another schema version.
    #[error("it has schema {0}; this quotecheck reads schema {SCHEMA}")]
    Schema(u64),
    /// No `schema` key.
    #[error("it is not a quotecheck JSON report (no `schema`)")]
    NoSchema,
    /// The keys are not a report's.
    #[error("it does not have the layout of a report: {0}")]
    Layout(serde_json::Error),
    /// A scheme quotecheck does not know.
    #[error("bad scheme {scheme:?}: {reason}")]
    Scheme {
        /// The scheme as written.
        scheme: String,
        /// Why it is not one.
        reason: String,
    },
}

/// Writes the JSON report of `result`, pretty-printed, with a final newline.
pub fn write(result: &RunResult, out: &mut dyn Write) -> std::io::Result<()> {
    Report::from_result(result).write(out)
}
