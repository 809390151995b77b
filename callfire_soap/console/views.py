"""The console's pages of accounts and their data, and its login.

Each page is one read of the store (``reading_session``) and, for a list, one page of
a store query (``listing``); views never see SQL.
"""
from __future__ import annotations

import hmac
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from flask import (Blueprint, abort, current_app, g, redirect, render_template, request,
                   session, url_for)

from ..store import NotFound, Session, Store
from ..store.admin import AdminFile
from ..store.contacts import TRIGRAM
from ..store.pages import Page
from .charts import results_chart

PAGE_SIZE = 50
SESSION_HOURS = 12           # a console login lasts at most this long
STORE_KEY = "callfire_soap.store"
ADMIN_KEY = "callfire_soap.admin"
LOGINS_KEY = "callfire_soap.failed_logins"
JOURNAL_KEY = "callfire_soap.journal_writer"

pages = Blueprint("console", __name__, static_folder="static", static_url_path="/static",
                  template_folder="templates")


@dataclass
class Pager:
    """Where a page is in its query: page numbers from 1, ``PAGE_SIZE`` items each."""
    number: int
    total: int

    @property
    def first(self) -> int:
        return (self.number - 1) * PAGE_SIZE

    @property
    def last(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def requested_page() -> Pager:
    number = request.args.get("page", "1")
    if not (number.isascii() and number.isdigit() and int(number) >= 1):
        abort(400, "page must be a whole number from 1")
    return Pager(int(number), 0)


def store() -> Store:
    return current_app.extensions[STORE_KEY]


def admin_file() -> AdminFile:
    return current_app.extensions[ADMIN_KEY]


@contextmanager
def reading_session(account_id: int) -> Iterator[Session]:
    """One read of an account, its broadcasts brought up to now first; 404 for an
    account or anything of it that does not exist."""
    try:
        g.login = store().accounts.login(account_id)
        with store().session(account_id, write=False, simulated=True) as reading:
            yield reading
    except NotFound as error:
        abort(404, str(error))


# -- the login -----------------------------------------------------------------

@pages.before_request
def _logged_in():
    """Every page but the login form wants the admin logged in; every form sent
    back carries the token of the login that showed it (no cross-site POSTs)."""
    if request.endpoint in ("console.login", "console.static"):
        return None
    if not session.get("admin"):
        return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
    if request.method == "POST" and not hmac.compare_digest(
            request.form.get("csrf", ""), session.get("csrf", "")):
        abort(400, "the form is stale: reload the page")
    return None


@pages.route("/login", methods=["GET", "POST"])
def login():
    """The admin login and password, checked as the admin surface checks them, and
    counted against the client's address as every failed login is."""
    refused, failed_logins = False, current_app.extensions[LOGINS_KEY]
    if request.method == "POST":
        retry_after = failed_logins.retry_after(request.remote_addr or "")
        if retry_after is not None:
            return "too many failed logins; try again later", 429, {
                "Retry-After": str(retry_after)}
        login, password = request.form.get("login", ""), request.form.get("password", "")
        if admin_file().verify_admin(login, password):
            session.clear()
            session.update(admin=login, csrf=secrets.token_urlsafe(24))
            # back to the console's page that asked for the login, never another site
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//") or "\\" in target:
                return redirect(url_for("console.accounts"))
            return redirect(request.script_root + target)
        failed_logins.failed(request.remote_addr or "")
        refused = True
    return render_template("login.html", refused=refused), 401 if refused else 200


@pages.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("console.login"))


# -- accounts and their data ---------------------------------------------------

@pages.route("/")
def accounts():
    pager = requested_page()
    page = store().accounts.page(pager.first, PAGE_SIZE)
    pager.total = page.total
    return render_template("accounts.html", accounts=page.items, pager=pager)


@pages.route("/accounts/<int:account_id>/")
def account(account_id: int):
    return redirect(url_for("console.contacts", account_id=account_id))


def listing(template: str, account_id: int, query: Callable[[Session, int], Page],
             heading: Callable[[Session], dict] = lambda reading: {}, **context) -> str:
    """A page of one of the store's paged queries, ``query(reading, first)``, rendered
    as ``items`` with its ``pager``; ``heading`` reads what the page shows above it."""
    pager = requested_page()
    with reading_session(account_id) as reading:
        above = heading(reading)
        found = query(reading, pager.first)
    pager.total = found.total
    return render_template(template, account_id=account_id, items=found.items, pager=pager,
                           **above, **context)


@pages.route("/accounts/<int:account_id>/contacts")
def contacts(account_id: int):
    """Contacts, or those whose fields contain the search text (the trigram index:
    a text too short for it is refused rather than scanned for)."""
    text = request.args.get("q", "").strip()
    field_name = request.args.get("field", "").strip() or None
    too_short = bool(text) and len(text) < TRIGRAM
    searched = None if too_short or not text else text
    return listing("contacts.html", account_id, lambda reading, first: reading.contacts.query(
        field_name=field_name if searched else None, text=searched, first=first,
        limit=PAGE_SIZE), text=text, field=field_name or "", too_short=too_short,
        trigram=TRIGRAM)


@pages.route("/accounts/<int:account_id>/contacts/<int:contact_id>")
def contact(account_id: int, contact_id: int):
    return listing("contact.html", account_id, lambda reading, first: reading.actions.history(
        contact_id, first, PAGE_SIZE), lambda reading: {
        "contact": reading.contacts.get(contact_id)})


@pages.route("/accounts/<int:account_id>/lists")
def lists(account_id: int):
    return listing("lists.html", account_id,
                    lambda reading, first: reading.lists.query(first, PAGE_SIZE))


@pages.route("/accounts/<int:account_id>/lists/<int:list_id>")
def contact_list(account_id: int, list_id: int):
    return listing("list.html", account_id, lambda reading, first: reading.contacts.query(
        list_id=list_id, first=first, limit=PAGE_SIZE), lambda reading: {
        "contact_list": reading.lists.get(list_id)})


@pages.route("/accounts/<int:account_id>/broadcasts")
def broadcasts(account_id: int):
    return listing("broadcasts.html", account_id, lambda reading, first:
                    reading.broadcasts.query(first=first, limit=PAGE_SIZE))


def _broadcast_state(account_id: int, broadcast_id: int) -> dict:
    """What the live part of a broadcast's page shows: status, statistics, chart
    and a page of its contact batches."""
    pager = requested_page()
    with reading_session(account_id) as reading:
        broadcast = reading.broadcasts.get(broadcast_id)
        state = {"broadcast": broadcast, "stats": reading.actions.stats(broadcast_id),
                 "chart": results_chart(reading.actions.timeline(broadcast_id)),
                 "running": broadcast.status in ("START_PENDING", "RUNNING"),
                 "batches": reading.batches.query(broadcast_id, pager.first, PAGE_SIZE)}
    pager.total = state["batches"].total
    return dict(state, account_id=account_id, pager=pager)


@pages.route("/accounts/<int:account_id>/broadcasts/<int:broadcast_id>")
def broadcast(account_id: int, broadcast_id: int):
    return render_template("broadcast.html", **_broadcast_state(account_id, broadcast_id))


@pages.route("/accounts/<int:account_id>/broadcasts/<int:broadcast_id>/live")
def broadcast_live(account_id: int, broadcast_id: int):
    """The live part alone, which the page fetches again while the broadcast runs."""
    return render_template("broadcast_live.html",
                           **_broadcast_state(account_id, broadcast_id))


def _actions(account_id: int, texts: bool):
    broadcast_id = request.args.get("broadcast", "")
    if broadcast_id and not broadcast_id.isdigit():
        abort(400, "broadcast must be a broadcast's id")
    return listing("actions.html", account_id, lambda reading, first: reading.actions.query(
        texts, broadcast_id=int(broadcast_id or 0) or None, first=first, limit=PAGE_SIZE),
        texts=texts, broadcast_id=broadcast_id)


@pages.route("/accounts/<int:account_id>/calls")
def calls(account_id: int):
    return _actions(account_id, texts=False)


@pages.route("/accounts/<int:account_id>/texts")
def texts(account_id: int):
    return _actions(account_id, texts=True)
