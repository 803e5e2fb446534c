//! An extractor tested the way a project tests its own: every article of
//! the corpus asserted against an accepted snapshot, and a minimum F1.
//!
//! The extractor is a few rules: text between curly quotes is a direct
//! quote; a cue word (`said`, `told`, …) soon after the closing mark gives
//! the cue, and the words between the mark and the cue (`she said`) or
//! right after the cue (`said Tom Greaves`) the speaker.
//!
//! `cargo test --example assert_corpus` runs the test below; its snapshots
//! are in `examples/snapshots/curly-quotes/`. Change a rule and the test
//! fails, showing which quotes changed and writing the new renderings as
//! `.snap.new` files; `cargo insta review` (or `quotecheck review
//! --snapshots examples/snapshots`) accepts them.
//!
//! `cargo run --example assert_corpus` prints the figures.

use quotecheck::corpus::{Article, Kind, PredMention, Prediction, Span};
use quotecheck::extract::{from_fn, Extractor};
use quotecheck::testing::CorpusCheck;

/// The words that end a quote's attribution.
const CUES: &[&str] = &["said", "says", "told", "added", "asked"];

/// Direct quotes between “ and ”, attributed by the rules above.
fn curly_quotes(article: &Article) -> Vec<Prediction> {
    let text = &article.text;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('“').map(|i| from + i) {
        let start = open + '“'.len_utf8();
        let Some(end) = text[start..].find('”').map(|i| start + i) else {
            break;
        };
        from = end + '”'.len_utf8();
        let mut quote = Prediction::at(Span::new(start, end)).with_kind(Kind::Direct);
        if let Some((cue, speaker)) = attribution(text, from) {
            quote = quote.with_cue(PredMention::at(text, cue));
            if let Some(speaker) = speaker {
                quote = quote.with_speaker(PredMention::at(text, speaker));
            }
        }
        out.push(quote);
    }
    out
}

/// The cue after a closing mark at `at` (in the same sentence, within a
/// few words) and the speaker it points to.
fn attribution(text: &str, at: usize) -> Option<(Span, Option<Span>)> {
    let rest = &text[at..];
    let sentence = &rest[..rest.find(['.', '\n', '“']).unwrap_or(rest.len())];
    let words: Vec<(usize, &str)> = sentence
        .split(|c: char| !c.is_alphanumeric() && c != '’' && c != '-')
        .scan(0, |pos, w| {
            let start = *pos;
            *pos += w.len() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    let cue_at = words.iter().take(6).position(|(_, w)| CUES.contains(w))?;
    let (cue_start, cue) = words[cue_at];
    let cue = Span::new(at + cue_start, at + cue_start + cue.len());
    let span_of = |ws: &[(usize, &str)]| -> Option<Span> {
        let (first, _) = ws.first()?;
        let (last, w) = ws.last()?;
        Some(Span::new(at + first, at + last + w.len()))
    };
    // `…,” she said` / `…,” the council said`: the words before the cue.
    if (1..=3).contains(&cue_at) {
        return Some((cue, span_of(&words[..cue_at])));
    }
    // `…,” said Tom Greaves`: capitalized words after the cue.
    let after: Vec<(usize, &str)> = words[cue_at + 1..]
        .iter()
        .take_while(|(_, w)| w.starts_with(char::is_uppercase))
        .take(4)
        .copied()
        .collect();
    Some((cue, span_of(&after)))
}

/// The extractor, named as its snapshot folder is.
fn extractor() -> impl Extractor {
    from_fn("curly-quotes", |article: &Article| {
        Ok::<_, std::convert::Infallible>(curly_quotes(article))
    })
}

fn main() {
    let mine = extractor();
    let result = CorpusCheck::new(&mine, "corpus")
        .snapshots("examples/snapshots")
        .assert();
    let totals = &result.extractors[0].totals;
    for c in quotecheck::score::Criterion::ALL {
        let f = totals.micro(c);
        println!("{c:?}: P {:.3} R {:.3} F1 {:.3}", f.p, f.r, f.f1);
    }
    println!("every article matches its accepted snapshot");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every article's rendering is the accepted one, and the end-to-end
    /// F1 stays above a floor: an imperfect extractor passes, a changed one
    /// does not.
    #[test]
    fn curly_quotes_on_the_corpus() {
        let mine = extractor();
        CorpusCheck::new(&mine, "corpus")
            .snapshots("examples/snapshots")
            .min_f1(0.1)
            .assert();
    }

    #[test]
    fn attributes_before_and_after_the_cue() {
        let text = "“We stay,” she said. “We go,” said Tom Greaves.";
        let article = Article {
            id: quotecheck::corpus::ArticleId::new("a").unwrap(),
            text: text.into(),
            gold: None,
        };
        let found = curly_quotes(&article);
        let speakers: Vec<&str> = found
            .iter()
            .map(|q| q.speaker.as_ref().map_or("", |s| s.text.as_str()))
            .collect();
        assert_eq!(speakers, ["she", "Tom Greaves"]);
    }
}
