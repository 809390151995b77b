"""Reset and snapshots over the admin surface, so each test can start from a known state.

``POST /admin/reset`` with ``{"login": "ann"}`` removes everything the account
holds, in one transaction, and keeps the account.  ``GET /admin/snapshots``
lists the snapshots; ``POST /admin/snapshots`` with ``{"name": "clean"}`` saves
one (201); ``POST /admin/snapshots/{name}/restore`` puts it back while serving;
``DELETE /admin/snapshots/{name}`` removes it.
"""
from __future__ import annotations

from ..store.snapshots import Snapshots
from .surface import AdminError, AdminRequest, Reply, route


def _field(request: AdminRequest, name: str) -> str:
    body = request.json()
    value = body.get(name) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value:
        raise AdminError(400, "the body must be a JSON object with %r" % name)
    return value


@route("POST", "reset")
def reset(request: AdminRequest) -> dict:
    login = _field(request, "login")
    request.store.accounts.reset(login)
    return {"reset": login}


@route("GET", "snapshots")
def list_snapshots(request: AdminRequest) -> dict:
    return {"snapshots": [s.as_dict() for s in Snapshots(request.store).all()]}


@route("POST", "snapshots")
def save_snapshot(request: AdminRequest) -> Reply:
    snapshot = Snapshots(request.store).save(_field(request, "name"))
    return Reply(201, snapshot.as_dict(), [("Location", "/admin/snapshots/" + snapshot.name)])


@route("POST", "snapshots/{name}/restore")
def restore_snapshot(request: AdminRequest) -> dict:
    return {"restored": Snapshots(request.store).restore(request.params["name"]).as_dict()}


@route("DELETE", "snapshots/{name}")
def delete_snapshot(request: AdminRequest) -> Reply:
    Snapshots(request.store).delete(request.params["name"])
    return Reply(204)
