"""The admin file: what the admin surface keeps, beside the database, not in it.

The admin login, and what the admin surface adds to a server (the request
journal, injection rules), live in a SQLite file of their own next to the
database (``callfire.admin.db`` beside ``callfire.db``): a snapshot of the
database then carries the API's data and nothing of the harness around it, a
restore leaves the admin login, the rules and the journal as they are, and
the journal's writes never wait on the API's write lock.  Every worker process
opens the same file, so what one worker is told, all of them know.

The admin login is one login and password, hashed as the accounts' passwords
are; none set means the admin surface is off.
"""
from __future__ import annotations

import hashlib
import hmac
import sqlite3
import threading
from pathlib import Path

from sqlite_utils import Database

from . import check_file, connect
from .accounts import VerifiedCredentials, check_password, hash_password, validate_login, \
    validate_password
from .clock import wall_time
from .errors import UnusableDatabase
from .injections import InjectionRules
from .journal import Journal
from .schema import migrate


def _a1_admin_login(db: Database) -> None:
    # One row at most: the admin surface has one login.
    db.execute("""
        CREATE TABLE admin_login (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            login TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            changed TEXT NOT NULL
        )""")


def _a2_journal(db: Database) -> None:
    # The request journal (store/journal.py): each batch of exchanges one segment,
    # keyed by the id of its newest.  journal_state holds the id counter (ids only
    # grow, across workers and clears), the first id still visible, and what is
    # stored, so that bounding the journal reads no more than the segments it drops.
    db.execute("""
        CREATE TABLE journal_segments (
            last_id INTEGER PRIMARY KEY,
            first_id INTEGER NOT NULL,
            first_time REAL NOT NULL,
            last_time REAL NOT NULL,
            exchanges INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            data BLOB NOT NULL
        )""")
    db.execute("CREATE TABLE journal_state (last_id INTEGER NOT NULL, visible_from INTEGER "
               "NOT NULL, exchanges INTEGER NOT NULL, bytes INTEGER NOT NULL)")
    db.execute("INSERT INTO journal_state VALUES (0, 1, 0, 0)")


def _a3_injection_rules(db: Database) -> None:
    # Fault and latency injection (store/injections.py); used counts the calls a
    # rule answered, up to times (NULL: until removed).
    db.execute("""
        CREATE TABLE injection_rules (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            login TEXT,
            operation TEXT,
            xpath TEXT,
            fault TEXT,
            http_status INTEGER,
            drop_connection INTEGER NOT NULL DEFAULT 0,
            delay REAL NOT NULL DEFAULT 0,
            times INTEGER,
            used INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL
        )""")


ADMIN_MIGRATIONS = [_a1_admin_login, _a2_journal, _a3_injection_rules]


def admin_path(db_path: str) -> str:
    """The admin file of the database at ``db_path``: ``callfire.admin.db`` beside
    ``callfire.db``."""
    path = Path(db_path)
    return str(path.with_name(path.stem + ".admin" + (path.suffix or ".db")))


class AdminFile:
    def __init__(self, path: str, create: bool = True):
        """The admin file at ``path``, migrated; raises UnusableDatabase as Store does."""
        self.path = path
        self._local = threading.local()
        self._verified = VerifiedCredentials(size=16)
        check_file(path, create)
        try:
            migrate(self.db(), ADMIN_MIGRATIONS)
        except sqlite3.DatabaseError as error:
            raise UnusableDatabase(str(error)) from None
        self.journal = Journal(self.db)
        self.injections = InjectionRules(self.db)

    def db(self) -> Database:
        """This thread's connection to the admin file."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = connect(self.path)
        return db

    # -- the admin login ------------------------------------------------------

    def admin_login(self) -> str | None:
        """The admin login, or None when the admin surface is off."""
        row = self.db().execute("SELECT login FROM admin_login").fetchone()
        return None if row is None else row[0]

    def set_admin(self, login: str, password: str) -> None:
        """The admin login and password, replacing any before (its sessions end)."""
        validate_login(login)
        validate_password(password)
        self.db().execute(
            "INSERT OR REPLACE INTO admin_login (id, login, password_hash, changed) "
            "VALUES (1, ?, ?, ?)", [login, hash_password(password), wall_time()])

    def clear_admin(self) -> bool:
        """Turn the admin surface off; False when it was off already."""
        return bool(self.db().execute("DELETE FROM admin_login").rowcount)

    def verify_admin(self, login: str, password: str) -> bool:
        """Whether ``login`` and ``password`` are the admin's.  Never an API account:
        only the admin login is looked at."""
        row = self.db().execute("SELECT login, password_hash FROM admin_login").fetchone()
        if row is None:
            return False
        key = self._verified.key(login, password)
        if self._verified.get(key) == tuple(row):  # verified against this very hash
            return True
        # The slow hash runs for a wrong login too: timing tells nothing of the login.
        if not (check_password(password, row[1])
                and hmac.compare_digest(login.encode(), row[0].encode())):
            return False
        self._verified.remember(key, tuple(row))
        return True

    def session_key(self) -> bytes | None:
        """The key the web console signs its session cookies with, derived from the
        admin login's stored hash: the same in every worker, new with every new
        password (which so ends every console login); None while the surface is off."""
        row = self.db().execute("SELECT login, password_hash FROM admin_login").fetchone()
        if row is None:
            return None
        return hashlib.sha256(b"console session\0" + "\0".join(row).encode()).digest()
