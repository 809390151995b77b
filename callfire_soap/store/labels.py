"""Labels: names an account puts on its broadcasts and numbers.

A label is made the first time it is used, and named, not numbered.  Unlabel
takes the label off one broadcast or number and keeps it; DeleteLabel takes it
off everything and forgets it.  A released number loses its labels.  What a
broadcast carries, its calls and texts carry: QueryBroadcasts, QueryTexts and
QueryCalls filter by label name (``labelled``).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

from sqlite_utils import Database

from .errors import InvalidRequest, NotFound
from .pages import Page
from .records import Records

if TYPE_CHECKING:  # broadcasts.py filters by label: it imports this module
    from .broadcasts import Broadcasts
    from .numbers import Numbers


def labelled(column: str) -> str:
    """SQL: ``column`` (a broadcast id) is a broadcast carrying the label of the two
    parameters that follow (account id, label name)."""
    return ("%s IN (SELECT bl.broadcast_id FROM broadcast_labels bl JOIN labels l "
            "ON l.id = bl.label_id WHERE l.account_id = ? AND l.name = ?)" % column)


def labelled_number(column: str) -> str:
    """SQL: ``column`` is a number carrying the label of the two parameters that follow
    (account id, label name)."""
    return ("%s IN (SELECT nl.number FROM number_labels nl JOIN labels l ON "
            "l.id = nl.label_id WHERE l.account_id = ? AND l.name = ?)" % column)


def broadcast_labels(db: Database, broadcast_ids: Iterable[int]) -> dict[int, list[str]]:
    """The label names on each of these broadcasts, in name order."""
    found: dict[int, list[str]] = {}
    for broadcast_id, name in db.execute(
            "SELECT bl.broadcast_id, l.name FROM broadcast_labels bl JOIN labels l ON "
            "l.id = bl.label_id WHERE bl.broadcast_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY l.name", [json.dumps(list(broadcast_ids))]):
        found.setdefault(broadcast_id, []).append(name)
    return found


def _check(name: str | None) -> str:
    if not name:
        raise InvalidRequest("LabelName is required", detail="LabelName")
    return name


class Labels(Records[str]):
    table, kind, select, order_by = "labels", "Label", "name", "name"

    def __init__(self, db: Database, account_id: int, broadcasts: Broadcasts,
                 numbers: Numbers):
        super().__init__(db, account_id)
        self._broadcasts = broadcasts
        self._numbers = numbers

    def record(self, row: dict) -> str:
        return row["name"]

    def query(self, first: int | None = None, limit: int | None = None) -> Page[str]:
        """The account's label names, in name order."""
        return self.page(None, (), first, limit)

    def _id(self, name: str | None, create: bool = False) -> int:
        name = _check(name)
        row = self.db.execute("SELECT id FROM labels WHERE account_id = ? AND name = ?",
                              [self.account_id, name]).fetchone()
        if row is not None:
            return row[0]
        if not create:
            raise NotFound("Label", name)
        return self.db["labels"].insert({"account_id": self.account_id,
                                         "name": name}).last_pk

    def label_broadcast(self, broadcast_id: int, name: str) -> None:
        self._broadcasts.require(broadcast_id)
        self.db.execute("INSERT OR IGNORE INTO broadcast_labels (label_id, broadcast_id, "
                        "account_id) VALUES (?, ?, ?)",
                        [self._id(name, create=True), broadcast_id, self.account_id])

    def unlabel_broadcast(self, broadcast_id: int, name: str) -> None:
        self._broadcasts.require(broadcast_id)
        self.db.execute("DELETE FROM broadcast_labels WHERE label_id = ? AND broadcast_id = ?",
                        [self._id(name), broadcast_id])

    def label_number(self, number: str, name: str) -> None:
        owned = self._numbers.get(number)
        self.db.execute("INSERT OR IGNORE INTO number_labels (label_id, number, account_id) "
                        "VALUES (?, ?, ?)",
                        [self._id(name, create=True), owned.number, self.account_id])

    def unlabel_number(self, number: str, name: str) -> None:
        owned = self._numbers.get(number)
        self.db.execute("DELETE FROM number_labels WHERE label_id = ? AND number = ?",
                        [self._id(name), owned.number])

    def delete(self, name: str) -> None:
        """Forget the label, and take it off every broadcast and number."""
        self.db.execute("DELETE FROM labels WHERE id = ?", [self._id(name)])
