//! The statistics of `quotecheck compare`, checked against cases with known
//! answers: interval coverage, the test's false rejection rate, power on a
//! clear difference, and reproducibility.

use quotecheck::compare::stats::{difference_interval, f1_interval, randomization_p_value};
use quotecheck::rng::SplitMix64;
use quotecheck::score::Counts;

/// An extractor that finds each of an article's 10 required quotes with
/// probability `recall` and adds each of 5 possible spurious ones with
/// probability `noise`.
#[derive(Clone, Copy)]
struct Model {
    recall: f64,
    noise: f64,
}

impl Model {
    fn draw(self, rng: &mut SplitMix64) -> Counts {
        let mut bern = |p: f64| (rng.next_u64() as f64 / 18_446_744_073_709_551_616.0) < p;
        let tp = (0..10).filter(|_| bern(self.recall)).count() as u64;
        let fp = (0..5).filter(|_| bern(self.noise)).count() as u64;
        Counts {
            tp,
            fp,
            fn_: 10 - tp,
        }
    }

    /// The micro F1 over infinitely many articles: the ratio of expected counts.
    fn true_f1(self) -> f64 {
        let (tp, fp, fn_) = (
            10.0 * self.recall,
            5.0 * self.noise,
            10.0 * (1.0 - self.recall),
        );
        2.0 * tp / (2.0 * tp + fp + fn_)
    }
}

fn corpus(model: Model, articles: usize, rng: &mut SplitMix64) -> Vec<Counts> {
    (0..articles).map(|_| model.draw(rng)).collect()
}

/// Article ids for `n` articles: each draws from a stream of its own.
fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("article-{i}")).collect()
}

fn refs(ids: &[String]) -> Vec<&str> {
    ids.iter().map(String::as_str).collect()
}

const SEEDS: u64 = 200;
const ARTICLES: usize = 60;
const RESAMPLES: usize = 400;

#[test]
fn f1_intervals_cover_the_true_f1_about_95_percent_of_the_time() {
    let model = Model {
        recall: 0.7,
        noise: 0.3,
    };
    let truth = model.true_f1();
    let covered = (0..SEEDS)
        .filter(|&seed| {
            let mut rng = SplitMix64::new(seed);
            let data = corpus(model, ARTICLES, &mut rng);
            let ci = f1_interval(&refs(&ids(ARTICLES)), &data, RESAMPLES, seed + 10_000, 0.95);
            ci.low <= truth && truth <= ci.high
        })
        .count() as f64
        / SEEDS as f64;
    eprintln!("coverage {covered}");
    assert!((0.90..=0.99).contains(&covered), "coverage {covered}");
}

#[test]
fn difference_intervals_cover_the_true_difference() {
    let (a, b) = (
        Model {
            recall: 0.8,
            noise: 0.2,
        },
        Model {
            recall: 0.65,
            noise: 0.3,
        },
    );
    let truth = a.true_f1() - b.true_f1();
    let covered = (0..SEEDS)
        .filter(|&seed| {
            let mut rng = SplitMix64::new(seed);
            let (xa, xb) = (corpus(a, ARTICLES, &mut rng), corpus(b, ARTICLES, &mut rng));
            let ci = difference_interval(
                &refs(&ids(ARTICLES)),
                &xa,
                &xb,
                RESAMPLES,
                seed + 20_000,
                0.95,
            );
            ci.low <= truth && truth <= ci.high
        })
        .count() as f64
        / SEEDS as f64;
    eprintln!("coverage {covered}");
    assert!((0.90..=0.99).contains(&covered), "coverage {covered}");
}

#[test]
fn the_test_rejects_at_about_the_nominal_rate_without_a_difference() {
    let model = Model {
        recall: 0.7,
        noise: 0.3,
    };
    let rejected = (0..SEEDS)
        .filter(|&seed| {
            let mut rng = SplitMix64::new(seed);
            let (xa, xb) = (
                corpus(model, ARTICLES, &mut rng),
                corpus(model, ARTICLES, &mut rng),
            );
            randomization_p_value(&refs(&ids(ARTICLES)), &xa, &xb, RESAMPLES, seed + 30_000) < 0.05
        })
        .count() as f64
        / SEEDS as f64;
    eprintln!("rejection rate {rejected}");
    assert!(
        (0.01..=0.10).contains(&rejected),
        "rejection rate {rejected}"
    );
}

#[test]
fn a_clearly_dominated_extractor_gets_a_small_p_value() {
    let mut rng = SplitMix64::new(5);
    let good = corpus(
        Model {
            recall: 0.9,
            noise: 0.1,
        },
        ARTICLES,
        &mut rng,
    );
    let bad = corpus(
        Model {
            recall: 0.4,
            noise: 0.5,
        },
        ARTICLES,
        &mut rng,
    );
    let p = randomization_p_value(&refs(&ids(ARTICLES)), &good, &bad, 1000, 1);
    // With 1000 rounds the smallest possible p-value is 1/1001.
    assert!(p < 0.002, "p = {p}");
    let ci = difference_interval(&refs(&ids(ARTICLES)), &good, &bad, 1000, 2, 0.95);
    assert!(ci.low > 0.2, "{ci:?}");
}

#[test]
fn a_fixed_seed_gives_identical_results() {
    let mut rng = SplitMix64::new(9);
    let (a, b) = (
        corpus(
            Model {
                recall: 0.7,
                noise: 0.2,
            },
            40,
            &mut rng,
        ),
        corpus(
            Model {
                recall: 0.6,
                noise: 0.2,
            },
            40,
            &mut rng,
        ),
    );
    let names = ids(40);
    let ids = refs(&names);
    assert_eq!(
        f1_interval(&ids, &a, 300, 4, 0.95),
        f1_interval(&ids, &a, 300, 4, 0.95)
    );
    assert_eq!(
        randomization_p_value(&ids, &a, &b, 300, 4),
        randomization_p_value(&ids, &a, &b, 300, 4)
    );
    assert_ne!(
        f1_interval(&ids, &a, 300, 4, 0.95),
        f1_interval(&ids, &a, 300, 5, 0.95)
    );
}

#[test]
fn agreement_without_gold_ranks_the_articles_to_annotate_next() {
    use quotecheck::align::Scheme;
    use quotecheck::compare::Agreement;
    use quotecheck::corpus::{Article, ArticleId, PredMention, Prediction, Span};
    let article = |id: &str, text: &str| Article {
        id: ArticleId::new(id).unwrap(),
        text: text.into(),
        gold: None,
    };
    let text = "“We stay,” Ana said.";
    let quote = Span::new(text.find("We").unwrap(), text.find(',').unwrap());
    let ana = Span::new(text.find("Ana").unwrap(), text.find(" said").unwrap());
    let with = |s: Span| vec![Prediction::at(quote).with_speaker(PredMention::at(text, s))];
    let articles = [article("agreed", text), article("disputed", text)];
    let outputs = vec![
        // Both find the quote and attribute it to Ana.
        vec![with(ana), with(ana)],
        // Only the first finds it.
        vec![with(ana), vec![]],
    ];
    let mut agreement = Agreement::new(&["a".into(), "b".into()], Scheme::default());
    for (article, preds) in articles.iter().zip(&outputs) {
        agreement.add(article, preds);
    }
    let u = agreement.finish();
    assert_eq!(u.articles, 2);
    let order: Vec<(&str, f64)> = u
        .by_disagreement
        .iter()
        .map(|a| (a.id.as_str(), a.agreement))
        .collect();
    assert_eq!(order, [("disputed", 0.0), ("agreed", 1.0)]);
    // Micro over both articles, b against a: TP 1, FP 0, FN 1 → F1 2/3.
    assert!((u.pairs[0].content_f1 - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(u.by_disagreement[0].quotes, [1, 0]);
}
