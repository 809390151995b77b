"""The command line: ``serve``, ``account create|list|passwd|delete``,
``sim advance|now|inbound-text|inbound-call|caller-id-code``, ``admin set|off|show``,
``journal``, ``inject add|list|remove|clear``, ``reset``, ``snapshot save|restore|list|delete``,
``postbacks list|show|retry``.

Whatever a user typed that cannot work ends the command with one line on
standard error and exit status 2, never a traceback.  Every option can also
come from the environment, ``CALLFIRE_SOAP_<OPTION>`` (``--max-body`` is
``CALLFIRE_SOAP_MAX_BODY``); a flag wins over the environment.
"""
from __future__ import annotations

import argparse
import getpass
import logging
import logging.config
import math
import multiprocessing
import os
import secrets
import socket
import sys
from datetime import datetime, timezone

from . import __version__, postbacks
from .app import DEFAULT_DB
from .limits import ENV_PREFIX, Limits
from .postbacks import Policy
from .soap.wsdl import ENTRY, WSDL_PATH
from .domain import inbound
from .store import CallFireError, InvalidRequest, NotFound, Store, UnusableDatabase, phone
from .store.accounts import validate_login
from .store.caller_ids import ANSWERED, CallerIds, caller_id
from .soap.xpath import compile_xpath
from .store.admin import AdminFile, admin_path
from .store.injections import FAULT_CODES, Rule
from .store.journal import DEFAULT_MAX, Bound, JournalQuery, parse_bound, parse_since
from .store.snapshots import Snapshots, check_name
from .store.clock import DEFAULT_SPEED
from .store.postbacks import STATUSES

USAGE = 2     # exit status: the command cannot work as typed
REFUSED = 1   # exit status: it could, but the database or the machine says no


class Failure(Exception):
    """One line for the user, and the exit status that goes with it."""

    def __init__(self, message: str, status: int = USAGE):
        super().__init__(message)
        self.status = status


class Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """One line, not the usage block: the mistake is what the user needs to see."""
        self.exit(USAGE, "%s: error: %s (see --help)\n" % (self.prog, message))


# -- what an option may be ---------------------------------------------------

def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a whole number" % text) from None


def port(text: str) -> int:
    value = _integer(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("%d is not a TCP port (1 to 65535)" % value)
    return value


def count(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError("%d is below 1" % value)
    return value


def non_negative(text: str) -> int:
    value = _integer(text)
    if value < 0:
        raise argparse.ArgumentTypeError("%d is negative" % value)
    return value


def speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a number" % text) from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError("%s is not a speed (0 or more)" % text)
    return value


def seconds(text: str) -> float:
    value = speed(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("%s is not a number of seconds above 0" % text)
    return value


def phone_number(text: str) -> str:
    if phone.normalize(text) is None:
        raise argparse.ArgumentTypeError("%r is not a North American phone number" % text)
    return text


def receiving_number(text: str) -> str:
    if phone.normalize_receiving(text) is None:
        raise argparse.ArgumentTypeError(
            "%r is neither a North American phone number nor a short code" % text)
    return text


def boolean(text: str) -> bool:
    """A flag's value from the environment: 1, true, yes or on; 0, false, no or off."""
    value = text.strip().lower()
    if value not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        raise argparse.ArgumentTypeError("%r is not true or false" % text)
    return value in ("1", "true", "yes", "on")


def log_format(text: str) -> str:
    if text not in ("text", "json"):
        raise argparse.ArgumentTypeError("%r is not text or json" % text)
    return text


def on_off(text: str) -> str:
    if text not in ("on", "off"):
        raise argparse.ArgumentTypeError("%r is not on or off" % text)
    return text


def journal_bound(text: str) -> Bound:
    try:
        return parse_bound(text)
    except CallFireError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _open(path: str, create: bool = True) -> Store:
    try:
        from .services.notifications import render  # events raised here are written too

        return Store(path, create=create, render=render)
    except UnusableDatabase as error:
        raise Failure("--db %s: %s" % (path, error)) from None


def _listen_address(host: str, port_number: int) -> tuple[socket.AddressFamily, str]:
    """The address ``host`` names (an IPv4 one when it names both kinds)."""
    try:
        found = socket.getaddrinfo(host, port_number, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        raise Failure("--host %s: %s" % (host, getattr(error, "strerror", None) or error)) \
            from None
    family, _, _, _, address = min(found, key=lambda entry: entry[0] != socket.AF_INET)
    return family, address[0]


def url_host(host: str) -> str:
    """``host`` as the host part of a URL: IPv6 literals go in brackets."""
    return "[%s]" % host if ":" in host else host


def _valid(check, value: str, name: str) -> str:
    """``value`` if ``check`` passes it; else the one line saying why."""
    try:
        check(value)
    except CallFireError as error:
        raise Failure("%s %r: %s" % (name, value, error.message)) from None
    return value


def _read_password(given: str | None) -> str:
    """``--password``; else typed twice without echo on a terminal; else one line of
    standard input (a script's pipe)."""
    if given is None and sys.stdin.isatty():
        given = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != given:
            raise Failure("the passwords do not match")
    elif given is None:
        given = sys.stdin.readline().rstrip("\r\n")
    if not given:
        raise Failure("the password must not be empty")
    return given


# -- serve --------------------------------------------------------------------

def _first_account(store: Store, log) -> None:
    """A new database gets one account, so the quick start needs no extra step."""
    if store.accounts.count():
        return
    login = os.environ.get("CALLFIRE_SOAP_LOGIN", "callfire")
    password = os.environ.get("CALLFIRE_SOAP_PASSWORD") or secrets.token_urlsafe(12)
    store.accounts.create(login, password)
    if "CALLFIRE_SOAP_PASSWORD" in os.environ:
        log.info("Created account %r (password from CALLFIRE_SOAP_PASSWORD)", login)
    else:
        log.info("Created account %r with password %r (shown once)", login, password)


def _check_first_account_settings() -> None:
    if "CALLFIRE_SOAP_LOGIN" in os.environ:
        _valid(validate_login, os.environ["CALLFIRE_SOAP_LOGIN"], "CALLFIRE_SOAP_LOGIN")
    if os.environ.get("CALLFIRE_SOAP_PASSWORD") == "":
        raise Failure("CALLFIRE_SOAP_PASSWORD is empty: set a password, or unset it "
                      "for a random one")


def _admin_login(db_path: str, login: str | None, log) -> None:
    """``--admin-login``: the admin surface's login, with CALLFIRE_SOAP_ADMIN_PASSWORD or,
    for a login not set before, a random password shown once.  Without it the admin
    file keeps what ``admin set`` put there (or the surface stays off)."""
    admin = _open_admin(db_path)
    given = os.environ.get(ENV_PREFIX + "ADMIN_PASSWORD")
    if login is None or (admin.admin_login() == login and not given):
        return
    password = given or secrets.token_urlsafe(12)
    admin.set_admin(login, password)
    if given:
        log.info("Admin login %r (password from %sADMIN_PASSWORD)", login, ENV_PREFIX)
    else:
        log.info("Admin login %r with password %r (shown once)", login, password)


def serve(args: argparse.Namespace) -> int:
    from granian import Granian
    from granian.constants import Interfaces

    from .accesslog import logging_config

    _check_first_account_settings()
    if args.admin_login is not None:
        _valid(validate_login, args.admin_login, "--admin-login")
    if os.environ.get(ENV_PREFIX + "ADMIN_PASSWORD") == "":
        raise Failure("%sADMIN_PASSWORD is empty: set a password, or unset it for a "
                      "random one" % ENV_PREFIX)
    family, address = _listen_address(args.host, args.port)
    logging.config.dictConfig(logging_config(args.log_format))
    log = logging.getLogger("callfire_soap")
    url = "http://%s:%d" % (url_host(args.host), args.port)
    # Hold the address while the database is opened and the first account made: a
    # port already taken, by another callfire-soap or anything else, is refused
    # before anything is created (or a password shown that no server will take).
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        probe.bind((address, args.port))
    except OSError as error:
        probe.close()
        raise Failure("cannot listen on %s: %s" % (url, error.strerror), REFUSED) from None
    try:
        store = _open(args.db)
        _first_account(store, log)
        _admin_login(args.db, args.admin_login, log)
        started = store.clock.start(args.sim_speed)
        store.require_verified_caller_ids(args.require_verified_caller_id)
    finally:
        probe.close()
    log.info("callfire-soap %s: database %s, %d worker(s) of %d thread(s), simulation "
             "clock at %s running %g times real time", __version__, os.path.abspath(args.db),
             args.workers, args.threads,
             datetime.fromtimestamp(started, timezone.utc).isoformat(), args.sim_speed)
    if args.require_verified_caller_id:
        log.info("Call broadcasts must come from verified caller ids")
    log.info("WSDL: %s%s%s", url, WSDL_PATH, ENTRY)
    # One deliverer per server (callfire_soap/postbacks.py): a process forked while this
    # one has no thread, so that it starts at once and the workers' forks copy no thread.
    deliverer = multiprocessing.get_context("fork").Process(
        target=postbacks.run, name="callfire-soap deliverer", daemon=True, args=(
            args.db, postbacks.Policy(attempts=args.postback_attempts,
                                      backoff=args.postback_backoff,
                                      timeout=args.postback_timeout),
            logging_config(args.log_format)))
    # The workers are other processes: settings travel by environment.
    os.environ[ENV_PREFIX + "DB"] = args.db
    os.environ[ENV_PREFIX + "LOG_FORMAT"] = args.log_format
    os.environ[ENV_PREFIX + "WORKERS"] = str(args.workers)
    os.environ[ENV_PREFIX + "JOURNAL"] = args.journal
    os.environ[ENV_PREFIX + "JOURNAL_MAX"] = args.journal_max.setting()
    os.environ.update(Limits(
        max_body=args.max_body, max_depth=args.max_depth, max_nodes=args.max_nodes,
        auth_failures=args.auth_failures, auth_window=args.auth_window).to_environment())
    deliverer.start()
    try:
        Granian("callfire_soap.app:app_from_environment", factory=True,
                address=address, port=args.port, interface=Interfaces.WSGI,
                workers=args.workers, blocking_threads=args.threads, websockets=False,
                log_access=False, log_dictconfig=logging_config(args.log_format)).serve()
    except OSError as error:  # the address was taken in the instant since the check
        raise Failure("cannot listen on %s: %s" % (url, error.strerror or error), REFUSED) \
            from None
    finally:
        deliverer.terminate()  # what it was posting is posted again after a restart
        deliverer.join(10)
    return 0


# -- accounts -----------------------------------------------------------------

def _table(rows: list[tuple]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def account_create(args: argparse.Namespace) -> int:
    _valid(validate_login, args.login, "login")
    password = _read_password(args.password)
    store = _open(args.db)
    account_id = store.accounts.create(args.login, password)
    print("Created account %r (id %d)" % (args.login, account_id))
    return 0


def account_list(args: argparse.Namespace) -> int:
    _table([("LOGIN", "ID", "CREATED", "CONTACTS", "BROADCASTS")] + [
        (a.login, str(a.id), a.created, str(a.contacts), str(a.broadcasts))
        for a in _open(args.db, create=False).accounts.summaries()])
    return 0


def account_passwd(args: argparse.Namespace) -> int:
    store = _open(args.db, create=False)
    if args.login not in {a.login for a in store.accounts.summaries()}:
        raise Failure("no account %r" % args.login, REFUSED)
    store.accounts.set_password(args.login, _read_password(args.password))
    print("Changed the password of account %r" % args.login)
    return 0


def account_delete(args: argparse.Namespace) -> int:
    if not args.yes:
        raise Failure("deleting account %r deletes all its data: add --yes" % args.login)
    _open(args.db, create=False).accounts.delete(args.login)
    print("Deleted account %r and its data" % args.login)
    return 0


# -- the admin login ----------------------------------------------------------

def _open_admin(db_path: str, create: bool = True) -> AdminFile:
    path = admin_path(db_path)
    try:
        return AdminFile(path, create=create)
    except UnusableDatabase as error:
        raise Failure("%s: %s" % (path, error)) from None


def admin_set(args: argparse.Namespace) -> int:
    _valid(validate_login, args.login, "login")
    password = _read_password(args.password)
    _open(args.db, create=False)  # the admin file goes beside a database that exists
    _open_admin(args.db).set_admin(args.login, password)
    print("The admin surface opens to %r (at /admin/ of the running server)" % args.login)
    return 0


def admin_off(args: argparse.Namespace) -> int:
    _open(args.db, create=False)
    if _open_admin(args.db).clear_admin():
        print("The admin surface is off")
    else:
        print("The admin surface was off already")
    return 0


def admin_show(args: argparse.Namespace) -> int:
    _open(args.db, create=False)
    login = _open_admin(args.db).admin_login()
    print("off" if login is None else "on, admin login %r" % login)
    return 0


# -- the journal and injection rules ------------------------------------------

def journal(args: argparse.Namespace) -> int:
    _open(args.db, create=False)
    entries = _open_admin(args.db).journal
    if args.clear:
        print("Removed %d exchange(s) from the journal" % entries.clear())
        return 0
    try:
        query = JournalQuery(login=args.login, operation=args.op, port=args.port,
                             fault=args.fault, injected=True if args.injected else None,
                             since=None if args.since is None else parse_since(args.since))
    except CallFireError as error:
        raise Failure("--since: %s" % error.message) from None
    found = entries.exchanges(query, xml=args.xml, limit=args.limit)
    if args.xml:
        out = sys.stdout.buffer
        for e in found:
            out.write(("# %d %s login=%s %s %s SOAP %s HTTP %s%s%s %.1f ms\n" % (
                e.id, e.stamp, e.login or "-", e.port, e.operation or "-",
                e.soap_version or "-", e.http_status or "dropped",
                " fault=%s" % e.fault if e.fault else "",
                " injected (%s)" % e.injected if e.injected else "",
                e.duration_ms)).encode())
            for body in (e.request, e.response):
                if body is not None:
                    out.write(body + (b"" if body.endswith(b"\n") else b"\n"))
        out.flush()
        return 0
    _table([("ID", "TIME", "LOGIN", "PORT", "OPERATION", "SOAP", "STATUS", "FAULT",
             "INJECTED", "MS")] + [
        (str(e.id), e.stamp, e.login or "-", e.port, e.operation or "-",
         e.soap_version or "-", str(e.http_status or "dropped"), e.fault or "-",
         e.injected or "-", "%.1f" % e.duration_ms) for e in found])
    return 0


def _rules(args: argparse.Namespace):
    _open(args.db, create=False)
    return _open_admin(args.db).injections


def inject_add(args: argparse.Namespace) -> int:
    if args.xpath is not None:
        try:
            compile_xpath(args.xpath, "--xpath")
        except CallFireError as error:
            raise Failure(error.message) from None
    try:
        rule = _rules(args).add(Rule(None, login=args.login, operation=args.op,
                                     xpath=args.xpath, fault=args.fault,
                                     http_status=args.http_status, drop=args.drop,
                                     delay=args.delay, times=args.times))
    except InvalidRequest as error:
        raise Failure(error.message) from None
    print("Rule %d: %s" % (rule.id, _describe(rule)))
    return 0


def _describe(rule: Rule) -> str:
    return "%s on %s of %s%s, %s" % (
        rule.action, rule.operation or "every operation",
        "login %r" % rule.login if rule.login else "every login",
        " where %s" % rule.xpath if rule.xpath else "",
        "until removed" if rule.times is None else "%d of %d call(s) left"
        % (rule.remaining, rule.times))


def inject_list(args: argparse.Namespace) -> int:
    for rule in _rules(args).all():
        print("%d  %s" % (rule.id, _describe(rule)))
    return 0


def inject_remove(args: argparse.Namespace) -> int:
    _rules(args).remove(args.id)
    print("Removed rule %d" % args.id)
    return 0


def inject_clear(args: argparse.Namespace) -> int:
    print("Removed %d rule(s)" % _rules(args).clear())
    return 0


# -- reset and snapshots ------------------------------------------------------

def reset(args: argparse.Namespace) -> int:
    _open(args.db, create=False).accounts.reset(args.login)
    print("Removed the data of account %r (the account is kept)" % args.login)
    return 0


def _snapshots(args: argparse.Namespace) -> Snapshots:
    return Snapshots(_open(args.db, create=False))


def snapshot_save(args: argparse.Namespace) -> int:
    snapshot = _snapshots(args).save(_valid(check_name, args.name, "snapshot"))
    print("Saved snapshot %r (%d bytes)" % (snapshot.name, snapshot.bytes))
    return 0


def snapshot_restore(args: argparse.Namespace) -> int:
    snapshot = _snapshots(args).restore(_valid(check_name, args.name, "snapshot"))
    print("Restored snapshot %r (saved %s)" % (snapshot.name, snapshot.saved))
    return 0


def snapshot_list(args: argparse.Namespace) -> int:
    _table([("NAME", "SAVED", "BYTES")] + [(s.name, s.saved, str(s.bytes))
                                           for s in _snapshots(args).all()])
    return 0


def snapshot_delete(args: argparse.Namespace) -> int:
    _snapshots(args).delete(_valid(check_name, args.name, "snapshot"))
    print("Deleted snapshot %r" % args.name)
    return 0


# -- the simulation clock -----------------------------------------------------

def sim_advance(args: argparse.Namespace) -> int:
    clock = _open(args.db, create=False).clock
    instant = clock.advance(args.seconds)
    print(datetime.fromtimestamp(instant, timezone.utc).isoformat())
    return 0


def sim_now(args: argparse.Namespace) -> int:
    clock = _open(args.db, create=False).clock
    print("%s (%g times real time)" % (
        datetime.fromtimestamp(clock.now(), timezone.utc).isoformat(), clock.speed()))
    return 0


# -- postbacks ----------------------------------------------------------------

def _when(epoch: float | None) -> str:
    return "-" if epoch is None else datetime.fromtimestamp(
        epoch, timezone.utc).isoformat(timespec="seconds")


def postbacks_list(args: argparse.Namespace) -> int:
    found = _open(args.db, create=False).postbacks.list(args.status, args.login, args.limit)
    rows = [("ID", "SUBSCRIPTION", "EVENT", "FORMAT", "STATUS", "ATTEMPTS", "NEXT/DONE",
             "ENDPOINT", "LAST ERROR")] + [
        (str(p.id), str(p.subscription_id), p.event, p.format, p.status, str(p.attempts),
         _when(p.delivered if p.status == "DELIVERED" else
               p.next_attempt if p.status == "PENDING" else None),
         p.endpoint, p.last_error or "") for p in found]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def postbacks_show(args: argparse.Namespace) -> int:
    postback = _open(args.db, create=False).postbacks.get(args.id)
    if postback is None:
        raise Failure("no postback %d" % args.id, REFUSED)
    print("POST %s\nContent-Type: %s\n" % (postback.endpoint, postback.content_type))
    sys.stdout.flush()
    sys.stdout.buffer.write(postback.body + b"\n")
    return 0


def postbacks_retry(args: argparse.Namespace) -> int:
    if not args.ids and not args.all_failed:
        raise Failure("name the postbacks to retry, or give --all-failed")
    count = _open(args.db, create=False).postbacks.retry(args.ids or None)
    print("%d failed postback(s) pending again" % count)
    return 0


def _report(store: Store, kind: str, args: argparse.Namespace,
            arrival: inbound.Arrival) -> int:
    """One line: where the text or call went and what followed from it."""
    line = "Inbound %s %d from %s to %s reached account %r (id %d)" % (
        kind, arrival.action_id, args.from_number, args.to, store.accounts.login(
            arrival.account_id), arrival.account_id)
    if arrival.opted_out:
        line += "; %s is on its Do Not Contact list for texts now" % args.from_number
    if arrival.reply_id is not None:
        line += "; auto-reply %d answered it with text %d" % (arrival.auto_reply_id,
                                                             arrival.reply_id)
    print(line)
    return 0


def sim_inbound_text(args: argparse.Namespace) -> int:
    store = _open(args.db, create=False)
    return _report(store, "text", args, inbound.receive_text(
        store, args.to, args.from_number, args.message, args.login))


def sim_inbound_call(args: argparse.Namespace) -> int:
    store = _open(args.db, create=False)
    return _report(store, "call", args, inbound.receive_call(
        store, args.to, args.from_number, args.login))


def sim_caller_id_code(args: argparse.Namespace) -> int:
    """The code the latest verification call to the number spoke, for a test to
    pass to VerifyCallerId; refused when no call was made or none was answered."""
    _valid(caller_id, args.number, "number")
    store = _open(args.db, create=False)
    accounts = {a.login: a.id for a in store.accounts.summaries()}
    if args.login is not None and args.login not in accounts:
        raise Failure("no account %r" % args.login, REFUSED)
    with store.transaction(write=False) as db:
        calls = []
        for login, account_id in accounts.items():
            if args.login in (None, login):
                try:
                    calls.append((login, CallerIds(db, account_id).latest(args.number)))
                except NotFound:
                    continue
    if not calls:
        raise Failure("no verification call to %s%s" % (
            args.number, "" if args.login is None else " from account %r" % args.login),
            REFUSED)
    login, call = max(calls, key=lambda found: found[1].called)
    if call.result not in ANSWERED:
        raise Failure("the verification call to %s was not answered (%s): it spoke no code"
                      % (call.number, call.result), REFUSED)
    print(call.code)
    return 0


# -- the parser ---------------------------------------------------------------

def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, help="SQLite file (default %(default)s)")


def _login_and_password(p: argparse.ArgumentParser, password: str) -> None:
    p.add_argument("login")
    _db_option(p)
    p.add_argument("--password", help="%s (default: typed twice on a terminal, else one "
                                      "line of standard input)" % password)


def parser() -> Parser:
    top = Parser(prog="callfire-soap", description="A CallFire API 1.1 SOAP server on SQLite.")
    top.add_argument("--version", action="version", version="%(prog)s " + __version__)
    commands = top.add_subparsers(dest="command", required=True)

    p = commands.add_parser(
        "serve", help="run the server in the foreground",
        description="Run the server in the foreground.  Every option can also be set "
                    "by the environment variable shown with it; a flag wins.  On a "
                    "database with no account, the first one is CALLFIRE_SOAP_LOGIN "
                    "(default callfire) with password CALLFIRE_SOAP_PASSWORD (default: "
                    "a random one, printed once).")
    _db_option(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address or host name to listen on (default %(default)s)")
    p.add_argument("--port", type=port, default=8080, help="port (default %(default)s)")
    p.add_argument("--workers", type=count, default=1, help="worker processes (default 1)")
    p.add_argument("--threads", type=count, default=1,
                   help="request threads per worker (default 1): more let a slow request "
                        "(a large import) wait beside quick ones, at the cost of throughput "
                        "and latency under load, as Python threads share one core")
    p.add_argument("--max-body", type=count, default=Limits.max_body,
                   help="largest request body in bytes (default %(default)s)")
    p.add_argument("--max-depth", type=count, default=Limits.max_depth,
                   help="deepest element nesting in a request (default %(default)s)")
    p.add_argument("--max-nodes", type=count, default=Limits.max_nodes,
                   help="most elements and attributes in a request (default %(default)s)")
    p.add_argument("--auth-failures", type=non_negative, default=Limits.auth_failures,
                   help="failed logins from one address within --auth-window before it "
                        "gets HTTP 429; 0 for no limit (default %(default)s)")
    p.add_argument("--auth-window", type=count, default=Limits.auth_window,
                   help="seconds failed logins are counted for (default %(default)s)")
    p.add_argument("--sim-speed", type=speed, default=DEFAULT_SPEED,
                   help="how many times faster than real time the broadcast simulation "
                        "runs; 0 stops its clock, for `sim advance` to move "
                        "(default %(default)g)")
    p.add_argument("--log-format", type=log_format, default="text",
                   help="text, or json for one JSON object a line (default %(default)s)")
    p.add_argument("--postback-attempts", type=count, default=Policy.attempts,
                   help="attempts at a notification before it is FAILED "
                        "(default %(default)s)")
    p.add_argument("--postback-backoff", type=seconds, default=Policy.backoff,
                   help="seconds before a notification's first retry, doubled at each "
                        "further one (default %(default)g)")
    p.add_argument("--postback-timeout", type=seconds, default=Policy.timeout,
                   help="seconds a postback waits to connect, and again for the answer "
                        "(default %(default)g)")
    p.add_argument("--admin-login",
                   help="turn the admin surface (/admin/) on for this login, with "
                        "password %sADMIN_PASSWORD (default: a random one, printed once); "
                        "without it, what `admin set` stored holds (default: off)"
                        % ENV_PREFIX)
    p.add_argument("--journal", type=on_off, default="on",
                   help="record every SOAP exchange in the request journal (default on)")
    p.add_argument("--journal-max", type=journal_bound, default=parse_bound(DEFAULT_MAX),
                   help="how much the journal keeps, oldest dropped first: a number of "
                        "exchanges (10000) or of bytes (64MB; default %s)" % DEFAULT_MAX)
    p.add_argument("--require-verified-caller-id", action="store_true",
                   help="refuse a call broadcast whose FromNumber is not a verified caller "
                        "id of its account (default: any FromNumber)")
    p.set_defaults(run=serve)

    postbacks = commands.add_parser("postbacks", help="the notifications subscriptions get")
    postback_commands = postbacks.add_subparsers(dest="postbacks_command", required=True)
    p = postback_commands.add_parser("list", help="list the latest notifications")
    _db_option(p)
    p.add_argument("--status", choices=STATUSES, help="only those in this status")
    p.add_argument("--login", help="only this account's")
    p.add_argument("--limit", type=count, default=100,
                   help="how many, newest first (default %(default)s)")
    p.set_defaults(run=postbacks_list)
    p = postback_commands.add_parser("show", help="show one notification as it is posted")
    p.add_argument("id", type=count)
    _db_option(p)
    p.set_defaults(run=postbacks_show)
    p = postback_commands.add_parser("retry", help="make FAILED notifications PENDING again")
    p.add_argument("ids", type=count, nargs="*", help="the postbacks' ids")
    p.add_argument("--all-failed", action="store_true", help="every FAILED one")
    _db_option(p)
    p.set_defaults(run=postbacks_retry)

    sim = commands.add_parser("sim", help="the simulation: its clock, inbound texts and calls")
    sim_commands = sim.add_subparsers(dest="sim_command", required=True)
    p = sim_commands.add_parser("advance", help="move the clock forward")
    p.add_argument("seconds", type=non_negative, help="simulated seconds to move")
    _db_option(p)
    p.set_defaults(run=sim_advance)
    p = sim_commands.add_parser("now", help="show the clock")
    _db_option(p)
    p.set_defaults(run=sim_now)
    for kind, run in (("text", sim_inbound_text), ("call", sim_inbound_call)):
        p = sim_commands.add_parser(
            "inbound-" + kind, help="an inbound %s arrives, now on the clock" % kind,
            description="An inbound %s arrives at the simulation clock's now and reaches "
                        "the account --login names, else the one the routing rule picks "
                        "(see the README)." % kind)
        _db_option(p)
        p.add_argument("--to", required=True, type=receiving_number,
                       help="the number %s: a North American number or a short code"
                            % ("texted" if kind == "text" else "called"))
        p.add_argument("--from", dest="from_number", required=True, type=phone_number,
                       help="the sender's North American number")
        if kind == "text":
            p.add_argument("--message", required=True, help="the text")
        p.add_argument("--login", help="the account it reaches (default: by the rule)")
        p.set_defaults(run=run)
    p = sim_commands.add_parser(
        "caller-id-code", help="print the code a verification call spoke",
        description="Print the code the latest verification call "
                    "(SendVerificationCodeToCallerId) to NUMBER spoke, for VerifyCallerId.")
    p.add_argument("number", help="the caller id the code was sent to")
    p.add_argument("--login", help="the account that sent it (default: whichever sent the "
                                   "latest)")
    _db_option(p)
    p.set_defaults(run=sim_caller_id_code)

    account = commands.add_parser("account", help="manage API accounts")
    account_commands = account.add_subparsers(dest="account_command", required=True)
    p = account_commands.add_parser("create", help="create an account")
    _login_and_password(p, "the password")
    p.set_defaults(run=account_create)
    p = account_commands.add_parser("list", help="list the accounts and what they hold")
    _db_option(p)
    p.set_defaults(run=account_list)
    p = account_commands.add_parser("passwd", help="change an account's password")
    _login_and_password(p, "the new password")
    p.set_defaults(run=account_passwd)
    p = account_commands.add_parser("delete", help="delete an account and all its data")
    p.add_argument("login")
    _db_option(p)
    p.add_argument("--yes", action="store_true", help="yes, delete it and its data")
    p.set_defaults(run=account_delete)

    admin = commands.add_parser(
        "admin", help="the admin surface's login",
        description="The admin surface (/admin/: journal, injection, reset, snapshots) "
                    "has one login of its own, never an API account's; with none set it "
                    "is off.  It is kept in the admin file beside the database.")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True)
    p = admin_commands.add_parser("set", help="set the admin login and password (turns "
                                              "the surface on)")
    _login_and_password(p, "the password")
    p.set_defaults(run=admin_set)
    p = admin_commands.add_parser("off", help="remove the admin login (turns the surface off)")
    _db_option(p)
    p.set_defaults(run=admin_off)
    p = admin_commands.add_parser("show", help="whether the surface is on, and its login")
    _db_option(p)
    p.set_defaults(run=admin_show)

    p = commands.add_parser(
        "journal", help="the request journal: what clients sent and got",
        description="The SOAP exchanges the server recorded, oldest first, each filter "
                    "narrowing them: a table, or with --xml each request and its answer "
                    "exactly as they went over the wire.")
    _db_option(p)
    p.add_argument("--login", help="only this login's")
    p.add_argument("--op", help="only this operation's (SendText, GetContact...)")
    p.add_argument("--port", help="only this port's (contact, text...)")
    p.add_argument("--fault", nargs="?", const=True, choices=FAULT_CODES, metavar="CODE",
                   help="only faults; with a FaultCode, only faults of it")
    p.add_argument("--injected", action="store_true", help="only answers an injection "
                                                           "rule gave")
    p.add_argument("--since", help="only from this time on: ISO 8601 (UTC unless it says) "
                                   "or a span ago (90s, 15m, 2h, 1d)")
    p.add_argument("--limit", type=count, help="only the newest N of them")
    p.add_argument("--xml", action="store_true", help="print the requests and answers")
    p.add_argument("--clear", action="store_true", help="empty the journal instead")
    p.set_defaults(run=journal)
    p.environment_options = ("db",)  # a filter in the environment would hide exchanges

    inject = commands.add_parser(
        "inject", help="fault and latency injection rules",
        description="Rules a running server follows from its next request: the oldest "
                    "rule matching a call's login, operation and XPath answers it instead "
                    "of the operation (nothing is written), or delays it.")
    inject_commands = inject.add_subparsers(dest="inject_command", required=True)
    p = inject_commands.add_parser("add", help="add a rule")
    _db_option(p)
    p.add_argument("--login", help="only this login's calls (default: every login)")
    p.add_argument("--op", help="only this operation (default: every operation)")
    p.add_argument("--xpath", help="only requests this XPath matches (prefixes svc, data, "
                                   "soap12, soap11)")
    answer = p.add_mutually_exclusive_group()
    answer.add_argument("--fault", choices=FAULT_CODES, help="answer this FaultCode")
    answer.add_argument("--http-status", type=int, metavar="STATUS",
                        help="answer this HTTP status (503, 504...) with no SOAP body")
    answer.add_argument("--drop", action="store_true", help="close the connection unanswered")
    p.add_argument("--delay", type=float, default=0.0,
                   help="seconds to wait first (alone: the operation then runs)")
    p.add_argument("--times", type=count, help="for the next N matching calls (default: "
                                               "until removed)")
    p.set_defaults(run=inject_add)
    p.environment_options = ("db",)  # CALLFIRE_SOAP_LOGIN names the first account
    p = inject_commands.add_parser("list", help="list the rules and what is left of them")
    _db_option(p)
    p.set_defaults(run=inject_list)
    p = inject_commands.add_parser("remove", help="remove a rule")
    p.add_argument("id", type=count)
    _db_option(p)
    p.set_defaults(run=inject_remove)
    p = inject_commands.add_parser("clear", help="remove every rule")
    _db_option(p)
    p.set_defaults(run=inject_clear)

    p = commands.add_parser("reset", help="remove an account's data, keeping the account",
                            description="Remove everything an account holds (contacts, "
                                        "lists, broadcasts...) in one transaction; its login "
                                        "and password stay.  A running server sees it at "
                                        "once.")
    p.add_argument("--login", required=True, help="the account")
    _db_option(p)
    p.set_defaults(run=reset)
    p.environment_options = ("db",)  # CALLFIRE_SOAP_LOGIN names the first account

    snapshot = commands.add_parser(
        "snapshot", help="save and restore the database, while serving",
        description="Snapshots of the whole database (accounts and their data, the "
                    "simulation clock; not the journal, injection rules or admin login), "
                    "kept beside it in <database>.snapshots/.  Both work while a server "
                    "serves: a restore holds writes for its moment, and each request sees "
                    "all before or all after.")
    snapshot_commands = snapshot.add_subparsers(dest="snapshot_command", required=True)
    for name, run, text in (("save", snapshot_save, "save the database as NAME"),
                            ("restore", snapshot_restore, "put snapshot NAME back"),
                            ("delete", snapshot_delete, "delete snapshot NAME")):
        p = snapshot_commands.add_parser(name, help=text)
        p.add_argument("name")
        _db_option(p)
        p.set_defaults(run=run)
    p = snapshot_commands.add_parser("list", help="list the snapshots")
    _db_option(p)
    p.set_defaults(run=snapshot_list)

    for command in _leaves(top):
        _from_environment(command)
    return top


def _leaves(p: argparse.ArgumentParser):
    """The parsers that run a command (``serve``, ``sim now``...)."""
    subcommands = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        yield p
    for action in subcommands:
        for child in action.choices.values():
            yield from _leaves(child)


def _from_environment(p: argparse.ArgumentParser) -> None:
    """Each ``--option`` of ``p`` (but --password, and of a parser that names its
    ``environment_options`` only those) defaults to ``CALLFIRE_SOAP_OPTION`` when that
    is set, and says so in its help."""
    only = getattr(p, "environment_options", None)
    for action in p._actions:
        long = [o for o in action.option_strings if o.startswith("--")]
        if not long or action.dest in ("help", "password", "yes", "login", "all_failed") or (
                only is not None and action.dest not in only):
            continue
        name = ENV_PREFIX + action.dest.upper()
        action.help = "%s [env %s]" % (action.help, name)
        convert = boolean if isinstance(action, argparse._StoreTrueAction) else action.type
        if name in os.environ:
            action.default = os.environ[name]
            if convert is not None:
                try:
                    action.default = convert(os.environ[name])
                except argparse.ArgumentTypeError as error:
                    p.error("%s: %s" % (name, error))


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except Failure as failure:
        print("callfire-soap: error: %s" % failure, file=sys.stderr)
        return failure.status
    except CallFireError as error:  # the database says no: exists already, not found
        print("callfire-soap: error: %s" % error.message, file=sys.stderr)
        return REFUSED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
