"""The request journal: what a client sent and got, byte for byte, from the command
line and over the admin surface; never a credential; bounded; off when asked."""
from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from callfire_soap.accesslog import AccessLog
from callfire_soap.app import CallFireApp
from callfire_soap.store import Store
from callfire_soap.store.admin import AdminFile, admin_path
from callfire_soap.store.journal import Bound, parse_bound, parse_since
from callfire_soap.store.errors import InvalidRequest
from conftest import (ADMIN, ENVELOPE, SOAP_HEADERS, admin_server, new_account, post,
                      start_server)
from test_php import PHP_DIR, php_available



@pytest.fixture(scope="module")
def journaled(tmp_path_factory):
    with admin_server(tmp_path_factory.mktemp("journal") / "callfire.db") as running:
        yield running


def journal_cli(server, *args: str) -> bytes:
    """``callfire-soap journal`` on the server's database: its standard output."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CALLFIRE_SOAP_")}
    run = subprocess.run([sys.executable, "-m", "callfire_soap", "journal", "--db",
                          str(server.db_path), *args], env=environ, capture_output=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


def settled(server) -> None:
    """The admin surface answers once every exchange before it is written; the
    command line reads the file directly, so ask the surface first."""
    assert requests.get(server.url("/admin/journal?limit=0"), auth=ADMIN).ok


def get_contact(contact_id: int) -> str:
    return ENVELOPE % ("<svc:GetContact><svc:Id>%d</svc:Id></svc:GetContact>" % contact_id)


def xml_exchanges(output: bytes) -> list[tuple[bytes, bytes]]:
    """``journal --xml`` output as (header line, the bodies that follow it)."""
    blocks = output.split(b"\n# ")
    blocks = [blocks[0].removeprefix(b"# ")] + blocks[1:]
    return [tuple(block.split(b"\n", 1)) for block in blocks if block]


# -- what PHP sent and got, exactly ---------------------------------------------

@pytest.mark.skipif(not php_available(), reason="needs php-cli with the soap extension "
                                                "(Debian: apt-get install php-cli php-soap)")
@pytest.mark.parametrize("soap_version", ["1.2", "1.1"])
def test_journal_prints_exactly_what_php_sent_and_got(journaled, tmp_path, soap_version):
    account = new_account(journaled)
    env = dict(os.environ, CALLFIRE_WSDL=journaled.wsdl_url, CALLFIRE_LOCATION="",
               CALLFIRE_LOGIN=account.login, CALLFIRE_PASSWORD=account.password,
               CALLFIRE_SOAP_VERSION=soap_version if soap_version == "1.2" else "",
               CALLFIRE_JOURNAL_OUT=str(tmp_path), CALLFIRE_CAPTURE="")
    run = subprocess.run(["php", str(PHP_DIR / "journal.php")], env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    settled(journaled)
    for operation, fault in (("SendText", ()), ("GetContact", ("--fault", "NOT_FOUND"))):
        sent = (tmp_path / (operation.lower() + ".request")).read_bytes()
        got = (tmp_path / (operation.lower() + ".response")).read_bytes()
        output = journal_cli(journaled, "--op", operation, "--login", account.login, "--xml",
                             *fault)
        ((header, bodies),) = xml_exchanges(output)
        assert (b" %s SOAP %s " % (operation.encode(), soap_version.encode())) in header
        assert bodies == sent + (b"" if sent.endswith(b"\n") else b"\n") + got + (
            b"" if got.endswith(b"\n") else b"\n")
    table = journal_cli(journaled, "--login", account.login).decode().splitlines()
    assert table[0].split() == ["ID", "TIME", "LOGIN", "PORT", "OPERATION", "SOAP", "STATUS",
                                "FAULT", "INJECTED", "MS"]
    rows = {line.split()[4]: line.split() for line in table[1:]}  # two workers: any order
    assert sorted(rows) == ["GetContact", "SendText"]
    assert rows["GetContact"][6:8] == ["500", "NOT_FOUND"]


# -- over the admin surface --------------------------------------------------------

def test_the_admin_surface_lists_and_counts_with_an_xpath_at_once(journaled):
    account = new_account(journaled)
    for contact_id in (11, 12, 11):
        post(journaled, account, get_contact(contact_id))
    # no pause: exchanges answered before the admin request are all in the journal
    count = requests.post(journaled.url("/admin/journal/count"), auth=ADMIN, json={
        "login": account.login, "operation": "GetContact", "xpath": "//svc:Id = 11"})
    assert count.json() == {"count": 2}
    assert requests.post(journaled.url("/admin/journal/count"), auth=ADMIN, json={
        "login": account.login, "fault": "NOT_FOUND"}).json() == {"count": 3}
    everything = requests.get(journaled.url("/admin/journal"), auth=ADMIN, params={
        "login": account.login, "xml": "true"}).json()["exchanges"]
    # two workers answered them: in journal order (by id), which across workers is the
    # order their writers wrote them
    assert sorted(e["request"] for e in everything) == sorted(map(get_contact, (11, 12, 11)))
    assert [e["id"] for e in everything] == sorted(e["id"] for e in everything)
    listed = requests.get(journaled.url("/admin/journal"), auth=ADMIN, params={
        "login": account.login, "xml": "true", "limit": 2}).json()["exchanges"]
    assert listed == everything[1:]
    earlier = requests.get(journaled.url("/admin/journal"), auth=ADMIN, params={
        "login": account.login, "xml": "true", "before": listed[0]["id"]}).json()
    assert earlier["exchanges"] == everything[:1]
    assert listed[0]["port"] == "contact" and listed[0]["http_status"] == 500
    assert "<svc:FaultCode>NOT_FOUND</svc:FaultCode>" in listed[0]["response"]
    one = requests.get(journaled.url("/admin/journal/%d" % listed[1]["id"]), auth=ADMIN).json()
    assert one == listed[1]
    brief = requests.get(journaled.url("/admin/journal"), auth=ADMIN,
                         params={"login": account.login}).json()["exchanges"]
    assert len(brief) == 3 and "request" not in brief[0]


@pytest.mark.parametrize("fields, message", [
    ({"xpath": "//["}, "is not an XPath expression"),
    ({"fault": "SOMETIMES"}, "is not a FaultCode"),
    ({"since": "yesterday"}, "neither an ISO 8601 time"),
    ({"colour": "red"}, "unknown field"),
])
def test_a_bad_verification_is_refused_saying_why(journaled, fields, message):
    answer = requests.post(journaled.url("/admin/journal/count"), auth=ADMIN, json=fields)
    assert answer.status_code == 400 and message in answer.json()["error"]


def test_no_credential_reaches_the_journal(journaled):
    account = new_account(journaled)
    post(journaled, account, get_contact(1))
    wrong = requests.post(journaled.endpoint("contact"), data=get_contact(2),
                          auth=(account.login, "a-wrong-password"), headers=SOAP_HEADERS)
    assert wrong.status_code == 401
    settled(journaled)
    exchanges = requests.get(journaled.url("/admin/journal"), auth=ADMIN, params={
        "xml": "true", "port": "contact"}).json()["exchanges"]
    # the newest refused one (two workers: the GetContact before it may be numbered after)
    refused = [e for e in exchanges if e["http_status"] == 401][-1]
    assert refused["login"] is None
    assert refused["request"] is None  # not read: it came with no valid login
    path = admin_path(str(journaled.db_path))
    stored = b"".join(Path(path + suffix).read_bytes() for suffix in ("", "-wal")
                      if os.path.exists(path + suffix))
    for secret in (account.password, "a-wrong-password"):
        assert secret.encode() not in stored
        assert base64.b64encode(("%s:%s" % (account.login, secret)).encode()) not in stored


def test_since_takes_a_time_or_a_span():
    assert parse_since("2026-12-01T10:00:00Z") == parse_since("2026-12-01T10:00:00")
    assert parse_since("2026-12-01T11:00:00+01:00") == parse_since("2026-12-01T10:00:00")
    assert parse_since("15m", now=1000.0) == 100.0
    with pytest.raises(InvalidRequest):
        parse_since("last week")


def test_the_command_line_filters_by_time(journaled):
    account = new_account(journaled)
    post(journaled, account, get_contact(1))
    settled(journaled)
    assert len(journal_cli(journaled, "--login", account.login, "--since", "1h"
                           ).splitlines()) == 2
    assert len(journal_cli(journaled, "--login", account.login, "--since", "2999-01-01"
                           ).splitlines()) == 1
    assert b"SendText" not in journal_cli(journaled, "--login", account.login)


# -- bounded, redacted, off: in process, where the writer can be flushed -------------

def _soap(app, body: bytes, auth=("first", "pw")) -> int:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/1.1/soap12/contact",
               "CONTENT_TYPE": SOAP_HEADERS["Content-Type"], "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body), "REMOTE_ADDR": "127.0.0.1",
               "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.url_scheme": "http",
               "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(
                   ("%s:%s" % auth).encode()).decode()}
    seen = {}
    b"".join(app(environ, lambda status, headers, exc_info=None: seen.update(status=status)))
    return int(seen["status"].split()[0])


def _app(tmp_path, journal: Bound | None):
    app = CallFireApp(Store(str(tmp_path / "j.db")), access_log=AccessLog(io.StringIO()),
                      journal=journal)
    app.store.accounts.create("first", "pw")
    return app


def _requests(app, contact_ids, batch_each: bool) -> list:
    """GetContact of each id, written as one batch or one batch each; what is kept."""
    for contact_id in contact_ids:
        _soap(app, get_contact(contact_id).encode())
        if batch_each:
            app.journal.flush()
    app.journal.flush()
    return app.journal.journal.exchanges()


def test_the_oldest_exchanges_go_first_beyond_a_number_of_rows(tmp_path):
    app = _app(tmp_path, parse_bound("3"))
    kept = _requests(app, range(1, 6), batch_each=False)
    assert [e.request for e in kept] == [get_contact(i).encode() for i in (3, 4, 5)]
    assert app.journal.journal.stats()["exchanges"] == 3
    kept = _requests(app, range(6, 9), batch_each=True)  # the older batches are dropped
    assert [e.request for e in kept] == [get_contact(i).encode() for i in (6, 7, 8)]
    assert app.journal.journal.stats()["bytes"] == sum(
        len(e.request) + len(e.response) for e in kept)


def test_the_oldest_exchanges_go_first_beyond_a_number_of_bytes(tmp_path):
    app = _app(tmp_path, parse_bound("2KB"))
    kept = _requests(app, range(1, 9), batch_each=True)
    stats = app.journal.journal.stats()
    assert stats["bytes"] <= 2048 and stats["exchanges"] == len(kept) < 8
    assert kept[-1].request == get_contact(8).encode()
    assert [e.id for e in kept] == list(range(9 - len(kept), 9))


def test_a_password_in_a_soap_header_is_blanked(tmp_path):
    app = _app(tmp_path, parse_bound("10"))
    secured = (
        '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:svc="http://api.callfire.com/service/xsd" xmlns:wsse="http://docs.oasis-open.org'
        '/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><env:Header><wsse:Security>'
        '<wsse:UsernameToken><wsse:Username>first</wsse:Username><wsse:Password Type="t">'
        'hunter2</wsse:Password></wsse:UsernameToken></wsse:Security></env:Header><env:Body>'
        '<svc:GetContact><svc:Id>1</svc:Id></svc:GetContact></env:Body></env:Envelope>')
    _soap(app, secured.encode())
    app.journal.flush()
    (kept,) = app.journal.journal.exchanges()
    assert kept.request == secured.replace("hunter2", "***").encode()


def test_with_the_journal_off_nothing_is_recorded(tmp_path):
    app = _app(tmp_path, None)
    assert _soap(app, get_contact(1).encode()) == 500
    assert app.journal is None
    assert AdminFile(admin_path(str(tmp_path / "j.db"))).journal.stats()["exchanges"] == 0


@pytest.mark.parametrize("text, bound", [("10000", Bound(rows=10000)),
                                         ("64MB", Bound(size=64 << 20)),
                                         ("512kb", Bound(size=512 << 10))])
def test_journal_max_reads_rows_or_bytes(text, bound):
    assert parse_bound(text) == bound == parse_bound(bound.setting())


def test_serve_refuses_a_journal_max_it_cannot_read(tmp_path):
    from test_cli import cli
    run = cli("serve", "--db", str(tmp_path / "x.db"), "--journal-max", "lots")
    assert run.returncode == 2 and "--journal-max" in run.stderr


def test_journal_off_at_serve_records_nothing(tmp_path):
    with start_server(tmp_path / "off.db", "--journal", "off", "--admin-login", ADMIN[0],
                      env={"CALLFIRE_SOAP_ADMIN_PASSWORD": ADMIN[1]}) as running:
        post(running, None, get_contact(1))
        time.sleep(0.2)
        answer = requests.get(running.url("/admin/journal"), auth=ADMIN).json()
        assert answer["exchanges"] == [] and answer["stored"]["exchanges"] == 0
