//! Comparing extractors side by side: figures with confidence intervals,
//! paired tests of their differences, and where they disagree.
//!
//! It reads a [`RunResult`] in which several extractors were scored on the
//! same articles and computes statistics; `table` lays them out for the
//! terminal and as Markdown, and [`ComparisonReport`] is the JSON of
//! `compare --json`. It scores nothing itself: the runner does.
//!
//! Method (docs/compare.md): percentile Poisson-bootstrap intervals over
//! articles (each article weighted by a Poisson(1) draw in each resample,
//! micro figures recomputed) for each extractor's F1 and for each pair's
//! difference; a two-sided paired approximate randomization test for each
//! pair, with Holm's correction over all pairs. Seeded per article by its
//! id, so reruns print the same, and so do the merged parts of a run.

mod repeats;
pub mod reports;
pub mod stats;
pub mod table;

use std::collections::BTreeMap;

use crate::align::GoldVerdict;
use crate::run::{ArticleResult, ExtractorStatus, RunResult};
use crate::score::{Counts, Criterion};
use crate::session::Status;
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
    /// Whether it ran ([`ExtractorStatus::as_str`]): `ok`, or
    /// `unavailable` (it could not start), `failed` (it failed on every
    /// article), `nothing-scored`. An extractor that did not run has no
    /// figures and takes no part in the pairs, wins and disagreements.
    pub status: &'static str,
    /// Why it did not run, for `unavailable` and `failed`.
    pub error: Option<String>,
    /// Content figures; `None` unless it ran.
    pub content: Option<Figure>,
    /// End-to-end (attribution) figures; `None` unless it ran.
    pub attribution: Option<Figure>,
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
    /// End-to-end F1 of each extractor, in extractor order; `None` for an
    /// extractor that did not run.
    pub f1: Vec<Option<f64>>,
    /// The extractor with the highest end-to-end F1, unless tied or fewer
    /// than two extractors ran.
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
    /// How many repeats of each article the figures pool (`--repeat K`);
    /// left out when 1.
    #[serde(skip_serializing_if = "repeats::once")]
    pub repeats: usize,
}

/// How `quotecheck compare` ends (docs/ci.md): bad input when an article
/// of the corpus could not be loaded, an extractor could not start, or
/// nothing was scored (unless `allow_empty`); failed when an extractor
/// failed on every article; passed otherwise.
pub fn status(result: &RunResult, allow_empty: bool) -> Status {
    let statuses: Vec<ExtractorStatus> = result.extractors.iter().map(|e| e.status()).collect();
    let unavailable = statuses
        .iter()
        .any(|s| matches!(s, ExtractorStatus::Unavailable(_)));
    let empty = !allow_empty && result.corpus.nothing_scored().is_some();
    if result.corpus.broken_count() > 0 || unavailable || empty {
        Status::BadInput
    } else if statuses
        .iter()
        .any(|s| matches!(s, ExtractorStatus::Failed(_)))
    {
        Status::Failed
    } else {
        Status::Passed
    }
}

/// An article's counts over every repeat (its F1 is that of the pooled
/// repeats).
fn counts_of(a: &ArticleResult, c: Criterion) -> Counts {
    repeats::pooled(a, c, 1 + a.repeats.len())
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
    let reps = repeats::common_repeats(result);
    let per = |i: usize, c: Criterion| -> Vec<Counts> {
        es[i]
            .articles
            .iter()
            .map(|a| repeats::pooled(a, c, reps))
            .collect()
    };
    // Each article's draws come from its own stream, keyed by its id.
    let ids: Vec<&str> = es
        .first()
        .map_or(&[][..], |e| &e.articles[..])
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    // Each figure gets its own stream, derived from the seed and its place.
    let seed_for = |k: u64| {
        settings
            .seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(k)
    };
    let figure = |i: usize, c: Criterion, k: u64| -> Figure {
        let f = es[i].totals.micro(c);
        // With repeats, the figures of every repeat pooled.
        let pooled =
            (reps > 1).then(|| per(i, c).into_iter().fold(Counts::default(), |a, b| a + b));
        Figure {
            p: pooled.map_or(f.p, Counts::p),
            r: pooled.map_or(f.r, Counts::r),
            f1: pooled.map_or(f.f1, Counts::f1),
            ci: f1_interval(
                &ids,
                &per(i, c),
                settings.resamples,
                seed_for(k),
                settings.level,
            ),
        }
    };
    let statuses: Vec<ExtractorStatus> = es.iter().map(|e| e.status()).collect();
    // Only the extractors that ran are compared: one that could not start
    // or failed everywhere would lose every test and every article.
    let ran: Vec<usize> = (0..es.len()).filter(|&i| statuses[i].ran()).collect();
    let extractors = (0..es.len())
        .map(|i| {
            let t = &es[i].totals;
            let status = &statuses[i];
            let ok = status.ran();
            ExtractorFigures {
                name: es[i].name.clone(),
                status: status.as_str(),
                error: status.error().map(str::to_string),
                content: ok.then(|| figure(i, Criterion::Content, 2 * i as u64)),
                attribution: ok.then(|| figure(i, Criterion::Attribution, 2 * i as u64 + 1)),
                speaker_accuracy: t.speaker_accuracy().value().filter(|_| ok),
                cue_accuracy: t.cue_accuracy().value().filter(|_| ok),
                kind_recall: t
                    .kind_recall()
                    .iter()
                    .filter(|_| ok)
                    .map(|(k, v)| (k.as_str().to_string(), v.recall()))
                    .collect(),
                failures: es[i].failures().count(),
            }
        })
        .collect();

    let mut pairs = Vec::new();
    let mut raw_p = Vec::new();
    for (n, &i) in ran.iter().enumerate() {
        for &j in &ran[n + 1..] {
            let diff = |c: Criterion, k: u64| -> Difference {
                let (a, b) = (per(i, c), per(j, c));
                let p_value =
                    randomization_p_value(&ids, &a, &b, settings.resamples, seed_for(1000 + k));
                Difference {
                    diff: stats::micro_f1(&a) - stats::micro_f1(&b),
                    ci: difference_interval(
                        &ids,
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
        .map(|n| article_comparison(result, &ran, n))
        .collect();
    Comparison {
        resamples: settings.resamples,
        seed: settings.seed,
        level: settings.level,
        test: "paired approximate randomization, two-sided, Holm-corrected",
        extractors,
        pairs,
        articles,
        repeats: reps,
    }
}

/// Article `n` compared between the extractors `ran` (indices of those
/// that ran; the others get no F1 and no part in the disagreements).
fn article_comparison(result: &RunResult, ran: &[usize], n: usize) -> ArticleComparison {
    let all = &result.extractors;
    let f1: Vec<Option<f64>> = all
        .iter()
        .enumerate()
        .map(|(i, e)| {
            ran.contains(&i)
                .then(|| counts_of(&e.articles[n], Criterion::Attribution).f1())
        })
        .collect();
    let best = f1
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let leaders: Vec<usize> = (0..f1.len()).filter(|&i| f1[i] == Some(best)).collect();
    let winner = (leaders.len() == 1 && ran.len() > 1).then(|| all[leaders[0]].name.clone());

    let es: Vec<&crate::run::ExtractorResult> = ran.iter().map(|&i| &all[i]).collect();
    let arts: Vec<&ArticleResult> = es.iter().map(|e| &e.articles[n]).collect();
    let id = all[0].articles[n].id.clone();
    let gold_ids = &all[0].articles[n].gold_ids;
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
        id,
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

/// Runs every extractor on the selected unannotated articles of `corpus`
/// through the runner (so panics, span checks and the cache apply as in a
/// scoring run) and scores every pair against each other there: one
/// extractor's output is the other's gold. An extractor that fails on an
/// article counts as finding nothing there. Memory holds one article's
/// outputs at a time.
pub fn agreement_without_gold(
    corpus: &crate::corpus::Corpus,
    extractors: &[&dyn crate::extract::Extractor],
    settings: &crate::run::RunSettings,
) -> Unannotated {
    use crate::run::{run, Articles, Keep, RunEvent, RunSettings};
    let settings = RunSettings {
        articles: Articles::Unannotated,
        keep: Keep::Worst(0),
        ..settings.clone()
    };
    let names: Vec<String> = extractors.iter().map(|e| e.name().to_string()).collect();
    let mut agreement = Agreement::new(&names, settings.scheme);
    let mut outputs: Vec<Vec<crate::corpus::Prediction>> = Vec::new();
    run(corpus, extractors, &settings, &mut |event| {
        if let RunEvent::ArticleDone {
            article, result, ..
        } = event
        {
            // Events come extractor by extractor for one article, then the
            // next article.
            outputs.push(result.predictions.clone());
            if outputs.len() == extractors.len() {
                agreement.add(article, &std::mem::take(&mut outputs));
            }
        }
    });
    agreement.finish()
}

/// The agreement between every pair of extractors where there is no gold,
/// summed article by article.
pub struct Agreement {
    names: Vec<String>,
    scheme: crate::align::Scheme,
    totals: Vec<((usize, usize), crate::score::Totals)>,
    articles: usize,
    by_disagreement: Vec<UnannotatedArticle>,
}

impl Agreement {
    /// Agreement between the extractors `names` under `scheme`.
    pub fn new(names: &[String], scheme: crate::align::Scheme) -> Agreement {
        let mut totals = Vec::new();
        for i in 0..names.len() {
            for j in i + 1..names.len() {
                totals.push(((i, j), crate::score::Totals::new()));
            }
        }
        Agreement {
            names: names.to_vec(),
            scheme,
            totals,
            articles: 0,
            by_disagreement: Vec::new(),
        }
    }

    /// Adds one article; `preds[e]` is extractor e's predictions on it
    /// (empty when it failed).
    pub fn add(
        &mut self,
        article: &crate::corpus::Article,
        preds: &[Vec<crate::corpus::Prediction>],
    ) {
        use crate::corpus::{draft_record, GoldQuote};
        use crate::score::score_article;
        let mut sum = 0.0;
        for ((i, j), t) in self.totals.iter_mut() {
            let gold: Vec<GoldQuote> = preds[*i]
                .iter()
                .enumerate()
                .filter_map(|(n, p)| draft_record(&article.text, n + 1, p))
                .collect();
            let score = score_article(&article.text, &gold, &preds[*j], &self.scheme);
            sum += score.counts(Criterion::Attribution).f1();
            t.add(&score);
        }
        let pairs = self.totals.len().max(1) as f64;
        self.articles += 1;
        self.by_disagreement.push(UnannotatedArticle {
            id: article.id.to_string(),
            agreement: sum / pairs,
            quotes: preds.iter().map(|p| p.len()).collect(),
        });
    }

    /// The agreement over every article added.
    pub fn finish(mut self) -> Unannotated {
        let names = &self.names;
        self.by_disagreement.sort_by(|x, y| {
            x.agreement
                .total_cmp(&y.agreement)
                .then_with(|| x.id.cmp(&y.id))
        });
        Unannotated {
            articles: self.articles,
            pairs: self
                .totals
                .iter()
                .map(|((i, j), t)| PairAgreement {
                    a: names[*i].clone(),
                    b: names[*j].clone(),
                    content_f1: t.micro(Criterion::Content).f1,
                    attribution_f1: t.micro(Criterion::Attribution).f1,
                })
                .collect(),
            by_disagreement: self.by_disagreement,
        }
    }
}

/// The JSON of `quotecheck compare --json`: a versioned document (schema 1)
/// with the comparison and, with `--suggest-annotation`, the agreement
/// without gold. Written with its keys in alphabetical order.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ComparisonReport<'a> {
    /// Version of this layout.
    pub schema: u32,
    /// The quotecheck version that wrote it.
    pub quotecheck: &'static str,
    /// The scheme content was matched with.
    pub scheme: String,
    /// The corpus compared on.
    pub corpus: ComparedCorpus<'a>,
    /// The comparison.
    pub comparison: &'a Comparison,
    /// Agreement on unannotated articles, when asked for.
    pub unannotated: Option<&'a Unannotated>,
}

/// The corpus of a [`ComparisonReport`].
#[derive(Clone, Debug, serde::Serialize)]
pub struct ComparedCorpus<'a> {
    /// The corpus path as given.
    pub path: &'a str,
    /// Articles scored.
    pub scored: usize,
}

impl<'a> ComparisonReport<'a> {
    /// The report of `comparison`, made from `result`.
    pub fn new(
        result: &'a RunResult,
        comparison: &'a Comparison,
        unannotated: Option<&'a Unannotated>,
    ) -> ComparisonReport<'a> {
        ComparisonReport {
            schema: 1,
            quotecheck: env!("CARGO_PKG_VERSION"),
            scheme: result.scheme.to_string(),
            corpus: ComparedCorpus {
                path: &result.corpus.path,
                scored: result.corpus.scored,
            },
            comparison,
            unannotated,
        }
    }

    /// Writes it as pretty-printed JSON with a final newline.
    pub fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        // Through a `Value`, whose maps keep their keys sorted: the layout
        // is the same at every depth, whatever order the structs give.
        let value = serde_json::to_value(self).map_err(std::io::Error::other)?;
        serde_json::to_writer_pretty(&mut *out, &value).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    }
}
