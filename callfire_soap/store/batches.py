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
from .attributes import PHONE_FIELDS
from .contacts import Contact, Contacts
from .errors import InvalidRequest
from .pages import Page
from .records import Records
from .timezones import zone_of

_PHONE_TYPES = {"HOME_PHONE": "homePhone", "WORK_PHONE": "workPhone",
                "MOBILE_PHONE": "mobilePhone"}


@dataclass
class ToNumber:
    """A number to reach, with the attributes the client attached to it (ClientData
    and any other), kept on its action and answered with it."""
    number: str
    attributes: dict[str, str] = field(default_factory=dict)


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


class ContactBatches(Records[ContactBatch]):
    table, kind = "contact_batches", "ContactBatch"
    select = ("id, name, status, broadcast_id, created, enabled, "
              "(SELECT count(*) FROM actions a WHERE a.batch_id = contact_batches.id) AS size, "
              "(SELECT count(*) FROM actions a WHERE a.batch_id = contact_batches.id "
              "AND a.state IN ('READY', 'SELECTED')) AS remaining")

    def __init__(self, db: Database, account_id: int, contacts: Contacts):
        super().__init__(db, account_id)
        self.contacts = contacts

    def record(self, row: dict) -> ContactBatch:
        return ContactBatch(**dict(row, enabled=bool(row["enabled"])))

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
        owners = self.contacts.for_numbers(keys)
        return [_Target(owners[key], [key] if phone.normalize(key) else [], key,
                        to_number.attributes)
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

    def query(self, broadcast_id: int, first: int | None = None,
              limit: int | None = None) -> Page[ContactBatch]:
        return self.page("broadcast_id = ?", [broadcast_id], first, limit)

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
