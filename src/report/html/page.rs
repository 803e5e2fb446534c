//! The page: its head (style, script and the Content-Security-Policy that
//! admits only them), the order of its parts, and the anchors that link
//! them. It streams one article's section at a time.
//!
//! Owns the document shell; what a part shows is [`super::summary`]'s and
//! [`super::article`]'s.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use maud::{html, Markup, PreEscaped, DOCTYPE};
use sha2::{Digest, Sha256};

use super::article::{section, Source};
use super::rest::{self, Embed};
use super::summary::top;
use crate::corpus::Article;
use crate::run::{ArticleResult, RunResult};
use crate::score::Criterion;
use crate::snapshot::store::SnapshotReport;
use crate::text::printable_line;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// Where the page gets the articles' texts and gold from.
pub enum Texts<'a> {
    /// The corpus articles, in corpus order; articles the result does not
    /// score are skipped. Each is used while its section is written and
    /// then dropped.
    Articles(Box<dyn Iterator<Item = Article> + 'a>),
    /// The texts cannot be shown, for this reason (said on the page).
    Unavailable(String),
}

/// Whether `result` carries the pairing of every article, as a run does: a
/// result rebuilt from JSON reports (`quotecheck merge`) keeps counts only,
/// and its articles cannot be highlighted.
pub fn carries_pairings(result: &RunResult) -> bool {
    result.extractors.iter().flat_map(|e| &e.articles).all(|a| {
        let c = a.score.counts(Criterion::Content);
        let alignment = &a.score.alignment;
        alignment.gold.len() == a.gold_ids.len()
            && alignment.predictions.len() == a.predictions.len()
            && (c.tp + c.fn_) as usize <= alignment.gold.len()
            && c.fp as usize <= alignment.predictions.len()
    })
}

/// Writes the page for `result`, embedding the texts that `embed` says
/// (the others are summarised in a table, and the page says so).
pub fn write(
    result: &RunResult,
    texts: Texts<'_>,
    embed: Embed,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_with_snapshots(result, texts, None, embed, out)
}

/// Writes the page for `result` as [`write`] does, with what its snapshots
/// found when they were compared (`snapshots`): the changed ones and their
/// grades.
pub fn write_with_snapshots(
    result: &RunResult,
    texts: Texts<'_>,
    snapshots: Option<&SnapshotReport>,
    embed: Embed,
    out: &mut dyn Write,
) -> io::Result<()> {
    let entries = entries(result);
    let embedded = rest::embedded(&entries, embed);
    out.write_all(head(result).into_string().as_bytes())?;
    out.write_all(b"<body>")?;
    let unavailable = match &texts {
        Texts::Unavailable(why) => Some(why.as_str()),
        Texts::Articles(_) => None,
    };
    out.write_all(top(result, &entries, unavailable).into_string().as_bytes())?;
    if let Some(report) = snapshots {
        out.write_all(super::snapshots::section(report).into_string().as_bytes())?;
    }
    if let Some(shown) = &embedded {
        out.write_all(
            rest::notice(shown.len(), entries.len())
                .into_string()
                .as_bytes(),
        )?;
    }
    out.write_all(b"<main id=\"articles\">")?;
    let is_embedded = |i: &usize| embedded.as_ref().is_none_or(|e| e.contains(i));
    let mut pending: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .filter(|(i, _)| is_embedded(i))
        .map(|(i, e)| (e.id, i))
        .collect();
    match texts {
        Texts::Articles(articles) => {
            for article in articles {
                if pending.is_empty() {
                    // Every embedded text is written: the rest of the
                    // corpus need not be read.
                    break;
                }
                let Some(i) = pending.remove(article.id.as_str()) else {
                    continue;
                };
                let section = section(result, &entries[i], Source::Article(&article));
                out.write_all(section.into_string().as_bytes())?;
            }
            let missing = "the article is not in the corpus any more";
            for entry in entries.iter().filter(|e| pending.contains_key(e.id)) {
                let section = section(result, entry, Source::Missing(missing));
                out.write_all(section.into_string().as_bytes())?;
            }
        }
        Texts::Unavailable(_) => {
            for (_, entry) in entries.iter().enumerate().filter(|(i, _)| is_embedded(i)) {
                let section = section(result, entry, Source::Missing("see the note at the top"));
                out.write_all(section.into_string().as_bytes())?;
            }
        }
    }
    out.write_all(b"</main>")?;
    if embedded.is_some() {
        let others = entries.iter().enumerate().filter(|(i, _)| !is_embedded(i));
        let table = rest::table(result, others.map(|(_, e)| e));
        out.write_all(table.into_string().as_bytes())?;
    }
    out.write_all(bottom().into_string().as_bytes())?;
    out.write_all(b"</body></html>\n")?;
    Ok(())
}

/// One scored article and each extractor's result on it.
pub(super) struct Entry<'r> {
    pub(super) id: &'r str,
    /// Indexed like `result.extractors`.
    pub(super) results: Vec<Option<&'r ArticleResult>>,
}

/// The scored articles in corpus order.
fn entries(result: &RunResult) -> Vec<Entry<'_>> {
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut entries: Vec<(usize, Entry<'_>)> = Vec::new();
    let n = result.extractors.len();
    for (x, e) in result.extractors.iter().enumerate() {
        for a in &e.articles {
            let i = *at.entry(&a.id).or_insert_with(|| {
                entries.push((
                    a.position,
                    Entry {
                        id: &a.id,
                        results: vec![None; n],
                    },
                ));
                entries.len() - 1
            });
            entries[i].1.results[x] = Some(a);
        }
    }
    entries.sort_by(|(p, a), (q, b)| p.cmp(q).then_with(|| a.id.cmp(b.id)));
    entries.into_iter().map(|(_, e)| e).collect()
}

/// The anchor of an article's section: `a-` and the id, with every
/// character outside `[A-Za-z0-9._/-]` written `~hex~`. Safe ids (the only
/// ones a corpus has) are kept as they are, so `#a-bbc-libya` links to an
/// article; any other string is encoded without collisions.
pub fn article_anchor(id: &str) -> String {
    let mut s = String::from("a-");
    for c in id.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '.' | '_' | '-' | '/' => s.push(c),
            c => {
                let _ = write!(s, "~{:x}~", c as u32);
            }
        }
    }
    s
}

/// Standard base64, for the hashes of the Content-Security-Policy.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn sha256(s: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(s.as_bytes())))
}

fn head(result: &RunResult) -> Markup {
    // Nothing may load: no network, no file, no other script or style.
    let csp = format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        sha256(SCRIPT),
        sha256(STYLE)
    );
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(csp);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("quotecheck {}", env!("CARGO_PKG_VERSION")));
                title { "quotecheck · " (printable_line(&result.corpus.path)) }
                style { (PreEscaped(STYLE)) }
            }
        }
    }
}

fn bottom() -> Markup {
    html! {
        footer.bottom {
            "Written by quotecheck " (env!("CARGO_PKG_VERSION")) ". Positions are code points; "
            "figures are defined in the scoring contract (docs/scoring.md)."
        }
        script { (PreEscaped(SCRIPT)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_known_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn anchors_keep_safe_ids_and_encode_the_rest() {
        assert_eq!(
            article_anchor("bbc/libya-us_talks.2"),
            "a-bbc/libya-us_talks.2"
        );
        assert_eq!(article_anchor("a b\"<"), "a-a~20~b~22~~3c~");
        assert_ne!(article_anchor("a~20~"), article_anchor("a "));
    }
}
