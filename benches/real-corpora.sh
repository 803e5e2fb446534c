#!/usr/bin/env bash
# The built-in baseline's figures on published corpora (docs/baseline.md).
#
#   bash benches/real-corpora.sh PATH…
#
# Each PATH is a local copy of one split of a published corpus, imported
# with quotecheck's own importer into a temporary folder (nothing is
# written elsewhere) and scored with the baseline, overlap 0.5, micro:
#
#   PolNeAR/data/train     a folder with text/ and attributions/: --from brat
#   german-news-…/data/train  a folder of *.pretty.json: --from spkatt
#   corpus                 a quotecheck corpus folder: scored as it is
#
# Prints one line per corpus: articles scored, content F1, end-to-end F1
# (`attribution` in the JSON report) and cue F1, micro, as `quotecheck run
# --json` gives them; for a corpus of at most 20 articles, one line per
# article after it. QUOTECHECK names the binary (default: cargo run --release).
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: bash benches/real-corpora.sh PATH…" >&2
    exit 2
fi
if [ -n "${QUOTECHECK:-}" ]; then
    qc=("$QUOTECHECK")
else
    cargo build --release --quiet
    qc=("$(cd "$(dirname "$0")/.." && pwd)/target/release/quotecheck")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%-40s %8s %8s %8s %8s\n' corpus articles content e2e cue
n=0
for path in "$@"; do
    n=$((n + 1))
    if [ -d "$path/attributions" ] || compgen -G "$path/*.ann" >/dev/null; then
        corpus="$tmp/c$n"
        "${qc[@]}" import --from brat "$path" --out "$corpus" >/dev/null 2>&1 || true
    elif compgen -G "$path/*.pretty.json" >/dev/null; then
        corpus="$tmp/c$n"
        "${qc[@]}" import --from spkatt "$path" --out "$corpus" >/dev/null 2>&1 || true
    else
        corpus="$path"
    fi
    # Exit 1 (snapshots absent, figures below a gate) still writes the report.
    "${qc[@]}" run --corpus "$corpus" --extractor baseline --no-snapshots \
        --json "$tmp/report$n.json" >/dev/null 2>&1 || true
    if [ ! -s "$tmp/report$n.json" ]; then
        echo "$path: no report (is it a corpus split?)" >&2
        exit 2
    fi
    python3 - "$path" "$tmp/report$n.json" <<'EOF'
import json, sys
path, report = sys.argv[1], sys.argv[2]
e = json.load(open(report))["extractors"][0]
m = e["micro"]
print(f"{path:<40} {e['articles_scored']:>8} {m['content']['f1']:>8.3f} "
      f"{m['attribution']['f1']:>8.3f} {m['cue']['f1']:>8.3f}")
def f1(c):
    d = 2 * c["tp"] + c["fp"] + c["fn"]
    return 2 * c["tp"] / d if d else 0.0
# A small corpus (corpus/): each article too.
if e["articles_scored"] <= 20:
    for a in e["articles"]:
        print(f"  {a['id']:<38} {'':>8} {f1(a['content']):>8.3f} "
              f"{f1(a['attribution']):>8.3f} {f1(a['cue']):>8.3f}")
EOF
done
