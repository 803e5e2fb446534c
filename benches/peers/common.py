"""Reading a JSON-lines corpus and a JSON-lines replay (docs/corpus.md) for
the Python peers of benches/scale.py, in plain Python.

Offsets of any unit (`codepoint`, `utf8`, `utf16`) become code point
offsets, so that a span is a Python slice of the text. Predictions are read
as quotecheck reads them: a part with valid offsets is located, one with
bad offsets falls back to its `text`, and a record whose content has an
unusable part has no content at all (it matches nothing). Gold is taken as
valid (quotecheck validates it; these peers only score).

Each article is a tuple (id, text, gold, ignore, predictions):

- gold: a list of `Gold`;
- ignore: a list of (start, end) spans of ignored regions;
- predictions: a list of `Pred`, or None when the replay has no entry for
  the article (it then scores as if the extractor returned nothing).
"""

import bisect
import json
import re
from collections import namedtuple

KINDS = ("direct", "indirect", "mixed")
ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# parts: [(start, end)] in text order; speaker: None, or (span or None,
# [names]) with the mention's text, the entity and the aliases; cue: None
# or (start, end).
Gold = namedtuple("Gold", "parts optional kind speaker cue")
# parts: [(start, end) or str]; empty when the content is unusable.
# speaker and cue: None, or (span or None, text).
Pred = namedtuple("Pred", "parts speaker cue kind")


def lines(path):
    """The JSON documents of a JSON-lines file, blank lines skipped."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def converter(text, unit):
    """A function from an offset in `unit` to a code point offset of `text`,
    or None for an offset that is not a whole number within the text or
    not on a character boundary."""
    n = len(text)
    if unit in (None, "codepoint") or text.isascii():
        return lambda o: o if type(o) is int and 0 <= o <= n else None
    if unit == "utf16":
        # Only characters outside the Basic Multilingual Plane take two
        # units: the offsets after each one's first unit.
        astral = [m.start() + k + 1 for k, m in enumerate(ASTRAL.finditer(text))]
        if not astral:
            return lambda o: o if type(o) is int and 0 <= o <= n else None
        inside = set(astral)
        end = n + len(astral)

        def utf16(o):
            if type(o) is not int or not 0 <= o <= end or o in inside:
                return None
            return o - bisect.bisect_left(astral, o)

        return utf16
    # UTF-8: every character boundary's byte offset.
    table = {}
    at = 0
    for i, ch in enumerate(text):
        table[at] = i
        at += len(ch.encode())
    table[at] = n
    return lambda o: table.get(o) if type(o) is int else None


def _span(obj, convert):
    """(start, end) in code points, or None when the offsets are bad."""
    start, end = convert(obj.get("start")), convert(obj.get("end"))
    if start is None or end is None or start > end:
        return None
    return (start, end)


def _gold_span(obj, convert):
    return (convert(obj["start"]), convert(obj["end"]))


def read_gold(doc):
    """The gold quotes and ignored regions of a corpus line."""
    text = doc["text"]
    convert = converter(text, doc.get("offsets"))
    gold = []
    for q in doc.get("quotes") or []:
        content = q["content"]
        parts = [_gold_span(p, convert) for p in (content if isinstance(content, list) else [content])]
        s = q.get("speaker")
        speaker = None
        if s is not None:
            span = _gold_span(s, convert) if "start" in s else None
            names = [n for n in [s.get("text"), s.get("entity"), *(s.get("aliases") or [])] if n is not None]
            speaker = (span, names)
        c = q.get("cue")
        gold.append(Gold(
            parts=parts,
            optional=bool(q.get("optional", False)),
            kind=q.get("kind"),
            speaker=speaker,
            cue=None if c is None else _gold_span(c, convert),
        ))
    ignore = [_gold_span(r, convert) for r in doc.get("ignore") or []]
    return gold, ignore


def _part(p, convert):
    if not isinstance(p, dict):
        return None
    if "start" in p or "end" in p:
        span = _span(p, convert)
        if span is not None:
            return span
    t = p.get("text")
    return t if isinstance(t, str) else None


def _mention(m, text, convert):
    if m is None:
        return None
    if isinstance(m, str):
        return (None, m)
    if not isinstance(m, dict):
        return None
    if "start" in m or "end" in m:
        span = _span(m, convert)
        if span is not None:
            return (span, text[span[0]:span[1]])
    t = m.get("text")
    return (None, t) if isinstance(t, str) else None


def read_predictions(entry, text):
    """The predictions of a replay line, resolved against `text`."""
    convert = converter(text, entry.get("offsets"))
    out = []
    for q in entry.get("quotes") or []:
        if not isinstance(q, dict):
            out.append(Pred([], None, None, None))
            continue
        content = q.get("content")
        if isinstance(content, dict):
            content = [content]
        parts = []
        if isinstance(content, list) and content:
            parts = [_part(p, convert) for p in content]
            if any(p is None for p in parts):
                parts = []
        kind = q.get("kind")
        out.append(Pred(
            parts=parts,
            speaker=_mention(q.get("speaker"), text, convert),
            cue=_mention(q.get("cue"), text, convert),
            kind=kind if kind in KINDS else None,
        ))
    return out


def load(corpus_path, replay_path):
    """Every annotated article of the corpus with its predictions, in
    corpus order (see the module's documentation)."""
    replay = {}
    for entry in lines(replay_path):
        replay.setdefault(entry["id"], entry)
    articles = []
    for doc in lines(corpus_path):
        if "quotes" not in doc and "status" not in doc:
            continue  # unannotated: not scored
        if doc.get("status") == "draft":
            continue
        text = doc["text"]
        gold, ignore = read_gold(doc)
        entry = replay.get(doc["id"])
        predictions = None if entry is None else read_predictions(entry, text)
        articles.append((doc["id"], text, gold, ignore, predictions))
    return articles
