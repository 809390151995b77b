"""The web console in a real browser: Debian's chromium, driven by Playwright,
against a real ``serve`` with an admin login.

One browser and one server for the module.  The server's simulation clock
stands still, so the test moves it while the broadcast's page polls and sees
the page follow.  Every page visited is kept as a screenshot (see
``screenshots``); chromium missing is a skip, which CALLFIRE_SOAP_FORBID_SKIPS
turns into a failure.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import zeep

from callfire_soap.store.admin import AdminFile
from conftest import _free_port, bind, fault_code, new_account, served_client, start_server

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

ADMIN, ADMIN_PASSWORD = "console-admin", "console-admin-pw"
# As the probe of this machine runs it: no sandbox as root, and none of the background
# connections a closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PEOPLE = [("Ada", "Lovelace", "13105550101"), ("Grace", "Hopper", "13105550102"),
          ("Zebedee", "Quixote", "13105550106"), ("Alan", "Turing", "13105557777")]


@pytest.fixture(scope="module")
def console_server(tmp_path_factory):
    # one attempt at a postback: a refused one is FAILED at once, for the console to retry
    with start_server(tmp_path_factory.mktemp("console") / "callfire.db", "--sim-speed", "0",
                      "--postback-attempts", "1", "--admin-login", ADMIN,
                      env={"CALLFIRE_SOAP_ADMIN_PASSWORD": ADMIN_PASSWORD}) as running:
        yield running


@pytest.fixture(scope="module")
def data(console_server):
    """An account with a contact list and a call broadcast to it, not started."""
    account = new_account(console_server)
    client = served_client(console_server, account)
    contacts, broadcasts = (bind(client, console_server, svc) for svc in ("Contact", "Broadcast"))
    list_id = contacts.CreateContactList(Name="Patients", ContactSource={"Contact": [
        {"firstName": first, "lastName": last, "homePhone": number}
        for first, last, number in PEOPLE]})
    broadcast_id = broadcasts.CreateBroadcast(Broadcast={
        "Name": "Appointment reminders", "Type": "VOICE",
        "VoiceBroadcastConfig": {"LiveSoundText": "Your appointment is tomorrow"}})
    broadcasts.CreateContactBatch(BroadcastId=broadcast_id, ContactListId=list_id, Name="All")
    return {"account": account, "broadcasts": broadcasts, "list_id": list_id,
            "broadcast_id": broadcast_id}


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    """Where each page's screenshot goes: $CALLFIRE_SOAP_SCREENSHOTS, or
    ``screenshots`` under pytest's base temporary directory."""
    directory = Path(os.environ.get("CALLFIRE_SOAP_SCREENSHOTS")
                     or tmp_path_factory.getbasetemp() / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _log_in(page, login: str, password: str) -> None:
    page.get_by_label("Login").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture(scope="module")
def page(browser, console_server):
    """One logged-in browser tab for the module's tests."""
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(console_server.url("/console/"))
    _log_in(tab, ADMIN, ADMIN_PASSWORD)
    expect(tab.get_by_role("heading", name="Accounts")).to_be_visible()
    yield tab
    context.close()


def _shot(page, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / ("%s.png" % name)), full_page=True)


def test_login_wants_the_admin_and_nothing_else(browser, console_server, data, screenshots):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(console_server.url("/console/accounts/%d/lists" % data["account"].id))
    expect(tab.get_by_role("heading", name="Log in")).to_be_visible()
    _shot(tab, screenshots, "login")
    _log_in(tab, data["account"].login, data["account"].password)  # an API account's
    expect(tab.get_by_role("alert")).to_contain_text("not the admin's")
    _log_in(tab, ADMIN, ADMIN_PASSWORD)
    # back to the page that asked for the login
    expect(tab.get_by_role("heading", name="Contact lists")).to_be_visible()
    expect(tab.get_by_role("link", name="Patients")).to_be_visible()
    _shot(tab, screenshots, "lists")
    tab.get_by_role("button", name=re.compile("Log out")).click()
    expect(tab.get_by_role("heading", name="Log in")).to_be_visible()
    tab.goto(console_server.url("/console/"))
    expect(tab.get_by_role("heading", name="Log in")).to_be_visible()
    context.close()


def test_find_a_contact(page, console_server, data, screenshots):
    page.goto(console_server.url("/console/"))
    page.get_by_role("link", name=data["account"].login).click()
    expect(page.get_by_role("heading", name="Contacts")).to_be_visible()
    expect(page.locator("table.contacts tbody tr")).to_have_count(len(PEOPLE))
    _shot(page, screenshots, "accounts-contacts")
    page.get_by_label("Search").fill("quix")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.contacts tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Zebedee")
    expect(page.locator(".found")).to_contain_text("1 contacts")
    _shot(page, screenshots, "contacts-search")
    rows.get_by_role("link").click()
    expect(page.locator("dl.fields")).to_contain_text("13105550106")
    _shot(page, screenshots, "contact")


def test_watch_a_broadcast_finish(page, console_server, data, screenshots):
    account_id, broadcast_id = data["account"].id, data["broadcast_id"]
    data["broadcasts"].ControlBroadcast(Id=broadcast_id, Command="START", MaxActive=1)
    page.goto(console_server.url("/console/accounts/%d/broadcasts" % account_id))
    _shot(page, screenshots, "broadcasts")
    page.get_by_role("link", name="Appointment reminders").click()
    live = page.locator("#live")
    expect(live.locator(".status")).to_have_text(re.compile("START_PENDING|RUNNING"))
    expect(live).to_contain_text("No attempt has ended yet")
    clock = console_server.store.clock
    clock.advance(60)  # one call at a time: the first one ends, others wait
    expect(live.locator("svg")).to_be_visible()
    expect(live.locator(".attempts")).not_to_have_text("0")
    assert live.locator(".status").inner_text() == "RUNNING"
    _shot(page, screenshots, "broadcast-running")
    clock.advance(3600)
    expect(live.locator(".status")).to_have_text("FINISHED")
    expect(live.locator(".attempts")).to_have_text(str(len(PEOPLE)))  # one attempt each
    expect(live.locator("svg")).to_contain_text("LA")
    expect(live.locator(".remaining")).to_have_text("0")
    expect(live.locator(".live")).to_have_attribute("data-running", "no")  # polling stops
    _shot(page, screenshots, "broadcast-finished")
    with console_server.store.session(account_id, write=False) as reading:
        timeline = reading.actions.timeline(broadcast_id)
        attempts = {stat.result: stat.attempts for stat in reading.actions.stats(
            broadcast_id).results}
    # what the chart drew: running counts that end at each result's attempts
    assert {result: counts[-1] for result, counts in timeline.results.items()} == attempts
    assert all(counts == sorted(counts) for counts in timeline.results.values())
    assert timeline.instants == sorted(timeline.instants)
    page.get_by_role("link", name="Its calls").click()
    expect(page.locator("table.actions tbody tr")).to_have_count(len(PEOPLE))
    _shot(page, screenshots, "calls")


def test_open_a_journal_entry(page, console_server, data, screenshots):
    page.goto(console_server.url("/console/"))
    page.get_by_role("link", name="Journal").click()
    page.get_by_label("Operation").fill("CreateContactList")
    page.get_by_label("Text in the request").fill("quixote")  # not the case it was sent in
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.journal tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(data["account"].login)
    _shot(page, screenshots, "journal")
    rows.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile("CreateContactList"))).to_be_visible()
    request_xml = page.locator("pre.request").inner_text()
    assert "Zebedee" in request_xml and len(request_xml.splitlines()) > 5  # indented
    expect(page.locator("pre.response")).to_contain_text(
        "<svc:CreatedId>%d</svc:CreatedId>" % data["list_id"])
    assert data["account"].password not in page.content()
    _shot(page, screenshots, "journal-entry")
    page.goto(console_server.url("/console/journal?xpath=((("))
    expect(page.get_by_role("alert")).to_contain_text("XPath")


def test_add_and_remove_an_injection_rule(page, console_server, data, screenshots):
    account = data["account"]
    page.goto(console_server.url("/console/"))
    page.get_by_role("link", name="Injection rules").click()
    form = page.get_by_role("form", name="add a rule")
    form.get_by_label("XPath over the request").fill("//svc:Id[")
    form.get_by_role("button", name="Add rule").click()
    expect(page.get_by_role("alert")).to_contain_text("xpath")  # refused, naming the field
    form.get_by_label("XPath over the request").fill("")
    form.get_by_label("Login", exact=True).fill(account.login)
    form.get_by_label("Operation", exact=True).fill("GetContact")
    form.locator("select[name=answer]").select_option("fault")
    form.locator("select[name=fault]").select_option("UNAVAILABLE")
    form.get_by_label("Times").fill("1")
    form.get_by_role("button", name="Add rule").click()
    rows = page.locator("table.rules tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator(".action")).to_have_text("fault UNAVAILABLE")
    _shot(page, screenshots, "injections")
    contacts = bind(served_client(console_server, account), console_server, "Contact")
    (first, *_) = contacts.QueryContacts(MaxResults=1).Contact
    with pytest.raises(zeep.exceptions.Fault) as faulted:
        contacts.GetContact(Id=first.id)
    assert fault_code(faulted) == "UNAVAILABLE"
    assert contacts.GetContact(Id=first.id).id == first.id  # the rule was for one call
    page.reload()
    expect(rows).to_contain_text("GetContact")
    expect(rows.locator("td").nth(5)).to_have_text("1")  # used once
    page.get_by_role("button", name=re.compile("Remove rule")).click()
    expect(rows).to_have_text(re.compile("no rules"))
    _shot(page, screenshots, "injections-removed")


def test_reset_an_account_and_restore_a_snapshot(page, console_server, data, screenshots):
    account = data["account"]
    contacts_page = console_server.url("/console/accounts/%d/contacts" % account.id)
    page.goto(console_server.url("/console/"))
    page.get_by_role("link", name="Reset and snapshots").click()
    page.get_by_role("form", name="save a snapshot").get_by_label("Name").fill("known-state")
    page.get_by_role("button", name="Save snapshot").click()
    expect(page.get_by_role("status")).to_contain_text("Saved snapshot known-state")
    expect(page.locator("table.snapshots tbody tr")).to_contain_text("known-state")
    reset = page.get_by_role("form", name="reset an account")
    reset.get_by_label("Login").fill(account.login)
    reset.get_by_role("checkbox").check()
    reset.get_by_role("button", name="Reset account").click()
    expect(page.get_by_role("status")).to_contain_text("Account %s reset" % account.login)
    _shot(page, screenshots, "snapshots")
    page.goto(contacts_page)
    expect(page.locator("table.contacts")).to_contain_text("no contacts")
    page.goto(console_server.url("/console/snapshots"))
    page.get_by_role("button", name="Restore known-state").click()
    expect(page.get_by_role("status")).to_contain_text("Restored snapshot known-state")
    page.goto(contacts_page)
    expect(page.locator("table.contacts tbody tr")).to_have_count(len(PEOPLE))
    page.goto(console_server.url("/console/snapshots"))
    page.get_by_role("button", name="Delete known-state").click()
    expect(page.locator("table.snapshots")).to_contain_text("no snapshots")


class Hook(BaseHTTPRequestHandler):
    """An Endpoint that takes every postback (204) and keeps its body."""
    received: list[bytes] = []

    def do_POST(self):
        self.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def _settled(console_server, login: str, status: str, timeout: float = 20):
    """The account's only postback, once its status is ``status``."""
    deadline = time.monotonic() + timeout
    while True:
        found = console_server.store.postbacks.list(login=login)
        if len(found) == 1 and found[0].status == status:
            return found[0]
        assert time.monotonic() < deadline, found
        time.sleep(0.1)


def test_a_failed_postback_is_seen_and_retried(page, console_server, screenshots,
                                               other_account_of_console):
    account = new_account(console_server)
    client = served_client(console_server, account)
    subscriptions, broadcasts = (bind(client, console_server, svc)
                                 for svc in ("Subscription", "Broadcast"))
    port = _free_port()  # nothing listens there yet: the postback is refused
    endpoint = "http://127.0.0.1:%d/hook" % port
    subscription_id = subscriptions.CreateSubscription(Subscription={
        "Endpoint": endpoint, "NotificationFormat": "JSON", "TriggerEvent": "CAMPAIGN_STOPPED",
        "SubscriptionFilter": {"Inbound": False}})
    broadcast_id = broadcasts.CreateBroadcast(Broadcast={
        "Name": "Stopped at once", "TextBroadcastConfig": {"Message": "Hello"}})
    broadcasts.CreateContactBatch(BroadcastId=broadcast_id,
                                  ToNumber=[{"_value_1": "13105550101"}])
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START")
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="STOP")

    page.goto(console_server.url("/console/accounts/%d/" % account.id))
    page.get_by_role("link", name="Subscriptions").click()
    rows = page.locator("table.subscriptions tbody tr")
    expect(rows).to_have_count(1)
    for shown in (str(subscription_id), "true", endpoint, "JSON", "CAMPAIGN_STOPPED",
                  "Inbound=false"):
        expect(rows).to_contain_text(shown)
    _shot(page, screenshots, "subscriptions")

    failed = _settled(console_server, account.login, "FAILED")
    rows.get_by_role("link", name="Postbacks of subscription %d" % subscription_id).click()
    expect(page.get_by_role("heading", name=re.compile("of subscription %d" % subscription_id)))\
        .to_be_visible()
    rows = page.locator("table.postbacks tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("CAMPAIGN_STOPPED")
    expect(rows.locator(".status")).to_have_text("FAILED")
    expect(rows.locator(".attempts")).to_have_text("1")
    expect(rows.locator(".last-error")).to_contain_text("ConnectionError")
    _shot(page, screenshots, "postbacks")

    rows.get_by_role("link", name=str(failed.id)).click()
    body = page.locator("pre.body").inner_text()
    assert json.loads(body) == json.loads(failed.body) and len(body.splitlines()) > 3  # indented
    expect(page.locator("dd.last-error")).to_contain_text("ConnectionError")
    _shot(page, screenshots, "postback-failed")

    Hook.received.clear()
    hook = ThreadingHTTPServer(("127.0.0.1", port), Hook)  # the Endpoint is back
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        page.get_by_role("button", name="Retry").click()
        expect(page.get_by_role("status")).to_contain_text("PENDING again")
        _settled(console_server, account.login, "DELIVERED")
    finally:
        hook.shutdown()
    assert [json.loads(posted) for posted in Hook.received] == [json.loads(failed.body)]
    page.reload()
    expect(page.locator("dd.status")).to_have_text("DELIVERED")
    expect(page.locator("dd.attempts")).to_have_text("1")  # a fresh count: one more try
    expect(page.locator("dd.last-error")).to_have_text("none")
    expect(page.locator("dd.delivered")).not_to_have_text("not yet")
    expect(page.get_by_role("button", name="Retry")).to_have_count(0)
    _shot(page, screenshots, "postback-delivered")
    # a retry of what is not FAILED changes nothing
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    answer = page.request.post(page.url + "/retry", form={"csrf": csrf})
    assert answer.ok and "not FAILED" in answer.text()
    assert _settled(console_server, account.login, "DELIVERED").attempts == 1
    # another account's postback is not found, to look at or to retry
    theirs = page.url.replace("/accounts/%d/" % account.id,
                              "/accounts/%d/" % other_account_of_console.id)
    assert page.request.get(theirs).status == 404
    assert page.request.post(theirs + "/retry", form={"csrf": csrf}).status == 404


def test_the_console_is_off_without_an_admin_login(server):
    assert requests.get(server.url("/console/")).status_code == 404


def test_forms_need_the_login_s_token(console_server):
    session = requests.Session()
    answer = session.post(console_server.url("/console/login"),
                          data={"login": ADMIN, "password": ADMIN_PASSWORD},
                          allow_redirects=False)
    assert answer.status_code == 302
    assert session.get(console_server.url("/console/")).status_code == 200
    assert session.post(console_server.url("/console/logout")).status_code == 400
    assert session.get(console_server.url("/console/")).status_code == 200  # still in


def test_what_does_not_exist_is_404(console_server, data, other_account_of_console):
    session = requests.Session()
    session.post(console_server.url("/console/login"),
                 data={"login": ADMIN, "password": ADMIN_PASSWORD})
    base = "/console/accounts/%d" % data["account"].id
    other = "/console/accounts/%d" % other_account_of_console.id
    assert session.get(console_server.url(base + "/lists")).status_code == 200
    for path in ["/console/accounts/999999/contacts", base + "/contacts/999999",
                 base + "/broadcasts/999999", base + "/lists/999999",
                 base + "/postbacks/999999",
                 # another account's broadcast is not this account's
                 other + "/broadcasts/%d" % data["broadcast_id"]]:
        assert session.get(console_server.url(path)).status_code == 404, path
    assert session.get(console_server.url(base + "/contacts?page=0")).status_code == 400
    assert session.get(console_server.url(base + "/calls?broadcast=x")).status_code == 400
    assert session.get(console_server.url(base + "/postbacks?subscription=x")).status_code == 400


@pytest.fixture(scope="module")
def other_account_of_console(console_server):
    return new_account(console_server)


def test_the_cookie_key_is_the_admin_login_s_and_goes_with_it(tmp_path):
    admin = AdminFile(str(tmp_path / "callfire.admin.db"))
    assert admin.session_key() is None  # off: no console login can be signed
    admin.set_admin("ops", "first-password")
    key = admin.session_key()
    assert key == AdminFile(admin.path).session_key()  # every worker signs alike
    admin.set_admin("ops", "second-password")
    assert admin.session_key() not in (None, key)  # a new password ends every login
