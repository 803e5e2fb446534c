//! The engine against a brute-force oracle written independently here:
//! every matching of small random graphs is enumerated and the
//! lexicographic optimum of scoring.md §4 picked by hand; whole random
//! articles are re-scored with this file's own reading of §2–§3.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use quotecheck::align::{max_matching, GoldVerdict, PredictionVerdict, Scheme};
use quotecheck::corpus::{GoldQuote, Kind, PredPart, Prediction, Span};
use quotecheck::score::{score_article, ArticleScore, Criterion, KindBucket};
use quotecheck::text::tokens;

use crate::util::articles::rich::article;
use crate::util::articles::Article;

// ------------------------------------------------------------ enumeration

/// A callback receiving one matching as `(gold, prediction)` pairs.
type Visit<'a> = dyn FnMut(&[(usize, usize)]) + 'a;

/// Calls `f` with every matching of the bipartite graph `adj[g][p]`.
fn for_each_matching(adj: &[Vec<bool>], n_pred: usize, f: &mut Visit) {
    fn go(
        g: usize,
        adj: &[Vec<bool>],
        n_pred: usize,
        used: &mut Vec<bool>,
        pairs: &mut Vec<(usize, usize)>,
        f: &mut Visit,
    ) {
        if g == adj.len() {
            f(pairs);
            return;
        }
        go(g + 1, adj, n_pred, used, pairs, f);
        for p in 0..n_pred {
            if adj[g][p] && !used[p] {
                used[p] = true;
                pairs.push((g, p));
                go(g + 1, adj, n_pred, used, pairs, f);
                pairs.pop();
                used[p] = false;
            }
        }
    }
    go(0, adj, n_pred, &mut vec![false; n_pred], &mut Vec::new(), f);
}

/// The best (required matched, optional matched) over every matching.
fn best_counts(adj: &[Vec<bool>], n_pred: usize, optional: &[bool]) -> (usize, usize) {
    let mut best = (0, 0);
    for_each_matching(adj, n_pred, &mut |pairs| {
        let opt = pairs.iter().filter(|&&(g, _)| optional[g]).count();
        best = best.max((pairs.len() - opt, opt));
    });
    best
}

fn adjacency(n_gold: usize, n_pred: usize, edges: &[(usize, usize)]) -> Vec<Vec<bool>> {
    let mut adj = vec![vec![false; n_pred]; n_gold];
    for &(g, p) in edges {
        adj[g][p] = true;
    }
    adj
}

#[track_caller]
fn assert_valid_matching(pairs: &[(usize, usize)], adj: &[Vec<bool>]) {
    let mut gs: Vec<usize> = pairs.iter().map(|p| p.0).collect();
    let mut ps: Vec<usize> = pairs.iter().map(|p| p.1).collect();
    gs.sort_unstable();
    ps.sort_unstable();
    let (ng, np) = (gs.len(), ps.len());
    gs.dedup();
    ps.dedup();
    assert_eq!((gs.len(), ps.len()), (ng, np), "not one-to-one: {pairs:?}");
    for &(g, p) in pairs {
        assert!(adj[g][p], "pair ({g}, {p}) is not an edge");
    }
}

/// Maximum cardinality matching by augmenting paths, for graphs too large
/// to enumerate.
fn max_cardinality(adj: &[Vec<bool>], n_pred: usize) -> usize {
    fn augment(
        g: usize,
        adj: &[Vec<bool>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for p in 0..owner.len() {
            if adj[g][p] && !seen[p] {
                seen[p] = true;
                if owner[p].is_none_or(|h| augment(h, adj, seen, owner)) {
                    owner[p] = Some(g);
                    return true;
                }
            }
        }
        false
    }
    let mut owner = vec![None; n_pred];
    (0..adj.len())
        .filter(|&g| augment(g, adj, &mut vec![false; n_pred], &mut owner))
        .count()
}

// ------------------------------------------------------------ random graphs

fn graph() -> impl Strategy<Value = (Vec<bool>, usize, Vec<(usize, usize)>)> {
    (0usize..=7, 0usize..=7, 0u8..=255).prop_flat_map(|(ng, np, density)| {
        (
            prop::collection::vec(prop::bool::weighted(0.35), ng),
            Just(np),
            prop::collection::vec(any::<u8>(), ng * np).prop_map(move |bytes| {
                bytes
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| b < density)
                    .map(|(i, _)| (i / np.max(1), i % np.max(1)))
                    .collect::<Vec<_>>()
            }),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn max_matching_finds_the_lexicographic_optimum((optional, n_pred, edges) in graph()) {
        let adj = adjacency(optional.len(), n_pred, &edges);
        let m = max_matching(&optional, n_pred, &edges);
        assert_valid_matching(&m.pairs, &adj);
        let opt = m.pairs.iter().filter(|&&(g, _)| optional[g]).count();
        prop_assert_eq!((m.required, m.optional), (m.pairs.len() - opt, opt));
        prop_assert_eq!((m.required, m.optional), best_counts(&adj, n_pred, &optional));
        // Listing an edge twice changes nothing.
        let doubled: Vec<_> = edges.iter().chain(&edges).copied().collect();
        let again = max_matching(&optional, n_pred, &doubled);
        prop_assert_eq!((again.required, again.optional), (m.required, m.optional));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Too large to enumerate: the required count is the maximum matching
    /// of the required gold alone, and the total the maximum matching of
    /// the whole graph (gold sets a matching can cover form a matroid).
    #[test]
    fn max_matching_on_larger_graphs(
        optional in prop::collection::vec(prop::bool::weighted(0.3), 0..40),
        n_pred in 0usize..40,
        seed in prop::collection::vec(any::<u16>(), 0..120),
    ) {
        let ng = optional.len();
        let edges: Vec<(usize, usize)> = if ng == 0 || n_pred == 0 {
            Vec::new()
        } else {
            seed.chunks(2)
                .filter(|c| c.len() == 2)
                .map(|c| (c[0] as usize % ng, c[1] as usize % n_pred))
                .collect()
        };
        let adj = adjacency(ng, n_pred, &edges);
        let m = max_matching(&optional, n_pred, &edges);
        assert_valid_matching(&m.pairs, &adj);
        let required_adj: Vec<Vec<bool>> = adj
            .iter()
            .zip(&optional)
            .map(|(row, &o)| if o { vec![false; n_pred] } else { row.clone() })
            .collect();
        prop_assert_eq!(m.required, max_cardinality(&required_adj, n_pred));
        prop_assert_eq!(m.required + m.optional, max_cardinality(&adj, n_pred));
    }
}

// ------------------------------------------------------------ random articles

/// The schemes random articles ([`article`]) are scored under.
const SCHEMES: [&str; 6] = [
    "exact",
    "overlap",
    "overlap:0.3",
    "overlap:1",
    "overlap:0.75",
    "overlap:0.34",
];

// ------------------------------------------------------------ §2–§3, again

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

fn norm_name(s: &str) -> String {
    let mut t = tokens(s);
    if t.first().map(String::as_str) == Some("the") {
        t.remove(0);
    }
    t.join(" ")
}

/// (shared, union) of two token multisets.
fn jaccard(a: &[String], b: &[String]) -> (u64, u64) {
    let mut counts: HashMap<&str, (u64, u64)> = HashMap::new();
    for t in a {
        counts.entry(t).or_default().0 += 1;
    }
    for t in b {
        counts.entry(t).or_default().1 += 1;
    }
    counts
        .values()
        .fold((0, 0), |(s, u), &(x, y)| (s + x.min(y), u + x.max(y)))
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Edge {
    speaker: bool,
    cue: bool,
    kind: bool,
    sim: (u64, u64),
}

/// `None` when the pair does not match (§2), else the §3 verdicts.
fn oracle_edge(text: &str, g: &GoldQuote, p: &Prediction, scheme: &str) -> Option<Edge> {
    let located: Vec<Span> = p
        .content
        .iter()
        .filter_map(|part| match part {
            PredPart::Located(s) => Some(*s),
            PredPart::Text(_) => None,
        })
        .collect();
    if !located.is_empty()
        && !located
            .iter()
            .any(|&l| g.content.iter().any(|&s| overlaps(l, s)))
    {
        return None;
    }
    let gt: Vec<String> = g
        .content
        .iter()
        .flat_map(|s| tokens(s.slice(text)))
        .collect();
    let pt: Vec<String> = p
        .content
        .iter()
        .flat_map(|part| match part {
            PredPart::Located(s) => tokens(s.slice(text)),
            PredPart::Text(t) => tokens(t),
        })
        .collect();
    if pt.is_empty() {
        return None;
    }
    let sim = jaccard(&gt, &pt);
    let ok = match scheme {
        "exact" => gt == pt,
        "overlap" => sim.0 * 2 >= sim.1,
        "overlap:0.3" => sim.0 * 10 >= sim.1 * 3,
        "overlap:1" => sim.0 == sim.1,
        "overlap:0.75" => sim.0 * 4 >= sim.1 * 3,
        "overlap:0.34" => sim.0 * 100 >= sim.1 * 34,
        _ => unreachable!(),
    };
    if !ok {
        return None;
    }
    let speaker = match (&g.speaker, &p.speaker) {
        (None, None) => true,
        (None, Some(_)) | (Some(_), None) => false,
        (Some(gs), Some(ps)) => {
            ps.span.zip(gs.span).is_some_and(|(p, g)| overlaps(p, g))
                || std::iter::once(&gs.text)
                    .chain(&gs.entity)
                    .chain(&gs.aliases)
                    .any(|n| !norm_name(n).is_empty() && norm_name(n) == norm_name(&ps.text))
        }
    };
    let cue = match (&g.cue, &p.cue) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(gc), Some(pc)) => {
            pc.span.is_some_and(|s| overlaps(s, *gc))
                || (!tokens(gc.slice(text)).is_empty()
                    && tokens(gc.slice(text)) == tokens(&pc.text))
        }
    };
    let kind = g.kind.is_none() || g.kind == p.kind;
    Some(Edge {
        speaker,
        cue,
        kind,
        sim,
    })
}

fn bucket(k: Option<Kind>) -> KindBucket {
    match k {
        Some(Kind::Direct) => KindBucket::Direct,
        Some(Kind::Indirect) => KindBucket::Indirect,
        Some(Kind::Mixed) => KindBucket::Mixed,
        None => KindBucket::None,
    }
}

/// Checks every figure of `score` against the oracle.
fn check_article(a: &Article, scheme: &str, score: &ArticleScore) -> Result<(), TestCaseError> {
    let (ng, np) = (a.gold.len(), a.predictions.len());
    let edges: Vec<Vec<Option<Edge>>> = a
        .gold
        .iter()
        .map(|g| {
            a.predictions
                .iter()
                .map(|p| oracle_edge(&a.text, g, p, scheme))
                .collect()
        })
        .collect();
    let optional: Vec<bool> = a.gold.iter().map(|g| g.optional).collect();
    let required_total = optional.iter().filter(|o| !**o).count();
    let graph = |keep: &dyn Fn(usize, usize, &Edge) -> bool| -> Vec<Vec<bool>> {
        (0..ng)
            .map(|g| {
                (0..np)
                    .map(|p| edges[g][p].is_some_and(|e| keep(g, p, &e)))
                    .collect()
            })
            .collect()
    };

    for c in Criterion::ALL {
        let adj = graph(&|g, _, e| {
            optional[g]
                || match c {
                    Criterion::Content => true,
                    Criterion::Attribution => e.speaker,
                    Criterion::Cue => e.cue,
                    Criterion::Kind => e.kind,
                }
        });
        let (req, opt) = best_counts(&adj, np, &optional);
        let got = score.counts(c);
        prop_assert_eq!(
            (got.tp, got.fp, got.fn_),
            (
                req as u64,
                (np - req - opt) as u64,
                (required_total - req) as u64
            ),
            "{}",
            c
        );
    }
    let content_tp = score.counts(Criterion::Content).tp;
    prop_assert_eq!(
        score.speaker_accuracy.correct,
        score.counts(Criterion::Attribution).tp
    );
    prop_assert_eq!(score.speaker_accuracy.of, content_tp);
    prop_assert_eq!(
        score.kind_accuracy.correct,
        score.counts(Criterion::Kind).tp
    );
    prop_assert_eq!(score.cue_accuracy.value().is_none(), content_tp == 0);

    // Per-kind recall: required gold of one kind, every prediction.
    let mut recall = BTreeMap::new();
    for k in KindBucket::ALL {
        let total = a
            .gold
            .iter()
            .filter(|g| !g.optional && bucket(g.kind) == k)
            .count();
        if total == 0 {
            continue;
        }
        let adj = graph(&|g, _, _| !optional[g] && bucket(a.gold[g].kind) == k);
        let (req, _) = best_counts(&adj, np, &optional);
        recall.insert(k, (req as u64, total as u64));
    }
    let got: BTreeMap<_, _> = score
        .kind_recall
        .iter()
        .map(|(&k, r)| (k, (r.tp, r.total)))
        .collect();
    prop_assert_eq!(got, recall);

    // Per-kind precision: predictions of one kind, every gold quote.
    let mut precision = BTreeMap::new();
    for k in KindBucket::ALL {
        let n_k = a.predictions.iter().filter(|p| bucket(p.kind) == k).count();
        if n_k == 0 {
            continue;
        }
        let adj = graph(&|_, p, _| bucket(a.predictions[p].kind) == k);
        let (req, opt) = best_counts(&adj, np, &optional);
        precision.insert(k, (req as u64, (n_k - req - opt) as u64));
    }
    let got: BTreeMap<_, _> = score
        .kind_precision
        .iter()
        .map(|(&k, r)| (k, (r.tp, r.fp)))
        .collect();
    prop_assert_eq!(got, precision);

    // The displayed pairing: optimal on (required, optional, correct
    // speakers), then on total similarity.
    let content = graph(&|_, _, _| true);
    let mut best = (0usize, 0usize, 0usize, 0f64);
    for_each_matching(&content, np, &mut |pairs| {
        let opt = pairs.iter().filter(|&&(g, _)| optional[g]).count();
        let spk = pairs
            .iter()
            .filter(|&&(g, p)| edges[g][p].unwrap().speaker)
            .count();
        let sim: f64 = pairs
            .iter()
            .map(|&(g, p)| {
                let (s, u) = edges[g][p].unwrap().sim;
                s as f64 / u as f64
            })
            .sum();
        let key = (pairs.len() - opt, opt, spk);
        if key > (best.0, best.1, best.2) || (key == (best.0, best.1, best.2) && sim > best.3) {
            best = (key.0, key.1, key.2, sim);
        }
    });
    let al = &score.alignment;
    prop_assert_eq!(al.gold.len(), ng);
    prop_assert_eq!(al.predictions.len(), np);
    let mut shown = Vec::new();
    for (g, v) in al.gold.iter().enumerate() {
        match v {
            GoldVerdict::Matched {
                prediction,
                optional: o,
                speaker_correct,
                cue_correct,
                kind_correct,
                sim,
            } => {
                let e = edges[g][*prediction];
                prop_assert!(
                    e.is_some(),
                    "displayed pair ({}, {}) does not match",
                    g,
                    prediction
                );
                let e = e.unwrap();
                prop_assert_eq!(*o, optional[g]);
                prop_assert_eq!(
                    (*speaker_correct, *cue_correct, *kind_correct),
                    (e.speaker, e.cue, e.kind)
                );
                prop_assert_eq!((sim.shared, sim.total), e.sim);
                let back = if optional[g] {
                    PredictionVerdict::OptionalMatch { gold: g }
                } else {
                    PredictionVerdict::Matched { gold: g }
                };
                prop_assert_eq!(&al.predictions[*prediction], &back);
                shown.push((g, *prediction));
            }
            GoldVerdict::Missed => prop_assert!(!optional[g]),
            GoldVerdict::OptionalMissed => prop_assert!(optional[g]),
        }
    }
    let spurious = al
        .predictions
        .iter()
        .filter(|v| **v == PredictionVerdict::Spurious)
        .count();
    prop_assert_eq!(spurious + shown.len(), np);
    let opt = shown.iter().filter(|&&(g, _)| optional[g]).count();
    let spk = shown
        .iter()
        .filter(|&&(g, p)| edges[g][p].unwrap().speaker)
        .count();
    let sim: f64 = shown
        .iter()
        .map(|&(g, p)| {
            let (s, u) = edges[g][p].unwrap().sim;
            s as f64 / u as f64
        })
        .sum();
    prop_assert_eq!((shown.len() - opt, opt, spk), (best.0, best.1, best.2));
    prop_assert!(
        sim >= best.3 - 1e-9,
        "similarity {} below the best {}",
        sim,
        best.3
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn whole_articles_agree_with_the_oracle(a in article(), scheme in 0usize..SCHEMES.len()) {
        let name = SCHEMES[scheme];
        let parsed: Scheme = name.parse().unwrap();
        let score = score_article(&a.text, &a.gold, &a.predictions, &parsed);
        check_article(&a, name, &score)?;
    }
}
