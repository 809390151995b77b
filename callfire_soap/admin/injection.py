"""Injection rules over the admin surface.

``GET /admin/injections`` lists the rules (spent ones too, with ``used`` and
``remaining``); ``POST /admin/injections`` adds one from a JSON object
(``{"login": "ann", "operation": "GetContact", "fault": "UNAVAILABLE",
"times": 2}``; also ``xpath``, ``http_status``, ``drop``, ``delay``) and
answers it with 201; ``GET`` / ``DELETE /admin/injections/{id}`` read or
remove one; ``DELETE /admin/injections`` removes them all.
"""
from __future__ import annotations

from ..soap.xpath import compile_xpath
from ..store.injections import Rule
from .surface import AdminError, AdminRequest, Reply, route

_TYPES = {"login": str, "operation": str, "xpath": str, "fault": str, "http_status": int,
          "drop": bool, "delay": (int, float), "times": int}


def _rule_id(request: AdminRequest) -> int:
    text = request.params["id"]
    if not text.isdigit():
        raise AdminError(404, "no injection rule %s" % text)
    return int(text)


@route("GET", "injections")
def list_rules(request: AdminRequest) -> dict:
    return {"rules": [rule.as_dict() for rule in request.admin.injections.all()]}


@route("POST", "injections")
def add_rule(request: AdminRequest) -> Reply:
    body = request.json()
    if not isinstance(body, dict):
        raise AdminError(400, "the body must be a JSON object: login, operation, xpath, "
                              "fault, http_status, drop, delay, times")
    unknown = set(body) - set(_TYPES)
    if unknown:
        raise AdminError(400, "unknown field(s): %s" % ", ".join(sorted(unknown)))
    for name, value in body.items():
        kind = _TYPES[name]
        if value is not None and (not isinstance(value, kind) or
                                  (kind is not bool and isinstance(value, bool))):
            raise AdminError(400, "%s has the wrong type: %r" % (name, value))
    if body.get("xpath") is not None:
        compile_xpath(body["xpath"])
    fields = {name: value for name, value in body.items() if value is not None}
    rule = request.admin.injections.add(Rule(None, **fields))
    return Reply(201, rule.as_dict(),
                 [("Location", "/admin/injections/%d" % rule.id)])


@route("GET", "injections/{id}")
def get_rule(request: AdminRequest) -> dict:
    return request.admin.injections.get(_rule_id(request)).as_dict()


@route("DELETE", "injections/{id}")
def remove_rule(request: AdminRequest) -> Reply:
    request.admin.injections.remove(_rule_id(request))
    return Reply(204)


@route("DELETE", "injections")
def clear_rules(request: AdminRequest) -> dict:
    return {"removed": request.admin.injections.clear()}
