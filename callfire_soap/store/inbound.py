"""Which account an inbound text or call reaches.

The rule, in order: the account ``login`` names, when one is named; else the
account that owns the number texted or called; else, for a text to the
shared short code, the account holding the text's first word as a keyword;
else the account that last reached the sender from the number (a text for
an inbound text, a call for an inbound call), as on CallFire's shared short
code 67076, where replies go to whoever wrote; else, for a text, the account
with the oldest auto-reply on that number; else the first account.  The
README states it for users.
"""
from __future__ import annotations

from sqlite_utils import Database

from . import phone
from .actions import DEFAULT_CALLER_ID, DEFAULT_SHORT_CODE, FROM_SQL, TYPE_SQL
from .errors import CallFireError, NotFound
from .numbers import KEYWORD_SHORT_CODE, keyword_owner, number_owner


def route(db: Database, is_call: bool, to_number: str, from_number: str, message: str | None,
          now: int, login: str | None = None) -> int:
    """The id of the account a text (``message``; a call: None) from ``from_number``
    to ``to_number`` reaches at ``now``; both numbers are normalised already."""
    if login is not None:
        row = db.execute("SELECT id FROM accounts WHERE login = ?", [login]).fetchone()
        if row is None:
            raise NotFound("account", login)
        return row[0]
    words = [] if is_call or to_number != KEYWORD_SHORT_CODE else message.split(None, 1)
    lookups = (lambda: number_owner(db, to_number, now),
               lambda: keyword_owner(db, words[0], now) if words else None,
               lambda: _last_to_reach(db, is_call, to_number, from_number),
               lambda: None if is_call else _auto_replying(db, to_number))
    found = next((owner for owner in (lookup() for lookup in lookups) if owner is not None),
                 None)
    if found is not None:
        return found
    row = db.execute("SELECT min(id) FROM accounts").fetchone()
    if row[0] is None:
        raise CallFireError("there is no account to receive it")
    return row[0]


def _last_to_reach(db: Database, is_call: bool, number: str, party: str) -> int | None:
    """The account whose latest attempted text (call) to ``party`` came from ``number``."""
    default = DEFAULT_CALLER_ID if is_call else DEFAULT_SHORT_CODE
    for account_id, sent_from in db.execute(
            "SELECT account_id, %s FROM actions WHERE to_number = ? AND NOT inbound "
            "AND attempts > 0 AND (%s = 'TEXT') = ? ORDER BY modified DESC, id DESC"
            % (FROM_SQL, TYPE_SQL),
            [default, party, not is_call]):
        if phone.normalize_receiving(sent_from) == number:
            return account_id
    return None


def _auto_replying(db: Database, number: str) -> int | None:
    row = db.execute("SELECT account_id FROM auto_replies WHERE number = ? ORDER BY id "
                     "LIMIT 1", [number]).fetchone()
    return None if row is None else row[0]
