"""The admin surface: JSON endpoints under ``/admin/``, behind the admin login.

A module adds its endpoints with ``route``::

    from callfire_soap.admin.surface import AdminError, Reply, route

    @route("GET", "journal")
    def journal(request: AdminRequest):
        return {"entries": [...]}          # 200, as JSON

    @route("DELETE", "injections/{id}")
    def remove(request: AdminRequest):
        rule_id = request.params["id"]     # the path's {id}
        ...
        return Reply(204)

and is imported by ``callfire_soap/admin/__init__.py``.  A handler gets the
request (method, path parameters, query, JSON body, the store and the admin
file) and returns what becomes the JSON answer, or a ``Reply`` for another
status; it raises ``AdminError`` for a refusal, and a store error
(``NotFound``, ``InvalidRequest``) answers 404 or 400 with its message.

Only the admin login (``store/admin.py``) opens the surface, in HTTP Basic;
an API account's credentials are never looked at here, and the admin login
opens no SOAP port.  With no admin login set the surface is off: every path
under it answers 404 like any unknown path.  ``authorized`` is the one check,
for any other page behind the admin login.
"""
from __future__ import annotations

import json
import logging
import re
import urllib.parse
from http import HTTPStatus
from dataclasses import dataclass, field
from typing import Any, Callable

from ..basicauth import credentials
from ..ratelimit import FailedLogins
from ..store import CallFireError, NotFound, Store
from ..store.admin import AdminFile
from ..store.journal import JournalWriter

ADMIN_PATH = "/admin/"
REALM = "callfire-soap admin"
MAX_JSON_BODY = 1024 * 1024

log = logging.getLogger(__name__)


class AdminError(Exception):
    """A refusal: its HTTP status and the message the JSON answer carries."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Reply:
    """An answer with a status other than 200 (``body`` None: no body)."""

    status: int
    body: Any = None
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class AdminRequest:
    method: str
    path: str                  # below /admin/, without the leading slash
    params: dict[str, str]     # the route's {name} parts
    query: dict[str, list[str]]
    login: str                 # the admin login it came with
    store: Store
    admin: AdminFile
    environ: dict
    journal_writer: JournalWriter | None = None  # this process's, when the journal is on

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The query parameter ``name`` (its last value), or ``default``."""
        values = self.query.get(name)
        return values[-1] if values else default

    def json(self) -> Any:
        """The request's JSON body (None when it has none); 400 when it is not JSON."""
        length = self.environ.get("CONTENT_LENGTH", "").strip() or "0"
        if not length.isdigit() or int(length) > MAX_JSON_BODY:
            raise AdminError(413 if length.isdigit() else 400,
                             "the JSON body must be at most %d bytes" % MAX_JSON_BODY)
        raw = self.environ["wsgi.input"].read(int(length)) if int(length) else b""
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise AdminError(400, "the body is not JSON: %s" % error) from None


Handler = Callable[[AdminRequest], Any]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    handler: Handler
    regex: re.Pattern


ROUTES: list[Route] = []


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Declare ``handler`` as the answer to ``method`` on ``/admin/<pattern>``; a
    ``{name}`` part of the pattern matches one path segment, given in
    ``request.params``."""
    regex = re.compile("^%s$" % re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)",
                                      re.escape(pattern.strip("/"))))

    def register(handler: Handler) -> Handler:
        if any(r.method == method and r.pattern == pattern for r in ROUTES):
            raise ValueError("admin route %s %s declared twice" % (method, pattern))
        ROUTES.append(Route(method, pattern, handler, regex))
        return handler
    return register


@route("GET", "")
def index(request: AdminRequest) -> dict:
    """What the surface offers: every route, for a person with curl."""
    return {"admin": request.login,
            "routes": [{"method": r.method, "path": ADMIN_PATH + r.pattern} for r in ROUTES]}


def authorized(environ: dict, admin: AdminFile) -> str | None:
    """The admin login when the request carries the admin's HTTP Basic credentials,
    else None.  Rate limiting is the caller's (``AdminSurface`` does it)."""
    given = credentials(environ)
    if given is not None and admin.verify_admin(*given):
        return given[0]
    return None


def _json(start_response, status: int, body: Any, headers=()) -> list[bytes]:
    data = b"" if body is None else json.dumps(body, indent=1).encode() + b"\n"
    start_response("%d %s" % (status, HTTPStatus(status).phrase),
                   [("Content-Type", "application/json"), ("Content-Length", str(len(data))),
                    ("Cache-Control", "no-store"), *headers])
    return [data]


class AdminSurface:
    """``/admin/...`` as a WSGI application, given the app's store and rate limit."""

    def __init__(self, store: Store, admin: AdminFile, failed_logins: FailedLogins,
                 not_found: Callable, journal_writer: JournalWriter | None = None):
        self.store = store
        self.admin = admin
        self.failed_logins = failed_logins
        self._not_found = not_found  # the server's own 404, for when the surface is off
        self.journal_writer = journal_writer

    def __call__(self, environ, start_response, note: dict):
        if self.admin.admin_login() is None:
            return self._not_found(start_response)
        client = environ.get("REMOTE_ADDR", "")
        retry_after = self.failed_logins.retry_after(client)
        if retry_after is not None:
            return _json(start_response, 429, {"error": "too many failed logins"},
                         [("Retry-After", str(retry_after))])
        login = authorized(environ, self.admin)
        if login is None:
            if credentials(environ) is not None:
                self.failed_logins.failed(client)
            return _json(start_response, 401, {"error": "the admin login is required"},
                         [("WWW-Authenticate", 'Basic realm="%s"' % REALM)])
        note["login"] = login
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")[len(ADMIN_PATH):].strip("/")
        matches = [(r, m) for r in ROUTES for m in [r.regex.match(path)] if m]
        chosen = next(((r, m) for r, m in matches if r.method == method
                       or (method == "HEAD" and r.method == "GET")), None)
        if chosen is None:
            if matches:
                allowed = ", ".join(sorted({r.method for r, _ in matches}))
                return _json(start_response, 405, {"error": "%s is not allowed here" % method},
                             [("Allow", allowed)])
            return _json(start_response, 404, {"error": "no admin endpoint %s%s"
                                               % (ADMIN_PATH, path)})
        found, match = chosen
        note["operation"] = ADMIN_PATH.strip("/") + "/" + found.pattern
        request = AdminRequest(method, path, {k: urllib.parse.unquote(v) for k, v in
                                              match.groupdict().items()},
                               urllib.parse.parse_qs(environ.get("QUERY_STRING", "")),
                               login, self.store, self.admin, environ, self.journal_writer)
        try:
            answer = found.handler(request)
        except AdminError as error:
            return _json(start_response, error.status, {"error": error.message})
        except NotFound as error:
            return _json(start_response, 404, {"error": error.message})
        except CallFireError as error:
            return _json(start_response, 400, {"error": error.message,
                                               "field": error.detail})
        except Exception:
            log.exception("admin %s %s failed", method, path)
            return _json(start_response, 500, {"error": "the server failed; see its log"})
        if not isinstance(answer, Reply):
            answer = Reply(200, answer)
        body = _json(start_response, answer.status, answer.body, answer.headers)
        return [] if method == "HEAD" else body
