//! The built-in baseline extractor: rule-based, in-process, no model.
//!
//! It finds direct quotes by their quote marks, indirect and mixed quotes
//! by their reporting verbs, and attributes each to the noun phrase of the
//! reporting clause next to it. The rules are general rules of news
//! writing; docs/baseline.md lists them with their limits.
//!
//! The work is done in stages, one module each:
//!
//! - `marks`: paragraphs, quote marks (apostrophes told apart), quotations;
//! - `units`: the text outside quotations as words, punctuation, whole
//!   quotations and breaks, and its sentences;
//! - `lexicon`: the word lists; `cues`: reporting verbs; `speakers`: noun
//!   phrases and what pronouns refer to;
//! - `direct`: attributing quotations, split quotes, scare quotes;
//! - `indirect`: reported clauses without quote marks.
//!
//! Every stage is linear in the length of the article (each quotation and
//! each cue looks at a bounded window of words), and no input makes it
//! panic: all spans come from character boundaries of the text.

mod cues;
mod direct;
mod europe;
mod indirect;
mod japanese;
mod languages;
mod lexicon;
mod marks;
mod speakers;
mod units;

pub use languages::{detect, Lang};

use super::{Extractor, Failure, Output};
use crate::corpus::{Article, Kind, PredMention, PredPart, Prediction, Span};
use lexicon::Pronoun;
use speakers::Mention;
use units::Doc;

/// The baseline extractor (docs/baseline.md).
///
/// ```
/// use quotecheck::extract::baseline::Baseline;
///
/// let text = "“We will rebuild,” the mayor said.";
/// let quotes = Baseline::new().find(text);
/// assert_eq!(quotes[0].content_text(text), ["We will rebuild,"]);
/// assert_eq!(quotes[0].speaker_text(text), Some("the mayor"));
/// assert_eq!(quotes[0].cue_text(text), Some("said"));
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Baseline {
    /// The language of every article; `None`: each article's own
    /// (`language` in its gold file), else the detector's.
    language: Option<Lang>,
}

/// One quote the baseline found. Every span is a byte range of the text it
/// was found in, on character boundaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// The content: one part, or several in text order (a split quote, a
    /// quote over several paragraphs, a reported clause interrupted by its
    /// attribution).
    pub content: Vec<Span>,
    /// The speaker mention: a name with its titles, a role phrase, or a
    /// pronoun. For a quotation with no attribution of its own, the
    /// mention of the quote before it (see [`Quote::carried`]).
    pub speaker: Option<Span>,
    /// The cue: the reporting verb with its auxiliaries, or `according to`.
    pub cue: Option<Span>,
    /// Direct, indirect or mixed.
    pub kind: Kind,
    /// When the speaker is a pronoun (`he`, `she`, `it`, `they`, `we`,
    /// `I`): the nearest named mention before it that the pronoun can
    /// refer to, if any.
    pub antecedent: Option<Span>,
    /// Whether the speaker and cue were carried over from the previous
    /// quote (a quotation with no attribution of its own).
    pub carried: bool,
}

impl Quote {
    /// The content parts as text.
    pub fn content_text<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.content.iter().map(|s| s.slice(text)).collect()
    }

    /// The speaker mention as text.
    pub fn speaker_text<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.speaker.map(|s| s.slice(text))
    }

    /// The cue as text.
    pub fn cue_text<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.cue.map(|s| s.slice(text))
    }

    /// The antecedent of a pronoun speaker as text.
    pub fn antecedent_text<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.antecedent.map(|s| s.slice(text))
    }

    /// The record quotecheck scores, with `id` as its id.
    pub fn to_prediction(&self, text: &str, id: impl Into<String>) -> Prediction {
        let mention = |s: Span| PredMention {
            span: Some(s),
            text: s.slice(text).to_string(),
        };
        Prediction {
            id: Some(id.into()),
            content: self.content.iter().map(|&s| PredPart::Located(s)).collect(),
            speaker: self.speaker.map(mention),
            cue: self.cue.map(mention),
            kind: Some(self.kind),
        }
    }
}

/// A record while the rules work on it.
#[derive(Clone, Debug)]
struct Rec {
    content: Vec<Span>,
    speaker: Option<Mention>,
    cue: Option<Span>,
    kind: Kind,
    /// No attribution of its own: takes the previous record's.
    inherits: bool,
}

impl Rec {
    /// Quotation `q` of `doc` as a direct quote with no attribution of its
    /// own: it takes the previous record's.
    fn unattributed(doc: &units::Doc, q: usize) -> Rec {
        Rec {
            content: doc.quotes[q].parts.clone(),
            speaker: None,
            cue: None,
            kind: Kind::Direct,
            inherits: true,
        }
    }
}

impl Baseline {
    /// The baseline extractor.
    pub fn new() -> Baseline {
        Baseline::default()
    }

    /// The baseline reading every article as `language` (`None`: the
    /// article's own, else the detector's; docs/baseline.md, "Languages").
    pub fn with_language(language: Option<Lang>) -> Baseline {
        Baseline { language }
    }

    /// The language this baseline reads every article as, if fixed.
    pub fn language(&self) -> Option<Lang> {
        self.language
    }

    /// The quotes of `text`, in text order, in the baseline's language or
    /// the one [`detect`] finds.
    pub fn find(&self, text: &str) -> Vec<Quote> {
        self.find_in(text, self.language.unwrap_or_else(|| detect(text)))
    }

    /// The quotes of `text` read as `lang`, in text order.
    pub fn find_in(&self, text: &str, lang: Lang) -> Vec<Quote> {
        let mut doc = Doc::new(text);
        let mut recs = match lang {
            Lang::En => {
                let (mut recs, mut held) = direct::attributed(&mut doc);
                indirect::find(&mut doc, &mut held, &mut recs);
                direct::unattributed(&doc, &held, &mut recs);
                recs
            }
            Lang::De | Lang::Fr => europe::find(&mut doc, languages::words(lang)),
            Lang::Ja => japanese::find(&mut doc, languages::words(lang)),
        };
        recs.sort_by_key(|r| {
            (
                r.content.first().map(|s| s.start),
                r.content.last().map(|s| s.end),
            )
        });
        // German news corpora annotate each quotation on its own.
        if lang != Lang::De {
            recs = join_paragraph_quotes(text, recs);
        }
        resolve(&doc, recs)
    }
}

impl Extractor for Baseline {
    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        let lang = self
            .language
            .or_else(|| {
                let tag = article.gold.as_ref()?.language.as_deref()?;
                Lang::from_tag(tag)
            })
            .unwrap_or_else(|| detect(&article.text));
        let quotes = self.find_in(&article.text, lang);
        Ok(quotes
            .iter()
            .enumerate()
            .map(|(i, q)| q.to_prediction(&article.text, format!("b{}", i + 1)))
            .collect::<Vec<_>>()
            .into())
    }

    fn name(&self) -> &str {
        "baseline"
    }

    fn version(&self) -> Option<&str> {
        Some(env!("CARGO_PKG_VERSION"))
    }

    /// Rules on the text: the same answer every time.
    fn deterministic(&self) -> bool {
        true
    }
}

/// Names in the text outside quotations: two or more capitalised words, or
/// a title and a name (`Mr Ortiz`). Pronouns may refer to these as well as
/// to named speakers.
fn names(doc: &Doc) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.len() {
        if doc.namey(i) || doc.word(i).is_some_and(lexicon::title) && doc.capitalised(i) {
            let mut j = i;
            while j + 1 < doc.len()
                && (doc.namey(j + 1)
                    || doc.word(j + 1).is_some_and(lexicon::particle) && doc.namey(j + 2)
                    || doc.is_punct(j + 1, &['.'])
                        && doc.word(j).is_some_and(lexicon::abbreviation)
                        && doc.namey(j + 2))
            {
                j += 1;
            }
            if j > i {
                out.push(Mention::of(doc, i, j));
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// The longest stretch between two quotations joined into one record.
const MAX_JOIN_GAP: usize = 400;

/// A quotation with no attribution of its own right after an attributed
/// direct quote in the same paragraph continues it: one record, one more
/// content part (`“We lost,” she said. “It hurts.”`), as the corpora
/// annotate it (but German news corpora: each quotation is a record).
fn join_paragraph_quotes(text: &str, recs: Vec<Rec>) -> Vec<Rec> {
    let mut out: Vec<Rec> = Vec::with_capacity(recs.len());
    for r in recs {
        if let (true, Kind::Direct, Some(p)) = (r.inherits, r.kind, out.last_mut()) {
            let gap = match (p.content.last(), r.content.first()) {
                (Some(a), Some(b)) if a.end <= b.start && b.start - a.end <= MAX_JOIN_GAP => {
                    text.get(a.end..b.start)
                }
                _ => None,
            };
            if p.kind == Kind::Direct
                && p.speaker.is_some()
                && gap.is_some_and(|g| !g.contains('\n'))
            {
                p.content.extend(r.content);
                continue;
            }
        }
        out.push(r);
    }
    out
}

/// Resolves pronoun speakers and carries speakers over to quotations with
/// no attribution, in text order.
fn resolve(doc: &Doc, recs: Vec<Rec>) -> Vec<Quote> {
    // Named speakers and the other names of the text (those not part of a
    // speaker mention), in text order.
    let mut named: Vec<Mention> = recs
        .iter()
        .filter_map(|r| r.speaker)
        .filter(|m| m.pronoun.is_none() && m.named)
        .collect();
    named.sort_by_key(|m| (m.span.start, m.span.end));
    let inside_speaker = |n: &Mention| {
        let end = named.partition_point(|m| m.span.start < n.span.end);
        named[..end]
            .iter()
            .rev()
            .take(4)
            .any(|m| m.span.overlaps(n.span))
    };
    let others: Vec<Mention> = names(doc)
        .into_iter()
        .filter(|n| !inside_speaker(n))
        .collect();
    named.extend(others);
    named.sort_by_key(|m| (m.span.start, m.span.end));
    let antecedent = |m: &Mention| -> Option<Span> {
        let p: Pronoun = m.pronoun?;
        let end = named.partition_point(|n| n.span.start < m.span.start);
        named[..end]
            .iter()
            .rev()
            .take(30)
            .find(|n| n.span.end <= m.span.start && n.fits(p))
            .map(|n| n.span)
    };
    let mut out: Vec<Quote> = Vec::with_capacity(recs.len());
    for r in recs {
        let mut q = Quote {
            content: r.content,
            speaker: r.speaker.map(|m| m.span),
            cue: r.cue,
            kind: r.kind,
            antecedent: r.speaker.as_ref().and_then(antecedent),
            carried: false,
        };
        if r.inherits {
            if let Some(prev) = out.iter().rev().find(|p| p.speaker.is_some()) {
                q.speaker = prev.speaker;
                q.antecedent = prev.antecedent;
                q.cue = prev.cue;
                q.carried = true;
            }
        }
        out.push(q);
    }
    out
}
