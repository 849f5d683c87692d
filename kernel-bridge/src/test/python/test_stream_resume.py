"""A running cell whose stream drops: the kernel resumes the stream where it stopped, and the notebook gets the cell's
whole output, every line exactly once, and its result. The JUnit driver puts a proxy between the kernel and the
gateway; a connection to its control port (SPARKGATE_TEST_PROXY_CONTROL) drops every connection it carries."""
import os
import socket
import unittest

from jupyter_client.manager import start_new_kernel

from sparkgate_testing import run_cell, run_cell_watching_stdout

SCALA = "sparkgate_scala"
LINES = 30
# a line every 200 ms, about 6 s in all
CELL = 'for (i <- 1 to %d) { println(s"line $i"); Thread.sleep(200) }' % LINES
# when the stream is dropped: after these lines have arrived
DROP_AFTER = ("line 5\n", "line 15\n")


def drop_connections():
    """Drops every connection between the kernel and the gateway; returns how many there were."""
    port = int(os.environ["SPARKGATE_TEST_PROXY_CONTROL"])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as control:
        return int(control.makefile().readline().split()[1])


class StreamResumeTests(unittest.TestCase):

    def test_a_cell_completes_with_every_line_once_although_its_stream_drops_twice(self):
        manager, client = start_new_kernel(kernel_name=SCALA)
        try:
            # given a kernel whose session has started
            reply, _ = run_cell(client, "1 + 1")
            self.assertEqual(reply["status"], "ok", reply)

            # when a cell prints every 200 ms, and its stream is dropped twice while it runs
            drops = []

            def drop_when_due(printed):
                if len(drops) < len(DROP_AFTER) and DROP_AFTER[len(drops)] in printed:
                    drops.append(drop_connections())

            reply, printed, errors = run_cell_watching_stdout(client, CELL, drop_when_due)

            # then both drops cut a live connection, and the cell completed with every line once
            self.assertEqual(len(drops), 2, printed)
            self.assertTrue(all(dropped >= 1 for dropped in drops), drops)
            self.assertEqual(errors, [])
            self.assertEqual(reply["status"], "ok", reply)
            self.assertEqual(printed, "".join("line %d\n" % i for i in range(1, LINES + 1)))

            # and the kernel goes on on the resumed stream
            reply, _ = run_cell(client, "2 + 2")
            self.assertEqual(reply["status"], "ok", reply)
        finally:
            client.stop_channels()
            manager.shutdown_kernel()


if __name__ == "__main__":
    unittest.main()
