#!/usr/bin/env python3
"""A minimal quotecheck worker (docs/extractors.md, "Worker processes").

Every span between double quotes ("…" or “…”) is a direct quote. Offsets
are Python string indices, that is code points. Standard library only.
"""
import json
import re
import sys

HANDSHAKE = {"quotecheck": 1, "name": "python-example", "version": "1.0", "offsets": "codepoint"}
QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')


def quotes(text):
    found = []
    for m in QUOTED.finditer(text):
        g = 1 if m.group(1) is not None else 2
        found.append({"content": {"start": m.start(g), "end": m.end(g)}, "kind": "direct"})
    return found


if __name__ == "__main__":
    sys.stdin.reconfigure(encoding="utf-8")
    print(json.dumps(HANDSHAKE), flush=True)  # 1. the handshake
    for line in sys.stdin:  # 2. one request per line, until stdin closes
        request = json.loads(line)
        try:
            response = {"id": request["id"], "quotes": quotes(request["text"])}
        except Exception as e:  # one bad article must not stop the worker
            response = {"id": request["id"], "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(response), flush=True)  # 3. one response per request
