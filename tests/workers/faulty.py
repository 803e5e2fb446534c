#!/usr/bin/env python3
"""A quotecheck worker that misbehaves on purpose, for tests/worker.rs.

It answers like examples/python-worker/extract.py (every double-quoted span
is a quote) unless told to fail on an article:

  --crash-on ID        exit with status 3 (after a traceback on stderr)
  --hang-on ID         never answer
  --garbage-on ID      answer with a line that is not JSON
  --wrong-shape-on ID  answer {"id": ID, "quotes": 5}
  --duplicate-key-on ID  answer with "quotes" written twice (the last is right)
  --error-on ID        answer {"id": ID, "error": ...} (names $MODE and the cwd)
  --huge-on ID         answer with a line of --huge-mb MiB (default 100)
  --twice              answer every article twice, and once for an unknown id
  --stray-line         print a debugging line on stdout before every answer
  --pipeline N         declare "pipeline": N; answer batches in reverse order
  --jitter             sleep a random few milliseconds before answering
  --stderr-kb N        write N KiB on stderr for every article
  --handshake KIND     bad-json | no-offsets | none | exit | stdout-closed
  --exit-after-handshake  exit with status 0 right after the handshake
  --version V          the version in the handshake (default 1)
  --pidfile DIR        write DIR/<pid> when started
  --ignore-eof         keep running after stdin is closed
  --spawn-child        start `sleep 1000` (written to --pidfile DIR too)
  --ignore-term        ignore SIGTERM (it has to be killed)
Standard library only.
"""
import json
import os
import random
import re
import select
import signal
import subprocess
import sys
import time

args = sys.argv[1:]


def flag(name):
    return name in args


def values(name):
    return [args[i + 1] for i, a in enumerate(args) if a == name]


def value(name, default=None):
    found = values(name)
    return found[-1] if found else default


QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')


def quotes(text):
    out = []
    for m in QUOTED.finditer(text):
        g = 1 if m.group(1) is not None else 2
        out.append({"content": {"start": m.start(g), "end": m.end(g)}, "kind": "direct"})
    return out


out = sys.stdout.buffer


def send(obj):
    out.write(json.dumps(obj).encode() + b"\n")
    out.flush()


if flag("--ignore-term"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
pidfile = value("--pidfile")
if pidfile:
    open(os.path.join(pidfile, str(os.getpid())), "w").close()
if flag("--spawn-child"):
    child = subprocess.Popen(["sleep", "1000"])
    if pidfile:
        open(os.path.join(pidfile, str(child.pid)), "w").close()

handshake = value("--handshake")
print("worker starting", file=sys.stderr, flush=True)
if handshake == "exit":
    print("fatal: model file missing", file=sys.stderr, flush=True)
    sys.exit(1)
if handshake == "none":
    print("loading a very large model...", file=sys.stderr, flush=True)
    time.sleep(60)
if handshake == "bad-json":
    out.write(b"Loading model, please wait\n")
    out.flush()
elif handshake == "no-offsets":
    send({"quotecheck": 1, "name": "faulty", "version": "1"})
elif handshake == "stdout-closed":
    os.close(1)
    time.sleep(60)
else:
    hello = {"quotecheck": 1, "name": "faulty", "version": value("--version", "1"), "offsets": "codepoint"}
    if value("--pipeline"):
        hello["pipeline"] = int(value("--pipeline"))
    send(hello)
    if flag("--exit-after-handshake"):
        sys.exit(0)


def answer(request):
    rid, text = request["id"], request["text"]
    if value("--stderr-kb"):
        chunk = ("noise " * 170 + "\n").encode()  # about 1 KiB
        for _ in range(int(value("--stderr-kb"))):
            sys.stderr.buffer.write(chunk)
        sys.stderr.flush()
    if flag("--jitter"):
        time.sleep(random.random() * 0.01)
    if rid in values("--crash-on"):
        print("Traceback (most recent call last):", file=sys.stderr)
        print(f"RuntimeError: dying on {rid}", file=sys.stderr, flush=True)
        os._exit(3)
    if rid in values("--hang-on"):
        print(f"stuck on {rid}", file=sys.stderr, flush=True)
        time.sleep(3600)
    if flag("--stray-line"):
        out.write(b"working on " + rid.encode() + b"\n")
        out.flush()
    if rid in values("--garbage-on"):
        out.write(b"oops, debugging output for " + rid.encode() + b"\n")
        out.flush()
        return
    if rid in values("--wrong-shape-on"):
        send({"id": rid, "quotes": 5})
        return
    if rid in values("--duplicate-key-on"):
        right = json.dumps(quotes(text))
        out.write(('{"id": %s, "quotes": [], "quotes": %s}\n' % (json.dumps(rid), right)).encode())
        out.flush()
        return
    if rid in values("--error-on"):
        send({"id": rid, "error": f"cannot do {rid} (MODE={os.environ.get('MODE')}, cwd={os.getcwd()})"})
        return
    if rid in values("--huge-on"):
        mib = int(value("--huge-mb", "100"))
        out.write(b'{"id": ' + json.dumps(rid).encode() + b', "quotes": [], "padding": "')
        block = b"x" * (1 << 20)
        for _ in range(mib):
            out.write(block)
        out.write(b'"}\n')
        out.flush()
        return
    send({"id": rid, "quotes": quotes(text)})
    if flag("--twice"):
        send({"id": rid, "quotes": []})
        send({"id": "nobody/asked", "quotes": []})


def requests():
    """Yields batches of requests: one at a time, or with --pipeline up to
    N, taking whatever arrives within 50 ms."""
    depth = int(value("--pipeline", "1"))
    buf, eof = b"", False

    def more(wait):
        nonlocal buf, eof
        if wait is not None and not select.select([0], [], [], wait)[0]:
            return False
        chunk = os.read(0, 1 << 16)
        eof = eof or not chunk
        buf += chunk
        return bool(chunk)

    def take():
        nonlocal buf
        line, buf = buf.split(b"\n", 1)
        return json.loads(line)

    while True:
        while b"\n" not in buf and not eof:
            more(None)
        if b"\n" not in buf:
            return
        batch = [take()]
        while len(batch) < depth and (b"\n" in buf or (not eof and more(0.05))):
            if b"\n" in buf:
                batch.append(take())
        yield batch


for batch in requests():
    for request in reversed(batch):
        answer(request)

if flag("--ignore-eof"):
    time.sleep(3600)
