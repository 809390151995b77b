"""The command line as a user meets it: mistakes, a taken port, the banner, the
environment, health, and the account commands."""
from __future__ import annotations

import json
import os
import pty
import re
import select
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from callfire_soap import __version__
from callfire_soap.store import Store
from callfire_soap.store.schema import MIGRATIONS
from conftest import (ENVELOPE, SOAP_HEADERS, account_rows, bind, not_built_yet,
                      served_client, start_server)

STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
GET_CONTACT = ENVELOPE % "<svc:GetContact><svc:Id>999999</svc:Id></svc:GetContact>"


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
        input: str | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CALLFIRE_SOAP_")}
    return subprocess.run([sys.executable, "-m", "callfire_soap", *args],
                          env=dict(environ, **(env or {})), cwd=cwd, input=input or "",
                          capture_output=True, text=True, timeout=60)


def one_line(run: subprocess.CompletedProcess, status: int = 2) -> str:
    """The single line a refused command printed, with its exit status checked."""
    assert run.returncode == status, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr and run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def newer_schema(path: Path) -> Path:
    # Both connections closed here: a WAL file that vanished when the garbage
    # collector got to one would look like a file the command under test removed.
    Store(str(path)).db().conn.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    return path


# Each setup mistake of the issue: (command, environment, what the line must say).
# {tmp} is the test's directory; none of these may create a database.
MISTAKES = {
    "db-is-a-directory": (["serve", "--db", "{tmp}"], {}, "is a directory"),
    "db-parent-missing": (["serve", "--db", "{tmp}/no/such/dir/x.db"], {}, "does not exist"),
    # sysfs takes no new file, whoever asks (root included, as in CI).
    "db-unwritable": (["serve", "--db", "/sys/callfire.db"], {}, "Permission denied"),
    "db-not-sqlite": (["serve", "--db", "{tmp}/notes.db"], {}, "not an SQLite database"),
    "db-newer-schema": (["serve", "--db", "{tmp}/newer.db"], {}, "schema version is 99"),
    "host-unknown": (["serve", "--host", "no-such-host.invalid"], {}, "--host"),
    "port-too-large": (["serve", "--port", "99999"], {}, "not a TCP port"),
    "port-zero": (["serve", "--port", "0"], {}, "not a TCP port"),
    "port-not-a-number": (["serve", "--port", "http"], {}, "not a whole number"),
    "workers-zero": (["serve", "--workers", "0"], {}, "below 1"),
    "threads-zero": (["serve", "--threads", "0"], {}, "below 1"),
    "max-body-zero": (["serve", "--max-body", "0"], {}, "below 1"),
    "auth-window-negative": (["serve", "--auth-window", "-1"], {}, "below 1"),
    "auth-failures-negative": (["serve", "--auth-failures", "-1"], {}, "negative"),
    "sim-speed-negative": (["serve", "--sim-speed", "-1"], {}, "not a speed"),
    "sim-speed-nan": (["serve", "--sim-speed", "nan"], {}, "not a speed"),
    "sim-advance-negative": (["sim", "advance", "-5", "--db", "{tmp}/x.db"], {}, "negative"),
    "log-format-unknown": (["serve", "--log-format", "xml"], {}, "not text or json"),
    "login-with-colon": (["serve"], {"CALLFIRE_SOAP_LOGIN": "a:b"}, "CALLFIRE_SOAP_LOGIN"),
    "login-with-control": (["serve"], {"CALLFIRE_SOAP_LOGIN": "a\tb"}, "control characters"),
    "password-empty": (["serve"], {"CALLFIRE_SOAP_PASSWORD": ""},
                       "CALLFIRE_SOAP_PASSWORD is empty"),
    "env-port-invalid": (["serve"], {"CALLFIRE_SOAP_PORT": "99999"}, "CALLFIRE_SOAP_PORT"),
    "env-workers-zero": (["serve"], {"CALLFIRE_SOAP_WORKERS": "0"}, "CALLFIRE_SOAP_WORKERS"),
    "sim-now-missing-db": (["sim", "now", "--db", "{tmp}/typo.db"], {}, "does not exist"),
    "sim-advance-missing-db": (["sim", "advance", "5", "--db", "{tmp}/typo.db"], {},
                               "does not exist"),
    "account-list-missing-db": (["account", "list", "--db", "{tmp}/typo.db"], {},
                                "does not exist"),
    "account-create-colon": (["account", "create", "a:b", "--password", "x",
                              "--db", "{tmp}/x.db"], {}, "login 'a:b'"),
    "account-create-empty-password": (["account", "create", "ann", "--db", "{tmp}/x.db"], {},
                                      "must not be empty"),
    "account-delete-without-yes": (["account", "delete", "ann", "--db", "{tmp}/x.db"], {},
                                   "--yes"),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_a_setup_mistake_is_one_line_and_exit_status_2(tmp_path, case):
    args, env, says = MISTAKES[case]
    (tmp_path / "notes.db").write_text("not a database\n")
    newer_schema(tmp_path / "newer.db")
    before = sorted(tmp_path.iterdir())
    line = one_line(cli(*[a.replace("{tmp}", str(tmp_path)) for a in args], env=env,
                        cwd=tmp_path))
    assert says in line, line
    assert line.startswith("callfire-soap")
    assert sorted(tmp_path.iterdir()) == before, "a database was created"


def test_version():
    run = cli("--version")
    assert run.returncode == 0 and run.stdout == "callfire-soap %s\n" % __version__


def test_a_second_serve_on_a_taken_port_is_refused_and_the_first_keeps_the_traffic(
        server, account, tmp_path):
    port = server.base_url.rpartition(":")[2]
    second = cli("serve", "--db", str(tmp_path / "second.db"), "--port", port,
                 env={"CALLFIRE_SOAP_PASSWORD": "second-pw"})
    line = one_line(second, status=1)
    assert "cannot listen on http://127.0.0.1:%s" % port in line and "in use" in line
    assert not (tmp_path / "second.db").exists()
    answers = [requests.post(server.endpoint("contact"), data=GET_CONTACT,
                             headers=SOAP_HEADERS, auth=(account.login, account.password))
               for _ in range(12)]
    assert [a.status_code for a in answers] == [500] * 12  # NOT_FOUND from the first server


def test_a_port_held_by_another_program_creates_no_account(tmp_path):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        run = cli("serve", "--db", str(tmp_path / "x.db"), "--port", str(port))
    assert "cannot listen" in one_line(run, status=1)
    assert "password" not in run.stderr
    assert not (tmp_path / "x.db").exists()


def _log_until(server, text: str) -> list[str]:
    """The server's log lines, once one of them holds ``text``."""
    deadline = time.monotonic() + 10
    while text not in (log := server.log_path.read_text()):
        assert time.monotonic() < deadline, log
        time.sleep(0.05)
    return log.splitlines()


def test_banner_and_log_lines_share_one_timestamp_format(tmp_path):
    with start_server(tmp_path / "banner.db", "--workers", "2", "--sim-speed", "7",
                      host="localhost") as running:
        requests.post(running.endpoint("contact"), data=GET_CONTACT, headers=SOAP_HEADERS,
                      auth=("first", "first-pw"))
        lines = _log_until(running, "operation=GetContact")
        text = "\n".join(lines)
    assert "callfire-soap %s: database %s, 2 worker(s)" % (
        __version__, tmp_path / "banner.db") in text
    assert "running 7 times real time" in text
    assert re.search(r"WSDL: http://localhost:\d+/api/1.1/wsdl/callfire-service-http-soap12"
                     r"\.wsdl$", text, re.M)
    for line in lines:  # granian's, the banner, the request lines alike
        assert re.match(STAMP + " (INFO|WARNING|ERROR) ", line), line
    assert re.search(" INFO POST /api/1.1/soap12/contact 500 operation=GetContact "
                     r"login=first fault=NOT_FOUND \d+\.\dms$", text, re.M)


def test_an_ipv6_literal_is_printed_in_brackets(tmp_path):
    with start_server(tmp_path / "v6.db", host="::1") as running:
        assert requests.get(running.wsdl_url).ok
        text = "\n".join(_log_until(running, "GET /api/1.1/wsdl/"))
    assert re.search(r"WSDL: http://\[::1\]:\d+/api/", text), text


def test_not_found_and_not_implemented_are_faults_in_the_log_not_errors(server, account):
    requests.post(server.endpoint("contact"), data=GET_CONTACT, headers=SOAP_HEADERS,
                  auth=(account.login, account.password))
    path, operation, body = not_built_yet()
    requests.post(server.endpoint(path), data=ENVELOPE % body, headers=SOAP_HEADERS,
                  auth=(account.login, account.password))
    deadline = time.monotonic() + 10
    pattern = re.compile(r"^%s (\w+) POST /api/1.1/soap12/(\w+) \d+ operation=(\w+) "
                         r"login=%s fault=(\w+) " % (STAMP, account.login), re.M)
    while len(found := pattern.findall(server.log_path.read_text())) < 2:
        assert time.monotonic() < deadline, found
        time.sleep(0.05)
    assert found == [("INFO", "contact", "GetContact", "NOT_FOUND"),
                     ("INFO", path, operation, "NOT_IMPLEMENTED")]


def test_json_log_format_and_configuration_by_environment(tmp_path):
    """Flag wins over the environment (--sim-speed); the environment alone counts
    (--log-format, --workers)."""
    with start_server(tmp_path / "json.db", "--sim-speed", "3", env={
            "CALLFIRE_SOAP_LOG_FORMAT": "json", "CALLFIRE_SOAP_SIM_SPEED": "9",
            "CALLFIRE_SOAP_WORKERS": "2"}) as running:
        requests.post(running.endpoint("contact"), data=GET_CONTACT, headers=SOAP_HEADERS,
                      auth=("first", "first-pw"))
        lines = [json.loads(line) for line in _log_until(running, '"GetContact"')]
    assert all(re.fullmatch(STAMP, line["time"]) for line in lines)
    messages = [line.get("message", "") for line in lines]
    assert any("2 worker(s)" in m and "running 3 times real time" in m for m in messages)
    (call,) = [line for line in lines if line.get("operation") == "GetContact"]
    assert call["login"] == "first" and call["fault"] == "NOT_FOUND"
    assert call["status"] == 500 and call["level"] == "INFO" and call["duration_ms"] >= 0


def test_serve_help_lists_the_environment_of_every_option():
    run = cli("serve", "--help")
    assert run.returncode == 0
    options = set(re.findall(r"^  --([a-z-]+)", run.stdout, re.M)) - {"help"}
    assert {"db", "host", "port", "workers", "log-format", "sim-speed"} <= options
    for option in options:
        assert "CALLFIRE_SOAP_%s" % option.upper().replace("-", "_") in " ".join(
            run.stdout.split()), option


def test_health_answers_without_credentials_and_503_when_the_database_is_gone(tmp_path):
    with start_server(tmp_path / "health.db") as running:
        ok = requests.get(running.url("/health"))
        assert ok.status_code == 200 and ok.headers["Content-Type"] == "application/json"
        assert ok.json() == {"status": "ok", "version": __version__,
                             "database": "reachable",
                             "schema_version": len(MIGRATIONS)}
        for name in ("health.db", "health.db-wal", "health.db-shm"):
            with open(tmp_path / name, "r+b") as f:  # the file is overwritten under it
                f.write(b"garbage!" * 512)
        gone = requests.get(running.url("/health"))
    assert gone.status_code == 503
    assert gone.json()["status"] == "unavailable" and gone.json()["database"] == "unreachable"


# -- accounts -------------------------------------------------------------------

def test_account_list_passwd_and_delete(server, tmp_path):
    db = str(server.db_path)
    assert cli("account", "create", "ann", "--db", db, input="ann-pw\n").returncode == 0
    assert cli("account", "create", "bob", "--db", db, "--password", "bob-pw").returncode == 0
    ann = next(a for a in server.store.accounts.summaries() if a.login == "ann")
    bob = next(a for a in server.store.accounts.summaries() if a.login == "bob")
    for who, password in ((ann, "ann-pw"), (bob, "bob-pw")):
        created = requests.post(server.endpoint("contact"), data=ENVELOPE % (
            "<svc:CreateContactList><svc:Name>l</svc:Name><svc:ContactSource><svc:Numbers>"
            "13105550101 13105550102</svc:Numbers></svc:ContactSource>"
            "</svc:CreateContactList>"), headers=SOAP_HEADERS, auth=(who.login, password))
        assert created.ok, created.text

    listed = cli("account", "list", "--db", db)
    assert listed.returncode == 0
    header, *rows = listed.stdout.splitlines()
    assert header.split() == ["LOGIN", "ID", "CREATED", "CONTACTS", "BROADCASTS"]
    assert [ann.login, str(ann.id), ann.created, "2", "0"] in [r.split() for r in rows]

    assert cli("account", "passwd", "ann", "--db", db, input="new-pw\n").returncode == 0

    def login(password: str) -> int:
        return requests.post(server.endpoint("contact"), data=GET_CONTACT,
                             headers=SOAP_HEADERS, auth=("ann", password)).status_code

    assert (login("ann-pw"), login("new-pw")) == (401, 500)
    assert "no account 'nobody'" in one_line(
        cli("account", "passwd", "nobody", "--db", db, input="x\n"), status=1)

    bobs = account_rows(server.store, bob.id)
    deleted = cli("account", "delete", "ann", "--yes", "--db", db)
    assert deleted.returncode == 0, deleted.stderr
    assert all(rows == [] for rows in account_rows(server.store, ann.id).values())
    assert account_rows(server.store, bob.id) == bobs
    assert login("new-pw") == 401
    assert "ann" not in cli("account", "list", "--db", db).stdout.split()


def _fill(server, account) -> None:
    """Something of ``account`` in every table there is."""
    client = served_client(server, account)
    contacts, broadcasts = bind(client, server, "Contact"), bind(client, server, "Broadcast")
    contacts.CreateContactList(RequestId="urn:fill", Name="l", ContactSource={
        "Numbers": {"_value_1": ["13105550101 13105550102"]}})
    contacts.CreateDncList(Name="no", Numbers="13105550199")
    broadcast_id = broadcasts.CreateBroadcast(Broadcast={"Name": "t", "TextBroadcastConfig": {
        "FromNumber": "67076", "Message": "hi"}})
    broadcasts.CreateContactBatch(BroadcastId=broadcast_id,
                                  ToNumber=[{"_value_1": "13105550103"}])
    broadcasts.CreateBroadcastSchedule(BroadcastId=broadcast_id, BroadcastSchedule={
        "StartTimeOfDay": "09:00:00", "StopTimeOfDay": "17:00:00",
        "TimeZone": "America/New_York", "DaysOfWeek": ["MONDAY"]})
    bind(client, server, "Subscription").CreateSubscription(Subscription={  # and a postback
        "Endpoint": "ops@example.com", "NotificationFormat": "EMAIL",  # that stays as it is
        "TriggerEvent": "CAMPAIGN_STARTED"})
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START")
    texts = bind(client, server, "Text")
    texts.SendText(ToNumber=[{"_value_1": "13105550104"}],
                   TextBroadcastConfig={"Message": "hi"}, UseDefaultBroadcast=True)
    texts.CreateAutoReply(AutoReply={"Number": "67076", "Match": "", "Message": "hi"})
    server.store.clock.advance(60)
    broadcasts.GetBroadcastStats(Id=broadcast_id)  # the texts are sent by now
    with server.store.session(account.id, write=True) as session:
        session.numbers.add(["1310555%04d" % account.id], None, session.sim_now)
        session.keywords.add(["FILL%d" % account.id], None, session.sim_now)


def test_account_delete_takes_the_data_of_every_table_with_it(server, account, other_account):
    _fill(server, account)
    _fill(server, other_account)
    rows = account_rows(server.store, account.id)
    assert all(rows.values()), "not every table holds something: %s" % [
        table for table, found in rows.items() if not found]
    others = account_rows(server.store, other_account.id)
    contact_ids = [row[0] for row in rows["contacts"]]

    deleted = cli("account", "delete", account.login, "--yes", "--db", str(server.db_path))
    assert deleted.returncode == 0, deleted.stderr
    assert {table: found for table, found in account_rows(server.store, account.id).items()
            if found} == {}
    assert account_rows(server.store, other_account.id) == others
    assert server.store.db().execute(
        "SELECT count(*) FROM contact_search WHERE rowid IN (%s)"
        % ",".join(map(str, contact_ids))).fetchone()[0] == 0


def test_passwords_are_prompted_twice_without_echo_on_a_terminal(tmp_path):
    db = str(tmp_path / "tty.db")
    pid, terminal = pty.fork()
    if pid == 0:  # the child: a terminal is its standard input and output
        os.execv(sys.executable, [sys.executable, "-m", "callfire_soap", "account", "create",
                                  "ann", "--db", db])
    seen = b""

    def until(text: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 30
        while text not in seen:
            assert time.monotonic() < deadline, seen
            if select.select([terminal], [], [], 0.1)[0]:
                try:
                    seen += os.read(terminal, 1024)
                except OSError:  # the child closed the terminal
                    break

    until(b"Password: ")
    os.write(terminal, b"typed-secret\n")
    until(b"Password again: ")
    os.write(terminal, b"typed-secret\n")
    until(b"Created account")
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert b"typed-secret" not in seen  # not echoed
    assert Store(db).accounts.verify("ann", "typed-secret") is not None
