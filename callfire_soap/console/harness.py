"""The console's pages of the test harness around the API: the request journal
and the injection rules (kept in the admin file, store/admin.py), reset and
snapshots of the database."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from lxml import etree

from ..admin.journal import selection
from ..admin.surface import AdminError
from ..limits import Limits
from ..services import DECLARATIONS
from ..soap import parser
from ..soap.faults import ServiceFault
from ..soap.xpath import compile_xpath
from ..store import CallFireError, InvalidRequest, NotFound
from ..store.injections import FAULT_CODES, Rule
from ..store.journal import Journal
from ..store.snapshots import Snapshots
from .views import JOURNAL_KEY, PAGE_SIZE, admin_file, pages, store

JOURNAL_FILTERS = ("login", "operation", "fault", "xpath")
OPERATIONS = sorted({name for operations in DECLARATIONS.values() for name in operations})


def _journal() -> Journal:
    """The journal, with every exchange this server answered so far in it."""
    writer = current_app.extensions[JOURNAL_KEY]
    if writer is not None:
        writer.settle()
    return admin_file().journal


def _request_test(text: str | None, xpath: Callable[[bytes], bool] | None
                  ) -> Callable[[bytes], bool] | None:
    """The test of a request's bytes: it contains ``text`` (case-insensitively) and
    matches the XPath, each when given."""
    if text is None:
        return xpath
    needle = text.lower().encode()
    return lambda body: needle in body.lower() and (xpath is None or xpath(body))


@pages.route("/journal")
def journal():
    """The newest exchanges that match the filters, a page at a time (``before``:
    older than that id)."""
    given = {name: request.args.get(name, "").strip() or None
             for name in JOURNAL_FILTERS + ("text",)}
    before = request.args.get("before", "")
    if before and not before.isdigit():
        abort(400, "before must be an exchange's id")
    journal, error, found = _journal(), None, []
    try:
        query, xpath = selection(lambda name: given.get(name) if name in JOURNAL_FILTERS
                                 else None)
        found = journal.exchanges(replace(query, before_id=int(before) if before else None),
                                  xml=False, match=_request_test(given["text"], xpath),
                                  limit=PAGE_SIZE)[::-1]
    except (AdminError, CallFireError) as refused:  # a filter that is no filter
        error = refused.message
    older = found[-1].id if len(found) == PAGE_SIZE else None
    return render_template("journal.html", exchanges=found, given=given, error=error,
                           older=older, stored=journal.stats(), faults=FAULT_CODES,
                           operations=OPERATIONS), 400 if error else 200


def pretty_xml(body: bytes | None) -> str | None:
    """A request or answer as indented XML, read as the server reads requests (no
    DOCTYPE, bounded); what is not such XML is shown as it came."""
    if body is None:
        return None
    try:
        root = parser.parse(body, Limits.max_depth, Limits.max_nodes)
    except ServiceFault:
        return body.decode("utf-8", "replace")
    etree.indent(root)
    return etree.tostring(root, encoding="unicode")


@pages.route("/journal/<int:exchange_id>")
def exchange(exchange_id: int):
    found = _journal().get(exchange_id)
    if found is None:
        abort(404, "no exchange %d in the journal" % exchange_id)
    return render_template("exchange.html", exchange=found,
                           request_xml=pretty_xml(found.request),
                           response_xml=pretty_xml(found.response))


def _number(form, name: str, kind: type) -> int | float | None:
    text = form.get(name, "").strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise AdminError(400, "%s must be a number, got %r" % (name, text)) from None


def _rule(form) -> Rule:
    """The rule the add form describes; AdminError or InvalidRequest naming the field."""
    text = {name: form.get(name, "").strip() or None for name in ("login", "operation", "xpath")}
    if text["xpath"] is not None:
        compile_xpath(text["xpath"])
    answer = form.get("answer")
    return Rule(None, **text, fault=form.get("fault") if answer == "fault" else None,
                http_status=_number(form, "http_status", int) if answer == "status" else None,
                drop=answer == "drop", delay=_number(form, "delay", float) or 0.0,
                times=_number(form, "times", int))


@pages.route("/injections", methods=["GET", "POST"])
def injections():
    """The rules, and a form that adds one; what the form got wrong is said above it."""
    error = None
    if request.method == "POST":
        try:
            admin_file().injections.add(_rule(request.form))
            return redirect(url_for("console.injections"))
        except (AdminError, CallFireError) as refused:
            error = refused.message
    return render_template("injections.html", rules=admin_file().injections.all(), error=error,
                           faults=FAULT_CODES, operations=OPERATIONS,
                           form=request.form), 400 if error else 200


@pages.route("/injections/<int:rule_id>/remove", methods=["POST"])
def remove_injection(rule_id: int):
    try:
        admin_file().injections.remove(rule_id)
    except NotFound:
        abort(404, "no injection rule %d" % rule_id)
    return redirect(url_for("console.injections"))


def _done(message: str):
    flash(message)
    return redirect(url_for("console.snapshots"))


@pages.route("/snapshots")
def snapshots():
    """The snapshots, with forms that save, restore and delete them, and one that
    resets an account."""
    return render_template("snapshots.html", snapshots=Snapshots(store()).all())


def _refused(error: CallFireError):
    return render_template("snapshots.html", snapshots=Snapshots(store()).all(),
                           error=error.message), 404 if isinstance(error, NotFound) else 400


@pages.route("/snapshots", methods=["POST"])
def save_snapshot():
    try:
        saved = Snapshots(store()).save(request.form.get("name", "").strip())
    except CallFireError as error:
        return _refused(error)
    return _done("Saved snapshot %s (%d bytes)." % (saved.name, saved.bytes))


@pages.route("/snapshots/<name>/restore", methods=["POST"])
def restore_snapshot(name: str):
    try:
        restored = Snapshots(store()).restore(name)
    except CallFireError as error:
        return _refused(error)
    return _done("Restored snapshot %s, saved %s." % (restored.name, restored.saved))


@pages.route("/snapshots/<name>/delete", methods=["POST"])
def delete_snapshot(name: str):
    try:
        Snapshots(store()).delete(name)
    except CallFireError as error:
        return _refused(error)
    return _done("Deleted snapshot %s." % name)


@pages.route("/reset", methods=["POST"])
def reset():
    """An account's data removed, the account kept (``accounts.reset``)."""
    login = request.form.get("login", "").strip()
    if request.form.get("confirm") != "yes":
        return _refused(InvalidRequest("tick the box to confirm that %r loses all its data"
                                       % login))
    try:
        store().accounts.reset(login)
    except CallFireError as error:
        return _refused(error)
    return _done("Account %s reset: its data is gone, the account kept." % login)
