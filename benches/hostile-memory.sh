#!/usr/bin/env bash
# Peak memory of `validate` and `run` on hostile input (docs/reliability.md,
# "Memory, measured"): a gzip bomb (a few MB of .jsonl.gz that expands to
# one 3 GiB line) and a plain .jsonl with one 200 MB line, each followed by
# a valid line; and a 100k-article run, to compare two builds.
#
#   bash benches/hostile-memory.sh BINARY [BASELINE_BINARY]
#
# The baseline binary (an older build) is run only on the 200 MB line and
# the 100k run: on the bomb it would need about 9 GB (validate) and 19 GB
# (run).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1
base=${2:-}
tmp=$(mktemp -d -p "${BENCH_DIR:-$PWD/target}")
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" <<'PY'
import gzip, json, sys
tmp = sys.argv[1]
ok = json.dumps({"id": "ok", "text": "Ana Ruiz said the bridge would reopen."})
with gzip.open(f"{tmp}/bomb.jsonl.gz", "wb", compresslevel=9) as f:
    f.write(b'{"id": "bomb", "text": "')
    zeros = b"0" * (1 << 24)
    for _ in range(3 * 64):          # 3 GiB
        f.write(zeros)
    f.write(b'"}\n' + ok.encode() + b"\n")
with open(f"{tmp}/line.jsonl", "wb") as f:
    f.write(b'{"id": "line", "text": "' + b"x" * 200_000_000 + b'"}\n' + ok.encode() + b"\n")
with open(f"{tmp}/r.jsonl", "w") as f:
    f.write('{"id": "ok", "quotes": []}\n')
PY
printf 'bomb: %s KiB compressed\n' "$(du -k "$tmp/bomb.jsonl.gz" | cut -f1)"

peak() { # BINARY ARGS… → "peak KiB, wall s"
    local b=$1; shift
    /usr/bin/time -f "%M KiB peak RSS, %e s wall" "$b" "$@" >/dev/null 2>"$tmp/time" || true
    tail -n 1 "$tmp/time"
}
for input in bomb.jsonl.gz line.jsonl; do
    echo "$input, validate: $(peak "$bin" validate "$tmp/$input")"
    echo "$input, run:      $(peak "$bin" run --corpus "$tmp/$input" --replay "r=$tmp/r.jsonl" --no-cache --diffs none)"
    if [ -n "$base" ] && [ "$input" = line.jsonl ]; then
        echo "$input, validate (baseline): $(peak "$base" validate "$tmp/$input")"
        echo "$input, run (baseline):      $(peak "$base" run --corpus "$tmp/$input" --replay "r=$tmp/r.jsonl" --no-cache --diffs none)"
    fi
done

"$bin" gen --articles 100000 --seed 1 --corpus "$tmp/c.jsonl" --replay "$tmp/p.jsonl" >/dev/null
for b in "$bin" $base; do
    echo "100k articles, run ($b): $(peak "$b" run --corpus "$tmp/c.jsonl" --replay "g=$tmp/p.jsonl" --no-cache --diffs none --worst 0)"
done
