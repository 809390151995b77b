"""The store's own rules, below the SOAP layer."""
import sqlite3
import subprocess
import sys

import pytest

from callfire_soap.store import InvalidRequest, NotFound, Store, phone
from callfire_soap.store.contacts import Contact
from callfire_soap.store.imports import parse_csv
from callfire_soap.store.postbacks import Payload
from callfire_soap.store.subscriptions import Event, Subscription
from callfire_soap.store.schema import MIGRATIONS


@pytest.mark.parametrize("raw, expected", [
    ("13105551212", "13105551212"), ("3105551212", "13105551212"),
    ("+1 (310) 555-1212", "13105551212"), ("10105551212", None), ("999", None),
    ("23105551212", None), ("13101551212", None), ("MYNAME", None),
    ("13105\u066551212", None), ("\uff11\uff13\uff10\uff15551212", None),  # not ASCII digits
])
def test_phone_normalize(raw, expected):
    assert phone.normalize(raw) == expected


def test_csv_header_is_case_insensitive_and_unknown_columns_are_extras():
    (contact,) = parse_csv(b"\xef\xbb\xbfHOMEPHONE,First Name,id\n13105551212,Ann,7\n")
    assert contact.id == 7
    assert contact.fields == {"homePhone": "13105551212", "First_Name": "Ann"}


def test_empty_csv_is_invalid():
    with pytest.raises(InvalidRequest):
        parse_csv(b"\n\n")


def test_database_is_wal_and_migrated(tmp_path):
    path = str(tmp_path / "x.db")
    Store(path)
    Store(path)  # opening again migrates nothing twice
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_transaction_rolls_back_on_error(tmp_path):
    store = Store(str(tmp_path / "x.db"))
    account_id = store.accounts.create("a", "pw")
    with pytest.raises(RuntimeError):
        with store.session(account_id, write=True) as session:
            session.contacts.create([{"homePhone": "13105551212"}])
            raise RuntimeError("boom")
    with store.session(account_id, write=False) as session:
        assert session.contacts.query().total == 0


def test_passwords_are_salted_slow_hashes_and_verification_is_remembered(tmp_path):
    store = Store(str(tmp_path / "x.db"))
    a = store.accounts.create("a", "same")
    store.accounts.create("b", "same")
    hashes = [row[0] for row in store.db().execute("SELECT password_hash FROM accounts")]
    assert hashes[0] != hashes[1] and all(h.startswith("pbkdf2_sha256$") for h in hashes)
    assert store.accounts.verify("a", "same") == a
    assert store.accounts.verify("a", "wrong") is None
    assert store.accounts.verify("nobody", "same") is None
    remembered = list(store.accounts._verified._verified)  # the keys it remembers
    assert len(remembered) == 1 and b"same" not in remembered[0]


def test_ids_are_unique_across_accounts(tmp_path):
    store = Store(str(tmp_path / "x.db"))
    ids = []
    for login in ("a", "b"):
        account_id = store.accounts.create(login, "pw")
        with store.session(account_id, write=True) as session:
            ids += session.contacts.create([{"homePhone": "13105551212"}] * 3)
    assert len(set(ids)) == 6


def test_an_account_s_notifications_page_newest_first_through_an_index(tmp_path):
    store = Store(str(tmp_path / "x.db"))
    owner, other = (store.accounts.create(login, "pw") for login in ("a", "b"))
    for account_id in (owner, other):
        with store.session(account_id, write=True) as session:
            for number in range(5):
                subscription = Subscription(10 + number % 2, endpoint="http://127.0.0.1/",
                                            format="JSON")
                session.outbox.add(subscription, Event("CAMPAIGN_STARTED", number, "broadcast",
                                                       1), Payload("application/json", b"{}"))
    with store.session(owner, write=False) as reading:
        page = reading.outbox.query(first=1, limit=2)
        assert page.total == 5 and [p.instant for p in page.items] == [3, 2]
        one = reading.outbox.query(subscription_id=11)
        assert one.total == 2 and [p.instant for p in one.items] == [3, 1]
        assert reading.outbox.get(page.items[0].id) == page.items[0]
        theirs = store.postbacks.list(login="b", limit=1)[0].id
        with pytest.raises(NotFound):
            reading.outbox.get(theirs)  # another account's is not found
        for where in ("account_id = 1", "account_id = 1 AND subscription_id = 11"):
            plan = " ".join(row[3] for row in reading.db.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM postbacks WHERE %s ORDER BY id DESC"
                % where))
            assert "USING" in plan and "TEMP B-TREE" not in plan, plan


def test_account_create_reads_the_password_from_stdin(tmp_path):
    db = str(tmp_path / "x.db")
    run = subprocess.run([sys.executable, "-m", "callfire_soap", "account", "create", "ann",
                          "--db", db], input="s3cret\n", capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert Store(db).accounts.verify("ann", "s3cret") is not None
    again = subprocess.run([sys.executable, "-m", "callfire_soap", "account", "create", "ann",
                            "--db", db, "--password", "x"], capture_output=True, text=True)
    assert again.returncode == 1 and "already exists" in again.stderr


def _store_with_contacts(tmp_path, count: int):
    store = Store(str(tmp_path / "x.db"))
    account_id = store.accounts.create("a", "pw")
    with store.session(account_id, write=True) as session:
        session.contacts.create([{"homePhone": "1310555%04d" % i, "lastName": "Mc%dÉtienne" % i}
                                 for i in range(count)])
    return store, account_id


@pytest.mark.parametrize("text", ["3105550012", "mc12é", "ÉTIENNE", "55", "É", "x\"y"])
def test_search_through_the_index_finds_what_a_scan_finds(tmp_path, text):
    store, account_id = _store_with_contacts(tmp_path, 300)
    with store.session(account_id, write=False) as session:
        found = [c.id for c in session.contacts.query(text=text).items]
        everything = session.contacts.query(limit=1000).items
    expected = [c.id for c in everything
                if any(text.casefold() in v.casefold() for v in c.fields.values())]
    assert found == expected


def test_updated_and_removed_values_leave_the_search_index(tmp_path):
    store, account_id = _store_with_contacts(tmp_path, 3)
    with store.session(account_id, write=True) as session:
        first, second, _ = [c.id for c in session.contacts.query().items]
        session.contacts.update([Contact(first, {"lastName": "Zebra"})])
        session.contacts.remove([second])
    with store.session(account_id, write=False) as session:
        assert session.contacts.query(text="Mc0É").total == 0
        assert session.contacts.query(text="Mc1É").total == 0
        assert [c.id for c in session.contacts.query(text="zebr").items] == [first]


def test_paging_stays_exact_across_writes(tmp_path):
    store, account_id = _store_with_contacts(tmp_path, 2500)

    def pages():
        with store.session(account_id, write=False) as session:
            return [c.id for first in range(0, 3000, 1000)
                    for c in session.contacts.query(first=first, limit=1000).items]

    everything = pages()
    assert len(everything) == 2500 and everything == sorted(everything)
    assert pages() == everything  # served from remembered page ends the second time
    with store.session(account_id, write=True) as session:
        session.contacts.remove(everything[500:510])
        session.contacts.create([{"homePhone": "12135550000"}])
    again = pages()
    assert again == [i for i in everything if i not in everything[500:510]] + [again[-1]]
    with store.session(account_id, write=False) as session:
        assert session.contacts.query(first=1990, limit=1000).total == 2491
