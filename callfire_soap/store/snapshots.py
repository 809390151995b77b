"""Snapshots: the whole database saved under a name, and put back, while serving.

Both go through SQLite's online backup API.  Saving copies the database as one
read transaction sees it, so it is consistent while requests keep coming, and
writers are not held up (WAL).  Restoring copies a snapshot over the live
database in one backup step, which holds the database's write lock: writers
wait for it (up to the busy timeout), and every request, being one
transaction, sees the data either all before or all after.  What worker
processes remember of accounts' queries (store/pages.py) is keyed by each
account's ``data_version``; the copy put back has every ``data_version`` moved
past any the live database had, so nothing remembered from before is used
after.  A snapshot of an older schema is migrated before it is put back.

A snapshot holds the API's data: accounts, their contacts, lists, broadcasts
and the rest, and the simulation clock; never the admin file (admin login,
journal, injection rules).  Snapshots are files in ``<database>.snapshots/``
beside the database (``callfire.snapshots/`` for ``callfire.db``).
"""
from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from . import connect
from .errors import InvalidRequest, NotFound
from .schema import migrate

if TYPE_CHECKING:
    from . import Store

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# How far data_version moves on a restore beyond the live database's highest, so
# that writes landing while the copy is prepared cannot reach it.
VERSION_MARGIN = 1_000_000


@dataclass(frozen=True)
class Snapshot:
    name: str
    bytes: int
    saved: str  # ISO 8601, UTC

    def as_dict(self) -> dict:
        return {"name": self.name, "bytes": self.bytes, "saved": self.saved}


def snapshots_dir(db_path: str) -> Path:
    path = Path(db_path)
    return path.with_name(path.stem + ".snapshots")


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or ""):
        raise InvalidRequest("a snapshot name is letters, digits, '.', '_' and '-', at most "
                             "64, starting with a letter or digit", "name")
    return name


class Snapshots:
    def __init__(self, store: "Store"):
        self._store = store
        self.directory = snapshots_dir(store.path)

    def _file(self, name: str) -> Path:
        return self.directory / (check_name(name) + ".db")

    def save(self, name: str) -> Snapshot:
        """The database as it is now, under ``name`` (replacing one of that name)."""
        target = self._file(name)
        self.directory.mkdir(exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=self.directory, suffix=".partial")
        os.close(handle)
        try:
            copy = sqlite3.connect(partial)
            try:
                self._store.db().conn.backup(copy)
            finally:
                copy.close()
            os.replace(partial, target)
        except BaseException:
            os.unlink(partial)
            raise
        return self._describe(target)

    def restore(self, name: str) -> Snapshot:
        """Put the snapshot ``name`` back as the database, while serving."""
        source = self._file(name)
        if not source.exists():
            raise NotFound("snapshot", name)
        live = connect(self._store.path)
        try:
            (highest,) = live.execute(
                "SELECT coalesce(max(data_version), 0) FROM accounts").fetchone()
            handle, prepared = tempfile.mkstemp(dir=self.directory, suffix=".restoring")
            os.close(handle)
            copy = Database(sqlite3.connect(prepared, isolation_level=None))
            try:
                snapshot = sqlite3.connect(source)
                snapshot.backup(copy.conn)
                snapshot.close()
                migrate(copy)
                copy.execute("UPDATE accounts SET data_version = data_version + ?",
                             [highest + VERSION_MARGIN])
                copy.conn.backup(live.conn)
            finally:
                copy.conn.close()
                os.unlink(prepared)
        finally:
            live.conn.close()
        return self._describe(source)

    def all(self) -> list[Snapshot]:
        if not self.directory.is_dir():
            return []
        return [self._describe(path) for path in sorted(self.directory.glob("*.db"))
                if NAME.fullmatch(path.stem)]

    def delete(self, name: str) -> None:
        target = self._file(name)
        if not target.exists():
            raise NotFound("snapshot", name)
        target.unlink()

    @staticmethod
    def _describe(path: Path) -> Snapshot:
        status = path.stat()
        return Snapshot(path.stem, status.st_size, datetime.fromtimestamp(
            status.st_mtime, timezone.utc).isoformat(timespec="seconds"))
