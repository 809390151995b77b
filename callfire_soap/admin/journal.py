"""The request journal over the admin surface, for test suites.

``GET /admin/journal`` lists exchanges (query parameters ``login``,
``operation``, ``port``, ``fault`` (a FaultCode, or ``any``), ``injected``
(``true``/``false``), ``since``, ``after`` and ``before`` (ids, for paging),
``xpath``, ``limit``, and
``xml=true`` for the bodies); ``GET /admin/journal/{id}`` is one exchange with
its bodies; ``POST /admin/journal/count`` counts, WireMock-style, the
exchanges a JSON object of the same fields matches (``{"operation":
"SendText", "xpath": "//svc:To = '12135551212'"}``); ``DELETE /admin/journal``
empties it.  Exchanges answered before the admin request are all there.
"""
from __future__ import annotations

from typing import Any, Callable

from ..soap import xpath
from ..store.injections import FAULT_CODES
from ..store.journal import Exchange, JournalQuery, parse_since
from .surface import AdminError, AdminRequest, route


def exchange_json(exchange: Exchange, xml: bool) -> dict:
    answer = {"id": exchange.id, "time": exchange.stamp, "login": exchange.login,
              "port": exchange.port, "operation": exchange.operation,
              "soap_version": exchange.soap_version, "http_status": exchange.http_status,
              "fault": exchange.fault, "injected": exchange.injected,
              "duration_ms": round(exchange.duration_ms, 3)}
    if xml:
        for name in ("request", "response"):
            body = getattr(exchange, name)
            answer[name] = None if body is None else body.decode("utf-8", "replace")
    return answer


def _flag(value: Any, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "1", "yes"):
        return True
    if str(value).lower() in ("false", "0", "no"):
        return False
    raise AdminError(400, "%s must be true or false, got %r" % (name, value))


def _whole(value: Any, name: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise AdminError(400, "%s must be a whole number, got %r" % (name, value)) from None
    if number < 0:
        raise AdminError(400, "%s must not be negative" % name)
    return number


def _fault(value: Any) -> str | bool | None:
    if value is None or value is True:
        return value
    if str(value).lower() in ("", "any", "true"):
        return True
    if value not in FAULT_CODES:
        raise AdminError(400, "fault %r is not a FaultCode (%s) or any"
                         % (value, ", ".join(FAULT_CODES)))
    return value


def selection(get: Callable[[str], Any]
              ) -> tuple[JournalQuery, Callable[[bytes], bool] | None]:
    """The exchanges that the fields ``get`` gives select: a query, and a test of
    the request's bytes when there is an XPath."""
    since = get("since")
    query = JournalQuery(login=get("login"), operation=get("operation"), port=get("port"),
                         fault=_fault(get("fault")), injected=_flag(get("injected"), "injected"),
                         since=None if since is None else parse_since(str(since)),
                         after_id=_whole(get("after"), "after"),
                         before_id=_whole(get("before"), "before"))
    expression = get("xpath")
    if expression is None:
        return query, None
    compiled = xpath.compile_xpath(str(expression))
    return query, lambda body: xpath.matches_body(compiled, body)


def _settled(request: AdminRequest):
    if request.journal_writer is not None:
        request.journal_writer.settle()
    return request.admin.journal


@route("GET", "journal")
def list_exchanges(request: AdminRequest) -> dict:
    journal = _settled(request)
    query, match = selection(request.arg)
    xml = _flag(request.arg("xml"), "xml") or False
    found = journal.exchanges(query, xml=xml, match=match,
                              limit=_whole(request.arg("limit"), "limit"))
    return {"exchanges": [exchange_json(e, xml) for e in found], "stored": journal.stats()}


@route("GET", "journal/{id}")
def get_exchange(request: AdminRequest) -> dict:
    exchange = _settled(request).get(_whole(request.params["id"], "id"))
    if exchange is None:
        raise AdminError(404, "no exchange %s in the journal" % request.params["id"])
    return exchange_json(exchange, xml=True)


@route("POST", "journal/count")
def count_exchanges(request: AdminRequest) -> dict:
    body = request.json() or {}
    if not isinstance(body, dict):
        raise AdminError(400, "the body must be a JSON object of fields to match")
    unknown = set(body) - {"login", "operation", "port", "fault", "injected", "since",
                           "after", "before", "xpath"}
    if unknown:
        raise AdminError(400, "unknown field(s): %s" % ", ".join(sorted(unknown)))
    query, match = selection(body.get)
    return {"count": _settled(request).count(query, match)}


@route("DELETE", "journal")
def clear_journal(request: AdminRequest) -> dict:
    return {"removed": _settled(request).clear()}
