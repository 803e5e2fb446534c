#!/usr/bin/env bash
# Makes examples/ray/.venv: a virtualenv with Ray Data, every package
# pinned with its hash (requirements.txt), all from the Python package
# index, and the quotecheck-eval wheel that python/setup.sh built into
# python/dist (run that first; .ci/run does). Run it as often as you like:
# a virtualenv completed from the same requirements.txt and Python is
# reused, and only the wheel is reinstalled when python/setup.sh built
# another; anything else (none yet, an interrupted install, changed pins)
# is rebuilt from scratch. Concurrent runs wait for each other.
#
#   examples/ray/setup.sh          # PYTHON=python3.12 to choose the Python
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
stamp="$venv/.quotecheck-ready"
wheel_stamp="$venv/.quotecheck-wheel"

fail() {
    echo "examples/ray/setup.sh: error: $1" >&2
    [ -n "${2:-}" ] && echo "hint: $2" >&2
    exit 1
}

command -v "$python" >/dev/null 2>&1 ||
    fail "$python is not installed" "install Python 3.9 or later (Debian: apt-get install python3 python3-venv)"
command -v flock >/dev/null 2>&1 ||
    fail "flock is not installed" "install util-linux"

wheels=("$root"/python/dist/quotecheck_eval-*.whl)
[ ${#wheels[@]} = 1 ] && [ -f "${wheels[0]}" ] ||
    fail "no single quotecheck_eval wheel in python/dist" "run bash python/setup.sh first: it builds the wheel"
wheel="${wheels[0]}"

sha256() { "$python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1"; }
want="$(sha256 "$here/requirements.txt") $("$python" -c 'import sys; print(sys.version.split()[0])')"

exec 9>"$here/.venv.lock"
flock 9
export PIP_DISABLE_PIP_VERSION_CHECK=1

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "examples/ray/.venv is ready (reused)"
else
    echo "examples/ray/.venv: building from scratch with $("$python" --version 2>&1)"
    rm -rf "$venv"
    "$python" -m venv "$venv" ||
        fail "$python -m venv failed" "install the venv module (Debian: apt-get install python3-venv)"
    "$venv/bin/python" -m pip install --require-hashes --only-binary :all: --no-input \
        -r "$here/requirements.txt" ||
        fail "pip could not install requirements.txt" "check that pypi.org is reachable; the output above names the package"
    "$venv/bin/python" -c 'import ray, ray.data' ||
        fail "Ray Data cannot be imported" "the output above says why"
    echo "$want" >"$stamp"
fi

# The wheel, by the same content digest python/setup.sh uses: maturin
# writes a new SBOM serial number into every build.
digest="$("$python" - "$wheel" <<'PY'
import hashlib, sys, zipfile
digest = hashlib.sha256()
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in sorted(wheel.namelist()):
        if "/sboms/" in name or name.endswith(".dist-info/RECORD"):
            continue
        digest.update(name.encode() + b"\0" + hashlib.sha256(wheel.read(name)).digest())
print(digest.hexdigest())
PY
)"
if [ -f "$wheel_stamp" ] && [ "$(cat "$wheel_stamp")" = "$digest" ]; then
    echo "examples/ray/.venv holds $(basename "$wheel") (reused)"
    exit 0
fi
rm -f "$wheel_stamp"
"$venv/bin/python" -m pip install --no-index --no-deps --force-reinstall --no-input "$wheel" ||
    fail "pip could not install $wheel"
"$venv/bin/quotecheck" --version >/dev/null ||
    fail "the installed quotecheck command does not run"
"$venv/bin/python" -c 'import quotecheck_eval, ray' ||
    fail "quotecheck_eval or ray cannot be imported"
echo "$digest" >"$wheel_stamp"
echo "examples/ray/.venv is ready: ray $("$venv/bin/python" -c 'import ray; print(ray.__version__)'), $("$venv/bin/quotecheck" --version)"
