#!/usr/bin/env python3
"""A minimal quotecheck worker (docs/extractors.md, "Worker processes").

Every span between double quotes ("…" or “…”) is a direct quote; offsets
are Python string indices, i.e. code points. Standard library only.
"""
import json
import re
import sys

QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')


def quotes(text):
    for m in QUOTED.finditer(text):
        g = 1 if m.group(1) is not None else 2
        yield {"content": {"start": m.start(g), "end": m.end(g)}, "kind": "direct"}


sys.stdin.reconfigure(encoding="utf-8")
print(json.dumps({"quotecheck": 1, "name": "python-example", "version": "1.0", "offsets": "codepoint"}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    try:
        response = {"id": request["id"], "quotes": list(quotes(request["text"]))}
    except Exception as e:  # one bad article must not stop the worker
        response = {"id": request["id"], "error": f"{type(e).__name__}: {e}"}
    print(json.dumps(response), flush=True)
