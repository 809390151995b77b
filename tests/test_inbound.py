"""Inbound texts and calls below the SOAP layer: the routing rule, opt-outs,
auto-replies, the migration that made room for them, and the commands.

Each test has a database of its own with its simulation clock stopped, so the
"first account" and "last to text the sender" rules see only its accounts.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from callfire_soap.domain import broadcasts, inbound
from callfire_soap.store import InvalidRequest, NotFound, Store
from callfire_soap.store.autoreplies import AutoReply
from callfire_soap.store.batches import ToNumber
from callfire_soap.store.broadcasts import Broadcast, BroadcastConfig
from callfire_soap.store.schema import MIGRATIONS, migrate
from sqlite_utils import Database

SENDER = "13105551212"


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(str(tmp_path / "inbound.db"))
    store.clock.start(0)
    return store


def accounts(store: Store, *logins: str) -> list[int]:
    return [store.accounts.create(login, "pw") for login in logins]


def auto_reply(store: Store, account_id: int, number="67076", keyword=None, match="",
               message="Thanks!") -> int:
    with store.session(account_id, write=True) as session:
        return session.auto_replies.create(AutoReply(None, number, keyword, match, message))


def send_text(store: Store, account_id: int, number: str, from_number=None) -> int:
    """A text broadcast to ``number``, simulated until it is sent."""
    with store.session(account_id, write=True) as session:
        broadcast_id = broadcasts.send(session, Broadcast(
            None, "API Send", "TEXT", BroadcastConfig("TEXT", from_number,
                                                      settings={"Message": "Hi"})),
            [ToNumber(number)], False)
    store.clock.advance(60)
    return broadcast_id


def texts(store: Store, account_id: int, **query):
    with store.session(account_id, write=False, simulated=True) as session:
        return session.actions.query(True, **query).items


# -- routing ------------------------------------------------------------------

def test_with_nothing_to_go_by_a_text_reaches_the_first_account(store):
    first, _ = accounts(store, "ann", "bob")
    assert inbound.receive_text(store, "67076", SENDER, "hello").account_id == first


def test_a_text_reaches_the_account_with_an_auto_reply_on_the_number(store):
    _, bob = accounts(store, "ann", "bob")
    auto_reply(store, bob)
    assert inbound.receive_text(store, "67076", SENDER, "hello").account_id == bob


def test_a_text_reaches_the_account_that_last_texted_the_sender_from_that_number(store):
    ann, bob, cat = accounts(store, "ann", "bob", "cat")
    auto_reply(store, cat)
    send_text(store, ann, SENDER)
    send_text(store, bob, SENDER, from_number="67076")
    send_text(store, ann, "13105551213")        # to someone else
    send_text(store, cat, SENDER, from_number="12135550100")  # from another number
    assert inbound.receive_text(store, "67076", SENDER, "who?").account_id == bob
    # Calls follow the calls, not the texts: nobody called, so the first account.
    assert inbound.receive_call(store, "67076", SENDER).account_id == ann


def test_the_owner_of_the_number_or_of_the_keyword_comes_first(store):
    ann, bob, cat = accounts(store, "ann", "bob", "cat")
    now = store.clock.now()
    with store.session(bob, write=True) as session:
        session.numbers.add(["12135550100"], None, now)
        session.numbers.add(["12135550199"], None, now + 3600)  # PENDING for an hour
    with store.session(cat, write=True) as session:
        session.keywords.add(["PIZZA"], None, now)
    auto_reply(store, ann, number="12135550100")
    send_text(store, ann, SENDER)
    for to, message, expected in (("2135550100", "hi", bob), ("67076", "pizza large", cat),
                                  ("67076", "Pizza", cat), ("67076", "pizzas", ann),
                                  ("12135550100", "pizza", bob), ("12135550199", "hi", ann)):
        assert inbound.receive_text(store, to, SENDER, message).account_id == expected, \
            (to, message)
    assert inbound.receive_call(store, "12135550100", SENDER).account_id == bob


def test_login_names_the_account_outright(store):
    _, bob = accounts(store, "ann", "bob")
    assert inbound.receive_text(store, "67076", SENDER, "x", login="bob").account_id == bob
    with pytest.raises(NotFound):
        inbound.receive_text(store, "67076", SENDER, "x", login="nobody")


@pytest.mark.parametrize("to, sender, field", [("1310555", SENDER, "to"),
                                               ("67076", "12", "from")])
def test_bad_numbers_are_refused_by_name(store, to, sender, field):
    accounts(store, "ann")
    with pytest.raises(InvalidRequest) as error:
        inbound.receive_text(store, to, sender, "x")
    assert error.value.detail == field


# -- what arrives, and what follows ------------------------------------------

def test_an_inbound_text_is_a_received_text_of_the_senders_contact(store):
    (ann,) = accounts(store, "ann")
    arrival = inbound.receive_text(store, "67076", "(310) 555-1212", "Hello there")
    (text,) = texts(store, ann, inbound=True)
    assert (text.id, text.from_number, text.to_number, text.message, text.state,
            text.final_result, text.broadcast_id) == (
        arrival.action_id, SENDER, "67076", "Hello there", "FINISHED", "RECEIVED", None)
    with store.session(ann, write=False) as session:
        assert session.contacts.by_number([SENDER]) == {SENDER: text.contact_id}
        assert [a.id for a in session.actions.history(text.contact_id).items] == [text.id]
    assert texts(store, ann, inbound=False) == []
    # A second text from the sender is the same contact's.
    inbound.receive_text(store, "67076", SENDER, "again")
    assert {t.contact_id for t in texts(store, ann)} == {text.contact_id}


def test_an_inbound_call_is_an_answered_billed_call(store):
    (ann,) = accounts(store, "ann")
    arrival = inbound.receive_call(store, "12135550100", SENDER)
    with store.session(ann, write=False) as session:
        (call,) = session.actions.query(False, inbound=True).items
    (record,) = call.records
    assert (call.id, call.is_call, call.from_number, call.to_number, call.final_result,
            record.duration, record.billed_amount) == (
        arrival.action_id, True, SENDER, "12135550100", "LA", 45, 0.05)


@pytest.mark.parametrize("message", ["STOP", "stop", " Stop. ", "STOPALL", "stop all",
                                     "UNSUBSCRIBE", "cancel", "End", "QUIT"])
def test_an_opt_out_puts_the_sender_on_do_not_contact_for_texts_only(store, message):
    (ann,) = accounts(store, "ann")
    auto_reply(store, ann)
    arrival = inbound.receive_text(store, "67076", SENDER, message)
    assert arrival.opted_out and arrival.reply_id is None
    with store.session(ann, write=False) as session:
        status = session.dnc.status([SENDER])[SENDER]
    assert (status.call, status.text) == (False, True)


@pytest.mark.parametrize("message", ["STOP IT NOW", "please stop", "ending", "HELP"])
def test_other_texts_are_not_opt_outs(store, message):
    accounts(store, "ann")
    assert not inbound.receive_text(store, "67076", SENDER, message).opted_out


def test_after_stop_later_texts_to_the_number_are_scrubbed_as_dnc(store):
    (ann,) = accounts(store, "ann")
    inbound.receive_text(store, "67076", SENDER, "STOP")
    broadcast_id = send_text(store, ann, SENDER)
    (text,) = texts(store, ann, broadcast_id=broadcast_id)
    assert (text.state, text.records) == ("DNC", [])


def test_a_matching_auto_reply_answers_with_a_sent_billed_text(store):
    (ann,) = accounts(store, "ann")
    reply_id = auto_reply(store, ann, match="hours", message="Open 9 to 5")
    arrival = inbound.receive_text(store, "67076", SENDER, "What are your HOURS?")
    assert arrival.auto_reply_id == reply_id
    (reply,) = texts(store, ann, inbound=False)
    (record,) = reply.records
    assert (reply.id, reply.from_number, reply.to_number, reply.message, reply.final_result,
            record.billed_amount) == (arrival.reply_id, "67076", SENDER, "Open 9 to 5",
                                      "SENT", 0.03)
    assert inbound.receive_text(store, "67076", SENDER, "thanks").reply_id is None


def test_the_most_specific_auto_reply_answers(store):
    (ann,) = accounts(store, "ann")
    anything = auto_reply(store, ann)
    hours = auto_reply(store, ann, match="hours")
    open_hours = auto_reply(store, ann, match="open hours")
    keyword = auto_reply(store, ann, keyword="Pizza")
    auto_reply(store, ann, number="12135550100", match="hours")
    for message, expected in (("hi", anything), ("your HOURS", hours),
                              ("open hours?", open_hours), ("pizza hours", keyword),
                              ("pizzahours", hours)):
        assert inbound.receive_text(store, "67076", SENDER, message).auto_reply_id == \
            expected, message


def test_an_auto_reply_to_an_opted_out_sender_is_dnc(store):
    (ann,) = accounts(store, "ann")
    with store.session(ann, write=True) as session:
        session.dnc.update_number(SENDER, call=None, text=True)
    auto_reply(store, ann)
    arrival = inbound.receive_text(store, "67076", SENDER, "hi")
    (reply,) = texts(store, ann, inbound=False)
    assert (reply.id, reply.state, reply.records) == (arrival.reply_id, "DNC", [])


# -- the migration --------------------------------------------------------------

def test_the_migration_keeps_the_calls_and_texts_a_database_had(tmp_path):
    path = str(tmp_path / "old.db")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    old = Database(conn)
    for number, step in enumerate(MIGRATIONS[:5], start=1):
        step(old)
        conn.execute("PRAGMA user_version = %d" % number)
    old["accounts"].insert({"id": 1, "login": "ann", "password_hash": "x", "created": "now"})
    old["broadcasts"].insert({"id": 2, "account_id": 1, "name": "B", "type": "TEXT",
                              "status": "FINISHED", "max_active": 1, "created": 0,
                              "last_modified": 0, "sim_until": 0, "config_id": 3,
                              "config": '{"from_number": null, "settings": {"Message": "Hi"}}'})
    old["contact_batches"].insert({"id": 4, "account_id": 1, "broadcast_id": 2, "name": "b",
                                   "status": "ACTIVE", "enabled": 1, "created": 0})
    old["actions"].insert({"id": 5, "account_id": 1, "broadcast_id": 2, "batch_id": 4,
                           "contact_id": 9, "numbers": '["%s"]' % SENDER, "to_number": SENDER,
                           "zone": "America/Los_Angeles", "state": "FINISHED", "held": 0,
                           "attempts": 1, "ready_at": 0, "created": 0, "modified": 2,
                           "final_result": "SENT"})
    old["action_records"].insert({"id": 6, "action_id": 5, "account_id": 1, "broadcast_id": 2,
                                  "result": "SENT", "originate_time": 0, "finish_time": 2,
                                  "duration": 0, "billed_duration": 0, "billed_amount": 0.03})
    conn.close()
    store = Store(path)
    (text,) = texts(store, 1)
    assert (text.id, text.broadcast_id, text.batch_id, text.message, text.inbound,
            [r.id for r in text.records]) == (5, 2, 4, "Hi", False, [6])
    assert store.db().execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert migrate(store.db()) == len(MIGRATIONS)


# -- the commands ---------------------------------------------------------------

def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "callfire_soap", *args],
                          capture_output=True, text=True, timeout=60)


def test_sim_inbound_text_and_call_commands(store):
    accounts(store, "ann", "bob")
    auto_reply(store, 2, match="hours", message="Open 9 to 5")
    db = ["--db", store.path]
    run = cli("sim", "inbound-text", *db, "--to", "67076", "--from", SENDER,
              "--message", "hours?")
    assert run.returncode == 0, run.stderr
    assert "reached account 'bob' (id 2); auto-reply" in run.stdout
    run = cli("sim", "inbound-text", *db, "--to", "67076", "--from", SENDER,
              "--message", "STOP", "--login", "ann")
    assert "reached account 'ann' (id 1); %s is on its Do Not Contact list" % SENDER \
        in run.stdout
    run = cli("sim", "inbound-call", *db, "--to", "12135550100", "--from", SENDER)
    assert run.returncode == 0 and "Inbound call" in run.stdout
    for args, status in ((["--to", "1234", "--from", SENDER], 2),
                         (["--to", "67076", "--from", "555"], 2),
                         (["--to", "67076", "--from", SENDER, "--login", "nobody"], 1)):
        run = cli("sim", "inbound-call", *db, *args)
        assert run.returncode == status and len(run.stderr.splitlines()) == 1, run.stderr
