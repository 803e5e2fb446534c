//! The one pairing of gold and predictions shown to people (scoring.md §5).

use std::cmp::Ordering;

use crate::corpus::{GoldQuote, PredMention, PredPart, Prediction, Span};

use super::fidelity::Fidelity;
use super::matching::solve;
use super::pairs::{Pair, Similarity};
use super::prepared::{Prepared, TokenList};

/// What became of one gold quote in the displayed pairing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum GoldVerdict {
    /// Paired with a prediction whose content matches.
    Matched {
        /// Index of the prediction in the article's prediction list.
        prediction: usize,
        /// Whether the gold quote is optional (the prediction is then an
        /// `optional-match`, neither a true nor a false positive).
        optional: bool,
        /// Whether the prediction's speaker is correct.
        speaker_correct: bool,
        /// Whether the prediction's cue is correct.
        cue_correct: bool,
        /// Whether the prediction's kind is correct.
        kind_correct: bool,
        /// How similar the two contents are.
        sim: Similarity,
    },
    /// A required gold quote no prediction was paired with.
    Missed,
    /// An optional gold quote no prediction was paired with (no penalty).
    OptionalMissed,
}

/// What became of one prediction in the displayed pairing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum PredictionVerdict {
    /// Paired with a required gold quote.
    Matched {
        /// Index of the gold quote in the article's gold list.
        gold: usize,
    },
    /// Paired with nothing: a false positive.
    Spurious,
    /// Paired with an optional gold quote: neither true nor false positive.
    OptionalMatch {
        /// Index of the gold quote in the article's gold list.
        gold: usize,
    },
}

/// The pairing of one article's gold and predictions shown in reports,
/// diffs and snapshots. No score is computed from it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Alignment {
    /// One verdict per gold quote, in the order of the gold records.
    pub gold: Vec<GoldVerdict>,
    /// One verdict per prediction, in the order of the predictions.
    pub predictions: Vec<PredictionVerdict>,
    /// Gold indices ranked by position (the order to show them in).
    pub gold_order: Vec<usize>,
    /// Prediction indices ranked by position: located ones first, then
    /// text-only ones by tokens, then those with unusable content.
    pub prediction_order: Vec<usize>,
    /// Each prediction's fidelity (scoring.md §8), in the order of the
    /// predictions; `None` for one without usable content. Empty in an
    /// alignment read back from a report.
    pub fidelity: Vec<Option<Fidelity>>,
}

/// Similarity in fixed point with this many fractional bits: summed as an
/// integer so the chosen pairing cannot depend on float summation order.
const SIM_BITS: u32 = 32;

pub(crate) fn display_alignment(
    prepared: &Prepared,
    gold: &[GoldQuote],
    predictions: &[Prediction],
    pairs: &[Pair],
) -> Alignment {
    // Rank first and solve in rank space: the algorithm's own tie-breaking
    // then depends on positions and content, never on record order.
    let gold_order = rank(gold.len(), |a, b| gold_key_cmp(prepared, gold, a, b));
    let prediction_order = rank(predictions.len(), |a, b| {
        prediction_key_cmp(prepared, predictions, a, b)
    });
    let mut gold_rank = vec![0; gold.len()];
    for (r, &g) in gold_order.iter().enumerate() {
        gold_rank[g] = r;
    }
    let mut pred_rank = vec![0; predictions.len()];
    for (r, &p) in prediction_order.iter().enumerate() {
        pred_rank[p] = r;
    }
    let optional_by_rank: Vec<bool> = gold_order.iter().map(|&g| gold[g].optional).collect();
    let edges: Vec<(usize, usize, &Pair)> = pairs
        .iter()
        .map(|pair| (gold_rank[pair.gold], pred_rank[pair.prediction], pair))
        .collect();

    let chosen = solve(
        &optional_by_rank,
        predictions.len(),
        &edges,
        |c, g, pair| {
            // Four levels, each radix larger than all lower levels can sum to
            // over one matching of the component (at most `n` pairs):
            // required matched, optional matched, correct speakers, similarity.
            let n = c.max_pairs as i128;
            let base = if optional_by_rank[g] {
                1
            } else {
                c.optional_gold as i128 + 1
            };
            let sim_radix = n * (1i128 << SIM_BITS) + 1;
            let sim = (i128::from(pair.sim.shared) << SIM_BITS) / i128::from(pair.sim.total.max(1));
            (base * (n + 1) + i128::from(pair.speaker)) * sim_radix + sim
        },
    );

    let mut gold_verdicts: Vec<GoldVerdict> = gold
        .iter()
        .map(|g| {
            if g.optional {
                GoldVerdict::OptionalMissed
            } else {
                GoldVerdict::Missed
            }
        })
        .collect();
    let mut pred_verdicts = vec![PredictionVerdict::Spurious; predictions.len()];
    let pair_at = |g: usize, p: usize| {
        pairs
            .binary_search_by(|x| (x.gold, x.prediction).cmp(&(g, p)))
            .map(|i| &pairs[i])
            .expect("the matching only uses content pairs")
    };
    for (rg, rp) in chosen {
        let (g, p) = (gold_order[rg], prediction_order[rp]);
        let pair = pair_at(g, p);
        let optional = gold[g].optional;
        gold_verdicts[g] = GoldVerdict::Matched {
            prediction: p,
            optional,
            speaker_correct: pair.speaker,
            cue_correct: pair.cue,
            kind_correct: pair.kind,
            sim: pair.sim,
        };
        pred_verdicts[p] = if optional {
            PredictionVerdict::OptionalMatch { gold: g }
        } else {
            PredictionVerdict::Matched { gold: g }
        };
    }
    Alignment {
        gold: gold_verdicts,
        predictions: pred_verdicts,
        gold_order,
        prediction_order,
        fidelity: Vec::new(),
    }
}

/// Indices `0..n` sorted by `cmp`; a stable sort, though records that
/// compare equal are identical in everything that is shown.
fn rank(n: usize, cmp: impl Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

fn cmp_tokens(prepared: &Prepared, a: &TokenList, b: &TokenList) -> Ordering {
    let word = |&id: &u32| prepared.vocab.word(id);
    a.seq.iter().map(word).cmp(b.seq.iter().map(word))
}

/// First start, last end, tokens; then every other field but the id and
/// note, so that only records identical in what matching sees tie.
fn gold_key_cmp(prepared: &Prepared, gold: &[GoldQuote], a: usize, b: usize) -> Ordering {
    let (ga, gb) = (&gold[a], &gold[b]);
    let first_start = |g: &GoldQuote| g.content.first().map(|s| s.start);
    let last_end = |g: &GoldQuote| g.content.last().map(|s| s.end);
    first_start(ga)
        .cmp(&first_start(gb))
        .then_with(|| last_end(ga).cmp(&last_end(gb)))
        .then_with(|| cmp_tokens(prepared, &prepared.gold[a].tokens, &prepared.gold[b].tokens))
        .then_with(|| ga.content.cmp(&gb.content))
        .then_with(|| gold_speaker_key(ga).cmp(&gold_speaker_key(gb)))
        .then_with(|| ga.cue.cmp(&gb.cue))
        .then_with(|| ga.kind.cmp(&gb.kind))
        .then_with(|| ga.optional.cmp(&gb.optional))
}

/// Located predictions by (first start, last end, tokens), where first start
/// and last end are taken over the located parts; then text-only ones by
/// tokens; then those with unusable content. Then every other field but the id.
fn prediction_key_cmp(
    prepared: &Prepared,
    predictions: &[Prediction],
    a: usize,
    b: usize,
) -> Ordering {
    let (pa, pb) = (&prepared.predictions[a], &prepared.predictions[b]);
    let (ra, rb) = (&predictions[a], &predictions[b]);
    let class = |r: &Prediction, located: bool| match (r.content.is_empty(), located) {
        (true, _) => 2,
        (false, true) => 0,
        (false, false) => 1,
    };
    let extent = |located: &[Span]| {
        (
            located.iter().map(|s| s.start).min(),
            located.iter().map(|s| s.end).max(),
        )
    };
    class(ra, !pa.located.is_empty())
        .cmp(&class(rb, !pb.located.is_empty()))
        .then_with(|| extent(&pa.located).cmp(&extent(&pb.located)))
        .then_with(|| cmp_tokens(prepared, &pa.tokens, &pb.tokens))
        .then_with(|| parts_key(ra).cmp(parts_key(rb)))
        .then_with(|| mention_key(&ra.speaker).cmp(&mention_key(&rb.speaker)))
        .then_with(|| mention_key(&ra.cue).cmp(&mention_key(&rb.cue)))
        .then_with(|| ra.kind.cmp(&rb.kind))
}

type GoldSpeakerKey<'a> = Option<(Option<Span>, &'a str, Option<&'a str>, &'a [String])>;

fn gold_speaker_key(g: &GoldQuote) -> GoldSpeakerKey<'_> {
    g.speaker.as_ref().map(|s| {
        (
            s.span,
            s.text.as_str(),
            s.entity.as_deref(),
            s.aliases.as_slice(),
        )
    })
}

fn parts_key(r: &Prediction) -> impl Iterator<Item = (u8, usize, usize, &str)> {
    r.content.iter().map(|part| match part {
        PredPart::Located(s) => (0, s.start, s.end, ""),
        PredPart::Text(t) => (1, 0, 0, t.as_str()),
    })
}

fn mention_key(m: &Option<PredMention>) -> Option<(Option<Span>, &str)> {
    m.as_ref().map(|m| (m.span, m.text.as_str()))
}

/// One row of the displayed pairing in the form reports write: a gold
/// quote, a prediction, or both. Rows come gold first (by position), then
/// the spurious predictions (by position).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AlignedRow {
    /// `matched`, `optional-match`, `missed`, `optional-missed` or `spurious`.
    pub verdict: String,
    /// The gold record's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gold: Option<String>,
    /// The prediction's index in the extractor's output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prediction: Option<usize>,
    /// Whether the speaker is right (pairs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<bool>,
    /// Whether the cue is right (pairs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<bool>,
    /// Whether the kind is right (pairs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<bool>,
    /// The similarity of the contents (pairs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sim: Option<f64>,
    /// The prediction's fidelity (scoring.md §8), on every row with a
    /// prediction that has usable content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fidelity: Option<Fidelity>,
    /// The speaker the prediction gave, as its text (pairs whose
    /// prediction has one; filled in by the JSON report, which has the
    /// predictions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicted_speaker: Option<String>,
}

impl AlignedRow {
    fn alone(verdict: &str, gold: Option<String>, prediction: Option<usize>) -> AlignedRow {
        AlignedRow {
            verdict: verdict.to_string(),
            gold,
            prediction,
            speaker: None,
            cue: None,
            kind: None,
            sim: None,
            fidelity: None,
            predicted_speaker: None,
        }
    }
}

impl Alignment {
    /// The fidelity of prediction `p`, if known.
    pub fn fidelity_of(&self, p: usize) -> Option<Fidelity> {
        self.fidelity.get(p).copied().flatten()
    }

    /// The rows reports write, naming gold records by `gold_ids` (their ids,
    /// in gold order).
    pub fn rows(&self, gold_ids: &[String]) -> Vec<AlignedRow> {
        let mut rows = Vec::new();
        for &g in &self.gold_order {
            let id = gold_ids.get(g).cloned();
            rows.push(match &self.gold[g] {
                GoldVerdict::Matched {
                    prediction,
                    optional,
                    speaker_correct,
                    cue_correct,
                    kind_correct,
                    sim,
                } => AlignedRow {
                    verdict: if *optional {
                        "optional-match"
                    } else {
                        "matched"
                    }
                    .to_string(),
                    gold: id,
                    prediction: Some(*prediction),
                    speaker: Some(*speaker_correct),
                    cue: Some(*cue_correct),
                    kind: Some(*kind_correct),
                    sim: Some(sim.value()),
                    fidelity: self.fidelity_of(*prediction),
                    predicted_speaker: None,
                },
                GoldVerdict::Missed => AlignedRow::alone("missed", id, None),
                GoldVerdict::OptionalMissed => AlignedRow::alone("optional-missed", id, None),
            });
        }
        for &p in &self.prediction_order {
            if let PredictionVerdict::Spurious = self.predictions[p] {
                rows.push(AlignedRow {
                    fidelity: self.fidelity_of(p),
                    ..AlignedRow::alone("spurious", None, Some(p))
                });
            }
        }
        rows
    }

    /// [`Alignment::rows`], each pair with the speaker its prediction (of
    /// `predictions`, the article's) gave, as the JSON report writes them.
    pub fn rows_with_speakers(
        &self,
        gold_ids: &[String],
        predictions: &[Prediction],
    ) -> Vec<AlignedRow> {
        let mut rows = self.rows(gold_ids);
        for row in rows.iter_mut().filter(|r| r.gold.is_some()) {
            row.predicted_speaker = row
                .prediction
                .and_then(|p| predictions.get(p))
                .and_then(|p| p.speaker.as_ref())
                .map(|s| s.text.clone());
        }
        rows
    }
}
