"""Contact lists, and the list safeguards an import goes through.

With ``Validate`` (the default) the API's documented resolutions apply:
invalid numbers are scrubbed, numbers on the account's Do Not Contact lists
are scrubbed, a number seen twice in one import is scrubbed the second time,
and a contact whose number already belongs to a contact of the account is
merged into that contact instead of being created again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from . import ids, phone
from .contacts import PHONE_FIELDS, Contacts, Page, id_json, now, page_bounds
from .dnc import DncLists
from .errors import NotFound
from .imports import ContactSource

log = logging.getLogger(__name__)


@dataclass
class ContactList:
    id: int
    name: str
    size: int
    created: datetime
    status: str


@dataclass
class ImportReport:
    list_id: int
    added: int = 0          # new contacts created
    merged: int = 0         # matched an existing contact by number
    existing: int = 0       # named by id
    invalid: int = 0        # scrubbed: no valid number
    duplicate: int = 0      # scrubbed: number already seen in this import
    dnc: int = 0            # numbers scrubbed: on Do Not Contact for calls or texts


class ContactLists:
    def __init__(self, db: Database, account_id: int, contacts: Contacts, dnc: DncLists):
        self.db = db
        self.account_id = account_id
        self.contacts = contacts
        self.dnc = dnc

    def get(self, list_id: int) -> ContactList:
        rows = self._select("l.id = ?", [list_id], 1, 0)
        if not rows:
            raise NotFound("ContactList", list_id)
        return rows[0]

    def query(self, first: int | None = None, limit: int | None = None) -> Page[ContactList]:
        first, limit = page_bounds(first, limit)
        total = self.db.execute("SELECT count(*) FROM contact_lists WHERE account_id = ?",
                                [self.account_id]).fetchone()[0]
        return Page(total, self._select("1", [], limit, first))

    def _select(self, where: str, params: list, limit: int, offset: int) -> list[ContactList]:
        return [ContactList(list_id, name, size, datetime.fromisoformat(created), status)
                for list_id, name, size, created, status in self.db.execute(
            "SELECT l.id, l.name, (SELECT count(*) FROM contact_list_members m "
            "WHERE m.list_id = l.id), l.created, l.status FROM contact_lists l "
            "WHERE l.account_id = ? AND %s ORDER BY l.id LIMIT ? OFFSET ?" % where,
            [self.account_id, *params, limit, offset])]

    def create(self, name: str, source: ContactSource, validate: bool = True) -> ImportReport:
        list_id = self.db["contact_lists"].insert({
            "id": ids.take(self.db), "account_id": self.account_id, "name": name,
            "created": now(), "status": "ACTIVE"}).last_pk
        return self._import(list_id, source, validate)

    def add(self, list_id: int, source: ContactSource, validate: bool = True) -> ImportReport:
        self.contacts.require_list(list_id)
        return self._import(list_id, source, validate)

    def delete(self, list_id: int) -> None:
        self.contacts.require_list(list_id)
        self.db.execute("DELETE FROM contact_lists WHERE id = ?", [list_id])

    def remove(self, list_id: int, contact_ids: list[int] | None = None,
               numbers: list[str] | None = None) -> None:
        """Take contacts off a list; the contacts themselves stay."""
        self.contacts.require_list(list_id)
        ids = list(contact_ids or [])
        if numbers:
            wanted = {phone.normalize(n) or n for n in numbers} | set(numbers)
            ids.extend(self.contacts.by_number(wanted).values())
        self.db.execute("DELETE FROM contact_list_members WHERE list_id = ? AND contact_id IN "
                        "(SELECT value FROM json_each(?))", [list_id, id_json(ids)])

    # -- the import -------------------------------------------------------

    def _import(self, list_id: int, source: ContactSource, validate: bool) -> ImportReport:
        report = ImportReport(list_id)
        existing_ids, candidates = source.resolve()
        if existing_ids is not None:
            members = self.contacts.require(existing_ids)
            report.existing = len(members)
        else:
            named = [c for c in candidates if c.id is not None]
            members = self.contacts.require(c.id for c in named)
            self.contacts.set_fields((c.id, c.fields) for c in named)
            report.existing = len(members)
            new = [c.fields for c in candidates if c.id is None]
            if validate:
                new, merged_ids = self._safeguards(new, report)
                members.extend(merged_ids)
            members.extend(self.contacts.create(new))
            report.added = len(new)
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO contact_list_members (list_id, contact_id) VALUES (?, ?)",
            ((list_id, contact_id) for contact_id in members))
        log.info("contact list %d import: %d added, %d merged, %d existing; scrubbed: "
                 "%d invalid, %d duplicate, %d numbers on Do Not Contact", list_id,
                 report.added, report.merged, report.existing, report.invalid,
                 report.duplicate, report.dnc)
        return report

    def _safeguards(self, candidates: list[dict[str, str]],
                    report: ImportReport) -> tuple[list[dict[str, str]], list[int]]:
        """Scrub invalid, Do Not Contact and duplicate numbers, merge conflicts; returns
        the fields of the contacts to create and the ids of the existing contacts that
        absorbed the rest.

        One pass over what may be 100,000 contacts: each number is normalised once,
        in the field dicts given (they are the request's own).
        """
        normalize = phone.normalize
        valid: list[tuple[dict[str, str], list[str]]] = []
        for fields in candidates:  # fresh from the request: normalised in place
            numbers, had_numbers = [], False
            for name in PHONE_FIELDS:
                raw = fields.get(name)
                if raw is None:
                    continue
                had_numbers = True
                number = normalize(raw)
                if number is None:
                    del fields[name]
                else:
                    fields[name] = number
                    numbers.append(number)
            if had_numbers and not numbers:
                report.invalid += 1  # it had numbers, and none was valid
                continue
            valid.append((fields, numbers))
        # A contact list serves calls and texts alike, so a number on Do Not
        # Contact for either is scrubbed.
        blocked = {number for number, status in self.dnc.listed(
            {n for _, numbers in valid for n in numbers}).items() if any(status)}
        kept: list[tuple[dict[str, str], list[str]]] = []
        seen: set[str] = set()
        for fields, numbers in valid:
            if blocked and blocked.intersection(numbers):
                on_dnc = [name for name in PHONE_FIELDS if fields.get(name) in blocked]
                for name in on_dnc:
                    del fields[name]
                report.dnc += len(on_dnc)
                numbers = [n for n in numbers if n not in blocked]
                if not numbers:
                    continue  # every number it had is on Do Not Contact
            if not seen.isdisjoint(numbers):
                report.duplicate += 1
                continue
            seen.update(numbers)
            kept.append((fields, numbers))
        owners = self.contacts.by_number(seen) if seen else {}
        if not owners:  # nothing to merge into: the usual case of a fresh import
            return [fields for fields, _ in kept], []
        to_create, merged = [], {}
        for fields, numbers in kept:
            owner = next((owners[n] for n in numbers if n in owners), None)
            if owner is None:
                to_create.append(fields)
            else:
                merged.setdefault(owner, {}).update(fields)
        self.contacts.set_fields(merged.items())
        report.merged = len(merged)
        return to_create, list(merged)
