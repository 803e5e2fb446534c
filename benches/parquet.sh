#!/usr/bin/env bash
# Parquet against JSON lines, side by side in one run (docs/performance.md,
# "Parquet"): generates N articles with `quotecheck gen`, writes the corpus
# and the replay as Parquet with examples/to_parquet.rs in three layouts
# (row groups of 8192):
#   - `text`: `quotes` as JSON text, snappy;
#   - `nested`: `quotes` as a list of structs, snappy;
#   - `plain`: nested, uncompressed;
# then, alternating the layouts, REPEAT times each:
#   - times `quotecheck run --corpus X --replay p=Y --json out.json`;
#   - times examples/read_bench.rs on the same files: the corpus read and
#     every article's saved output looked up and resolved, nothing else.
# Each line gives the wall time, the CPU time (user+sys: what the load of
# other processes does not change much) and the peak RSS. Everything is
# written under target/bench-parquet.
#
#   bash benches/parquet.sh                 # 100000 articles, 3 repeats
#   bash benches/parquet.sh 1000000 1       # 1M articles (about 15 GB of disk)
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
if [ ! -f "$out/c.jsonl" ]; then
    "$bin" gen --articles "$n" --seed 1 --corpus "$out/c.jsonl" --replay "$out/r.jsonl" >&2
fi
layouts=(text nested plain)
flags=("" "--nested" "--nested --uncompressed")
for i in "${!layouts[@]}"; do
    for f in c r; do
        if [ ! -f "$out/$f.${layouts[$i]}.parquet" ]; then
            # shellcheck disable=SC2086 # the flags are words
            "$conv" ${flags[$i]} "$out/$f.jsonl" "$out/$f.${layouts[$i]}.parquet"
        fi
    done
done
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
path() { # layout file
    if [ "$1" = jsonl ]; then echo "$out/$2.jsonl"; else echo "$out/$2.$1.parquet"; fi
}
run() { # layout
    measure "run $1" "$bin" run --corpus "$(path "$1" c)" --replay "p=$(path "$1" r)" \
        --no-cache --diffs none --json "$out/$1.json"
}
read_only() { # layout
    measure "read $1" "$reader" "$(path "$1" c)" "$(path "$1" r)"
    cp "$out/stdout" "$out/read.$1"
}
echo "articles: $n"
for _ in $(seq "$repeat"); do
    for l in jsonl "${layouts[@]}"; do
        run "$l"
        read_only "$l"
    done
done
# Same content, same report (but the paths), the same reading.
same() { # layout
    sed "s/c\.$1\.parquet/C/g; s/r\.$1\.parquet/R/g; s/c\.jsonl/C/g; s/r\.jsonl/R/g; s/\"elapsed_ms\": *[0-9]*/T/g" "$out/$1.json"
}
for l in "${layouts[@]}"; do
    if cmp -s <(same jsonl) <(same "$l") && cmp -s "$out/read.jsonl" "$out/read.$l"; then
        echo "reports of $l: equal to JSON lines; read: $(cat "$out/read.$l")"
    else
        echo "reports of $l: DIFFER from JSON lines" >&2
        exit 1
    fi
done
