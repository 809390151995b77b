"""The WSGI application: routes, HTTP Basic auth, WSDL serving, the request log.

``/api/1.1/wsdl/<file>`` serves the WSDL set to anyone (PHP's SoapClient
sends its login with every WSDL fetch, right or wrong); ``/api/1.1/soap12/<svc>``
takes authenticated SOAP 1.2 and SOAP 1.1 POSTs for one port each;
``/api/1.1/recordings/<id>.mp3`` (or ``.wav``) is a recording's Link, for its
account; ``/health`` tells orchestrators whether the server can serve; ``/admin/``
is the admin surface (``admin/``), behind its own login, and ``/console/`` the web
console (``console/``) behind the same login.  A client that keeps failing to log
in is refused for a while (429), before any password is checked; a body
too large (413) or of the wrong Content-Type (415) is refused with a SOAP
fault, in the version its headers announce, before it is parsed.  An MTOM
request (``multipart/related``, soap/mtom.py) is unpacked into its envelope
and the parts its ``xop:Include`` elements name.
"""
from __future__ import annotations

import json
import logging
import os
import time
from http import HTTPStatus

from . import __version__
from .accesslog import AccessLog
from .admin import ADMIN_PATH, AdminSurface
from .basicauth import credentials as basic_credentials
from .console import create_console
from .injection import ConnectionDropped, Injected, Injector
from .limits import ENV_PREFIX, Limits
from .ratelimit import FailedLogins
from .services import DECLARATIONS
from .domain import sounds
from .services.notifications import render as render_notification
from .soap import application, envelope, faults, links, mtom
from .soap.endpoint import SoapEndpoint
from .soap.models import PORTS
from .soap.wsdl import ENTRY, SOAP_PATH, WSDL_PATH, render
from .store import NotFound, Store, UnusableDatabase
from .store.admin import AdminFile, admin_path
from .store.injections import Rule
from .store.journal import DEFAULT_MAX, Bound, JournalWriter, parse_bound


DEFAULT_DB = "./callfire.db"
REALM = "CallFire API"
NOTE_KEY = "callfire_soap.log"  # WSGI environ: what the request log line says of a call
HEALTH_PATH = "/health"
CONSOLE_PATH = "/console"
DEFAULT_JOURNAL = parse_bound(DEFAULT_MAX)
# SOAP 1.2's media type, and SOAP 1.1's, which older clients send with 1.2 envelopes
# too; the envelope, not the media type, says which version a request is.
SOAP_MEDIA_TYPES = ("application/soap+xml", "text/xml")


def _plain(start_response, status: str, text: str, headers=()) -> list[bytes]:
    body = (text + "\n").encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(body))), *headers])
    return [body]


def _base_url(environ) -> str:
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_X_FORWARDED_HOST") or environ.get("HTTP_HOST")
    if not host:
        host = "%s:%s" % (environ["SERVER_NAME"], environ["SERVER_PORT"])
    return "%s://%s" % (scheme, host)


def _soap(start_response, status: str, version: envelope.SoapVersion,
          body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", version.content_type),
                            ("Content-Length", str(len(body)))])
    return [body]


def _fault(environ, start_response, fault: faults.ServiceFault,
           version: envelope.SoapVersion) -> list[bytes]:
    note = environ[NOTE_KEY]
    note["fault"], note["version"] = fault.fault_code, version.name
    note["response"] = envelope.fault_document(fault, version)
    return _soap(start_response, fault.http_status, version, note["response"])


def _injected(start_response, rule: Rule):
    """An injected HTTP status (as a proxy in front would answer: no SOAP body), or a
    connection dropped before its answer."""
    if rule.drop:
        return _dropped()
    status = HTTPStatus(rule.http_status)
    return _plain(start_response, "%d %s" % (status.value, status.phrase), status.phrase)


def _dropped():
    """A body that fails before its first byte: the HTTP server closes the connection
    before the answer is complete (its status line may have gone out, no body does)."""
    raise ConnectionDropped("the connection was dropped by an injection rule")
    yield b""  # a generator: it raises when the server asks for the body


def _content_type_fault(environ) -> faults.ServiceFault | None:
    """A SOAP media type in UTF-8 (the default) or an MTOM package, or the fault
    refusing it."""
    header = environ.get("CONTENT_TYPE", "")
    media_type, *params = [part.strip() for part in header.split(";")]
    charset = next((value.strip().strip('"') for name, _, value in
                    (param.partition("=") for param in params)
                    if name.strip().lower() == "charset"), "utf-8")
    if media_type.lower() in SOAP_MEDIA_TYPES and charset.lower() in ("utf-8", "utf8"):
        return None
    if mtom.is_package(header):  # its root part's charset is checked as it is unpacked
        return None
    return faults.unsupported_media_type(header)


class CallFireApp:
    """The whole server as one WSGI callable."""

    def __init__(self, store: Store, limits: Limits = Limits(),
                 access_log: AccessLog | None = None, admin: AdminFile | None = None,
                 journal: Bound | None = DEFAULT_JOURNAL):
        # ``access_log`` None: a request log on standard error; ``admin`` None: the
        # admin file beside the database; ``journal`` None: no request journal.
        self.store = store
        self.limits = limits
        self.access_log = access_log or AccessLog()
        self.failed_logins = FailedLogins(limits.auth_failures, limits.auth_window)
        admin = admin or AdminFile(admin_path(store.path))
        self.journal = None if journal is None else JournalWriter(
            admin.journal, journal, processes=int(os.environ.get(ENV_PREFIX + "WORKERS", "1")))
        self.injector = Injector(admin.injections)
        self.admin = AdminSurface(store, admin, self.failed_logins,
                                  lambda respond: _plain(respond, "404 Not Found", "not found"),
                                  self.journal)
        self.console = create_console(store, admin, self.failed_logins, CONSOLE_PATH,
                                      self.journal)
        self.ports = {
            port.path: SoapEndpoint(
                application.build(port, DECLARATIONS[port.name], store, limits))
            for port in PORTS
        }

    def __call__(self, environ, start_response):
        arrived, started = time.time(), time.perf_counter()
        seen = {}
        # operation, login, fault: filled in on the way; at a SOAP port also the
        # port, SOAP version, request, response and injection, for the journal.
        note = environ[NOTE_KEY] = {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = status
            return start_response(status, headers, exc_info)

        try:
            return self._route(environ, recording_start_response)
        finally:
            millis = (time.perf_counter() - started) * 1000
            status = seen.get("status", "-").split(" ")[0]
            self.access_log.request(environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"),
                                    status, note.get("operation"), note.get("login"),
                                    note.get("fault"), millis)
            if self.journal is not None and "port" in note:
                self.journal.record(arrived, note.get("login"), note["port"],
                                    note.get("operation"), note.get("version"),
                                    int(status) if status.isdigit() else None,
                                    note.get("fault"), note.get("injected"), millis,
                                    note.get("request"), note.get("response"))

    def _route(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path.startswith(WSDL_PATH) and method in ("GET", "HEAD"):
            return self._wsdl(environ, start_response, path[len(WSDL_PATH):])
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return self._health(environ, start_response)
        if path.startswith(ADMIN_PATH) or path == ADMIN_PATH.rstrip("/"):
            return self.admin(environ, start_response, environ[NOTE_KEY])
        if path.startswith(links.RECORDINGS_PATH) and method in ("GET", "HEAD"):
            return self._recording(environ, start_response, path)
        if path == CONSOLE_PATH or path.startswith(CONSOLE_PATH + "/"):
            return self._console(environ, start_response, path)
        if not path.startswith(SOAP_PATH):
            return _plain(start_response, "404 Not Found", "not found")
        port_name = path[len(SOAP_PATH):].strip("/")
        port = self.ports.get(port_name)
        if port is None:
            return _plain(start_response, "404 Not Found", "no such service")
        if method == "GET" and environ.get("QUERY_STRING", "").lower() == "wsdl":
            return self._wsdl(environ, start_response, ENTRY)
        if method != "POST":
            return _plain(start_response, "405 Method Not Allowed",
                          "SOAP requests are POSTed", [("Allow", "POST")])
        note = environ[NOTE_KEY]
        note["port"] = port_name
        account_id, refusal = self._login(environ, start_response)
        if refusal is not None:
            return refusal
        announced = envelope.announced(environ.get("CONTENT_TYPE", ""),
                                       environ.get("HTTP_SOAPACTION"))
        refused = _content_type_fault(environ)
        if refused is not None:
            return _fault(environ, start_response, refused, announced)
        content_type = environ.get("CONTENT_TYPE", "")
        attachments = None
        try:
            body = note["request"] = self._read_body(environ)
            if mtom.is_package(content_type):
                package = mtom.unpack(content_type, body)
                body, attachments = package.envelope, package.parts
        except faults.ServiceFault as fault:
            return _fault(environ, start_response, fault, announced)
        links.BASE_URL.set(_base_url(environ))
        try:
            status, version, answer = port.handle(body, account_id, announced, note,
                                                  self.injector, attachments)
        except Injected as injected:
            return _injected(start_response, injected.rule)
        note["version"], note["response"] = version.name, answer
        return _soap(start_response, status, version, answer)

    def _login(self, environ, start_response) -> tuple[int | None, list[bytes] | None]:
        """The account the request's Basic credentials log in to, or the refusal
        answered (401, or 429 for an address that failed too often)."""
        client = environ.get("REMOTE_ADDR", "")
        retry_after = self.failed_logins.retry_after(client)
        if retry_after is not None:
            return None, _plain(start_response, "429 Too Many Requests",
                                "too many failed logins; try again later",
                                [("Retry-After", str(retry_after))])
        credentials = basic_credentials(environ)
        account_id = None if credentials is None else self.store.accounts.verify(*credentials)
        if account_id is None:
            if credentials is not None:
                self.failed_logins.failed(client)
            return None, _plain(start_response, "401 Unauthorized", "Unauthorized",
                                [("WWW-Authenticate", 'Basic realm="%s"' % REALM)])
        environ[NOTE_KEY]["login"] = credentials[0]
        return account_id, None

    def _recording(self, environ, start_response, path: str):
        """A recording's audio, the Link of its RecordingMeta: ``<id>.mp3`` or
        ``<id>.wav``, for its account's credentials only (another's is 404)."""
        wanted = links.parse_recording(path)
        if wanted is None:
            return _plain(start_response, "404 Not Found", "no such recording")
        account_id, refusal = self._login(environ, start_response)
        if refusal is not None:
            return refusal
        recording_id, format, media_type = wanted
        try:
            with self.store.session(account_id, write=False) as session:
                recording = session.recordings.get(recording_id)
        except NotFound:
            return _plain(start_response, "404 Not Found", "no such recording")
        body = sounds.recording_data(recording, format)
        start_response("200 OK", [("Content-Type", media_type),
                                  ("Content-Length", str(len(body)))])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def _console(self, environ, start_response, path: str):
        """The web console, mounted at ``/console``: there while the admin surface is
        (an admin login is set), a 404 like any unknown path otherwise."""
        if self.admin.admin.admin_login() is None:
            return _plain(start_response, "404 Not Found", "not found")
        if path == CONSOLE_PATH:
            start_response("301 Moved Permanently", [("Location", CONSOLE_PATH + "/"),
                                                     ("Content-Length", "0")])
            return []
        return self.console(dict(environ, SCRIPT_NAME=environ.get("SCRIPT_NAME", "")
                                 + CONSOLE_PATH, PATH_INFO=path[len(CONSOLE_PATH):]),
                            start_response)

    def _read_body(self, environ) -> bytes:
        """The whole body; a fault when it is over the limit (not read past it)."""
        stream, limit = environ["wsgi.input"], self.limits.max_body
        length = environ.get("CONTENT_LENGTH", "").strip()
        if length:
            if not (length.isascii() and length.isdigit()):
                raise faults.bad_request("Content-Length %r is not a number of bytes"
                                         % length[:40])
            if int(length) > limit:
                raise faults.too_large(limit)
            return stream.read(int(length))
        body = stream.read(limit + 1)  # chunked: no length given
        if len(body) > limit:
            raise faults.too_large(limit)
        return body

    def _health(self, environ, start_response):
        """200 once the database answers, 503 when it does not: for orchestrators,
        and for harnesses waiting for the server to be ready.  No credentials."""
        answer = {"status": "ok", "version": __version__}
        try:
            answer.update(database="reachable", schema_version=self.store.schema_version())
            status = "200 OK"
        except UnusableDatabase as error:
            answer.update(status="unavailable", database="unreachable", schema_version=None,
                          error=str(error))
            status = "503 Service Unavailable"
        body = json.dumps(answer).encode()
        start_response(status, [("Content-Type", "application/json"),
                                ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def _wsdl(self, environ, start_response, name: str):
        try:
            body = render(name, _base_url(environ))
        except KeyError:
            return _plain(start_response, "404 Not Found", "no such WSDL file")
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"),
                                  ("Content-Length", str(len(body)))])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


def create_app(db_path: str = DEFAULT_DB, limits: Limits = Limits(),
               log_format: str = "text", journal: Bound | None = DEFAULT_JOURNAL
               ) -> CallFireApp:
    # Spyne logs every client fault with a traceback and invalid bodies in full;
    # faults reach the client, and our own access log has one line per request.
    logging.getLogger("spyne").setLevel(logging.CRITICAL)
    return CallFireApp(Store(db_path, render=render_notification), limits,
                       AccessLog(log_format=log_format), journal=journal)


def app_from_environment() -> CallFireApp:
    """The factory the HTTP server's workers call; ``serve`` passes settings by
    environment, and the logging configuration through granian."""
    journal = None if os.environ.get("CALLFIRE_SOAP_JOURNAL") == "off" else \
        parse_bound(os.environ.get("CALLFIRE_SOAP_JOURNAL_MAX", DEFAULT_MAX))
    return create_app(os.environ.get("CALLFIRE_SOAP_DB", DEFAULT_DB),
                      Limits.from_environment(os.environ),
                      os.environ.get("CALLFIRE_SOAP_LOG_FORMAT", "text"), journal)
