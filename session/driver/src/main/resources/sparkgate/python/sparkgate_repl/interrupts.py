"""When a SIGINT becomes a KeyboardInterrupt.

The driver interrupts a cell by asking this process, over the channel, to SIGINT its main thread (Java has
no way to send a signal, and Python runs signal handlers in the main thread only, which is also where cells
run). Python then raises KeyboardInterrupt wherever the main thread is. That is right inside the user's
code and wrong anywhere in the REPL's own code: between cells it would end the loop, and in the middle of
a write to the channel it would cut a message in half. So the handler raises only while a cell's code
runs, and an interrupt that arrives while the main thread writes to the channel waits until the write is
done.

An interrupt names its cell. One that arrives before its cell's code has started (the request and the
interrupt can cross on the way) stops the cell as soon as it starts; one for a cell that has ended is
dropped.
"""
import signal
import threading

_main_thread = threading.main_thread()
_running_cell = None
_in_user_code = False
_interrupted_cell = None
_deferring = 0
_pending = False


def install():
    """Makes SIGINT follow the rules above; call again after code that installs its own handler (pyspark)."""
    signal.signal(signal.SIGINT, _on_sigint)


def interrupt(cell_id):
    """Interrupts the cell `cell_id`: now if its code runs, else as soon as it starts."""
    global _interrupted_cell
    _interrupted_cell = cell_id
    if _in_user_code and _running_cell == cell_id:
        signal.pthread_kill(_main_thread.ident, signal.SIGINT)


def _on_sigint(signum, frame):
    global _pending
    if not _in_user_code:
        return
    if _deferring:
        _pending = True
        return
    raise KeyboardInterrupt


class UserCode:
    """Marks the main thread as running the code of cell `cell_id`: interrupts raise KeyboardInterrupt."""

    def __init__(self, cell_id):
        self._cell_id = cell_id

    def __enter__(self):
        global _running_cell, _in_user_code, _pending
        _pending = False
        _running_cell = self._cell_id
        _in_user_code = True
        if _interrupted_cell == self._cell_id:
            _in_user_code = False  # __exit__ is not called when __enter__ raises
            raise KeyboardInterrupt
        return self

    def __exit__(self, *exc):
        global _in_user_code
        _in_user_code = False
        return False


class Deferred:
    """A region of REPL code in which an interrupt waits; re-raised when the region ends."""

    def __enter__(self):
        global _deferring
        if threading.current_thread() is _main_thread:
            _deferring += 1
        return self

    def __exit__(self, exc_type, exc, tb):
        global _deferring, _pending
        if threading.current_thread() is not _main_thread:
            return False
        _deferring -= 1
        if _deferring == 0 and _pending and _in_user_code and exc_type is None:
            _pending = False
            raise KeyboardInterrupt
        return False
