"""Reset and snapshots against a real ``serve`` of two workers, while it serves."""
from __future__ import annotations

import sqlite3
import threading

import pytest
import requests

from conftest import ADMIN, account_rows, admin_server, bind, new_account, served_client
from test_cli import cli



@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    with admin_server(tmp_path_factory.mktemp("snapshots") / "callfire.db") as running:
        yield running


def admin(server, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, server.url("/admin/" + path), auth=ADMIN, **kwargs)


def _fill(server, account):
    """Contacts, a list, a DNC number and a broadcast: an account with data."""
    contacts = bind(served_client(server, account), server, "Contact")
    contacts.CreateContactList(Name="people", ContactSource={"Contact": [
        {"firstName": "Ann", "homePhone": "12135551001"},
        {"firstName": "Bo", "homePhone": "12135551002"}]})
    contacts.UpdateDncNumber(Number="12135559999", CallDnc=True, TextDnc=True)
    bind(served_client(server, account), server, "Text").SendText(
        ToNumber="12135551001", TextBroadcastConfig={"Message": "hello"})
    return contacts


def _data(server, account) -> dict:
    """What the account holds, less the counter every write moves."""
    rows = account_rows(server.store, account.id)
    rows["accounts"] = [row[:-1] for row in rows["accounts"]]  # data_version
    return rows


class Traffic:
    """Another account's calls, one after another, while a test works: each must be
    answered, and none may see the data half restored."""

    def __init__(self, server):
        self.account = new_account(server)
        self.client = bind(served_client(server, self.account), server, "Contact")
        self.client.UpdateContacts(Contact=[])
        self.answered, self.failures = 0, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.client.QueryContacts(MaxResults=5)
                self.answered += 1
            except Exception as error:  # noqa: BLE001  (reported by the test)
                self.failures.append(repr(error))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join(30)


def test_a_snapshot_round_trips_an_accounts_data_while_the_server_serves(serving):
    account = new_account(serving)
    contacts = _fill(serving, account)
    saved = _data(serving, account)
    page = contacts.QueryContacts(MaxResults=10)  # remembered by a worker, then stale
    with Traffic(serving) as traffic:
        created = admin(serving, "POST", "snapshots", json={"name": "round-trip"})
        assert created.status_code == 201 and created.json()["name"] == "round-trip"
        contacts.UpdateContacts(Contact=[{"id": page.Contact[0].id, "firstName": "Changed"}])
        contacts.RemoveContacts(ContactId=[page.Contact[1].id])
        contacts.CreateContactList(Name="more", ContactSource={"Numbers": "12135552000"})
        assert _data(serving, account) != saved
        restored = admin(serving, "POST", "snapshots/round-trip/restore")
        assert restored.status_code == 200, restored.text
        assert _data(serving, account) == saved
    assert traffic.failures == [] and traffic.answered > 0
    again = contacts.QueryContacts(MaxResults=10)
    assert [(c.id, c.firstName) for c in again.Contact] == \
        [(c.id, c.firstName) for c in page.Contact]
    assert again.TotalResults == page.TotalResults
    listed = admin(serving, "GET", "snapshots").json()["snapshots"]
    assert "round-trip" in [s["name"] for s in listed]


def test_the_command_line_saves_and_restores_beside_a_running_server(serving):
    account = new_account(serving)
    contacts = _fill(serving, account)
    saved = _data(serving, account)
    db = str(serving.db_path)
    assert cli("snapshot", "save", "from-cli", "--db", db).returncode == 0
    assert "from-cli" in cli("snapshot", "list", "--db", db).stdout
    assert cli("reset", "--login", account.login, "--db", db).returncode == 0
    assert contacts.QueryContacts(MaxResults=10).TotalResults == 0
    done = cli("snapshot", "restore", "from-cli", "--db", db)
    assert done.returncode == 0, done.stderr
    assert _data(serving, account) == saved
    assert cli("snapshot", "delete", "from-cli", "--db", db).returncode == 0
    assert cli("snapshot", "restore", "from-cli", "--db", db).returncode == 1


def test_reset_removes_an_accounts_data_and_keeps_the_account(serving):
    account, other = new_account(serving), new_account(serving)
    contacts = _fill(serving, account)
    _fill(serving, other)
    theirs = account_rows(serving.store, other.id)
    answer = admin(serving, "POST", "reset", json={"login": account.login})
    assert answer.json() == {"reset": account.login}
    rows = account_rows(serving.store, account.id)
    assert len(rows.pop("accounts")) == 1
    assert all(table == [] for table in rows.values()), rows
    assert account_rows(serving.store, other.id) == theirs
    assert contacts.QueryContacts(MaxResults=10).TotalResults == 0  # same login, still in
    contacts.UpdateContacts(Contact=[])
    assert admin(serving, "POST", "reset", json={"login": "nobody"}).status_code == 404


@pytest.mark.parametrize("method, path, body, status", [
    ("POST", "snapshots", {"name": "../escape"}, 400),
    ("POST", "snapshots", {}, 400),
    ("POST", "snapshots/never-saved/restore", None, 404),
    ("DELETE", "snapshots/never-saved", None, 404),
    ("POST", "reset", {"who": "x"}, 400),
])
def test_a_snapshot_or_reset_that_cannot_be_done_is_refused(serving, method, path, body, status):
    assert admin(serving, method, path, json=body).status_code == status


def test_a_snapshot_carries_no_journal_or_admin_login(serving):
    admin(serving, "POST", "snapshots", json={"name": "bare"})
    path = serving.db_path.with_name("callfire.snapshots") / "bare.db"
    tables = {name for (name,) in sqlite3.connect(path).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "accounts" in tables
    assert not tables & {"journal_segments", "admin_login", "injection_rules"}
