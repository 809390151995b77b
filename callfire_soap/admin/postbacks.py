"""The outbox on the admin surface: what ``callfire-soap postbacks list|show|retry`` shows
and does, as JSON.

    GET  /admin/postbacks?status=FAILED&login=ann&limit=100   the latest, newest first
    GET  /admin/postbacks/{id}                                 one, with its body
    POST /admin/postbacks/{id}/retry                           a FAILED one PENDING again
    POST /admin/postbacks/retry                                every FAILED one
"""
from __future__ import annotations

from ..store.postbacks import STATUSES, Postback
from .surface import AdminError, AdminRequest, route


def _entry(postback: Postback, body: bool = False) -> dict:
    entry = {"id": postback.id, "subscription_id": postback.subscription_id,
             "event": postback.event, "instant": postback.instant,
             "endpoint": postback.endpoint, "format": postback.format,
             "status": postback.status, "attempts": postback.attempts,
             "next_attempt": postback.next_attempt if postback.status == "PENDING" else None,
             "delivered": postback.delivered, "last_error": postback.last_error}
    if body:
        entry.update(content_type=postback.content_type,
                     body=postback.body.decode("utf-8", "replace"))
    return entry


@route("GET", "postbacks")
def list_postbacks(request: AdminRequest) -> dict:
    status = request.arg("status")
    if status is not None and status not in STATUSES:
        raise AdminError(400, "status must be one of %s" % ", ".join(STATUSES))
    limit = request.arg("limit", "100")
    if not limit.isdigit() or int(limit) < 1:
        raise AdminError(400, "limit must be a whole number above 0")
    return {"postbacks": [_entry(p) for p in request.store.postbacks.list(
        status, request.arg("login"), int(limit))]}


def _postback(request: AdminRequest) -> Postback:
    ident = request.params["id"]
    postback = request.store.postbacks.get(int(ident)) if ident.isdigit() else None
    if postback is None:
        raise AdminError(404, "no postback %s" % ident)
    return postback


@route("GET", "postbacks/{id}")
def show_postback(request: AdminRequest) -> dict:
    return _entry(_postback(request), body=True)


@route("POST", "postbacks/{id}/retry")
def retry_postback(request: AdminRequest) -> dict:
    postback = _postback(request)
    if postback.status != "FAILED":
        raise AdminError(409, "postback %d is %s, not FAILED" % (postback.id, postback.status))
    request.store.postbacks.retry([postback.id])
    return {"retried": 1}


@route("POST", "postbacks/retry")
def retry_failed(request: AdminRequest) -> dict:
    return {"retried": request.store.postbacks.retry()}
