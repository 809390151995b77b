"""CallService's SendCall, QueryCalls and GetCall, from zeep in both WSDL setups.

The simulation clock stands still (``--sim-speed 0``); tests move it with
``advance``, as in test_broadcast_service.py.
"""
from datetime import timedelta

import pytest

from conftest import bind
from test_broadcast_service import (DIALPLAN, advance, bad_request, batch, history, ivr,
                                    not_found, text_broadcast)
from test_text_service import send as send_text
from test_text_service import to

VOICE = {"LiveSoundText": "Your appointment is tomorrow at ten",
         "MachineSoundText": "Please call us back"}


@pytest.fixture
def calls(client, server):
    return bind(client, server, "Call")


@pytest.fixture
def texts(client, server):
    return bind(client, server, "Text")


def send(calls, *numbers, **fields):
    if "IvrBroadcastConfig" not in fields:
        fields.setdefault("VoiceBroadcastConfig", VOICE)
    return calls.SendCall(ToNumber=to(*numbers), **fields)


def test_send_call_creates_a_started_voice_broadcast_and_the_calls_end_as_the_table_says(
        server, calls, broadcasts):
    broadcast_id = send(calls, "13105550101", "13105550102", "3105550103", "12")
    broadcast = broadcasts.GetBroadcast(Id=broadcast_id)
    assert (broadcast.Type, broadcast.Name, broadcast.Status) == ("VOICE", "API Send",
                                                                  "START_PENDING")
    assert broadcast.VoiceBroadcastConfig.LiveSoundText == VOICE["LiveSoundText"]
    (contact_batch,) = broadcasts.QueryContactBatches(BroadcastId=broadcast_id).ContactBatch
    assert (contact_batch.Name, contact_batch.Size) == ("API Send", 4)
    advance(server, 600)
    page = calls.QueryCalls(BroadcastId=broadcast_id)
    assert page.TotalResults == 4
    by_number = {c.ToNumber._value_1: c for c in page.Call}
    assert {n: c.FinalResult for n, c in by_number.items()} == {
        "13105550101": "LA", "13105550102": "AM", "13105550103": "BUSY", "12": None}
    answered = calls.GetCall(Id=by_number["13105550101"].id)
    assert (answered.State, answered.FromNumber, answered.BroadcastId, answered.BatchId,
            answered.Inbound) == ("FINISHED", "18005550100", broadcast_id, contact_batch.id,
                                  False)
    (record,) = answered.CallRecord
    assert (record.Result, record.Duration, record.BilledAmount) == ("LA", 45, 0.05)
    assert record.AnswerTime - record.OriginateTime == timedelta(seconds=5)
    assert by_number["12"].State == "INVALID" and not by_number["12"].CallRecord


def test_send_call_with_an_ivr_config_runs_its_dialplan(server, calls, broadcasts):
    broadcast_id = send(calls, "13105551212", BroadcastName="Survey",
                        IvrBroadcastConfig={"FromNumber": "2135550100",
                                            "DialplanXml": DIALPLAN})
    assert broadcasts.GetBroadcast(Id=broadcast_id).Type == "IVR"
    advance(server, 120)
    (call,) = calls.QueryCalls(BroadcastId=broadcast_id).Call
    assert call.FromNumber == "12135550100"
    responses = calls.GetCall(Id=call.id).CallRecord[0].QuestionResponse
    assert [(r.Question, r.Response) for r in responses] == [("choice", "yes")]


def test_send_call_keeps_client_data_and_extra_attributes(server, calls, contacts):
    broadcast_id = calls.SendCall(
        ToNumber=[{"_value_1": "13105551212", "ClientData": "appt-7",
                   "_attr_1": {"firstName": "Ann"}}], VoiceBroadcastConfig=VOICE)
    advance(server, 120)
    (call,) = calls.QueryCalls(BroadcastId=broadcast_id).Call
    assert (call.ToNumber.ClientData, call.ToNumber._attr_1) == ("appt-7", {"firstName": "Ann"})
    # GetContactHistory shows the call, with its record.
    (item,) = history(contacts, call.ContactId)
    assert (item.id, item.FinalResult, item.CallRecord[0].Result) == (call.id, "LA", "LA")


def test_request_id_makes_send_call_idempotent(calls):
    first = send(calls, "13105551212", RequestId="urn:call:1")
    assert send(calls, "13105551212", RequestId="urn:call:1") == first
    assert calls.QueryCalls(BroadcastId=first).TotalResults == 1


def test_scrub_broadcast_duplicates_within_one_send_call(server, calls):
    broadcast_id = send(calls, "13105551212", "3105551212", ScrubBroadcastDuplicates=True)
    advance(server, 120)
    assert sorted(c.State for c in calls.QueryCalls(BroadcastId=broadcast_id).Call) == [
        "DUP", "FINISHED"]


@pytest.mark.parametrize("fields, field", [
    ({"VoiceBroadcastConfig": {"FromNumber": "67076", **VOICE}}, "FromNumber"),
    ({"Type": "TEXT", "VoiceBroadcastConfig": VOICE}, "Type"),
    ({"Type": "IVR", "VoiceBroadcastConfig": VOICE}, "Type"),
    ({"Type": "VOICE", "IvrBroadcastConfig": {"DialplanXml": DIALPLAN}}, "Type"),
    ({"IvrBroadcastConfig": {"DialplanXml": "<dialplan>"}}, "DialplanXml"),
])
def test_invalid_send_call_is_bad_request_naming_the_field_and_writes_nothing(
        calls, broadcasts, fields, field):
    assert field in bad_request(calls.SendCall, ToNumber=to("13105551212"), **fields)
    assert broadcasts.QueryBroadcasts().TotalResults == 0


def test_query_calls_filters_pages_and_sees_broadcast_service_calls(
        server, calls, broadcasts, texts):
    sent = send(calls, "13105550101", "13105550103", "99")
    made = ivr(broadcasts, "From BroadcastService")
    batch_id = batch(broadcasts, made, ["13105550104"])
    broadcasts.ControlBroadcast(Id=made, Command="START")
    text_id = text_broadcast(broadcasts)
    batch(broadcasts, text_id, ["13105551215"])
    broadcasts.ControlBroadcast(Id=text_id, Command="START")
    send_text(texts, "13105551216")
    advance(server, 600)

    everything = calls.QueryCalls()
    assert everything.TotalResults == 4            # the texts are no calls
    ids = [c.id for c in everything.Call]
    assert ids == sorted(ids)
    page = calls.QueryCalls(FirstResult=1, MaxResults=2)
    assert (page.TotalResults, [c.id for c in page.Call]) == (4, ids[1:3])
    assert [c.ToNumber._value_1 for c in calls.QueryCalls(BatchId=batch_id).Call] == [
        "13105550104"]
    assert calls.QueryCalls(State=["INVALID"]).TotalResults == 1
    assert calls.QueryCalls(Result=["LA"]).TotalResults == 1
    assert calls.QueryCalls(Result=["BUSY NO_ANS"]).TotalResults == 2
    assert calls.QueryCalls(State=["FINISHED", "INVALID"]).TotalResults == 4
    assert calls.QueryCalls(FromNumber="12135550100").TotalResults == 1
    assert calls.QueryCalls(FromNumber="18005550100").TotalResults == 3
    assert calls.QueryCalls(ToNumber="13105550103").TotalResults == 1
    assert calls.QueryCalls(Inbound=True).TotalResults == 0
    assert calls.QueryCalls(Inbound=False).TotalResults == 4
    assert calls.QueryCalls(LabelName="vip").TotalResults == 0
    created = calls.GetCall(Id=ids[0]).Created
    assert calls.QueryCalls(IntervalBegin=created + timedelta(seconds=1)).TotalResults == 0
    assert calls.QueryCalls(IntervalEnd=created + timedelta(seconds=1)).TotalResults == 4
    assert calls.QueryCalls(BroadcastId=sent, State=["FINISHED"]).TotalResults == 2


def test_query_calls_sees_the_simulation_up_to_now(server, calls):
    broadcast_id = send(calls, "13105551212")
    assert calls.QueryCalls(BroadcastId=broadcast_id).Call[0].State == "READY"
    advance(server, 120)
    assert calls.QueryCalls(BroadcastId=broadcast_id).Call[0].State == "FINISHED"


def test_get_call_is_not_found_for_unknown_ids_and_texts(server, calls, texts):
    not_found(calls.GetCall, Id=10 ** 12)
    broadcast_id = send_text(texts, "13105551215")
    (text,) = texts.QueryTexts(BroadcastId=broadcast_id).Text
    not_found(calls.GetCall, Id=text.id)
    not_found(calls.GetCall, Id=broadcast_id)
