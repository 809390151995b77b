"""BroadcastService, all 14 operations, from zeep in both WSDL setups.

The server's simulation clock stands still (``--sim-speed 0``); tests move it
with ``advance`` and read the results, so nothing here waits on wall time.
"""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from zeep.exceptions import Fault

from callfire_soap.store.batches import ToNumber
from callfire_soap.store.broadcasts import Broadcast, BroadcastConfig
from callfire_soap.store.clock import DEFAULT_SPEED
from conftest import bind, fault_code, served_client, wav

DIALPLAN = ('<dialplan name="Root"><play type="tts">Hello from the API</play>'
            '<menu maxDigits="1" timeout="3500"><play type="tts">Press 1</play>'
            '<keypress pressed="1"><stash varname="choice">yes</stash></keypress></menu>'
            '</dialplan>')


def advance(server, seconds: int) -> None:
    server.store.clock.advance(seconds)


def ivr(broadcasts, name="IVR", **config) -> int:
    config.setdefault("FromNumber", "12135550100")
    config.setdefault("DialplanXml", DIALPLAN)
    return broadcasts.CreateBroadcast(Broadcast={"Name": name, "Type": "IVR",
                                                 "IvrBroadcastConfig": config})


def text_broadcast(broadcasts, message="Hello", **config) -> int:
    return broadcasts.CreateBroadcast(Broadcast={"Name": "Texts", "TextBroadcastConfig": {
        "FromNumber": "67076", "Message": message, **config}})


def batch(broadcasts, broadcast_id, numbers, **fields) -> int:
    return broadcasts.CreateContactBatch(BroadcastId=broadcast_id,
                                         ToNumber=[{"_value_1": n} for n in numbers], **fields)


def history(contacts, contact_id: int) -> list:
    """A contact's calls and texts: zeep gives each item of the choice as a dict."""
    return [item.get("Call") or item.get("Text")
            for item in contacts.GetContactHistory(ContactId=contact_id)]


def bad_request(call, *args, **kwargs) -> str:
    with pytest.raises(Fault) as excinfo:
        call(*args, **kwargs)
    assert fault_code(excinfo) == "BAD_REQUEST", excinfo.value.message
    return excinfo.value.message


def not_found(call, *args, **kwargs) -> None:
    with pytest.raises(Fault) as excinfo:
        call(*args, **kwargs)
    assert fault_code(excinfo) == "NOT_FOUND"


# -- broadcasts -----------------------------------------------------------------

@pytest.fixture
def sounds(client, server):
    """CallService, whose sounds the configs' sound ids name."""
    return bind(client, server, "Call")


def sound(sounds, frames: int = 8000) -> int:
    return sounds.CreateSound(Name="sound", Data=wav(frames))


def test_create_and_get_each_type_with_its_config(broadcasts, sounds):
    ivr_id = ivr(broadcasts, LocalTimeZoneRestriction={"BeginTime": time(9), "EndTime": time(17)},
                 RetryConfig={"MaxAttempts": 3, "MinutesBetweenAttempts": 15,
                              "RetryResults": ["BUSY NO_ANS"], "RetryPhoneTypes": ["MOBILE_PHONE"]})
    got = broadcasts.GetBroadcast(Id=ivr_id)
    assert (got.id, got.Name, got.Type, got.Status) == (ivr_id, "IVR", "IVR", "STOPPED")
    config = got.IvrBroadcastConfig
    assert (config.FromNumber, config.DialplanXml) == ("12135550100", DIALPLAN)
    assert (config.LocalTimeZoneRestriction.BeginTime,
            config.LocalTimeZoneRestriction.EndTime) == (time(9), time(17))
    retry = config.RetryConfig
    assert (retry.MaxAttempts, retry.MinutesBetweenAttempts, retry.RetryResults,
            retry.RetryPhoneTypes) == (3, 15, ["BUSY", "NO_ANS"], ["MOBILE_PHONE"])
    assert config.Created == got.LastModified

    voice_id = broadcasts.CreateBroadcast(Broadcast={"Name": "Voice", "VoiceBroadcastConfig": {
        "FromNumber": "2135550100", "AnsweringMachineConfig": "AM_AND_LIVE",
        "LiveSoundText": "Hi there", "LiveSoundTextVoice": "FEMALE1",
        "MachineSoundId": sound(sounds), "TransferDigit": "1", "TransferNumber": "13105550199", "MaxActiveTransfers": 2}})
    voice = broadcasts.GetBroadcast(Id=voice_id)
    assert voice.Type == "VOICE" and voice.IvrBroadcastConfig is None
    config = voice.VoiceBroadcastConfig
    assert (config.FromNumber, config.AnsweringMachineConfig, config.LiveSoundText,
            config.LiveSoundTextVoice, config.MachineSoundId, config.TransferDigit,
            config.TransferNumber, config.MaxActiveTransfers) == (
        "12135550100", "AM_AND_LIVE", "Hi there", "FEMALE1", sound(sounds), "1", "13105550199",
        2)

    text = broadcasts.GetBroadcast(Id=text_broadcast(broadcasts, "Sale today"))
    assert (text.Type, text.TextBroadcastConfig.FromNumber, text.TextBroadcastConfig.Message,
            text.TextBroadcastConfig.BigMessageStrategy) == (
        "TEXT", "67076", "Sale today", "SEND_MULTIPLE")


def test_update_with_one_alternative_of_a_choice_replaces_the_other(broadcasts, sounds):
    """LiveSoundText or LiveSoundId: the schema allows one, so the one given wins."""
    machine, live = sound(sounds), sound(sounds, 4000)
    voice_id = broadcasts.CreateBroadcast(Broadcast={"VoiceBroadcastConfig": {
        "LiveSoundText": "Hi there", "MachineSoundId": machine}})
    broadcasts.UpdateBroadcast(Broadcast={"id": voice_id, "VoiceBroadcastConfig": {
        "LiveSoundId": live}})
    config = broadcasts.GetBroadcast(Id=voice_id).VoiceBroadcastConfig
    assert (config.LiveSoundText, config.LiveSoundId, config.MachineSoundId) == (
        None, live, machine)


@pytest.mark.parametrize("broadcast, field", [
    ({"Type": "VOICE", "IvrBroadcastConfig": {"DialplanXml": DIALPLAN}}, "Type"),
    ({"Type": "IVR", "IvrBroadcastConfig": {"DialplanXml": "<dialplan><play>"}}, "DialplanXml"),
    ({"IvrBroadcastConfig": {}}, "DialplanXml"),
    ({"VoiceBroadcastConfig": {"FromNumber": "123"}}, "FromNumber"),
    ({"TextBroadcastConfig": {"FromNumber": "1234", "Message": "hi"}}, "FromNumber"),
    ({"TextBroadcastConfig": {"Message": ""}}, "Message"),
    ({"VoiceBroadcastConfig": {"LocalTimeZoneRestriction": {
        "BeginTime": time(9), "EndTime": time(9)}}}, "LocalTimeZoneRestriction"),
    ({"VoiceBroadcastConfig": {"RetryConfig": {"MaxAttempts": 0, "RetryResults": []}}},
     "MaxAttempts"),
])
def test_invalid_broadcast_is_bad_request_naming_the_field(broadcasts, broadcast, field):
    message = bad_request(broadcasts.CreateBroadcast, Broadcast={"Name": "bad", **broadcast})
    assert field in message
    assert broadcasts.QueryBroadcasts().TotalResults == 0


def test_update_changes_only_what_it_is_given(broadcasts):
    broadcast_id = ivr(broadcasts, RetryConfig={"MaxAttempts": 2, "RetryResults": ["BUSY"]})
    broadcasts.UpdateBroadcast(Broadcast={"id": broadcast_id, "IvrBroadcastConfig": {
        "FromNumber": "13105550100"}})
    got = broadcasts.GetBroadcast(Id=broadcast_id)
    assert (got.Name, got.IvrBroadcastConfig.FromNumber, got.IvrBroadcastConfig.DialplanXml,
            got.IvrBroadcastConfig.RetryConfig.MaxAttempts) == (
        "IVR", "13105550100", DIALPLAN, 2)
    broadcasts.UpdateBroadcast(Broadcast={"id": broadcast_id, "Name": "Renamed",
                                          "IvrBroadcastConfig": {"DialplanXml": "<dialplan/>"}})
    got = broadcasts.GetBroadcast(Id=broadcast_id)
    assert (got.Name, got.IvrBroadcastConfig.DialplanXml,
            got.IvrBroadcastConfig.FromNumber) == ("Renamed", "<dialplan/>", "13105550100")

    assert "Type" in bad_request(broadcasts.UpdateBroadcast, Broadcast={
        "id": broadcast_id, "TextBroadcastConfig": {"Message": "hi"}})
    assert "DialplanXml" in bad_request(broadcasts.UpdateBroadcast, Broadcast={
        "id": broadcast_id, "IvrBroadcastConfig": {"DialplanXml": "not <xml"}})
    assert "id" in bad_request(broadcasts.UpdateBroadcast, Broadcast={
        "IvrBroadcastConfig": {"DialplanXml": "<dialplan/>"}})
    not_found(broadcasts.UpdateBroadcast, Broadcast={
        "id": broadcast_id + 10_000, "IvrBroadcastConfig": {"DialplanXml": "<dialplan/>"}})
    assert broadcasts.GetBroadcast(Id=broadcast_id).IvrBroadcastConfig.DialplanXml == \
        "<dialplan/>"


def test_request_id_makes_creates_idempotent(broadcasts):
    request = {"Name": "Once", "IvrBroadcastConfig": {"DialplanXml": DIALPLAN}}
    first = broadcasts.CreateBroadcast(RequestId="urn:req:1", Broadcast=request)
    assert broadcasts.CreateBroadcast(RequestId="urn:req:1", Broadcast=request) == first
    assert broadcasts.QueryBroadcasts().TotalResults == 1
    batch_id = broadcasts.CreateContactBatch(RequestId="urn:req:1", BroadcastId=first,
                                             ToNumber=[{"_value_1": "13105551000"}])
    assert broadcasts.CreateContactBatch(RequestId="urn:req:1", BroadcastId=first,
                                         ToNumber=[{"_value_1": "13105551000"}]) == batch_id
    assert broadcasts.QueryContactBatches(BroadcastId=first).TotalResults == 1


def test_query_broadcasts_filters_and_pages(broadcasts):
    ids = [ivr(broadcasts, "a"), text_broadcast(broadcasts), ivr(broadcasts, "b")]
    broadcasts.ControlBroadcast(Id=ids[2], Command="START")
    result = broadcasts.QueryBroadcasts()
    assert result.TotalResults == 3 and [b.id for b in result.Broadcast] == ids
    assert [b.id for b in broadcasts.QueryBroadcasts(Type=["IVR"]).Broadcast] == [ids[0], ids[2]]
    assert [b.id for b in broadcasts.QueryBroadcasts(Type=["TEXT VOICE"]).Broadcast] == [ids[1]]
    assert [b.id for b in broadcasts.QueryBroadcasts(Running=True).Broadcast] == [ids[2]]
    assert [b.id for b in broadcasts.QueryBroadcasts(Running=False).Broadcast] == ids[:2]
    page = broadcasts.QueryBroadcasts(FirstResult=1, MaxResults=1)
    assert (page.TotalResults, [b.id for b in page.Broadcast]) == (3, [ids[1]])
    assert broadcasts.QueryBroadcasts(LabelName="anything").TotalResults == 0


def test_control_broadcast_state_machine(server, broadcasts):
    broadcast_id = ivr(broadcasts)
    batch(broadcasts, broadcast_id, ["13105551000"])

    def status():
        return broadcasts.GetBroadcast(Id=broadcast_id).Status

    for command in ("STOP",):
        assert "STOPPED" in bad_request(broadcasts.ControlBroadcast, Id=broadcast_id,
                                        Command=command)
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START", MaxActive=5)
    assert status() == "START_PENDING"
    bad_request(broadcasts.ControlBroadcast, Id=broadcast_id, Command="START")
    bad_request(broadcasts.ControlBroadcast, Id=broadcast_id, Command="ARCHIVE")
    advance(server, 1)
    assert status() == "RUNNING"
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="STOP")
    assert status() == "STOPPED"
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="ARCHIVE")
    assert status() == "ARCHIVED"
    for command in ("START", "STOP", "ARCHIVE"):
        bad_request(broadcasts.ControlBroadcast, Id=broadcast_id, Command=command)
    assert status() == "ARCHIVED"
    assert "MaxActive" in bad_request(broadcasts.ControlBroadcast, Id=ivr(broadcasts),
                                      MaxActive=0)
    bad_request(broadcasts.ControlBroadcast, Id=broadcast_id)
    not_found(broadcasts.ControlBroadcast, Id=broadcast_id + 10_000, Command="START")


# -- contact batches --------------------------------------------------------------

def test_batch_numbers_become_contacts_and_keep_client_data(server, broadcasts, contacts):
    existing = contacts.CreateContactList(Name="l", ContactSource={
        "Contact": [{"firstName": "Ann", "homePhone": "13105551000"}]})
    (ann,) = contacts.QueryContacts(ContactListId=existing).Contact
    broadcast_id = ivr(broadcasts)
    batch_id = broadcasts.CreateContactBatch(BroadcastId=broadcast_id, ToNumber=[
        {"_value_1": "13105551000", "ClientData": "crm-1"},
        {"_value_1": "3105551001", "ClientData": "crm-2", "_attr_1": {"region": "west"}}])
    got = broadcasts.GetContactBatch(Id=batch_id)
    assert (got.id, got.Name, got.Status, got.BroadcastId, got.Size, got.Remaining) == (
        batch_id, "API Contact Batch", "ACTIVE", broadcast_id, 2, 2)
    numbers = {c.homePhone: c for c in contacts.QueryContacts().Contact}
    assert set(numbers) == {"13105551000", "13105551001"}
    assert numbers["13105551000"].id == ann.id and numbers["13105551000"].firstName == "Ann"

    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START")
    advance(server, 120)
    (call,) = history(contacts, numbers["13105551001"].id)
    assert (call.ToNumber._value_1, call.ToNumber.ClientData, call.ToNumber._attr_1) == (
        "13105551001", "crm-2", {"region": "west"})
    assert broadcasts.GetContactBatch(Id=batch_id).Remaining == 0


def test_batch_from_a_contact_list_uses_retry_phone_types(server, broadcasts, contacts):
    list_id = contacts.CreateContactList(Name="people", ContactSource={"Contact": [
        {"firstName": "Ann", "homePhone": "13105551000", "mobilePhone": "13105551001"},
        {"firstName": "Bob", "workPhone": "13105551002"},
        {"firstName": "Nobody"}]})
    broadcast_id = ivr(broadcasts, RetryConfig={
        "MaxAttempts": 2, "MinutesBetweenAttempts": 5, "RetryResults": ["LA"],
        "RetryPhoneTypes": ["MOBILE_PHONE HOME_PHONE"]})
    batch_id = broadcasts.CreateContactBatch(BroadcastId=broadcast_id, Name="From list",
                                             ContactListId=list_id)
    assert (broadcasts.GetContactBatch(Id=batch_id).Name,
            broadcasts.GetContactBatch(Id=batch_id).Size) == ("From list", 2)
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START")
    advance(server, 3600)
    people = {c.firstName: c.id for c in contacts.QueryContacts(ContactListId=list_id).Contact}
    (ann,) = history(contacts, people["Ann"])
    assert ann.ToNumber._value_1 == "13105551000"  # the second attempt went home
    assert [r.Result for r in ann.CallRecord] == ["LA", "LA"]
    (bob,) = history(contacts, people["Bob"])
    assert (bob.State, bob.ToNumber._value_1) == ("INVALID", "13105551002")  # no mobile, no home
    not_found(broadcasts.CreateContactBatch, BroadcastId=broadcast_id, ContactListId=999_999)


def test_scrub_duplicates_and_disabled_batches(server, broadcasts, contacts):
    broadcast_id = ivr(broadcasts)
    first = batch(broadcasts, broadcast_id, ["13105551000", "13105551001"])
    second = batch(broadcasts, broadcast_id, ["13105551001", "13105551002", "13105551002"],
                   ScrubBroadcastDuplicates=True)
    broadcasts.ControlContactBatch(Id=first, Name="Paused", Enabled=False)
    assert broadcasts.GetContactBatch(Id=first).Name == "Paused"
    batches = broadcasts.QueryContactBatches(BroadcastId=broadcast_id)
    assert [b.id for b in batches.ContactBatch] == [first, second]
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START")
    advance(server, 600)
    stats = broadcasts.GetBroadcastStats(Id=broadcast_id)
    assert stats.UsageStats.Attempts == 1  # only 13105551002: the rest is a duplicate
    assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "FINISHED"
    assert (broadcasts.GetContactBatch(Id=first).Remaining,
            broadcasts.GetContactBatch(Id=second).Remaining) == (2, 0)
    bad_request(broadcasts.ControlContactBatch, Id=first)
    not_found(broadcasts.GetContactBatch, Id=second + 10_000)
    not_found(broadcasts.QueryContactBatches, BroadcastId=broadcast_id + 10_000)


# -- schedules ------------------------------------------------------------------

SCHEDULE = {"StartTimeOfDay": time(9), "StopTimeOfDay": time(17),
            "TimeZone": "America/New_York", "DaysOfWeek": ["MONDAY WEDNESDAY"]}


def test_schedules_create_query_get_delete(broadcasts):
    broadcast_id = ivr(broadcasts)
    schedule_id = broadcasts.CreateBroadcastSchedule(BroadcastId=broadcast_id, BroadcastSchedule={
        **SCHEDULE, "BeginDate": "2030-01-01", "EndDate": "2030-06-30"})
    got = broadcasts.GetBroadcastSchedule(Id=schedule_id)
    assert (got.id, got.StartTimeOfDay, got.StopTimeOfDay, got.TimeZone, str(got.BeginDate),
            str(got.EndDate), got.DaysOfWeek) == (
        schedule_id, time(9), time(17), "America/New_York", "2030-01-01", "2030-06-30",
        ["MONDAY", "WEDNESDAY"])
    result = broadcasts.QueryBroadcastSchedule(BroadcastId=broadcast_id)
    assert (result.TotalResults, [s.id for s in result.BroadcastSchedule]) == (1, [schedule_id])
    for bad, field in [({"TimeZone": "Mars/Olympus"}, "TimeZone"),
                       ({"TimeZone": "America"}, "TimeZone"),  # a directory of zones
                       ({"TimeZone": "a" * 300}, "TimeZone"),
                       ({"StopTimeOfDay": time(9)}, "StopTimeOfDay"),
                       ({"DaysOfWeek": []}, "DaysOfWeek"),
                       ({"BeginDate": "2030-02-01", "EndDate": "2030-01-01"}, "EndDate")]:
        assert field in bad_request(broadcasts.CreateBroadcastSchedule, BroadcastId=broadcast_id,
                                    BroadcastSchedule={**SCHEDULE, **bad})
    # the last day there is: accepted, and it never comes
    broadcasts.CreateBroadcastSchedule(BroadcastId=broadcast_id, BroadcastSchedule={
        **SCHEDULE, "StopTimeOfDay": time(8), "BeginDate": "9999-12-31",
        "DaysOfWeek": ["FRIDAY"]})
    broadcasts.DeleteBroadcastSchedule(Id=schedule_id)
    not_found(broadcasts.GetBroadcastSchedule, Id=schedule_id)
    not_found(broadcasts.DeleteBroadcastSchedule, Id=schedule_id)
    assert broadcasts.QueryBroadcastSchedule(BroadcastId=broadcast_id).TotalResults == 1
    not_found(broadcasts.CreateBroadcastSchedule, BroadcastId=broadcast_id + 10_000,
              BroadcastSchedule=SCHEDULE)


def test_a_schedule_starts_and_stops_the_broadcast_in_its_time_zone(server, broadcasts):
    zone = ZoneInfo("Asia/Tokyo")
    local = datetime.fromtimestamp(server.store.clock.now(), zone)
    start = (local + timedelta(hours=1)).replace(second=0, microsecond=0)
    stop = start + timedelta(hours=1)
    broadcast_id = ivr(broadcasts)
    batch(broadcasts, broadcast_id, ["1310555%04d" % i for i in range(1000, 1200)])
    broadcasts.ControlBroadcast(Id=broadcast_id, MaxActive=1)
    broadcasts.CreateBroadcastSchedule(BroadcastId=broadcast_id, BroadcastSchedule={
        "StartTimeOfDay": start.time(), "StopTimeOfDay": stop.time(), "TimeZone": "Asia/Tokyo",
        "DaysOfWeek": ["SUNDAY MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY"]})

    def status():
        return broadcasts.GetBroadcast(Id=broadcast_id).Status

    advance(server, int(start.timestamp()) - server.store.clock.now() - 1)
    assert status() == "STOPPED"
    advance(server, 2)
    assert status() == "RUNNING"
    advance(server, 3600)
    assert status() == "STOPPED"
    stats = broadcasts.GetBroadcastStats(Id=broadcast_id)
    # RUNNING one second after the start; one 50-second call at a time until the stop;
    # the call in progress at the stop ends as it would.
    assert stats.UsageStats.Attempts == len(range(1, 3600, 50))
    assert stats.ActionStatistics.Finished == len(range(1, 3600, 50))


# -- the simulator ----------------------------------------------------------------

def test_max_active_stop_and_start(server, broadcasts):
    broadcast_id = ivr(broadcasts)
    batch(broadcasts, broadcast_id, ["1310555%04d" % i for i in range(1000, 1010)])
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START", MaxActive=3)
    advance(server, 1)

    def actions():
        return broadcasts.GetBroadcastStats(Id=broadcast_id).ActionStatistics

    assert (actions().Unattempted, actions().Finished) == (7, 0)  # 3 in progress
    advance(server, 50)  # the first three calls (5 s ringing, 45 s talking) end
    assert (actions().Unattempted, actions().Finished) == (4, 3)
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="STOP")
    advance(server, 3600)  # the three begun at the stop end; nothing new starts
    assert (actions().Unattempted, actions().Finished) == (4, 6)
    assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "STOPPED"
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START")
    advance(server, 1 + 2 * 50)
    assert (actions().Unattempted, actions().Finished) == (0, 10)
    assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "FINISHED"


def test_text_broadcast_outcomes_and_long_messages(server, account, broadcasts, contacts):
    # Do Not Contact came later than the 2014 WSDL: set it through the served one.
    dnc = bind(served_client(server, account), server, "Contact")
    dnc.UpdateDncNumber(Number="13105550107", TextDnc=True, CallDnc=False)
    numbers = ["13105550105", "13105550106", "13105550107", "13105551000"]
    results = {}
    for strategy, message in [("SEND_MULTIPLE", "x" * 200), ("TRIM", "y" * 200),
                              ("DO_NOT_SEND", "z" * 200)]:
        broadcast_id = text_broadcast(broadcasts, message, BigMessageStrategy=strategy,
                                      RetryConfig={"MaxAttempts": 2, "MinutesBetweenAttempts": 1,
                                                   "RetryResults": ["CARRIER_TEMP_ERROR"]})
        batch(broadcasts, broadcast_id, numbers)
        broadcasts.ControlBroadcast(Id=broadcast_id, Command="START")
        advance(server, 120)
        assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "FINISHED"
        results[strategy] = broadcasts.GetBroadcastStats(Id=broadcast_id)
        texts = {}
        for contact in contacts.QueryContacts().Contact:
            for text in history(contacts, contact.id):
                if text.BroadcastId == broadcast_id:
                    texts[contact.homePhone] = text
        assert texts["13105550107"].State == "DNC"  # on Do Not Contact for texts
        results_by_number = {number: [r.Result for r in texts[number].TextRecord]
                             for number in numbers}
        if strategy == "DO_NOT_SEND":  # too long: never handed to the carrier
            assert results_by_number == {"13105550105": ["TOO_BIG"], "13105550106": ["TOO_BIG"],
                                         "13105550107": [], "13105551000": ["TOO_BIG"]}
        else:
            assert results_by_number == {
                "13105550105": ["CARRIER_ERROR"], "13105550106": ["CARRIER_TEMP_ERROR", "SENT"],
                "13105550107": [], "13105551000": ["SENT"]}
        sent = texts["13105551000"]
        assert (sent.FromNumber, sent.Message, sent.FinalResult) == (
            "67076", message, results_by_number["13105551000"][0])
        assert sent.TextRecord[0].Message == (message[:160] if strategy == "TRIM" else message)
    # two texts sent, in two 160-character parts each, or in one when trimmed
    assert results["SEND_MULTIPLE"].UsageStats.BilledAmount == pytest.approx(2 * 2 * 0.03)
    assert results["TRIM"].UsageStats.BilledAmount == pytest.approx(2 * 0.03)
    assert results["DO_NOT_SEND"].UsageStats.BilledAmount == 0


def test_default_speed_finishes_a_100_number_broadcast_in_seconds(server):
    """The issue's yardstick, measured on the simulation's own record: 100 numbers at
    MaxActive 10 take this many simulated seconds, so this many real ones at the
    default ``--sim-speed``."""
    store = server.store
    account_id = store.accounts.create("speed-%d" % store.clock.now(), "pw")
    with store.session(account_id, write=True) as session:
        broadcast_id = session.broadcasts.create(Broadcast(None, "speed", None, BroadcastConfig(
            "VOICE")), session.sim_now)
        with session.changing(broadcast_id):
            broadcast = session.broadcasts.get(broadcast_id)
            session.batches.create(broadcast, "b", [ToNumber("1310555%04d" % i)
                                                    for i in range(1000, 1100)], None, False,
                                   session.sim_now)
            session.broadcasts.control(broadcast_id, "START", 10, session.sim_now)
        started = session.sim_now
    advance(server, 24 * 3600)
    with store.session(account_id, write=False, simulated=True) as session:
        assert session.broadcasts.get(broadcast_id).status == "FINISHED"
        (finished,) = session.db.execute("SELECT max(finish_time) FROM action_records "
                                         "WHERE broadcast_id = ?", [broadcast_id]).fetchone()
    assert (finished - started) / DEFAULT_SPEED < 3



def test_start_with_the_batch_the_later_api_way(server, account):
    """``Start`` is in the served WSDL only (a later addition to CreateContactBatch)."""
    broadcasts = bind(served_client(server, account), server, "Broadcast")
    broadcast_id = ivr(broadcasts)
    batch(broadcasts, broadcast_id, ["13105551000"], Start=False)
    assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "STOPPED"
    batch(broadcasts, broadcast_id, ["13105551001"], Start=True)
    assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "START_PENDING"
    batch(broadcasts, broadcast_id, ["13105551002"], Start=True)  # running: nothing to do
    advance(server, 200)
    assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "FINISHED"
    assert broadcasts.GetBroadcastStats(Id=broadcast_id).UsageStats.Attempts == 3
