//! The field layout shared by renderings and diffs: one block per record,
//! one field per line group, in a fixed order.
//!
//! A block is a header line and labelled fields:
//!
//! ```text
//! q4 ⇄ p@262 · matched
//!   at       @262-357
//!   content  the Libyan government supported dialogue with the US but only if
//!            it was free from preconditions
//!   speaker  "A spokesman" @245-256 → Libyan government spokesman
//!   cue      "said" @257-261
//!   kind     indirect
//! ```
//!
//! Positions are code points (what most readers' tools count), values are
//! escaped to one line and wrapped at [`WIDTH`] columns.

use crate::align::{Alignment, Fidelity, GoldVerdict, PredictionVerdict, Scheme, Similarity};
use crate::corpus::{GoldQuote, OffsetIndex, OffsetUnit, PredMention, PredPart, Prediction, Span};
use crate::text::tokens;

use super::names::prediction_names;
use super::wrap::{escape, width, wrap, WIDTH};

/// Width of the label column: two spaces, the longest label, two spaces.
const LABEL_WIDTH: usize = 11;

/// A labelled group of lines, already laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Field {
    pub(crate) label: &'static str,
    pub(crate) lines: Vec<String>,
}

impl Field {
    /// `value` wrapped under `label`; continuation lines are indented to
    /// the value column.
    pub(crate) fn new(label: &'static str, value: &str) -> Field {
        Field::laid_out(label, wrap(value, WIDTH - LABEL_WIDTH))
    }

    /// `items` joined by `, `, wrapped between items where they fit, so
    /// that an item breaks only when it is longer than a line.
    fn list(label: &'static str, items: &[String]) -> Field {
        let room = WIDTH - LABEL_WIDTH;
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for (i, item) in items.iter().enumerate() {
            let item = if i + 1 < items.len() {
                format!("{item},")
            } else {
                item.clone()
            };
            let joined = if line.is_empty() {
                item.clone()
            } else {
                format!("{line} {item}")
            };
            if width(&joined) <= room {
                line = joined;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut parts = wrap(&item, room);
            line = parts.pop().unwrap_or_default();
            lines.extend(parts);
        }
        lines.push(line);
        Field::laid_out(label, lines)
    }

    fn laid_out(label: &'static str, lines: Vec<String>) -> Field {
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let lead = if i == 0 {
                    format!("  {label:<w$}", w = LABEL_WIDTH - 2)
                } else {
                    " ".repeat(LABEL_WIDTH)
                };
                if line.is_empty() {
                    lead.trim_end().to_owned()
                } else {
                    lead + &line
                }
            })
            .collect();
        Field { label, lines }
    }

    /// The field with ` ✗` after its value, marking it wrong.
    fn wrong(label: &'static str, value: &str) -> Field {
        Field::new(label, &format!("{value} ✗"))
    }
}

/// A header line and its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) header: String,
    pub(crate) fields: Vec<Field>,
}

impl Block {
    pub(crate) fn lines(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.header.as_str()).chain(
            self.fields
                .iter()
                .flat_map(|f| f.lines.iter().map(String::as_str)),
        )
    }
}

/// One article's records seen through its alignment: names, order and
/// positions that do not depend on the order of the records.
pub(crate) struct View<'a> {
    pub(crate) text: &'a str,
    index: OffsetIndex<'a>,
    pub(crate) gold: &'a [GoldQuote],
    pub(crate) predictions: &'a [Prediction],
    pub(crate) alignment: &'a Alignment,
    scheme: &'a Scheme,
    /// Rank of each gold quote in `alignment.gold_order`.
    gold_rank: Vec<usize>,
    /// Rank of each prediction in `alignment.prediction_order`.
    pred_rank: Vec<usize>,
    /// Id and note shown at each gold rank.
    gold_labels: Vec<(&'a str, Option<&'a str>)>,
    /// The extractor's id shown at each prediction rank.
    pred_ids: Vec<Option<&'a str>>,
    /// The name at each prediction rank (`p@519`, [`super::names`]).
    pred_names: Vec<String>,
}

impl<'a> View<'a> {
    /// # Panics
    /// When `alignment` is not an alignment of `gold` and `predictions`.
    pub(crate) fn new(
        text: &'a str,
        gold: &'a [GoldQuote],
        predictions: &'a [Prediction],
        alignment: &'a Alignment,
        scheme: &'a Scheme,
    ) -> View<'a> {
        assert!(
            alignment.gold.len() == gold.len()
                && alignment.gold_order.len() == gold.len()
                && alignment.predictions.len() == predictions.len()
                && alignment.prediction_order.len() == predictions.len(),
            "the alignment is not one of these records: {} gold quotes and {} predictions, \
             but it has {} and {}",
            gold.len(),
            predictions.len(),
            alignment.gold.len(),
            alignment.predictions.len(),
        );
        let gold_rank = inverse(&alignment.gold_order);
        let pred_rank = inverse(&alignment.prediction_order);
        // Records that differ only in what ranking ignores (ids, notes)
        // tie, and ties keep input order. Show their ids sorted, so that
        // shuffling such records changes nothing: they are interchangeable
        // in everything else shown.
        let gold_labels = relabel(
            &alignment.gold_order,
            |a, b| same_gold(&gold[a], &gold[b]),
            |g| (gold[g].id.as_str(), gold[g].note.as_deref()),
        );
        let pred_ids = relabel(
            &alignment.prediction_order,
            |a, b| same_prediction(&predictions[a], &predictions[b]),
            |p| predictions[p].id.as_deref(),
        );
        let index = OffsetIndex::new(text);
        let names = prediction_names(text, predictions, alignment);
        let pred_names = alignment
            .prediction_order
            .iter()
            .map(|&p| names[p].clone())
            .collect();
        View {
            text,
            index,
            gold,
            predictions,
            alignment,
            scheme,
            gold_rank,
            pred_rank,
            gold_labels,
            pred_ids,
            pred_names,
        }
    }

    /// Gold indices in display order.
    pub(crate) fn gold_order(&self) -> &'a [usize] {
        &self.alignment.gold_order
    }

    /// Prediction indices in display order.
    pub(crate) fn prediction_order(&self) -> &'a [usize] {
        &self.alignment.prediction_order
    }

    /// The gold quote's id.
    pub(crate) fn gold_name(&self, g: usize) -> String {
        escape(self.gold_labels[self.gold_rank[g]].0).into_owned()
    }

    /// `p@<first located start>` (in code points; `p@text` for content
    /// given as text only, `p@none` for none usable; `#2`, `#3`, … after
    /// a name met before in display order), then the extractor's id in
    /// brackets if it gave one.
    pub(crate) fn pred_name(&self, p: usize) -> String {
        let rank = self.pred_rank[p];
        let name = &self.pred_names[rank];
        match self.pred_ids[rank] {
            Some(id) => format!("{name} [{}]", escape(id)),
            None => name.clone(),
        }
    }

    fn cp(&self, byte: usize) -> usize {
        self.index.from_byte(OffsetUnit::Codepoint, byte)
    }

    fn range(&self, span: Span) -> String {
        format!("{}-{}", self.cp(span.start), self.cp(span.end))
    }

    fn quoted_at(&self, span: Span) -> String {
        format!(
            "\"{}\" @{}",
            escape(span.slice(self.text)),
            self.range(span)
        )
    }

    // Gold fields.

    fn gold_at(&self, g: &GoldQuote) -> Field {
        let ranges: Vec<String> = g.content.iter().map(|&s| self.range(s)).collect();
        Field::new("at", &format!("@{}", ranges.join(",")))
    }

    fn gold_content(&self, g: &GoldQuote) -> Field {
        let parts: Vec<_> = g
            .content
            .iter()
            .map(|s| escape(s.slice(self.text)))
            .collect();
        Field::new("content", &parts.join(" … "))
    }

    fn gold_speaker(&self, g: &GoldQuote) -> Field {
        let value = match &g.speaker {
            None => "none".to_owned(),
            Some(s) => {
                // A speaker given by entity alone has no mention to show.
                let mention = s
                    .span
                    .map_or("no mention".to_owned(), |at| self.quoted_at(at));
                match &s.entity {
                    Some(entity) => format!("{mention} → {}", escape(entity)),
                    None => mention,
                }
            }
        };
        Field::new("speaker", &value)
    }

    fn gold_cue(&self, g: &GoldQuote) -> Field {
        Field::new(
            "cue",
            &g.cue.map_or("none".to_owned(), |c| self.quoted_at(c)),
        )
    }

    fn gold_kind(&self, g: &GoldQuote) -> Field {
        Field::new("kind", g.kind.map_or("untyped", |k| k.as_str()))
    }

    /// The fields every gold block has, in order.
    pub(crate) fn gold_fields(&self, g: usize) -> Vec<Field> {
        let q = &self.gold[g];
        vec![
            self.gold_at(q),
            self.gold_content(q),
            self.gold_speaker(q),
            self.gold_cue(q),
            self.gold_kind(q),
        ]
    }

    /// The gold fields plus what only a review of the gold needs: the
    /// speaker's aliases and the curator's note.
    pub(crate) fn gold_review_fields(&self, g: usize) -> Vec<Field> {
        let q = &self.gold[g];
        let mut fields = self.gold_fields(g);
        if let Some(s) = q.speaker.as_ref().filter(|s| !s.aliases.is_empty()) {
            let aliases: Vec<String> = s
                .aliases
                .iter()
                .map(|a| format!("\"{}\"", escape(a)))
                .collect();
            fields.insert(3, Field::list("aliases", &aliases));
        }
        if let Some(note) = self.gold_labels[self.gold_rank[g]].1 {
            fields.push(Field::new("note", &escape(note)));
        }
        fields
    }

    // Prediction fields.

    fn pred_at(&self, p: &Prediction) -> String {
        if p.content.is_empty() {
            return "none".to_owned();
        }
        let parts: Vec<String> = p
            .content
            .iter()
            .map(|part| match part {
                PredPart::Located(s) => self.range(*s),
                PredPart::Text(_) => "text".to_owned(),
            })
            .collect();
        format!("@{}", parts.join(","))
    }

    fn pred_content(&self, p: &Prediction) -> Field {
        if p.content.is_empty() {
            return Field::new("content", "(unusable: no content it could be matched on)");
        }
        let parts: Vec<_> = p
            .content
            .iter()
            .map(|part| match part {
                PredPart::Located(s) => escape(s.slice(self.text)),
                PredPart::Text(t) => escape(t),
            })
            .collect();
        Field::new("content", &parts.join(" … "))
    }

    fn mention(&self, m: &Option<PredMention>) -> String {
        match m {
            None => "none".to_owned(),
            Some(PredMention {
                span: Some(span), ..
            }) => self.quoted_at(*span),
            Some(PredMention { span: None, text }) => format!("\"{}\"", escape(text)),
        }
    }

    fn pred_kind(p: &Prediction) -> &'static str {
        p.kind.map_or("none", |k| k.as_str())
    }

    /// The prediction's own fields, in the gold fields' order.
    pub(crate) fn prediction_fields(&self, p: usize) -> Vec<Field> {
        let r = &self.predictions[p];
        let mut fields = vec![
            Field::new("at", &self.pred_at(r)),
            self.pred_content(r),
            Field::new("speaker", &self.mention(&r.speaker)),
            Field::new("cue", &self.mention(&r.cue)),
            Field::new("kind", View::pred_kind(r)),
        ];
        fields.extend(self.fidelity(p));
        fields
    }

    /// `fidelity  altered`: the prediction's fidelity (scoring.md §8),
    /// shown only when it is not `verbatim`, so that renderings of located
    /// predictions and of faithful quotes are as they always were.
    fn fidelity(&self, p: usize) -> Option<Field> {
        let f = self.alignment.fidelity_of(p)?;
        (f != Fidelity::Verbatim).then(|| Field::new("fidelity", f.as_str()))
    }

    /// The prediction paired with gold quote `g`, laid out like the gold
    /// block so that only what the scorer finds different differs: content
    /// with the gold's tokens is shown as the gold's, a right speaker, cue
    /// or kind as the gold's; a near miss shows its own position (with its
    /// similarity) and text, a wrong field the prediction's value and `✗`.
    pub(crate) fn paired_fields(&self, g: usize, p: usize) -> Vec<Field> {
        let GoldVerdict::Matched {
            speaker_correct,
            cue_correct,
            kind_correct,
            sim,
            ..
        } = self.alignment.gold[g]
        else {
            unreachable!("only matched gold quotes are paired")
        };
        let r = &self.predictions[p];
        let mut fields = self.gold_fields(g);
        if !is_one(sim) {
            fields[0] = Field::new(
                "at",
                &format!("{} · {}", self.pred_at(r), self.sim_text(sim)),
            );
            fields[1] = self.pred_content(r);
        }
        if !speaker_correct {
            fields[2] = Field::wrong("speaker", &self.mention(&r.speaker));
        }
        if !cue_correct {
            fields[3] = Field::wrong("cue", &self.mention(&r.cue));
        }
        if !kind_correct {
            fields[4] = Field::wrong("kind", View::pred_kind(r));
        }
        fields.extend(self.fidelity(p));
        fields
    }

    /// The verdict line of a paired prediction: ✓ or ✗ for speaker, cue and
    /// kind, and the similarity against the scheme.
    pub(crate) fn checks(&self, g: usize) -> Field {
        let GoldVerdict::Matched {
            speaker_correct,
            cue_correct,
            kind_correct,
            sim,
            ..
        } = self.alignment.gold[g]
        else {
            unreachable!("only matched gold quotes have checks")
        };
        let mark = |ok: bool| if ok { "✓" } else { "✗" };
        Field::new(
            "checks",
            &format!(
                "speaker {} · cue {} · kind {} · {}",
                mark(speaker_correct),
                mark(cue_correct),
                mark(kind_correct),
                self.sim_text(sim)
            ),
        )
    }

    /// `sim 0.70 ≥ 0.5 (12/17)`: the similarity, truncated to two decimals
    /// (so it never shows 1 unless it is 1), against the scheme, with the
    /// exact fraction of shared tokens over their union.
    pub(crate) fn sim_text(&self, sim: Similarity) -> String {
        let value = if is_one(sim) {
            "1".to_owned()
        } else {
            let hundredths = u128::from(sim.shared) * 100 / u128::from(sim.total.max(1));
            format!("0.{hundredths:02}")
        };
        let fraction = if is_one(sim) {
            String::new()
        } else {
            format!(" ({}/{})", sim.shared, sim.total)
        };
        match self.scheme {
            Scheme::Overlap(theta) => {
                let op = if theta.accepts(sim.shared, sim.total) {
                    "≥"
                } else {
                    "<"
                };
                format!("sim {value} {op} {theta}{fraction}")
            }
            Scheme::Exact => format!("sim {value}{fraction} · exact"),
        }
    }

    /// For a prediction no gold quote was paired with: the gold quote it
    /// came closest to among those the location rule lets it match, so a
    /// near miss below the threshold shows as one.
    pub(crate) fn nearest(&self, p: usize) -> Option<Field> {
        let r = &self.predictions[p];
        if r.content.is_empty() {
            return None;
        }
        let located: Vec<Span> = r
            .content
            .iter()
            .filter_map(|part| match part {
                PredPart::Located(s) if !s.is_empty() => Some(*s),
                _ => None,
            })
            .collect();
        let text_only = r.content.iter().all(|p| matches!(p, PredPart::Text(_)));
        let pred_tokens: Vec<String> = r
            .content
            .iter()
            .flat_map(|part| match part {
                PredPart::Located(s) => tokens(s.slice(self.text)),
                PredPart::Text(t) => tokens(t),
            })
            .collect();
        let mut best: Option<(usize, Similarity)> = None;
        let mut overlapped = false;
        for &g in self.gold_order() {
            let q = &self.gold[g];
            let candidate = text_only
                || q.content
                    .iter()
                    .any(|c| located.iter().any(|s| s.overlaps(*c)));
            if !candidate {
                continue;
            }
            overlapped = true;
            let gold_tokens: Vec<String> = q
                .content
                .iter()
                .flat_map(|s| tokens(s.slice(self.text)))
                .collect();
            let sim = Similarity::of(&gold_tokens, &pred_tokens);
            let better = best.is_none_or(|(_, b)| {
                u128::from(sim.shared) * u128::from(b.total)
                    > u128::from(b.shared) * u128::from(sim.total)
            });
            if sim.shared > 0 && better {
                best = Some((g, sim));
            }
        }
        let value = match best {
            None if text_only => "none: no gold quote shares a token with it".to_owned(),
            None if overlapped => {
                "none: the gold quotes it overlaps share no token with it".to_owned()
            }
            None => "none: no gold quote overlaps it".to_owned(),
            Some((g, sim)) => {
                let taken = match self.alignment.gold[g] {
                    GoldVerdict::Matched { prediction, .. } => {
                        format!(" · paired with {}", self.pred_name(prediction))
                    }
                    // Close enough, free, and still unpaired: only
                    // --require-verbatim refuses such a pair (scoring.md §8).
                    _ if self.passes(sim)
                        && self
                            .alignment
                            .fidelity_of(p)
                            .is_some_and(Fidelity::is_unfaithful) =>
                    {
                        " · refused: not verbatim".to_owned()
                    }
                    _ => String::new(),
                };
                format!("{} · {}{taken}", self.gold_name(g), self.sim_text(sim))
            }
        };
        Some(Field::new("nearest", &value))
    }

    /// Whether a similarity alone makes a pair match: under `overlap`;
    /// under `exact` the order of tokens matters too, which `sim` does
    /// not say.
    fn passes(&self, sim: Similarity) -> bool {
        match self.scheme {
            Scheme::Overlap(theta) => theta.accepts(sim.shared, sim.total),
            Scheme::Exact => false,
        }
    }

    /// What the alignment says of prediction `p`.
    pub(crate) fn pred_verdict(&self, p: usize) -> &PredictionVerdict {
        &self.alignment.predictions[p]
    }

    /// The position a block is sorted by in a diff: the first start of a
    /// gold quote's content, the first located start of a prediction's.
    pub(crate) fn gold_start(&self, g: usize) -> usize {
        self.gold[g].content.first().map_or(0, |s| s.start)
    }

    /// See [`View::gold_start`]; `None` for a prediction with no located part.
    pub(crate) fn prediction_start(&self, p: usize) -> Option<usize> {
        self.predictions[p]
            .content
            .iter()
            .filter_map(|part| match part {
                PredPart::Located(s) => Some(s.start),
                PredPart::Text(_) => None,
            })
            .min()
    }
}

/// Whether the contents have the same tokens.
pub(crate) fn is_one(sim: Similarity) -> bool {
    sim.total > 0 && sim.shared == sim.total
}

fn inverse(order: &[usize]) -> Vec<usize> {
    let mut rank = vec![0; order.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    rank
}

/// The label of each rank: `label(order[r])`, except that within a run of
/// adjacent ranks whose records are `same`, the labels are sorted.
fn relabel<L: Ord>(
    order: &[usize],
    same: impl Fn(usize, usize) -> bool,
    label: impl Fn(usize) -> L,
) -> Vec<L> {
    let mut labels: Vec<L> = order.iter().map(|&i| label(i)).collect();
    let mut start = 0;
    for r in 1..=order.len() {
        if r == order.len() || !same(order[r - 1], order[r]) {
            labels[start..r].sort();
            start = r;
        }
    }
    labels
}

fn same_gold(a: &GoldQuote, b: &GoldQuote) -> bool {
    a.kind == b.kind
        && a.content == b.content
        && a.speaker == b.speaker
        && a.cue == b.cue
        && a.optional == b.optional
}

fn same_prediction(a: &Prediction, b: &Prediction) -> bool {
    a.content == b.content && a.speaker == b.speaker && a.cue == b.cue && a.kind == b.kind
}
