"""The broadcast simulator: what the real service's dialers and carriers did.

A discrete-event simulation on the simulation clock (store/clock.py), run
lazily: before a call reads or changes an account's broadcasts, every
broadcast with something due is simulated up to now, event by event.  Each
event is processed at its own instant, so the results do not depend on when,
or how often, anyone looks; the same requests at the same clock readings give
the same calls, texts and records.

A RUNNING broadcast keeps up to MaxActive actions SELECTED (in progress),
taking the READY actions of its enabled batches that have waited longest
(then in the order they were added), each once the callee's local time is
inside the LocalTimeZoneRestriction.  A number on Do
Not Contact (for calls or for texts, as the broadcast is) ends as DNC
without an attempt.  An attempt ends after the time store/outcomes.py gives
it, with a record (and a recording for each ``record`` an answered IVR call
met); a result in RetryResults is tried again after MinutesBetweenAttempts,
up to MaxAttempts.  The broadcast is FINISHED when none of its enabled
actions is left.  A STOPPED broadcast starts nothing new, but the attempts in
progress end as they would.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from . import ids, outcomes
from .broadcasts import Broadcast, Broadcasts, Window, campaign_event
from .dnc import DncLists
from .schedules import BroadcastSchedule, BroadcastSchedules
from .subscriptions import Event

# The READY actions of enabled batches, per zone: a range of one index
# (store/schema.py), so each look is a seek however many actions wait.
_WAITING = "broadcast_id = ? AND state = 'READY' AND held = 0"


def open_at(window: Window | None, zone: str, instant: int) -> int:
    """The first instant from ``instant`` on when it is inside ``window`` in ``zone``."""
    if window is None:
        return instant
    begin, end = window.bounds()
    tz = ZoneInfo(zone)
    local = datetime.fromtimestamp(instant, tz)
    now = local.time().replace(tzinfo=None)
    if end is None:
        inside = now >= begin
    elif begin < end:
        inside = begin <= now < end
    else:  # the window spans midnight
        inside = now >= begin or now < end
    if inside:
        return instant
    day = local.date() if now < begin else local.date() + timedelta(days=1)
    return int(datetime.combine(day, begin, tzinfo=tz).timestamp())


def due(db: Database, account_id: int, now: int) -> bool:
    """Whether any broadcast of the account has something to simulate by ``now``."""
    return db.execute("SELECT 1 FROM broadcasts WHERE account_id = ? AND next_event <= ? "
                      "LIMIT 1", [account_id, now]).fetchone() is not None


class Simulator:
    def __init__(self, db: Database, account_id: int, broadcasts: Broadcasts,
                 schedules: BroadcastSchedules, dnc: DncLists,
                 notify: Callable[[Event], None] = lambda event: None):
        self.db = db
        self.account_id = account_id
        self.broadcasts = broadcasts
        self.schedules = schedules
        self.dnc = dnc
        self.notify = notify  # raises the events of what it simulates, at their instants

    def catch_up(self, now: int) -> None:
        """Simulate every broadcast of the account that has something due by ``now``."""
        for (broadcast_id,) in self.db.execute(
                "SELECT id FROM broadcasts WHERE account_id = ? AND next_event <= ? "
                "ORDER BY id", [self.account_id, now]).fetchall():
            self.advance(broadcast_id, now)

    def advance(self, broadcast_id: int, until: int) -> None:
        """Simulate one broadcast up to ``until``, then note when it next needs to be."""
        broadcast = self.broadcasts.get(broadcast_id)
        instant = self.db.execute("SELECT sim_until FROM broadcasts WHERE id = ?",
                                  [broadcast_id]).fetchone()[0]
        # Neither changes while it is simulated: read once, not at every step.  An
        # ARCHIVED broadcast follows no schedule, and nothing un-archives it here.
        zones = [zone for (zone,) in self.db.execute(
            "SELECT DISTINCT zone FROM actions WHERE broadcast_id = ?", [broadcast_id])]
        schedules = [] if broadcast.status == "ARCHIVED" else self.schedules.of(broadcast_id)
        while True:
            event = self._next_event(broadcast, instant, zones, schedules)
            if event is None or event > until:
                break
            self._step(broadcast, instant, max(event, instant), zones, schedules)
            instant = max(event, instant)
        self.db.execute("UPDATE broadcasts SET sim_until = ?, next_event = ? WHERE id = ?",
                        [max(instant, until), self._next_event(
                            broadcast, max(instant, until), zones, schedules), broadcast_id])

    def _first_ready(self, broadcast_id: int, zone: str) -> int | None:
        """When the earliest waiting action of ``zone`` is (or was) ready."""
        return self.db.execute("SELECT min(ready_at) FROM actions WHERE %s AND zone = ?"
                               % _WAITING, [broadcast_id, zone]).fetchone()[0]

    def _waiting(self, broadcast_id: int) -> bool:
        return self.db.execute("SELECT EXISTS (SELECT 1 FROM actions WHERE %s)" % _WAITING,
                               [broadcast_id]).fetchone()[0]

    # -- the next event ---------------------------------------------------

    def _next_event(self, broadcast: Broadcast, instant: int, zones: list[str],
                    schedules: list[BroadcastSchedule]) -> int | None:
        """When something next happens to the broadcast, at ``instant`` or later."""
        events = []
        if broadcast.status == "START_PENDING":
            events.append(self._start_at(broadcast.id))
        finishing = self.db.execute(
            "SELECT count(*), min(finish_at) FROM actions WHERE broadcast_id = ? "
            "AND state = 'SELECTED'", [broadcast.id]).fetchone()
        if finishing[1] is not None:
            events.append(finishing[1])
        if broadcast.status == "RUNNING":
            first_ready = {zone: self._first_ready(broadcast.id, zone) for zone in zones}
            waiting = [(zone, ready_at) for zone, ready_at in first_ready.items()
                       if ready_at is not None]
            if not waiting and not finishing[0]:
                events.append(instant)  # nothing left: it finishes now
            elif finishing[0] < broadcast.max_active:
                window = broadcast.config.window
                events.extend(open_at(window, zone, max(ready_at, instant))
                              for zone, ready_at in waiting)
        for schedule in schedules:
            transition = next(schedule.transitions(instant), None)
            if transition is not None:
                events.append(transition[0])
        return max(min(events), instant) if events else None

    def _start_at(self, broadcast_id: int) -> int:
        return self.db.execute("SELECT start_at FROM broadcasts WHERE id = ?",
                               [broadcast_id]).fetchone()[0]

    # -- one instant ------------------------------------------------------

    def _step(self, broadcast: Broadcast, last: int, instant: int, zones: list[str],
              schedules: list[BroadcastSchedule]) -> None:
        """Everything that happens to the broadcast at ``instant`` (the previous
        step was at ``last``), in a fixed order."""
        for schedule in schedules:
            for at, command in schedule.transitions(last):
                if at > instant:
                    break
                self.broadcasts.command(broadcast, command, at)
        if broadcast.status == "START_PENDING" and self._start_at(broadcast.id) <= instant:
            self._set_status(broadcast, "RUNNING", instant)
        self._finish_attempts(broadcast, instant)
        if broadcast.status == "RUNNING":
            self._start_attempts(broadcast, instant, zones)
            in_progress = self.db.execute(
                "SELECT EXISTS (SELECT 1 FROM actions WHERE broadcast_id = ? "
                "AND state = 'SELECTED')", [broadcast.id]).fetchone()[0]
            if not (in_progress or self._waiting(broadcast.id)):
                self._set_status(broadcast, "FINISHED", instant)

    def _set_status(self, broadcast: Broadcast, status: str, instant: int) -> None:
        self.db.execute("UPDATE broadcasts SET status = ?, last_modified = ? WHERE id = ?",
                        [status, instant, broadcast.id])
        broadcast.status = status
        broadcast.last_modified = instant
        self.notify(campaign_event("CAMPAIGN_STARTED" if status == "RUNNING"
                                   else "CAMPAIGN_" + status, broadcast, instant))

    def _outcome(self, broadcast: Broadcast, number: str, attempt: int) -> outcomes.Outcome:
        if broadcast.is_call:
            return outcomes.call(number, attempt, broadcast.config.settings.get("DialplanXml")
                                 if broadcast.type == "IVR" else None)
        settings = broadcast.config.settings
        return outcomes.text(number, attempt, settings.get("Message") or "",
                             settings.get("BigMessageStrategy") or "SEND_MULTIPLE")

    def _start_attempts(self, broadcast: Broadcast, instant: int, zones: list[str]) -> None:
        """Fill the free slots with the actions that have waited longest (then in the
        order they were added) of the zones where it is calling time now."""
        window = broadcast.config.window
        zones = [zone for zone in zones if open_at(window, zone, instant) == instant]
        while True:
            active = self.db.execute("SELECT count(*) FROM actions WHERE broadcast_id = ? "
                                     "AND state = 'SELECTED'", [broadcast.id]).fetchone()[0]
            free = broadcast.max_active - active
            if free <= 0:
                return
            candidates = sorted(row for zone in zones for row in self.db.execute(
                "SELECT ready_at, id, numbers, attempts FROM actions WHERE %s AND zone = ? "
                "AND ready_at <= ? ORDER BY ready_at, id LIMIT ?" % _WAITING,
                [broadcast.id, zone, instant, free]))[:free]
            if not candidates:
                return
            chosen = [(action_id, numbers[attempts % len(numbers)], attempts)
                      for action_id, numbers, attempts in (
                          (row[1], json.loads(row[2]), row[3]) for row in candidates)]
            blocked = self.dnc.status(number for _, number, _ in chosen)
            skipped, started = [], []
            for action_id, number, attempts in chosen:
                status = blocked[number]
                if status.call if broadcast.is_call else status.text:
                    skipped.append((number, instant, action_id))
                else:
                    length = self._outcome(broadcast, number, attempts + 1).length
                    started.append((number, instant, instant + length, instant, action_id))
            self.db.conn.executemany("UPDATE actions SET state = 'DNC', to_number = ?, "
                                     "modified = ? WHERE id = ?", skipped)
            self.db.conn.executemany(
                "UPDATE actions SET state = 'SELECTED', attempts = attempts + 1, "
                "to_number = ?, started_at = ?, finish_at = ?, modified = ? WHERE id = ?",
                started)

    def _finish_attempts(self, broadcast: Broadcast, instant: int) -> None:
        retry = broadcast.config.retry
        records, retried, finished, recorded, events = [], [], [], [], []
        for action_id, number, attempts, started, ended, batch_id in self.db.execute(
                "SELECT id, to_number, attempts, started_at, finish_at, batch_id FROM actions "
                "WHERE broadcast_id = ? AND state = 'SELECTED' AND finish_at <= ? "
                "ORDER BY finish_at, id", [broadcast.id, instant]).fetchall():
            outcome = self._outcome(broadcast, number, attempts)
            records.append((
                action_id, self.account_id, broadcast.id, outcome.result, started,
                None if outcome.answered_after is None else started + outcome.answered_after,
                ended, outcome.duration, outcome.billed_duration, outcome.billed_amount,
                outcome.message, json.dumps(outcome.responses) if outcome.responses else None))
            recorded.extend((len(records) - 1, action_id, name, ended, seconds)
                            for name, seconds in outcome.recordings)
            if retry and outcome.result in retry.results and attempts < retry.max_attempts:
                retried.append((ended + 60 * retry.minutes_between, ended, action_id))
            else:
                finished.append((outcome.result, ended, action_id))
                events.append(Event(
                    "OUTBOUND_CALL_FINISHED" if broadcast.is_call else "OUTBOUND_TEXT_FINISHED",
                    ended, "action", action_id, broadcast_id=broadcast.id, batch_id=batch_id,
                    from_number=broadcast.from_number, to_number=number))
        first = ids.take(self.db, len(records)) if records else None
        self.db.conn.executemany(
            "INSERT INTO action_records (id, action_id, account_id, broadcast_id, result, "
            "originate_time, answer_time, finish_time, duration, billed_duration, "
            "billed_amount, message, responses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((first + i, *record) for i, record in enumerate(records)))
        if recorded:  # each record of the attempt is made when the call ends
            first_recording = ids.take(self.db, len(recorded))
            self.db.conn.executemany(
                "INSERT INTO recordings (id, account_id, action_id, record_id, name, created, "
                "length) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((first_recording + i, self.account_id, action_id, first + index, name,
                  ended, seconds)
                 for i, (index, action_id, name, ended, seconds) in enumerate(recorded)))
        self.db.conn.executemany(
            "UPDATE actions SET state = 'READY', ready_at = ?, finish_at = NULL, modified = ? "
            "WHERE id = ?", retried)
        self.db.conn.executemany(
            "UPDATE actions SET state = 'FINISHED', final_result = ?, finish_at = NULL, "
            "modified = ? WHERE id = ?", finished)
        for event in events:  # each call or text that reached its final result
            self.notify(event)
