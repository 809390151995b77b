"""BroadcastService: SOAP requests in, store calls, SOAP responses out."""
from __future__ import annotations

from datetime import datetime, time, timezone

from ..domain import broadcasts
from ..soap.models import data, svc
from ..soap.operations import read, write
from ..soap.records import TEXT, from_record, to_record
from ..soap.schema import choices, own_fields
from ..store import Session
from ..store.actions import Action, BroadcastStats
from ..store.batches import ContactBatch, ToNumber
from ..store.broadcasts import Broadcast, BroadcastConfig, Retry, Window
from ..store.schedules import BroadcastSchedule

# Each type's config element, in the schema's order of the Broadcast choice.
CONFIG_ELEMENTS = {"VOICE": "VoiceBroadcastConfig", "TEXT": "TextBroadcastConfig",
                   "IVR": "IvrBroadcastConfig"}


# A config element's fields beyond the BroadcastConfig base: its settings.
SETTINGS = {kind: own_fields(data(element)) for kind, element in CONFIG_ELEMENTS.items()}


def instant(value: datetime | None) -> int | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return int(value.timestamp())


def moment(epoch: int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, timezone.utc)


def local_time(value: time | None) -> time | None:
    """A time of day as sent, without the offset some clients add to it."""
    return None if value is None else value.replace(tzinfo=None)


# -- broadcasts ---------------------------------------------------------------

def config_from_soap(soap_broadcast) -> BroadcastConfig | None:
    for kind, element in CONFIG_ELEMENTS.items():
        config = getattr(soap_broadcast, element, None)  # SendText has one config only
        if config is None:
            continue
        window = config.LocalTimeZoneRestriction
        retry = config.RetryConfig
        return BroadcastConfig(
            type=kind, from_number=config.FromNumber,
            window=None if window is None else Window(local_time(window.BeginTime),
                                                      local_time(window.EndTime)),
            retry=None if retry is None else Retry(
                retry.MaxAttempts, retry.MinutesBetweenAttempts, retry.RetryResults or [],
                retry.RetryPhoneTypes or []),
            settings=_settings(config, kind))
    return None


def _settings(config, kind: str) -> dict[str, object]:
    """The settings a config element gives.  An alternative of an xs:choice
    (LiveSoundText or LiveSoundId) displaces the others: they come as None,
    so an update clears them."""
    given = {name: getattr(config, name) for name in SETTINGS[kind]
             if getattr(config, name) is not None}
    for group in choices(type(config)):
        if given.keys() & set(group):
            given.update({name: None for name in group if name not in given})
    return given


def broadcast_from_soap(soap_broadcast) -> Broadcast:
    return Broadcast(id=soap_broadcast.id, name=soap_broadcast.Name, type=soap_broadcast.Type,
                     config=config_from_soap(soap_broadcast))


def broadcast_to_soap(broadcast: Broadcast):
    config = broadcast.config
    window, retry = config.window, config.retry
    return from_record(data("Broadcast"), {
        "id": broadcast.id, "Name": broadcast.name, "Status": broadcast.status,
        "LastModified": moment(broadcast.last_modified), "Type": broadcast.type,
        CONFIG_ELEMENTS[broadcast.type]: {
            "id": broadcast.config_id, "Created": moment(broadcast.created),
            "FromNumber": config.from_number,
            "LocalTimeZoneRestriction": None if window is None else {
                "BeginTime": window.begin, "EndTime": window.end},
            "RetryConfig": None if retry is None else {
                "MaxAttempts": retry.max_attempts,
                "MinutesBetweenAttempts": retry.minutes_between,
                "RetryResults": retry.results, "RetryPhoneTypes": retry.phone_types or None},
            **config.settings}})


def stats_to_soap(stats: BroadcastStats):
    return from_record(data("BroadcastStats"), {
        "UsageStats": {"Duration": stats.duration, "BilledDuration": stats.billed_duration,
                       "BilledAmount": stats.billed_amount, "Attempts": stats.attempts,
                       "Actions": stats.actions},
        "ResultStat": [{"Result": r.result, "Attempts": r.attempts, "Actions": r.actions}
                       for r in stats.results],
        "ActionStatistics": {"Unattempted": stats.unattempted,
                             "RetryWait": stats.retry_wait, "Finished": stats.finished}})


# -- batches and schedules ------------------------------------------------------

def to_numbers_from_soap(to_numbers) -> list[ToNumber] | None:
    if not to_numbers:
        return None
    numbers = []
    for to_number in to_numbers:
        attributes = to_record(to_number)  # ClientData and the extra attributes alike
        numbers.append(ToNumber(attributes.pop(TEXT), attributes))
    return numbers


def batch_to_soap(batch: ContactBatch):
    return data("ContactBatch")(id=batch.id, Name=batch.name, Status=batch.status,
                                BroadcastId=batch.broadcast_id, Created=moment(batch.created),
                                Size=batch.size, Remaining=batch.remaining)


def schedule_from_soap(soap_schedule) -> BroadcastSchedule:
    return BroadcastSchedule(
        id=None, start_time=local_time(soap_schedule.StartTimeOfDay),
        stop_time=local_time(soap_schedule.StopTimeOfDay), time_zone=soap_schedule.TimeZone,
        days=soap_schedule.DaysOfWeek or [], begin_date=soap_schedule.BeginDate,
        end_date=soap_schedule.EndDate)


def schedule_to_soap(schedule: BroadcastSchedule):
    return data("BroadcastSchedule")(
        id=schedule.id, StartTimeOfDay=schedule.start_time, StopTimeOfDay=schedule.stop_time,
        TimeZone=schedule.time_zone, BeginDate=schedule.begin_date,
        EndDate=schedule.end_date, DaysOfWeek=schedule.days)


# -- calls and texts ------------------------------------------------------------

def action_to_soap(action: Action):
    """A data:Call or a data:Text, with its records."""
    records = [{"id": r.id, "Result": r.result, "FinishTime": moment(r.finish_time),
                "BilledAmount": r.billed_amount,
                "QuestionResponse": [{"Question": q, "Response": a}
                                     for q, a in r.responses] or None, **(
                    {"OriginateTime": moment(r.originate_time),
                     "AnswerTime": moment(r.answer_time), "Duration": r.duration}
                    if action.is_call else {"Message": r.message})}
               for r in action.records]
    return from_record(data("Call" if action.is_call else "Text"), {
        "id": action.id, "FromNumber": action.from_number,
        "ToNumber": {TEXT: action.to_number, **action.to_attributes},
        "State": action.state, "BatchId": action.batch_id,
        "BroadcastId": action.broadcast_id, "ContactId": action.contact_id, "Inbound": action.inbound,
        "Created": moment(action.created), "Modified": moment(action.modified),
        "FinalResult": action.final_result,
        **({"CallRecord": records} if action.is_call
           else {"Message": action.message, "TextRecord": records})})


def create_broadcast(session: Session, request) -> int:
    return broadcasts.create(session, broadcast_from_soap(request.Broadcast))


def query_broadcasts(session: Session, request):
    page = session.broadcasts.query(request.Type, request.Running, request.LabelName,
                                    request.FirstResult, request.MaxResults)
    return svc("BroadcastQueryResult")(TotalResults=page.total,
                                       Broadcast=[broadcast_to_soap(b) for b in page.items])


def get_broadcast(session: Session, request):
    return broadcast_to_soap(session.broadcasts.get(request.Id))


def update_broadcast(session: Session, request) -> None:
    broadcasts.update(session, broadcast_from_soap(request.Broadcast))


def get_broadcast_stats(session: Session, request):
    session.broadcasts.get(request.Id)
    return stats_to_soap(session.actions.stats(request.Id, instant(request.IntervalBegin),
                                               instant(request.IntervalEnd)))


def control_broadcast(session: Session, request) -> int:
    """Answers the broadcast's id, for the RequestId's record (the response is empty)."""
    broadcasts.control(session, request.Id, request.Command, request.MaxActive)
    return request.Id


def create_contact_batch(session: Session, request) -> int:
    return broadcasts.create_batch(
        session, request.BroadcastId, request.Name, to_numbers_from_soap(request.ToNumber),
        request.ContactListId, request.ScrubBroadcastDuplicates, request.Start)


def query_contact_batches(session: Session, request):
    session.broadcasts.get(request.BroadcastId)
    page = session.batches.query(request.BroadcastId, request.FirstResult,
                                 request.MaxResults)
    return svc("ContactBatchQueryResult")(
        TotalResults=page.total, ContactBatch=[batch_to_soap(b) for b in page.items])


def get_contact_batch(session: Session, request):
    return batch_to_soap(session.batches.get(request.Id))


def control_contact_batch(session: Session, request) -> None:
    broadcasts.control_batch(session, request.Id, request.Name, request.Enabled)


def create_broadcast_schedule(session: Session, request) -> int:
    return broadcasts.create_schedule(session, request.BroadcastId,
                                      schedule_from_soap(request.BroadcastSchedule))


def query_broadcast_schedule(session: Session, request):
    session.broadcasts.get(request.BroadcastId)
    page = session.schedules.query(request.BroadcastId, request.FirstResult,
                                   request.MaxResults)
    return svc("BroadcastScheduleQueryResult")(
        TotalResults=page.total,
        BroadcastSchedule=[schedule_to_soap(s) for s in page.items])


def get_broadcast_schedule(session: Session, request):
    return schedule_to_soap(session.schedules.get(request.Id))


def delete_broadcast_schedule(session: Session, request) -> None:
    broadcasts.delete_schedule(session, request.Id)


OPERATIONS = {
    "CreateBroadcast": write(create_broadcast, request_id=True),
    "QueryBroadcasts": read(query_broadcasts, simulated=True),
    "GetBroadcast": read(get_broadcast, simulated=True),
    "UpdateBroadcast": write(update_broadcast),
    "GetBroadcastStats": read(get_broadcast_stats, simulated=True),
    "ControlBroadcast": write(control_broadcast, request_id=True),
    "CreateContactBatch": write(create_contact_batch, request_id=True),
    "QueryContactBatches": read(query_contact_batches, simulated=True),
    "GetContactBatch": read(get_contact_batch, simulated=True),
    "ControlContactBatch": write(control_contact_batch),
    "CreateBroadcastSchedule": write(create_broadcast_schedule, request_id=True),
    "QueryBroadcastSchedule": read(query_broadcast_schedule),
    "GetBroadcastSchedule": read(get_broadcast_schedule),
    "DeleteBroadcastSchedule": write(delete_broadcast_schedule),
}
