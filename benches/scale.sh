#!/usr/bin/env bash
# Reproduces the table of docs/performance.md: builds quotecheck, installs
# the Python peers (nervaluate, scipy) into a virtualenv under
# target/bench-venv — nothing outside target/ is touched — and runs
# benches/scale.py, which writes its corpora and results under target/bench.
#
#   bash benches/scale.sh            # everything, up to 1M articles (~6 GB of disk)
#   bash benches/scale.sh --quick    # up to 100k articles
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
    echo "installing nervaluate and scipy into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet nervaluate scipy
fi
exec "$venv/bin/python" benches/scale.py "$@"
