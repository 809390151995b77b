"""One id space for everything the server hands out.

Contacts, lists, broadcasts and their configs, batches, schedules, calls, texts
and their records all take their ids from one counter, so no two objects in one
answer share an ``id``: Perl's SOAP::Lite reads equal ids in one answer as one
multi-referenced object.  Writers hold the database's write lock, so the ids a
call takes are its own.
"""
from __future__ import annotations

from sqlite_utils import Database

# The tables whose ids reach clients, with the column holding each id.
ID_COLUMNS = (("contacts", "id"), ("contact_lists", "id"), ("dnc_lists", "id"),
              ("broadcasts", "id"), ("broadcasts", "config_id"), ("contact_batches", "id"),
              ("broadcast_schedules", "id"), ("actions", "id"), ("action_records", "id"))


def take(db: Database, count: int = 1) -> int:
    """The first of ``count`` consecutive new ids."""
    (last,) = db.execute("UPDATE id_space SET last_id = last_id + ? RETURNING last_id",
                         [count]).fetchone()
    return last - count + 1


def highest(db: Database) -> int:
    """The highest id any table holds."""
    return max(db.execute("SELECT coalesce(max(%s), 0) FROM %s" % (column, table)
                          ).fetchone()[0] for table, column in ID_COLUMNS)
