//! Agreement among several annotations of the same articles: every pair
//! scored as `agree` scores two, then the pairwise table and the mean
//! (PolNeAR's articles annotated by all six annotators, for example).

use std::io::{self, Write};

use super::{agree, Agreement};
use crate::align::Scheme;
use crate::corpus::{Corpus, CorpusError};
use crate::report::fmt3;
use crate::score::Criterion;

/// One pair of annotations: their positions in the list, and how the
/// second agrees with the first.
pub struct PairAgreement {
    /// The first annotation's position.
    pub a: usize,
    /// The second annotation's position.
    pub b: usize,
    /// B scored against A.
    pub agreement: Agreement,
}

/// Every pair `(i, j)`, `i < j`, of `corpora`, in order.
pub fn pairwise(corpora: &[Corpus], scheme: &Scheme) -> Result<Vec<PairAgreement>, CorpusError> {
    let mut out = Vec::new();
    for i in 0..corpora.len() {
        for j in i + 1..corpora.len() {
            out.push(PairAgreement {
                a: i,
                b: j,
                agreement: agree(&corpora[i], &corpora[j], scheme)?,
            });
        }
    }
    Ok(out)
}

/// The micro content and end-to-end F1 of B against A.
fn f1s(g: &Agreement) -> (f64, f64) {
    (
        g.b_against_a.micro(Criterion::Content).f1,
        g.b_against_a.micro(Criterion::Attribution).f1,
    )
}

/// The mean content and end-to-end F1 over the pairs that share an
/// article (each pair counts once, whatever its size), and how many those are.
pub fn mean(pairs: &[PairAgreement]) -> Option<(f64, f64, usize)> {
    let shared: Vec<(f64, f64)> = pairs
        .iter()
        .filter(|p| p.agreement.articles > 0)
        .map(|p| f1s(&p.agreement))
        .collect();
    let n = shared.len();
    (n > 0).then(|| {
        let (c, e) = shared
            .iter()
            .fold((0.0, 0.0), |(c, e), (pc, pe)| (c + pc, e + pe));
        (c / n as f64, e / n as f64, n)
    })
}

/// Writes the pairwise table and the mean; `names` are the annotations as
/// given.
pub fn write_pairwise(
    names: &[String],
    pairs: &[PairAgreement],
    scheme: &Scheme,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "{} annotations, {} pairs · scheme {scheme}",
        names.len(),
        pairs.len()
    )?;
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(1)
        .max(1);
    writeln!(
        out,
        "  {:<width$}  {:<width$}  articles  content F1  end-to-end F1",
        "A", "B"
    )?;
    for p in pairs {
        let (c, e) = f1s(&p.agreement);
        let (c, e) = if p.agreement.articles == 0 {
            ("-".to_string(), "-".to_string())
        } else {
            (fmt3(c), fmt3(e))
        };
        writeln!(
            out,
            "  {:<width$}  {:<width$}  {:>8}  {c:>10}  {e:>13}",
            names[p.a], names[p.b], p.agreement.articles
        )?;
    }
    match mean(pairs) {
        Some((c, e, n)) => writeln!(
            out,
            "mean over {n} pair{} sharing articles: content F1 {}, end-to-end F1 {}",
            if n == 1 { "" } else { "s" },
            fmt3(c),
            fmt3(e)
        ),
        None => writeln!(
            out,
            "no pair of annotations shares an article: nothing to compare"
        ),
    }
}
