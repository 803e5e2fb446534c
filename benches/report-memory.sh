#!/usr/bin/env bash
# Peak memory of the reports that list every article, written as articles
# finish: `run --json`, `run --junit`, `run --json --junit`, and `merge` of
# the two shards' JSON reports, on generated corpora of realistic articles
# (`quotecheck gen --quotes 9`, each text padded at its end to about 6,000
# bytes, so every offset stays valid) of each size given, side by side in
# one run. Checks on the way that the merged report is the unsharded run's
# (byte for byte but the timings).
#
#   bash benches/report-memory.sh [N...]      # default: 10000 100000
#
# Files go to target/report-memory/N/ (about 10 KB of corpus, 4 KB of
# replay and 4 KB per report per article: 1M articles need about 25 GB),
# deleted at the end unless KEEP=1 (a corpus kept is used again).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
cargo build --release --quiet
bin=$PWD/target/release/quotecheck
root=$PWD/target/report-memory
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$root"' EXIT

pad() {
    python3 - "$1" "$2" <<'PY'
import hashlib, json, sys
src, dst = sys.argv[1], sys.argv[2]
filler = " and the council met again on the matter"
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    for line in f:
        a = json.loads(line)
        size = len(a["text"].encode("utf-8"))
        if size < 6000:
            a["text"] += (filler * (1 + (6000 - size) // len(filler)))[: 6000 - size]
        if "text_sha256" in a:
            a["text_sha256"] = hashlib.sha256(a["text"].encode("utf-8")).hexdigest()
        out.write(json.dumps(a, ensure_ascii=False) + "\n")
PY
}

# Prints "peak-RSS-KiB user+sys-s wall-s" of a quotecheck command run in $dir.
measure() {
    (cd "$dir" && /usr/bin/time -f "%M %U %S %e" "$bin" "$@" >/dev/null 2>time.txt) || true
    tail -n 1 "$dir/time.txt" | awk '{printf "%d %.1f %.1f\n", $1, $2 + $3, $4}'
}

masked() { sed -E 's/"elapsed_ms": [0-9]+/"elapsed_ms": 0/' "$1"; }

printf '| articles | command | peak RSS | CPU (user + system) | wall clock |\n|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
    dir=$root/$n
    mkdir -p "$dir"
    # The corpus of an earlier KEEP=1 run is used again.
    if [ ! -s "$dir/c.jsonl" ] || [ ! -s "$dir/r.jsonl" ]; then
        "$bin" gen --articles "$n" --quotes 9 --corpus "$dir/gen.jsonl" --replay "$dir/r.jsonl" >/dev/null
        pad "$dir/gen.jsonl" "$dir/c.jsonl"
        rm "$dir/gen.jsonl"
    fi
    run=(run --corpus c.jsonl --replay p=r.jsonl --no-cache --no-snapshots)
    row() {
        read -r kib cpu wall < <(measure "$@")
        printf '| %d | `%s` | %.1f MB | %s s | %s s |\n' "$n" "$label" "$(echo "$kib / 1024" | bc -l)" "$cpu" "$wall"
    }
    label="run --json"; row "${run[@]}" --json whole.json
    label="run --junit"; row "${run[@]}" --junit whole.xml
    label="run --json --junit"; row "${run[@]}" --json both.json --junit both.xml
    label="run --shard 1/2 --json"; row "${run[@]}" --shard 1/2 --json part1.json
    (cd "$dir" && "$bin" "${run[@]}" --shard 2/2 --json part2.json >/dev/null) || true
    label="merge (2 parts) --json"; row merge part1.json part2.json --json merged.json
    cmp -s <(masked "$dir/whole.json") <(masked "$dir/merged.json") \
        || { echo "the merged report of $n articles is not the unsharded run's" >&2; exit 1; }
    cmp -s <(masked "$dir/whole.json") <(masked "$dir/both.json") \
        || { echo "run --json --junit wrote another JSON report than run --json" >&2; exit 1; }
    printf '| %d | report sizes | JSON %s, JUnit %s, corpus %s | | |\n' "$n" \
        "$(du -h "$dir/whole.json" | cut -f1)" "$(du -h "$dir/whole.xml" | cut -f1)" "$(du -h "$dir/c.jsonl" | cut -f1)"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
