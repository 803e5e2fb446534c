//! `compare` over JSON run reports instead of running extractors: a report
//! (merged or not, of several extractors on the same articles) read back
//! into the [`RunResult`] that [`compare`](super::compare) takes.
//!
//! Every figure `compare` prints comes from per-article counts, which a
//! report keeps, and the resampling draws by article id, so a report gives
//! exactly the intervals and p-values of the run that wrote it, and the
//! merged parts of a run those of the whole run. The disagreements come
//! from the report's alignment rows (verdicts and the speakers predicted),
//! which name gold quotes in the order of their position.

use crate::align::{AlignedRow, GoldVerdict, Similarity};
use crate::corpus::{PredMention, Prediction};
use crate::report::json::{ReadError, Report};
use crate::run::RunResult;

/// The run result `report` describes, with each article's gold verdicts
/// read back from its alignment rows for the disagreements.
pub fn result_of_report(report: &Report) -> Result<RunResult, ReadError> {
    let mut result = report.to_result()?;
    for (e, json) in result.extractors.iter_mut().zip(&report.extractors) {
        for (a, rows) in e.articles.iter_mut().zip(&json.articles) {
            let gold: Vec<(&str, GoldVerdict)> =
                rows.alignment.iter().filter_map(gold_verdict).collect();
            a.gold_ids = gold.iter().map(|(id, _)| id.to_string()).collect();
            a.predictions = predictions(&rows.alignment);
            a.score.alignment.gold_order = (0..gold.len()).collect();
            a.score.alignment.gold = gold.into_iter().map(|(_, v)| v).collect();
        }
    }
    Ok(result)
}

/// Predictions as far as a report has them: at each index paired with a
/// gold quote, one with the speaker it gave; nothing else.
fn predictions(rows: &[AlignedRow]) -> Vec<Prediction> {
    let paired = rows.iter().filter(|r| r.gold.is_some());
    let len = paired
        .clone()
        .filter_map(|r| r.prediction)
        .map(|p| p + 1)
        .max();
    let mut predictions = vec![Prediction::default(); len.unwrap_or(0)];
    for row in paired {
        if let (Some(p), Some(name)) = (row.prediction, &row.predicted_speaker) {
            predictions[p].speaker = Some(PredMention {
                span: None,
                text: name.clone(),
            });
        }
    }
    predictions
}

/// A gold row's record id and verdict; `None` for a spurious prediction.
fn gold_verdict(row: &AlignedRow) -> Option<(&str, GoldVerdict)> {
    let id = row.gold.as_deref()?;
    let verdict = match row.verdict.as_str() {
        "matched" | "optional-match" => GoldVerdict::Matched {
            prediction: row.prediction.unwrap_or_default(),
            optional: row.verdict == "optional-match",
            speaker_correct: row.speaker.unwrap_or(false),
            cue_correct: row.cue.unwrap_or(false),
            kind_correct: row.kind.unwrap_or(false),
            // Only the ratio is in a report; no figure of `compare` uses it.
            sim: Similarity {
                shared: (row.sim.unwrap_or(0.0) * f64::from(1u32 << 31)).round() as u64,
                total: 1 << 31,
            },
        },
        "optional-missed" => GoldVerdict::OptionalMissed,
        _ => GoldVerdict::Missed,
    };
    Some((id, verdict))
}
