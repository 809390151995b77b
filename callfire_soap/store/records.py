"""The shape every resource of an account shares: get it or NOT_FOUND, count then page.

A resource (broadcasts, batches, schedules, lists, DNC lists and numbers, ...)
names its table, the kind a NotFound reports, the columns it selects and how a
row becomes its record; the queries are sqlite-utils' ``count_where`` and
``rows_where(limit, offset)``, always within the account.
"""
from __future__ import annotations

from typing import Generic, Sequence, TypeVar

from sqlite_utils import Database
from sqlite_utils.db import Table

from .errors import NotFound
from .pages import Page, page_bounds

T = TypeVar("T")


def require(db: Database, table: str, kind: str, account_id: int, ident: int) -> None:
    """NOT_FOUND unless row ``ident`` of ``table`` belongs to the account."""
    if not db.execute("SELECT 1 FROM %s WHERE id = ? AND account_id = ?" % table,
                      [ident, account_id]).fetchone():
        raise NotFound(kind, ident)


class Records(Generic[T]):
    table: str            # the SQL table
    kind: str             # the CallFire name a NotFound reports (ContactBatch, DncList)
    select: str = "*"     # the columns ``record`` reads, by name
    order_by: str = "id"

    def __init__(self, db: Database, account_id: int):
        self.db = db
        self.account_id = account_id

    def record(self, row: dict) -> T:
        """One row (a dict of the ``select`` columns) as the resource's record."""
        raise NotImplementedError

    def rows_where(self, where: str | None = None, params: Sequence = (),
                   limit: int | None = None, offset: int | None = None) -> list[T]:
        """The account's records ``where`` selects, in ``order_by`` order."""
        where, params = self._within_account(where, params)
        return [self.record(row) for row in self._rows().rows_where(
            where, params, order_by=self.order_by, select=self.select, limit=limit,
            offset=offset)]

    def get(self, ident: int) -> T:
        found = self.rows_where("id = ?", [ident], limit=1)
        if not found:
            raise NotFound(self.kind, ident)
        return found[0]

    def require(self, ident: int) -> None:
        """NOT_FOUND unless the account has this one (without reading it)."""
        require(self.db, self.table, self.kind, self.account_id, ident)

    def page(self, where: str | None = None, params: Sequence = (),
             first: int | None = None, limit: int | None = None) -> Page[T]:
        """``FirstResult``/``MaxResults`` of what ``where`` selects, with the total."""
        first, limit = page_bounds(first, limit)
        total = self._rows().count_where(*self._within_account(where, params))
        return Page(total, self.rows_where(where, params, limit, first))

    def _rows(self) -> Table:
        """The table, without the look for a view of its name that ``db[name]`` makes:
        a query of sqlite_master at every read (14 of them in a SendText)."""
        return Table(self.db, self.table)

    def _within_account(self, where: str | None, params: Sequence) -> tuple[str, list]:
        if where is None:
            return "account_id = ?", [self.account_id]
        return "account_id = ? AND (%s)" % where, [self.account_id, *params]
