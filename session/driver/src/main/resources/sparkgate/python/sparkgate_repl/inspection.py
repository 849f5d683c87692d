"""Jupyter's inspect question: what the name at the cursor is, as IPython's `name?` shows it.

Offsets are in code points, Python's string indices; the driver converts them from Java's UTF-16.
"""
import builtins
import inspect as pyinspect
import re

# The dotted name around the cursor: its part before the cursor, and the rest of its last word after it.
_NAME_BEFORE = re.compile(r"(?:[^\W\d]\w*\.)*[^\W\d]\w*$")
_WORD_AFTER = re.compile(r"^\w*")
# The callee of the innermost call still open at the cursor: `spark.range` in `spark.range(1, `.
_OPEN_CALL = re.compile(r"((?:[^\W\d]\w*\.)*[^\W\d]\w*)\s*\([^()]*$")
_MAX_STRING_FORM = 200


def inspect(namespace, code, cursor, detail_level=0):
    """(found, text): IPython-like documentation of the name at the cursor; found is False when there is none."""
    cursor = max(0, min(cursor, len(code)))
    name = _name_at(code, cursor)
    if not name:
        return False, ""
    try:
        obj = _resolve(namespace, name)
    except Exception:  # an unknown name or attribute, or a property that raised: nothing to show
        return False, ""
    return True, _describe(name, obj, detail_level)


def _name_at(code, cursor):
    before = _NAME_BEFORE.search(code[:cursor])
    if before:
        return before.group(0) + _WORD_AFTER.match(code[cursor:]).group(0)
    call = _OPEN_CALL.search(code[:cursor])
    return call.group(1) if call else ""


def _resolve(namespace, name):
    first, *rest = name.split(".")
    if first in namespace:
        obj = namespace[first]
    elif hasattr(builtins, first):
        obj = getattr(builtins, first)
    else:
        raise LookupError(first)
    for attribute in rest:
        obj = getattr(obj, attribute)
    return obj


def _describe(name, obj, detail_level):
    lines = []
    signature = _signature(obj)
    if signature is not None:
        lines.append("Signature: %s%s" % (name.rpartition(".")[2], signature))
    lines.append("Type:      %s" % type(obj).__name__)
    if not (pyinspect.isclass(obj) or pyinspect.isroutine(obj) or pyinspect.ismodule(obj)):
        form = _string_form(obj)
        if form:
            lines.append("String form: %s" % form)
    source_file = _source_file(obj)
    if source_file:
        lines.append("File:      %s" % source_file)
    doc = pyinspect.getdoc(obj)
    if doc:
        lines.append("Docstring:\n%s" % doc)
    if detail_level >= 1:
        source = _source(obj)
        if source:
            lines.append("Source:\n%s" % source.rstrip("\n"))
    return "\n".join(lines)


def _signature(obj):
    if not callable(obj):
        return None
    try:
        return str(pyinspect.signature(obj))
    except (TypeError, ValueError):
        return None


def _string_form(obj):
    try:
        form = str(obj)
    except Exception:
        return ""
    return form if len(form) <= _MAX_STRING_FORM else form[:_MAX_STRING_FORM] + "..."


def _source_file(obj):
    try:
        return pyinspect.getsourcefile(obj) or pyinspect.getfile(obj)
    except (TypeError, OSError):
        return ""


def _source(obj):
    try:
        return pyinspect.getsource(obj)
    except (TypeError, OSError):
        return ""
