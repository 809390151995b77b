"""SIGKILL in the middle of a large CreateContactList, then a restart.

The kill comes while the import holds SQLite's write lock, so its transaction
is open: afterwards the database must be intact, the list wholly there or
absent, and everything acknowledged before the kill served after a restart.
"""
import base64
import os
import signal
import sqlite3
import threading
import time

import pytest
import requests

from conftest import ENVELOPE, SOAP_HEADERS, bind, new_account, served_client, start_server

ROWS = 100_000


def _create_list(name: str, csv: str) -> str:
    return ENVELOPE % ("<svc:CreateContactList><svc:Name>%s</svc:Name><svc:ContactSource>"
                       "<svc:File>%s</svc:File></svc:ContactSource></svc:CreateContactList>"
                       % (name, base64.b64encode(csv.encode()).decode()))


def _writing(db_path) -> bool:
    """Whether some connection holds the write lock (our own attempt at it fails at once)."""
    probe = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as e:
        assert "locked" in str(e)
        return True
    finally:
        probe.close()


def test_a_kill_in_the_middle_of_a_large_import_loses_nothing_acknowledged(tmp_path):
    db_path = tmp_path / "crash.db"
    with start_server(db_path) as server:
        account = new_account(server)
        contacts = bind(served_client(server, account), server, "Contact")
        acknowledged = {contacts.CreateContactList(Name="before-%d" % i, ContactSource={
            "Numbers": {"_value_1": ["1310555%04d" % i, "1213555%04d" % i]}}): i
            for i in range(5)}
        big = _create_list("big", "homePhone,firstName\n" + "".join(
            "13102%06d,Name%d\n" % (i, i) for i in range(ROWS)))
        answers = []

        def send() -> None:
            try:
                answers.append(requests.post(server.endpoint("contact"), data=big,
                                             headers=SOAP_HEADERS, timeout=120,
                                             auth=(account.login, account.password)))
            except requests.ConnectionError as e:
                answers.append(e)

        sender = threading.Thread(target=send)
        sender.start()
        deadline = time.monotonic() + 60
        while not _writing(db_path):
            assert not answers, "the import finished before it was seen writing"
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.005)
        os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(10)
        sender.join(30)
        if not isinstance(answers[0], requests.ConnectionError):
            pytest.fail("the import was answered although the server was killed: %s"
                        % answers[0].status_code)

    check = sqlite3.connect(db_path)
    assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert check.execute("PRAGMA foreign_key_check").fetchall() == []
    sizes = check.execute(
        "SELECT l.name, count(m.contact_id) FROM contact_lists l LEFT JOIN contact_list_members m "
        "ON m.list_id = l.id WHERE l.account_id = ? GROUP BY l.id", [account.id]).fetchall()
    check.close()
    assert sorted(sizes) in ([("before-%d" % i, 2) for i in range(5)],
                             [("before-%d" % i, 2) for i in range(5)] + [("big", ROWS)])

    with start_server(db_path) as restarted:
        contacts = bind(served_client(restarted, account), restarted, "Contact")
        served = {l.id: (l.Name, l.Size) for l in contacts.QueryContactLists().ContactList}
        for list_id, i in acknowledged.items():
            assert served[list_id] == ("before-%d" % i, 2)
