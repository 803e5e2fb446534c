"""quotecheck's scoring contract (docs/scoring.md §1–§6) written plainly in
Python, with scipy's `linear_sum_assignment` for the one-to-one matchings:
what a user would write to score quotes without quotecheck.

It computes, for the default scheme `overlap:0.5`:

- §1 tokens: runs of letters and digits (`str.isalnum`, through the `re`
  class `[^\\W_]`), each Han, Hiragana or Katakana character a token of its
  own (told by its Unicode block), lower-cased with `str.lower`;
- §2 content: the location rule (a prediction with offsets must overlap
  the gold quote), no match without tokens, multiset Jaccard similarity
  of at least 1/2, decided on integers;
- §3 speaker (offsets that overlap, or the name — mention text, entity or
  an alias — after name normalization, never an empty one), cue (offsets
  that overlap, or equal non-empty tokens), kind;
- §4 one matching per criterion (content, attribution, cue, kind), each
  maximizing required gold matched, then optional gold; TP, FP, FN;
  ignored regions set predictions aside;
- §5 per-kind recall and precision, each its own content matching;
- §6 micro totals and the macro mean of each article's F1.

Against quotecheck it does not compute the pairing shown to people, nor
the fidelity of text-only quotes (§8). Its tokens differ from the
contract's only where `str.isalnum` differs from Unicode's `Alphabetic`
property (combining vowel signs of Indic scripts, for instance), which the
generated corpora do not contain.

    python scipy_peer.py CORPUS.jsonl REPLAY.jsonl

Prints one JSON object: the time spent reading and scoring (wall-clock,
and CPU for scoring) and every count, which benches/scale.py checks
against quotecheck's `--json` report.
"""

import json
import re
import sys
import time
from collections import Counter

import numpy as np
from scipy.optimize import linear_sum_assignment

from common import load

CRITERIA = ("content", "attribution", "cue", "kind")
WORD = re.compile(r"[^\W_]+")
# The blocks of the Han, Hiragana and Katakana scripts: a character of
# theirs is a token on its own.
SINGLE = re.compile(
    "[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9d\U00020000-\U0003134f]"
)


def tokens(s):
    words = WORD.findall(s)
    if not words:
        return []
    if not s.isascii() and SINGLE.search(s):
        split = []
        for w in words:
            run = ""
            for ch in w:
                if SINGLE.match(ch):
                    if run:
                        split.append(run)
                        run = ""
                    split.append(ch)
                else:
                    run += ch
            if run:
                split.append(run)
        words = split
    # Lower-casing the tokens joined by spaces is lower-casing each one
    # (a space ends a word for the final sigma too), in one call.
    return " ".join(words).lower().split(" ")


def name(s):
    """A normalized name (§3), or None for one without tokens."""
    t = tokens(s)
    if t and t[0] == "the":
        t = t[1:]
    return " ".join(t) or None


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def matching(edges, weight):
    """The maximum-weight matching over `edges` (pairs (g, p)), gold g
    weighing weight[g]; returns the matched pairs."""
    gs = sorted({g for g, _ in edges})
    ps = sorted({p for _, p in edges})
    if len(gs) == len(ps) == len(edges):
        return edges  # no gold and no prediction in two pairs: no choice
    gi = {g: i for i, g in enumerate(gs)}
    pi = {p: j for j, p in enumerate(ps)}
    w = np.zeros((len(gs), len(ps)))
    for g, p in edges:
        w[gi[g], pi[p]] = weight[g]
    r, c = linear_sum_assignment(w, maximize=True)
    return [(gs[i], ps[j]) for i, j in zip(r, c) if w[i, j] > 0]


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score_article(text, gold, ignore, predictions):
    """(counts per criterion, F1 per criterion, per-kind counts) of one article."""
    # Ignored regions: a prediction all of whose located parts lie inside
    # them is set aside.
    if ignore:
        regions = sorted(ignore)
        def inside(span):
            return any(s <= span[0] and span[1] <= e for s, e in merged)
        merged = []
        for s, e in regions:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        predictions = [
            p for p in predictions
            if not (located := [x for x in p.parts if isinstance(x, tuple)]) or not all(inside(x) for x in located)
        ]

    g_tok, g_len, g_names, g_cue = [], [], [], []
    for g in gold:
        c = Counter(t for s, e in g.parts for t in tokens(text[s:e]))
        g_tok.append(c)
        g_len.append(sum(c.values()))
        g_names.append(None if g.speaker is None else {n for n in map(name, g.speaker[1]) if n})
        g_cue.append(None if g.cue is None else tokens(text[g.cue[0]:g.cue[1]]))
    p_tok, p_len, p_loc = [], [], []
    for p in predictions:
        c = Counter()
        located = []
        for x in p.parts:
            if isinstance(x, str):
                c.update(tokens(x))
            else:
                c.update(tokens(text[x[0]:x[1]]))
                located.append(x)
        p_tok.append(c)
        p_len.append(sum(c.values()))
        p_loc.append(located)

    # Every pair whose content matches, with its speaker, cue and kind verdicts.
    pairs = []
    for j, p in enumerate(predictions):
        if not p_len[j]:
            continue
        p_name = None if p.speaker is None else name(p.speaker[1])
        p_cue = None if p.cue is None else tokens(p.cue[1])
        for i, g in enumerate(gold):
            if p_loc[j] and not any(overlaps(a, b) for a in p_loc[j] for b in g.parts):
                continue
            small, big = (g_tok[i], p_tok[j]) if len(g_tok[i]) < len(p_tok[j]) else (p_tok[j], g_tok[i])
            shared = sum(min(n, big[t]) for t, n in small.items() if t in big)
            if 2 * shared < g_len[i] + p_len[j] - shared:
                continue
            if g.speaker is None:
                speaker = p.speaker is None
            else:
                speaker = p.speaker is not None and (
                    (p.speaker[0] is not None and g.speaker[0] is not None and overlaps(p.speaker[0], g.speaker[0]))
                    or (p_name is not None and p_name in g_names[i])
                )
            if g.cue is None:
                cue = True
            else:
                cue = p.cue is not None and (
                    (p.cue[0] is not None and overlaps(p.cue[0], g.cue)) or (bool(g_cue[i]) and g_cue[i] == p_cue)
                )
            kind = g.kind is None or p.kind == g.kind
            pairs.append((i, j, speaker, cue, kind))

    # Required gold outweighs every optional one together.
    n_optional = sum(g.optional for g in gold)
    weight = [1 if g.optional else n_optional + 1 for g in gold]
    required = len(gold) - n_optional
    solved = {}

    def matched(edges):
        """The matching of `edges`, solved once per distinct set."""
        key = tuple(edges)
        if key not in solved:
            solved[key] = matching(edges, weight)
        return solved[key]

    counts, f1 = {}, {}
    for k, criterion in enumerate(CRITERIA):
        # An edge: the content matches and, for required gold, the
        # criterion's field is right.
        edges = [(i, j) for i, j, *ok in pairs if k == 0 or gold[i].optional or ok[k - 1]]
        m = matched(edges)
        tp = sum(not gold[i].optional for i, _ in m)
        counts[criterion] = (tp, len(predictions) - len(m), required - tp)
        f1[criterion] = prf(*counts[criterion])

    # Per kind: recall over the required gold of each kind, precision over
    # the predictions of each kind, each its own content matching.
    content = [(i, j) for i, j, *_ in pairs]
    by_kind = {}
    for kind in {g.kind or "none" for g in gold if not g.optional}:
        rows = {i for i, g in enumerate(gold) if not g.optional and (g.kind or "none") == kind}
        m = matched([(i, j) for i, j in content if i in rows])
        by_kind[("recall", kind)] = (len(m), len(rows))
    for kind in {p.kind or "none" for p in predictions}:
        cols = {j for j, p in enumerate(predictions) if (p.kind or "none") == kind}
        m = matched([(i, j) for i, j in content if j in cols])
        tp = sum(not gold[i].optional for i, _ in m)
        by_kind[("precision", kind)] = (tp, len(cols) - len(m))
    return counts, f1, by_kind


def score(articles):
    micro = {c: [0, 0, 0] for c in CRITERIA}
    macro_f1 = {c: 0.0 for c in CRITERIA}
    by_kind = {}
    for _, text, gold, ignore, predictions in articles:
        counts, f1, kinds = score_article(text, gold, ignore, predictions or [])
        for c in CRITERIA:
            for i in range(3):
                micro[c][i] += counts[c][i]
            macro_f1[c] += f1[c]
        for key, (a, b) in kinds.items():
            got = by_kind.setdefault(key, [0, 0])
            got[0] += a
            got[1] += b
    return {
        "articles": len(articles),
        "micro": {c: dict(zip(("tp", "fp", "fn"), micro[c])) for c in CRITERIA},
        # Summed, not averaged, so that the parts of a corpus add up.
        "macro_f1_sum": macro_f1,
        "recall_by_kind": {k: {"tp": v[0], "total": v[1]} for (what, k), v in sorted(by_kind.items()) if what == "recall"},
        "precision_by_kind": {k: {"tp": v[0], "fp": v[1]} for (what, k), v in sorted(by_kind.items()) if what == "precision"},
    }


def main():
    t0 = time.perf_counter()
    articles = load(sys.argv[1], sys.argv[2])
    t1, c1 = time.perf_counter(), time.thread_time()
    result = score(articles)
    t2, c2 = time.perf_counter(), time.thread_time()
    result.update({"read_seconds": t1 - t0, "score_seconds": t2 - t1, "score_cpu_seconds": c2 - c1})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
