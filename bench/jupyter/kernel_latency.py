"""Round trip of a trivial cell through Jupyter kernels, as a notebook front end sees it: jupyter_client sends
execute_request and waits until the kernel's iopub says idle again (execute_interactive). Each kernel is started
fresh: its first cell after kernel_info answers (the first cell on a new session), then warm-up, then the steady
cells. Kernels compared in the same run: the Sparkgate kernels (installed by kernel-bridge's InstallKernelspecs) and
Debian's IPython kernel (python3-ipykernel). Prints Markdown.

Usage: /usr/bin/python3 kernel_latency.py (Debian's Python, where python3-jupyter-client is) ROUNDS KERNEL=CODE [KERNEL=CODE ...]
   e.g. /usr/bin/python3 kernel_latency.py 30 sparkgate_pyspark=1+1 python3=1+1
"""
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel

START_TIMEOUT = 300
CELL_TIMEOUT = 120
WARM_UP = 10


def cell(client, code):
    t0 = time.perf_counter()
    reply = client.execute_interactive(code, timeout=CELL_TIMEOUT, output_hook=lambda msg: None)
    elapsed = (time.perf_counter() - t0) * 1000
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"cell {code!r} failed: {reply['content']}")
    return elapsed


def measure(kernel, code, rounds):
    t0 = time.perf_counter()
    manager, client = start_new_kernel(kernel_name=kernel, startup_timeout=START_TIMEOUT)
    try:
        started = (time.perf_counter() - t0) * 1000
        first = cell(client, code)
        for _ in range(WARM_UP):
            cell(client, code)
        steady = sorted(cell(client, code) for _ in range(rounds))
        return started, first, steady
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)


def main(argv):
    rounds = int(argv[1])
    print("| kernel | cell | kernel start until ready ms | first cell ms | n | median ms | p90 ms | min ms | max ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for spec in argv[2:]:
        kernel, code = spec.split("=", 1)
        started, first, steady = measure(kernel, code, rounds)
        p90 = steady[max(0, -(-len(steady) * 9 // 10) - 1)]
        print(f"| {kernel} | `{code}` | {started:.0f} | {first:.1f} | {len(steady)} | "
              f"{statistics.median(steady):.1f} | {p90:.1f} | {steady[0]:.1f} | {steady[-1]:.1f} |")


if __name__ == "__main__":
    main(sys.argv)
