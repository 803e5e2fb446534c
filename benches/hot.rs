//! Criterion benchmarks of the hot functions: tokenization, similarity,
//! the one-to-one assignment, whole-article scoring, and the fidelity
//! verdicts that scoring includes.
//!
//! The inputs come from the library's generator (`quotecheck::gen`, seed
//! 1, what `quotecheck gen` writes), so they are the same on every
//! machine: 256 ordinary articles, and one article with 2,000 quotes.
//!
//! ```text
//! cargo bench --bench hot
//! ```

use std::hint::black_box;
use std::ops::RangeInclusive;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use quotecheck::align::{align_article, fidelities, fidelity_of, max_matching, Scheme, Similarity};
use quotecheck::corpus::{Article, Prediction};
use quotecheck::gen::{generate, Settings};
use quotecheck::score::score_article;
use quotecheck::text::tokens;

/// Generated articles and their predictions, in memory.
fn generated(articles: usize, quotes: RangeInclusive<usize>) -> Vec<(Article, Vec<Prediction>)> {
    let settings = Settings {
        seed: 1,
        articles,
        quotes,
        ..Settings::default()
    };
    generate(&settings)
        .map(|g| (g.article, g.predictions))
        .collect()
}

fn gold(article: &Article) -> &[quotecheck::corpus::GoldQuote] {
    article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..])
}

fn benches(c: &mut Criterion) {
    let ordinary = generated(256, 2..=10);
    let big = generated(1, 2000..=2000).pop().expect("one article");
    let scheme = Scheme::default();

    let mut g = c.benchmark_group("tokens");
    let article_text = &ordinary[0].0.text;
    g.throughput(Throughput::Bytes(article_text.len() as u64));
    g.bench_function("article text", |b| {
        b.iter(|| tokens(black_box(article_text)))
    });
    g.finish();

    let contents: Vec<Vec<String>> = gold(&ordinary[0].0)
        .iter()
        .map(|q| {
            q.content
                .iter()
                .flat_map(|s| tokens(s.slice(&ordinary[0].0.text)))
                .collect()
        })
        .collect();
    c.bench_function("similarity/one pair of quotes", |b| {
        b.iter(|| Similarity::of(black_box(&contents[0]), black_box(&contents[1])))
    });

    // The content pairs of real articles: what the assignment is given.
    let pair_edges = |article: &Article, predictions: &[Prediction]| {
        let aligned = align_article(&article.text, gold(article), predictions, &scheme);
        let optional: Vec<bool> = gold(article).iter().map(|q| q.optional).collect();
        let edges: Vec<(usize, usize)> = aligned
            .pairs
            .iter()
            .map(|p| (p.gold, p.prediction))
            .collect();
        (optional, predictions.len(), edges)
    };
    let ordinary_edges: Vec<_> = ordinary.iter().map(|(a, p)| pair_edges(a, p)).collect();
    let mut g = c.benchmark_group("assignment");
    g.throughput(Throughput::Elements(ordinary_edges.len() as u64));
    g.bench_function("256 articles", |b| {
        b.iter(|| {
            for (optional, n, edges) in &ordinary_edges {
                black_box(max_matching(optional, *n, edges));
            }
        })
    });
    g.finish();
    // One component where every gold quote can take every prediction: the
    // cubic worst case of the Hungarian algorithm.
    let dense: Vec<(usize, usize)> = (0..40)
        .flat_map(|g| (0..40).map(move |p| (g, p)))
        .filter(|(g, p)| (g * 7 + p * 3) % 5 != 0)
        .collect();
    let optional: Vec<bool> = (0..40).map(|g| g % 9 == 0).collect();
    c.bench_function("assignment/dense 40x40 component", |b| {
        b.iter(|| max_matching(black_box(&optional), 40, black_box(&dense)))
    });

    let mut g = c.benchmark_group("score_article");
    g.throughput(Throughput::Elements(ordinary.len() as u64));
    g.bench_function("256 articles", |b| {
        b.iter(|| {
            for (article, predictions) in &ordinary {
                black_box(score_article(
                    &article.text,
                    gold(article),
                    predictions,
                    &scheme,
                ));
            }
        })
    });
    g.finish();
    let mut g = c.benchmark_group("score_article");
    g.sample_size(20);
    g.bench_function("one article with 2000 quotes", |b| {
        b.iter_batched(
            || (),
            |()| score_article(&big.0.text, gold(&big.0), &big.1, &scheme),
            BatchSize::SmallInput,
        )
    });
    g.finish();

    // Fidelity (scoring.md §8), part of scoring: the generator's text-only
    // predictions (one in ten), and a huge bogus quote on a long article.
    let mut g = c.benchmark_group("fidelity");
    g.throughput(Throughput::Elements(ordinary.len() as u64));
    g.bench_function("256 articles", |b| {
        b.iter(|| {
            for (article, predictions) in &ordinary {
                black_box(fidelities(&article.text, predictions));
            }
        })
    });
    let long: String = ordinary.iter().map(|(a, _)| a.text.as_str()).collect();
    let bogus = "the minister said that nothing would change ".repeat(25_000);
    g.throughput(Throughput::Bytes((long.len() + bogus.len()) as u64));
    g.sample_size(10);
    g.bench_function("1 MB quote on the 256 articles' text", |b| {
        b.iter(|| fidelity_of(black_box(&long), black_box(&bogus)))
    });
    g.finish();
}

criterion_group!(hot, benches);
criterion_main!(hot);
