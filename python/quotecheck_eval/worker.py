"""A quotecheck worker in one function (docs/python.md, "A worker in ten lines").

An extractor is a function from an article's text to its quotes; `serve`
speaks the worker protocol (docs/protocol.md) around it: the handshake, one
request per line on standard input, one response per line on standard
output, until standard input closes.

    from quotecheck_eval import Quote, serve

    def extract(text: str) -> list[Quote]:
        ...

    if __name__ == "__main__":
        serve(extract, name="my-extractor", version="1.0")

Offsets are Python string indices (code points): `text[start:end]` is the
span, which is what the handshake's `"offsets": "codepoint"` tells
quotecheck.
"""
from __future__ import annotations

import io
import json
import logging
import os
import sys
from dataclasses import dataclass
from typing import IO, Any, Callable, Iterable, Mapping, Optional, Sequence, Tuple, Union

__all__ = [
    "serve_stream",
    "ArticleError",
    "Extractor",
    "PROTOCOL",
    "Quote",
    "QuoteLike",
    "Span",
    "serve",
    "to_record",
]

#: The protocol version this module speaks (the handshake's `quotecheck`).
PROTOCOL = 1

log = logging.getLogger("quotecheck_eval")


class ArticleError(Exception):
    """Raised by an extractor that cannot do an article: its message is the
    article's `error` as it is, and nothing goes to standard error (any
    other exception's is `"TypeName: message"`, with its traceback on
    standard error)."""


@dataclass(frozen=True)
class Span:
    """A stretch of the article: `text[start:end]`, in code points."""

    start: int
    end: int


#: A span as an extractor may give it: a `Span`, a `(start, end)` pair, or
#: a mapping in the JSON shape of docs/corpus.md (`{"start", "end"}` or
#: `{"text"}`).
SpanLike = Union[Span, Tuple[int, int], Mapping[str, Any]]


@dataclass(frozen=True)
class Quote:
    """One predicted quote (docs/corpus.md, "Predictions").

    `content` is a span, a list of spans for a quote interrupted by its
    attribution, or a string when the extractor has no offsets. `speaker`
    and `cue` are spans, or strings (a name without offsets). `kind` is
    `"direct"`, `"indirect"` or `"mixed"`. Only `content` is required.
    """

    content: Union[SpanLike, Sequence[SpanLike], str]
    speaker: Union[SpanLike, str, None] = None
    cue: Union[SpanLike, str, None] = None
    kind: Optional[str] = None


#: What an extractor's list may hold: `Quote`s, or prediction records as
#: mappings in the JSON shape of docs/corpus.md, passed on as they are.
QuoteLike = Union[Quote, Mapping[str, Any]]

#: The function `serve` runs for each article.
Extractor = Callable[[str], Iterable[QuoteLike]]


def _span(value: Any, field: str) -> Any:
    if isinstance(value, Span):
        return {"start": value.start, "end": value.end}
    if isinstance(value, Mapping):
        return dict(value)
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return {"start": value[0], "end": value[1]}
    raise TypeError(
        f"{field} must be a Span, a (start, end) pair of ints or a mapping, not {value!r}"
    )


def to_record(quote: QuoteLike) -> dict:
    """The prediction record (JSON-ready dict) of one quote."""
    if isinstance(quote, Mapping):
        return dict(quote)
    if not isinstance(quote, Quote):
        raise TypeError(f"a quote must be a Quote or a mapping, not {quote!r}")
    content = quote.content
    if isinstance(content, str):
        record: dict = {"content": {"text": content}}
    elif isinstance(content, list):
        record = {"content": [_span(part, "content") for part in content]}
    else:
        record = {"content": _span(content, "content")}
    for field in ("speaker", "cue"):
        value = getattr(quote, field)
        if value is None:
            continue
        record[field] = value if isinstance(value, str) else _span(value, field)
    if quote.kind is not None:
        record["kind"] = quote.kind
    return record


def _line(obj: Mapping[str, Any]) -> bytes:
    """One protocol line. ASCII JSON: no encoding can go wrong, whatever
    the records hold."""
    return json.dumps(obj, allow_nan=False).encode("ascii") + b"\n"


def _answer(extract: Extractor, request: Mapping[str, Any]) -> bytes:
    """The response line to one request; an exception in `extract` becomes
    that article's `error`, logged with its traceback."""
    article = request["id"]
    try:
        text = request["text"]
        if not isinstance(text, str):
            raise TypeError(f"the request's text is {type(text).__name__}, not a string")
        quotes = extract(text)
        if isinstance(quotes, (str, bytes, Mapping)) or not isinstance(quotes, Iterable):
            raise TypeError(
                f"the extractor returned {type(quotes).__name__}, not a list of quotes"
            )
        records = []
        for i, quote in enumerate(quotes):
            try:
                records.append(to_record(quote))
            except TypeError as e:
                raise TypeError(f"quote {i}: {e}") from None
        # Serialised here, so that a record JSON cannot hold (an object,
        # a NaN) fails this article alone.
        return _line({"id": article, "quotes": records})
    except ArticleError as e:
        # Said in the answer; a log line would repeat it in the report.
        return _line({"id": article, "error": str(e)})
    except Exception as e:  # one bad article must not stop the worker
        log.exception("article %s failed", article)
        return _line({"id": article, "error": f"{type(e).__name__}: {e}"})


def _protocol_stream() -> IO[bytes]:
    """Standard output for protocol lines only. Anything else written to
    file descriptor 1 (a stray `print`, a library writing to stdout) goes
    to standard error instead, where quotecheck keeps it as a log."""
    sys.stdout.flush()
    try:
        fd = os.dup(1)
        os.dup2(2, 1)
    except OSError:  # no real file descriptors (an embedded interpreter)
        return sys.stdout.buffer
    sys.stdout = sys.stderr
    return io.open(fd, "wb", buffering=0)


def serve(
    extract: Extractor,
    *,
    name: str,
    version: str,
    stdin: Optional[IO[bytes]] = None,
    stdout: Optional[IO[bytes]] = None,
) -> None:
    """Serves `extract` as a quotecheck worker until standard input closes.

    Sends the handshake (`name` and `version` are shown in reports, and the
    version is part of quotecheck's cache key: change it whenever the
    output may change), then answers each request `{"id", "text"}` with
    `{"id", "quotes"}`, the records of `extract(text)`, or with
    `{"id", "error"}` when `extract` raises: `"TypeName: message"`, with
    the traceback on standard error (which quotecheck shows with the failed
    article), or an `ArticleError`'s message as it is. Returns when
    standard input closes, so the script then exits with status 0.

    Load models before calling `serve`: quotecheck waits for the handshake
    (`handshake_timeout`, 120 s by default) but times each article
    (`timeout`, 30 s). While serving, `print` and anything else written to
    standard output goes to standard error, so it cannot break the
    protocol. `stdin` and `stdout` (binary streams) replace the process's
    own, for tests.
    """
    if not (isinstance(name, str) and name and isinstance(version, str) and version):
        raise ValueError("serve() needs a non-empty name and version")
    if not logging.getLogger().handlers:
        logging.basicConfig(stream=sys.stderr, format="%(name)s: %(levelname)s: %(message)s")
    source = stdin if stdin is not None else sys.stdin.buffer
    sink = stdout if stdout is not None else _protocol_stream()
    serve_stream(extract, name, version, source, sink)


def serve_stream(
    extract: Extractor, name: str, version: str, source: IO[bytes], sink: IO[bytes]
) -> None:
    """`serve` on given binary streams, leaving `logging` and the process's
    own streams as they are (what `score` runs for a Python function)."""

    def send(line: bytes) -> None:
        sink.write(line)
        sink.flush()

    handshake = {"quotecheck": PROTOCOL, "name": name, "version": version, "offsets": "codepoint"}
    try:
        send(_line(handshake))
        for line in source:
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                if not isinstance(request["id"], str):
                    raise TypeError("its id is not a string")
            except (ValueError, KeyError, TypeError) as e:
                # Without an id there is nothing to answer: say why on
                # standard error, which quotecheck keeps.
                log.error("not a request (%s): %r", e, line[:200])
                continue
            send(_answer(extract, request))
    except (BrokenPipeError, ConnectionResetError):
        # quotecheck is gone: nothing is left to answer.
        pass
