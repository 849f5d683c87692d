"""A Sparkgate kernel's session over its life, and what the notebook user sees when something is wrong: one clear
error per cell, never a hang or a stack trace."""
import json
import os
import re
import shutil
import signal
import tempfile
import time
import unittest

from jupyter_client.manager import start_new_kernel

from sparkgate_testing import await_session_state, gateway_request, run_cell

# A build started in the background by a non-interactive shell (`.ci/run &`) runs with SIGINT ignored, and every
# kernel started from here would inherit that; a JVM keeps an inherited ignore of SIGINT (Java's Signal.handle leaves
# it in place), so the signal below would test the shell that started the build, not the kernel. A Jupyter started in
# the foreground starts its kernels with SIGINT at its default: so does this test. (Kernels exec'd by jupyter_client
# get the default for any signal this process handles.)
signal.signal(signal.SIGINT, signal.default_int_handler)

SQL = "sparkgate_sql"
# About 30 s of Spark tasks, unless cancelled.
LONG_QUERY = "SELECT count(*) FROM range(0, 600, 1, 2) WHERE reflect('java.lang.Thread', 'sleep', 100L) IS NULL"


class KernelLifecycleTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        # Variants of the installed SQL kernelspec (another gateway, token or session), found through JUPYTER_PATH.
        cls.variants = tempfile.mkdtemp(prefix="sparkgate-kernelspecs-")
        cls.original_path = os.environ.get("JUPYTER_PATH", "")
        os.environ["JUPYTER_PATH"] = os.pathsep.join([cls.variants, cls.original_path])

    @classmethod
    def tearDownClass(cls):
        os.environ["JUPYTER_PATH"] = cls.original_path
        shutil.rmtree(cls.variants, ignore_errors=True)

    def kernelspec_variant(self, name, **env):
        source = next(os.path.join(d, "kernels", SQL, "kernel.json") for d in self.original_path.split(os.pathsep)
                      if os.path.exists(os.path.join(d, "kernels", SQL, "kernel.json")))
        with open(source) as f:
            spec = json.load(f)
        spec["env"].update(env)
        os.makedirs(os.path.join(self.variants, "kernels", name))
        with open(os.path.join(self.variants, "kernels", name, "kernel.json"), "w") as f:
            json.dump(spec, f)
        return name

    def start(self, kernel_name):
        manager, client = start_new_kernel(kernel_name=kernel_name)

        def stop():
            client.stop_channels()
            manager.shutdown_kernel()
        return manager, client, stop

    @staticmethod
    def session_of(client):
        client.kernel_info()
        banner = client.get_shell_msg(timeout=30)["content"]["banner"]
        return int(re.search(r"session (\d+)", banner).group(1))

    def assert_one_clear_error(self, outputs, reply, *phrases):
        errors = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1, outputs)
        self.assertEqual(reply["status"], "error")
        for phrase in phrases:
            self.assertIn(phrase, errors[0]["content"]["evalue"])
        self.assertEqual(errors[0]["content"]["traceback"], [errors[0]["content"]["evalue"]])

    def test_shutting_down_a_kernel_deletes_its_session(self):
        manager, client, stop = self.start(SQL)
        reply, _ = run_cell(client, "SELECT 1")
        session = self.session_of(client)

        stop()

        self.assertEqual(reply["status"], "ok")
        await_session_state(session, ["gone"], timeout=60)

    def test_a_kernel_attached_by_name_leaves_the_session_running(self):
        status, created = gateway_request("POST", "/sessions", {"kind": "sql", "name": "shared-notebook"})
        self.assertEqual(status, 201, created)
        await_session_state("shared-notebook", ["idle"])
        manager, client, stop = self.start(self.kernelspec_variant("sql_attached", SPARKGATE_SESSION_NAME="shared-notebook"))
        try:
            reply, _ = run_cell(client, "SELECT 1")
            attached_to = self.session_of(client)
        finally:
            stop()

        self.assertEqual(reply["status"], "ok")
        self.assertEqual(attached_to, created["id"])
        self.assertEqual(await_session_state(created["id"], ["idle", "busy"]), "idle")
        gateway_request("DELETE", "/sessions/%d" % created["id"])

    def test_an_interrupt_cancels_the_cell_by_message_and_by_signal(self):
        manager, client, stop = self.start(SQL)
        try:
            run_cell(client, "SELECT 1")
            for interrupt in (manager.interrupt_kernel, lambda: manager.signal_kernel(signal.SIGINT)):
                msg_id = client.execute(LONG_QUERY)
                time.sleep(2)
                started = time.monotonic()

                interrupt()

                reply = client.get_shell_msg(timeout=30)
                while reply["parent_header"].get("msg_id") != msg_id:
                    reply = client.get_shell_msg(timeout=30)
                self.assertEqual(reply["content"]["status"], "error")
                self.assertLess(time.monotonic() - started, 20)
            reply, _ = run_cell(client, "SELECT 2")
            self.assertEqual(reply["status"], "ok", "the kernel goes on after an interrupt")
        finally:
            stop()

    def test_a_session_deleted_under_the_kernel_is_one_clear_error(self):
        manager, client, stop = self.start(SQL)
        try:
            run_cell(client, "SELECT 1")
            session = self.session_of(client)
            gateway_request("DELETE", "/sessions/%d" % session)

            reply, outputs = run_cell(client, "SELECT 2", timeout=30)

            self.assert_one_clear_error(outputs, reply, "session %d" % session, "Restart the kernel")
        finally:
            stop()

    def test_a_wrong_token_is_one_clear_error(self):
        manager, client, stop = self.start(self.kernelspec_variant("sql_bad_token", SPARKGATE_TOKEN="not-the-token"))
        try:
            reply, outputs = run_cell(client, "SELECT 1", timeout=30)

            self.assert_one_clear_error(outputs, reply, "refused the token")
        finally:
            stop()

    def test_an_unreachable_gateway_is_one_clear_error(self):
        manager, client, stop = self.start(self.kernelspec_variant("sql_no_gateway",
                                                                   SPARKGATE_GATEWAY_URL="http://127.0.0.1:9"))
        try:
            reply, outputs = run_cell(client, "SELECT 1", timeout=30)

            self.assert_one_clear_error(outputs, reply, "Cannot reach the Sparkgate gateway at http://127.0.0.1:9")
        finally:
            stop()


if __name__ == "__main__":
    unittest.main()
