"""quotecheck for Python teams (docs/python.md).

The distribution `quotecheck-eval` installs the `quotecheck` command and
this package: `serve` turns a function from an article's text to its
quotes into a quotecheck worker (`quotecheck_eval.worker`), `score` scores
a function, a worker command or saved predictions on a corpus and returns
the report (`quotecheck_eval.score`), `score_part` and `merge` score a
corpus in parts, as a distributed engine's tasks do, and combine them
(`quotecheck_eval.parts`), and `binary` finds the installed command.
"""
from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

from .parts import merge, score_part
from .score import CRITERIA, Predictions, QuotecheckError, Report, score
from .worker import PROTOCOL, ArticleError, Extractor, Quote, QuoteLike, Span, serve, to_record

__all__ = [
    "CRITERIA",
    "Predictions",
    "QuotecheckError",
    "Report",
    "score",
    "score_part",
    "merge",
    "PROTOCOL",
    "ArticleError",
    "Extractor",
    "Quote",
    "QuoteLike",
    "Span",
    "serve",
    "to_record",
    "binary",
]


def binary() -> Path:
    """The `quotecheck` command this package was installed with.

    Raises FileNotFoundError when it is not there (the package was copied
    rather than installed).
    """
    exe = "quotecheck" + (".exe" if os.name == "nt" else "")
    candidates = [Path(sysconfig.get_path("scripts")) / exe]
    user = sysconfig.get_path("scripts", f"{os.name}_user")
    if user:
        candidates.append(Path(user) / exe)
    candidates.append(Path(sys.executable).parent / exe)
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"the quotecheck command is not installed beside this package (looked for "
        f"{', '.join(str(p) for p in candidates)}); install the distribution quotecheck-eval"
    )
