"""Running one notebook cell: many statements, and the value of the last expression is the result.

Errors come back in the shape notebooks show (ename, evalue, traceback lines), and the traceback starts
at the user's code: the REPL's own frames are noise to the person reading it.
"""
import ast
import linecache
import os
import traceback

from . import interrupts, magics, rich

_REPL_DIR = os.path.dirname(os.path.abspath(__file__))
# Cells are kept for tracebacks to quote their lines; one of several MB (data pasted as code) is not.
_MAX_CACHED_CELL = 256 * 1024


class Ok:
    def __init__(self, data):
        self.data = data


class Error:
    def __init__(self, ename, evalue, traceback_lines):
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback_lines

    @classmethod
    def of(cls, exc):
        return cls(type(exc).__name__, str(exc), _user_traceback(exc))


class CellRunner:
    def __init__(self, namespace):
        self.namespace = namespace
        self._count = 0

    def run(self, code, cell_id):
        """Runs a cell: Ok(bundle) or Error. Call on the main thread (interrupts are delivered there)."""
        self._count += 1
        filename = "<cell %d>" % self._count
        if len(code) <= _MAX_CACHED_CELL:
            linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        try:
            tree = compile(code, filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        except SyntaxError as e:
            chunks = magics.split(code)
            if chunks is None:
                return Error(type(e).__name__, str(e), traceback.format_exception_only(type(e), e))
            return self._run_with_magics(chunks, filename, cell_id)
        except (ValueError, OverflowError) as e:  # e.g. a NUL byte in the source
            return Error(type(e).__name__, str(e), traceback.format_exception_only(type(e), e))
        try:
            with interrupts.UserCode(cell_id):
                return Ok(self._run_tree(tree, filename))
        except BaseException as e:  # KeyboardInterrupt and SystemExit are the cell's outcome too
            return Error.of(e)

    def _run_tree(self, tree, filename):
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        if tree.body:
            exec(compile(tree, filename, "exec", dont_inherit=True), self.namespace)
        if last is None:
            return {}
        value = eval(compile(ast.Expression(last.value), filename, "eval", dont_inherit=True), self.namespace)
        if value is None:
            return {}
        self.namespace["_"] = value
        # A DataFrame as a cell's value shows its first rows, as a notebook user expects (Spark's eager
        # evaluation in the REPL), not its schema's repr.
        return rich.display_bundle(value)

    def _run_with_magics(self, chunks, filename, cell_id):
        result = {}
        for is_magic, text in chunks:
            try:
                if is_magic:
                    with interrupts.UserCode(cell_id):
                        result = magics.run(text, self.namespace)
                    continue
                tree = compile(text, filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
            except SyntaxError as e:
                return Error(type(e).__name__, str(e), traceback.format_exception_only(type(e), e))
            except BaseException as e:
                return Error(type(e).__name__, str(e), traceback.format_exception_only(type(e), e))
            try:
                with interrupts.UserCode(cell_id):
                    result = self._run_tree(tree, filename)
            except BaseException as e:
                return Error.of(e)
        return Ok(result)


def _user_traceback(exc):
    """The traceback from the cell's first frame to the frame that raised, without the REPL around it:
    its runner on top, and at the bottom the signal handler that turned an interrupt into an exception."""
    report = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    frames = list(report.stack)
    while frames and _is_repl_file(frames[0].filename):
        frames.pop(0)
    while frames and _is_repl_file(frames[-1].filename):
        frames.pop()
    report.stack = traceback.StackSummary.from_list(frames)
    return list(report.format())


def _is_repl_file(filename):
    return os.path.dirname(os.path.abspath(filename)) == _REPL_DIR
