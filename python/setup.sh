#!/usr/bin/env bash
# Builds the Python distribution quotecheck-eval from the working tree and
# installs it into a fresh virtualenv, python/.venv, as `pip install .` would
# (docs/python.md, "Install"):
#
# 1. python/.venv-build: maturin from the Python package index, every
#    package pinned with its hash (python/requirements.txt). Reused when it
#    was completed from the same requirements.txt and Python; anything else
#    (none yet, an interrupted install, changed pins) is rebuilt.
# 2. `maturin build --release` from the working tree into python/dist/: one
#    release build of the crate (cargo's target/release, incremental).
# 3. python/.venv: a fresh virtualenv with that wheel installed, offline,
#    and pytest for the plugin's example, pinned with its hashes
#    (python/requirements-test.txt). Reused when it holds a wheel of the
#    same content (SHA-256 of its files) and the same requirements-test.txt.
#
# Concurrent runs wait for each other.
#
#   python/setup.sh          # PYTHON=python3.12 to choose the Python
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="$here/.venv-build"
venv="$here/.venv"
dist="$here/dist"
python="${PYTHON:-python3}"

fail() {
    echo "python/setup.sh: error: $1" >&2
    [ -n "${2:-}" ] && echo "hint: $2" >&2
    exit 1
}

command -v "$python" >/dev/null 2>&1 ||
    fail "$python is not installed" "install Python 3.9 or later (Debian: apt-get install python3 python3-venv)"
command -v flock >/dev/null 2>&1 ||
    fail "flock is not installed" "install util-linux"
command -v cargo >/dev/null 2>&1 ||
    fail "cargo is not installed" "maturin builds the quotecheck binary with the Rust toolchain (rust-toolchain.toml)"

sha256() { "$python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1"; }

exec 9>"$here/.setup.lock"
flock 9
export PIP_DISABLE_PIP_VERSION_CHECK=1

want="$(sha256 "$here/requirements.txt") $("$python" -c 'import sys; print(sys.version.split()[0])')"
if [ -f "$build/.quotecheck-ready" ] && [ "$(cat "$build/.quotecheck-ready")" = "$want" ]; then
    echo "python/.venv-build is ready (reused)"
else
    echo "python/.venv-build: building from scratch with $("$python" --version 2>&1)"
    rm -rf "$build"
    "$python" -m venv "$build" ||
        fail "$python -m venv failed" "install the venv module (Debian: apt-get install python3-venv)"
    "$build/bin/python" -m pip install --require-hashes --only-binary :all: --no-input \
        -r "$here/requirements.txt" ||
        fail "pip could not install python/requirements.txt" "check that pypi.org is reachable; the output above names the package"
    echo "$want" >"$build/.quotecheck-ready"
fi

echo "python/dist: maturin build --release"
rm -rf "$dist"
(cd "$root" && "$build/bin/maturin" build --release --locked --out "$dist") ||
    fail "maturin could not build the wheel" "the output above names the failing step"
wheels=("$dist"/quotecheck_eval-*.whl)
[ ${#wheels[@]} = 1 ] && [ -f "${wheels[0]}" ] ||
    fail "maturin built no single quotecheck_eval wheel into $dist"
wheel="${wheels[0]}"

# What the wheel installs, by content: its files but the SBOM maturin
# writes with a new serial number each build (and RECORD, which hashes it).
wheel_digest() {
    "$python" - "$1" <<'PY'
import hashlib, sys, zipfile
digest = hashlib.sha256()
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in sorted(wheel.namelist()):
        if "/sboms/" in name or name.endswith(".dist-info/RECORD"):
            continue
        digest.update(name.encode() + b"\0" + hashlib.sha256(wheel.read(name)).digest())
print(digest.hexdigest())
PY
}

stamp="$venv/.quotecheck-ready"
have="$(wheel_digest "$wheel") $(sha256 "$here/requirements-test.txt")"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$have" ]; then
    echo "python/.venv is ready (reused: it holds $(basename "$wheel"))"
    exit 0
fi
rm -rf "$venv"
"$python" -m venv "$venv" ||
    fail "$python -m venv failed" "install the venv module (Debian: apt-get install python3-venv)"
"$venv/bin/python" -m pip install --no-index --no-input "$wheel" ||
    fail "pip could not install $wheel"
"$venv/bin/python" -m pip install --require-hashes --only-binary :all: --no-input \
    -r "$here/requirements-test.txt" ||
    fail "pip could not install python/requirements-test.txt" "check that pypi.org is reachable; the output above names the package"
"$venv/bin/quotecheck" --version >/dev/null ||
    fail "the installed quotecheck command does not run"
"$venv/bin/python" -c 'import quotecheck_eval' ||
    fail "the installed package quotecheck_eval cannot be imported"
echo "$have" >"$stamp"
echo "python/.venv is ready: $("$venv/bin/quotecheck" --version) and quotecheck_eval from $(basename "$wheel")"
