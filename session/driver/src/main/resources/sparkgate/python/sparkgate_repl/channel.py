"""The REPL's one link to the driver JVM: JSON lines over an authenticated loopback socket.

stdout and stderr belong to the user's code (and to whatever it starts), so requests and replies never
travel there. The first line this side sends is the secret the driver handed over in the environment:
another local user who finds the port cannot drive the session.
"""
import json
import math
import socket
import threading

from . import interrupts


class Channel:
    def __init__(self, sock):
        self._sock = sock
        self._lines = sock.makefile("rb")
        self._send_lock = threading.Lock()

    @classmethod
    def connect(cls, port, secret):
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        channel = cls(sock)
        channel.send({"type": "hello", "secret": secret})
        return channel

    def receive(self):
        """The next request from the driver, or None once the driver has gone."""
        while True:
            line = self._lines.readline()
            if not line:
                return None
            if line.strip():
                return json.loads(line.decode("utf-8"))

    def send(self, message):
        data = (_encode(message) + "\n").encode("ascii")
        # Sent whole or not at all: a KeyboardInterrupt must not cut a message in half.
        with interrupts.Deferred():
            with self._send_lock:
                self._sock.sendall(data)


def _encode(message):
    # ASCII-only JSON survives anything user code prints, lone surrogates included.
    try:
        return json.dumps(message, ensure_ascii=True, allow_nan=False, default=str)
    except ValueError:
        # NaN and infinities are not JSON; the JVM side would refuse the whole line.
        return json.dumps(_finite(message), ensure_ascii=True, allow_nan=False, default=str)


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
