//! Gold → brat standoff (PolNeAR's labels).

use std::collections::HashMap;
use std::fmt::Write;

use super::{Converted, Lost};
use crate::corpus::model::{Article, Span};
use crate::corpus::offsets::{OffsetIndex, OffsetUnit};

/// Converts an annotated article to `.txt` and `.ann`.
///
/// Each record is a `Content` text-bound annotation (with `;` between the
/// fragments of a discontinuous quote), a `Source` and a `Cue` when it has
/// them, and an event `E<n>` whose trigger is the cue span (the content
/// when there is no cue): `Attribution`, or `Attribution-no-source` when
/// the speaker is `null`. A record's `note` becomes an `AnnotatorNotes`
/// line on its event. Identical spans with the same label are written once.
///
/// # Panics
/// When the article has no gold.
pub fn to_brat(article: &Article) -> Converted {
    let gold = article
        .gold
        .as_ref()
        .expect("exported articles are annotated");
    let text = &article.text;
    let index = OffsetIndex::new(text);
    let mut lost = Lost::default();
    lost.article_fields(article);
    let mut bounds: Vec<(&'static str, Vec<Span>)> = Vec::new();
    let mut ids: HashMap<(&'static str, Vec<Span>), usize> = HashMap::new();
    let mut t = |label: &'static str, spans: Vec<Span>| -> usize {
        *ids.entry((label, spans.clone())).or_insert_with(|| {
            bounds.push((label, spans));
            bounds.len()
        })
    };
    let mut events = String::new();
    let mut notes = String::new();
    for (i, q) in gold.quotes.iter().enumerate() {
        let n = i + 1;
        if q.id != format!("E{n}") {
            lost.record("record id (brat numbers events E1, E2, …)");
        }
        if q.kind.is_some() {
            lost.record("kind");
        }
        if q.optional {
            lost.record("optional");
        }
        if let Some(sp) = q.speaker.as_ref().filter(|sp| sp.span.is_none()) {
            // brat's Source is a span: a speaker without a mention has none.
            lost.record("speaker given by entity alone (no mention in the text)");
            if !sp.aliases.is_empty() {
                lost.record("speaker aliases");
            }
        } else if let Some(sp) = &q.speaker {
            if sp.entity.is_some() {
                lost.record("speaker entity");
            }
            if !sp.aliases.is_empty() {
                lost.record("speaker aliases");
            }
        }
        let content = t("Content", q.content.clone());
        let source = q
            .speaker
            .as_ref()
            .and_then(|sp| sp.span)
            .map(|span| t("Source", vec![span]));
        let cue = q.cue.map(|c| t("Cue", vec![c]));
        let kind = if source.is_some() {
            "Attribution"
        } else {
            "Attribution-no-source"
        };
        let trigger = t(
            kind,
            match q.cue {
                Some(c) => vec![c],
                None => q.content.clone(),
            },
        );
        let _ = write!(events, "E{n}\t{kind}:T{trigger}");
        if let Some(c) = cue {
            let _ = write!(events, " Cue:T{c}");
        }
        if let Some(s) = source {
            let _ = write!(events, " Source:T{s}");
        }
        let _ = writeln!(events, " Content:T{content}");
        if let Some(note) = &q.note {
            let _ = writeln!(notes, "#{n}\tAnnotatorNotes E{n}\t{}", one_line(note));
        }
    }
    // Ignored regions are PolNeAR's Discard spans, one a region.
    for &region in &gold.ignore {
        t("Discard", vec![region]);
    }
    let mut ann = String::new();
    for (i, (label, spans)) in bounds.iter().enumerate() {
        let frags: Vec<String> = spans
            .iter()
            .map(|s| {
                format!(
                    "{} {}",
                    index.from_byte(OffsetUnit::Codepoint, s.start),
                    index.from_byte(OffsetUnit::Codepoint, s.end)
                )
            })
            .collect();
        let shown: Vec<&str> = spans.iter().map(|s| s.slice(text)).collect();
        let _ = writeln!(
            ann,
            "T{}\t{label} {}\t{}",
            i + 1,
            frags.join(";"),
            one_line(&shown.join(" "))
        );
    }
    ann.push_str(&events);
    ann.push_str(&notes);
    if gold.status == crate::corpus::model::Status::Draft {
        // brat has no document-level field: a one-line note of quotecheck's
        // own type, on the first span, keeps a draft a draft.
        ann.push_str("#0\tQuotecheckStatus T1\tdraft\n");
    }
    Converted {
        files: vec![("txt", text.clone()), ("ann", ann)],
        lost,
    }
}

/// brat is line-based: line breaks and tabs in a text column become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect()
}
