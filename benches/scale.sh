#!/usr/bin/env bash
# Reproduces the tables of docs/performance.md: installs the Python peers
# (nervaluate, scipy; pinned versions) into a virtualenv under
# target/bench-venv — nothing outside target/ is touched — and runs
# benches/scale.py, which builds quotecheck and the floors of
# benches/scale.rs and writes its corpora and results under target/bench.
#
#   bash benches/scale.sh            # 1,000 to 1,000,000 articles (~15 GB of disk, ~20 min)
#   bash benches/scale.sh --quick    # 10,000 articles, the peers' table (under 3 min)
#   bash benches/scale.sh --table    # the tables of the last run again
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/bench-venv
want="nervaluate==1.2.1 scipy==1.17.1 numpy==2.4.6"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.pinned" 2>/dev/null)" != "$want" ]; then
    echo "installing $want into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    # shellcheck disable=SC2086
    "$venv/bin/pip" install --quiet $want
    echo "$want" >"$venv/.pinned"
fi
# OpenBLAS settings that some machines carry for old builds slow a current
# numpy; the scorers here do no linear algebra, but leave nothing to chance.
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" benches/scale.py "$@"
