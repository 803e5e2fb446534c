#!/usr/bin/env bash
# Times `quotecheck import --from brat` on a synthetic corpus laid out as
# PolNeAR's train split is (840 articles, `<id>.txt` beside `<id>.ann`,
# about 4 KB of text and 10 attributions each), written to a fresh folder
# and again over it with --force. Wall and CPU time side by side show what
# waiting on the disk costs (docs/performance.md, "Importing").
#
# With two binaries (an older build and a newer one) they alternate for
# ROUNDS rounds, so that whatever else the machine does hits both alike.
#
#   bash benches/import-speed.sh                         # the release build, once
#   bash benches/import-speed.sh BEFORE AFTER [ROUNDS]   # side by side, 5 rounds
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-840}
if [ $# -eq 0 ]; then
    cargo build --release --quiet
    set -- target/release/quotecheck
fi
bins=("$1" ${2:+"$2"})
rounds=${3:-$([ $# -ge 2 ] && echo 5 || echo 1)}
# On the disk the corpus would live on, not a RAM-backed /tmp.
tmp=$(mktemp -d -p "${BENCH_DIR:-$PWD/target}")
trap 'rm -rf "$tmp"' EXIT

python3 - "$n" "$tmp/src" <<'PY'
import os, sys
n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out)
para = ("Mayor Ana Ruiz said on Monday that the bridge over the river would "
        "reopen in May after repairs. ")
for i in range(n):
    text, ann, t, e = "", [], 1, 1
    for j in range(10):
        start = len(text)
        text += para + f"The council met for the {j}th time in session {i}. " * 4
        def span(label, a, b):
            global t
            ann.append(f"T{t}\t{label} {start + a} {start + b}\t{para[a:b]}")
            t += 1
            return f"T{t - 1}"
        src = span("Source", 0, 14)
        cue = span("Cue", 15, 19)
        att = span("Attribution", 15, 19)
        con = span("Content", 34, 92)
        ann.append(f"E{e}\tAttribution:{att} Cue:{cue} Source:{src} Content:{con}")
        e += 1
    with open(f"{out}/a{i:04d}.txt", "w") as f:
        f.write(text)
    with open(f"{out}/a{i:04d}.ann", "w") as f:
        f.write("\n".join(ann) + "\n")
PY

run() { # BINARY [--force]
    local b=$1; shift
    /usr/bin/time -f "%e s wall, %U s user, %S s system" "$b" import --from brat "$tmp/src" --out "$tmp/out" "$@" >/dev/null 2>"$tmp/time" || true
    tail -n 1 "$tmp/time"
}
sync
for round in $(seq "$rounds"); do
    for b in "${bins[@]}"; do
        rm -rf "$tmp/out"
        echo "round $round, $b: new folder $(run "$b") | over it with --force $(run "$b" --force)"
    done
done
