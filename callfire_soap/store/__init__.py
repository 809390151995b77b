"""State and rules: one SQLite file, reached through sqlite-utils.

``Store`` owns the file (one connection per thread, WAL mode, migrations on
open); ``Store.session`` is one transaction for one account, which is how the
SOAP layer runs every call.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from functools import cached_property
from typing import Callable, Iterator

from sqlite_utils import Database

from .accounts import Accounts
from .actions import Actions
from .autoreplies import AutoReplies
from .batches import ContactBatches
from .broadcasts import Broadcasts
from .caller_ids import CallerIds, set_required
from .clock import SimulationClock
from .contacts import Contacts
from .dnc import DncLists
from .lists import ContactLists
from .labels import Labels
from .numbers import Keywords, Numbers
from .orders import NumberOrders
from .pages import PageMarks
from .postbacks import Outbox, Postbacks, Render
from .errors import CallFireError, InvalidRequest, NotFound, UnusableDatabase
from .schedules import BroadcastSchedules
from .schema import migrate
from .simulator import Simulator, due
from .sounds import Recordings, Sounds
from .subscriptions import Event, Subscriptions

__all__ = ["Store", "Session", "CallFireError", "InvalidRequest", "NotFound",
           "UnusableDatabase"]

BUSY_TIMEOUT_MS = 10_000


class Session:
    """What one SOAP call may touch: one account's data, in one transaction."""

    def __init__(self, db: Database, account_id: int, marks: PageMarks, clock: SimulationClock,
                 render: Render | None = None):
        self.db = db
        self.account_id = account_id
        self._clock = clock
        self._render = render
        self.contacts = Contacts(db, account_id, marks)
        self.dnc = DncLists(db, account_id)
        self.lists = ContactLists(db, account_id, self.contacts, self.dnc)
        self.broadcasts = Broadcasts(db, account_id, self.notify)
        self.batches = ContactBatches(db, account_id, self.contacts)
        self.schedules = BroadcastSchedules(db, account_id)
        self.actions = Actions(db, account_id)
        self.subscriptions = Subscriptions(db, account_id)
        self.outbox = Outbox(db, account_id)
        self.auto_replies = AutoReplies(db, account_id)
        self.simulator = Simulator(db, account_id, self.broadcasts, self.schedules, self.dnc,
                                   self.notify)
        self.numbers = Numbers(db, account_id, lambda: self.sim_now)
        self.keywords = Keywords(db, account_id, lambda: self.sim_now)
        self.orders = NumberOrders(db, account_id, lambda: self.sim_now, self.numbers,
                                   self.keywords)
        self.labels = Labels(db, account_id, self.broadcasts, self.numbers)
        self.caller_ids = CallerIds(db, account_id)
        self.sounds = Sounds(db, account_id, lambda: self.sim_now)
        self.recordings = Recordings(db, account_id)

    def notify(self, event: Event) -> None:
        """Raise ``event``: each enabled subscription it matches gets its notification
        in the outbox, in this transaction."""
        for subscription in self.subscriptions.matching(event):
            if self._render is None:
                raise RuntimeError("this Store was opened without a notification renderer")
            self.outbox.add(subscription, event, self._render(self, event, subscription))

    @cached_property
    def sim_now(self) -> int:
        """The simulation clock's reading, taken once per call."""
        return self._clock.now()

    @contextmanager
    def changing(self, broadcast_id: int) -> Iterator[None]:
        """Around a change to a broadcast: simulate it up to now first, so the change
        happens at this instant, and afterwards, so what it sets off starts now."""
        if broadcast_id is None:
            raise InvalidRequest("the broadcast's id is required", detail="id")
        self.simulator.advance(broadcast_id, self.sim_now)
        yield
        self.simulator.advance(broadcast_id, self.sim_now)

    def once(self, operation: str, request_id: str | None, create: Callable[[], int]) -> int:
        """Run a create at most once per ``RequestId``: a repeat answers the first id."""
        if request_id is None:
            return create()
        row = self.db.execute(
            "SELECT result_id FROM request_ids WHERE account_id = ? AND operation = ? "
            "AND request_id = ?", [self.account_id, operation, request_id]).fetchone()
        if row is not None:
            return row[0]
        result_id = create()
        self.db["request_ids"].insert({"account_id": self.account_id, "operation": operation,
                                       "request_id": request_id, "result_id": result_id})
        return result_id


def connect(path: str) -> Database:
    """A connection as every part of the server uses one: autocommit (transactions
    are explicit), WAL, foreign keys checked, waiting for a busy lock."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = %d" % BUSY_TIMEOUT_MS)
    return Database(conn)


def check_file(path: str, create: bool) -> None:
    """Refuse a path SQLite could not use, saying why, before SQLite says less."""
    if os.path.isdir(path):
        raise UnusableDatabase("it is a directory")
    if not os.path.exists(path):
        if not create:
            raise UnusableDatabase("it does not exist")
        directory = os.path.dirname(path) or "."
        if not os.path.isdir(directory):
            raise UnusableDatabase("directory %s does not exist" % directory)
    try:  # an empty file is an empty SQLite database
        os.close(os.open(path, os.O_RDWR | (os.O_CREAT if create else 0), 0o644))
    except OSError as error:
        raise UnusableDatabase(error.strerror) from None


class Store:
    def __init__(self, path: str, create: bool = True, render: Render | None = None):
        """The database at ``path``, migrated to the latest schema; ``create`` False
        refuses a file that does not exist (commands that only read).  ``render``
        writes the notifications of events (services/notifications.py); a store
        without one refuses to raise an event a subscription wants.  Raises
        UnusableDatabase when the file cannot be used."""
        self.path = path
        self.render = render
        self._local = threading.local()
        check_file(path, create)
        try:
            migrate(self.db())
        except sqlite3.DatabaseError as error:
            raise UnusableDatabase("not an SQLite database" if "not a database" in str(error)
                                   else str(error)) from None
        self.accounts = Accounts(self)
        self.marks = PageMarks()
        self.clock = SimulationClock(self.db)
        self.postbacks = Postbacks(self.db)

    def require_verified_caller_ids(self, required: bool) -> None:
        """Whether call broadcasts must come from a verified caller id (``serve``)."""
        with self.transaction(write=True) as db:
            set_required(db, required)

    def schema_version(self) -> int:
        """The schema version the database is at, read from the file now: raises
        UnusableDatabase when the file cannot be read."""
        try:
            with self.transaction(write=False) as db:
                db.execute("SELECT count(*) FROM accounts").fetchone()
                return db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as error:
            self._local.db = None  # reconnect next time: the file may be back
            raise UnusableDatabase(str(error)) from None

    def catch_up(self, account_id: int) -> None:
        """Simulate the account's broadcasts up to now, in a write transaction of its
        own.  Simulating writes no contact: the remembered queries stay valid."""
        with self.transaction(write=True) as db:
            session = Session(db, account_id, self.marks, self.clock, self.render)
            session.simulator.catch_up(session.sim_now)

    def due_accounts(self) -> list[int]:
        """The accounts with enabled subscriptions whose broadcasts have something due
        by now: the ones whose events must not wait for a request."""
        return [row[0] for row in self.db().execute(
            "SELECT DISTINCT account_id FROM broadcasts WHERE next_event <= ? AND "
            "account_id IN (SELECT account_id FROM subscriptions WHERE enabled)",
            [self.clock.now()])]

    def db(self) -> Database:
        """This thread's connection (SQLite connections are not shared across threads)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = connect(self.path)
            db.conn.create_function("casefold", 1, str.casefold, deterministic=True)
        return db

    @contextmanager
    def transaction(self, write: bool) -> Iterator[Database]:
        """One transaction: committed on success, rolled back on any error.

        Writers take the write lock up front (``BEGIN IMMEDIATE``) so that a
        read-then-write call never fails half-way on a lock upgrade.
        """
        db = self.db()
        db.conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield db
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")

    @contextmanager
    def session(self, account_id: int, write: bool,
                simulated: bool = False) -> Iterator[Session]:
        """One call for one account.  Before a write, or a read that shows what
        broadcasts did (``simulated``), the account's broadcasts are simulated up
        to now (store/simulator.py); a read does that in a write transaction of its
        own, and only when something is due."""
        if simulated and not write and due(self.db(), account_id, self.clock.now()):
            self.catch_up(account_id)
        with self.transaction(write) as db:
            session = Session(db, account_id, self.marks, self.clock, self.render)
            if write:
                session.simulator.catch_up(session.sim_now)
            yield session
            if write:
                _written(db, account_id)

    @contextmanager
    def routed_session(self, route: Callable[[Database, int], int]) -> Iterator[Session]:
        """A write call for the account ``route`` chooses from the whole database at
        the simulated instant it is given (an inbound text or call).  Every account's
        broadcasts are simulated up to now first: the choice reads what they sent."""
        with self.transaction(write=True) as db:
            now = self.clock.now()
            for (account_id,) in db.execute(
                    "SELECT DISTINCT account_id FROM broadcasts WHERE next_event <= ?",
                    [now]).fetchall():
                Session(db, account_id, self.marks, self.clock,
                        self.render).simulator.catch_up(now)
            session = Session(db, route(db, now), self.marks, self.clock, self.render)
            session.simulator.catch_up(session.sim_now)
            yield session
            _written(db, session.account_id)


def _written(db: Database, account_id: int) -> None:
    """After a write call: what each process remembered of the account's queries
    is stale."""
    db.execute("UPDATE accounts SET data_version = data_version + 1 WHERE id = ?",
               [account_id])
