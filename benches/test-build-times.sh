#!/usr/bin/env bash
# How long a contributor waits for `cargo test`: the build of every test
# binary from an empty target folder (cold), and again after touching one
# file of src/ (warm), for two revisions side by side in one run.
#
#   benches/test-build-times.sh BEFORE [AFTER] [ROUNDS]
#
# AFTER defaults to HEAD, ROUNDS (warm rebuilds per revision, alternated)
# to 3. Each revision is checked out in a temporary folder; crates come
# from the local cargo registry (run `cargo fetch` once first). Prints the
# wall-clock seconds and the ratio AFTER / BEFORE; docs/performance.md
# records the figures.
set -euo pipefail
before=${1:?usage: benches/test-build-times.sh BEFORE [AFTER] [ROUNDS]}
after=${2:-HEAD}
rounds=${3:-3}
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$work/before" >/dev/null 2>&1 || true
      git -C "$repo" worktree remove --force "$work/after" >/dev/null 2>&1 || true
      rm -rf "$work"' EXIT
git -C "$repo" worktree add --detach -q "$work/before" "$before"
git -C "$repo" worktree add --detach -q "$work/after" "$after"

seconds() { # DIR COMMAND… → wall-clock seconds of COMMAND in DIR
    local dir=$1; shift
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && "$@" >/dev/null 2>&1)
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

build() { cargo test --locked --no-run --offline; }
count() { # DIR → integration-test binaries cargo builds there
    (cd "$1" && cargo test --locked --no-run --offline 2>&1 | grep -c 'Executable tests/') || true
}

declare -A cold warm
for side in before after; do
    cold[$side]=$(seconds "$work/$side" build)
    warm[$side]=""
done
for _ in $(seq "$rounds"); do
    for side in before after; do
        touch "$work/$side/src/score/mod.rs"
        warm[$side]+="$(seconds "$work/$side" build) "
    done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-8s %-12s %10s %16s %10s\n' side revision "cold (s)" "warm median (s)" binaries
for side in before after; do
    rev=$(git -C "$work/$side" rev-parse --short HEAD)
    w=$(echo "${warm[$side]}" | median)
    printf '%-8s %-12s %10.1f %16.1f %10s\n' "$side" "$rev" "${cold[$side]}" "$w" "$(count "$work/$side")"
    eval "w_$side=$w"
done
echo "cold after/before: $(echo "scale=2; ${cold[after]} / ${cold[before]}" | bc)"
echo "warm after/before: $(echo "scale=2; $w_after / $w_before" | bc)"
