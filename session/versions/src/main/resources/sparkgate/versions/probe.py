# What the driver needs to know about a Python before it runs a session with it: printed as one JSON
# line. Run as `python -c <this file>` with the session's PYTHONPATH. Kept valid for Python 2 too, so that
# a too-old Python is reported by its version rather than by a syntax error.
import json
import sys

report = {
    "python": "%d.%d.%d" % tuple(sys.version_info[:3]),
    "executable": sys.executable,
    "pyspark": None,
    "pysparkLocation": None,
    "problem": None,
}
try:
    import pyspark

    report["pyspark"] = getattr(pyspark, "__version__", None) or "unknown"
    report["pysparkLocation"] = getattr(pyspark, "__file__", None)
except Exception as e:
    report["problem"] = "import pyspark failed: %s: %s" % (type(e).__name__, e)
sys.stdout.write(json.dumps(report) + "\n")
