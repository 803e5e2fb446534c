#!/usr/bin/env bash
# What quotecheck adds to a real Python extractor: spaCy + textacy
# (examples/textacy/). Builds a JSON-lines corpus of the project corpus's
# annotated articles repeated under new ids (23 copies of 9 = 207 articles
# by default), then times, side by side and alternating, REPEAT times each:
#
#   loop   textacy's own Python loop (benches/textacy_loop.py): load the
#          model, then for each article the very function the worker calls
#          (spaCy, direct_quotations, tokens to records) — no quotecheck;
#   qc-1   quotecheck run --extractor textacy --no-cache --jobs 1: the same
#          work behind the worker protocol, plus reading the corpus, the
#          pipes, scoring and the report;
#   qc-2   the same with --jobs 2: two workers side by side.
#
# start-up is the loop on an empty corpus: Python, spaCy and the model.
# Both sides start the same interpreter (the virtualenv's python) and load
# the model once per process; the medians are printed with the ratios
# qc-1/loop (the overhead) and qc-1/qc-2 (the speed-up of two workers).
#
#   bash benches/textacy-overhead.sh [COPIES] [REPEAT]    # default 23 3
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-23}
repeat=${2:-3}
bash examples/textacy/setup.sh >/dev/null
cargo build --release --quiet
bin=$PWD/target/release/quotecheck
py=$PWD/examples/textacy/.venv/bin/python
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$py" - "$copies" "$tmp/corpus.jsonl" <<'PY'
import json, pathlib, sys
copies, out = int(sys.argv[1]), sys.argv[2]
root = pathlib.Path("corpus")
articles = []
for gold in sorted(root.rglob("*.json")):
    record = json.loads(gold.read_text(encoding="utf-8"))
    record.pop("article", None)
    record["text"] = gold.with_suffix(".txt").read_text(encoding="utf-8")
    articles.append((gold.relative_to(root).with_suffix("").as_posix(), record))
with open(out, "w", encoding="utf-8") as f:
    for c in range(copies):
        for id, record in articles:
            f.write(json.dumps({"id": f"copy{c:03d}/{id}", **record}, ensure_ascii=False) + "\n")
PY
n=$(wc -l <"$tmp/corpus.jsonl")
: >"$tmp/empty.jsonl"

cat >"$tmp/quotecheck.toml" <<TOML
corpus = "corpus.jsonl"

[extractors.textacy]
command = ["$py", "$PWD/examples/textacy/extract.py"]
handshake_timeout = "120s"
timeout = "60s"
TOML

# Seconds a command takes, run in the temporary folder. quotecheck exits
# with 1 because textacy fails on some articles; anything else is an error.
seconds() {
    local start end code=0
    start=$(date +%s.%N)
    (cd "$tmp" && "$@" >/dev/null 2>"$tmp/stderr") || code=$?
    end=$(date +%s.%N)
    if [ "$code" -gt 1 ]; then
        echo "error: $* exited with $code:" >&2
        cat "$tmp/stderr" >&2
        exit 1
    fi
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%d articles, %d rounds, %d cores\n' "$n" "$repeat" "$(nproc 2>/dev/null || echo 1)"
: >"$tmp/start"
: >"$tmp/loop"
: >"$tmp/qc1"
: >"$tmp/qc2"
for r in $(seq "$repeat"); do
    seconds "$py" "$PWD/benches/textacy_loop.py" empty.jsonl >>"$tmp/start"
    seconds "$py" "$PWD/benches/textacy_loop.py" corpus.jsonl >>"$tmp/loop"
    seconds "$bin" run --extractor textacy --no-cache --jobs 1 >>"$tmp/qc1"
    seconds "$bin" run --extractor textacy --no-cache --jobs 2 >>"$tmp/qc2"
    printf 'round %d: start-up %.2f s, loop %.2f s, qc-1 %.2f s, qc-2 %.2f s\n' "$r" \
        "$(tail -1 "$tmp/start")" "$(tail -1 "$tmp/loop")" "$(tail -1 "$tmp/qc1")" "$(tail -1 "$tmp/qc2")"
done
start=$(median <"$tmp/start")
loop=$(median <"$tmp/loop")
qc1=$(median <"$tmp/qc1")
qc2=$(median <"$tmp/qc2")
awk -v s="$start" -v l="$loop" -v a="$qc1" -v b="$qc2" -v n="$n" 'BEGIN {
    printf "\nmedian seconds: start-up %.2f, loop %.2f, qc-1 %.2f, qc-2 %.2f\n", s, l, a, b
    printf "loop: %.1f ms an article after start-up\n", (l - s) * 1000 / n
    printf "overhead qc-1 / loop: %.3f (%+.1f%%)\n", a / l, (a / l - 1) * 100
    printf "speed-up qc-1 / qc-2: %.2f whole runs, %.2f after start-up\n", a / b, (a - s) / (b - s)
}'
