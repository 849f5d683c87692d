"""sys.stdout and sys.stderr of the user's code: text reaches the driver while the cell still runs.

A complete line is sent at once. A partial line (a progress dot, `print(..., end="")`) waits a moment
for the rest of its line and is then sent anyway by the flusher thread, so nothing sits in a buffer until
the end of the cell. Output of programs the cell starts goes to the process's real stdout and stderr,
which the driver reads separately.
"""
import io
import threading
import time

PARTIAL_LINE_WAIT = 0.05
MAX_BUFFERED = 8192


class ChannelStream(io.TextIOBase):
    def __init__(self, name, channel, cell_id, fd, flusher):
        super().__init__()
        self._name = name
        self._channel = channel
        self._cell_id = cell_id
        self._fd = fd
        self._flusher = flusher
        self._lock = threading.RLock()
        self._parts = []
        self._size = 0
        self.buffer = _BytesToText(self)

    @property
    def name(self):
        return "<%s>" % self._name

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "strict"

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        # Lets `subprocess.run(..., stdout=sys.stdout)` work: the child writes to the real stream.
        return self._fd

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        if not text:
            return 0
        with self._lock:
            self._parts.append(text)
            self._size += len(text)
            if "\n" in text or self._size >= MAX_BUFFERED:
                self._send_buffered()
            elif len(self._parts) == 1:
                self._flusher.wake()
        return len(text)

    def flush(self):
        with self._lock:
            self._send_buffered()

    def _send_buffered(self):
        if not self._parts:
            return
        text = "".join(self._parts)
        self._parts = []
        self._size = 0
        self._channel.send({"type": "stream", "cell": self._cell_id(), "name": self._name, "text": text})


class _BytesToText:
    """sys.stdout.buffer, for code that writes bytes."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, data):
        self._stream.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self):
        self._stream.flush()


class Flusher(threading.Thread):
    """Sends partial lines that have waited long enough."""

    def __init__(self):
        super().__init__(name="sparkgate-flusher", daemon=True)
        self._wanted = threading.Event()
        self.streams = []

    def wake(self):
        self._wanted.set()

    def run(self):
        while True:
            self._wanted.wait()
            self._wanted.clear()
            time.sleep(PARTIAL_LINE_WAIT)
            for stream in self.streams:
                try:
                    stream.flush()
                except Exception:
                    pass
