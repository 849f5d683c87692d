"""The REPL's loop: cells run one at a time on the main thread; a reader thread answers everything else.

The reader thread keeps listening while a cell runs, so the driver can interrupt it, and ask for
completions, at any time. Requests (driver -> REPL), one JSON object a line:
  {"op": "execute", "id", "code", "jobGroup", "statement"}   -> stream* display* result
  {"op": "complete", "id", "code", "cursor"}                 -> completion
  {"op": "is_complete", "id", "code"}                        -> completeness
  {"op": "inspect", "id", "code", "cursor", "detailLevel"}    -> inspection
  {"op": "interrupt", "cell"}   {"op": "shutdown"}
Messages (REPL -> driver): hello (the secret), ready | failed (after start-up), stream, display, result,
completion, completeness, inspection. Messages produced by a cell carry its id as "cell".
"""
import builtins
import os
import queue
import sys
import threading
import types

from . import cell as cells
from . import completion, inspection, interrupts, publish, streams
from .channel import Channel

_SHUTDOWN = object()


class Repl:
    def __init__(self, channel):
        self.channel = channel
        self.cell_id = None
        self.requests = queue.Queue()
        self.link = None
        # The user's namespace is a fresh __main__ module: pickle and cloudpickle look functions and
        # classes defined in cells up there (Python UDFs need that).
        main_module = types.ModuleType("__main__")
        main_module.__dict__["__builtins__"] = builtins
        sys.modules["__main__"] = main_module
        self.namespace = main_module.__dict__
        self.runner = cells.CellRunner(self.namespace)

    def redirect_io(self):
        flusher = streams.Flusher()
        current = lambda: self.cell_id  # noqa: E731
        stdout = streams.ChannelStream("stdout", self.channel, current, 1, flusher)
        stderr = streams.ChannelStream("stderr", self.channel, current, 2, flusher)
        flusher.streams = [stdout, stderr]
        flusher.start()
        sys.stdout, sys.stderr = self.stdout, self.stderr = stdout, stderr
        self.publisher = publish.Publisher(self.channel, current, flusher.streams)
        publish.current = self.publisher
        self.namespace["display"] = self.publisher.display_function()

    def serve(self):
        threading.Thread(target=self._read_requests, name="sparkgate-requests", daemon=True).start()
        while True:
            request = self.requests.get()
            if request is _SHUTDOWN:
                return
            self._execute(request)

    def _execute(self, request):
        self.cell_id = request["id"]
        # A cell may have redirected them and never put them back: each cell starts with the session's own.
        sys.stdout, sys.stderr = self.stdout, self.stderr
        try:
            if self.link is not None:
                self.link.start_cell(request.get("jobGroup"), "Sparkgate statement %s" % request.get("statement"))
            outcome = self.runner.run(request["code"], self.cell_id)
            try:
                with interrupts.UserCode(self.cell_id):
                    self.publisher.show_open_figures()
            except KeyboardInterrupt:
                pass  # the cell was interrupted: its figures are not wanted either
            except BaseException as e:
                print("[sparkgate] could not show the open figures: %s: %s" % (type(e).__name__, e), file=self.stderr)
            if isinstance(outcome, cells.Error) and outcome.ename == "KeyboardInterrupt" and self.link is not None:
                self.link.forget_interrupted_call()
            self.stdout.flush()
            self.stderr.flush()
            _write_fences(self.cell_id)
        except BaseException as e:  # a failure of the REPL itself must still end the statement
            outcome = cells.Error("ReplError", "%s: %s" % (type(e).__name__, e), [])
        reply = {"type": "result", "id": request["id"]}
        if isinstance(outcome, cells.Ok):
            reply.update(status="ok", data=outcome.data)
        else:
            reply.update(status="error", ename=outcome.ename, evalue=outcome.evalue, traceback=outcome.traceback)
        self.cell_id = None
        self.channel.send(reply)

    def _read_requests(self):
        while True:
            try:
                request = self.channel.receive()
            except Exception:
                request = None
            if request is None:
                # The driver has gone: nothing is left to report to.
                os._exit(0)
            op = request.get("op")
            if op == "execute":
                self.requests.put(request)
            elif op == "interrupt":
                interrupts.interrupt(request.get("cell"))
            elif op == "complete":
                self._answer(request, self._complete)
            elif op == "is_complete":
                self._answer(request, self._is_complete)
            elif op == "inspect":
                self._answer(request, self._inspect)
            elif op == "shutdown":
                self.requests.put(_SHUTDOWN)

    def _answer(self, request, handler):
        try:
            reply = handler(request)
        except Exception as e:
            reply = {"type": "unanswered", "reason": "%s: %s" % (type(e).__name__, e)}
        reply["id"] = request["id"]
        self.channel.send(reply)

    def _complete(self, request):
        candidates, start, end = completion.complete(self.namespace, request["code"], request["cursor"])
        return {"type": "completion", "candidates": candidates, "cursorStart": start, "cursorEnd": end}

    def _is_complete(self, request):
        status, indent = completion.is_complete(request["code"])
        return {"type": "completeness", "status": status, "indent": indent}

    def _inspect(self, request):
        found, text = inspection.inspect(self.namespace, request["code"], request["cursor"],
                                         request.get("detailLevel", 0))
        return {"type": "inspection", "found": found, "text": text}


def _write_fences(cell_id):
    """Marks the end of the cell in the real stdout and stderr, which programs the cell started write to:
    the driver passes their output on up to the fences before it ends the statement."""
    fence = ("\0sparkgate-fence:%d\0" % cell_id).encode("ascii")
    for fd in (1, 2):
        try:
            os.write(fd, fence)
        except OSError:
            pass  # the cell closed it; the driver waits for the fence only briefly


def main():
    port = int(os.environ.pop("SPARKGATE_REPL_PORT"))
    secret = os.environ.pop("SPARKGATE_REPL_SECRET")
    channel = Channel.connect(port, secret)
    interrupts.install()
    repl = Repl(channel)
    repl.redirect_io()
    pyspark_version = None
    try:
        if os.environ.pop("SPARKGATE_BIND_SPARK", "") == "1":
            from . import spark_link
            repl.link = spark_link.bind(repl.namespace)
            import pyspark
            pyspark_version = pyspark.__version__
    except BaseException as e:
        failure = cells.Error.of(e)
        sys.stderr.flush()
        channel.send({"type": "failed", "ename": failure.ename, "evalue": failure.evalue,
                      "traceback": failure.traceback})
        os._exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
    channel.send({"type": "ready", "python": "%d.%d.%d" % sys.version_info[:3], "pyspark": pyspark_version,
                  "spark": repl.link is not None})
    repl.serve()
    sys.stdout.flush()
    sys.stderr.flush()
    # os._exit: threads the user started must not keep a shut-down session's process alive.
    os._exit(0)
