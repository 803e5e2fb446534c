//! `ignore`: the regions of an article that gold leaves out of scoring
//! (text the annotators excluded, such as PolNeAR's `Discard` spans:
//! bylines, boilerplate). A list of spans; no record's content may
//! overlap one (corpus.md, scoring.md §4).

use serde_json::{Map, Value};

use super::diagnostics::{excerpt, show, Diagnostics};
use super::spans::SpanReader;
use crate::corpus::model::{GoldQuote, Span};

const SPAN_FIELDS: &[&str] = &["start", "end", "text"];

/// `ignore`: absent, `null` or a list of gold spans.
pub(super) fn resolve_ignore(
    obj: &Map<String, Value>,
    spans: SpanReader<'_, '_>,
    diag: &mut Diagnostics<'_>,
) -> Vec<Span> {
    match obj.get("ignore") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                spans.gold_span(v, &format!("ignore[{i}]"), None, SPAN_FIELDS, diag)
            })
            .collect(),
        Some(other) => {
            diag.error(
                "wrong-type",
                "ignore",
                None,
                format!("`ignore` must be a list of spans, not {}", show(other)),
            )
            .hint =
                Some("give `[{\"start\", \"end\", \"text\"}, …]`, or leave `ignore` out".into());
            Vec::new()
        }
    }
}

/// Reports every record whose content overlaps an ignored region: the
/// region is left out of scoring, so the record could not be scored as
/// written.
pub(super) fn check_ignore(
    quotes: &[GoldQuote],
    ignore: &[Span],
    text: &str,
    diag: &mut Diagnostics<'_>,
) {
    for q in quotes {
        let Some(region) = ignore
            .iter()
            .find(|r| q.content.iter().any(|c| c.overlaps(**r)))
        else {
            continue;
        };
        let issue = diag.error(
            "content-in-ignored-region",
            "",
            Some(&q.id),
            format!(
                "the content of {:?} overlaps the ignored region {}..{}",
                q.id, region.start, region.end
            ),
        );
        issue.context = Some(excerpt(text, *region));
        issue.hint = Some(
            "predictions inside ignored regions are not scored: shrink the region, or remove the record".into(),
        );
    }
}
