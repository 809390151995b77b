"""Paging: one page of a query, its bounds, and what each process remembers of them.

Every query answers a ``Page``: the total, and the items from ``FirstResult``
on, at most ``MaxResults`` (``page_bounds`` checks both and caps the second).

``FirstResult`` is an offset, and an SQL OFFSET makes SQLite walk every row
before it: page 1,000 of a million contacts was a thousand times the work of
page 1.  Here each process remembers, per account and query, the total and
where each page it served ended (the last id); the next page starts after
that id, with at most a short OFFSET from the nearest remembered boundary.
Everything remembered belongs to one ``data_version`` of the account and is
dropped as soon as a write call moves it.
"""
from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .errors import InvalidRequest

MAX_RESULTS = 1000           # the API's cap on one page
MAX_QUERIES = 512            # remembered queries per process (least recently used go)
MAX_BOUNDARIES = 4096        # page boundaries per query

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    total: int
    items: list[T]


def page_bounds(first: int | None, limit: int | None) -> tuple[int, int]:
    """``FirstResult``/``MaxResults`` checked, with MaxResults capped at 1000."""
    first = 0 if first is None else first
    limit = MAX_RESULTS if limit is None else limit
    if first < 0:
        raise InvalidRequest("FirstResult must not be negative, got %d" % first)
    if limit < 0:
        raise InvalidRequest("MaxResults must not be negative, got %d" % limit)
    return first, min(limit, MAX_RESULTS)


def page_of(items: list[T], first: int | None, limit: int | None) -> Page[T]:
    """A page of a list already in memory (the number market, an account's numbers)."""
    first, limit = page_bounds(first, limit)
    return Page(len(items), items[first:first + limit])


@dataclass
class Remembered:
    version: int
    total: int
    offsets: list[int] = field(default_factory=list)   # sorted page ends
    last_ids: list[int] = field(default_factory=list)  # the id at each end

    def nearest(self, first: int) -> tuple[int, int | None]:
        """The closest remembered boundary at or before ``first``: (offset, last id)."""
        i = bisect.bisect_right(self.offsets, first)
        return (0, None) if i == 0 else (self.offsets[i - 1], self.last_ids[i - 1])


class PageMarks:
    def __init__(self):
        self._entries: OrderedDict[tuple, Remembered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, account_id: int, query: tuple, version: int) -> Remembered | None:
        with self._lock:
            entry = self._entries.get((account_id, query))
            if entry is None or entry.version != version:
                return None
            self._entries.move_to_end((account_id, query))
            return entry

    def put(self, account_id: int, query: tuple, version: int, total: int,
            end: int | None = None, last_id: int | None = None) -> None:
        """Remember ``total``, and that the row at offset ``end - 1`` has id ``last_id``."""
        key = (account_id, query)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version:
                entry = self._entries[key] = Remembered(version, total)
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_QUERIES:
                self._entries.popitem(last=False)
            if end is None or len(entry.offsets) >= MAX_BOUNDARIES:
                return
            i = bisect.bisect_left(entry.offsets, end)
            if i == len(entry.offsets) or entry.offsets[i] != end:
                entry.offsets.insert(i, end)
                entry.last_ids.insert(i, last_id)
