"""Livy's line magics, which sparkmagic and Livy users send: `%json name`, `%table name`, `%matplot plt`.

A cell that is not valid Python but has lines starting with `%` is split into runs of Python and magic
lines, run in order; the last one's value is the cell's result, as in Livy.
"""
import datetime
import decimal

from . import publish, rich


class UnknownMagic(Exception):
    pass


def split(code):
    """The cell as [(is_magic, text)], or None when no line is a magic."""
    chunks, python = [], []
    for line in code.rstrip().split("\n"):
        if line.startswith("%"):
            if python:
                chunks.append((False, "\n".join(python)))
                python = []
            chunks.append((True, line))
        else:
            python.append(line)
    if python:
        chunks.append((False, "\n".join(python)))
    return chunks if any(is_magic for is_magic, _ in chunks) else None


def run(line, namespace):
    """Runs one magic line; returns its MIME bundle."""
    name, _, argument = line[1:].strip().partition(" ")
    argument = argument.strip()
    handler = _MAGICS.get(name)
    if handler is None:
        raise UnknownMagic("unknown magic %%%s; known: %s" % (name, ", ".join("%" + m for m in sorted(_MAGICS))))
    if not argument:
        raise UnknownMagic("%%%s needs the name of a variable" % name)
    if argument not in namespace:
        raise NameError("name '%s' is not defined" % argument)
    return handler(namespace[argument])


def _json(value):
    return {"application/json": value}


def _table(value):
    rows = value if isinstance(value, (list, tuple)) else [value]
    headers, table = {}, []
    for row in rows:
        if hasattr(row, "asDict"):
            row = row.asDict()
        if not isinstance(row, (list, tuple, dict)):
            row = [row]
        cells = sorted(row.items()) if isinstance(row, dict) else list(enumerate(row))
        values = {}
        for key, cell in cells:
            kind = _livy_type(cell)
            known = headers.get(key)
            if known is None or known == "NULL_TYPE":
                headers[key] = kind
            elif kind != "NULL_TYPE" and kind != known:
                raise ValueError("table rows have different types in column %s: %s and %s" % (key, known, kind))
            values[key] = cell
        table.append(values)
    keys = sorted(headers, key=lambda k: (str(type(k)), k))
    return rich.table_bundle([(str(k), headers[k]) for k in keys], [[row.get(k) for k in keys] for row in table])


def _livy_type(value):
    # Livy's names for a column's type, as Zeppelin reads them.
    for kind, name in ((type(None), "NULL_TYPE"), (bool, "BOOLEAN_TYPE"), (int, "INT_TYPE"),
                       (float, "DOUBLE_TYPE"), (str, "STRING_TYPE"), (datetime.datetime, "TIMESTAMP_TYPE"),
                       (datetime.date, "DATE_TYPE"), (decimal.Decimal, "DECIMAL_TYPE"),
                       ((list, tuple), "ARRAY_TYPE"), (dict, "MAP_TYPE")):
        if isinstance(value, kind):
            return name
    return "STRING_TYPE"


def _matplot(value):
    figure = value.gcf() if hasattr(value, "gcf") else value
    return publish.figure_bundle(figure)


_MAGICS = {"json": _json, "table": _table, "matplot": _matplot}
