"""Do Not Contact lists (reconstructed from the later API).

A DNC list holds numbers, each do-not-call (``CallDnc``), do-not-text
(``TextDnc``) or both; a number left with neither flag leaves the list.  The
account-wide status of a number merges every list of the account, whatever
its CampaignId: do-not-call if any list says so, do-not-text likewise.
Numbers are kept as 11 E.164 digits, so ``3105551212`` and ``13105551212``
are one number; a request naming an invalid number fails as a whole.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, NamedTuple

from sqlite_utils import Database

from . import ids, phone
from .contacts import Page, page_bounds
from .errors import InvalidRequest, NotFound

DEFAULT_LIST_NAME = "Do Not Contact"  # the list UpdateDncNumber writes to, made on demand


@dataclass
class DncList:
    id: int
    name: str
    campaign_id: int | None
    size: int


@dataclass
class DncNumber:
    number: str
    list_id: int
    call: bool
    text: bool


class DncStatus(NamedTuple):
    call: bool
    text: bool


def normalize(numbers: Iterable[str]) -> list[str]:
    """Numbers as 11 E.164 digits, each once; an invalid one fails the request, by name."""
    valid = []
    for number in numbers:
        normalized = phone.normalize(number)
        if normalized is None:
            raise InvalidRequest("%r is not a valid North American phone number" % number,
                                 detail="number=%s" % number)
        valid.append(normalized)
    return list(dict.fromkeys(valid))


def _require_a_kind(call: bool, text: bool) -> None:
    if not (call or text):
        raise InvalidRequest("CallDnc and TextDnc are both false: nothing to do")


class DncLists:
    def __init__(self, db: Database, account_id: int):
        self.db = db
        self.account_id = account_id

    # -- reading ----------------------------------------------------------

    def get(self, list_id: int) -> DncList:
        rows = self._select("l.id = ?", [list_id], 1, 0)
        if not rows:
            raise NotFound("DncList", list_id)
        return rows[0]

    def query(self, campaign_id: int | None = None, name: str | None = None,
              first: int | None = None, limit: int | None = None) -> Page[DncList]:
        """Lists with this CampaignId and exactly this Name, where given, in id order."""
        first, limit = page_bounds(first, limit)
        where, params = ["1"], []
        if campaign_id is not None:
            where.append("l.campaign_id = ?")
            params.append(campaign_id)
        if name is not None:
            where.append("l.name = ?")
            params.append(name)
        sql_where = " AND ".join(where)
        total = self.db.execute("SELECT count(*) FROM dnc_lists l WHERE l.account_id = ? AND "
                                + sql_where, [self.account_id, *params]).fetchone()[0]
        return Page(total, self._select(sql_where, params, limit, first))

    def numbers(self, prefix: str | None = None, list_id: int | None = None,
                list_name: str | None = None, call: bool | None = None,
                text: bool | None = None, first: int | None = None,
                limit: int | None = None) -> Page[DncNumber]:
        """One entry per number per list, matching every filter given, ordered by
        number then list.  ``prefix`` is the start of the number, with or without
        the country code; ``call``/``text`` match the flag's value."""
        first, limit = page_bounds(first, limit)
        where, params = ["n.account_id = ?"], [self.account_id]
        if prefix:
            digits = phone.normalize_prefix(prefix)
            if digits is None:
                raise InvalidRequest("Prefix %r is not the start of a phone number" % prefix)
            where.append("substr(n.number, 1, ?) = ?")
            params.extend([len(digits), digits])
        if list_id is not None:
            self.require(list_id)
            where.append("n.list_id = ?")
            params.append(list_id)
        if list_name is not None:
            where.append("n.list_id IN (SELECT id FROM dnc_lists WHERE account_id = ? "
                         "AND name = ?)")
            params.extend([self.account_id, list_name])
        for column, value in (("call_dnc", call), ("text_dnc", text)):
            if value is not None:
                where.append("n.%s = ?" % column)
                params.append(value)
        sql_where = " AND ".join(where)
        total = self.db.execute("SELECT count(*) FROM dnc_numbers n WHERE " + sql_where,
                                params).fetchone()[0]
        rows = self.db.execute(
            "SELECT n.number, n.list_id, n.call_dnc, n.text_dnc FROM dnc_numbers n WHERE %s "
            "ORDER BY n.number, n.list_id LIMIT ? OFFSET ?" % sql_where, params + [limit, first])
        return Page(total, [DncNumber(number, list_id, bool(call_dnc), bool(text_dnc))
                            for number, list_id, call_dnc, text_dnc in rows])

    def status(self, numbers: Iterable[str]) -> dict[str, DncStatus]:
        """The account-wide status of each number given (as given, valid or not).

        What a broadcast consults before it calls or texts a number.
        """
        numbers = list(dict.fromkeys(numbers))
        normalized = {number: phone.normalize(number) or number for number in numbers}
        found = self.listed(set(normalized.values()))
        return {number: found.get(normalized[number], DncStatus(False, False))
                for number in numbers}

    def listed(self, numbers: Iterable[str]) -> dict[str, DncStatus]:
        """The account-wide status of those ``numbers`` (normalised already) that
        are on a list: what list imports scrub with."""
        if not self.db.execute("SELECT 1 FROM dnc_numbers WHERE account_id = ? LIMIT 1",
                               [self.account_id]).fetchone():
            return {}  # most accounts have no DNC list: 100,000 numbers need no lookup
        rows = self.db.execute(
            "SELECT number, max(call_dnc), max(text_dnc) FROM dnc_numbers WHERE account_id = ? "
            "AND number IN (SELECT value FROM json_each(?)) GROUP BY number",
            [self.account_id, json.dumps(list(numbers))])
        return {number: DncStatus(bool(call), bool(text)) for number, call, text in rows}

    def require(self, list_id: int) -> None:
        if not self.db.execute("SELECT 1 FROM dnc_lists WHERE id = ? AND account_id = ?",
                               [list_id, self.account_id]).fetchone():
            raise NotFound("DncList", list_id)

    def _select(self, where: str, params: list, limit: int, offset: int) -> list[DncList]:
        return [DncList(*row) for row in self.db.execute(
            "SELECT l.id, l.name, l.campaign_id, (SELECT count(*) FROM dnc_numbers n "
            "WHERE n.list_id = l.id) FROM dnc_lists l WHERE l.account_id = ? AND %s "
            "ORDER BY l.id LIMIT ? OFFSET ?" % where, [self.account_id, *params, limit, offset])]

    # -- writing ----------------------------------------------------------

    def create(self, name: str, campaign_id: int | None = None, numbers: Iterable[str] = (),
               call: bool = True, text: bool = True) -> int:
        """A new list, with ``numbers`` on it for the kinds given."""
        numbers = normalize(numbers)
        if numbers:
            _require_a_kind(call, text)
        list_id = self.db["dnc_lists"].insert({
            "id": ids.take(self.db), "account_id": self.account_id, "name": name,
            "campaign_id": campaign_id}).last_pk
        self._set(list_id, numbers, call, text)
        return list_id

    def delete(self, list_id: int) -> None:
        self.require(list_id)
        self.db.execute("DELETE FROM dnc_lists WHERE id = ?", [list_id])

    def add(self, list_id: int, numbers: Iterable[str], call: bool = True,
            text: bool = True) -> None:
        """Put numbers on a list for the kinds given true; adding never clears a flag."""
        self.require(list_id)
        _require_a_kind(call, text)
        self._set(list_id, normalize(numbers), call, text)

    def remove(self, list_id: int, numbers: Iterable[str], call: bool = True,
               text: bool = True) -> None:
        """Clear the kinds given true; numbers not on the list are ignored."""
        self.require(list_id)
        _require_a_kind(call, text)
        self._clear(normalize(numbers), call, text, list_id)

    def update_number(self, number: str, call: bool | None, text: bool | None) -> None:
        """Set the account-wide status of one number, flag by flag (None: unchanged).

        A flag set true goes on the account's default list; a flag set false is
        cleared on every list, so that the account-wide status is what was asked.
        """
        numbers = normalize([number])
        self._clear(numbers, call is False, text is False, list_id=None)
        if call or text:
            self._set(self._default_list(), numbers, bool(call), bool(text))

    def _default_list(self) -> int:
        row = self.db.execute("SELECT id FROM dnc_lists WHERE account_id = ? AND is_default",
                              [self.account_id]).fetchone()
        if row is not None:
            return row[0]
        return self.db["dnc_lists"].insert({"id": ids.take(self.db),
                                            "account_id": self.account_id,
                                            "name": DEFAULT_LIST_NAME, "is_default": 1}).last_pk

    def _set(self, list_id: int, numbers: list[str], call: bool, text: bool) -> None:
        self.db.conn.executemany(
            "INSERT INTO dnc_numbers (list_id, account_id, number, call_dnc, text_dnc) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (list_id, number) DO UPDATE SET "
            "call_dnc = call_dnc OR excluded.call_dnc, text_dnc = text_dnc OR excluded.text_dnc",
            ((list_id, self.account_id, number, call, text) for number in numbers))

    def _clear(self, numbers: list[str], call: bool, text: bool, list_id: int | None) -> None:
        """Clear flags on one list, or on every list of the account; a number
        left with neither flag leaves its list."""
        if not (call or text):
            return
        where, params = ("number IN (SELECT value FROM json_each(?)) AND account_id = ?",
                         [json.dumps(numbers), self.account_id])
        if list_id is not None:
            where += " AND list_id = ?"
            params.append(list_id)
        self.db.execute("UPDATE dnc_numbers SET call_dnc = call_dnc AND NOT ?, "
                        "text_dnc = text_dnc AND NOT ? WHERE " + where, [call, text, *params])
        self.db.execute("DELETE FROM dnc_numbers WHERE NOT call_dnc AND NOT text_dnc AND "
                        + where, params)
