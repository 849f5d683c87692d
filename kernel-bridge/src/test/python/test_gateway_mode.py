"""Jupyter Server in gateway mode (`jupyter server --gateway-url=...`), unchanged, runs its kernels on Sparkgate: a
client starts a kernel through the server, runs code, interrupts a long cell and deletes the kernel; the session
behind the kernel is Sparkgate's, owned by KERNEL_USERNAME."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import uuid

import websocket

from sparkgate_testing import await_session_state, gateway_get, gateway_token, gateway_url

SERVER_TOKEN = "jupyter-server-token"
USER = "notebook-user"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterServerGatewayTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.TemporaryDirectory(prefix="jupyter-server-")
        cls.port = free_port()
        env = dict(os.environ, KERNEL_USERNAME=USER,
                   JUPYTER_CONFIG_DIR=os.path.join(cls.home.name, "config"),
                   JUPYTER_DATA_DIR=os.path.join(cls.home.name, "data"),
                   JUPYTER_RUNTIME_DIR=os.path.join(cls.home.name, "runtime"))
        env.pop("JUPYTER_PATH", None)  # every kernelspec must come from the gateway
        command = [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root",
                   "--ServerApp.ip=127.0.0.1", "--ServerApp.port=%d" % cls.port,
                   "--ServerApp.port_retries=0", "--ServerApp.token=" + SERVER_TOKEN,
                   "--ServerApp.root_dir=" + cls.home.name, "--gateway-url=" + gateway_url()]
        if gateway_token():
            command.append("--GatewayClient.auth_token=" + gateway_token())
        cls.log = open(os.path.join(os.environ.get("SPARKGATE_TEST_LOG_DIR", cls.home.name),
                                    "jupyter-server.log"), "w")
        cls.server = subprocess.Popen(command, env=env, stdout=cls.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                cls.api("GET", "/api")
                break
            except (urllib.error.URLError, ConnectionError):
                if cls.server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("jupyter server did not start; see %s" % cls.log.name)
                time.sleep(0.3)

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        try:
            cls.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            cls.server.kill()
        cls.log.close()
        cls.home.cleanup()

    @classmethod
    def api(cls, method, path, body=None):
        """A request to Jupyter Server's REST API: (status, JSON body or None)."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request("http://127.0.0.1:%d%s" % (cls.port, path), data=data, method=method,
                                         headers={"Authorization": "token " + SERVER_TOKEN,
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw else None

    def test_the_servers_kernelspecs_are_the_gateways(self):
        status, specs = self.api("GET", "/api/kernelspecs")

        self.assertEqual(status, 200)
        self.assertEqual(set(specs["kernelspecs"]), {"sparkgate_pyspark", "sparkgate_scala", "sparkgate_sql"})
        self.assertEqual(specs["kernelspecs"]["sparkgate_scala"]["spec"]["language"], "scala")

    def test_a_kernel_started_through_the_server_runs_is_interrupted_and_deleted(self):
        # given a kernel started through Jupyter Server
        status, kernel = self.api("POST", "/api/kernels", {"name": "sparkgate_scala"})
        self.assertEqual(status, 201, kernel)
        kernel_id = kernel["id"]
        # it is a Sparkgate session, named by the kernel's id and owned by the notebook's user
        status, session = gateway_get("/sessions/" + kernel_id)
        self.assertEqual(status, 200)
        self.assertEqual(session["owner"], USER)
        self.assertEqual(session["kind"], "spark")

        channels = Channels(self.port, kernel_id)
        try:
            # when the client runs code, its output comes back through the server
            reply, outputs = channels.execute('println("hello through jupyter server"); 6 * 7', timeout=180)
            self.assertEqual(reply["content"]["status"], "ok")
            printed = "".join(m["content"]["text"] for m in outputs if m["header"]["msg_type"] == "stream"
                              and m["content"]["name"] == "stdout")
            self.assertEqual(printed, "hello through jupyter server\n")
            result = next(m for m in outputs if m["header"]["msg_type"] == "execute_result")
            self.assertIn("Int = 42", result["content"]["data"]["text/plain"])

            # and a long cell is interrupted through the server's REST API
            long_cell = channels.send_execute("Thread.sleep(120000)")
            channels.wait_for(lambda m: m["header"]["msg_type"] == "execute_input"
                              and m["parent_header"].get("msg_id") == long_cell)
            time.sleep(1)
            status, _ = self.api("POST", "/api/kernels/%s/interrupt" % kernel_id)
            self.assertEqual(status, 204)
            reply = channels.wait_for(lambda m: m["header"]["msg_type"] == "execute_reply"
                                      and m["parent_header"].get("msg_id") == long_cell, timeout=30)
            self.assertEqual(reply["content"]["status"], "error")
        finally:
            channels.close()

        # when the kernel is deleted, so is its session
        status, _ = self.api("DELETE", "/api/kernels/" + kernel_id)
        self.assertEqual(status, 204)
        await_session_state(kernel_id, ["gone"], timeout=30)
        status, kernels = self.api("GET", "/api/kernels")
        self.assertNotIn(kernel_id, [k["id"] for k in kernels])


class Channels:
    """A kernel's channels WebSocket through Jupyter Server, as a notebook front end uses it."""

    def __init__(self, port, kernel_id):
        self.session = uuid.uuid4().hex
        self.socket = websocket.create_connection(
            "ws://127.0.0.1:%d/api/kernels/%s/channels?session_id=%s&token=%s"
            % (port, kernel_id, self.session, SERVER_TOKEN), timeout=60)
        self.received = []
        self.wait_for_ready()

    def wait_for_ready(self, timeout=60):
        """Asks for kernel_info until it is answered, as jupyter_client does: Jupyter Server drops what a client
        sends before its own connection to the gateway is up."""
        deadline = time.monotonic() + timeout
        while True:
            request = self.send("kernel_info_request", {})
            try:
                return self.wait_for(lambda m: m["header"]["msg_type"] == "kernel_info_reply"
                                     and m["parent_header"].get("msg_id") == request, timeout=1)
            except AssertionError:
                if time.monotonic() > deadline:
                    raise

    def send(self, msg_type, content):
        msg_id = uuid.uuid4().hex
        self.socket.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": USER, "session": self.session,
                       "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [], "content": content}))
        return msg_id

    def send_execute(self, code):
        return self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                             "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})

    def wait_for(self, match, timeout=180):
        deadline = time.monotonic() + timeout
        for message in self.received:
            if match(message):
                return message
        while time.monotonic() < deadline:
            # short reads: the server's keep-alive pings would otherwise restart a long read's timeout forever
            self.socket.settimeout(1)
            try:
                message = json.loads(self.socket.recv())
            except websocket.WebSocketTimeoutException:
                continue
            self.received.append(message)
            if match(message):
                return message
        raise AssertionError("no matching message within %s s; got %s"
                             % (timeout, [m["header"]["msg_type"] for m in self.received]))

    def execute(self, code, timeout=180):
        msg_id = self.send_execute(code)
        self.wait_for(lambda m: m["header"]["msg_type"] == "status" and m["parent_header"].get("msg_id") == msg_id
                      and m["content"]["execution_state"] == "idle", timeout)
        mine = [m for m in self.received if m["parent_header"].get("msg_id") == msg_id]
        reply = next(m for m in mine if m["header"]["msg_type"] == "execute_reply")
        return reply, [m for m in mine if m["channel"] == "iopub"]

    def close(self):
        self.socket.close()


if __name__ == "__main__":
    unittest.main()
