"""A real server over real HTTP, and zeep clients in the two setups legacy users have.

The server is the ``callfire-soap serve`` command on an ephemeral port with a
fresh SQLite file.  Each test gets accounts of its own, so tests never see
each other's data.  Every SOAP response a test receives is also checked
against the served XSD: what Spyne writes must be what the WSDL promises.
"""
from __future__ import annotations

import io
import itertools
import os
import socket
import subprocess
import sys
import time
import wave
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import requests
import zeep
from lxml import etree
from zeep.plugins import Plugin
from zeep.transports import Transport

from callfire_soap.services import implemented
from callfire_soap.soap.models import PORTS, SCHEMA
from callfire_soap.soap.schema import fields
from callfire_soap.soap.wsdl import WSDL_DIR
from callfire_soap.store import Store

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT.parent / "shared" / "reference" / "callfire-api-1.1"
ENTRY = "callfire-service-http-soap12.wsdl"
BINDING_NS = "http://api.callfire.com/service/wsdl/http/soap12"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS_SVC = "http://api.callfire.com/service/xsd"
NS_DATA = "http://api.callfire.com/data"

SERVED_XSD = etree.XMLSchema(etree.parse(str(WSDL_DIR / "callfire-service.xsd")))
_logins = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base_url: str
    db_path: Path
    store: Store
    proc: subprocess.Popen  # leads its own process group: its workers die with it
    log_path: Path          # what the server printed: its request log, errors

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def wsdl_url(self) -> str:
        return self.url("/api/1.1/wsdl/" + ENTRY)

    def endpoint(self, svc: str) -> str:
        return self.url("/api/1.1/soap12/" + svc)


@contextmanager
def start_server(db_path: Path, *args: str, host: str = "127.0.0.1",
                 env: dict[str, str] | None = None) -> Iterator[Server]:
    """``callfire-soap serve`` on a free port with its own database, until the block
    ends; ready once ``/health`` says so.  ``env`` adds to the environment."""
    port = _free_port()
    env = dict(os.environ, CALLFIRE_SOAP_LOGIN="first", CALLFIRE_SOAP_PASSWORD="first-pw",
               **(env or {}))
    # Output goes to a file: a pipe nobody reads would stall the server once full.
    log_path = db_path.with_suffix(".log")
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "callfire_soap", "serve", "--db", str(db_path),
             "--host", host, "--port", str(port), *args], env=env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
    base_url = "http://%s:%d" % ("[%s]" % host if ":" in host else host, port)
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(base_url + "/health", timeout=1).ok:
                break
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("server did not start:\n" + log_path.read_text())
        time.sleep(0.1)
    try:
        yield Server(base_url, db_path, Store(str(db_path)), proc, log_path)
    finally:
        proc.terminate()
        proc.wait(10)


ADMIN = ("root", "admin-secret")  # the admin login of admin_server


def admin_server(db_path: Path) -> Iterator[Server]:
    """A server with the admin surface open to ADMIN, its clock standing still, and
    two workers: what one worker is told, the other must know."""
    return start_server(db_path, "--workers", "2", "--sim-speed", "0", "--admin-login",
                        ADMIN[0], env={"CALLFIRE_SOAP_ADMIN_PASSWORD": ADMIN[1]})


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """The shared server.  Its simulation clock stands still: tests move it with
    ``server.store.clock.advance`` and never wait for a broadcast."""
    with start_server(tmp_path_factory.mktemp("server") / "callfire.db",
                      "--sim-speed", "0") as running:
        yield running


@dataclass
class Account:
    login: str
    password: str
    id: int


def new_account(server: Server) -> Account:
    login, password = "user%d" % next(_logins), "pw-%d" % time.monotonic_ns()
    return Account(login, password, server.store.accounts.create(login, password))


def account_rows(store: Store, account_id: int) -> dict[str, list[tuple]]:
    """Everything stored for one account, table by table: what a rejected request or
    another account must leave exactly as it was.  Tables without an ``account_id``
    are reached through their first reference to a table that has one; tables with
    neither (the search index's internals, derived from contact_fields) are left out."""
    db = store.db()
    columns = {table: [row[1] for row in db.execute("PRAGMA table_info(%s)" % table)]
               for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    rows = {"accounts": db.execute("SELECT * FROM accounts WHERE id = ?",
                                   [account_id]).fetchall()}
    for table, names in columns.items():
        if table == "accounts":
            continue
        if "account_id" in names:
            where = "account_id = ?"
        else:
            link = next(((fk[2], fk[3]) for fk in
                         db.execute("PRAGMA foreign_key_list(%s)" % table)
                         if "account_id" in columns.get(fk[2], ())), None)
            if link is None:
                continue
            parent, column = link
            where = "%s IN (SELECT id FROM %s WHERE account_id = ?)" % (column, parent)
        rows[table] = sorted(db.execute("SELECT * FROM %s WHERE %s" % (table, where),
                                        [account_id]).fetchall())
    return rows


@pytest.fixture
def account(server) -> Account:
    return new_account(server)


@pytest.fixture
def other_account(server) -> Account:
    return new_account(server)


def assert_unique_ids(answer: etree._Element) -> None:
    """No two different elements of one answer share an ``id`` attribute: Perl's
    SOAP::Lite reads such elements as one multi-referenced object."""
    ids = [element.get("id") for element in answer.iter() if element.get("id") is not None]
    assert len(ids) == len(set(ids)), "elements sharing an id: %s" % sorted(
        i for i in set(ids) if ids.count(i) > 1)


class ResponsesMatchServedSchema(Plugin):
    """Fails a test when the server answers with XML the served XSD does not allow,
    or with two elements sharing an id."""

    def ingress(self, envelope, http_headers, operation):
        body = envelope.find("{%s}Body" % SOAP12)
        for element in body:
            if element.tag != "{%s}Fault" % SOAP12:
                SERVED_XSD.assertValid(element)
                assert_unique_ids(element)
        return envelope, http_headers


def _session(account: Account | None) -> requests.Session:
    session = requests.Session()
    if account is not None:
        session.auth = (account.login, account.password)
    return session


def served_client(server: Server, account: Account | None) -> zeep.Client:
    """zeep on the WSDL the server serves, by URL."""
    return zeep.Client(server.wsdl_url, transport=Transport(session=_session(account)),
                       plugins=[ResponsesMatchServedSchema()])


def reference_client(server: Server, account: Account | None) -> zeep.Client:
    """zeep on the published 2014 WSDL file, as an old integration ships it."""
    if not (REFERENCE_DIR / ENTRY).exists():
        pytest.skip("needs ../shared/reference/callfire-api-1.1 beside the project")
    return zeep.Client(str(REFERENCE_DIR / ENTRY), transport=Transport(session=_session(account)),
                       plugins=[ResponsesMatchServedSchema()])


def bind(client: zeep.Client, server: Server, service: str):
    """The ``<service>ServicePort`` of a client, addressed at our server."""
    return client.create_service("{%s}%sServiceBinding" % (BINDING_NS, service),
                                 server.endpoint(service.lower()))


@pytest.fixture(params=["served", "reference"])
def wsdl_setup(request):
    return request.param


@pytest.fixture
def client(server, account, wsdl_setup) -> zeep.Client:
    make = served_client if wsdl_setup == "served" else reference_client
    return make(server, account)


@pytest.fixture
def contacts(client, server):
    """ContactService for this test's account, in both WSDL setups."""
    return bind(client, server, "Contact")


@pytest.fixture
def broadcasts(client, server):
    """BroadcastService for this test's account, in both WSDL setups."""
    return bind(client, server, "Broadcast")


def wav(frames: int = 8000) -> bytes:
    """A mono 8,000 Hz WAV of ``frames`` frames (a square wave), made by the standard
    library: audio for a CreateSound without an audio library."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x10\x00\xf0" * (frames // 2))
    return buffer.getvalue()


def fault_code(excinfo) -> str:
    """The CallFire FaultCode of a zeep Fault."""
    detail = excinfo.value.detail
    return detail.find("{%s}ServiceFaultInfo/{%s}FaultCode" % (NS_SVC, NS_SVC)).text


# -- raw requests, for what no client library sends --------------------------

ENVELOPE = ('<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:svc="http://api.callfire.com/service/xsd" '
            'xmlns:data="http://api.callfire.com/data"><env:Body>%s</env:Body></env:Envelope>')
SOAP_HEADERS = {"Content-Type": "application/soap+xml; charset=utf-8"}
# The same in SOAP 1.1, as PHP's SoapClient without soap_version sends it.
ENVELOPE11 = ('<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
              'xmlns:svc="http://api.callfire.com/service/xsd" '
              'xmlns:data="http://api.callfire.com/data"><SOAP-ENV:Body>%s</SOAP-ENV:Body>'
              '</SOAP-ENV:Envelope>')
SOAP11_HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
CONTENT_TYPES = {SOAP12: "application/soap+xml; charset=utf-8",
                 SOAP11: "text/xml; charset=utf-8"}


def post(server: Server, account: Account | None, body: bytes | str, svc="contact",
         **kwargs) -> requests.Response:
    """A raw SOAP request, as no client library would send it."""
    if isinstance(body, str):
        body = body.encode()
    auth = None if account is None else (account.login, account.password)
    return requests.post(server.endpoint(svc), data=body, auth=auth,
                         headers=kwargs.pop("headers", SOAP_HEADERS), **kwargs)


def soap_fault(response) -> dict:
    """The parts of a SOAP fault a client reads, in either version; ``code`` is the
    fault code as a qualified name, resolved against the answer's own prefixes."""
    doc = etree.fromstring(response.content)
    version = etree.QName(doc).namespace
    assert response.headers["Content-Type"] == CONTENT_TYPES[version]
    ns = {"env": version, "svc": NS_SVC}
    (fault,) = doc.xpath("/env:Envelope/env:Body/env:Fault", namespaces=ns)
    if version == SOAP12:
        code_path, reason_path, detail = "env:Code/env:Value", "env:Reason/env:Text", "env:Detail"
    else:
        code_path, reason_path, detail = "faultcode", "faultstring", "detail"
    (code,) = fault.xpath(code_path, namespaces=ns)
    prefix, _, local = code.text.partition(":")
    return {
        "version": version,
        "code": etree.QName(code.nsmap[prefix], local).text,
        "reason": fault.xpath("string(%s)" % reason_path, namespaces=ns),
        "fault_code": fault.xpath("string(%s/svc:ServiceFaultInfo/svc:FaultCode)" % detail,
                                  namespaces=ns),
        "message": fault.xpath("string(%s/svc:ServiceFaultInfo/svc:Message)" % detail,
                               namespaces=ns),
    }


def sender(response, version: str = SOAP12) -> dict:
    """The client's-mistake fault of an answer: HTTP 500, in the given SOAP version."""
    assert response.status_code == 500, response.text
    fault = soap_fault(response)
    assert fault["version"] == version
    assert fault["code"] == "{%s}%s" % (version, "Sender" if version == SOAP12 else "Client")
    assert fault["reason"]
    return fault


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CALLFIRE_SOAP_FORBID_SKIPS=1 (as .ci/run sets it) a skipped test fails:
    CI must not go green with the reference or client tests silently left out."""
    outcome = yield
    report = outcome.get_result()
    expected_failure = hasattr(report, "wasxfail")  # an xfail mark, not a skip
    if (report.skipped and not expected_failure
            and os.environ.get("CALLFIRE_SOAP_FORBID_SKIPS") == "1"):
        report.outcome = "failed"
        report.longrepr = "skipped, but CALLFIRE_SOAP_FORBID_SKIPS=1: %s" % (report.longrepr,)
