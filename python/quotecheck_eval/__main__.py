"""`python -m quotecheck_eval ARGS` runs the installed `quotecheck ARGS`."""
import os
import subprocess
import sys

from . import binary

if __name__ == "__main__":
    exe = str(binary())
    if os.name == "nt":
        sys.exit(subprocess.call([exe, *sys.argv[1:]]))
    os.execv(exe, [exe, *sys.argv[1:]])
