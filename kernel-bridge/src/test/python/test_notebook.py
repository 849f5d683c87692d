"""nbclient, Jupyter's notebook runner, executes a sample Scala notebook through the Sparkgate kernel; the saved
outputs are what a notebook user would see."""
import os
import tempfile
import unittest

import nbformat
from nbclient import NotebookClient

NOTEBOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notebooks", "scala_spark_job.ipynb")


def text_of(output):
    if output["output_type"] == "stream":
        return output["text"]
    return output.get("data", {}).get("text/plain", "")


class NotebookTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.notebook = nbformat.read(NOTEBOOK, as_version=4)
        with tempfile.TemporaryDirectory() as workdir:
            # The first cell also waits for the Spark session to start.
            NotebookClient(cls.notebook, timeout=180, startup_timeout=60, kernel_name="sparkgate_scala",
                           resources={"metadata": {"path": workdir}}).execute()
        cls.cells = [cell for cell in cls.notebook.cells if cell.cell_type == "code"]

    def test_every_cell_ran_in_order(self):
        self.assertEqual([cell.execution_count for cell in self.cells], list(range(1, len(self.cells) + 1)))

    def test_printed_output_is_a_stdout_stream(self):
        stdout = [o for o in self.cells[0].outputs if o["output_type"] == "stream" and o["name"] == "stdout"]
        self.assertEqual("".join(o["text"] for o in stdout), "hello from Sparkgate\n")

    def test_a_value_is_an_execute_result(self):
        results = [o for o in self.cells[4].outputs if o["output_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertIn("Long = 55", results[0]["data"]["text/plain"])
        self.assertEqual(results[0]["execution_count"], 5)

    def test_a_spark_job_leaves_its_progress_bar_at_its_final_state(self):
        # the bar was displayed once and updated in place (update_display_data), so one output holds its last state
        bars = [o for o in self.cells[2].outputs
                if o["output_type"] == "display_data" and "text/html" in o["data"]]
        self.assertEqual(len(bars), 1)
        self.assertIn("<progress", bars[0]["data"]["text/html"])
        self.assertIn("100%", bars[0]["data"]["text/plain"])
        self.assertIn("4/4 tasks, done", bars[0]["data"]["text/plain"])
        results = [o for o in self.cells[2].outputs if o["output_type"] == "execute_result"]
        self.assertIn("Double = 36.0", results[0]["data"]["text/plain"])

    def test_show_prints_its_table(self):
        printed = "".join(text_of(o) for o in self.cells[3].outputs if o["output_type"] == "stream")
        self.assertIn("|square|", printed)
        self.assertIn("|    25|", printed)

    def test_an_error_is_saved_with_its_name_and_traceback(self):
        errors = [o for o in self.cells[5].outputs if o["output_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]["ename"], "java.lang.IllegalArgumentException")
        self.assertIn("expected in this notebook", "\n".join(errors[0]["traceback"]))


if __name__ == "__main__":
    unittest.main()
