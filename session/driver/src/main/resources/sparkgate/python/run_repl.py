# The entry point of a session's Python REPL. The driver JVM starts it as `python -u -B run_repl.py`
# with the connection details in the environment; see sparkgate_repl/main.py.
import os
import sys

# This script's directory holds the REPL's own package. Python put it first on sys.path; move it last,
# so that the user's imports never resolve to our files before theirs (it must stay on the path:
# matplotlib imports our inline backend by module name).
_here = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == _here:
    sys.path.pop(0)
sys.path.append(_here)

from sparkgate_repl.main import main  # noqa: E402

main()
