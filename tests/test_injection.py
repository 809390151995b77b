"""Fault and latency injection, against a real ``serve`` of two workers: a rule
answers instead of the operation (nothing written), for N calls or until removed,
and the journal says so."""
from __future__ import annotations

import time

import pytest
import requests
import zeep

from conftest import (ADMIN, ENVELOPE, account_rows, admin_server, bind, fault_code,
                      new_account, post, served_client, soap_fault)
from test_cli import cli



@pytest.fixture(scope="module")
def injecting(tmp_path_factory):
    with admin_server(tmp_path_factory.mktemp("inject") / "callfire.db") as running:
        yield running


def add_rule(server, **fields) -> dict:
    answer = requests.post(server.url("/admin/injections"), auth=ADMIN, json=fields)
    assert answer.status_code == 201, answer.text
    return answer.json()


def journal(server, account) -> list[dict]:
    return requests.get(server.url("/admin/journal"), auth=ADMIN,
                        params={"login": account.login}).json()["exchanges"]


def get_contact(contact_id: int) -> str:
    return ENVELOPE % ("<svc:GetContact><svc:Id>%d</svc:Id></svc:GetContact>" % contact_id)


def test_unavailable_on_the_next_two_get_contacts_of_one_login(injecting):
    account, other = new_account(injecting), new_account(injecting)
    contacts = bind(served_client(injecting, account), injecting, "Contact")
    contacts.CreateContactList(Name="people", ContactSource={"Contact": [
        {"firstName": "Ann", "homePhone": "12135551234"}]})
    (contact,) = contacts.QueryContacts(MaxResults=10).Contact
    rule = add_rule(injecting, login=account.login, operation="GetContact",
                    fault="UNAVAILABLE", times=2)
    before = account_rows(injecting.store, account.id)
    others = bind(served_client(injecting, other), injecting, "Contact")
    for _ in range(2):
        with pytest.raises(zeep.exceptions.Fault) as raised:
            contacts.GetContact(Id=contact.id)
        assert fault_code(raised) == "UNAVAILABLE"
        assert "injected by rule %d" % rule["id"] in raised.value.message
        with pytest.raises(zeep.exceptions.Fault) as theirs:  # another login: not theirs
            others.GetContact(Id=contact.id)
        assert fault_code(theirs) == "NOT_FOUND"
    assert contacts.GetContact(Id=contact.id).firstName == "Ann"
    assert account_rows(injecting.store, account.id) == before
    spent = requests.get(injecting.url("/admin/injections/%d" % rule["id"]), auth=ADMIN).json()
    assert (spent["used"], spent["remaining"]) == (2, 0)
    marks = [(e["operation"], e["fault"], e["injected"]) for e in journal(injecting, account)]
    injected = "rule %d: fault UNAVAILABLE" % rule["id"]
    assert marks[-3:] == [("GetContact", "UNAVAILABLE", injected),
                          ("GetContact", "UNAVAILABLE", injected), ("GetContact", None, None)]


def test_a_faulted_write_writes_nothing_and_runs_once_the_rule_is_spent(injecting):
    account = new_account(injecting)
    contacts = bind(served_client(injecting, account), injecting, "Contact")
    add_rule(injecting, login=account.login, operation="CreateContactList", fault="TIMEOUT",
             times=1)
    before = account_rows(injecting.store, account.id)
    with pytest.raises(zeep.exceptions.Fault) as raised:
        contacts.CreateContactList(Name="p", ContactSource={"Contact": [{"firstName": "Bo"}]})
    assert fault_code(raised) == "TIMEOUT"
    assert account_rows(injecting.store, account.id) == before
    contacts.CreateContactList(Name="p", ContactSource={"Contact": [{"firstName": "Bo"}]})
    assert contacts.QueryContacts(MaxResults=10).TotalResults == 1


def test_a_rule_for_n_calls_is_taken_n_times_across_workers(injecting):
    account = new_account(injecting)
    add_rule(injecting, login=account.login, operation="GetContact", fault="UNAVAILABLE",
             times=3)
    codes = [soap_fault(post(injecting, account, get_contact(1)))["fault_code"]
             for _ in range(8)]
    assert codes.count("UNAVAILABLE") == 3 and codes[:3] == ["UNAVAILABLE"] * 3
    assert set(codes[3:]) == {"NOT_FOUND"}


def test_an_xpath_picks_the_requests_a_rule_answers(injecting):
    account = new_account(injecting)
    add_rule(injecting, login=account.login, operation="GetContact",
             xpath="//svc:Id = 42", fault="NOT_IMPLEMENTED")
    assert soap_fault(post(injecting, account, get_contact(41)))["fault_code"] == "NOT_FOUND"
    assert soap_fault(post(injecting, account, get_contact(42)))["fault_code"] == \
        "NOT_IMPLEMENTED"


@pytest.mark.parametrize("status", [503, 504])
def test_an_http_status_comes_without_a_soap_body(injecting, status):
    account = new_account(injecting)
    add_rule(injecting, login=account.login, http_status=status, times=1)
    answer = post(injecting, account, get_contact(1))
    assert answer.status_code == status
    assert answer.headers["Content-Type"].startswith("text/plain")
    assert b"Envelope" not in answer.content
    assert post(injecting, account, get_contact(1)).status_code == 500  # NOT_FOUND again
    assert journal(injecting, account)[-2]["http_status"] == status


def test_a_dropped_connection_gets_no_answer(injecting):
    account = new_account(injecting)
    rule = add_rule(injecting, login=account.login, drop=True, times=1)
    with pytest.raises(requests.exceptions.RequestException):
        post(injecting, account, get_contact(1))
    assert post(injecting, account, get_contact(1)).status_code == 500
    (dropped, _) = journal(injecting, account)[-2:]
    assert dropped["http_status"] is None and dropped["injected"] == "rule %d: drop" % rule["id"]
    assert "dropped by an injection rule" in injecting.log_path.read_text()


def test_a_delay_alone_lets_the_operation_run_late(injecting):
    account = new_account(injecting)
    add_rule(injecting, login=account.login, operation="GetContact", delay=0.4, times=1)
    started = time.monotonic()
    answer = post(injecting, account, get_contact(1))
    assert time.monotonic() - started >= 0.4
    assert soap_fault(answer)["fault_code"] == "NOT_FOUND"  # it ran: the contact is missing
    assert journal(injecting, account)[-1]["injected"].endswith("delay 0.4s")


def test_a_rule_until_removed_holds_until_removed(injecting):
    account = new_account(injecting)
    rule = add_rule(injecting, login=account.login, fault="FORBIDDEN")
    for _ in range(3):
        assert soap_fault(post(injecting, account, get_contact(1)))["fault_code"] == "FORBIDDEN"
    assert requests.delete(injecting.url("/admin/injections/%d" % rule["id"]),
                           auth=ADMIN).status_code == 204
    assert soap_fault(post(injecting, account, get_contact(1)))["fault_code"] == "NOT_FOUND"
    assert requests.delete(injecting.url("/admin/injections/%d" % rule["id"]),
                           auth=ADMIN).status_code == 404


@pytest.mark.parametrize("fields, named", [
    ({"fault": "SOMETIMES"}, "fault"),
    ({"fault": "UNAVAILABLE", "drop": True}, "fault"),
    ({}, "fault"),
    ({"http_status": 200}, "http_status"),
    ({"delay": -1}, "delay"),
    ({"fault": "TIMEOUT", "times": 0}, "times"),
    ({"fault": "TIMEOUT", "xpath": "//["}, "xpath"),
])
def test_a_rule_that_cannot_be_followed_is_refused_naming_the_field(injecting, fields, named):
    answer = requests.post(injecting.url("/admin/injections"), auth=ADMIN, json=fields)
    assert answer.status_code == 400 and answer.json()["field"] == named


def test_the_command_line_adds_lists_and_removes_rules_a_running_server_follows(injecting):
    account = new_account(injecting)
    db = str(injecting.db_path)
    added = cli("inject", "add", "--db", db, "--login", account.login, "--op", "GetContact",
                "--fault", "UNAVAILABLE", "--times", "1")
    assert added.returncode == 0, added.stderr
    rule_id = int(added.stdout.split()[1].rstrip(":"))
    assert ("%d  fault UNAVAILABLE on GetContact of login %r, 1 of 1 call(s) left"
            % (rule_id, account.login)) in cli("inject", "list", "--db", db).stdout
    assert soap_fault(post(injecting, account, get_contact(1)))["fault_code"] == "UNAVAILABLE"
    assert "0 of 1 call(s) left" in cli("inject", "list", "--db", db).stdout
    assert cli("inject", "remove", str(rule_id), "--db", db).returncode == 0
    assert cli("inject", "remove", str(rule_id), "--db", db).returncode == 1
    refused = cli("inject", "add", "--db", db, "--fault", "UNAVAILABLE", "--drop")
    assert refused.returncode == 2 and "not allowed with" in refused.stderr
