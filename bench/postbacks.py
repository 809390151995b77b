"""Postbacks: notifications delivered per second to a local receiver, and the lag
from an event's instant to its delivery.

    .venv/bin/python -m bench.postbacks [--texts 5000] [--stream 1000] [--subscriptions 1]

Two runs of the real ``serve`` on fresh databases, each with a threaded HTTP
receiver in this process that answers 200 at once:

* **throughput**: at ``--sim-speed 0``, one text broadcast of ``--texts``
  numbers (MaxActive 1000), the clock moved an hour in one step: every text
  finishes and the deliverer posts the burst.  Notifications per second from
  the first to the last one received, over ``--subscriptions`` subscriptions
  (each delivered in its own order; several go side by side).
* **lag**: at the default speed (600), a broadcast of ``--stream`` numbers at
  MaxActive 1 (a text every 2 simulated seconds: 300 a second of real time,
  below the throughput, so the lag is the deliverer's, not a queue's), no
  request meanwhile.  For
  each notification, its arrival minus the real moment its simulated instant
  came (the clock's anchor and speed are in the database): p50, p99 and max.

Nothing here asserts a speed: it measures.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .__main__ import AUTH, ENVELOPE, LOGIN, PASSWORD, Row, _free_port, load, print_table, \
    process

SUBSCRIBE = ("<svc:CreateSubscription><data:Subscription><data:Endpoint>%s</data:Endpoint>"
             "<data:NotificationFormat>JSON</data:NotificationFormat>"
             "<data:TriggerEvent>OUTBOUND_TEXT_FINISHED</data:TriggerEvent>"
             "</data:Subscription></svc:CreateSubscription>")


class Receiver:
    def __init__(self):
        self.arrivals: list[tuple[float, bytes]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the deliverer's pool wants

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.arrivals.append((time.time(), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d/hook" % self.http.server_address[1]

    def wait(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while len(self.arrivals) < count and time.monotonic() < deadline:
            time.sleep(0.02)


def _soap(base: str, service: str, body: str) -> bytes:
    status, content = load.post(base + "/api/1.1/soap12/" + service, ENVELOPE % body, AUTH)
    if status != 200:
        raise RuntimeError("%s: %s" % (status, content[:300]))
    return content


def _text_broadcast(base: str, numbers: int, max_active: int) -> None:
    created = _soap(base, "broadcast", "<svc:CreateBroadcast><data:Broadcast><data:Name>bench"
                    "</data:Name><data:TextBroadcastConfig><data:Message>bench</data:Message>"
                    "</data:TextBroadcastConfig></data:Broadcast></svc:CreateBroadcast>")
    broadcast = re.search(rb"<svc:CreatedId>(\d+)<", created).group(1).decode()
    _soap(base, "broadcast", "<svc:CreateContactBatch><svc:BroadcastId>%s</svc:BroadcastId>%s"
          "</svc:CreateContactBatch>" % (broadcast, "".join(
              "<svc:ToNumber>1310%07d</svc:ToNumber>" % (2000000 + i) for i in range(numbers))))
    _soap(base, "broadcast", "<svc:ControlBroadcast><svc:Id>%s</svc:Id><svc:Command>START"
          "</svc:Command><svc:MaxActive>%d</svc:MaxActive></svc:ControlBroadcast>"
          % (broadcast, max_active))


def _serve(db: str, port: int, *args: str):
    env = dict(os.environ, CALLFIRE_SOAP_LOGIN=LOGIN, CALLFIRE_SOAP_PASSWORD=PASSWORD)
    return process([sys.executable, "-m", "callfire_soap", "serve", "--db", db, "--port",
                    str(port), *args], "http://127.0.0.1:%d/api/1.1/wsdl/" % port, env=env)


def throughput(tmp: str, texts: int, subscriptions: int) -> list[Row]:
    receiver, port = Receiver(), _free_port()
    db = str(Path(tmp) / "throughput.db")
    with _serve(db, port, "--sim-speed", "0"):
        base = "http://127.0.0.1:%d" % port
        for _ in range(subscriptions):
            _soap(base, "subscription", SUBSCRIBE % receiver.url)
        _text_broadcast(base, texts, 1000)
        started = time.time()
        subprocess.run([sys.executable, "-m", "callfire_soap", "sim", "advance", "3600",
                        "--db", db], check=True, capture_output=True)
        receiver.wait(texts * subscriptions, 600)
    got = len(receiver.arrivals)
    first, last = receiver.arrivals[0][0], receiver.arrivals[-1][0]
    rate = (got - 1) / (last - first) if got > 1 else 0.0
    return [Row("postbacks, %d texts x %d subscription(s), burst" % (texts, subscriptions),
                "%d delivered, %.0f/s (first after %.2f s)" % (got, rate, first - started),
                ">= 500/s")]


def lag(tmp: str, stream: int) -> list[Row]:
    receiver, port = Receiver(), _free_port()
    db = str(Path(tmp) / "lag.db")
    with _serve(db, port):
        base = "http://127.0.0.1:%d" % port
        _soap(base, "subscription", SUBSCRIBE % receiver.url)
        _text_broadcast(base, stream, 1)
        receiver.wait(stream, 120)
        conn = sqlite3.connect(db)
        real_anchor, sim_anchor, speed = conn.execute(
            "SELECT real_anchor, sim_anchor, speed FROM sim_clock").fetchone()
        instants = dict(conn.execute("SELECT body, instant FROM postbacks"))
    lags = sorted(at - (real_anchor + (instants[body] - sim_anchor) / speed)
                  for at, body in receiver.arrivals)
    first = json.loads(receiver.arrivals[0][1])["TextNotification"]["Text"]["@id"]

    def pct(p: float) -> float:
        return lags[min(len(lags) - 1, int(p * len(lags)))] * 1000

    return [Row("postbacks, %d texts at 600x, lag event -> delivery" % stream,
                "p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d delivered; first text %s)" % (
                    pct(0.5), pct(0.99), lags[-1] * 1000, len(lags), first),
                "within 1 s")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.postbacks",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=5000)
    parser.add_argument("--stream", type=int, default=1000)
    parser.add_argument("--subscriptions", type=int, default=1)
    args = parser.parse_args(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            rows += throughput(tmp, args.texts, args.subscriptions)
            rows += lag(tmp, args.stream)
        finally:
            print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
