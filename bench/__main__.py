"""The benchmark: the real server against the floor, over loopback, as a table.

    .venv/bin/python -m bench [--workers 2] [--duration 10] [--only get,update,...]

Starts ``callfire-soap serve --workers N`` on a fresh database and, beside it,
the floor (``bench/floor.py`` under granian with the same worker count), then
loads them from separate processes: wrk where installed, a Python load
generator otherwise.  Every throughput figure is also given as a ratio to the
floor's, with the load average at the time.  Nothing here asserts a speed: it
measures.
"""
from __future__ import annotations

import argparse
import base64
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from . import load

ROOT = Path(__file__).resolve().parent.parent
LOGIN, PASSWORD = "bench", "bench-password"
ADMIN_LOGIN, ADMIN_PASSWORD = "bench-admin", "bench-admin-password"  # the console's
AUTH = "Basic " + base64.b64encode(("%s:%s" % (LOGIN, PASSWORD)).encode()).decode()
ENVELOPE = ('<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:svc="http://api.callfire.com/service/xsd" '
            'xmlns:data="http://api.callfire.com/data"><env:Body>%s</env:Body></env:Envelope>')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("process exited: %s" % proc.args)
        try:
            with socket.create_connection(url.split("//")[1].split("/")[0].split(":"), 1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("not up: %s" % url)


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open("/proc/%d/status" % current) as status:
                total += next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmRSS"))
            for task in os.listdir("/proc/%d/task" % current):
                with open("/proc/%d/task/%s/children" % (current, task)) as children:
                    todo.extend(int(c) for c in children.read().split())
        except (OSError, StopIteration):
            continue
    return total


class PeakMemory:
    """Samples the server's process tree while a scenario runs."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()

    def __enter__(self):
        self.peak = _tree_rss(self.pid)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _tree_rss(self.pid))

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()


@contextmanager
def process(args: list[str], url: str, env: dict | None = None, cwd: Path | None = None):
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        _wait_up(url, proc)
        yield proc
    finally:
        proc.terminate()
        proc.wait(20)


def soap(url: str, body: str) -> bytes:
    """One SOAP call; returns the response body (raises on a fault)."""
    status, content = load.post(url, ENVELOPE % body, AUTH)
    if status != 200:
        raise RuntimeError("%s: %s" % (status, content[:500]))
    return content


class Row:
    def __init__(self, scenario, result, target, ratio="", loadavg=None):
        self.cells = [scenario, result, target, ratio,
                      "%.2f" % (loadavg if loadavg is not None else os.getloadavg()[0])]


def print_table(rows: list[Row]) -> None:
    header = ["scenario", "result", "target", "ratio to floor", "load avg"]
    widths = [max(len(r[i]) for r in [header] + [row.cells for row in rows])
              for i in range(len(header))]
    for line in [header, ["-" * w for w in widths]] + [row.cells for row in rows]:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run")
    parser.add_argument("--only", default="get,update,import,query,paging,broadcast,text,console",
                        help="comma-separated scenarios (default: all)")
    parser.add_argument("--large", type=int, default=1_000_000,
                        help="contacts for the large-table scenarios (default 1,000,000)")
    args = parser.parse_args(argv)
    scenarios = args.only.split(",")
    print("load generator: %s; %d CPUs; workers %d" % (
        "wrk" if shutil.which("wrk") else "python", os.cpu_count(), args.workers))

    from . import scenarios as runs  # imports the project: after argument parsing

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        floor_port, port = _free_port(), _free_port()
        floor_url = "http://127.0.0.1:%d/" % floor_port
        base = "http://127.0.0.1:%d" % port
        env = dict(os.environ, CALLFIRE_SOAP_LOGIN=LOGIN, CALLFIRE_SOAP_PASSWORD=PASSWORD,
                   CALLFIRE_SOAP_ADMIN_PASSWORD=ADMIN_PASSWORD)
        db = str(Path(tmp) / "bench.db")
        with process([sys.executable, "-m", "granian", "--interface", "wsgi", "--workers",
                      str(args.workers), "--port", str(floor_port), "--no-ws",
                      "--log-level", "error", "floor:app"], floor_url,
                     cwd=ROOT / "bench"), \
                process([sys.executable, "-m", "callfire_soap", "serve", "--db", db,
                         "--port", str(port), "--workers", str(args.workers),
                         "--admin-login", ADMIN_LOGIN],
                        base + "/api/1.1/wsdl/", env=env) as server:
            context = runs.Context(base=base, floor_url=floor_url, db=db,
                                   duration=args.duration, server_pid=server.pid,
                                   large=args.large)
            try:
                for name, scenario in runs.SCENARIOS.items():
                    if name in scenarios:
                        rows.extend(scenario(context))
            finally:  # what was measured is shown even if a later scenario fails
                print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
