//! Properties every score must have, whatever the input.

use proptest::prelude::*;
use quotecheck::align::{Alignment, GoldVerdict, PredictionVerdict, Scheme};
use quotecheck::corpus::{GoldQuote, Kind, PredPart, Prediction, Span};
use quotecheck::score::{score_article, ArticleScore, Criterion, Totals};

use crate::util::articles::plain::article;
use crate::util::articles::{from_gold, generated, Article};

const SCHEMES: [&str; 4] = ["exact", "overlap", "overlap:0.3", "overlap:1"];

fn scheme() -> impl Strategy<Value = Scheme> {
    (0..SCHEMES.len()).prop_map(|i| SCHEMES[i].parse().unwrap())
}

fn in_unit(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

/// Everything an alignment shows, keyed by record content instead of
/// index, so that two alignments of the same records in other orders can be
/// compared. Gold ids are left out: identical records are interchangeable.
fn shown(a: &Article, al: &Alignment) -> Vec<String> {
    let gold_key = |g: usize| {
        let q = &a.gold[g];
        format!(
            "{:?} {:?} {:?} {:?} {}",
            q.content, q.speaker, q.cue, q.kind, q.optional
        )
    };
    let pred_key = |p: usize| {
        format!(
            "{:?}",
            Prediction {
                id: None,
                ..a.predictions[p].clone()
            }
        )
    };
    let mut out: Vec<String> = al
        .gold
        .iter()
        .enumerate()
        .map(|(g, v)| match v {
            GoldVerdict::Matched {
                prediction,
                optional,
                speaker_correct,
                cue_correct,
                kind_correct,
                sim,
            } => format!(
                "matched {} ~ {} {optional} {speaker_correct} {cue_correct} {kind_correct} {sim:?}",
                gold_key(g),
                pred_key(*prediction)
            ),
            other => format!("{other:?} {}", gold_key(g)),
        })
        .collect();
    out.extend(al.predictions.iter().enumerate().map(|(p, v)| match v {
        PredictionVerdict::Matched { gold } => {
            format!("matched {} ~ {}", pred_key(p), gold_key(*gold))
        }
        PredictionVerdict::OptionalMatch { gold } => {
            format!("optional-match {} ~ {}", pred_key(p), gold_key(*gold))
        }
        PredictionVerdict::Spurious => format!("spurious {}", pred_key(p)),
    }));
    out.sort();
    out
}

/// The figures of a score, without the alignment (whose indices move when
/// records are shuffled).
fn figures(s: &ArticleScore) -> ArticleScore {
    ArticleScore {
        alignment: Alignment::default(),
        ..s.clone()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn scores_are_between_zero_and_one(a in article(), scheme in scheme()) {
        let s = score_article(&a.text, &a.gold, &a.predictions, &scheme);
        let mut totals = Totals::new();
        totals.add(&s);
        totals.add(&score_article(&a.text, &a.gold, &[], &scheme));
        for c in Criterion::ALL {
            let k = s.counts(c);
            prop_assert!(in_unit(k.p()) && in_unit(k.r()) && in_unit(k.f1()));
            for f in [totals.micro(c), totals.macro_figures(c)] {
                prop_assert!(in_unit(f.p) && in_unit(f.r) && in_unit(f.f1), "{:?}", f);
            }
        }
        for acc in [s.speaker_accuracy, s.cue_accuracy, s.kind_accuracy] {
            prop_assert!(acc.value().is_none_or(in_unit));
        }
        prop_assert!(s.kind_recall.values().all(|r| in_unit(r.recall())));
        prop_assert!(s.kind_precision.values().all(|p| in_unit(p.precision())));
        // Every figure serializes.
        prop_assert!(serde_json::to_string(&s).is_ok());
        prop_assert!(serde_json::to_string(&totals).is_ok());
    }

    #[test]
    fn criteria_never_exceed_content(a in article(), scheme in scheme()) {
        let s = score_article(&a.text, &a.gold, &a.predictions, &scheme);
        let content = s.counts(Criterion::Content);
        let required = a.gold.iter().filter(|g| !g.optional).count() as u64;
        for c in Criterion::ALL {
            let k = s.counts(c);
            prop_assert!(k.tp <= content.tp);
            prop_assert!(k.fp >= content.fp);
            prop_assert_eq!(k.tp + k.fn_, required);
        }
    }

    #[test]
    fn gold_against_itself_is_perfect(a in article(), scheme in scheme()) {
        let preds: Vec<Prediction> = a.gold.iter().map(|g| from_gold(&a.text, g)).collect();
        let s = score_article(&a.text, &a.gold, &preds, &scheme);
        let required = a.gold.iter().filter(|g| !g.optional).count() as u64;
        for c in Criterion::ALL {
            let k = s.counts(c);
            prop_assert_eq!((k.tp, k.fp, k.fn_), (required, 0, 0), "{}", c);
            prop_assert_eq!((k.p(), k.r(), k.f1()), (1.0, 1.0, 1.0));
        }
        prop_assert!(s.alignment.predictions.iter().all(|v| *v != PredictionVerdict::Spurious));
    }

    #[test]
    fn record_order_changes_nothing(
        (a, gold_order, pred_order) in article().prop_flat_map(|a| {
            let g: Vec<usize> = (0..a.gold.len()).collect();
            let p: Vec<usize> = (0..a.predictions.len()).collect();
            (Just(a), Just(g).prop_shuffle(), Just(p).prop_shuffle())
        }),
        scheme in scheme(),
    ) {
        let shuffled = Article {
            text: a.text.clone(),
            gold: gold_order.iter().map(|&i| a.gold[i].clone()).collect(),
            predictions: pred_order.iter().map(|&i| a.predictions[i].clone()).collect(),
        };
        let s1 = score_article(&a.text, &a.gold, &a.predictions, &scheme);
        let s2 = score_article(&a.text, &shuffled.gold, &shuffled.predictions, &scheme);
        prop_assert_eq!(figures(&s1), figures(&s2));
        prop_assert_eq!(shown(&a, &s1.alignment), shown(&shuffled, &s2.alignment));
        // Positions are content too: the ranked orders list the same records.
        let ranked = |art: &Article, al: &Alignment| -> Vec<String> {
            al.gold_order.iter().map(|&g| format!("{:?}", art.gold[g].content)).collect()
        };
        prop_assert_eq!(ranked(&a, &s1.alignment), ranked(&shuffled, &s2.alignment));
    }

    #[test]
    fn totals_do_not_depend_on_article_order(
        articles in prop::collection::vec(article(), 0..6).prop_shuffle(),
        scheme in scheme(),
    ) {
        let scores: Vec<ArticleScore> = articles
            .iter()
            .map(|a| score_article(&a.text, &a.gold, &a.predictions, &scheme))
            .collect();
        let mut forward = Totals::new();
        scores.iter().for_each(|s| forward.add(s));
        let mut backward = Totals::new();
        scores.iter().rev().for_each(|s| backward.add(s));
        prop_assert_eq!(&forward, &backward);
        // Two halves merged are the same as one pass.
        let (left, right) = scores.split_at(scores.len() / 2);
        let mut a = Totals::new();
        left.iter().for_each(|s| a.add(s));
        let mut b = Totals::new();
        right.iter().for_each(|s| b.add(s));
        a.merge(&b);
        prop_assert_eq!(&a, &forward);
        prop_assert_eq!(forward.articles(), scores.len() as u64);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The same properties on the library's synthetic corpus: articles of
    /// realistic shape whose predictions are the gold perturbed (moved,
    /// cut, re-attributed, dropped, invented) as the benchmarks score them.
    #[test]
    fn generated_articles_score_within_bounds_and_whatever_the_order(
        (a, pred_order) in generated().prop_flat_map(|a| {
            let p: Vec<usize> = (0..a.predictions.len()).collect();
            (Just(a), Just(p).prop_shuffle())
        }),
        scheme in scheme(),
    ) {
        let s = score_article(&a.text, &a.gold, &a.predictions, &scheme);
        let required = a.gold.iter().filter(|g| !g.optional).count() as u64;
        for c in Criterion::ALL {
            let k = s.counts(c);
            prop_assert!(in_unit(k.p()) && in_unit(k.r()) && in_unit(k.f1()));
            prop_assert_eq!(k.tp + k.fn_, required);
        }
        let shuffled: Vec<Prediction> =
            pred_order.iter().map(|&i| a.predictions[i].clone()).collect();
        let s2 = score_article(&a.text, &a.gold, &shuffled, &scheme);
        prop_assert_eq!(figures(&s), figures(&s2));
        let preds: Vec<Prediction> = a.gold.iter().map(|g| from_gold(&a.text, g)).collect();
        let perfect = score_article(&a.text, &a.gold, &preds, &scheme);
        for c in Criterion::ALL {
            let k = perfect.counts(c);
            prop_assert_eq!((k.tp, k.fp, k.fn_), (required, 0, 0), "{}", c);
        }
    }
}

/// A long article: thousands of quotes must stay fast, because only
/// overlapping spans are compared and each component is solved alone.
#[test]
fn thousands_of_quotes_score_quickly() {
    let n = 3000;
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut predictions = Vec::new();
    for i in 0..n {
        // Tokens [quote_i, number_i, is, here]: two quotes share 2 of 6, 1/3.
        let quote = format!("Quote{i} number{i} is here");
        text.push('“');
        let start = text.len();
        text.push_str(&quote);
        let span = Span::new(start, text.len());
        text.push_str(&format!(",” said person {i}. "));
        gold.push(GoldQuote {
            id: format!("q{i}"),
            kind: Some(Kind::Direct),
            content: vec![span],
            speaker: None,
            cue: None,
            optional: i % 10 == 0,
            note: None,
        });
        if i % 2 == 0 {
            predictions.push(Prediction {
                content: vec![PredPart::Located(span)],
                kind: Some(Kind::Direct),
                ..Prediction::default()
            });
        } else if i % 50 == 1 {
            predictions.push(Prediction {
                content: vec![PredPart::Text(quote.to_lowercase())],
                ..Prediction::default()
            });
        }
    }
    let started = std::time::Instant::now();
    let s = score_article(&text, &gold, &predictions, &Scheme::default());
    let elapsed = started.elapsed();
    let c = s.counts(Criterion::Content);
    // 1500 located predictions (even i), 300 of them on optional gold
    // (i % 10 = 0): 1200 TP. 60 text-only ones (i % 50 = 1), each on its own
    // required quote: 60 TP. 2700 required quotes.
    assert_eq!((c.tp, c.fp, c.fn_), (1260, 0, 2700 - 1260));
    let k = s.counts(Criterion::Kind);
    // Text-only predictions have no kind; the gold is direct.
    assert_eq!((k.tp, k.fp, k.fn_), (1200, 60, 1500));
    assert!(elapsed.as_secs() < 10, "took {elapsed:?}");
}

/// A quote repeated many times with text-only predictions makes one dense
/// component, which the assignment still solves exactly.
#[test]
fn a_dense_component_of_repeated_quotes() {
    let n = 200;
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut predictions = Vec::new();
    for i in 0..n {
        text.push('“');
        let start = text.len();
        text.push_str("We will win");
        let span = Span::new(start, text.len());
        text.push_str(",” they said. ");
        gold.push(GoldQuote {
            id: format!("q{i}"),
            kind: None,
            content: vec![span],
            speaker: None,
            cue: None,
            optional: false,
            note: None,
        });
        predictions.push(Prediction {
            content: vec![if i % 2 == 0 {
                PredPart::Located(span)
            } else {
                PredPart::Text("we will win".into())
            }],
            ..Prediction::default()
        });
    }
    // One more text-only prediction than there are copies: one FP.
    predictions.push(Prediction {
        content: vec![PredPart::Text("We will win!".into())],
        ..Prediction::default()
    });
    let s = score_article(&text, &gold, &predictions, &"exact".parse().unwrap());
    let c = s.counts(Criterion::Content);
    assert_eq!((c.tp, c.fp, c.fn_), (200, 1, 0));
}
