//! The gold record a prediction suggests: how an extractor's output
//! becomes a draft annotation, or the reference another extractor is
//! scored against where there is no gold.

use super::{GoldQuote, GoldSpeaker, PredMention, PredPart, Prediction, Span};

/// The gold record a prediction suggests, if it can be one: every content
/// part must be located (a text-only part is located when it occurs exactly
/// once in the article). Used for drafts, and by `compare` to score one
/// extractor against another where there is no gold.
pub fn draft_record(text: &str, n: usize, p: &Prediction) -> Option<GoldQuote> {
    let locate = |t: &str| -> Option<Span> {
        let mut found = text.match_indices(t);
        let (at, _) = found.next()?;
        found.next().is_none().then(|| Span::new(at, at + t.len()))
    };
    let content: Option<Vec<Span>> = p
        .content
        .iter()
        .map(|part| match part {
            PredPart::Located(s) => Some(*s),
            PredPart::Text(t) => locate(t),
        })
        .collect();
    let content = content.filter(|c| !c.is_empty())?;
    if !content
        .iter()
        .any(|s| crate::text::has_tokens(s.slice(text)))
    {
        return None;
    }
    let mention = |m: &PredMention| m.span.or_else(|| locate(&m.text)).filter(|s| !s.is_empty());
    let speaker = p.speaker.as_ref().and_then(|m| {
        let span = mention(m)?;
        Some(GoldSpeaker {
            span: Some(span),
            text: span.slice(text).to_string(),
            entity: Some(m.text.clone()),
            aliases: Vec::new(),
        })
    });
    Some(GoldQuote {
        id: format!("q{n}"),
        kind: p.kind,
        content,
        speaker,
        cue: p.cue.as_ref().and_then(mention),
        optional: false,
        note: None,
    })
}
