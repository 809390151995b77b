"""Broadcasts: their configuration, their status, and the commands that move it.

A broadcast is VOICE, IVR or TEXT; its type is fixed by the config it was
created with.  New broadcasts are STOPPED.  The commands (ControlBroadcast or a
schedule) move the status; the simulator (store/simulator.py) does the rest:
START_PENDING becomes RUNNING one second after a START, RUNNING becomes FINISHED
when nothing is left to dial.

    START    STOPPED, FINISHED            -> START_PENDING
    STOP     START_PENDING, RUNNING       -> STOPPED
    ARCHIVE  STOPPED, FINISHED            -> ARCHIVED

Any other command answers BAD_REQUEST and changes nothing.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import time
from typing import Callable, Iterable

from . import dialplan, ids, phone
from .errors import InvalidRequest
from .labels import labelled
from .pages import Page
from .actions import DEFAULT_CALLER_ID, DEFAULT_SHORT_CODE
from .records import Records
from .subscriptions import Event

TYPES = ("VOICE", "IVR", "TEXT")
CALL_TYPES = ("VOICE", "IVR")
DEFAULT_NAME = "API Broadcast"
DEFAULT_MAX_ACTIVE = 100     # concurrent actions when no START has said otherwise
MAX_ATTEMPTS = 20
START_DELAY = 1              # seconds a START stays START_PENDING
RUNNING_STATES = ("START_PENDING", "RUNNING")
_ALLOWED = {"START": ("STOPPED", "FINISHED"), "STOP": RUNNING_STATES,
            "ARCHIVE": ("STOPPED", "FINISHED")}


@dataclass
class Retry:
    """RetryConfig: attempts per action, the wait between them, what is retried."""
    max_attempts: int = 1
    minutes_between: int = 60
    results: list[str] = field(default_factory=list)
    phone_types: list[str] = field(default_factory=list)


@dataclass
class Window:
    """LocalTimeZoneRestriction: the callee's local hours an action may be placed in."""
    begin: time | None = None
    end: time | None = None

    def bounds(self) -> tuple[time, time | None]:
        """(begin, end); an end of None is the end of the day."""
        return self.begin or time(0), self.end


@dataclass
class BroadcastConfig:
    """What a broadcast does.  ``settings`` are the type's own fields, by their
    CallFire names (Message, BigMessageStrategy, DialplanXml, LiveSoundText, ...);
    a setting given as None is one an update clears."""
    type: str
    from_number: str | None = None
    window: Window | None = None
    retry: Retry | None = None
    settings: dict[str, object] = field(default_factory=dict)


@dataclass
class Broadcast:
    id: int | None
    name: str | None = None
    type: str | None = None
    config: BroadcastConfig | None = None
    status: str | None = None
    created: int | None = None
    last_modified: int | None = None
    max_active: int = DEFAULT_MAX_ACTIVE
    config_id: int | None = None   # the config's own id (store/ids.py)

    @property
    def is_call(self) -> bool:
        return self.type in CALL_TYPES

    @property
    def from_number(self) -> str:
        """Where its calls or texts come from: its FromNumber, or the default one."""
        return self.config.from_number or (DEFAULT_CALLER_ID if self.is_call
                                           else DEFAULT_SHORT_CODE)


def _check_from_number(config: BroadcastConfig) -> None:
    """A caller id is 11 E.164 digits; a text may also come from a short code."""
    number = config.from_number
    if number is None:
        return
    normalized = phone.normalize(number)
    if normalized is None and config.type == "TEXT" and number.isdigit() \
            and 5 <= len(number) <= 6:
        normalized = number
    if normalized is None:
        raise InvalidRequest("FromNumber %r is not an 11-digit E.164 number%s" % (
            number, " or a short code" if config.type == "TEXT" else ""),
            detail="FromNumber")
    config.from_number = normalized


def _check_settings(config: BroadcastConfig, creating: bool) -> None:
    settings = config.settings
    if config.type == "TEXT" and "Message" in settings and not settings["Message"]:
        raise InvalidRequest("TextBroadcastConfig/Message must not be empty",
                             detail="Message")
    if config.type == "IVR":
        dialplan_xml = settings.get("DialplanXml")
        if dialplan_xml is None:
            if creating:
                raise InvalidRequest("IvrBroadcastConfig/DialplanXml is required",
                                     detail="DialplanXml")
        else:
            dialplan.check(dialplan_xml)
    if config.window is not None:
        begin, end = config.window.bounds()
        if end is not None and begin == end:
            raise InvalidRequest("LocalTimeZoneRestriction BeginTime and EndTime are equal: "
                                 "no time would be left to call in",
                                 detail="LocalTimeZoneRestriction")
    if config.retry is not None:
        retry = config.retry
        if not 1 <= retry.max_attempts <= MAX_ATTEMPTS:
            raise InvalidRequest("RetryConfig/MaxAttempts must be 1 to %d, got %d"
                                 % (MAX_ATTEMPTS, retry.max_attempts), detail="MaxAttempts")
        if retry.minutes_between < 0:
            raise InvalidRequest("RetryConfig/MinutesBetweenAttempts must not be negative",
                                 detail="MinutesBetweenAttempts")


def check_new(broadcast: Broadcast) -> None:
    """BAD_REQUEST unless ``broadcast`` could be created: a Type its config agrees
    with, a FromNumber, the settings its type needs."""
    config = broadcast.config
    if broadcast.type is not None and broadcast.type != config.type:
        raise InvalidRequest("Type %s contradicts the %s config" % (
            broadcast.type, config.type), detail="Type")
    _check_from_number(config)
    _check_settings(config, creating=True)


def _config_json(config: BroadcastConfig) -> str:
    value = asdict(config)
    value["settings"] = {k: v for k, v in config.settings.items() if v is not None}
    if config.window is not None:
        value["window"] = {k: None if v is None else v.isoformat()
                           for k, v in value["window"].items()}
    return json.dumps(value)


def _config_from_json(text: str) -> BroadcastConfig:
    value = json.loads(text)
    window = value.pop("window")
    retry = value.pop("retry")
    return BroadcastConfig(
        window=None if window is None else Window(
            **{k: None if v is None else time.fromisoformat(v) for k, v in window.items()}),
        retry=None if retry is None else Retry(**retry), **value)


def campaign_event(name: str, broadcast: Broadcast, instant: int) -> Event:
    """CAMPAIGN_STARTED, _STOPPED or _FINISHED of ``broadcast`` at ``instant``."""
    return Event(name, instant, "broadcast", broadcast.id, broadcast_id=broadcast.id,
                 from_number=broadcast.from_number)


class Broadcasts(Records[Broadcast]):
    table, kind = "broadcasts", "Broadcast"
    select = "id, name, type, status, config, max_active, created, last_modified, config_id"

    def __init__(self, db, account_id: int, notify: Callable[[Event], None] = lambda e: None):
        super().__init__(db, account_id)
        self.notify = notify  # raises the CAMPAIGN_STOPPED of a STOP

    def record(self, row: dict) -> Broadcast:
        return Broadcast(**dict(row, config=_config_from_json(row["config"])))

    # -- reading ----------------------------------------------------------

    def query(self, types: Iterable[str] | None = None, running: bool | None = None,
              label: str | None = None, first: int | None = None,
              limit: int | None = None) -> Page[Broadcast]:
        """Broadcasts of the given types, running or not, with the label named, in
        id order.  A label name the account does not have matches none."""
        where, params = ["1"], []
        if types:
            where.append("type IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(types)))
        if running is not None:
            where.append("status %s IN ('START_PENDING', 'RUNNING')"
                         % ("" if running else "NOT"))
        if label is not None:
            where.append(labelled("id"))
            params += [self.account_id, label]
        return self.page(" AND ".join(where), params, first, limit)

    def require(self, broadcast_id: int, changing: bool = False) -> Broadcast:
        """The broadcast, which must not be ARCHIVED if it is about to change."""
        broadcast = self.get(broadcast_id)
        if changing and broadcast.status == "ARCHIVED":
            raise InvalidRequest("Broadcast %d is ARCHIVED and cannot change" % broadcast_id,
                                 detail="id=%d" % broadcast_id)
        return broadcast

    def default(self, kind: str) -> int | None:
        """The account's default broadcast of this kind, unless it was archived."""
        row = self.db.execute(
            "SELECT d.broadcast_id FROM default_broadcasts d JOIN broadcasts b "
            "ON b.id = d.broadcast_id WHERE d.account_id = ? AND d.type = ? "
            "AND b.status != 'ARCHIVED'", [self.account_id, kind]).fetchone()
        return None if row is None else row[0]

    # -- writing ----------------------------------------------------------

    def set_default(self, kind: str, broadcast_id: int) -> None:
        self.db["default_broadcasts"].upsert(
            {"account_id": self.account_id, "type": kind, "broadcast_id": broadcast_id},
            pk=("account_id", "type"))

    def create(self, broadcast: Broadcast, now: int) -> int:
        check_new(broadcast)
        config = broadcast.config
        first = ids.take(self.db, 2)
        return self.db["broadcasts"].insert({
            "id": first, "config_id": first + 1, "account_id": self.account_id,
            "name": broadcast.name or DEFAULT_NAME,
            "type": config.type, "status": "STOPPED", "config": _config_json(config),
            "max_active": DEFAULT_MAX_ACTIVE, "created": now, "last_modified": now,
            "sim_until": now}).last_pk

    def update(self, changes: Broadcast, now: int) -> None:
        """Change what ``changes`` gives: Name, and the config's fields; a
        LocalTimeZoneRestriction or RetryConfig given replaces the one stored."""
        current = self.require(changes.id, changing=True)
        given = changes.config
        if changes.type is not None and changes.type != current.type:
            raise InvalidRequest("Type %s contradicts the broadcast's type %s" % (
                changes.type, current.type), detail="Type")
        if given is not None and given.type != current.type:
            raise InvalidRequest("the broadcast's Type is %s: it cannot take a %s config" % (
                current.type, given.type), detail="Type")
        config = current.config
        if given is not None:
            _check_from_number(given)
            _check_settings(given, creating=False)
            config.from_number = given.from_number or config.from_number
            config.window = given.window or config.window
            config.retry = given.retry or config.retry
            config.settings.update(given.settings)
        self.db.execute("UPDATE broadcasts SET name = ?, config = ?, last_modified = ? "
                        "WHERE id = ?", [changes.name or current.name, _config_json(config),
                                         now, current.id])

    def control(self, broadcast_id: int, command: str | None, max_active: int | None,
                now: int) -> None:
        """START, STOP or ARCHIVE, and/or a new MaxActive."""
        broadcast = self.get(broadcast_id)
        if command is None and max_active is None:
            raise InvalidRequest("ControlBroadcast needs a Command or a MaxActive",
                                 detail="Command")
        if max_active is not None and max_active < 1:
            raise InvalidRequest("MaxActive must be at least 1, got %d" % max_active,
                                 detail="MaxActive")
        if command is not None:
            self.command(broadcast, command, now, by_request=True)
        if max_active is not None:
            self.db.execute("UPDATE broadcasts SET max_active = ? WHERE id = ?",
                            [max_active, broadcast_id])

    def command(self, broadcast: Broadcast, command: str, now: int,
                by_request: bool = False) -> bool:
        """Apply a command if the status allows it.  A request that asks for what
        the status forbids is BAD_REQUEST; a schedule's command is then a no-op."""
        if broadcast.status not in _ALLOWED[command]:
            if by_request:
                raise InvalidRequest("cannot %s broadcast %d: it is %s" % (
                    command, broadcast.id, broadcast.status), detail="Command")
            return False
        status = {"START": "START_PENDING", "STOP": "STOPPED", "ARCHIVE": "ARCHIVED"}[command]
        self.db.execute("UPDATE broadcasts SET status = ?, start_at = ?, last_modified = ? "
                        "WHERE id = ?", [status, now + START_DELAY if command == "START"
                                         else None, now, broadcast.id])
        broadcast.status = status
        if command == "STOP":
            self.notify(campaign_event("CAMPAIGN_STOPPED", broadcast, now))
        return True
