#!/usr/bin/env bash
# Serves SmolLM2-135M-Instruct with llama-cpp-python's OpenAI-compatible
# server from examples/llm/.venv (make it with examples/llm/setup.sh), on
# 127.0.0.1 only. The server replaces this script's process, so stopping
# that stops the server. Further arguments go to the server.
#
#   examples/llm/serve.sh 8080      # then chat = "http://127.0.0.1:8080/v1"
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"

fail() {
    echo "examples/llm/serve.sh: error: $1" >&2
    [ -n "${2:-}" ] && echo "hint: $2" >&2
    exit 1
}

[ $# -ge 1 ] || fail "no port given" "examples/llm/serve.sh PORT [server options]"
port="$1"
shift
[ -f "$venv/.quotecheck-ready" ] ||
    fail "examples/llm/.venv is not ready" "run examples/llm/setup.sh first"
gguf="$("$venv/bin/python" "$here/model.py")" || fail "no model to serve"

# A small context and one thread per core: the model is tiny, the articles
# short. --model_alias is the name that requests and replies use.
exec "$venv/bin/python" -m llama_cpp.server --model "$gguf" --model_alias smollm2-135m \
    --host 127.0.0.1 --port "$port" --n_ctx 2048 "$@"
