"""The outbox: one row per notification, written in the transaction of its event.

A row is PENDING until its Endpoint answers 2xx (DELIVERED) or it has been
tried ``attempts`` times (FAILED); an EMAIL notification stays in the outbox
(OUTBOX) for ``callfire-soap postbacks`` to show, as no mail server is assumed.
Each subscription's notifications are delivered in event order: its first
PENDING row (by simulated instant, then id) blocks the rest until it is
delivered or has failed.  The deliverer (callfire_soap/postbacks.py) reads and
writes them through ``Postbacks``; nothing here speaks HTTP.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable

from sqlite_utils import Database
from sqlite_utils.db import Table

from .errors import NotFound
from .ids import id_json
from .pages import Page, page_bounds
from .subscriptions import Event, Subscription

STATUSES = ("PENDING", "DELIVERED", "FAILED", "OUTBOX")


@dataclass
class Payload:
    """What is posted: its media type and its bytes."""
    content_type: str
    body: bytes


# Renders the notification of ``event`` for one subscription: given the session the
# event happened in (to read the Text, Call or Broadcast as it is at that instant).
Render = Callable[[object, Event, Subscription], Payload]


@dataclass
class Postback:
    id: int
    account_id: int
    subscription_id: int
    event: str
    instant: int
    endpoint: str
    format: str
    content_type: str
    body: bytes
    status: str
    attempts: int
    next_attempt: float
    last_error: str | None
    delivered: float | None
    created: float


_COLUMNS = ("id, account_id, subscription_id, event, instant, endpoint, format, "
            "content_type, body, status, attempts, next_attempt, last_error, delivered, created")


def _postback(row) -> Postback:
    return Postback(*row)


class Outbox:
    """The notifications one account's events write, within its session."""

    def __init__(self, db: Database, account_id: int):
        self.db = db
        self.account_id = account_id

    def add(self, subscription: Subscription, event: Event, payload: Payload) -> None:
        now = time.time()
        self.db.execute(
            "INSERT INTO postbacks (account_id, subscription_id, event, instant, endpoint, "
            "format, content_type, body, status, attempts, next_attempt, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            [self.account_id, subscription.id, event.name, event.instant,
             subscription.endpoint, subscription.format, payload.content_type, payload.body,
             "OUTBOX" if subscription.format == "EMAIL" else "PENDING", now, now])

    def query(self, subscription_id: int | None = None, first: int | None = None,
              limit: int | None = None) -> Page[Postback]:
        """The account's notifications, or one subscription's, newest first (for the
        console: the indexes on account_id and on subscription_id keep it paged)."""
        first, limit = page_bounds(first, limit)
        where, params = "account_id = ?", [self.account_id]
        if subscription_id is not None:
            where += " AND subscription_id = ?"
            params.append(subscription_id)
        rows = Table(self.db, "postbacks")
        return Page(rows.count_where(where, params), [Postback(**row) for row in rows.rows_where(
            where, params, order_by="id DESC", select=_COLUMNS, limit=limit, offset=first)])

    def get(self, ident: int) -> Postback:
        """One of the account's notifications; NOT_FOUND for another account's."""
        row = self.db.execute("SELECT %s FROM postbacks WHERE id = ? AND account_id = ?"
                              % _COLUMNS, [ident, self.account_id]).fetchone()
        if row is None:
            raise NotFound("Postback", ident)
        return _postback(row)


class Postbacks:
    """Every account's notifications, for the deliverer and the command line."""

    def __init__(self, db: Callable[[], Database]):
        self._db = db

    def pending_subscriptions(self) -> list[int]:
        return [row[0] for row in self._db().execute(
            "SELECT DISTINCT subscription_id FROM postbacks WHERE status = 'PENDING'")]

    def head(self, subscription_id: int, limit: int) -> list[Postback]:
        """The subscription's first PENDING notifications, in event order."""
        return [_postback(row) for row in self._db().execute(
            "SELECT %s FROM postbacks WHERE subscription_id = ? AND status = 'PENDING' "
            "ORDER BY instant, id LIMIT ?" % _COLUMNS, [subscription_id, limit])]

    def next_due(self, subscription_ids: Iterable[int]) -> float | None:
        """When the earliest of these subscriptions' first notifications is due."""
        due = [head[0].next_attempt for head in (self.head(s, 1) for s in subscription_ids)
               if head]
        return min(due) if due else None

    def record(self, delivered: list[tuple[int, int, float]],
               failed: list[tuple[int, int, float, str, bool]]) -> None:
        """Results of attempts: (id, attempts, when) delivered; (id, attempts, next
        attempt, error, given up) not."""
        db = self._db()
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            db.conn.executemany(
                "UPDATE postbacks SET status = 'DELIVERED', attempts = ?, delivered = ?, "
                "last_error = NULL WHERE id = ?",
                [(attempts, when, ident) for ident, attempts, when in delivered])
            db.conn.executemany(
                "UPDATE postbacks SET status = ?, attempts = ?, next_attempt = ?, "
                "last_error = ? WHERE id = ?",
                [("FAILED" if gave_up else "PENDING", attempts, next_attempt, error, ident)
                 for ident, attempts, next_attempt, error, gave_up in failed])
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")

    def list(self, status: str | None = None, login: str | None = None,
             limit: int = 100) -> list[Postback]:
        """The latest notifications, newest first."""
        where, params = ["1"], []
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if login is not None:
            where.append("account_id = (SELECT id FROM accounts WHERE login = ?)")
            params.append(login)
        return [_postback(row) for row in self._db().execute(
            "SELECT %s FROM postbacks WHERE %s ORDER BY id DESC LIMIT ?"
            % (_COLUMNS, " AND ".join(where)), [*params, limit])]

    def get(self, ident: int) -> Postback | None:
        row = self._db().execute("SELECT %s FROM postbacks WHERE id = ?" % _COLUMNS,
                                 [ident]).fetchone()
        return None if row is None else _postback(row)

    def retry(self, ids: list[int] | None = None) -> int:
        """FAILED notifications (these, or all) PENDING again with a fresh count of
        attempts; answers how many."""
        where, params = "status = 'FAILED'", [time.time()]
        if ids is not None:
            where += " AND id IN (SELECT value FROM json_each(?))"
            params.append(id_json(ids))
        return self._db().execute(
            "UPDATE postbacks SET status = 'PENDING', attempts = 0, next_attempt = ? "
            "WHERE " + where, params).rowcount
