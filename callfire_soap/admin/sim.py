"""Inbound texts and calls for test suites, as ``sim inbound-text`` and ``sim
inbound-call`` make them: ``POST /admin/sim/inbound-text`` and
``/admin/sim/inbound-call`` take a JSON object (``to``, ``from``, ``message``
for a text, optional ``login``) and answer what became of it (domain/inbound.py)."""
from __future__ import annotations

from ..domain import inbound
from ..store import InvalidRequest, Store
from .surface import AdminRequest, Reply, route


def _fields(request: AdminRequest, required: tuple[str, ...]) -> dict[str, str | None]:
    """The body's fields, each a string; a required one missing is a 400 naming it."""
    body = request.json()
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object with %s"
                             % ", ".join(required))
    fields = {}
    for name in (*required, "login"):
        value = body.get(name)
        if (value is None and name in required) or not isinstance(value, (str, type(None))):
            raise InvalidRequest("%r must be a string" % name, detail=name)
        fields[name] = value
    return fields


def _arrived(store: Store, kind: str, arrival: inbound.Arrival) -> Reply:
    return Reply(201, {"kind": kind, "id": arrival.action_id,
                       "account": store.accounts.login(arrival.account_id),
                       "account_id": arrival.account_id, "opted_out": arrival.opted_out,
                       "auto_reply_id": arrival.auto_reply_id, "reply_id": arrival.reply_id})


@route("POST", "sim/inbound-text")
def inbound_text(request: AdminRequest) -> Reply:
    fields = _fields(request, ("to", "from", "message"))
    return _arrived(request.store, "text", inbound.receive_text(
        request.store, fields["to"], fields["from"], fields["message"], fields["login"]))


@route("POST", "sim/inbound-call")
def inbound_call(request: AdminRequest) -> Reply:
    fields = _fields(request, ("to", "from"))
    return _arrived(request.store, "call", inbound.receive_call(
        request.store, fields["to"], fields["from"], fields["login"]))
