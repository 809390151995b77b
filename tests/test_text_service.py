"""TextService's SendText, QueryTexts and GetText, from zeep in both WSDL setups.

The simulation clock stands still (``--sim-speed 0``); tests move it with
``advance``, as in test_broadcast_service.py.
"""
from datetime import datetime, timedelta, timezone

import pytest

from conftest import bind
from test_broadcast_service import advance, bad_request, batch, not_found, text_broadcast


@pytest.fixture
def texts(client, server):
    return bind(client, server, "Text")


def to(*numbers, **attributes):
    return [{"_value_1": n, **attributes} for n in numbers]


def send(texts, *numbers, message="Your appointment is tomorrow", **fields):
    return texts.SendText(ToNumber=to(*numbers), TextBroadcastConfig={"Message": message},
                          **fields)


def test_send_text_creates_a_started_text_broadcast_and_the_texts_end_sent(
        server, texts, broadcasts):
    broadcast_id = send(texts, "13105551212", "2135550111", "12")
    broadcast = broadcasts.GetBroadcast(Id=broadcast_id)
    assert (broadcast.Type, broadcast.Name, broadcast.Status) == ("TEXT", "API Send",
                                                                  "START_PENDING")
    (contact_batch,) = broadcasts.QueryContactBatches(BroadcastId=broadcast_id).ContactBatch
    assert (contact_batch.Name, contact_batch.Size) == ("API Send", 3)
    advance(server, 120)
    page = texts.QueryTexts(BroadcastId=broadcast_id)
    assert page.TotalResults == 3
    by_number = {t.ToNumber._value_1: t for t in page.Text}
    assert set(by_number) == {"12", "13105551212", "12135550111"}
    sent = texts.GetText(Id=by_number["13105551212"].id)
    assert (sent.State, sent.FinalResult, sent.Message, sent.FromNumber, sent.BroadcastId,
            sent.BatchId, sent.Inbound) == ("FINISHED", "SENT", "Your appointment is tomorrow",
                                            "67076", broadcast_id, contact_batch.id, False)
    assert [r.Result for r in sent.TextRecord] == ["SENT"]
    assert by_number["12"].State == "INVALID" and not by_number["12"].TextRecord


def test_send_text_keeps_client_data_extra_attributes_name_and_from_number(server, texts):
    broadcast_id = texts.SendText(
        BroadcastName="Reminders", ToNumber=[{"_value_1": "13105551212", "ClientData": "appt-7",
                                              "_attr_1": {"firstName": "Ann"}}],
        TextBroadcastConfig={"FromNumber": "12135550100", "Message": "Hi Ann"})
    advance(server, 120)
    (text,) = texts.QueryTexts(BroadcastId=broadcast_id).Text
    assert (text.ToNumber.ClientData, text.ToNumber._attr_1, text.FromNumber) == (
        "appt-7", {"firstName": "Ann"}, "12135550100")


def test_send_text_adds_a_batch_to_the_callers_text_broadcast(server, texts, broadcasts):
    broadcast_id = text_broadcast(broadcasts, "Sale")
    assert send(texts, "13105551212", BroadcastId=broadcast_id) == broadcast_id
    assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "START_PENDING"
    assert send(texts, "13105551212", BroadcastId=broadcast_id,
                ScrubBroadcastDuplicates=True) == broadcast_id
    advance(server, 120)
    states = sorted(t.State for t in texts.QueryTexts(BroadcastId=broadcast_id).Text)
    assert states == ["DUP", "FINISHED"]
    ivr_id = broadcasts.CreateBroadcast(Broadcast={"IvrBroadcastConfig": {
        "DialplanXml": '<dialplan><play type="tts">Hi</play></dialplan>'}})
    assert "BroadcastId" in bad_request(send, texts, "13105551212", BroadcastId=ivr_id)
    not_found(send, texts, "13105551212", BroadcastId=10 ** 12)


def test_use_default_broadcast_sends_every_time_into_the_same_broadcast(texts, broadcasts):
    first = send(texts, "13105551212", UseDefaultBroadcast=True)
    assert send(texts, "13105551213", UseDefaultBroadcast=True) == first
    assert send(texts, "13105551214") != first
    # An archived default is replaced by a new one, not refused forever.
    broadcasts.ControlBroadcast(Id=first, Command="STOP")
    broadcasts.ControlBroadcast(Id=first, Command="ARCHIVE")
    second = send(texts, "13105551215", UseDefaultBroadcast=True)
    assert second != first
    assert send(texts, "13105551216", UseDefaultBroadcast=True) == second


def test_request_id_makes_send_text_idempotent(texts):
    first = send(texts, "13105551212", RequestId="urn:appt:1")
    assert send(texts, "13105551212", RequestId="urn:appt:1") == first
    assert texts.QueryTexts(BroadcastId=first).TotalResults == 1


@pytest.mark.parametrize("fields, field", [
    ({"TextBroadcastConfig": {"FromNumber": "1234", "Message": "hi"}}, "FromNumber"),
    ({"TextBroadcastConfig": {"Message": ""}}, "Message"),
    ({"Type": "VOICE", "TextBroadcastConfig": {"Message": "hi"}}, "Type"),
    ({"Type": "IVR", "TextBroadcastConfig": {"Message": "hi"}}, "Type"),
])
def test_invalid_send_text_is_bad_request_naming_the_field_and_writes_nothing(
        texts, broadcasts, fields, field):
    assert field in bad_request(texts.SendText, ToNumber=to("13105551212"), **fields)
    assert broadcasts.QueryBroadcasts().TotalResults == 0


def test_query_texts_filters_pages_and_sees_broadcast_service_texts(server, texts, broadcasts):
    sent = send(texts, "13105551212", "13105551213", "99")
    made = text_broadcast(broadcasts, "From BroadcastService", FromNumber="12135550100")
    batch_id = batch(broadcasts, made, ["13105551214"])
    broadcasts.ControlBroadcast(Id=made, Command="START")
    ivr_id = broadcasts.CreateBroadcast(Broadcast={"IvrBroadcastConfig": {
        "DialplanXml": '<dialplan><play type="tts">Hi</play></dialplan>'}})
    batch(broadcasts, ivr_id, ["13105551215"])
    broadcasts.ControlBroadcast(Id=ivr_id, Command="START")
    advance(server, 120)

    everything = texts.QueryTexts()
    assert everything.TotalResults == 4            # the IVR's call is no text
    ids = [t.id for t in everything.Text]
    assert ids == sorted(ids)
    page = texts.QueryTexts(FirstResult=1, MaxResults=2)
    assert (page.TotalResults, [t.id for t in page.Text]) == (4, ids[1:3])
    assert [t.ToNumber._value_1 for t in texts.QueryTexts(BatchId=batch_id).Text] == [
        "13105551214"]
    assert texts.QueryTexts(State=["INVALID"]).TotalResults == 1
    assert texts.QueryTexts(Result=["SENT"]).TotalResults == 3
    assert texts.QueryTexts(State=["FINISHED", "INVALID"]).TotalResults == 4
    assert texts.QueryTexts(FromNumber="12135550100").TotalResults == 1
    assert texts.QueryTexts(FromNumber="67076").TotalResults == 3
    assert texts.QueryTexts(ToNumber="13105551213").TotalResults == 1
    assert texts.QueryTexts(Inbound=True).TotalResults == 0
    assert texts.QueryTexts(Inbound=False).TotalResults == 4
    assert texts.QueryTexts(LabelName="vip").TotalResults == 0
    created = texts.GetText(Id=ids[0]).Created
    assert texts.QueryTexts(IntervalBegin=created + timedelta(seconds=1)).TotalResults == 0
    assert texts.QueryTexts(IntervalEnd=created + timedelta(seconds=1)).TotalResults == 4
    assert texts.QueryTexts(BroadcastId=sent, State=["FINISHED"]).TotalResults == 2


def test_query_texts_sees_the_simulation_up_to_now(server, texts):
    broadcast_id = send(texts, "13105551212")
    assert texts.QueryTexts(BroadcastId=broadcast_id).Text[0].State == "READY"
    advance(server, 120)
    assert texts.QueryTexts(BroadcastId=broadcast_id).Text[0].State == "FINISHED"


def test_get_text_is_not_found_for_unknown_ids_and_calls(server, texts, broadcasts):
    not_found(texts.GetText, Id=10 ** 12)
    ivr_id = broadcasts.CreateBroadcast(Broadcast={"IvrBroadcastConfig": {
        "DialplanXml": '<dialplan><play type="tts">Hi</play></dialplan>'}})
    batch(broadcasts, ivr_id, ["13105551215"])
    broadcasts.ControlBroadcast(Id=ivr_id, Command="START")
    advance(server, 120)
    (call,) = [row[0] for row in server.store.db().execute(
        "SELECT id FROM actions WHERE broadcast_id = ?", [ivr_id])]
    not_found(texts.GetText, Id=call)
