#!/usr/bin/env bash
# Shows that validating a JSON-lines corpus streams: peak memory does not
# grow with the number of lines (beyond the set of ids kept to detect
# duplicates). Generates corpora of N and 10·N articles, validates each, and
# prints peak RSS and the ratio between them, measured side by side.
#
#   bash benches/jsonl-memory.sh [N]      # default N = 10000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
cargo build --release --quiet
bin=target/release/quotecheck
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen() {
    python3 - "$1" "$2" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
text = ("Mayor Ana Ruiz said on Monday that the bridge would reopen. "
        "“We are nearly there,” she told reporters. ") * 20
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        start = text.index("We are")
        q = {"id": "q1", "kind": "direct",
             "content": {"start": start, "end": start + 20, "text": text[start:start + 20]},
             "speaker": None, "cue": None}
        f.write(json.dumps({"id": f"a{i:07d}", "text": text, "quotes": [q]}, ensure_ascii=False) + "\n")
PY
}

peak_kb() {
    /usr/bin/time -f "%M" "$bin" validate "$1" >/dev/null 2>"$tmp/time" || true
    tail -n 1 "$tmp/time"
}

gen "$n" "$tmp/small.jsonl"
gen "$((n * 10))" "$tmp/large.jsonl"
small=$(peak_kb "$tmp/small.jsonl")
large=$(peak_kb "$tmp/large.jsonl")
printf 'articles %8d: file %6d KiB, peak RSS %6d KiB\n' "$n" "$(du -k "$tmp/small.jsonl" | cut -f1)" "$small"
printf 'articles %8d: file %6d KiB, peak RSS %6d KiB\n' "$((n * 10))" "$(du -k "$tmp/large.jsonl" | cut -f1)" "$large"
python3 -c "print(f'10x the lines: peak RSS x{$large/$small:.2f}; growth {($large-$small)*1024/($n*9):.0f} bytes per extra article (the id set), file size x{$(du -k "$tmp/large.jsonl" | cut -f1)/$(du -k "$tmp/small.jsonl" | cut -f1):.1f}')"
