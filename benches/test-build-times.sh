#!/usr/bin/env bash
# How long a contributor waits for `cargo test`: the build of every test
# binary from an empty target folder (cold), and again after touching one
# file of src/ (warm), for two revisions side by side in one run.
#
#   benches/test-build-times.sh BEFORE [AFTER] [ROUNDS]
#
# AFTER defaults to HEAD, ROUNDS (warm rebuilds per revision, alternated)
# to 3. Needs GNU time (/usr/bin/time, Debian package `time`). Each revision is checked out in a temporary folder; crates come
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

seconds() { # DIR COMMAND… → "wall cpu": seconds of COMMAND in DIR, wall
    # clock and CPU (user + system, compilers included); CPU seconds hardly
    # change when other work shares the machine, wall seconds do.
    local dir=$1; shift
    local out
    out=$(cd "$dir" && /usr/bin/time -f '%e %U %S' "$@" 2>&1 >/dev/null | tail -1)
    echo "$out" | awk '{printf "%s %.1f", $1, $2 + $3}'
}

build() { cargo test --locked --no-run --offline; }
export -f build
count() { # DIR → integration-test binaries cargo builds there
    (cd "$1" && cargo test --locked --no-run --offline 2>&1 | grep -c 'Executable tests/') || true
}

declare -A cold warm
for side in before after; do
    cold[$side]=$(seconds "$work/$side" bash -c build)
    warm[$side]=""
done
for _ in $(seq "$rounds"); do
    for side in before after; do
        touch "$work/$side/src/score/mod.rs"
        warm[$side]+="$(seconds "$work/$side" bash -c build)|"
    done
done
# Median of the wall (field 1) or CPU (field 2) seconds of "wall cpu|…".
median() { tr '|' '\n' | grep . | awk -v f="$1" '{print $f}' | sort -n |
    awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-7s %-10s %11s %11s %11s %11s %9s\n' side revision "cold wall" "cold cpu" \
    "warm wall" "warm cpu" binaries
for side in before after; do
    rev=$(git -C "$work/$side" rev-parse --short HEAD)
    read -r cw cc <<<"${cold[$side]}"
    ww=$(echo "${warm[$side]}" | median 1)
    wc=$(echo "${warm[$side]}" | median 2)
    printf '%-7s %-10s %11.1f %11.1f %11.1f %11.1f %9s\n' "$side" "$rev" "$cw" "$cc" "$ww" "$wc" \
        "$(count "$work/$side")"
    eval "cw_$side=$cw cc_$side=$cc ww_$side=$ww wc_$side=$wc"
done
ratio() { echo "scale=2; $1 / $2" | bc; }
echo "after/before: cold wall $(ratio "$cw_after" "$cw_before"), cold cpu $(ratio "$cc_after" "$cc_before"), warm wall $(ratio "$ww_after" "$ww_before"), warm cpu $(ratio "$wc_after" "$wc_before")"
