"""What the Sparkgate Jupyter tests share: the gateway under test, and running a cell to its end."""
import json
import os
import time
import urllib.error
import urllib.request

TIMEOUT = 180


def gateway_url():
    """The Sparkgate gateway the JUnit driver started (SPARKGATE_TEST_GATEWAY_URL)."""
    return os.environ["SPARKGATE_TEST_GATEWAY_URL"].rstrip("/")


def gateway_token():
    return os.environ.get("SPARKGATE_TEST_GATEWAY_TOKEN") or None


def gateway_get(path):
    """GET from the gateway's own API: (status, JSON body)."""
    return gateway_request("GET", path)


def gateway_request(method, path, body=None):
    """A request to the gateway's own API (Livy's): (status, JSON body)."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(gateway_url() + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    if gateway_token():
        request.add_header("Authorization", "Bearer " + gateway_token())
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def await_session_state(session, states, timeout=TIMEOUT):
    """Polls the gateway until the session (id or name) is in one of states; 'gone' means 404."""
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        status, body = gateway_get("/sessions/%s" % session)
        seen = "gone" if status == 404 else body["state"]
        if seen in states:
            return seen
        time.sleep(0.2)
    raise AssertionError("session %s did not become %s; it is %s" % (session, states, seen))


def run_cell(client, code, timeout=TIMEOUT):
    """Executes code through a jupyter_client KernelClient; returns (reply content, iopub messages of the cell)."""
    msg_id = client.execute(code)
    outputs = []
    deadline = time.monotonic() + timeout
    while True:
        message = client.get_iopub_msg(timeout=max(1, deadline - time.monotonic()))
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "status":
            if message["content"]["execution_state"] == "idle":
                break
            continue
        outputs.append(message)
    while True:
        reply = client.get_shell_msg(timeout=max(1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"], outputs


def run_cell_watching_stdout(client, code, on_stdout, timeout=TIMEOUT):
    """Executes code, calling on_stdout with all the cell has printed so far at each stdout message (to act mid-cell);
    returns (reply content, everything printed, error contents)."""
    msg_id = client.execute(code)
    printed, errors = "", []
    deadline = time.monotonic() + timeout
    while True:
        message = client.get_iopub_msg(timeout=max(1, deadline - time.monotonic()))
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind == "error":
            errors.append(content)
        if kind == "stream" and content["name"] == "stdout":
            printed += content["text"]
            on_stdout(printed)
    while True:
        reply = client.get_shell_msg(timeout=max(1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"], printed, errors


class WarmKernel:
    """Mixed into a KernelTests subclass: its first cell waits for the Spark session to start (the suite's own
    15 s per request is for cells, not for starting Spark), and reports the session's failure if it cannot."""

    warm_up_code = ""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reply, outputs = run_cell(cls.kc, cls.warm_up_code)
        if reply["status"] != "ok":
            raise AssertionError("the %s kernel's session did not start: %s: %s"
                                 % (cls.kernel_name, reply.get("ename"), reply.get("evalue")))
