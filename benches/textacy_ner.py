"""Whether excluding spaCy's `ner` pipe changes textacy's quotations, and
what it saves: runs the worker's `answer()` over a JSON-lines corpus with
the pipeline loaded without and with `ner`, and prints both times, their
ratio and whether every answer is the same.

    examples/textacy/.venv/bin/python benches/textacy_ner.py CORPUS.jsonl

(`benches/textacy-overhead.sh` builds such a corpus; any JSON-lines corpus
with `id` and `text` works.)
"""
import json
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "examples" / "textacy"))
import spacy  # noqa: E402

from extract import MODEL, answer  # noqa: E402

with open(sys.argv[1], encoding="utf-8") as f:
    articles = [json.loads(line) for line in f]
runs = {}
for label, options in [("without ner", {"exclude": ["ner"]}), ("with ner", {})]:
    nlp = spacy.load(MODEL, **options)
    start = time.perf_counter()
    answers = [answer(nlp, {"id": a["id"], "text": a["text"]}, False) for a in articles]
    runs[label] = (time.perf_counter() - start, answers)
    print(f"{label}: {runs[label][0]:.2f} s for {len(articles)} articles")
print("same answers:", runs["without ner"][1] == runs["with ner"][1])
print(f"with ner / without: {runs['with ner'][0] / runs['without ner'][0]:.2f}")
