"""Owned numbers and keywords in the store, and the owner lookups inbound routing uses."""
import sqlite3

import pytest

from callfire_soap.store import InvalidRequest, NotFound, Store
from callfire_soap.store.numbers import (KEYWORD_QUARANTINE, NumberConfiguration,
                                         NumberNotFound, keyword_key, keyword_owner,
                                         number_owner)


@pytest.fixture
def store(tmp_path):
    store = Store(str(tmp_path / "n.db"))
    store.clock.start(0)
    return store


@pytest.fixture
def accounts(store):
    return store.accounts.create("ann", "pw"), store.accounts.create("bob", "pw")


def test_a_number_is_pending_until_its_order_finishes_then_owned_and_active(store, accounts):
    ann, bob = accounts
    now = store.clock.now()
    with store.session(ann, write=True) as session:
        session.numbers.add(["13105550199"], order_id=None, active_at=now + 60)
        assert session.numbers.get("3105550199").status == "PENDING"
    db = store.db()
    assert number_owner(db, "13105550199", now) is None
    assert number_owner(db, "+1 (310) 555-0199", now + 60) == ann
    assert number_owner(db, "13105550100", now + 60) is None
    assert number_owner(db, "not a number", now + 60) is None
    store.clock.advance(60)
    with store.session(ann, write=False) as session:
        owned = session.numbers.get("13105550199")
        assert (owned.status, owned.toll_free, owned.lease.end - owned.lease.begin) == (
            "ACTIVE", False, 30 * 86400)
    with store.session(bob, write=False) as session:
        with pytest.raises(NumberNotFound) as excinfo:
            session.numbers.get("13105550199")
    assert excinfo.value.code == "NOT_FOUND"
    assert excinfo.value.message == "number 13105550199 does not exist, or is inactive"


def test_a_number_has_one_owner_and_is_nobodys_once_released(store, accounts):
    ann, bob = accounts
    now = store.clock.now()
    with store.session(ann, write=True) as session:
        session.numbers.add(["18005550199"], None, now)
        session.numbers.configure("18005550199", NumberConfiguration(
            inbound_type="IVR", dialplan="<dialplan/>"))
        assert session.numbers.get("18005550199").configuration.dialplan == "<dialplan/>"
        assert session.numbers.get("18005550199").toll_free
    with store.session(bob, write=True) as session:
        assert session.numbers.taken(["18005550199", "18005550198"]) == {"18005550199"}
        with pytest.raises(sqlite3.IntegrityError):
            session.numbers.add(["18005550199"], None, now)
    with store.session(ann, write=True) as session:
        session.numbers.release("18005550199")
    assert number_owner(store.db(), "18005550199", now) is None
    with store.session(bob, write=True) as session:
        session.numbers.add(["18005550199"], None, now)
    assert number_owner(store.db(), "18005550199", now) == bob


def test_a_released_keyword_cannot_be_bought_for_thirty_simulated_days(store, accounts):
    ann, bob = accounts
    now = store.clock.now()
    with store.session(ann, write=True) as session:
        assert session.keywords.available(["Pizza", "tacos"]) == {"Pizza": True, "tacos": True}
        session.keywords.add(["Pizza"], None, now)
    assert keyword_owner(store.db(), "PIZZA", now) == ann
    assert keyword_owner(store.db(), "pizza", now) == ann
    assert keyword_owner(store.db(), "tacos", now) is None
    with store.session(bob, write=True) as session:
        assert session.keywords.available(["pizza"]) == {"pizza": False}
        with pytest.raises(NotFound):
            session.keywords.release("pizza")
    with store.session(ann, write=True) as session:
        session.keywords.release("pizza")
        assert session.keywords.query().total == 0
    assert keyword_owner(store.db(), "pizza", now) is None
    store.clock.advance(KEYWORD_QUARANTINE - 1)
    with store.session(bob, write=False) as session:
        assert session.keywords.available(["pizza"]) == {"pizza": False}
    store.clock.advance(1)
    with store.session(bob, write=True) as session:
        assert session.keywords.available(["pizza"]) == {"pizza": True}
        session.keywords.add(["pizza"], None, store.clock.now())
    assert keyword_owner(store.db(), "Pizza", store.clock.now()) == bob


@pytest.mark.parametrize("keyword", ["two words", "", "x" * 33, "caf\u00e9"])
def test_a_keyword_is_letters_and_digits(keyword):
    with pytest.raises(InvalidRequest):
        keyword_key(keyword)


def test_account_delete_takes_its_numbers_and_keywords(store, accounts):
    ann, _ = accounts
    with store.session(ann, write=True) as session:
        session.numbers.add(["13105550199"], None, 0)
        session.keywords.add(["pizza"], None, 0)
    store.accounts.delete("ann")
    assert store.db().execute("SELECT count(*) FROM numbers").fetchone()[0] == 0
    assert store.db().execute("SELECT count(*) FROM keywords").fetchone()[0] == 0
