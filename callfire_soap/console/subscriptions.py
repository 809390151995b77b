"""The console's pages of an account's subscriptions and the notifications they get
(the outbox, store/postbacks.py), with the retry ``postbacks retry`` makes."""
from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for

from ..store.postbacks import Postback
from .harness import pretty_xml
from .views import PAGE_SIZE, listing, reading_session, pages, store


@pages.route("/accounts/<int:account_id>/subscriptions")
def subscriptions(account_id: int):
    return listing("subscriptions.html", account_id, lambda reading, first:
                    reading.subscriptions.query(first, PAGE_SIZE))


@pages.route("/accounts/<int:account_id>/postbacks")
def postbacks(account_id: int):
    """The account's notifications, or one subscription's, newest first."""
    subscription_id = request.args.get("subscription", "")
    if subscription_id and not subscription_id.isdigit():
        abort(400, "subscription must be a subscription's id")
    return listing("postbacks.html", account_id, lambda reading, first: reading.outbox.query(
        int(subscription_id) if subscription_id else None, first, PAGE_SIZE),
        subscription_id=subscription_id)


def _pretty_body(postback: Postback) -> str:
    """The body as posted, indented: JSON as JSON, anything else as XML if it is."""
    if "json" in postback.content_type:
        try:
            return json.dumps(json.loads(postback.body), indent=2, ensure_ascii=False)
        except ValueError:
            return postback.body.decode("utf-8", "replace")
    return pretty_xml(postback.body)


@pages.route("/accounts/<int:account_id>/postbacks/<int:postback_id>")
def postback(account_id: int, postback_id: int):
    with reading_session(account_id) as reading:
        found = reading.outbox.get(postback_id)
    return render_template("postback.html", account_id=account_id, postback=found,
                           body=_pretty_body(found))


@pages.route("/accounts/<int:account_id>/postbacks/<int:postback_id>/retry", methods=["POST"])
def retry_postback(account_id: int, postback_id: int):
    """A FAILED notification PENDING again, as ``postbacks retry`` makes it."""
    with reading_session(account_id) as reading:
        found = reading.outbox.get(postback_id)
    if found.status != "FAILED" or not store().postbacks.retry([postback_id]):
        flash("Postback %d is %s, not FAILED: nothing to retry." % (postback_id, found.status))
    else:
        flash("Postback %d is PENDING again." % postback_id)
    return redirect(url_for("console.postback", account_id=account_id, postback_id=postback_id))
