"""What the request journal costs one GetContact, in CPU, with no load generator.

    .venv/bin/python -m bench.journal [--requests 20000] [--rounds 6]

The whole-server benchmark (``python -m bench --only get``, run once with
``CALLFIRE_SOAP_JOURNAL=off`` and once without) moves with everything else the
machine runs.  Here the WSGI application is called in process, journal on and
journal off in alternating rounds on fresh databases, and the process's CPU
time (every thread's: the journal writer's included) is divided by the
requests.  Nothing here asserts a speed: it measures.
"""
from __future__ import annotations

import argparse
import base64
import io
import statistics
import tempfile
import time
from pathlib import Path

from callfire_soap.app import DEFAULT_JOURNAL, create_app

from .__main__ import ENVELOPE

BODY = (ENVELOPE % "<svc:GetContact><svc:Id>1</svc:Id></svc:GetContact>").encode()
AUTH = "Basic " + base64.b64encode(b"bench:bench-password").decode()


def _app(directory: str, journal: bool):
    app = create_app(str(Path(directory) / "bench.db"),
                     journal=DEFAULT_JOURNAL if journal else None)
    app.access_log.request = lambda *args: None  # the same for both: not measured
    app.store.accounts.create("bench", "bench-password")
    with app.store.session(1, write=True) as session:
        session.contacts.create([{"firstName": "Ann", "homePhone": "12135551234"}])
    return app


def _round(app, requests: int) -> float:
    """CPU microseconds per GetContact, the journal's writes to the file included."""
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/1.1/soap12/contact",
               "CONTENT_TYPE": "application/soap+xml; charset=utf-8",
               "CONTENT_LENGTH": str(len(BODY)), "REMOTE_ADDR": "127.0.0.1",
               "HTTP_AUTHORIZATION": AUTH}

    def start_response(status, headers, exc_info=None):
        assert status.startswith("200"), status

    started = time.process_time()
    for _ in range(requests):
        app(dict(environ, **{"wsgi.input": io.BytesIO(BODY)}), start_response)
    if app.journal is not None:
        app.journal.flush()
    return (time.process_time() - started) / requests * 1e6


class WriterClock:
    """The CPU the journal's writes take, on whichever thread does them."""

    def __init__(self, writer):
        self.seconds, self.exchanges = 0.0, 0
        journal, write = writer.journal, writer.journal.write

        def timed(batch, bound):
            started = time.thread_time()
            write(batch, bound)
            self.seconds += time.thread_time() - started
            self.exchanges += len(batch)
        journal.write = timed


def _record_cost(app, times: int = 200_000) -> float:
    """Microseconds one ``record`` takes on the request path."""
    entry = (time.time(), "bench", "contact", "GetContact", "1.2", 200, None, None, 1.0,
             BODY, BODY)
    queue = app.journal._queue
    started = time.process_time()
    for _ in range(times):
        app.journal.record(*entry)
        queue.clear()
    return (time.process_time() - started) / times * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.journal",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args(argv)
    costs: dict[bool, list[float]] = {True: [], False: []}
    writes = []
    for _ in range(args.rounds):
        for journal in (False, True):
            with tempfile.TemporaryDirectory() as tmp:
                app = _app(tmp, journal)
                _round(app, 500)  # warm: the first requests verify the password
                if journal:
                    clock = WriterClock(app.journal)
                costs[journal].append(_round(app, args.requests))
                if journal:
                    writes.append(clock.seconds / clock.exchanges * 1e6)
                    record = _record_cost(app)
    off, on = statistics.median(costs[False]), statistics.median(costs[True])
    own = statistics.median(writes) + record
    print("GetContact in process, CPU per request (median of %d rounds of %d):"
          % (args.rounds, args.requests))
    print("  journal off  %.1f us   (rounds: %s)" % (off, ", ".join("%.1f" % c
                                                                 for c in costs[False])))
    print("  journal on   %.1f us   (rounds: %s)" % (on, ", ".join("%.1f" % c
                                                                for c in costs[True])))
    print("  difference   %.1f us, %.1f%% (as noisy as the rounds)"
          % (on - off, (on - off) / off * 100))
    print("  the journal's own CPU: %.2f us to record on the request path, %.2f us to "
          "write (writer thread), %.1f%% of a GetContact with it off"
          % (record, statistics.median(writes), own / off * 100))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
