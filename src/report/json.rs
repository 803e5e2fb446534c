//! The JSON report (`--json PATH`), documented in docs/report-json.md.
//!
//! Other tools parse it: field names are stable, and a change that removes
//! or renames one bumps [`SCHEMA`].

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::align::{GoldVerdict, PredictionVerdict};
use crate::corpus::Issue;
use crate::run::{ArticleResult, ExtractorResult, RunResult};
use crate::score::{Counts, Criterion, KindBucket, KindPrecision, KindRecall, PerCriterion};

/// The version of the report's layout.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    schema: u32,
    quotecheck: &'static str,
    scheme: String,
    corpus: CorpusJson<'a>,
    extractors: Vec<ExtractorJson<'a>>,
}

#[derive(Serialize)]
struct CorpusJson<'a> {
    path: &'a str,
    articles: usize,
    scored: usize,
    unannotated: usize,
    drafts_skipped: usize,
    not_selected: usize,
    broken: Vec<BrokenJson<'a>>,
}

#[derive(Serialize)]
struct BrokenJson<'a> {
    id: &'a str,
    issues: &'a [Issue],
}

#[derive(Serialize)]
struct CountsJson {
    tp: u64,
    fp: u64,
    #[serde(rename = "fn")]
    fn_: u64,
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

#[derive(Serialize)]
struct MicroJson {
    tp: u64,
    fp: u64,
    #[serde(rename = "fn")]
    fn_: u64,
    p: f64,
    r: f64,
    f1: f64,
}

#[derive(Serialize)]
struct MacroJson {
    p: f64,
    r: f64,
    f1: f64,
}

#[derive(Serialize)]
struct AccuracyJson {
    speaker: Option<f64>,
    cue: Option<f64>,
    kind: Option<f64>,
}

#[derive(Serialize)]
struct PerKindJson {
    recall: BTreeMap<&'static str, KindRecall>,
    precision: BTreeMap<&'static str, KindPrecision>,
}

#[derive(Serialize)]
struct ExtractorJson<'a> {
    name: &'a str,
    version: Option<&'a str>,
    articles_scored: usize,
    micro: PerCriterion<MicroJson>,
    #[serde(rename = "macro")]
    macro_: PerCriterion<MacroJson>,
    accuracy: AccuracyJson,
    per_kind: PerKindJson,
    articles: Vec<ArticleJson<'a>>,
    failures: Vec<FailureJson<'a>>,
    issues: &'a [Issue],
}

#[derive(Serialize)]
struct ArticleJson<'a> {
    id: &'a str,
    status: &'static str,
    error: Option<&'a str>,
    elapsed_ms: u64,
    cached: bool,
    content: CountsJson,
    attribution: CountsJson,
    cue: CountsJson,
    kind: CountsJson,
    alignment: Vec<AlignedJson>,
    issues: &'a [Issue],
}

#[derive(Serialize)]
struct FailureJson<'a> {
    id: &'a str,
    status: &'static str,
    error: &'a str,
}

/// One row of the displayed pairing: a gold quote, a prediction, or both.
#[derive(Serialize)]
struct AlignedJson {
    verdict: &'static str,
    /// The gold record's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    gold: Option<String>,
    /// Index of the prediction in the extractor's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    prediction: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cue: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sim: Option<f64>,
}

fn bucket_name(b: KindBucket) -> &'static str {
    b.as_str()
}

fn alignment_rows(a: &ArticleResult) -> Vec<AlignedJson> {
    let al = &a.score.alignment;
    let mut rows = Vec::new();
    for &g in &al.gold_order {
        let row = match &al.gold[g] {
            GoldVerdict::Matched {
                prediction,
                optional,
                speaker_correct,
                cue_correct,
                kind_correct,
                sim,
            } => AlignedJson {
                verdict: if *optional {
                    "optional-match"
                } else {
                    "matched"
                },
                gold: Some(a.gold_ids[g].clone()),
                prediction: Some(*prediction),
                speaker: Some(*speaker_correct),
                cue: Some(*cue_correct),
                kind: Some(*kind_correct),
                sim: Some(sim.value()),
            },
            GoldVerdict::Missed => AlignedJson::alone("missed", Some(a.gold_ids[g].clone()), None),
            GoldVerdict::OptionalMissed => {
                AlignedJson::alone("optional-missed", Some(a.gold_ids[g].clone()), None)
            }
        };
        rows.push(row);
    }
    for &p in &al.prediction_order {
        if let PredictionVerdict::Spurious = al.predictions[p] {
            rows.push(AlignedJson::alone("spurious", None, Some(p)));
        }
    }
    rows
}

impl AlignedJson {
    fn alone(
        verdict: &'static str,
        gold: Option<String>,
        prediction: Option<usize>,
    ) -> AlignedJson {
        AlignedJson {
            verdict,
            gold,
            prediction,
            speaker: None,
            cue: None,
            kind: None,
            sim: None,
        }
    }
}

fn extractor_json(e: &ExtractorResult) -> ExtractorJson<'_> {
    let t = &e.totals;
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
    ExtractorJson {
        name: &e.name,
        version: e.version.as_deref(),
        articles_scored: e.articles.len(),
        micro,
        macro_,
        accuracy: AccuracyJson {
            speaker: t.speaker_accuracy().value(),
            cue: t.cue_accuracy().value(),
            kind: t.kind_accuracy().value(),
        },
        per_kind: PerKindJson {
            recall: t
                .kind_recall()
                .iter()
                .map(|(b, v)| (bucket_name(*b), *v))
                .collect(),
            precision: t
                .kind_precision()
                .iter()
                .map(|(b, v)| (bucket_name(*b), *v))
                .collect(),
        },
        articles: e
            .articles
            .iter()
            .map(|a| ArticleJson {
                id: &a.id,
                status: a.status(),
                error: a.failure.as_ref().map(|f| f.message.as_str()),
                elapsed_ms: a.elapsed_ms,
                cached: a.cached,
                content: a.score.counts(Criterion::Content).into(),
                attribution: a.score.counts(Criterion::Attribution).into(),
                cue: a.score.counts(Criterion::Cue).into(),
                kind: a.score.counts(Criterion::Kind).into(),
                alignment: alignment_rows(a),
                issues: &a.issues,
            })
            .collect(),
        failures: e
            .failures()
            .map(|a| {
                let f = a.failure.as_ref().expect("a failure");
                FailureJson {
                    id: &a.id,
                    status: f.kind.as_str(),
                    error: &f.message,
                }
            })
            .collect(),
        issues: &e.issues,
    }
}

/// Writes the JSON report of `result`, pretty-printed, with a final newline.
pub fn write(result: &RunResult, out: &mut dyn Write) -> std::io::Result<()> {
    let report = Report {
        schema: SCHEMA,
        quotecheck: env!("CARGO_PKG_VERSION"),
        scheme: result.scheme.to_string(),
        corpus: CorpusJson {
            path: &result.corpus.path,
            articles: result.corpus.articles,
            scored: result.corpus.scored,
            unannotated: result.corpus.unannotated,
            drafts_skipped: result.corpus.drafts_skipped,
            not_selected: result.corpus.not_selected,
            broken: result
                .corpus
                .broken
                .iter()
                .map(|b| BrokenJson {
                    id: &b.id,
                    issues: &b.issues,
                })
                .collect(),
        },
        extractors: result.extractors.iter().map(extractor_json).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
