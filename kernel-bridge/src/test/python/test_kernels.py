"""Jupyter's own kernel test suite, unmodified, against each Sparkgate kernelspec that CI can run: Scala and SQL on
Spark, and PySpark as plain Python (the gateway runs with SPARKGATE_PYTHON_WITHOUT_PYSPARK=true). Every check a
kind can honestly pass is on; what stays off says why."""
import unittest

import jupyter_kernel_test

from sparkgate_testing import WarmKernel


class ScalaKernelTests(WarmKernel, jupyter_kernel_test.KernelTests):
    kernel_name = "sparkgate_scala"
    warm_up_code = "val warm = 1"

    language_name = "scala"
    file_extension = ".scala"

    code_hello_world = 'println("hello, world")'
    code_stderr = 'System.err.println("careful")'
    code_generate_error = 'throw new IllegalStateException("boom")'
    code_execute_result = [{"code": "val answer = 6 * 7", "result": "answer: Int = 42"}]
    # Scala has no display() of its own; a Spark job's progress bar is its display_data.
    code_display_data = [{"code": "sc.parallelize(1 to 8, 4).map { x => Thread.sleep(250); x }.count()",
                          "mime": "text/html"}]

    completion_samples = [{"text": "spark.ra", "matches": ["range"]}]
    complete_code_samples = ["val x = 1", "List(1, 2).map { i => i + 1 }", 'println("(")']
    incomplete_code_samples = ["def f(x: Int) = {", "List(1,", "val y ="]
    invalid_code_samples = ["val x = 1)", "List(1]"]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "val answer*"
    # Off: inspect (the Scala REPL offers no documentation to show), the pager and clear_output (no API for them).


class SqlKernelTests(WarmKernel, jupyter_kernel_test.KernelTests):
    kernel_name = "sparkgate_sql"
    warm_up_code = "SELECT 1"

    language_name = "sql"
    file_extension = ".sql"

    code_generate_error = "SELECT * FROM no_such_table"
    code_execute_result = [
        {"code": "SELECT 42 AS answer", "result": "+------+\n|answer|\n+------+\n|    42|\n+------+"},
        {"code": "SELECT 42 AS answer", "mime": "text/html"},
    ]
    # A query's Spark jobs show as a progress bar: SQL's display_data.
    code_display_data = [{"code": "SELECT count(*) FROM range(0, 8, 1, 4) "
                                  "WHERE reflect('java.lang.Thread', 'sleep', 250L) IS NULL", "mime": "text/html"}]

    completion_samples = [{"text": "SEL", "matches": ["SELECT"]}]
    complete_code_samples = ["SELECT 1", "SELECT 'a (' AS b -- (", "SELECT count(*) FROM range(3)"]
    incomplete_code_samples = ["SELECT (1", "SELECT 'open", "SELECT a,"]
    invalid_code_samples = ["SELECT 1)"]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "SELECT 42*"
    # Off: hello world and stderr (SQL prints nothing), inspect (nothing to document), the pager, clear_output.


class PythonKernelTests(WarmKernel, jupyter_kernel_test.KernelTests):
    kernel_name = "sparkgate_pyspark"
    warm_up_code = "warm = 1"

    language_name = "python"
    file_extension = ".py"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'import sys; print("careful", file=sys.stderr)'
    code_generate_error = 'raise ValueError("boom")'
    code_execute_result = [{"code": "6 * 7", "result": "42"}]
    code_display_data = [{"code": "display({'text/html': '<b>hi</b>', 'text/plain': 'hi'}, raw=True)",
                          "mime": "text/html"}]

    completion_samples = [{"text": "zi", "matches": ["zip"]}]
    complete_code_samples = ["1 + 1", "x = [1, 2]", "def f():\n    return 1\n"]
    incomplete_code_samples = ["def f():", "x = [1,"]
    invalid_code_samples = ["1 +)"]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6 *"
    code_inspect_sample = "zip"
    # Off: the pager and clear_output (no API for them in the driver's Python).


if __name__ == "__main__":
    unittest.main()
