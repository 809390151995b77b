"""The command line: ``serve``, ``account create``, ``sim advance`` and ``sim now``."""
from __future__ import annotations

import argparse
import os
import secrets
import sys
from datetime import datetime, timezone

from . import __version__
from .app import DEFAULT_DB
from .limits import Limits
from .soap.wsdl import ENTRY, WSDL_PATH
from .store import CallFireError, Store
from .store.clock import DEFAULT_SPEED


def _first_account(store: Store) -> None:
    """A new database gets one account, so the quick start needs no extra step."""
    if store.accounts.count():
        return
    login = os.environ.get("CALLFIRE_SOAP_LOGIN", "callfire")
    password = os.environ.get("CALLFIRE_SOAP_PASSWORD") or secrets.token_urlsafe(12)
    store.accounts.create(login, password)
    if "CALLFIRE_SOAP_PASSWORD" in os.environ:
        print("Created account %r (password from CALLFIRE_SOAP_PASSWORD)" % login, flush=True)
    else:
        print("Created account %r with password %r (shown once)" % (login, password),
              flush=True)


def serve(args: argparse.Namespace) -> int:
    from granian import Granian
    from granian.constants import Interfaces

    store = Store(args.db)
    _first_account(store)
    started = store.clock.start(args.sim_speed)
    print("Simulation clock: %s, %g times real time" % (
        datetime.fromtimestamp(started, timezone.utc).isoformat(), args.sim_speed), flush=True)
    os.environ["CALLFIRE_SOAP_DB"] = args.db
    os.environ.update(Limits(
        max_body=args.max_body, max_depth=args.max_depth, max_nodes=args.max_nodes,
        auth_failures=args.auth_failures, auth_window=args.auth_window).to_environment())
    print("WSDL: http://%s:%d%s%s" % (args.host, args.port, WSDL_PATH, ENTRY), flush=True)
    Granian("callfire_soap.app:app_from_environment", factory=True,
            address=args.host, port=args.port, interface=Interfaces.WSGI,
            workers=args.workers, blocking_threads=args.threads, websockets=False,
            log_access=False).serve()
    return 0


def account_create(args: argparse.Namespace) -> int:
    password = args.password
    if password is None:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        account_id = Store(args.db).accounts.create(args.login, password)
    except CallFireError as e:
        print("error: %s" % e.message, file=sys.stderr)
        return 1
    print("Created account %r (id %d)" % (args.login, account_id))
    return 0


def sim_advance(args: argparse.Namespace) -> int:
    clock = Store(args.db).clock
    instant = clock.advance(args.seconds)
    print(datetime.fromtimestamp(instant, timezone.utc).isoformat())
    return 0


def sim_now(args: argparse.Namespace) -> int:
    clock = Store(args.db).clock
    print("%s (%g times real time)" % (
        datetime.fromtimestamp(clock.now(), timezone.utc).isoformat(), clock.speed()))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="callfire-soap",
                                  description="A CallFire API 1.1 SOAP server on SQLite.")
    top.add_argument("--version", action="version", version="%(prog)s " + __version__)
    commands = top.add_subparsers(dest="command", required=True)

    p = commands.add_parser("serve", help="run the server in the foreground")
    p.add_argument("--db", default=DEFAULT_DB, help="SQLite file (default %(default)s)")
    p.add_argument("--host", default="127.0.0.1", help="address (default %(default)s)")
    p.add_argument("--port", type=int, default=8080, help="port (default %(default)s)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--threads", type=int, default=1,
                   help="request threads per worker (default 1): more let a slow request "
                        "(a large import) wait beside quick ones, at the cost of throughput "
                        "and latency under load, as Python threads share one core")
    p.add_argument("--max-body", type=int, default=Limits.max_body,
                   help="largest request body in bytes (default %(default)s)")
    p.add_argument("--max-depth", type=int, default=Limits.max_depth,
                   help="deepest element nesting in a request (default %(default)s)")
    p.add_argument("--max-nodes", type=int, default=Limits.max_nodes,
                   help="most elements and attributes in a request (default %(default)s)")
    p.add_argument("--auth-failures", type=int, default=Limits.auth_failures,
                   help="failed logins from one address within --auth-window before it "
                        "gets HTTP 429; 0 for no limit (default %(default)s)")
    p.add_argument("--auth-window", type=int, default=Limits.auth_window,
                   help="seconds failed logins are counted for (default %(default)s)")
    p.add_argument("--sim-speed", type=float, default=DEFAULT_SPEED,
                   help="how many times faster than real time the broadcast simulation "
                        "runs; 0 stops its clock, for `sim advance` to move "
                        "(default %(default)g)")
    p.set_defaults(run=serve)

    sim = commands.add_parser("sim", help="the broadcast simulation's clock")
    sim_commands = sim.add_subparsers(dest="sim_command", required=True)
    p = sim_commands.add_parser("advance", help="move the clock forward")
    p.add_argument("seconds", type=int, help="simulated seconds to move")
    p.add_argument("--db", default=DEFAULT_DB, help="SQLite file (default %(default)s)")
    p.set_defaults(run=sim_advance)
    p = sim_commands.add_parser("now", help="show the clock")
    p.add_argument("--db", default=DEFAULT_DB, help="SQLite file (default %(default)s)")
    p.set_defaults(run=sim_now)

    account = commands.add_parser("account", help="manage API accounts")
    account_commands = account.add_subparsers(dest="account_command", required=True)
    p = account_commands.add_parser("create", help="create an account")
    p.add_argument("login")
    p.add_argument("--db", default=DEFAULT_DB, help="SQLite file (default %(default)s)")
    p.add_argument("--password", help="the password (default: one line from standard input)")
    p.set_defaults(run=account_create)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
