"""Scoring from Python (docs/python.md, "Scoring from Python"): `score`
runs the installed `quotecheck` command on a corpus and returns its JSON
report (docs/report-json.md) as Python objects.

The predictions are a replay (a path), a worker command (a list of
strings), or a Python function from an article's text to its quotes,
served to quotecheck over a Unix socket by this process, so that a lambda
or a closure over a loaded model works as it is.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

from .worker import Extractor, serve_stream

__all__ = ["CRITERIA", "Predictions", "QuotecheckError", "Report", "score"]

#: The criteria of every report, in the order of docs/scoring.md.
CRITERIA = ("content", "attribution", "cue", "kind")

#: What `score` scores: a replay path, a worker command, or a function.
Predictions = Union[str, "os.PathLike[str]", Sequence[str], Extractor]


class QuotecheckError(RuntimeError):
    """quotecheck could not score (exit code 2: a corpus or a replay it
    cannot read, an extractor that cannot start, …); the message is its
    own, from standard error."""


@dataclass(frozen=True)
class Report:
    """One extractor's report on a corpus: `data` is the whole JSON report
    (docs/report-json.md), the properties its usual views."""

    data: Dict[str, Any]
    #: What quotecheck printed on its terminal report (standard error
    #: holds progress and problems).
    stdout: str
    stderr: str
    #: quotecheck's exit code: 0, or 1 when a gate failed or a snapshot
    #: changed (only where the run compared snapshots or had gates).
    exit_code: int = 0

    @property
    def passed(self) -> bool:
        """Whether the run passed: no failed gate, no unaccepted change."""
        return self.exit_code == 0

    @property
    def extractor(self) -> Dict[str, Any]:
        """The extractor's entry, `extractors[0]` of the report."""
        return self.data["extractors"][0]

    @property
    def totals(self) -> Dict[str, Dict[str, Any]]:
        """Micro-averaged figures per criterion: `{"tp", "fp", "fn", "p",
        "r", "f1"}`; empty when the extractor did not run."""
        return dict(self.extractor.get("micro") or {})

    @property
    def macro(self) -> Dict[str, Dict[str, Any]]:
        """Macro-averaged `{"p", "r", "f1"}` per criterion."""
        return dict(self.extractor.get("macro") or {})

    @property
    def articles(self) -> List[Dict[str, Any]]:
        """One flat row per scored article, ready for
        `pandas.DataFrame(report.articles)`: `id`, `status`, `error`,
        `snapshot` and `CRITERION_tp`, `_fp`, `_fn` for each criterion."""
        rows = []
        for a in self.extractor["articles"]:
            row = {k: a.get(k) for k in ("id", "status", "error", "snapshot")}
            for c in CRITERIA:
                for n in ("tp", "fp", "fn"):
                    row[f"{c}_{n}"] = a[c][n]
            rows.append(row)
        return rows

    @property
    def alignments(self) -> Dict[str, List[Dict[str, Any]]]:
        """Each article's pairing of gold and predicted quotes, by id."""
        return {a["id"]: a["alignment"] for a in self.extractor["articles"]}

    @property
    def failures(self) -> List[Dict[str, Any]]:
        """The articles the extractor failed on: `{"id", "status", "error"}`."""
        return list(self.extractor["failures"])


def _toml_string(s: str) -> str:
    return json.dumps(s)  # a JSON string is a TOML basic string


def _serve_function(extract: Extractor, name: str, version: str, path: str) -> socket.socket:
    """Listens on `path` and serves `extract` on each connection, in a
    thread of its own, until the socket is closed."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen()

    def connection(conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as source, conn.makefile("wb") as sink:
            serve_stream(extract, name, version, source, sink)

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return  # closed: scoring is over
            threading.Thread(target=connection, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return server


def score(
    corpus: Union[str, "os.PathLike[str]"],
    predictions: Predictions,
    *,
    name: str = "predictions",
    version: str = "0",
    scheme: Optional[str] = None,
    quotecheck: Optional[Union[str, "os.PathLike[str]"]] = None,
) -> Report:
    """Scores `predictions` on `corpus` with the installed `quotecheck run`.

    `predictions` is a replay (a path to a folder of `<id>.json` or a
    `.jsonl` file, docs/corpus.md), a worker command (a list of strings,
    run from the current folder), or a function `extract(text)` returning
    quotes as `serve` takes them. `name` names the extractor in the report;
    `version` is a function's handshake version. `scheme` is
    `--scheme` (docs/scoring.md). Nothing is cached, no snapshot is read
    or written, and the current folder is left as it was. Raises
    `QuotecheckError` when quotecheck cannot score.
    """
    with tempfile.TemporaryDirectory(prefix="quotecheck-") as tmp:
        extra = ["--snapshots", os.path.join(tmp, "snapshots"), "--update", "no"]
        if scheme is not None:
            extra += ["--scheme", scheme]
        return run(corpus, predictions, name=name, version=version, args=extra, quotecheck=quotecheck)


def run(
    corpus: Union[str, "os.PathLike[str]"],
    predictions: Predictions,
    *,
    name: str,
    version: str,
    args: Sequence[str],
    quotecheck: Optional[Union[str, "os.PathLike[str]"]] = None,
) -> Report:
    """`quotecheck run` on `predictions` with more `args` (`score` and the
    pytest plugin choose the snapshots, the update policy, the gates);
    raises `QuotecheckError` on exit code 2, returns the report on 0 and 1
    (`Report.passed` tells which)."""
    exe = str(quotecheck) if quotecheck is not None else None
    if exe is None:
        from . import binary

        exe = str(binary())
    with tempfile.TemporaryDirectory(prefix="quotecheck-") as tmp:
        argv = [exe, "run", "--corpus", os.path.abspath(corpus), "--no-cache"]
        argv += ["--json", os.path.join(tmp, "report.json"), "--color", "never", *args]
        server = None
        if isinstance(predictions, (str, os.PathLike)):
            argv += ["--replay", f"{name}={os.path.abspath(predictions)}"]
        else:
            if callable(predictions):
                path = os.path.join(tmp, "worker.sock")
                server = _serve_function(predictions, name, version, path)
                command = [sys.executable, "-m", "quotecheck_eval._relay", path]
                env = {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
            elif all(isinstance(a, str) for a in predictions) and len(predictions) > 0:
                command, env = list(predictions), {}
            else:
                raise TypeError(
                    "predictions must be a replay path, a worker command (a list of "
                    f"strings) or a function, not {predictions!r}"
                )
            config = [
                f"[extractors.{_toml_string(name)}]",
                f"command = [{', '.join(_toml_string(a) for a in command)}]",
                f"cwd = {_toml_string(os.getcwd())}",
                # One worker: a Python function need not be thread-safe.
                "jobs = 1",
            ]
            if env:
                pairs = ", ".join(f"{k} = {_toml_string(v)}" for k, v in env.items())
                config.append(f"env = {{ {pairs} }}")
            with open(os.path.join(tmp, "quotecheck.toml"), "w", encoding="utf-8") as f:
                f.write("\n".join(config) + "\n")
            argv += ["--config", os.path.join(tmp, "quotecheck.toml")]
        try:
            done = subprocess.run(argv, cwd=tmp, capture_output=True, text=True)
        finally:
            if server is not None:
                server.close()
        if done.returncode not in (0, 1) or not os.path.exists(os.path.join(tmp, "report.json")):
            said = "\n".join(t.strip() for t in (done.stdout, done.stderr) if t.strip())
            raise QuotecheckError(f"quotecheck exited with {done.returncode}:\n{said}")
        with open(os.path.join(tmp, "report.json"), encoding="utf-8") as f:
            data = json.load(f)
    return Report(data=data, stdout=done.stdout, stderr=done.stderr, exit_code=done.returncode)
