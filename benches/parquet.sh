#!/usr/bin/env bash
# Parquet against JSON lines, side by side in one run (docs/performance.md,
# "Parquet"): generates N articles with `quotecheck gen`, writes the corpus
# and the replay as Parquet with examples/to_parquet.rs (quotes as JSON
# text, snappy, row groups of 8192), then, alternating the layouts,
# REPEAT times each:
#   - times `quotecheck run --corpus X --replay p=Y --json out.json`;
#   - times examples/read_bench.rs on the same files: the corpus read and
#     every article's saved output looked up and resolved, nothing else.
# Each line gives the wall time, the CPU time (user+sys: what the load of
# other processes does not change much) and the peak RSS. Everything is
# written under target/bench-parquet.
#
#   bash benches/parquet.sh                 # 100000 articles, 3 repeats
#   bash benches/parquet.sh 1000000 1       # 1M articles (about 12 GB of disk)
#
# BIN and READER name other builds of quotecheck and read_bench to time
# (an older commit's, say) on the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
repeat=${2:-3}
out=target/bench-parquet/$n
mkdir -p "$out"
cargo build --release --locked --bin quotecheck --example to_parquet --example read_bench >&2
bin=${BIN:-target/release/quotecheck}
reader=${READER:-target/release/examples/read_bench}
conv=target/release/examples/to_parquet
if [ ! -f "$out/r.parquet" ]; then
    "$bin" gen --articles "$n" --seed 1 --corpus "$out/c.jsonl" --replay "$out/r.jsonl" >&2
    "$conv" "$out/c.jsonl" "$out/c.parquet"
    "$conv" "$out/r.jsonl" "$out/r.parquet"
fi
ls -l "$out"/c.* "$out"/r.* >&2
measure() { # label command...
    local label=$1 wall user sys rss
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$@" >"$out/stdout" || [ $? -eq 1 ]
    # A non-zero exit adds a line before the figures.
    read -r wall user sys rss < <(tail -n 1 "$out/time")
    printf '%-14s %7.2f s wall  %7.2f s CPU (user+sys)  %5d MB peak RSS\n' \
        "$label" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))"
}
run() { # layout
    measure "run $1" "$bin" run --corpus "$out/c.$1" --replay "p=$out/r.$1" \
        --no-cache --diffs none --json "$out/$1.json"
}
read_only() { # layout
    measure "read $1" "$reader" "$out/c.$1" "$out/r.$1"
    cp "$out/stdout" "$out/read.$1"
}
echo "articles: $n"
for _ in $(seq "$repeat"); do
    run jsonl
    run parquet
    read_only jsonl
    read_only parquet
done
# Same content, same report (but the paths), the same reading.
if cmp -s <(sed 's/c\.jsonl/C/g; s/r\.jsonl/R/g; s/"elapsed_ms": *[0-9]*/T/g' "$out/jsonl.json") \
          <(sed 's/c\.parquet/C/g; s/r\.parquet/R/g; s/"elapsed_ms": *[0-9]*/T/g' "$out/parquet.json") &&
   cmp -s "$out/read.jsonl" "$out/read.parquet"; then
    echo "reports: equal; read: $(cat "$out/read.parquet")"
else
    echo "reports: DIFFER" >&2
    exit 1
fi
