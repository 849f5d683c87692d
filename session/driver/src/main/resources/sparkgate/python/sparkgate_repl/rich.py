"""What a value looks like to a notebook: a MIME bundle.

Objects describe themselves the way Jupyter taught the ecosystem (`_repr_html_`, `_repr_png_`, ...,
`_repr_mimebundle_`), so pandas frames, SymPy expressions and friends render as they do in Jupyter.
A pyspark DataFrame given to display(), or as a cell's value, becomes a table of its first rows: an HTML table, the ASCII grid
of `df.show()` as text, and Livy's table MIME type, which Zeppelin renders natively.
"""
import base64
import datetime
import decimal
import html
import sys

TEXT = "text/plain"
HTML = "text/html"
LIVY_TABLE = "application/vnd.livy.table.v1+json"
DISPLAY_ROWS = 20

_REPR_METHODS = (
    ("_repr_html_", HTML),
    ("_repr_markdown_", "text/markdown"),
    ("_repr_svg_", "image/svg+xml"),
    ("_repr_png_", "image/png"),
    ("_repr_jpeg_", "image/jpeg"),
    ("_repr_latex_", "text/latex"),
    ("_repr_json_", "application/json"),
    ("_repr_javascript_", "application/javascript"),
)
_BINARY = ("image/png", "image/jpeg")


def bundle(value):
    """The MIME bundle of a cell's result: whatever the object offers, plus its repr as text."""
    data = {}
    offered = _call_repr(value, "_repr_mimebundle_")
    if isinstance(offered, tuple):
        offered = offered[0]
    if isinstance(offered, dict):
        data.update(offered)
    for method, mime in _REPR_METHODS:
        if mime in data:
            continue
        shown = _call_repr(value, method)
        if isinstance(shown, tuple):
            shown = shown[0]
        if shown is not None:
            data[mime] = shown
    for mime in _BINARY:
        if isinstance(data.get(mime), (bytes, bytearray)):
            data[mime] = base64.b64encode(data[mime]).decode("ascii")
    if TEXT not in data:
        data[TEXT] = repr(value)
    return data


def display_bundle(value, rows=DISPLAY_ROWS):
    """The bundle for an explicit display(): like bundle(), but a Spark DataFrame shows its rows."""
    if _is_spark_dataframe(value):
        return dataframe_bundle(value, rows)
    return bundle(value)


def _call_repr(value, method):
    # Looked up on the type, never the instance: a Py4J JavaObject answers any attribute name with a
    # Java method that does not exist.
    if getattr(type(value), method, None) is None:
        return None
    try:
        return getattr(value, method)()
    except Exception as e:
        print("[display] %s.%s failed: %s: %s" % (type(value).__name__, method, type(e).__name__, e),
              file=sys.stderr)
        return None


def _is_spark_dataframe(value):
    for module_name in ("pyspark.sql.dataframe", "pyspark.sql.connect.dataframe"):
        module = sys.modules.get(module_name)
        if module is not None and isinstance(value, getattr(module, "DataFrame", ())):
            return True
    return False


def dataframe_bundle(df, rows=DISPLAY_ROWS):
    """The first `rows` rows of a Spark DataFrame as HTML, text and Livy table: one Spark job."""
    fields = df.dtypes
    names = [name for name, _ in fields]
    fetched = df.limit(rows + 1).collect()
    more = len(fetched) > rows
    fetched = fetched[:rows]
    cells = [[_show(v) for v in row] for row in fetched]
    note = "only showing top %d %s" % (rows, "row" if rows == 1 else "rows") if more else None
    return {
        TEXT: _grid(names, cells) + ("\n" + note if note else ""),
        HTML: _html_table(names, cells, note),
        LIVY_TABLE: {
            "headers": [{"name": name, "type": type_name} for name, type_name in fields],
            "data": [[_json_cell(v) for v in row] for row in fetched],
        },
    }


def table_bundle(headers, rows):
    """A bundle for plain rows (lists of values) under the given (name, type) headers."""
    names = [name for name, _ in headers]
    cells = [[_show(v) for v in row] for row in rows]
    return {
        TEXT: _grid(names, cells),
        HTML: _html_table(names, cells, None),
        LIVY_TABLE: {
            "headers": [{"name": name, "type": type_name} for name, type_name in headers],
            "data": [[_json_cell(v) for v in row] for row in rows],
        },
    }


def _show(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"  # as Spark prints them
    if isinstance(value, (list, tuple)) and not hasattr(value, "asDict"):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join("%s -> %s" % (_show(k), _show(v)) for k, v in value.items()) + "}"
    if isinstance(value, (bytes, bytearray)):
        return "[" + " ".join("%02X" % b for b in value) + "]"
    return str(value)


def _json_cell(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if hasattr(value, "asDict"):
        return {k: _json_cell(v) for k, v in value.asDict().items()}
    if isinstance(value, (list, tuple)):
        return [_json_cell(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_cell(v) for k, v in value.items()}
    return _show(value)


def _grid(names, rows, width=20):
    """The grid `df.show()` prints: right-aligned cells, long ones cut to `width` characters."""

    def cut(text):
        return text if len(text) <= width else text[: width - 3] + "..."

    names = [cut(n) for n in names]
    rows = [[cut(c) for c in row] for row in rows]
    widths = [max([3, len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    rule = "+" + "+".join("-" * w for w in widths) + "+"
    lines = [rule, "|" + "|".join(n.rjust(w) for n, w in zip(names, widths)) + "|", rule]
    lines += ["|" + "|".join(c.rjust(w) for c, w in zip(row, widths)) + "|" for row in rows]
    lines.append(rule)
    return "\n".join(lines)


def _html_table(names, rows, note):
    head = "".join("<th>%s</th>" % html.escape(n) for n in names)
    body = "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % html.escape(c) for c in row) for row in rows)
    table = "<table class=\"sparkgate-table\"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>" % (head, body)
    return table + ("<p>%s</p>" % html.escape(note) if note else "")
