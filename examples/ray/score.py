#!/usr/bin/env python3
"""Scores a JSON-lines corpus across the workers of a Ray cluster with
Ray Data (examples/ray/README.md): each actor of a pool runs the extractor
on its partitions of the articles and scores them with
quotecheck_eval.score_part, and the driver merges the partial reports with
quotecheck_eval.merge into exactly the report of one `quotecheck run`
over the whole corpus.

    python score.py CORPUS.jsonl --extract FILE.py:FUNCTION --name NAME \\
        [--version V] [--scheme S] --json REPORT.json [--num-cpus 2] \\
        [--address ADDRESS] [--chunk-bytes N] [--batch-size N] [--workers N]

The corpus is read by the tasks, in byte ranges split at line ends, in two
passes: one counts each range's articles (so that every article knows its
place in the corpus, which the merged report keeps), one scores them. No
process holds more of the corpus than one range or one batch.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

# No usage report: the cluster is for this run only (and CI has no network).
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

import pyarrow as pa  # noqa: E402
import ray  # noqa: E402
import ray.data  # noqa: E402

from quotecheck_eval import merge, score_part  # noqa: E402
from quotecheck_eval.parts import is_blank  # noqa: E402

def ranges(path: str, chunk_bytes: int) -> List[Tuple[int, int]]:
    """Byte ranges of about `chunk_bytes` covering the file, each ending
    just after a newline (or at the end of the file)."""
    size = os.path.getsize(path)
    found, start = [], 0
    with open(path, "rb") as f:
        while start < size:
            f.seek(min(start + chunk_bytes, size))
            f.readline()  # on to the end of the line the cut falls in
            end = min(f.tell(), size)
            found.append((start, end))
            start = end
    return found


def lines(path: str, start: int, end: int) -> Iterator[bytes]:
    """The lines of a byte range, split at b"\\n" only, as quotecheck does."""
    with open(path, "rb") as f:
        f.seek(start)
        rest = end - start
        while rest > 0:
            line = f.readline(rest)
            rest -= len(line)
            yield line


def load(spec: str) -> Callable[[str], Any]:
    """The function FUNCTION of FILE.py."""
    file, sep, name = spec.rpartition(":")
    if not sep or not file or not name:
        raise SystemExit(f"--extract {spec!r}: give it as FILE.py:FUNCTION")
    path = Path(file).resolve()
    module_spec = importlib.util.spec_from_file_location(f"extract_{path.stem}", path)
    if module_spec is None or module_spec.loader is None:
        raise SystemExit(f"--extract {spec!r}: {path} is not a Python file")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    function = getattr(module, name, None)
    if not callable(function):
        raise SystemExit(f"--extract {spec!r}: {path} has no function {name}")
    return function


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="a JSON-lines corpus (docs/corpus.md)")
    parser.add_argument("--extract", required=True, metavar="FILE.py:FUNCTION",
                        help="the extractor: a function from an article's text to its quotes")
    parser.add_argument("--name", required=True, help="the extractor's name in the report")
    parser.add_argument("--version", default="0", help="the extractor's version in the report")
    parser.add_argument("--scheme", help="quotecheck's --scheme")
    parser.add_argument("--json", required=True, metavar="REPORT.json", help="where the merged report goes")
    parser.add_argument("--address", help="a running Ray cluster's address (default: start a local one)")
    parser.add_argument("--num-cpus", type=int, default=2, help="CPUs of the local cluster (default 2)")
    parser.add_argument("--chunk-bytes", type=int, default=8 << 20, help="bytes of corpus per read task")
    parser.add_argument("--batch-size", type=int, default=256, help="articles per part (one report each)")
    parser.add_argument("--workers", type=int,
                        help="scoring actors (processes) in the pool (default: the cluster's CPUs)")
    args = parser.parse_args()
    if args.chunk_bytes < 1 or args.batch_size < 1 or (args.workers is not None and args.workers < 1):
        parser.error("--chunk-bytes, --batch-size and --workers must be at least 1")
    if not os.path.isfile(args.corpus):
        parser.error(f"{args.corpus} is not a file")

    path = os.path.abspath(args.corpus)
    load(args.extract)  # a wrong --extract fails here, before the cluster starts

    began = time.monotonic()
    if args.address:
        ray.init(address=args.address)
    else:
        ray.init(address="local", num_cpus=args.num_cpus, include_dashboard=False,
                 object_store_memory=256 << 20)
    started = time.monotonic()
    try:
        total, cut, parts = run(args, path)
    finally:
        ray.shutdown()
    if not parts:
        print(f"score.py: error: {args.corpus} holds no article", file=sys.stderr)
        return 2
    merged = merge([json.loads(p["report"]) for p in parts])
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(merged.data, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(merged.stdout, end="")
    pids = {int(p["pid"]) for p in parts}
    print(
        f"ray: {total} articles in {len(cut)} ranges, scored as {len(parts)} parts by "
        f"{len(pids)} worker processes; cluster start {started - began:.1f} s, "
        f"scoring and merge {time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
    return merged.exit_code


class Score:
    """A scoring actor of the pool: loads the extractor once, then scores
    the articles of each byte range it is given as parts of `--batch-size`
    articles, each part one report."""

    def __init__(self, path: str, extract_spec: str, corpus: str, total: int,
                 name: str, version: str, scheme: Any, batch_size: int) -> None:
        self.path, self.corpus, self.total = path, corpus, total
        self.name, self.version, self.scheme = name, version, scheme
        self.batch_size = batch_size
        self.extract = load(extract_spec)

    def __call__(self, ranges: pa.Table) -> Iterator[Dict[str, List[Any]]]:
        for start, end, position in zip(ranges.column("start").to_pylist(),
                                        ranges.column("end").to_pylist(),
                                        ranges.column("first").to_pylist()):
            part: List[Tuple[int, bytes]] = []
            for line in lines(self.path, start, end):
                if is_blank(line):
                    continue
                part.append((position, line))
                position += 1
                if len(part) == self.batch_size:
                    yield self.score(part)
                    part = []
            if part:
                yield self.score(part)

    def score(self, part: List[Tuple[int, bytes]]) -> Dict[str, List[Any]]:
        report = score_part(part, self.extract, corpus=self.corpus,
                            corpus_articles=self.total, name=self.name,
                            version=self.version, scheme=self.scheme)
        return {"report": [json.dumps(report.data)], "articles": [len(part)],
                "pid": [os.getpid()]}


def run(args: argparse.Namespace, path: str) -> Tuple[int, List[Tuple[int, int]], List[Dict[str, Any]]]:
    """The two passes on the cluster: the corpus's article count, its byte
    ranges, and one row per scored part (`report`, `articles`, `pid`)."""
    extract_spec, name, version, scheme = args.extract, args.name, args.version, args.scheme
    corpus = args.corpus  # as given: the merged report's corpus path

    cut = ranges(path, args.chunk_bytes)
    chunks = ray.data.from_items([{"start": s, "end": e} for s, e in cut],
                                 override_num_blocks=max(1, len(cut)))

    # Pass 1: each range's articles (non-blank lines), for their places.
    def count(row: Dict[str, Any]) -> Dict[str, Any]:
        n = sum(not is_blank(line) for line in lines(path, row["start"], row["end"]))
        return {"start": row["start"], "end": row["end"], "articles": n}

    counted = sorted(chunks.map(count).take_all(), key=lambda r: r["start"])
    first, total = [], 0
    for row in counted:
        first.append({"start": row["start"], "end": row["end"], "first": total})
        total += row["articles"]

    # Pass 2: each range, with the place of its first article, goes to one
    # of a fixed pool of scoring actors, one range at a time: the pool's
    # actors are started before any range is dealt (wait_for_min_actors_s)
    # and each holds at most one range (max_tasks_in_flight_per_actor=1),
    # so that with two ranges or more, no actor takes them all.
    cpus = int(ray.cluster_resources().get("CPU", 0))
    workers = args.workers or max(1, cpus)
    if workers > cpus:
        raise SystemExit(f"score.py: error: --workers {workers} needs {workers} CPUs, "
                         f"and the cluster has {cpus}: give fewer workers or more --num-cpus")
    ray.data.DataContext.get_current().wait_for_min_actors_s = 120
    parts = (
        ray.data.from_items(first, override_num_blocks=max(1, len(first)))
        .map_batches(
            Score,
            fn_constructor_args=(path, extract_spec, corpus, total, name, version,
                                 scheme, args.batch_size),
            batch_size=1,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
        )
        .take_all()
    )
    return total, cut, parts


if __name__ == "__main__":
    sys.exit(main())
