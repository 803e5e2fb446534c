#!/usr/bin/env bash
# What a worker process costs per article. Generates a JSON-lines corpus of
# N articles, then scores, with the release binary and no cache:
#   - a no-op Python worker that answers {"id", "quotes": []} to every
#     request (protocol.md), and
#   - a replay of the same empty outputs (read in process, nothing to run),
# and prints the time per article of each and their ratio, side by side,
# with one job and with J jobs (workers). The difference is the round trip
# through the worker: serializing the request, two pipes, Python's JSON,
# matching the answer; scoring and reading the corpus cost the same in both.
#
#   bash benches/worker-overhead.sh [N] [J]     # default N = 10000, J = 4
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
jobs=${2:-4}
cargo build --release --quiet
bin=$PWD/target/release/quotecheck
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The interpreter itself: `python3` may be a wrapper script that is slow to start.
py=$(python3 -c 'import sys; print(sys.executable)')

"$py" - "$n" "$tmp" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
text = ("Mayor Ana Ruiz said on Monday that the bridge would reopen. "
        "“We are nearly there,” she told reporters. ") * 5
start = text.index("We are")
quote = {"id": "q1", "kind": "direct",
         "content": {"start": start, "end": start + 20, "text": text[start:start + 20]},
         "speaker": None, "cue": None}
with open(f"{out}/corpus.jsonl", "w", encoding="utf-8") as corpus, \
        open(f"{out}/empty.jsonl", "w", encoding="utf-8") as replay:
    for i in range(n):
        corpus.write(json.dumps({"id": f"a{i:07d}", "text": text, "quotes": [quote]}, ensure_ascii=False) + "\n")
        replay.write(json.dumps({"id": f"a{i:07d}", "quotes": []}) + "\n")
PY

cat >"$tmp/noop.py" <<'PY'
import json, sys
print(json.dumps({"quotecheck": 1, "name": "noop", "version": "1", "offsets": "codepoint"}), flush=True)
for line in sys.stdin:
    print(json.dumps({"id": json.loads(line)["id"], "quotes": []}), flush=True)
PY

cat >"$tmp/quotecheck.toml" <<EOF
corpus = "corpus.jsonl"

[extractors.noop]
command = ["$py", "noop.py"]

[extractors.empty]
replay = "empty.jsonl"
EOF

# Seconds taken by `quotecheck run` with the given extractor and jobs.
seconds() {
    local start end
    start=$(date +%s.%N)
    (cd "$tmp" && "$bin" run --no-cache --extractor "$1" --jobs "$2" >/dev/null)
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}

printf '%d articles (corpus lines of %d bytes), on %d cores\n\n' "$n" \
    "$(head -1 "$tmp/corpus.jsonl" | wc -c)" "$(nproc 2>/dev/null || echo 1)"
printf '%-6s %18s %18s %8s %22s\n' jobs "worker ms/article" "replay ms/article" ratio "worker overhead (µs)"
for j in 1 "$jobs"; do
    w=$(seconds noop "$j")
    r=$(seconds empty "$j")
    awk -v j="$j" -v w="$w" -v r="$r" -v n="$n" 'BEGIN {
        printf "%-6s %18.4f %18.4f %8.2f %22.1f\n", j, w * 1000 / n, r * 1000 / n, w / r, (w - r) * 1000000 / n
    }'
done
