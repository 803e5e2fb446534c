#!/usr/bin/env bash
# Parquet against JSON lines, side by side in one run (docs/performance.md,
# "Parquet"): generates N articles with `quotecheck gen`, writes the corpus
# and the replay as Parquet with examples/to_parquet.rs (quotes as JSON
# text, snappy, row groups of 8192), then times
# `quotecheck run --corpus X --replay p=Y --json out.json` on each layout,
# alternating, REPEAT times each. Everything is written under target/bench-parquet.
#
#   bash benches/parquet.sh                 # 100000 articles, 3 repeats
#   bash benches/parquet.sh 1000000 1       # 1M articles (about 12 GB of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
repeat=${2:-3}
out=target/bench-parquet/$n
mkdir -p "$out"
cargo build --release --locked --bin quotecheck --example to_parquet >&2
bin=target/release/quotecheck
conv=target/release/examples/to_parquet
if [ ! -f "$out/r.parquet" ]; then
    "$bin" gen --articles "$n" --seed 1 --corpus "$out/c.jsonl" --replay "$out/r.jsonl" >&2
    "$conv" "$out/c.jsonl" "$out/c.parquet"
    "$conv" "$out/r.jsonl" "$out/r.parquet"
fi
ls -l "$out"/c.* "$out"/r.* >&2
run() { # layout
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$out/rss" "$bin" run --corpus "$out/c.$1" --replay "p=$out/r.$1" \
        --no-cache --diffs none --json "$out/$1.json" >/dev/null || [ $? -eq 1 ]
    end=$(date +%s.%N)
    printf '%s\t%.2f s\t%d MB peak RSS\n' "$1" "$(echo "$end - $start" | bc)" "$(( $(cat "$out/rss") / 1024 ))"
}
echo "articles: $n"
for _ in $(seq "$repeat"); do
    run jsonl
    run parquet
done
# Same content, same report (but the paths).
if cmp -s <(sed 's/c\.jsonl/C/g; s/r\.jsonl/R/g; s/"elapsed_ms": *[0-9]*/T/g' "$out/jsonl.json") \
          <(sed 's/c\.parquet/C/g; s/r\.parquet/R/g; s/"elapsed_ms": *[0-9]*/T/g' "$out/parquet.json"); then
    echo "reports: equal"
else
    echo "reports: DIFFER" >&2
    exit 1
fi
