"""Contact batches: the numbers a broadcast is to reach, each one an action.

A batch comes from ToNumbers or from a contact list.  Every number becomes a
contact (an existing contact with that number is reused) and an action in
state READY, or INVALID when the number is not a valid North American one.
With ScrubBroadcastDuplicates a number the broadcast already has, or has
earlier in the same batch, becomes a DUP action that is never dialled.  For
a contact list, the broadcast's RetryPhoneTypes choose which of a contact's
numbers the attempts go to, in turn (FIRST_NUMBER: the first of homePhone,
workPhone, mobilePhone it has).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlite_utils import Database

from . import ids, phone
from .broadcasts import Broadcast
from .contacts import PHONE_FIELDS, Contact, Contacts, Page, page_bounds
from .errors import InvalidRequest, NotFound
from .timezones import zone_of

_PHONE_TYPES = {"HOME_PHONE": "homePhone", "WORK_PHONE": "workPhone",
                "MOBILE_PHONE": "mobilePhone"}


@dataclass
class ToNumber:
    """A number to reach, with what the client attached to it (kept on its action)."""
    number: str
    client_data: str | None = None
    extras: dict[str, str] = field(default_factory=dict)

    def attributes(self) -> dict[str, str]:
        attributes = dict(self.extras)
        if self.client_data is not None:
            attributes["ClientData"] = self.client_data
        return attributes


@dataclass
class ContactBatch:
    id: int
    name: str
    status: str
    broadcast_id: int
    created: int
    enabled: bool
    size: int
    remaining: int


@dataclass
class _Target:
    contact_id: int
    numbers: list[str]       # valid numbers, in the order attempts use them
    raw: str                 # what to show when none is valid
    attributes: dict[str, str]


def _contact_numbers(contact: Contact, phone_types: list[str]) -> tuple[list[str], str]:
    present = [(name, contact.fields[name]) for name in PHONE_FIELDS if contact.fields.get(name)]
    numbers = []
    for phone_type in phone_types or ["FIRST_NUMBER"]:
        if phone_type == "FIRST_NUMBER":
            candidates = [value for _, value in present][:1]
        else:
            candidates = [value for name, value in present if name == _PHONE_TYPES[phone_type]]
        numbers.extend(n for n in map(phone.normalize, candidates) if n)
    return list(dict.fromkeys(numbers)), present[0][1] if present else ""


class ContactBatches:
    def __init__(self, db: Database, account_id: int, contacts: Contacts):
        self.db = db
        self.account_id = account_id
        self.contacts = contacts

    def create(self, broadcast: Broadcast, name: str, to_numbers: list[ToNumber] | None,
               list_id: int | None, scrub_duplicates: bool, now: int) -> int:
        if to_numbers:
            targets = self._from_numbers(to_numbers)
        elif list_id is not None:
            targets = self._from_list(list_id, broadcast)
        else:
            raise InvalidRequest("CreateContactBatch needs ToNumber elements or a "
                                 "ContactListId", detail="ToNumber")
        batch_id = self.db["contact_batches"].insert({
            "id": ids.take(self.db), "account_id": self.account_id,
            "broadcast_id": broadcast.id, "name": name,
            "status": "ACTIVE", "enabled": 1, "created": now}).last_pk
        seen: set[str] = set()
        if scrub_duplicates:
            seen.update(row[0] for row in self.db.execute(
                "SELECT to_number FROM actions WHERE broadcast_id = ? AND to_number IN "
                "(SELECT value FROM json_each(?))",
                [broadcast.id, json.dumps([t.numbers[0] for t in targets if t.numbers])]))
        rows = []
        for target in targets:
            number = target.numbers[0] if target.numbers else target.raw
            if not target.numbers:
                state = "INVALID"
            elif scrub_duplicates and number in seen:
                state = "DUP"
            else:
                state = "READY"
            seen.add(number)
            rows.append((self.account_id, broadcast.id, batch_id, target.contact_id,
                         json.dumps(target.numbers or [number]), number,
                         json.dumps(target.attributes), zone_of(number), state, now, now, now))
        first = ids.take(self.db, len(rows))
        self.db.conn.executemany(
            "INSERT INTO actions (id, account_id, broadcast_id, batch_id, contact_id, numbers, "
            "to_number, to_attributes, zone, state, held, attempts, ready_at, created, "
            "modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)",
            ((first + i, *row) for i, row in enumerate(rows)))
        return batch_id

    def _from_numbers(self, to_numbers: list[ToNumber]) -> list[_Target]:
        """Each number's contact: the account's contact with that number, or a new one."""
        keys = [phone.normalize(t.number) or t.number for t in to_numbers]
        owners = self.contacts.by_number(keys)
        new = [key for key in dict.fromkeys(keys) if key not in owners]
        owners.update(zip(new, self.contacts.create([{"homePhone": key} for key in new])))
        return [_Target(owners[key], [key] if phone.normalize(key) else [], key,
                        to_number.attributes())
                for key, to_number in zip(keys, to_numbers)]

    def _from_list(self, list_id: int, broadcast: Broadcast) -> list[_Target]:
        """The list's contacts that have a number at all."""
        self.contacts.require_list(list_id)
        ids = [row[0] for row in self.db.execute(
            "SELECT contact_id FROM contact_list_members WHERE list_id = ? ORDER BY contact_id",
            [list_id])]
        retry = broadcast.config.retry
        phone_types = retry.phone_types if retry else []
        targets = []
        for contact in self.contacts.load(ids):
            numbers, raw = _contact_numbers(contact, phone_types)
            if numbers or raw:
                targets.append(_Target(contact.id, numbers, raw, {}))
        return targets

    # -- reading and control ----------------------------------------------

    def get(self, batch_id: int) -> ContactBatch:
        rows = self._select("b.id = ?", [batch_id], 1, 0)
        if not rows:
            raise NotFound("ContactBatch", batch_id)
        return rows[0]

    def query(self, broadcast_id: int, first: int | None = None,
              limit: int | None = None) -> Page[ContactBatch]:
        first, limit = page_bounds(first, limit)
        total = self.db.execute("SELECT count(*) FROM contact_batches WHERE account_id = ? "
                                "AND broadcast_id = ?", [self.account_id, broadcast_id]
                                ).fetchone()[0]
        return Page(total, self._select("b.broadcast_id = ?", [broadcast_id], limit, first))

    def control(self, batch_id: int, name: str | None, enabled: bool | None) -> int:
        """Rename, enable or disable a batch; returns its broadcast's id."""
        batch = self.get(batch_id)
        if name is None and enabled is None:
            raise InvalidRequest("ControlContactBatch needs a Name or Enabled",
                                 detail="Enabled")
        enabled = batch.enabled if enabled is None else enabled
        self.db.execute("UPDATE contact_batches SET name = ?, enabled = ? WHERE id = ?",
                        [batch.name if name is None else name, enabled, batch_id])
        self.db.execute("UPDATE actions SET held = ? WHERE batch_id = ?", [not enabled, batch_id])
        return batch.broadcast_id

    def _select(self, where: str, params: list, limit: int, offset: int) -> list[ContactBatch]:
        return [ContactBatch(*row[:5], bool(row[5]), row[6], row[7]) for row in self.db.execute(
            "SELECT b.id, b.name, b.status, b.broadcast_id, b.created, b.enabled, "
            "(SELECT count(*) FROM actions a WHERE a.batch_id = b.id), "
            "(SELECT count(*) FROM actions a WHERE a.batch_id = b.id "
            "AND a.state IN ('READY', 'SELECTED')) "
            "FROM contact_batches b WHERE b.account_id = ? AND %s ORDER BY b.id "
            "LIMIT ? OFFSET ?" % where, [self.account_id, *params, limit, offset])]
