"""The Python side of a Sparkgate session: a notebook-cell REPL driven by the session's driver JVM.

The driver (dev.sparkgate.driver.python.PythonInterpreter) starts one such process per session and talks
to it over a loopback socket (channel.py). Standard library only, Python 3.8+.
"""
