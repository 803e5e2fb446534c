"""nervaluate scoring the content spans of a `quotecheck gen` corpus.

nervaluate compares labelled spans: each quote becomes one QUOTE span from
its first start to its last end (inclusive end, as nervaluate expects); a
prediction given as text only is placed at the first place its text occurs.
It scores no speakers, cues or kinds, and knows no optional quotes.

    python nervaluate_peer.py CORPUS.jsonl REPLAY.jsonl

Prints one JSON object: the time (wall-clock, and CPU for scoring) spent reading, converting and in
`Evaluator.evaluate()`, and the strict and partial counts.
"""

import json
import sys
import time

from nervaluate import Evaluator

from common import load


def span(text, parts):
    located = []
    for p in parts:
        if isinstance(p, str):
            at = text.find(p)
            if at < 0:
                continue
            located.append((at, at + len(p)))
        else:
            located.append(p)
    if not located:
        return None
    start, end = min(s for s, _ in located), max(e for _, e in located)
    return {"label": "QUOTE", "start": start, "end": max(start, end - 1)}


def main():
    t0 = time.perf_counter()
    articles = load(sys.argv[1], sys.argv[2])
    t1, c1 = time.perf_counter(), time.thread_time()
    true, pred = [], []
    for _, text, gold, _, predictions in articles:
        true.append([s for s in (span(text, g.parts) for g in gold) if s])
        pred.append([s for s in (span(text, p.parts) for p in predictions or []) if s])
    evaluator = Evaluator(true, pred, tags=["QUOTE"], loader="dict")
    t2, c2 = time.perf_counter(), time.thread_time()
    results = evaluator.evaluate()
    t3, c3 = time.perf_counter(), time.thread_time()
    overall = results["overall"]
    print(json.dumps({
        "articles": len(articles),
        "read_seconds": t1 - t0,
        "convert_seconds": t2 - t1,
        "score_seconds": t3 - t2,
        "score_cpu_seconds": c3 - c2,
        "strict": {k: getattr(overall["strict"], k) for k in ("correct", "incorrect", "missed", "spurious")},
        "partial": {k: getattr(overall["partial"], k) for k in ("correct", "partial", "missed", "spurious")},
    }))


if __name__ == "__main__":
    main()
