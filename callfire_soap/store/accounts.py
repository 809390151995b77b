"""API accounts: logins with salted, slow password hashes.

Checking a password costs a PBKDF2 run on purpose.  A credential that has
been verified once is remembered under a keyed hash (BLAKE2) of login and password with a
key that lives only in this process, so later requests skip the slow hash
and no password is ever held in clear.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from .contacts import Contacts
from .errors import InvalidRequest, NotFound
from .pages import PageMarks

if TYPE_CHECKING:
    from . import Store

ITERATIONS = 200_000
CACHE_SIZE = 1024


def hash_password(password: str, salt: bytes | None = None,
                  iterations: int = ITERATIONS) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return "pbkdf2_sha256$%d$%s$%s" % (
        iterations, base64.b64encode(salt).decode(), base64.b64encode(digest).decode())


def check_password(password: str, encoded: str) -> bool:
    _, iterations, salt, _ = encoded.split("$")
    candidate = hash_password(password, base64.b64decode(salt), int(iterations))
    return hmac.compare_digest(candidate.encode(), encoded.encode())


# Unknown logins are checked against this, so they cost as much as wrong passwords.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def validate_login(login: str) -> None:
    """A login travels in HTTP Basic credentials, where ``:`` ends it, and shows in
    the log: no colon, no control characters."""
    if not login or ":" in login or not login.isprintable():
        raise InvalidRequest("a login must be non-empty, without ':' or control characters")


def validate_password(password: str) -> None:
    if not password:
        raise InvalidRequest("the password must not be empty")


@dataclass(frozen=True)
class AccountSummary:
    id: int
    login: str
    created: str
    contacts: int
    broadcasts: int


class VerifiedCredentials:
    """Credentials that passed the slow hash once, remembered under a keyed hash of
    login and password (the key never leaves this process), with what they were
    checked against: a later request skips the slow hash while that is unchanged."""

    def __init__(self, size: int = CACHE_SIZE):
        self._key = os.urandom(32)
        self._size = size
        self._verified: OrderedDict[bytes, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, login: str, password: str) -> bytes:
        return hashlib.blake2b(b"%s\0%s" % (login.encode(), password.encode()),
                               key=self._key, digest_size=32).digest()

    def __iter__(self):
        """The keys remembered, oldest first: keyed hashes, never a password."""
        with self._lock:
            return iter(list(self._verified))

    def get(self, key: bytes) -> tuple | None:
        with self._lock:
            return self._verified.get(key)

    def remember(self, key: bytes, value: tuple) -> None:
        with self._lock:
            self._verified[key] = value
            while len(self._verified) > self._size:
                self._verified.popitem(last=False)


class Accounts:
    def __init__(self, store: "Store"):
        self._store = store
        self._verified = VerifiedCredentials()

    def create(self, login: str, password: str) -> int:
        validate_login(login)
        validate_password(password)
        with self._store.transaction(write=True) as db:
            if db.execute("SELECT 1 FROM accounts WHERE login = ?", [login]).fetchone():
                raise InvalidRequest("account %r already exists" % login)
            return db["accounts"].insert({
                "login": login, "password_hash": hash_password(password),
                "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }).last_pk

    def count(self) -> int:
        return self._store.db().execute("SELECT count(*) FROM accounts").fetchone()[0]

    def summaries(self) -> list[AccountSummary]:
        """Every account, in id order, with how much it holds."""
        return [AccountSummary(*row) for row in self._store.db().execute(
            "SELECT id, login, created, "
            "(SELECT count(*) FROM contacts WHERE account_id = accounts.id), "
            "(SELECT count(*) FROM broadcasts WHERE account_id = accounts.id) "
            "FROM accounts ORDER BY id")]

    def login_of(self, account_id: int) -> str:
        return self._store.db().execute("SELECT login FROM accounts WHERE id = ?",
                                        [account_id]).fetchone()[0]

    def set_password(self, login: str, password: str) -> None:
        """A new password; requests with the old one fail from now on."""
        validate_password(password)
        with self._store.transaction(write=True) as db:
            changed = db.execute("UPDATE accounts SET password_hash = ? WHERE login = ?",
                                 [hash_password(password), login]).rowcount
        if not changed:
            raise NotFound("account", login)

    def delete(self, login: str) -> None:
        """The account and everything it holds, in one transaction.

        Every table with an ``account_id`` column loses the account's rows, and a
        table without one loses the rows that reference such a table's doomed
        rows, so a table added later is covered.  Foreign keys are checked at the
        commit: a table the rule does not reach fails the delete, it does not
        leave rows behind.  The search index (keyed by contact id) goes the way
        contacts always leave it."""
        with self._store.transaction(write=True) as db:
            row = db.execute("SELECT id FROM accounts WHERE login = ?", [login]).fetchone()
            if row is None:
                raise NotFound("account", login)
            account_id = row[0]
            db.execute("PRAGMA defer_foreign_keys = ON")
            contacts = Contacts(db, account_id, PageMarks())
            contacts.remove([contact_id for (contact_id,) in db.execute(
                "SELECT id FROM contacts WHERE account_id = ?", [account_id])])
            owned = [table.name for table in db.tables
                     if table.name != "accounts" and "account_id" in table.columns_dict]
            for table in db.tables:
                if table.name in owned or table.name == "accounts":
                    continue
                for fk in table.foreign_keys:
                    if fk.other_table in owned:
                        db.execute("DELETE FROM [%s] WHERE [%s] IN (SELECT [%s] FROM [%s] "
                                   "WHERE account_id = ?)" % (table.name, fk.column,
                                                              fk.other_column, fk.other_table),
                                   [account_id])
            for table in owned:
                db.execute("DELETE FROM [%s] WHERE account_id = ?" % table, [account_id])
            db.execute("DELETE FROM accounts WHERE id = ?", [account_id])

    def verify(self, login: str, password: str) -> int | None:
        """The account id for this login and password, or None."""
        key = self._verified.key(login, password)
        db = self._store.db()
        cached = self._verified.get(key)
        if cached is not None:
            account_id, encoded = cached
            row = db.execute("SELECT password_hash FROM accounts WHERE id = ?",
                             [account_id]).fetchone()
            if row is not None and row[0] == encoded:  # unchanged since verified
                return account_id
        row = db.execute("SELECT id, password_hash FROM accounts WHERE login = ?",
                         [login]).fetchone()
        if row is None:
            check_password(password, _DUMMY_HASH)
            return None
        account_id, encoded = row
        if not check_password(password, encoded):
            return None
        self._verified.remember(key, (account_id, encoded))
        return account_id
