"""The pytest plugin (docs/python.md, "pytest"), loaded by the `pytest11`
entry point of the distribution quotecheck-eval: the fixture `quotecheck`
scores an extractor on a corpus in one call and fails the test with
quotecheck's report — the gold diffs and snapshot changes of the articles
that fail — when a gate fails or an accepted snapshot changed.

    def test_extractor(quotecheck):
        quotecheck.check("corpus", extract, name="mine", min_f1=0.6)

`pytest --quotecheck-update` writes the pending snapshots (`.snap.new`)
of what changed; `pytest --quotecheck-accept` accepts them with
`quotecheck accept`, so the files are those the command writes. With `CI`
set, neither writes anything.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Union

import pytest

from .score import Predictions, QuotecheckError, Report, run

__all__ = ["Checker"]


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("quotecheck")
    group.addoption(
        "--quotecheck-update",
        action="store_true",
        help="write a pending snapshot (.snap.new) for each changed or new rendering "
        "(nothing is written when CI is set)",
    )
    group.addoption(
        "--quotecheck-accept",
        action="store_true",
        help="write and accept them, as `quotecheck accept` does "
        "(nothing is written when CI is set)",
    )


def _ci() -> bool:
    return bool(os.environ.get("CI"))


class Checker:
    """What the `quotecheck` fixture gives a test."""

    def __init__(self, base: Path, update: bool, accept: bool) -> None:
        self._base = base
        self._update = update and not _ci()
        self._accept = accept and not _ci()

    def check(
        self,
        corpus: Union[str, "os.PathLike[str]"],
        predictions: Predictions,
        *,
        name: str,
        version: str = "0",
        snapshots: Union[str, "os.PathLike[str]", None] = "snapshots",
        min_f1: Union[float, Mapping[str, float], None] = None,
        scheme: Optional[str] = None,
        diffs: str = "none",
    ) -> Report:
        """Scores `predictions` (as `score` takes them) on `corpus` and
        fails the test unless every gate passes and every snapshot is the
        accepted one. Relative paths are from the test file's folder.

        `snapshots` is the snapshot folder (one sub-folder per extractor,
        docs/snapshots.md), or `None` to compare none. `min_f1` is a gate on
        end-to-end micro F1, or a mapping from criterion (`end-to-end`,
        `content`, `cue`, `kind`) to its least F1. A failed test shows
        quotecheck's report with the snapshot diff of every changed or new
        article; `diffs` (`--diffs`: a number, `"all"` or `"none"`) adds the
        gold diffs of that many worst articles. Returns the report.
        """
        corpus = (self._base / corpus).resolve()
        if isinstance(predictions, (str, os.PathLike)):
            predictions = (self._base / predictions).resolve()
        args = ["--diffs", diffs]
        if scheme is not None:
            args += ["--scheme", scheme]
        gates: Dict[str, float] = {}
        if isinstance(min_f1, Mapping):
            gates = dict(min_f1)
        elif min_f1 is not None:
            gates = {"end-to-end": float(min_f1)}
        for criterion, least in gates.items():
            args += ["--min-f1", f"{criterion}={least}"]
        folder: Optional[Path] = None
        if snapshots is not None:
            folder = self._base / snapshots
            args += ["--snapshots", str(folder)]
        else:
            args += ["--snapshots", str(self._base / ".quotecheck-no-snapshots"), "--update", "no"]

        def go(policy: str) -> Report:
            extra = args + (["--update", policy] if folder is not None else [])
            return run(corpus, predictions, name=name, version=version, args=extra)

        writes = self._update or self._accept
        report = go("new" if writes else "no")
        if self._accept and folder is not None and not report.passed:
            from . import binary

            done = subprocess.run(
                [str(binary()), "accept", "--all", "--extractor", name, "--snapshots", str(folder)],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise QuotecheckError(f"quotecheck accept failed: {done.stdout}{done.stderr}")
            report = go("no")
        if not report.passed:
            hint = "" if writes or _ci() else (
                "\nIf a snapshot change is right: pytest --quotecheck-update, then review the "
                ".snap.new files (quotecheck review), or pytest --quotecheck-accept."
            )
            pytest.fail(f"quotecheck: {name} failed on {corpus}\n{report.stdout}{hint}", pytrace=False)
        return report


@pytest.fixture
def quotecheck(request: Any) -> Checker:
    """Scores extractors on corpora in a test: `quotecheck.check(...)`."""
    return Checker(
        Path(request.path).parent,
        request.config.getoption("--quotecheck-update"),
        request.config.getoption("--quotecheck-accept"),
    )
