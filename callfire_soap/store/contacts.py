"""Contacts: standard and extra attributes, search, partial update, removal."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable

from sqlite_utils import Database

from .attributes import PHONE_FIELDS, PHONE_NUMBER, check_extra_name
from .clock import wall_time
from .errors import InvalidRequest, NotFound
from . import ids as id_space
from .ids import id_json
from .pages import Page, PageMarks, page_bounds
from .records import require

TRIGRAM = 3  # the search index answers substrings of at least this many characters


@dataclass(slots=True)
class Contact:
    id: int | None
    fields: dict[str, str] = field(default_factory=dict)


def _checked(fields: dict[str, str]) -> dict[str, str]:
    """``fields``, unless they could not be returned as sent: an extra attribute that
    is a standard one but for case (``FIRSTNAME``, ``ID``: some clients would read it
    as the standard attribute and some not), or a phone field that is not a phone
    number (a CSV imported without Validate brings anything)."""
    for name, value in fields.items():
        if name in PHONE_FIELDS:
            if not PHONE_NUMBER.fullmatch(value):
                raise InvalidRequest("%s %r is not a phone number: digits, optionally "
                                     "after a +" % (name, value))
        else:
            check_extra_name(name)
    return fields


def _match_expression(text: str) -> str:
    """What to ask the trigram index for ``text``: its non-overlapping three-character
    pieces, all present.  A superset of the matches (the caller checks each), found
    from a third of the posting lists the whole phrase would read."""
    pieces = [text[i:i + 3] for i in range(0, len(text) - 2, 3)]
    if len(text) % 3:
        pieces.append(text[-3:])
    return " AND ".join('"%s"' % piece.replace('"', '""') for piece in pieces)


class Contacts:
    def __init__(self, db: Database, account_id: int, marks: PageMarks):
        self.db = db
        self.account_id = account_id
        self.marks = marks

    # -- reading ----------------------------------------------------------

    def get(self, contact_id: int) -> Contact:
        rows = self.db.execute(
            "SELECT f.name, f.value FROM contacts c LEFT JOIN contact_fields f "
            "ON f.contact_id = c.id WHERE c.id = ? AND c.account_id = ?",
            [contact_id, self.account_id]).fetchall()
        if not rows:
            raise NotFound("Contact", contact_id)
        return Contact(contact_id, {name: value for name, value in rows if name is not None})

    def load(self, ids: list[int]) -> list[Contact]:
        """This account's contacts among ``ids``, in the order given."""
        found = {contact_id: Contact(contact_id) for contact_id in self._mine(ids)}
        for contact_id, name, value in self.db.execute(
                "SELECT contact_id, name, value FROM contact_fields WHERE contact_id IN "
                "(SELECT value FROM json_each(?))", [id_json(found)]):
            found[contact_id].fields[name] = value
        return [found[i] for i in ids if i in found]

    def require(self, ids: Iterable[int]) -> list[int]:
        """``ids`` without repeats, if all are contacts of this account; otherwise
        NOT_FOUND naming the first that is not (another account's included)."""
        ids = list(dict.fromkeys(ids))
        mine = self._mine(ids)
        missing = next((i for i in ids if i not in mine), None)
        if missing is not None:
            raise NotFound("Contact", missing)
        return ids

    def _mine(self, ids: Iterable[int]) -> set[int]:
        """Those of ``ids`` that are contacts of this account."""
        return {row[0] for row in self.db.execute(
            "SELECT id FROM contacts WHERE account_id = ? AND id IN "
            "(SELECT value FROM json_each(?))", [self.account_id, id_json(ids)])}

    def query(self, list_id: int | None = None, field_name: str | None = None,
              text: str | None = None, first: int | None = None,
              limit: int | None = None) -> Page[Contact]:
        """Contacts matching every filter given, in id order.

        ``text`` is a case-insensitive substring of the field ``field_name``, or
        of any field without one; ``field_name`` alone matches contacts that
        have that field set.
        """
        first, limit = page_bounds(first, limit)
        where, params = ["c.account_id = ?"], [self.account_id]
        if list_id is not None:
            self.require_list(list_id)
            where.append("c.id IN (SELECT contact_id FROM contact_list_members "
                         "WHERE list_id = ?)")
            params.append(list_id)
        if text:
            field_sql = "f.name = ? AND " if field_name else ""
            where.append("EXISTS (SELECT 1 FROM contact_fields f WHERE f.contact_id = c.id "
                         "AND %sinstr(casefold(f.value), ?) > 0)" % field_sql)
            params.extend(([field_name] if field_name else []) + [text.casefold()])
            if len(text) >= TRIGRAM:
                # The trigram index names the candidates; the condition above decides.
                # One pass gives both the page and the total: the match is paid once.
                where.insert(0, "c.id IN (SELECT rowid FROM contact_search "
                                "WHERE contact_search MATCH ?)")
                params.insert(0, _match_expression(text))
                matches = [row[0] for row in self.db.execute(
                    "SELECT c.id FROM contacts c WHERE %s ORDER BY c.id"
                    % " AND ".join(where), params)]
                return Page(len(matches), self.load(matches[first:first + limit]))
        elif field_name:
            where.append("c.id IN (SELECT contact_id FROM contact_fields WHERE "
                         "account_id = ? AND name = ? AND value != '')")
            params.extend([self.account_id, field_name])
        return self._paged(" AND ".join(where), params, (list_id, field_name, text),
                           first, limit)

    def _paged(self, sql_where: str, params: list, query: tuple, first: int,
               limit: int) -> Page[Contact]:
        """One page of contacts ``sql_where`` selects, starting from the nearest page
        end this process remembers for the query (store/pages.py), not from row 0."""
        version = self._data_version()
        remembered = self.marks.get(self.account_id, query, version)
        if remembered is None:
            total = self.db.execute(
                "SELECT count(*) FROM contacts c WHERE " + sql_where, params).fetchone()[0]
            start, after = 0, None
        else:
            total = remembered.total
            start, after = remembered.nearest(first)
        if after is not None:
            sql_where += " AND c.id > ?"
            params = params + [after]
        ids = [row[0] for row in self.db.execute(
            "SELECT c.id FROM contacts c WHERE %s ORDER BY c.id LIMIT ? OFFSET ?"
            % sql_where, params + [limit, first - start])]
        if ids:
            self.marks.put(self.account_id, query, version, total, first + len(ids), ids[-1])
        else:
            self.marks.put(self.account_id, query, version, total)
        return Page(total, self.load(ids))

    def _data_version(self) -> int:
        return self.db.execute("SELECT data_version FROM accounts WHERE id = ?",
                               [self.account_id]).fetchone()[0]

    def by_number(self, numbers: Iterable[str]) -> dict[str, int]:
        """Existing contacts that have one of ``numbers`` in a phone field."""
        numbers = list(dict.fromkeys(numbers))
        owners: dict[str, int] = {}
        for start in range(0, len(numbers), 10_000):
            for value, contact_id in self.db.execute(
                    "SELECT value, min(contact_id) FROM contact_fields "
                    "WHERE account_id = ? AND name IN (%s) AND value IN "
                    "(SELECT value FROM json_each(?)) GROUP BY value"
                    % ", ".join("?" * len(PHONE_FIELDS)),
                    [self.account_id, *PHONE_FIELDS,
                     json.dumps(numbers[start:start + 10_000])]):
                owners[value] = contact_id
        return owners

    def for_numbers(self, numbers: Iterable[str]) -> dict[str, int]:
        """Each number's contact: the account's contact with that number in a phone
        field, or a new one with it as homePhone."""
        numbers = list(dict.fromkeys(numbers))
        owners = self.by_number(numbers)
        new = [number for number in numbers if number not in owners]
        owners.update(zip(new, self.create([{"homePhone": number} for number in new])))
        return owners

    def require_list(self, list_id: int) -> None:
        require(self.db, "contact_lists", "ContactList", self.account_id, list_id)

    # -- writing ----------------------------------------------------------

    def update(self, contacts: list[Contact]) -> None:
        """Partial update: the attributes given are set, the others left alone.

        All or nothing: an unknown id fails the whole request.
        """
        for position, contact in enumerate(contacts, start=1):
            if contact.id is None:
                raise InvalidRequest("Contact %d has no id: UpdateContacts changes "
                                     "existing contacts only" % position)
        self.require(c.id for c in contacts)
        self.set_fields((c.id, c.fields) for c in contacts)

    def set_fields(self, changes: Iterable[tuple[int, dict[str, str]]]) -> None:
        """Set these fields of existing contacts (other fields stay)."""
        changes = list(changes)
        self._write_fields(changes)
        ids = id_json(contact_id for contact_id, _ in changes)
        self.db.execute("DELETE FROM contact_search WHERE rowid IN "
                        "(SELECT value FROM json_each(?))", [ids])
        self._index("contact_id IN (SELECT value FROM json_each(?))", [ids])

    def _write_fields(self, changes: Iterable[tuple[int, dict[str, str]]]) -> None:
        self.db.conn.executemany(
            "INSERT INTO contact_fields (contact_id, account_id, name, value) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (contact_id, name) "
            "DO UPDATE SET value = excluded.value",
            ((contact_id, self.account_id, name, value) for contact_id, fields in changes
             for name, value in _checked(fields).items()))

    def _index(self, where: str, params: list) -> None:
        """(Re)enter the contacts ``where`` selects into the search index."""
        self.db.execute("INSERT INTO contact_search (rowid, text) SELECT contact_id, "
                        "group_concat(value, char(31)) FROM contact_fields WHERE %s "
                        "GROUP BY contact_id" % where, params)

    def create(self, field_sets: list[dict[str, str]]) -> list[int]:
        """New contacts with these fields; returns their ids, in order."""
        if not field_sets:
            return []
        # Taking the ids at once lets a large import go in with a few bulk statements.
        start = id_space.take(self.db, len(field_sets))
        ids = list(range(start, start + len(field_sets)))
        created = wall_time()
        self.db.conn.executemany(
            "INSERT INTO contacts (id, account_id, created) VALUES (?, ?, ?)",
            ((i, self.account_id, created) for i in ids))
        self._write_fields(zip(ids, field_sets))
        self._index("contact_id BETWEEN ? AND ?", [ids[0], ids[-1]])
        return ids

    def remove(self, ids: list[int]) -> None:
        """Delete contacts (they leave their lists); unknown ids are ignored."""
        mine = id_json(self._mine(ids))  # the search index is not per account
        self.db.execute("DELETE FROM contact_search WHERE rowid IN "
                        "(SELECT value FROM json_each(?))", [mine])
        self.db.execute("DELETE FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
                        [mine])
