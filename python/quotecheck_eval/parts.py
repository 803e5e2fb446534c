"""Scoring a corpus in parts, for distributed engines (docs/python.md,
"Scoring in parts"): `score_part` scores the articles of one partition,
held in memory, as a part of the whole corpus, and `merge` combines such
parts (or any reports of runs over disjoint articles of one corpus) with
`quotecheck merge` into the report of one run over their union.

A part is scored by `quotecheck run` on a temporary JSON-lines corpus of
its articles; its report is then given the whole corpus's name and size
and each article's place in it, so that parts from any tasks merge into
exactly the report of one run over the whole corpus.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from .score import Predictions, QuotecheckError, Report, run

__all__ = ["is_blank", "merge", "score_part"]

#: An article of a part: its JSON-lines line (str or bytes, with or
#: without its line end) or that line's JSON object (a mapping with `id`,
#: `text` and, if annotated, `quotes`).
Article = Union[str, bytes, Mapping[str, Any]]

#: What quotecheck takes for a blank line, which it skips without counting
#: it: Unicode White_Space, as Rust's `str::trim` (Python's `str.strip()`
#: also strips the separators U+001C to U+001F, which are not blank there).
_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def is_blank(line: Union[str, bytes]) -> bool:
    """Whether quotecheck skips `line` of a JSON-lines corpus as blank (and
    so does not count it among the articles, nor give it a position)."""
    if isinstance(line, (bytes, bytearray)):
        try:
            line = bytes(line).decode("utf-8")
        except UnicodeDecodeError:
            return False  # quotecheck reports the line as broken
    return not line.strip(_WHITESPACE)


def _line(position: int, article: Article) -> bytes:
    if isinstance(article, (bytes, bytearray)):
        line = bytes(article)
    elif isinstance(article, str):
        line = article.encode("utf-8", errors="surrogateescape")
    elif isinstance(article, Mapping):
        line = json.dumps(article, ensure_ascii=False).encode("utf-8")
    else:
        raise TypeError(
            f"the article at position {position} is a {type(article).__name__}: give its "
            "JSON-lines line (str or bytes) or that line's JSON object (a dict)"
        )
    line = line[:-1] if line.endswith(b"\n") else line
    line = line[:-1] if line.endswith(b"\r") else line
    if b"\n" in line:
        raise ValueError(f"the article at position {position} is more than one line")
    if is_blank(line):
        raise ValueError(
            f"the article at position {position} is a blank line: quotecheck skips blank "
            "lines without counting them, so leave them out before numbering the articles"
        )
    return line


def score_part(
    articles: Iterable[Tuple[int, Article]],
    predictions: Predictions,
    *,
    corpus: str,
    corpus_articles: int,
    name: str = "predictions",
    version: str = "0",
    scheme: Optional[str] = None,
    quotecheck: Optional[Union[str, "os.PathLike[str]"]] = None,
) -> Report:
    """Scores one part of a corpus, given as its articles, and returns the
    report of that part as a part of the whole corpus, for `merge`.

    `articles` are `(position, article)` pairs: the article's place in the
    whole corpus (0 for its first article, blank lines not counted, as
    quotecheck counts them) and its JSON-lines line or that line's JSON
    object (docs/corpus.md). `corpus` is the whole corpus's path as the
    whole run gives it, and `corpus_articles` how many articles it has: the
    report's `corpus.path` and `corpus.articles` (`merge` refuses parts of
    different corpora). `predictions`, `name`, `version` and `scheme` are
    those of `score`; a replay should hold the part's articles only (its
    entries for other articles would be reported as extra). A part in
    which nothing is scored (only unannotated articles, say) is a valid
    part. Raises `ValueError` for positions that are not distinct places
    in the corpus, and `QuotecheckError` when quotecheck cannot score.
    """
    if corpus_articles < 0:
        raise ValueError(f"corpus_articles must not be negative, not {corpus_articles}")
    positions: List[int] = []
    seen = set()
    with tempfile.TemporaryDirectory(prefix="quotecheck-part-") as tmp:
        path = os.path.join(tmp, "part.jsonl")
        with open(path, "wb") as f:
            for position, article in articles:
                if not isinstance(position, int) or isinstance(position, bool):
                    raise TypeError(f"a position must be an int, not {position!r}")
                if not 0 <= position < corpus_articles:
                    raise ValueError(
                        f"position {position} is not in a corpus of {corpus_articles} articles"
                    )
                if position in seen:
                    raise ValueError(f"position {position} is given to two articles")
                seen.add(position)
                positions.append(position)
                f.write(_line(position, article) + b"\n")
        extra = ["--snapshots", os.path.join(tmp, "snapshots"), "--update", "no", "--allow-empty"]
        if scheme is not None:
            extra += ["--scheme", scheme]
        report = run(path, predictions, name=name, version=version, args=extra, quotecheck=quotecheck)
    data = report.data
    c = data["corpus"]
    if c["articles"] != len(positions):
        raise QuotecheckError(
            f"quotecheck read {c['articles']} articles from a part of {len(positions)} lines"
        )
    broken = len(c["broken"]) + c.get("more_broken", 0)
    covered = c["scored"] + c["unannotated"] + c["drafts_skipped"] + broken
    c["path"] = str(corpus)
    c["articles"] = corpus_articles
    c["not_selected"] = corpus_articles - covered
    for e in data["extractors"]:
        for a in e["articles"]:
            a["position"] = positions[a["position"]]
    return report


def merge(
    parts: Iterable[Union[Report, Mapping[str, Any]]],
    *,
    quotecheck: Optional[Union[str, "os.PathLike[str]"]] = None,
) -> Report:
    """Merges reports of runs over disjoint articles of one corpus — parts
    from `score_part`, reports of `score` or of `quotecheck run` over
    selections or shards, reports merged before — in any order and
    grouping, with `quotecheck merge` (docs/report-json.md, "Merging
    reports"): the report of one run over their union. Parts that cover
    the corpus give exactly the report of one run over the whole corpus.
    Each part is a `Report` or a JSON report as Python objects. Raises
    `QuotecheckError` with quotecheck's message when the parts do not fit
    together (an article in two parts, another corpus, scheme or extractor
    version) or none scored an article.
    """
    exe = str(quotecheck) if quotecheck is not None else None
    if exe is None:
        from . import binary

        exe = str(binary())
    with tempfile.TemporaryDirectory(prefix="quotecheck-merge-") as tmp:
        files = []
        for n, part in enumerate(parts, start=1):
            data: Any = part.data if isinstance(part, Report) else part
            if not isinstance(data, Mapping):
                raise TypeError(f"part {n} is a {type(part).__name__}, not a report")
            # Named relative to the folder merge runs in, so that its
            # messages say "part-2.json" for the second part.
            files.append(f"part-{n}.json")
            with open(os.path.join(tmp, files[-1]), "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
        if not files:
            raise ValueError("merge needs at least one part")
        out = os.path.join(tmp, "merged.json")
        argv = [exe, "merge", *files, "--json", out, "--color", "never"]
        done = subprocess.run(argv, cwd=tmp, capture_output=True, text=True)
        if done.returncode not in (0, 1) or not os.path.exists(out):
            said = "\n".join(t.strip() for t in (done.stdout, done.stderr) if t.strip())
            raise QuotecheckError(f"quotecheck merge exited with {done.returncode}:\n{said}")
        with open(out, encoding="utf-8") as f:
            merged: Dict[str, Any] = json.load(f)
    return Report(data=merged, stdout=done.stdout, stderr=done.stderr, exit_code=done.returncode)
