"""Ids: one id space for everything the server hands out, and id lists in SQL.

Contacts, lists, broadcasts and their configs, batches, schedules, calls, texts
and their records all take their ids from one counter, so no two objects in one
answer share an ``id``: Perl's SOAP::Lite reads equal ids in one answer as one
multi-referenced object.  Writers hold the database's write lock, so the ids a
call takes are its own.
"""
from __future__ import annotations

import json
from typing import Iterable

from sqlite_utils import Database

# The tables whose ids reach clients, with the column holding each id.
ID_COLUMNS = (("contacts", "id"), ("contact_lists", "id"), ("dnc_lists", "id"),
              ("broadcasts", "id"), ("broadcasts", "config_id"), ("contact_batches", "id"),
              ("broadcast_schedules", "id"), ("actions", "id"), ("action_records", "id"),
              ("sounds", "id"), ("recordings", "id"))


def take(db: Database, count: int = 1) -> int:
    """The first of ``count`` consecutive new ids."""
    (last,) = db.execute("UPDATE id_space SET last_id = last_id + ? RETURNING last_id",
                         [count]).fetchone()
    return last - count + 1


def highest(db: Database) -> int:
    """The highest id any table holds (of those a migration has made so far)."""
    tables = set(db.table_names())
    return max(db.execute("SELECT coalesce(max(%s), 0) FROM %s" % (column, table)
                          ).fetchone()[0] for table, column in ID_COLUMNS if table in tables)


def id_json(ids: Iterable[int]) -> str:
    """Ids as one JSON parameter, for ``IN (SELECT value FROM json_each(?))``."""
    return json.dumps(list(ids))
