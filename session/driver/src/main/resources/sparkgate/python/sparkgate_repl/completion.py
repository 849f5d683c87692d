"""Completion of names and attributes, and Jupyter's is_complete question.

Offsets are in code points, Python's string indices; the driver converts them to and from Java's UTF-16.
"""
import codeop
import re
import rlcompleter
import warnings

# The dotted name that ends at the cursor: `df.gro` in `x = df.gro`, `pri` in `pri`.
_DOTTED_NAME = re.compile(r"(?:[^\W\d]\w*\.)*[^\W\d]?\w*$")
_DEDENTING = re.compile(r"^\s*(return|pass|break|continue|raise)\b")


def complete(namespace, code, cursor):
    """(candidates, start, end): each candidate replaces code[start:end]."""
    cursor = max(0, min(cursor, len(code)))
    token = _DOTTED_NAME.search(code[:cursor]).group(0)
    if not token:
        return [], cursor, cursor
    completer = rlcompleter.Completer(namespace)
    matches = []
    state = 0
    while True:
        try:
            match = completer.complete(token, state)
        except Exception:
            break
        if match is None:
            break
        matches.append(match)
        state += 1
    # rlcompleter answers with the whole dotted name; a notebook replaces only the last part.
    qualifier = token.rpartition(".")[0]
    prefix = qualifier + "." if qualifier else ""
    word_start = cursor - (len(token) - len(prefix))
    candidates = set()
    for match in matches:
        # rlcompleter's readline habits: "(" after callables, " " or ":" after keywords.
        word = match[len(prefix):].rstrip("( ")
        if word and match.startswith(prefix):
            candidates.add(word)
    return sorted(candidates), word_start, cursor


def is_complete(code):
    """Jupyter's answer: ("complete" | "incomplete" | "invalid", indent for the next line)."""
    if not code.strip():
        return "complete", ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compiled = codeop.compile_command(code, "<cell>", "exec")
        except (SyntaxError, OverflowError, ValueError):
            return "invalid", ""
    lines = code.splitlines()
    last = lines[-1] if lines else ""
    if compiled is None:
        return "incomplete", _next_indent(lines)
    # Valid already, but a console user typing inside an indented block has not said they are done:
    # like IPython, wait for the blank line that closes the block.
    if not code.endswith("\n") and last[:1] in (" ", "\t") and last.strip():
        return "incomplete", _next_indent(lines)
    return "complete", ""


def _next_indent(lines):
    for line in reversed(lines):
        if line.strip():
            indent = line[: len(line) - len(line.lstrip())]
            if line.rstrip().endswith(":"):
                return indent + "    "
            if _DEDENTING.match(line):
                return indent[:-4] if indent.endswith("    ") else ""
            return indent
    return ""
