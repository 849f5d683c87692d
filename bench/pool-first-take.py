#!/usr/bin/env python3
"""Takes from a gateway's warm pool as a new client does, and prints how long each took.

    python3 bench/pool-first-take.py URL [takes, default 3] [seconds between takes, default 40]

Each take POSTs a session with the gateway's defaults and polls its state every 2 ms until it is idle, with Python's
own HTTP client (which warms nothing in the gateway), so the first take after a gateway started shows what that
gateway's first session costs. Start the gateway with SPARKGATE_WARM_SESSIONS=1 and give the pool time to fill
first; the gateway's log (created, took a warm driver, driver ready) splits each take.
"""
import json
import sys
import time
import urllib.request


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def take(base):
    t0 = time.monotonic()
    session = call(base, "POST", "/sessions", {"kind": "spark"})
    posted = time.monotonic()
    while True:
        state = call(base, "GET", "/sessions/%d/state" % session["id"])["state"]
        if state == "idle":
            break
        if state in ("error", "dead", "killed"):
            raise SystemExit("session %d ended %s; see GET %s/sessions/%d/log" % (session["id"], state, base,
                                                                                  session["id"]))
        time.sleep(0.002)
    idle = time.monotonic()
    call(base, "DELETE", "/sessions/%d" % session["id"])
    return session["id"], (posted - t0) * 1000, (idle - t0) * 1000


def main():
    base = sys.argv[1].rstrip("/")
    takes = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    pause = float(sys.argv[3]) if len(sys.argv) > 3 else 40
    print("| take | session | POST answered ms | idle ms |")
    print("|---|---|---|---|")
    for n in range(1, takes + 1):
        session, posted, idle = take(base)
        print("| %d | %d | %.0f | %.0f |" % (n, session, posted, idle), flush=True)
        if n < takes:
            time.sleep(pause)


if __name__ == "__main__":
    main()
