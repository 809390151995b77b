"""Changes to a broadcast and to what belongs to it, on the simulation clock.

Every change goes through ``Session.changing``: the broadcast is simulated up to
now first, so the change happens at this instant, and again afterwards, so what
it sets off (a START, a new batch) starts now.
"""
from __future__ import annotations

from ..store import Session
from ..store.batches import ToNumber
from ..store import dialplan
from ..store.broadcasts import CALL_TYPES, Broadcast, BroadcastConfig, check_new
from ..store.errors import InvalidRequest
from ..store.schedules import BroadcastSchedule


# The config settings that name one of the account's sounds.
SOUND_ID_SETTINGS = ("LiveSoundId", "MachineSoundId", "TransferSoundId", "DncSoundId")


def check_sounds(session: Session, config: BroadcastConfig | None) -> None:
    """NOT_FOUND for a sound a config names (a ``...SoundId``, or a dialplan's
    ``play type="callfireid"``) that is not one of the account's."""
    if config is None:
        return
    settings = config.settings
    named = [settings[name] for name in SOUND_ID_SETTINGS if settings.get(name) is not None]
    if settings.get("DialplanXml"):
        dialplan.check(settings["DialplanXml"])
        named += dialplan.sound_ids(settings["DialplanXml"])
    session.sounds.require_all(named)


def create(session: Session, broadcast: Broadcast) -> int:
    """A new broadcast, STOPPED, created at this instant of the simulation clock."""
    check_new(broadcast)
    _check_caller_id(session, broadcast.config)
    check_sounds(session, broadcast.config)
    return session.broadcasts.create(broadcast, session.sim_now)


def update(session: Session, changes: Broadcast) -> None:
    with session.changing(changes.id):
        check_sounds(session, changes.config)
        session.broadcasts.update(changes, session.sim_now)
        if changes.config is not None and changes.config.from_number is not None:
            _check_caller_id(session, session.broadcasts.get(changes.id).config)


def _check_caller_id(session: Session, config: BroadcastConfig) -> None:
    """A call broadcast's FromNumber is a verified caller id, where the server says so."""
    if config.type in CALL_TYPES:
        session.caller_ids.check_from_number(config.from_number)


def control(session: Session, broadcast_id: int, command: str | None,
            max_active: int | None) -> None:
    with session.changing(broadcast_id):
        session.broadcasts.control(broadcast_id, command, max_active, session.sim_now)


def create_batch(session: Session, broadcast_id: int, name: str | None,
                 to_numbers: list[ToNumber] | None, list_id: int | None,
                 scrub_duplicates: bool, start: bool) -> int:
    """A new contact batch of the broadcast, and a START of the broadcast if asked."""
    with session.changing(broadcast_id):
        broadcast = session.broadcasts.require(broadcast_id, changing=True)
        batch_id = session.batches.create(broadcast, name, to_numbers, list_id,
                                          scrub_duplicates, session.sim_now)
        if start:
            session.broadcasts.command(broadcast, "START", session.sim_now)
    return batch_id


def send(session: Session, broadcast: Broadcast, to_numbers: list[ToNumber] | None,
         scrub_duplicates: bool, broadcast_id: int | None = None,
         use_default: bool = False) -> int:
    """SendText and SendCall: one batch of the numbers, started, in a new broadcast
    (``broadcast`` is its name, type and config), in the caller's broadcast
    ``broadcast_id`` of the same kind, or in the account's default broadcast of
    that kind (made once, from the first such request).  Answers the broadcast's id.
    The config given is checked in every case, and makes only a new broadcast."""
    kind = broadcast.config.type
    check_new(broadcast)
    check_sounds(session, broadcast.config)
    if kind == "TEXT" and not broadcast.config.settings.get("Message"):
        raise InvalidRequest("TextBroadcastConfig/Message is required", detail="Message")
    if not to_numbers:
        raise InvalidRequest("at least one ToNumber is required", detail="ToNumber")
    if broadcast_id is None and use_default:
        broadcast_id = session.broadcasts.default(kind)
    if broadcast_id is None:  # checked above but for its FromNumber, as create() checks
        _check_caller_id(session, broadcast.config)
        broadcast_id = session.broadcasts.create(broadcast, session.sim_now)
        if use_default:  # the first such send, or the last default was archived
            session.broadcasts.set_default(kind, broadcast_id)
    with session.changing(broadcast_id):
        target = session.broadcasts.require(broadcast_id, changing=True)
        if target.type != kind:
            raise InvalidRequest("BroadcastId %d is a %s broadcast, not %s" % (
                broadcast_id, target.type, kind), detail="BroadcastId")
        session.batches.create(target, broadcast.name, to_numbers, None, scrub_duplicates,
                               session.sim_now)
        session.broadcasts.command(target, "START", session.sim_now)
    return broadcast_id


def control_batch(session: Session, batch_id: int, name: str | None,
                  enabled: bool | None) -> None:
    batch = session.batches.get(batch_id)
    with session.changing(batch.broadcast_id):
        session.batches.control(batch_id, name, enabled)


def create_schedule(session: Session, broadcast_id: int, schedule: BroadcastSchedule) -> int:
    with session.changing(broadcast_id):
        session.broadcasts.require(broadcast_id, changing=True)
        return session.schedules.create(broadcast_id, schedule)


def delete_schedule(session: Session, schedule_id: int) -> None:
    schedule = session.schedules.get(schedule_id)
    with session.changing(schedule.broadcast_id):
        session.schedules.delete(schedule_id)
