"""A running cell while the gateway crashes: the gateway is killed (kill -9) and started again on its port and work
directory; the session's driver dials the new gateway back, the kernel resumes its stream, and the notebook gets the
cell's whole output, every line exactly once, and its result; the next cell runs. A connection to the JUnit driver's
control port (SPARKGATE_TEST_RESTART_CONTROL) does the kill and the restart, and answers once the new gateway listens."""
import os
import socket
import unittest

from jupyter_client.manager import start_new_kernel

from sparkgate_testing import run_cell, run_cell_watching_stdout

SCALA = "sparkgate_scala"
LINES = 30
# a line every 200 ms, about 6 s in all
CELL = 'for (i <- 1 to %d) { println(s"line $i"); Thread.sleep(200) }' % LINES
# when the gateway is killed: after this line has arrived
KILL_AFTER = "line 5\n"


def kill_and_restart_gateway():
    """Has the gateway killed and started again; returns once the new one listens."""
    port = int(os.environ["SPARKGATE_TEST_RESTART_CONTROL"])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as control:
        control.settimeout(90)
        answer = control.makefile().readline().strip()
    if answer != "restarted":
        raise AssertionError("the gateway was not restarted (answer %r); see the gateway's log" % answer)


class GatewayRestartTests(unittest.TestCase):

    def test_a_cell_completes_with_every_line_once_although_the_gateway_is_killed_and_restarted(self):
        manager, client = start_new_kernel(kernel_name=SCALA)
        try:
            # given a kernel whose session has started
            reply, _ = run_cell(client, "1 + 1")
            self.assertEqual(reply["status"], "ok", reply)

            # when a cell prints every 200 ms, and the gateway is killed and started again while it runs
            restarts = []

            def restart_when_due(printed):
                if not restarts and KILL_AFTER in printed:
                    kill_and_restart_gateway()
                    restarts.append(printed)

            reply, printed, errors = run_cell_watching_stdout(client, CELL, restart_when_due)

            # then the cell completed with every line once, through the restart
            self.assertEqual(len(restarts), 1, printed)
            self.assertEqual(errors, [])
            self.assertEqual(reply["status"], "ok", reply)
            self.assertEqual(printed, "".join("line %d\n" % i for i in range(1, LINES + 1)))

            # and the next cell runs, on the new gateway
            reply, _ = run_cell(client, "2 + 2")
            self.assertEqual(reply["status"], "ok", reply)
        finally:
            client.stop_channels()
            manager.shutdown_kernel()


if __name__ == "__main__":
    unittest.main()
