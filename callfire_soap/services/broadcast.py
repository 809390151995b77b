"""BroadcastService: SOAP requests in, store calls, SOAP responses out."""
from __future__ import annotations

from datetime import datetime, time, timezone

from ..soap.application import simulated
from ..soap.models import data, svc
from ..store import Session
from ..store.actions import Action, BroadcastStats
from ..store.batches import ContactBatch, ToNumber
from ..store.broadcasts import Broadcast, BroadcastConfig, Retry, Window
from ..store.schedules import BroadcastSchedule

# Each type's config element, in the schema's order of the Broadcast choice.
CONFIG_ELEMENTS = {"VOICE": "VoiceBroadcastConfig", "TEXT": "TextBroadcastConfig",
                   "IVR": "IvrBroadcastConfig"}


def _own_fields(cls: type) -> list[str]:
    """A config element's fields beyond the BroadcastConfig base: its settings."""
    (base,) = cls.__bases__
    inherited = base.get_flat_type_info(base)
    return [name for name in cls.get_flat_type_info(cls) if name not in inherited]


SETTINGS = {kind: _own_fields(data(element)) for kind, element in CONFIG_ELEMENTS.items()}


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
        config = getattr(soap_broadcast, element)
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
    for group in type(config).choices:
        if given.keys() & set(group):
            given.update({name: None for name in group if name not in given})
    return given


def broadcast_from_soap(soap_broadcast) -> Broadcast:
    return Broadcast(id=soap_broadcast.id, name=soap_broadcast.Name, type=soap_broadcast.Type,
                     config=config_from_soap(soap_broadcast))


def broadcast_to_soap(broadcast: Broadcast):
    element = CONFIG_ELEMENTS[broadcast.type]
    config_cls = data(element)
    fields = config_cls.get_flat_type_info(config_cls)
    config = broadcast.config
    window, retry = config.window, config.retry
    soap_config = config_cls(
        id=broadcast.config_id, Created=moment(broadcast.created),
        FromNumber=config.from_number,
        LocalTimeZoneRestriction=None if window is None else fields[
            "LocalTimeZoneRestriction"](BeginTime=window.begin, EndTime=window.end),
        RetryConfig=None if retry is None else fields["RetryConfig"](
            MaxAttempts=retry.max_attempts, MinutesBetweenAttempts=retry.minutes_between,
            RetryResults=retry.results, RetryPhoneTypes=retry.phone_types or None),
        **config.settings)
    return data("Broadcast")(id=broadcast.id, Name=broadcast.name, Status=broadcast.status,
                             LastModified=moment(broadcast.last_modified), Type=broadcast.type,
                             **{element: soap_config})


def stats_to_soap(stats: BroadcastStats):
    cls = data("BroadcastStats")
    fields = cls.get_flat_type_info(cls)
    return cls(
        UsageStats=fields["UsageStats"](
            Duration=stats.duration, BilledDuration=stats.billed_duration,
            BilledAmount=stats.billed_amount, Attempts=stats.attempts, Actions=stats.actions),
        ResultStat=[fields["ResultStat"](Result=r.result, Attempts=r.attempts,
                                         Actions=r.actions) for r in stats.results],
        ActionStatistics=fields["ActionStatistics"](
            Unattempted=stats.unattempted, RetryWait=stats.retry_wait,
            Finished=stats.finished))


# -- batches and schedules ------------------------------------------------------

def to_numbers_from_soap(to_numbers) -> list[ToNumber] | None:
    if not to_numbers:
        return None
    return [ToNumber(t.value, t.ClientData, getattr(t, "any_attributes", {}))
            for t in to_numbers]


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
    cls = data("Call" if action.is_call else "Text")
    fields = cls.get_flat_type_info(cls)
    to_number = fields["ToNumber"](value=action.to_number,
                                   ClientData=action.to_attributes.get("ClientData"))
    to_number.any_attributes = {k: v for k, v in action.to_attributes.items()
                                if k != "ClientData"}
    record_cls = data("CallRecord" if action.is_call else "TextRecord")
    response_cls = record_cls.get_flat_type_info(record_cls)["QuestionResponse"]
    records = [record_cls(id=r.id, Result=r.result, FinishTime=moment(r.finish_time),
                          BilledAmount=r.billed_amount,
                          QuestionResponse=[response_cls(Question=q, Response=a)
                                            for q, a in r.responses] or None, **(
                              {"OriginateTime": moment(r.originate_time),
                               "AnswerTime": moment(r.answer_time), "Duration": r.duration}
                              if action.is_call else {"Message": r.message}))
               for r in action.records]
    return cls(id=action.id, FromNumber=action.from_number, ToNumber=to_number,
               State=action.state, BatchId=action.batch_id, BroadcastId=action.broadcast_id,
               ContactId=action.contact_id, Inbound=False, Created=moment(action.created),
               Modified=moment(action.modified), FinalResult=action.final_result,
               **({"CallRecord": records} if action.is_call
                  else {"Message": action.message, "TextRecord": records}))


class BroadcastService:
    def CreateBroadcast(self, session: Session, request) -> int:
        broadcast = broadcast_from_soap(request.Broadcast)
        return session.once("CreateBroadcast", request.RequestId,
                            lambda: session.broadcasts.create(broadcast, session.now))

    @simulated
    def QueryBroadcasts(self, session: Session, request):
        page = session.broadcasts.query(request.Type, request.Running, request.LabelName,
                                        request.FirstResult, request.MaxResults)
        return svc("BroadcastQueryResult")(TotalResults=page.total,
                                           Broadcast=[broadcast_to_soap(b) for b in page.items])

    @simulated
    def GetBroadcast(self, session: Session, request):
        return broadcast_to_soap(session.broadcasts.get(request.Id))

    def UpdateBroadcast(self, session: Session, request) -> None:
        changes = broadcast_from_soap(request.Broadcast)
        with session.changing(changes.id):
            session.broadcasts.update(changes, session.now)

    @simulated
    def GetBroadcastStats(self, session: Session, request):
        session.broadcasts.get(request.Id)
        return stats_to_soap(session.actions.stats(request.Id, instant(request.IntervalBegin),
                                                   instant(request.IntervalEnd)))

    def ControlBroadcast(self, session: Session, request) -> None:
        def control() -> int:
            with session.changing(request.Id):
                session.broadcasts.control(request.Id, request.Command, request.MaxActive,
                                           session.now)
            return request.Id

        session.once("ControlBroadcast", request.RequestId, control)

    def CreateContactBatch(self, session: Session, request) -> int:
        def create() -> int:
            with session.changing(request.BroadcastId):
                broadcast = session.broadcasts.require(request.BroadcastId, changing=True)
                batch_id = session.batches.create(
                    broadcast, request.Name, to_numbers_from_soap(request.ToNumber),
                    request.ContactListId, request.ScrubBroadcastDuplicates, session.now)
                if request.Start:
                    session.broadcasts.command(broadcast, "START", session.now)
            return batch_id

        return session.once("CreateContactBatch", request.RequestId, create)

    @simulated
    def QueryContactBatches(self, session: Session, request):
        session.broadcasts.get(request.BroadcastId)
        page = session.batches.query(request.BroadcastId, request.FirstResult,
                                     request.MaxResults)
        return svc("ContactBatchQueryResult")(
            TotalResults=page.total, ContactBatch=[batch_to_soap(b) for b in page.items])

    @simulated
    def GetContactBatch(self, session: Session, request):
        return batch_to_soap(session.batches.get(request.Id))

    def ControlContactBatch(self, session: Session, request) -> None:
        batch = session.batches.get(request.Id)
        with session.changing(batch.broadcast_id):
            session.batches.control(request.Id, request.Name, request.Enabled)

    def CreateBroadcastSchedule(self, session: Session, request) -> int:
        schedule = schedule_from_soap(request.BroadcastSchedule)

        def create() -> int:
            with session.changing(request.BroadcastId):
                session.broadcasts.require(request.BroadcastId, changing=True)
                return session.schedules.create(request.BroadcastId, schedule)

        return session.once("CreateBroadcastSchedule", request.RequestId, create)

    def QueryBroadcastSchedule(self, session: Session, request):
        session.broadcasts.get(request.BroadcastId)
        page = session.schedules.query(request.BroadcastId, request.FirstResult,
                                       request.MaxResults)
        return svc("BroadcastScheduleQueryResult")(
            TotalResults=page.total,
            BroadcastSchedule=[schedule_to_soap(s) for s in page.items])

    def GetBroadcastSchedule(self, session: Session, request):
        return schedule_to_soap(session.schedules.get(request.Id))

    def DeleteBroadcastSchedule(self, session: Session, request) -> None:
        schedule = session.schedules.get(request.Id)
        with session.changing(schedule.broadcast_id):
            session.schedules.delete(request.Id)
