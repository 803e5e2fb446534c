//! Comparing extractors side by side: figures with confidence intervals,
//! paired tests of their differences, and where they disagree.
//!
//! The last stage: it reads a [`RunResult`] in which several extractors
//! were scored on the same articles, and computes statistics. It scores
//! nothing itself and writes nothing.
//!
//! Method (docs/compare.md): percentile bootstrap intervals over articles
//! (resampling articles with replacement, recomputing micro figures) for
//! each extractor's F1 and for each pair's difference; a two-sided paired
//! approximate randomization test for each pair, with Holm's correction
//! over all pairs. Seeded, so reruns print the same.

pub mod rng;
pub mod stats;

use std::collections::BTreeMap;

use crate::align::GoldVerdict;
use crate::run::{ArticleResult, RunResult};
use crate::score::{Counts, Criterion};
use crate::text::normalize_name;
use stats::{difference_interval, f1_interval, holm, randomization_p_value, Interval};

/// How the statistics are computed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompareSettings {
    /// Bootstrap resamples (and randomization rounds).
    pub resamples: usize,
    /// The seed; the same seed prints the same figures.
    pub seed: u64,
    /// The confidence level of the intervals.
    pub level: f64,
}

impl Default for CompareSettings {
    fn default() -> CompareSettings {
        CompareSettings {
            resamples: 1000,
            seed: 2011,
            level: 0.95,
        }
    }
}

/// P, R and F1 of one criterion, with the F1's interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Figure {
    /// Precision.
    pub p: f64,
    /// Recall.
    pub r: f64,
    /// F1.
    pub f1: f64,
    /// The interval of F1.
    #[serde(flatten)]
    pub ci: Interval,
}

/// One extractor's figures.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ExtractorFigures {
    /// Its name.
    pub name: String,
    /// Content figures.
    pub content: Figure,
    /// End-to-end (attribution) figures.
    pub attribution: Figure,
    /// Speaker accuracy on found quotes.
    pub speaker_accuracy: Option<f64>,
    /// Cue accuracy on found quotes.
    pub cue_accuracy: Option<f64>,
    /// Per gold kind: content recall.
    pub kind_recall: BTreeMap<String, f64>,
    /// Articles the extractor failed on.
    pub failures: usize,
}

/// The difference between two extractors on one criterion.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Difference {
    /// F1(a) − F1(b).
    pub diff: f64,
    /// The paired bootstrap interval of the difference.
    #[serde(flatten)]
    pub ci: Interval,
    /// The two-sided p-value of the paired randomization test.
    pub p_value: f64,
    /// The p-value after Holm's correction over all pairs and criteria.
    pub p_adjusted: f64,
}

/// Two extractors compared.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PairComparison {
    /// The first.
    pub a: String,
    /// The second.
    pub b: String,
    /// On content F1.
    pub content: Difference,
    /// On end-to-end F1.
    pub attribution: Difference,
    /// Articles where a's end-to-end F1 is higher.
    pub a_wins: usize,
    /// Articles where b's is higher.
    pub b_wins: usize,
    /// Articles where they are equal.
    pub ties: usize,
}

/// A gold quote the extractors treat differently.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct QuoteDisagreement {
    /// The gold record's id.
    pub gold: String,
    /// The extractors that found it (content matched).
    pub found_by: Vec<String>,
    /// The extractors that missed it.
    pub missed_by: Vec<String>,
    /// For extractors that found it: the speaker each gave (its text, or
    /// `null`) and whether it is right, when they differ.
    pub speakers: Vec<SpeakerGiven>,
}

/// The speaker one extractor gave a quote.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SpeakerGiven {
    /// The extractor.
    pub extractor: String,
    /// The speaker's name as predicted.
    pub speaker: Option<String>,
    /// Whether it is right.
    pub correct: bool,
}

/// How the extractors did on one article.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ArticleComparison {
    /// The article.
    pub id: String,
    /// End-to-end F1 of each extractor, in extractor order.
    pub f1: Vec<f64>,
    /// The extractor with the highest end-to-end F1, unless tied.
    pub winner: Option<String>,
    /// Gold quotes found by some but not all, or attributed differently.
    pub disagreements: Vec<QuoteDisagreement>,
}

/// Everything `quotecheck compare` shows.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Comparison {
    /// How the statistics were computed.
    pub resamples: usize,
    /// The seed.
    pub seed: u64,
    /// The confidence level.
    pub level: f64,
    /// The test used for pairs, for readers of the JSON.
    pub test: &'static str,
    /// One entry per extractor.
    pub extractors: Vec<ExtractorFigures>,
    /// One entry per pair (a before b in extractor order).
    pub pairs: Vec<PairComparison>,
    /// One entry per article, in corpus order.
    pub articles: Vec<ArticleComparison>,
}

fn counts_of(a: &ArticleResult, c: Criterion) -> Counts {
    a.score.counts(c)
}

/// Compares the extractors of `result`, which must have been scored on the
/// same articles (as one `quotecheck run` of several extractors is).
///
/// # Panics
/// When the extractors were scored on different articles.
pub fn compare(result: &RunResult, settings: &CompareSettings) -> Comparison {
    let es = &result.extractors;
    for e in es {
        assert_eq!(
            e.articles.len(),
            es[0].articles.len(),
            "extractors scored on the same articles"
        );
    }
    let per = |i: usize, c: Criterion| -> Vec<Counts> {
        es[i].articles.iter().map(|a| counts_of(a, c)).collect()
    };
    // Each figure gets its own stream, derived from the seed and its place.
    let seed_for = |k: u64| {
        settings
            .seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(k)
    };
    let figure = |i: usize, c: Criterion, k: u64| -> Figure {
        let f = es[i].totals.micro(c);
        Figure {
            p: f.p,
            r: f.r,
            f1: f.f1,
            ci: f1_interval(&per(i, c), settings.resamples, seed_for(k), settings.level),
        }
    };
    let extractors = (0..es.len())
        .map(|i| {
            let t = &es[i].totals;
            ExtractorFigures {
                name: es[i].name.clone(),
                content: figure(i, Criterion::Content, 2 * i as u64),
                attribution: figure(i, Criterion::Attribution, 2 * i as u64 + 1),
                speaker_accuracy: t.speaker_accuracy().value(),
                cue_accuracy: t.cue_accuracy().value(),
                kind_recall: t
                    .kind_recall()
                    .iter()
                    .map(|(k, v)| (k.as_str().to_string(), v.recall()))
                    .collect(),
                failures: es[i].failures().count(),
            }
        })
        .collect();

    let mut pairs = Vec::new();
    let mut raw_p = Vec::new();
    for i in 0..es.len() {
        for j in i + 1..es.len() {
            let diff = |c: Criterion, k: u64| -> Difference {
                let (a, b) = (per(i, c), per(j, c));
                let p_value = randomization_p_value(&a, &b, settings.resamples, seed_for(1000 + k));
                Difference {
                    diff: stats::micro_f1(&a) - stats::micro_f1(&b),
                    ci: difference_interval(
                        &a,
                        &b,
                        settings.resamples,
                        seed_for(2000 + k),
                        settings.level,
                    ),
                    p_value,
                    p_adjusted: p_value,
                }
            };
            let k = (pairs.len() * 2) as u64;
            let content = diff(Criterion::Content, k);
            let attribution = diff(Criterion::Attribution, k + 1);
            raw_p.push(content.p_value);
            raw_p.push(attribution.p_value);
            let (mut a_wins, mut b_wins, mut ties) = (0, 0, 0);
            for (x, y) in es[i].articles.iter().zip(&es[j].articles) {
                let (fx, fy) = (
                    counts_of(x, Criterion::Attribution).f1(),
                    counts_of(y, Criterion::Attribution).f1(),
                );
                match fx.total_cmp(&fy) {
                    std::cmp::Ordering::Greater => a_wins += 1,
                    std::cmp::Ordering::Less => b_wins += 1,
                    std::cmp::Ordering::Equal => ties += 1,
                }
            }
            pairs.push(PairComparison {
                a: es[i].name.clone(),
                b: es[j].name.clone(),
                content,
                attribution,
                a_wins,
                b_wins,
                ties,
            });
        }
    }
    let adjusted = holm(&raw_p);
    for (n, pair) in pairs.iter_mut().enumerate() {
        pair.content.p_adjusted = adjusted[2 * n];
        pair.attribution.p_adjusted = adjusted[2 * n + 1];
    }

    let articles = (0..es.first().map_or(0, |e| e.articles.len()))
        .map(|n| article_comparison(result, n))
        .collect();
    Comparison {
        resamples: settings.resamples,
        seed: settings.seed,
        level: settings.level,
        test: "paired approximate randomization, two-sided, Holm-corrected",
        extractors,
        pairs,
        articles,
    }
}

fn article_comparison(result: &RunResult, n: usize) -> ArticleComparison {
    let es = &result.extractors;
    let arts: Vec<&ArticleResult> = es.iter().map(|e| &e.articles[n]).collect();
    let f1: Vec<f64> = arts
        .iter()
        .map(|a| counts_of(a, Criterion::Attribution).f1())
        .collect();
    let best = f1.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let leaders: Vec<usize> = (0..f1.len()).filter(|&i| f1[i] == best).collect();
    let winner = (leaders.len() == 1 && es.len() > 1).then(|| es[leaders[0]].name.clone());

    let gold_ids = &arts[0].gold_ids;
    let mut disagreements = Vec::new();
    for (g, id) in gold_ids.iter().enumerate() {
        let mut found_by = Vec::new();
        let mut missed_by = Vec::new();
        let mut speakers = Vec::new();
        let mut optional = false;
        for (e, a) in es.iter().zip(&arts) {
            match a.score.alignment.gold.get(g) {
                Some(GoldVerdict::Matched {
                    prediction,
                    speaker_correct,
                    optional: o,
                    ..
                }) => {
                    optional |= *o;
                    found_by.push(e.name.clone());
                    let speaker = a
                        .predictions
                        .get(*prediction)
                        .and_then(|p| p.speaker.as_ref())
                        .map(|s| s.text.clone());
                    speakers.push(SpeakerGiven {
                        extractor: e.name.clone(),
                        speaker,
                        correct: *speaker_correct,
                    });
                }
                Some(GoldVerdict::OptionalMissed) => {
                    optional = true;
                    missed_by.push(e.name.clone());
                }
                _ => missed_by.push(e.name.clone()),
            }
        }
        if optional {
            continue;
        }
        let names: Vec<Option<String>> = speakers
            .iter()
            .map(|s| s.speaker.as_deref().map(normalize_name))
            .collect();
        let speakers_differ = speakers.len() > 1
            && (speakers.iter().any(|s| s.correct != speakers[0].correct)
                || names.iter().any(|n| *n != names[0]));
        if (!found_by.is_empty() && !missed_by.is_empty()) || speakers_differ {
            if !speakers_differ {
                speakers.clear();
            }
            disagreements.push(QuoteDisagreement {
                gold: id.clone(),
                found_by,
                missed_by,
                speakers,
            });
        }
    }
    ArticleComparison {
        id: arts.first().map_or(String::new(), |a| a.id.clone()),
        f1,
        winner,
        disagreements,
    }
}

/// How much two extractors agree where there is no gold: one's output is
/// scored as if it were the other's gold.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PairAgreement {
    /// The extractor used as reference.
    pub a: String,
    /// The extractor scored against it.
    pub b: String,
    /// Micro content F1 of b against a (symmetric in a and b).
    pub content_f1: f64,
    /// Micro end-to-end F1 of b against a.
    pub attribution_f1: f64,
}

/// One unannotated article's disagreement.
#[derive(Clone, Debug, serde::Serialize)]
pub struct UnannotatedArticle {
    /// The article.
    pub id: String,
    /// Mean end-to-end agreement F1 over the pairs of extractors.
    pub agreement: f64,
    /// Quotes found by each extractor, in extractor order.
    pub quotes: Vec<usize>,
}

/// Agreement between extractors on unannotated articles.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Unannotated {
    /// Articles compared.
    pub articles: usize,
    /// Per pair.
    pub pairs: Vec<PairAgreement>,
    /// Per article, least agreement first: the most useful to annotate next.
    pub by_disagreement: Vec<UnannotatedArticle>,
}

/// Scores every pair of extractors against each other on articles without
/// gold. `outputs[n][e]` is extractor e's predictions on `articles[n]`
/// (`None` when it failed, which counts as finding nothing).
pub fn agreement_without_gold(
    names: &[String],
    articles: &[crate::corpus::Article],
    outputs: &[Vec<Option<Vec<crate::corpus::Prediction>>>],
    scheme: &crate::align::Scheme,
) -> Unannotated {
    use crate::curate::draft_record;
    use crate::score::{score_article, Totals};
    let mut totals: Vec<((usize, usize), Totals)> = Vec::new();
    for i in 0..names.len() {
        for j in i + 1..names.len() {
            totals.push(((i, j), Totals::new()));
        }
    }
    let mut by_disagreement = Vec::new();
    for (article, outs) in articles.iter().zip(outputs) {
        let empty = Vec::new();
        let preds: Vec<&Vec<crate::corpus::Prediction>> =
            outs.iter().map(|o| o.as_ref().unwrap_or(&empty)).collect();
        let mut sum = 0.0;
        for ((i, j), t) in totals.iter_mut() {
            let gold: Vec<crate::corpus::GoldQuote> = preds[*i]
                .iter()
                .enumerate()
                .filter_map(|(n, p)| draft_record(&article.text, n + 1, p))
                .collect();
            let score = score_article(&article.text, &gold, preds[*j], scheme);
            sum += score.counts(Criterion::Attribution).f1();
            t.add(&score);
        }
        let pairs = totals.len().max(1) as f64;
        by_disagreement.push(UnannotatedArticle {
            id: article.id.to_string(),
            agreement: sum / pairs,
            quotes: preds.iter().map(|p| p.len()).collect(),
        });
    }
    by_disagreement.sort_by(|x, y| {
        x.agreement
            .total_cmp(&y.agreement)
            .then_with(|| x.id.cmp(&y.id))
    });
    Unannotated {
        articles: articles.len(),
        pairs: totals
            .iter()
            .map(|((i, j), t)| PairAgreement {
                a: names[*i].clone(),
                b: names[*j].clone(),
                content_f1: t.micro(Criterion::Content).f1,
                attribution_f1: t.micro(Criterion::Attribution).f1,
            })
            .collect(),
        by_disagreement,
    }
}
