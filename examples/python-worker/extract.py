#!/usr/bin/env python3
"""A minimal quotecheck worker, one function served by quotecheck_eval
(docs/python.md, "A worker in ten lines").

Every span between double quotes ("…" or “…”) is a direct quote. Offsets
are Python string indices, that is code points. Needs only the standard
library and the package quotecheck_eval: installed (`pip install .` at the
repository's root), or else taken from this checkout's python/ folder.
"""
import re
import sys
from pathlib import Path

try:
    from quotecheck_eval import Quote, Span, serve, to_record
except ImportError:  # a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))
    from quotecheck_eval import Quote, Span, serve, to_record

NAME, VERSION = "python-example", "1.0"
QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')


def extract(text: str) -> list:
    """The quotes of one article."""
    found = []
    for m in QUOTED.finditer(text):
        g = 1 if m.group(1) is not None else 2
        found.append(Quote(content=Span(m.start(g), m.end(g)), kind="direct"))
    return found


if __name__ == "__main__":
    serve(extract, name=NAME, version=VERSION)
