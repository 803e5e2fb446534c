//! Grades of a changed snapshot: whether the new output is better or worse
//! than the accepted one, judged by the article's gold (docs/snapshots.md,
//! "Grades").
//!
//! Each required gold quote gets a [`Level`] from the §4 matchings of
//! docs/scoring.md (missed, content only, end to end), and the predictions
//! that match nothing are counted ([`Levels`]). [`grade`] compares the
//! levels of the accepted output with those of the new one. An accepted
//! output is only a rendering, so [`Levels::of_rendering`] reads the
//! predictions back from it (`read.rs`) and scores them against the
//! article's gold as it is now, with the same scorer as the new output.
//!
//! Pure: it knows nothing of files or of the store.

mod read;

use std::fmt;

use crate::align::{align_article_with, max_matching, FidelityPolicy, Scheme};
use crate::corpus::{GoldQuote, Prediction};

pub use read::{read_rendering, ReadError, Rendered};

/// How well an output finds one required gold quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Not matched by content (0).
    Missed = 0,
    /// Matched by content, not end to end (1).
    Content = 1,
    /// Matched end to end: content and speaker (2).
    EndToEnd = 2,
}

/// The levels of one output on an article: one per required gold quote, in
/// the order of the gold list, and the number of spurious predictions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Levels {
    /// Each required gold quote's id and level.
    pub quotes: Vec<(String, Level)>,
    /// Predictions no gold quote is matched with by content (the content
    /// false positives of scoring.md §4; predictions matched with optional
    /// gold are not spurious).
    pub spurious: usize,
}

impl Levels {
    /// The levels of `predictions` against `gold` under `scheme`.
    ///
    /// A quote is at level 2 when the `attribution` matching (§4) matches
    /// it, at level 1 when it is not but a `content` matching does; the
    /// content matching is one that keeps every quote the attribution
    /// matching matched (one always exists, since augmenting a matching
    /// never unmatches a quote), so the number of quotes at level 2 is the
    /// end-to-end TP and the number at level 1 or 2 the content TP.
    /// Predictions are first put in the alignment's position order, so the
    /// levels do not depend on the order of the records.
    ///
    /// # Panics
    /// When a span is out of range of `text` or not on character boundaries.
    pub fn of(
        text: &str,
        gold: &[GoldQuote],
        predictions: &[Prediction],
        scheme: &Scheme,
    ) -> Levels {
        Levels::of_with(text, gold, predictions, scheme, FidelityPolicy::default())
    }

    /// [`Levels::of`] under a fidelity policy: with `--require-verbatim`,
    /// the pairs the run refuses (scoring.md §8) are refused here too.
    ///
    /// # Panics
    /// As [`Levels::of`].
    pub fn of_with(
        text: &str,
        gold: &[GoldQuote],
        predictions: &[Prediction],
        scheme: &Scheme,
        policy: FidelityPolicy,
    ) -> Levels {
        let order = align_article_with(text, gold, predictions, scheme, policy)
            .alignment
            .prediction_order;
        let ordered: Vec<Prediction> = order.iter().map(|&p| predictions[p].clone()).collect();
        let pairs = align_article_with(text, gold, &ordered, scheme, policy).pairs;
        let optional: Vec<bool> = gold.iter().map(|g| g.optional).collect();
        let n = ordered.len();

        let all: Vec<(usize, usize)> = pairs.iter().map(|p| (p.gold, p.prediction)).collect();
        let spurious = n - max_matching(&optional, n, &all).pairs.len();

        let attribution: Vec<(usize, usize)> = pairs
            .iter()
            .filter(|p| optional[p.gold] || p.speaker)
            .map(|p| (p.gold, p.prediction))
            .collect();
        let end_to_end: Vec<(usize, usize)> = max_matching(&optional, n, &attribution)
            .pairs
            .into_iter()
            .filter(|&(g, _)| !optional[g])
            .collect();
        let required: Vec<(usize, usize)> =
            all.iter().copied().filter(|&(g, _)| !optional[g]).collect();
        let content = augment(gold.len(), n, &required, &end_to_end);

        let mut e2e = vec![false; gold.len()];
        for &(g, _) in &end_to_end {
            e2e[g] = true;
        }
        let quotes = gold
            .iter()
            .enumerate()
            .filter(|(_, q)| !q.optional)
            .map(|(g, q)| {
                let level = if e2e[g] {
                    Level::EndToEnd
                } else if content[g] {
                    Level::Content
                } else {
                    Level::Missed
                };
                (q.id.clone(), level)
            })
            .collect();
        Levels { quotes, spurious }
    }

    /// The levels of an accepted failure (a refusal): every required quote
    /// missed, nothing spurious.
    pub fn failed(gold: &[GoldQuote]) -> Levels {
        Levels {
            quotes: gold
                .iter()
                .filter(|q| !q.optional)
                .map(|q| (q.id.clone(), Level::Missed))
                .collect(),
            spurious: 0,
        }
    }

    /// The levels of the output a rendering shows (a snapshot's body),
    /// read back with [`read_rendering`] and scored against `gold`.
    pub fn of_rendering(
        text: &str,
        gold: &[GoldQuote],
        body: &str,
        scheme: &Scheme,
    ) -> Result<Levels, ReadError> {
        Levels::of_rendering_with(text, gold, body, scheme, FidelityPolicy::default())
    }

    /// [`Levels::of_rendering`] under a fidelity policy. The fidelity of
    /// a quote read back as text is judged again on the article: white
    /// space the rendering wrapped may turn `verbatim` into `normalized`,
    /// never into a verdict the policy refuses, since tokens are the same.
    pub fn of_rendering_with(
        text: &str,
        gold: &[GoldQuote],
        body: &str,
        scheme: &Scheme,
        policy: FidelityPolicy,
    ) -> Result<Levels, ReadError> {
        Ok(match read_rendering(text, body)? {
            Rendered::Failure => Levels::failed(gold),
            Rendered::Predictions(p) => Levels::of_with(text, gold, &p, scheme, policy),
        })
    }
}

/// A maximum matching of `edges` that keeps every gold quote `start`
/// matches, by augmenting paths from `start` (Kuhn's algorithm); which gold
/// quotes it matches.
fn augment(
    n_gold: usize,
    n_pred: usize,
    edges: &[(usize, usize)],
    start: &[(usize, usize)],
) -> Vec<bool> {
    let mut adjacent = vec![Vec::new(); n_gold];
    for &(g, p) in edges {
        adjacent[g].push(p);
    }
    let mut gold_of: Vec<Option<usize>> = vec![None; n_pred];
    let mut matched = vec![false; n_gold];
    for &(g, p) in start {
        gold_of[p] = Some(g);
        matched[g] = true;
    }
    fn try_path(
        g: usize,
        adjacent: &[Vec<usize>],
        gold_of: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &p in &adjacent[g] {
            if seen[p] {
                continue;
            }
            seen[p] = true;
            let free = match gold_of[p] {
                None => true,
                Some(other) => try_path(other, adjacent, gold_of, seen),
            };
            if free {
                gold_of[p] = Some(g);
                return true;
            }
        }
        false
    }
    for (g, covered) in matched.iter_mut().enumerate() {
        if !*covered {
            let mut seen = vec![false; n_pred];
            *covered = try_path(g, &adjacent, &mut gold_of, &mut seen);
        }
    }
    matched
}

/// The grade of a snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    /// Something better, nothing worse.
    Fixed,
    /// Something worse, nothing better.
    Broke,
    /// Both better and worse.
    Mixed,
    /// The rendering changed, but no level and no spurious count.
    Neutral,
    /// Nothing was accepted before.
    New,
}

impl Grade {
    /// Every grade, in the order summaries list them.
    pub const ALL: [Grade; 5] = [
        Grade::Fixed,
        Grade::Broke,
        Grade::Mixed,
        Grade::Neutral,
        Grade::New,
    ];

    /// Its name: `fixed`, `broke`, `mixed`, `neutral` or `new`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Fixed => "fixed",
            Grade::Broke => "broke",
            Grade::Mixed => "mixed",
            Grade::Neutral => "neutral",
            Grade::New => "new",
        }
    }

    /// The grade named `s`.
    pub fn parse(s: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A grade with what made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grading {
    /// The grade.
    pub grade: Grade,
    /// Gold quotes whose level rose, plus spurious predictions removed.
    pub better: usize,
    /// Gold quotes whose level fell, plus spurious predictions added.
    pub worse: usize,
    /// What changed, worse first: `q3 lost its speaker`, `q7 found`,
    /// `1 spurious prediction more`.
    pub changes: Vec<String>,
}

impl Grading {
    /// `broke: q3 lost its speaker`, `neutral: no level changed`, `new`.
    pub fn summary(&self) -> String {
        match self.grade {
            Grade::New => "new".to_string(),
            Grade::Neutral => "neutral: no level changed".to_string(),
            g => format!("{g}: {}", self.changes.join(", ")),
        }
    }
}

/// Grades `new` against `old`, the levels of the accepted output (`None`:
/// nothing was accepted). Both must be levels on the same gold.
///
/// `better` counts the quotes whose level rose and the spurious predictions
/// removed, `worse` the quotes whose level fell and the spurious
/// predictions added; the grade is `fixed` when only `better` is above 0,
/// `broke` when only `worse` is, `mixed` when both are and `neutral` when
/// neither is.
///
/// # Panics
/// When `old` and `new` are not levels of the same gold quotes.
pub fn grade(old: Option<&Levels>, new: &Levels) -> Grading {
    let Some(old) = old else {
        return Grading {
            grade: Grade::New,
            better: 0,
            worse: 0,
            changes: Vec::new(),
        };
    };
    assert_eq!(
        old.quotes.len(),
        new.quotes.len(),
        "levels of different gold"
    );
    let (mut better, mut worse) = (0, 0);
    let (mut worse_changes, mut better_changes) = (Vec::new(), Vec::new());
    for ((id, was), (new_id, now)) in old.quotes.iter().zip(&new.quotes) {
        assert_eq!(id, new_id, "levels of different gold");
        let what = match (was, now) {
            (a, b) if a == b => continue,
            (Level::EndToEnd, Level::Content) => "lost its speaker",
            (_, Level::Missed) => "missed",
            (Level::Missed, Level::Content) => "found without its speaker",
            (Level::Missed, Level::EndToEnd) => "found",
            (Level::Content, Level::EndToEnd) => "gained its speaker",
            _ => unreachable!("every pair of different levels is named"),
        };
        if now > was {
            better += 1;
            better_changes.push(format!("{id} {what}"));
        } else {
            worse += 1;
            worse_changes.push(format!("{id} {what}"));
        }
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if new.spurious > old.spurious {
        let n = new.spurious - old.spurious;
        worse += n;
        worse_changes.push(format!("{n} spurious prediction{} more", plural(n)));
    } else if new.spurious < old.spurious {
        let n = old.spurious - new.spurious;
        better += n;
        better_changes.push(format!("{n} spurious prediction{} fewer", plural(n)));
    }
    let grade = match (better > 0, worse > 0) {
        (true, false) => Grade::Fixed,
        (false, true) => Grade::Broke,
        (true, true) => Grade::Mixed,
        (false, false) => Grade::Neutral,
    };
    worse_changes.extend(better_changes);
    Grading {
        grade,
        better,
        worse,
        changes: worse_changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(l: &[Level], spurious: usize) -> Levels {
        Levels {
            quotes: l
                .iter()
                .enumerate()
                .map(|(i, &l)| (format!("q{}", i + 1), l))
                .collect(),
            spurious,
        }
    }

    #[test]
    fn grades_follow_the_levels() {
        use Level::*;
        let old = levels(&[EndToEnd, Content, Missed], 1);
        let g = grade(Some(&old), &levels(&[Content, Content, Missed], 1));
        assert_eq!((g.grade, g.better, g.worse), (Grade::Broke, 0, 1));
        assert_eq!(g.summary(), "broke: q1 lost its speaker");
        let g = grade(Some(&old), &levels(&[Content, EndToEnd, Missed], 0));
        assert_eq!((g.grade, g.better, g.worse), (Grade::Mixed, 2, 1));
        assert_eq!(
            g.summary(),
            "mixed: q1 lost its speaker, q2 gained its speaker, 1 spurious prediction fewer"
        );
        let g = grade(Some(&old), &levels(&[EndToEnd, Content, Content], 1));
        assert_eq!(g.summary(), "fixed: q3 found without its speaker");
        assert_eq!(grade(Some(&old), &old).grade, Grade::Neutral);
        assert_eq!(grade(None, &old).grade, Grade::New);
    }

    /// The content matching keeps what the attribution matching matched,
    /// even where a plain maximum matching would not: q1 and q2 compete
    /// for prediction 0, only q1 with its speaker.
    #[test]
    fn augmenting_keeps_the_end_to_end_quotes() {
        let covered = augment(2, 2, &[(0, 0), (1, 0), (1, 1)], &[(0, 0)]);
        assert_eq!(covered, [true, true]);
        let covered = augment(2, 1, &[(0, 0), (1, 0)], &[(1, 0)]);
        assert_eq!(covered, [false, true]);
    }
}
