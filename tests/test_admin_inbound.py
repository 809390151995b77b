"""Inbound texts and calls over HTTP, for test suites: the admin surface's
``POST /admin/sim/inbound-text`` and ``/admin/sim/inbound-call``."""
from __future__ import annotations

import pytest
import requests

from conftest import bind, new_account, served_client, start_server

ADMIN = ("root", "admin-secret")
SENDER = "13105551212"


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("admin-inbound") / "callfire.db",
                      "--sim-speed", "0", "--admin-login", ADMIN[0],
                      env={"CALLFIRE_SOAP_ADMIN_PASSWORD": ADMIN[1]}) as running:
        yield running


def post(server, what: str, auth=ADMIN, **body) -> requests.Response:
    return requests.post(server.url("/admin/sim/inbound-" + what), json=body, auth=auth)


def test_an_inbound_text_over_http_is_answered_by_the_auto_reply(admin_server):
    account = new_account(admin_server)
    texts = bind(served_client(admin_server, account), admin_server, "Text")
    reply_id = texts.CreateAutoReply(AutoReply={"Number": "67076", "Match": "hours",
                                                "Message": "Open 9 to 5"})
    answer = post(admin_server, "text", to="67076", message="Your hours?",
                  login=account.login, **{"from": SENDER})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["kind"], body["account"], body["account_id"], body["opted_out"],
            body["auto_reply_id"]) == ("text", account.login, account.id, False, reply_id)
    (received,) = texts.QueryTexts(Inbound=True).Text
    (sent,) = texts.QueryTexts(Inbound=False).Text
    assert (received.id, received.Message, sent.id, sent.Message) == (
        body["id"], "Your hours?", body["reply_id"], "Open 9 to 5")

    stop = post(admin_server, "text", to="67076", message="STOP", login=account.login,
                **{"from": SENDER}).json()
    assert stop["opted_out"] and stop["reply_id"] is None
    call = post(admin_server, "call", to="12135550100", login=account.login,
                **{"from": SENDER}).json()
    assert call["kind"] == "call"
    history = bind(served_client(admin_server, account), admin_server,
                   "Contact").GetContactHistory(ContactId=received.ContactId)
    assert [next(iter(item)) for item in history] == ["Call", "Text", "Text", "Text"]


@pytest.mark.parametrize("what, body, status, field", [
    ("text", {"to": "67076", "from": SENDER}, 400, "message"),
    ("text", {"to": "67076", "from": SENDER, "message": 7}, 400, "message"),
    ("text", {"to": "1234", "from": SENDER, "message": "x"}, 400, "to"),
    ("call", {"to": "67076", "from": "555"}, 400, "from"),
    ("call", {"to": "67076", "from": SENDER, "login": ["a"]}, 400, "login"),
    ("call", {"to": "67076", "from": SENDER, "login": "nobody"}, 404, None),
])
def test_bad_requests_are_refused_by_field(admin_server, what, body, status, field):
    answer = post(admin_server, what, **body)
    assert answer.status_code == status, answer.text
    assert answer.json().get("field") == field


def test_only_the_admin_login_makes_texts_arrive(admin_server):
    account = new_account(admin_server)
    answer = post(admin_server, "text", auth=(account.login, account.password), to="67076",
                  message="hi", **{"from": SENDER})
    assert answer.status_code == 401
    assert requests.post(admin_server.url("/admin/sim/inbound-text"), data="[", auth=ADMIN,
                         headers={"Content-Type": "application/json"}).status_code == 400
