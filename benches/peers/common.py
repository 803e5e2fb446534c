"""Reading what `quotecheck gen` writes, for the Python peers of
benches/scale.py: a JSON-lines corpus and a JSON-lines replay.

Offsets are turned into code point offsets (the replay may count in UTF-16
code units); prediction parts given as text only are kept as text.
"""

import bisect
import json


def _utf16_to_codepoint(text):
    """A function mapping a UTF-16 offset of `text` to a code point offset."""
    astral = []  # UTF-16 offsets of characters that take two units
    u16 = 0
    for ch in text:
        if ord(ch) > 0xFFFF:
            astral.append(u16)
            u16 += 2
        else:
            u16 += 1
    if not astral:
        return lambda o: o
    return lambda o: o - bisect.bisect_left(astral, o)


def _parts(content):
    return content if isinstance(content, list) else [content]


def load(corpus_path, replay_path):
    """Articles as (text, gold, predictions), in corpus order.

    gold: list of (parts, optional), parts a list of (start, end);
    predictions: list of parts, each (start, end) or a str (text only).
    """
    replay = {}
    with open(replay_path, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            replay.setdefault(entry["id"], entry)
    articles = []
    with open(corpus_path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            text = doc["text"]
            gold = [
                ([(p["start"], p["end"]) for p in _parts(q["content"])], q.get("optional", False))
                for q in doc["quotes"]
            ]
            entry = replay.get(doc["id"], {"quotes": []})
            convert = _utf16_to_codepoint(text) if entry.get("offsets") == "utf16" else (lambda o: o)
            predictions = []
            for q in entry.get("quotes", []):
                parts = []
                for p in _parts(q["content"]):
                    if "start" in p:
                        parts.append((convert(p["start"]), convert(p["end"])))
                    else:
                        parts.append(p["text"])
                predictions.append(parts)
            articles.append((text, gold, predictions))
    return articles
