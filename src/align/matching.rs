//! One-to-one assignment (scoring.md §4): maximum-weight bipartite
//! matching, solved per connected component with the Hungarian algorithm.

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

/// A one-to-one matching of gold quotes with predictions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matching {
    /// The matched `(gold, prediction)` pairs, sorted.
    pub pairs: Vec<(usize, usize)>,
    /// How many required gold quotes are matched.
    pub required: usize,
    /// How many optional gold quotes are matched.
    pub optional: usize,
}

/// The matching of scoring.md §4: among all one-to-one matchings that use
/// only `edges` (`(gold, prediction)` pairs), one that matches the most
/// required gold quotes and then the most optional ones.
///
/// `optional[g]` says whether gold quote `g` is optional; its length is the
/// number of gold quotes. Predictions are numbered `0..n_predictions`.
/// Duplicate edges are allowed. Every figure of §4 and §5 comes from this
/// function.
///
/// ```
/// use quotecheck::align::max_matching;
/// // Gold 0 can take prediction 0 or 1, gold 1 only prediction 0:
/// // a greedy choice of (0, 0) would leave gold 1 unmatched.
/// let m = max_matching(&[false, false], 2, &[(0, 0), (0, 1), (1, 0)]);
/// assert_eq!(m.pairs, [(0, 1), (1, 0)]);
/// assert_eq!((m.required, m.optional), (2, 0));
/// ```
///
/// # Panics
/// When an edge names a gold quote or prediction out of range.
pub fn max_matching(optional: &[bool], n_predictions: usize, edges: &[(usize, usize)]) -> Matching {
    let weighted: Vec<(usize, usize, ())> = edges.iter().map(|&(g, p)| (g, p, ())).collect();
    let pairs = solve(optional, n_predictions, &weighted, |component, g, _| {
        // A required quote outweighs every optional quote of its component
        // together, so the total weight orders matchings lexicographically.
        if optional[g] {
            1
        } else {
            component.optional_gold as i128 + 1
        }
    });
    let optional_matched = pairs.iter().filter(|&&(g, _)| optional[g]).count();
    Matching {
        required: pairs.len() - optional_matched,
        optional: optional_matched,
        pairs,
    }
}

/// The size of the connected component an edge belongs to, for weights
/// that must dominate everything the rest of the component can add.
pub(crate) struct Component {
    /// Optional gold quotes in the component.
    pub(crate) optional_gold: usize,
    /// The most pairs any matching of the component can have.
    pub(crate) max_pairs: usize,
}

/// A maximum-weight matching over `edges`, each weighed by `weight`
/// (which must be positive), returned as sorted `(gold, prediction)` pairs.
///
/// The graph is split into connected components first: the Hungarian
/// algorithm is cubic in the size of its matrix, and in an article almost
/// every component is a handful of quotes. Within a component, rows and
/// columns follow the order of the indices, so for the same indices and
/// weights the result is always the same.
pub(crate) fn solve<E>(
    optional: &[bool],
    n_predictions: usize,
    edges: &[(usize, usize, E)],
    weight: impl Fn(&Component, usize, &E) -> i128,
) -> Vec<(usize, usize)> {
    let n_gold = optional.len();
    for &(g, p, _) in edges {
        assert!(
            g < n_gold && p < n_predictions,
            "edge ({g}, {p}) out of range for {n_gold} gold and {n_predictions} predictions"
        );
    }
    // Union-find over gold 0..n_gold and predictions n_gold.. .
    let mut parent: Vec<usize> = (0..n_gold + n_predictions).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(g, p, _) in edges {
        let (a, b) = (find(&mut parent, g), find(&mut parent, n_gold + p));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    // Edges grouped by component root: one sort, no list per component.
    let mut by_root: Vec<(usize, usize)> = edges
        .iter()
        .enumerate()
        .map(|(i, &(g, _, _))| (find(&mut parent, g), i))
        .collect();
    by_root.sort_unstable();

    let mut out = Vec::with_capacity(by_root.len().min(n_gold));
    // Scratch space, allocated for the first component with a choice.
    let (mut golds, mut preds) = (Vec::new(), Vec::new());
    let (mut local_gold, mut local_pred) = (Vec::new(), Vec::new());
    for component_edges in by_root.chunk_by(|a, b| a.0 == b.0) {
        let (g0, p0, _) = edges[component_edges[0].1];
        if component_edges
            .iter()
            .all(|&(_, i)| edges[i].0 == g0 && edges[i].1 == p0)
        {
            // One gold quote and one prediction (the usual case): no choice.
            out.push((g0, p0));
            continue;
        }
        golds.clear();
        preds.clear();
        golds.extend(component_edges.iter().map(|&(_, i)| edges[i].0));
        preds.extend(component_edges.iter().map(|&(_, i)| edges[i].1));
        golds.sort_unstable();
        golds.dedup();
        preds.sort_unstable();
        preds.dedup();
        if local_gold.is_empty() {
            local_gold = vec![usize::MAX; n_gold];
            local_pred = vec![usize::MAX; n_predictions];
        }
        for (i, &g) in golds.iter().enumerate() {
            local_gold[g] = i;
        }
        for (i, &p) in preds.iter().enumerate() {
            local_pred[p] = i;
        }
        let component = Component {
            optional_gold: golds.iter().filter(|&&g| optional[g]).count(),
            max_pairs: golds.len().min(preds.len()),
        };
        // The Hungarian algorithm assigns every row: rows are the smaller side.
        let transpose = golds.len() > preds.len();
        let (rows, cols) = if transpose {
            (preds.len(), golds.len())
        } else {
            (golds.len(), preds.len())
        };
        let mut matrix = Matrix::new(rows, cols, 0i128);
        for &(_, i) in component_edges {
            let (g, p, ref e) = edges[i];
            let w = weight(&component, g, e);
            debug_assert!(w > 0, "edge weights must be positive");
            let (lg, lp) = (local_gold[g], local_pred[p]);
            let at = if transpose { (lp, lg) } else { (lg, lp) };
            matrix[at] = matrix[at].max(w);
        }
        let (_, assignment) = kuhn_munkres(&matrix);
        for (row, col) in assignment.into_iter().enumerate() {
            // A row assigned through a zero cell is not matched: there is no edge.
            if matrix[(row, col)] > 0 {
                let (lg, lp) = if transpose { (col, row) } else { (row, col) };
                out.push((golds[lg], preds[lp]));
            }
        }
    }
    out.sort_unstable();
    out
}
