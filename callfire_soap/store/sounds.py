"""Sounds an account uploaded, had spoken or recorded, and the recordings its calls made.

A sound's audio is stored as it came (MP3 or WAV) with its length; another
format is made from it when asked (callfire_soap/audio.py, outside the store).
A sound is PENDING until ``ready_at`` on the simulation clock (a RecordingCall's
call is still going on), then its stored status, ACTIVE or FAILED.  A
recording is one ``<record>`` of an answered IVR call: its row says which call
attempt made it, its name and length; its audio follows from those, so none
is stored.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from sqlite_utils import Database

from . import ids
from .errors import InvalidRequest, NotFound
from .pages import Page
from .records import Records


@dataclass
class Sound:
    id: int
    name: str
    status: str                 # PENDING, ACTIVE or FAILED
    created: int
    length: int | None          # seconds; None while PENDING and when FAILED
    format: str | None          # MP3 or WAV, of the stored audio


@dataclass
class Recording:
    id: int
    call_id: int
    record_id: int              # the CallRecord (attempt) it belongs to
    name: str
    created: int
    length: int


class Sounds(Records[Sound]):
    table, kind = "sounds", "Sound"
    select = "id, name, status, created, length, format, ready_at"

    def __init__(self, db: Database, account_id: int, now: Callable[[], int]):
        super().__init__(db, account_id)
        self._now = now  # the simulation clock's reading, taken when first needed

    def record(self, row: dict) -> Sound:
        pending = row["ready_at"] > self._now()
        return Sound(row["id"], row["name"], "PENDING" if pending else row["status"],
                     row["created"], None if pending else row["length"],
                     row["format"])

    def find(self, digest: str) -> int | None:
        """The account's sound whose audio has this digest: the same audio again."""
        row = self.db.execute("SELECT id FROM sounds WHERE account_id = ? AND digest = ? "
                              "ORDER BY id LIMIT 1", [self.account_id, digest]).fetchone()
        return None if row is None else row[0]

    def create(self, name: str, created: int, data: bytes | None, format: str | None,
               length: int | None, digest: str | None = None, status: str = "ACTIVE",
               ready_at: int | None = None) -> int:
        """A new sound; ``ready_at`` (default: now) is when it stops being PENDING."""
        sound_id = ids.take(self.db)
        self.db["sounds"].insert({
            "id": sound_id, "account_id": self.account_id, "name": name, "status": status,
            "created": created, "ready_at": created if ready_at is None else ready_at,
            "data": data, "format": format, "length": length, "digest": digest})
        return sound_id

    def query(self, first: int | None, limit: int | None) -> Page[Sound]:
        return self.page(None, (), first, limit)

    def data(self, sound_id: int) -> tuple[Sound, bytes]:
        """A sound and its audio: BAD_REQUEST while it has none (PENDING, FAILED)."""
        sound = self.get(sound_id)
        if sound.status != "ACTIVE":
            raise InvalidRequest("Sound %d is %s: it has no audio" % (sound_id, sound.status),
                                 detail="Id")
        (data,) = self.db.execute("SELECT data FROM sounds WHERE id = ?",
                                  [sound_id]).fetchone()
        return sound, data

    def require_all(self, sound_ids: Iterable[int]) -> None:
        """NOT_FOUND for the first of ``sound_ids`` that is not one of the account's."""
        for sound_id in sound_ids:
            self.require(sound_id)


class Recordings(Records[Recording]):
    table, kind = "recordings", "Recording"
    select = "id, action_id, record_id, name, created, length"

    def record(self, row: dict) -> Recording:
        return Recording(row["id"], row["action_id"], row["record_id"], row["name"],
                         row["created"], row["length"])

    def of_call(self, call_id: int, name: str) -> Recording:
        """The call's latest recording of that name; NOT_FOUND without one."""
        found = self.rows_where("action_id = ? AND name = ?", [call_id, name])
        if not found:
            raise NotFound("Recording", "%s of call %d" % (name, call_id))
        return found[-1]

    def of_records(self, record_ids: Iterable[int]) -> dict[int, list[Recording]]:
        """The recordings of these call records, by record, in the order they were made."""
        found: dict[int, list[Recording]] = {}
        for recording in self.rows_where("record_id IN (SELECT value FROM json_each(?))",
                                         [ids.id_json(record_ids)]):
            found.setdefault(recording.record_id, []).append(recording)
        return found
