#!/usr/bin/env python3
"""The example extractor of extract.py served over HTTP (docs/extractors.md,
"HTTP endpoints"): POST /extract takes {"id", "text"} and answers
{"id", "quotes"}; GET /handshake describes the extractor. Standard library only.

    python3 examples/python-worker/serve.py 8000
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from extract import NAME, VERSION, extract, to_record

HANDSHAKE = {"quotecheck": 1, "name": NAME, "version": VERSION, "offsets": "codepoint"}


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/handshake":
            self.answer(200, HANDSHAKE)
        else:
            self.answer(404, {"error": "no such page"})

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.answer(200, {"id": request["id"], "quotes": [to_record(q) for q in extract(request["text"])]})

    def log_message(self, *args):
        pass  # quiet


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
