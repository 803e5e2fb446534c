"""textacy's own loop over a JSON-lines corpus, for benches/textacy-overhead.sh:
the model loaded once, then for each article the function the worker
(examples/textacy/extract.py) calls — spaCy, direct_quotations, tokens to
records — with no quotecheck and no protocol. Prints how many quotes and
errors it found.

    examples/textacy/.venv/bin/python benches/textacy_loop.py CORPUS.jsonl
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "examples" / "textacy"))
import spacy  # noqa: E402

from extract import MODEL, answer  # noqa: E402

nlp = spacy.load(MODEL, exclude=["ner"])
quotes = errors = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        article = json.loads(line)
        result = answer(nlp, {"id": article["id"], "text": article["text"]}, keep_quote_marks=False)
        quotes += len(result.get("quotes", []))
        errors += "error" in result
print(f"{quotes} quotes, {errors} errors")
