"""Broadcast schedules: the times a broadcast starts and stops by itself.

On each day of DaysOfWeek between BeginDate and EndDate (both optional, both
inclusive), in the schedule's TimeZone, the broadcast gets a START at
StartTimeOfDay and a STOP at StopTimeOfDay (the next day when the stop time is
earlier than the start time).  They act as ControlBroadcast would, except
that a command the status does not allow is skipped, not an error: a
schedule never restarts an ARCHIVED broadcast, and starting one that runs
changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable, Iterator
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from sqlite_utils import Database

from . import ids
from .contacts import Page, page_bounds
from .errors import InvalidRequest, NotFound

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


@dataclass
class BroadcastSchedule:
    id: int | None
    start_time: time
    stop_time: time
    time_zone: str
    days: list[str]
    begin_date: date | None = None
    end_date: date | None = None
    broadcast_id: int | None = None

    def transitions(self, after: int) -> Iterator[tuple[int, str]]:
        """(instant, "START" or "STOP") of this schedule after ``after``, in order."""
        zone = ZoneInfo(self.time_zone)
        weekdays = {DAYS.index(day) for day in self.days}
        day = datetime.fromtimestamp(after, zone).date() - timedelta(days=1)
        if self.begin_date is not None:
            day = max(day, self.begin_date)
        last = date.max - timedelta(days=1)  # the stop of a day may be on the next
        while day < last and (self.end_date is None or day <= self.end_date):
            if day.weekday() in weekdays:
                stop_day = day + timedelta(days=1) if self.stop_time < self.start_time else day
                events = [(_instant(day, self.start_time, zone), "START"),
                          (_instant(stop_day, self.stop_time, zone), "STOP")]
                yield from ((instant, command) for instant, command in events
                            if instant > after)
            day += timedelta(days=1)


def _instant(day: date, at: time, zone: ZoneInfo) -> int:
    return int(datetime.combine(day, at, tzinfo=zone).timestamp())


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def _check(schedule: BroadcastSchedule) -> None:
    if schedule.time_zone not in _zone_names():
        raise InvalidRequest("TimeZone %r is not a time zone name such as America/New_York"
                             % schedule.time_zone, detail="TimeZone")
    if schedule.start_time == schedule.stop_time:
        raise InvalidRequest("StartTimeOfDay and StopTimeOfDay are equal",
                             detail="StopTimeOfDay")
    if not schedule.days:
        raise InvalidRequest("DaysOfWeek names no day", detail="DaysOfWeek")
    if schedule.begin_date and schedule.end_date and schedule.begin_date > schedule.end_date:
        raise InvalidRequest("BeginDate is after EndDate", detail="EndDate")


class BroadcastSchedules:
    def __init__(self, db: Database, account_id: int):
        self.db = db
        self.account_id = account_id

    def create(self, broadcast_id: int, schedule: BroadcastSchedule) -> int:
        _check(schedule)
        return self.db["broadcast_schedules"].insert({
            "id": ids.take(self.db), "account_id": self.account_id,
            "broadcast_id": broadcast_id,
            "start_time": schedule.start_time.isoformat(),
            "stop_time": schedule.stop_time.isoformat(), "time_zone": schedule.time_zone,
            "begin_date": schedule.begin_date and schedule.begin_date.isoformat(),
            "end_date": schedule.end_date and schedule.end_date.isoformat(),
            "days": " ".join(dict.fromkeys(schedule.days))}).last_pk

    def get(self, schedule_id: int) -> BroadcastSchedule:
        rows = self._select("id = ?", [schedule_id], 1, 0)
        if not rows:
            raise NotFound("BroadcastSchedule", schedule_id)
        return rows[0]

    def query(self, broadcast_id: int, first: int | None = None,
              limit: int | None = None) -> Page[BroadcastSchedule]:
        first, limit = page_bounds(first, limit)
        total = self.db.execute("SELECT count(*) FROM broadcast_schedules WHERE account_id = ? "
                                "AND broadcast_id = ?", [self.account_id, broadcast_id]
                                ).fetchone()[0]
        return Page(total, self._select("broadcast_id = ?", [broadcast_id], limit, first))

    def of(self, broadcast_id: int) -> list[BroadcastSchedule]:
        return self._select("broadcast_id = ?", [broadcast_id], -1, 0)

    def delete(self, schedule_id: int) -> int:
        """Delete a schedule; returns its broadcast's id."""
        broadcast_id = self.get(schedule_id).broadcast_id
        self.db.execute("DELETE FROM broadcast_schedules WHERE id = ?", [schedule_id])
        return broadcast_id

    def _select(self, where: str, params: Iterable, limit: int,
                offset: int) -> list[BroadcastSchedule]:
        return [BroadcastSchedule(
            id=row[0], broadcast_id=row[1], start_time=time.fromisoformat(row[2]),
            stop_time=time.fromisoformat(row[3]), time_zone=row[4],
            begin_date=row[5] and date.fromisoformat(row[5]),
            end_date=row[6] and date.fromisoformat(row[6]), days=row[7].split())
            for row in self.db.execute(
                "SELECT id, broadcast_id, start_time, stop_time, time_zone, begin_date, "
                "end_date, days FROM broadcast_schedules WHERE account_id = ? AND %s "
                "ORDER BY id LIMIT ? OFFSET ?" % where,
                [self.account_id, *params, limit, offset])]
