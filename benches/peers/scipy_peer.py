"""The content criterion of quotecheck's scoring, written plainly in Python
with scipy's `linear_sum_assignment`: what a user would write.

Tokens are runs of letters and digits, lower-cased; a prediction with
offsets must overlap the gold quote; the multiset Jaccard similarity must
reach 0.5; the assignment matches the most required gold quotes, then the
most optional ones. No speakers, cues or kinds.

    python scipy_peer.py CORPUS.jsonl REPLAY.jsonl

Prints one JSON object: the time (wall-clock, and CPU for scoring) spent reading and scoring, and the
content TP / FP / FN, which must equal quotecheck's.
"""

import json
import re
import sys
import time
from collections import Counter

import numpy as np
from scipy.optimize import linear_sum_assignment

from common import load

TOKEN = re.compile(r"[^\W_]+")


def tokens(s):
    return [t.lower() for t in TOKEN.findall(s)]


def score(articles):
    tp = fp = fn = 0
    for text, gold, predictions in articles:
        g_tokens = [Counter(t for s, e in parts for t in tokens(text[s:e])) for parts, _ in gold]
        p_tokens, p_spans = [], []
        for parts in predictions:
            c = Counter()
            spans = []
            for p in parts:
                if isinstance(p, str):
                    c.update(tokens(p))
                else:
                    c.update(tokens(text[p[0]:p[1]]))
                    spans.append(p)
            p_tokens.append(c)
            p_spans.append(spans)
        required = sum(1 for _, optional in gold if not optional)
        n_optional = len(gold) - required
        weights = np.zeros((len(gold), len(predictions)))
        for i, (parts, optional) in enumerate(gold):
            for j, pc in enumerate(p_tokens):
                if not pc:
                    continue
                if p_spans[j] and not any(s < ge and gs < e for s, e in p_spans[j] for gs, ge in parts):
                    continue
                shared = sum((g_tokens[i] & pc).values())
                union = sum((g_tokens[i] | pc).values())
                if union and 2 * shared >= union:
                    weights[i, j] = 1 if optional else n_optional + 1
        matched_required = matched = 0
        if gold and predictions:
            rows, cols = linear_sum_assignment(weights, maximize=True)
            for i, j in zip(rows, cols):
                if weights[i, j] > 0:
                    matched += 1
                    matched_required += not gold[i][1]
        tp += matched_required
        fp += len(predictions) - matched
        fn += required - matched_required
    return {"tp": tp, "fp": fp, "fn": fn}


def main():
    t0, c0 = time.perf_counter(), time.thread_time()
    articles = load(sys.argv[1], sys.argv[2])
    t1, c1 = time.perf_counter(), time.thread_time()
    content = score(articles)
    t2, c2 = time.perf_counter(), time.thread_time()
    print(json.dumps({
        "articles": len(articles),
        "read_seconds": t1 - t0,
        "score_seconds": t2 - t1,
        "score_cpu_seconds": c2 - c1,
        "content": content,
    }))


if __name__ == "__main__":
    main()
