"""Rich output sent while a cell runs: the display() the user calls, and what the REPL shows on its own
(matplotlib figures)."""
import base64
import io
import sys

from . import rich


class Publisher:
    def __init__(self, channel, cell_id, streams):
        self._channel = channel
        self._cell_id = cell_id
        self._streams = streams

    def publish(self, data, display_id=None):
        # Text printed before a display comes before it.
        for stream in self._streams:
            stream.flush()
        message = {"type": "display", "cell": self._cell_id(), "data": data}
        if display_id is not None:
            message["displayId"] = str(display_id)
        self._channel.send(message)

    def display_function(self):
        publisher = self

        def display(*objs, raw=False, display_id=None, rows=rich.DISPLAY_ROWS):
            """Shows each object as rich output now, the way a notebook shows a cell's value.

            A Spark DataFrame shows its first `rows` rows as a table. With raw=True each object is
            already a MIME bundle, e.g. display({"text/html": "<b>hi</b>"}, raw=True). Output with a
            display_id replaces earlier output with the same id.
            """
            for obj in objs:
                if raw:
                    if not isinstance(obj, dict):
                        raise TypeError("display(raw=True) takes MIME bundles (dicts), not %s" % type(obj).__name__)
                    data = obj
                else:
                    data = rich.display_bundle(obj, rows)
                publisher.publish(data, display_id)

        return display

    def show_open_figures(self):
        """Shows the matplotlib figures the cell left open, then closes them, as the inline backend does."""
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is None:
            return
        for number in pyplot.get_fignums():
            figure = pyplot.figure(number)
            self.publish(figure_bundle(figure))
        pyplot.close("all")


def figure_bundle(figure):
    png = io.BytesIO()
    figure.savefig(png, format="png", bbox_inches="tight")
    return {"image/png": base64.b64encode(png.getvalue()).decode("ascii"), rich.TEXT: repr(figure)}


# The publisher of the running REPL, for the matplotlib backend, which only knows module names.
current = None
