"""Numbers and keywords an account owns, and who owns a number or a keyword.

A number has at most one owner (it is the table's key); an order makes the
account its owner at once, so no other order can take it, and the number is
PENDING until the order finishes (``active_at``), ACTIVE from then on.  A
released number is nobody's again.  Keywords live on the short code
``KEYWORD_SHORT_CODE``; a released keyword stays on record with its release
instant, and nobody may buy it again for ``KEYWORD_QUARANTINE`` simulated
seconds.  Statuses and leases are read at the simulated instant of the call.

``number_owner`` and ``keyword_owner`` answer across accounts: they are how
inbound traffic finds the account it is for.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable

from sqlite_utils import Database

from . import phone
from .errors import CallFireError, InvalidRequest, NotFound
from .pages import Page
from .records import Records

KEYWORD_SHORT_CODE = "67076"       # the short code keywords are bought on
KEYWORD_QUARANTINE = 30 * 86400    # a released keyword cannot be bought for 30 days
LEASE_SECONDS = 30 * 86400         # a lease runs 30 days and renews itself
TOLL_FREE_AREA_CODES = frozenset({"800", "833", "844", "855", "866", "877", "888"})
_KEYWORD = re.compile(r"[A-Za-z0-9]{1,32}")


class NumberNotFound(NotFound):
    """A number the account does not own (or not any more), in CallFire's words."""

    def __init__(self, number: str):
        CallFireError.__init__(self, "number %s does not exist, or is inactive" % number,
                               detail="Number=%s" % number)
        self.kind, self.ident = "Number", number


@dataclass
class NumberConfiguration:
    """What a number does with inbound traffic.  ``inbound_type`` IVR answers calls
    with ``dialplan``; TRACKING transfers them to ``transfer_numbers``."""
    call_feature: str = "ENABLED"
    text_feature: str = "ENABLED"
    inbound_type: str | None = None
    dialplan: str | None = None
    transfer_numbers: list[str] = field(default_factory=list)
    screen: bool = False
    record: bool = False
    intro_sound_id: int | None = None
    whisper_sound_id: int | None = None


@dataclass
class Lease:
    begin: int       # simulated instants
    end: int
    auto_renew: bool = True


@dataclass
class OwnedNumber:
    number: str
    toll_free: bool
    status: str      # PENDING until its order finished, then ACTIVE
    lease: Lease
    configuration: NumberConfiguration


@dataclass
class OwnedKeyword:
    keyword: str
    short_code: str
    status: str
    lease: Lease


def is_toll_free(number: str) -> bool:
    """Whether an 11-digit number is in a North American toll-free area code."""
    return number[1:4] in TOLL_FREE_AREA_CODES


def keyword_key(keyword: str) -> str:
    """A keyword as it is stored and matched: letters and digits, in capitals."""
    if not _KEYWORD.fullmatch(keyword or ""):
        raise InvalidRequest("Keyword %r is not 1 to 32 letters or digits" % keyword,
                             detail="Keyword")
    return keyword.upper()


def number_owner(db: Database, number: str, now: int) -> int | None:
    """The account whose ACTIVE number ``number`` is at ``now`` (any form
    phone.normalize reads), or None."""
    normalized = phone.normalize(number or "")
    row = normalized and db.execute(
        "SELECT account_id FROM numbers WHERE number = ? AND active_at <= ?",
        [normalized, now]).fetchone()
    return row[0] if row else None


def keyword_owner(db: Database, keyword: str, now: int) -> int | None:
    """The account holding ``keyword`` (any letter case) ACTIVE at ``now``, or None."""
    if not _KEYWORD.fullmatch(keyword or ""):
        return None
    row = db.execute("SELECT account_id FROM keywords WHERE keyword = ? AND active_at <= ? "
                     "AND released_at IS NULL", [keyword.upper(), now]).fetchone()
    return row[0] if row else None


def _lease(active_at: int, now: int) -> Lease:
    """The lease period running at ``now`` (the first one, for a PENDING number)."""
    periods = max(0, now - active_at) // LEASE_SECONDS
    return Lease(active_at + periods * LEASE_SECONDS, active_at + (periods + 1) * LEASE_SECONDS)


def _status(active_at: int, now: int) -> str:
    return "ACTIVE" if active_at <= now else "PENDING"


class Numbers(Records[OwnedNumber]):
    """The account's numbers, in number order."""
    table, kind, order_by = "numbers", "Number", "number"
    select = "number, toll_free, active_at, configuration"

    def __init__(self, db: Database, account_id: int, now: Callable[[], int]):
        super().__init__(db, account_id)
        self._now = now

    def record(self, row: dict) -> OwnedNumber:
        now = self._now()
        return OwnedNumber(row["number"], bool(row["toll_free"]),
                           _status(row["active_at"], now), _lease(row["active_at"], now),
                           NumberConfiguration(**json.loads(row["configuration"])))

    def get(self, number: str) -> OwnedNumber:
        """The account's number, or NOT_FOUND as CallFire said it."""
        normalized = phone.normalize(number or "")
        found = normalized and self.rows_where("number = ?", [normalized], limit=1)
        if not found:
            raise NumberNotFound(number)
        return found[0]

    def query(self, where: str | None = None, params: Iterable = (),
              first: int | None = None, limit: int | None = None) -> Page[OwnedNumber]:
        """The account's numbers ``where`` selects (columns of ``numbers``)."""
        return self.page(where, list(params), first, limit)

    def taken(self, numbers: Iterable[str]) -> set[str]:
        """Which of ``numbers`` (11 digits) any account owns."""
        return {row[0] for row in self.db.execute(
            "SELECT number FROM numbers WHERE number IN (SELECT value FROM json_each(?))",
            [json.dumps(list(numbers))])}

    def add(self, numbers: Iterable[str], order_id: int | None, active_at: int) -> None:
        """Make the account the owner of ``numbers`` (11 digits, owned by nobody),
        ACTIVE from ``active_at``."""
        self.db["numbers"].insert_all(
            {"number": number, "account_id": self.account_id,
             "toll_free": int(is_toll_free(number)), "order_id": order_id,
             "active_at": active_at, "configuration": json.dumps(asdict(NumberConfiguration()))}
            for number in numbers)

    def configure(self, number: str, configuration: NumberConfiguration) -> None:
        owned = self.get(number)
        self.db.execute("UPDATE numbers SET configuration = ? WHERE number = ?",
                        [json.dumps(asdict(configuration)), owned.number])

    def release(self, number: str) -> str:
        """Give the number up: it is nobody's from now on.  Returns its 11 digits."""
        owned = self.get(number)
        self.db.execute("DELETE FROM numbers WHERE number = ?", [owned.number])
        return owned.number


class Keywords(Records[OwnedKeyword]):
    """The keywords the account holds, in keyword order."""
    table, kind, order_by = "keywords", "Keyword", "keyword"
    select = "keyword, short_code, active_at"

    def __init__(self, db: Database, account_id: int, now: Callable[[], int]):
        super().__init__(db, account_id)
        self._now = now

    def record(self, row: dict) -> OwnedKeyword:
        now = self._now()
        return OwnedKeyword(row["keyword"], row["short_code"], _status(row["active_at"], now),
                            _lease(row["active_at"], now))

    def query(self, first: int | None = None,
              limit: int | None = None) -> Page[OwnedKeyword]:
        return self.page("released_at IS NULL", [], first, limit)

    def available(self, keywords: Iterable[str]) -> dict[str, bool]:
        """For each keyword (any case), whether it can be bought now: nobody holds it
        and nobody released it within the quarantine."""
        keys = {keyword: keyword_key(keyword) for keyword in keywords}
        blocked = {row[0] for row in self.db.execute(
            "SELECT keyword FROM keywords WHERE keyword IN (SELECT value FROM json_each(?)) "
            "AND (released_at IS NULL OR released_at > ?)",
            [json.dumps(list(keys.values())), self._now() - KEYWORD_QUARANTINE])}
        return {keyword: key not in blocked for keyword, key in keys.items()}

    def add(self, keywords: Iterable[str], order_id: int | None, active_at: int) -> None:
        """Give the account ``keywords`` (available ones), ACTIVE from ``active_at``."""
        self.db["keywords"].upsert_all(
            ({"keyword": keyword_key(keyword), "account_id": self.account_id,
              "short_code": KEYWORD_SHORT_CODE, "order_id": order_id, "active_at": active_at,
              "released_at": None} for keyword in keywords), pk="keyword")

    def release(self, keyword: str) -> None:
        key = keyword_key(keyword)
        if not self.db.execute("UPDATE keywords SET released_at = ? WHERE keyword = ? AND "
                               "account_id = ? AND released_at IS NULL",
                               [self._now(), key, self.account_id]).rowcount:
            raise NotFound("Keyword", keyword)
