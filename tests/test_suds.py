"""suds (suds-community) as a third client, over the served WSDL, exactly as its
users build it (no plugin): a smoke run of every implemented operation.

suds writes SOAP 1.1 envelopes even for a SOAP 1.2 binding, and reads a fault
only from HTTP 500; the server answers SOAP 1.1 in SOAP 1.1 and every fault with
500, so suds works unchanged.  Two suds limits show here: it cannot send Numbers'
fieldName attribute, and it reads a reply element that has only attributes
(GetContact's data:Contact) as empty.
"""
import pytest
from suds import WebFault
from suds.client import Client
from suds.transport.http import HttpAuthenticated

from callfire_soap.domain import inbound
from test_caller_ids import verified_code

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"


def suds_client(server, account) -> Client:
    return Client(server.wsdl_url, cache=None, transport=HttpAuthenticated(
        username=account.login, password=account.password))


def test_suds_runs_every_contact_service_operation(server, account):
    client = suds_client(server, account)
    contacts = client.service["ContactServicePort"]
    # suds cannot marshal Numbers' fieldName attribute (simple content of a list
    # type); the text alone goes to the default field, homePhone.
    list_id = contacts.CreateContactList(Name="suds", ContactSource={
        "Numbers": "13105551212 2135551000"})
    assert contacts.GetContactList(Id=list_id).Size == 2

    found = contacts.QueryContacts(ContactListId=list_id)
    assert found.TotalResults == 2
    first, second = (c._id for c in found.Contact)
    assert found.Contact[1]._homePhone == "12135551000"

    assert contacts.UpdateContacts(Contact=[{"_id": first, "_firstName": "Ann"}]) is None
    # suds reads a reply element that has only attributes as empty; the
    # attributes are on the wire, and QueryContacts shows them to suds.
    contacts.GetContact(Id=first)
    assert client.last_received().getChild("Envelope").getChild("Body").getChild(
        "Contact").get("firstName") == "Ann"
    assert contacts.QueryContacts(Field="firstName", String="ann").Contact[0]._id == first
    history = contacts.GetContactHistory(ContactId=first)
    assert not hasattr(history, "Call") and not hasattr(history, "Text")

    other = contacts.CreateContactList(Name="ids", ContactSource={"ContactId": str(first)})
    assert contacts.AddContactsToList(ContactListId=other,
                                      ContactSource={"ContactId": str(second)}) is None
    assert contacts.QueryContactLists().TotalResults == 2
    assert contacts.RemoveContactsFromList(ContactListId=other, ContactId=str(first)) is None
    assert contacts.GetContactList(Id=other).Size == 1
    assert contacts.DeleteContactList(Id=other) is None
    assert contacts.RemoveContacts(ContactId=str(second)) is None
    assert contacts.QueryContacts().TotalResults == 1

    # suds reads faults only from HTTP 500 (the SOAP 1.1 rule): a NOT_FOUND is a
    # WebFault with CallFire's FaultCode in its detail.
    with pytest.raises(WebFault) as excinfo:
        contacts.GetContact(Id=second)
    fault = excinfo.value.fault
    assert fault.faultcode == "soap:Client"
    assert fault.detail.ServiceFaultInfo.FaultCode == "NOT_FOUND"
    assert str(second) in fault.detail.ServiceFaultInfo.Message


def test_suds_speaks_soap11_and_is_answered_in_soap11(server, account):
    client = suds_client(server, account)
    client.service["ContactServicePort"].QueryContactLists()
    assert SOAP11.encode() in client.last_sent().str().encode()
    assert client.last_received().getChild("Envelope").namespace()[1] == SOAP11


def test_suds_runs_every_broadcast_service_operation(server, account):
    client = suds_client(server, account)
    broadcasts = client.service["BroadcastServicePort"]
    broadcast_id = broadcasts.CreateBroadcast(Broadcast={
        "Name": "suds", "IvrBroadcastConfig": {"DialplanXml": "<dialplan/>"}})
    assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "STOPPED"
    assert broadcasts.UpdateBroadcast(Broadcast={
        "_id": broadcast_id, "Name": "suds 2",
        "IvrBroadcastConfig": {"DialplanXml": "<dialplan/>"}}) is None
    assert broadcasts.QueryBroadcasts(Type="IVR").Broadcast[0].Name == "suds 2"
    batch_id = broadcasts.CreateContactBatch(BroadcastId=broadcast_id,
                                             ToNumber=["13105550101", "13105550103"])
    assert broadcasts.GetContactBatch(Id=batch_id).Size == 2
    assert broadcasts.QueryContactBatches(BroadcastId=broadcast_id).TotalResults == 1
    assert broadcasts.ControlContactBatch(Id=batch_id, Name="renamed") is None
    schedule_id = broadcasts.CreateBroadcastSchedule(BroadcastId=broadcast_id, BroadcastSchedule={
        "StartTimeOfDay": "09:00:00", "StopTimeOfDay": "17:00:00",
        "TimeZone": "America/New_York", "DaysOfWeek": "MONDAY"})
    assert broadcasts.GetBroadcastSchedule(Id=schedule_id).TimeZone == "America/New_York"
    assert broadcasts.QueryBroadcastSchedule(BroadcastId=broadcast_id).TotalResults == 1
    assert broadcasts.DeleteBroadcastSchedule(Id=schedule_id) is None
    assert broadcasts.ControlBroadcast(Id=broadcast_id, Command="START", MaxActive=2) is None
    server.store.clock.advance(120)
    stats = broadcasts.GetBroadcastStats(Id=broadcast_id)
    assert (stats.UsageStats.Attempts, stats.ActionStatistics.Finished) == (2, 2)
    assert {s.Result for s in stats.ResultStat} == {"LA", "BUSY"}


def test_suds_runs_every_number_and_label_service_operation(server, account):
    client = suds_client(server, account)
    numbers = client.service["NumberServicePort"]
    labels = client.service["LabelServicePort"]
    assert numbers.QueryRegions(Region={"Prefix": "1212"}).Region[0].City == "New York"
    (found,) = numbers.SearchAvailableNumbers(Region={"State": "SD"}, Count=1).Number
    keyword = "SUDS%d" % account.id
    assert numbers.SearchAvailableKeywords(Keywords=keyword).Keyword[0].Keyword == keyword
    order_id = numbers.CreateNumberOrder(Numbers=found.Number, Keywords=keyword)
    server.store.clock.advance(60)
    order = numbers.GetNumberOrder(Id=order_id)
    assert (order.Status, order.LocalNumbers.Fulfilled) == ("FINISHED", found.Number)
    assert numbers.QueryNumbers(MaxResults=1, Region={}).Number[0].Status == "ACTIVE"
    assert numbers.ConfigureNumber(Number=found.Number, NumberConfiguration={
        "InboundCallConfiguration": {"IvrInboundConfig": {
            "DialplanXml": "<dialplan/>"}}}) is None
    number = numbers.GetNumber(Number=found.Number)
    assert (number.Status, number.NumberConfiguration.InboundCallConfigurationType) == (
        "ACTIVE", "IVR")
    assert numbers.QueryKeywords().Keyword[0].Keyword == keyword

    assert labels.LabelNumber(Number=found.Number, LabelName="suds") is None
    broadcast_id = client.service["BroadcastServicePort"].CreateBroadcast(Broadcast={
        "Name": "suds", "IvrBroadcastConfig": {"DialplanXml": "<dialplan/>"}})
    assert labels.LabelBroadcast(Id=broadcast_id, LabelName="suds") is None
    assert labels.QueryLabels().Label[0].Name == "suds"
    assert labels.UnlabelBroadcast(Id=broadcast_id, LabelName="suds") is None
    assert labels.UnlabelNumber(Number=found.Number, LabelName="suds") is None
    assert labels.DeleteLabel(LabelName="suds") is None
    assert labels.QueryLabels().TotalResults == 0
    assert numbers.Release(Number="67076", Keyword=keyword) is None
    assert numbers.Release(Number=found.Number) is None
    with pytest.raises(WebFault) as excinfo:
        numbers.GetNumber(Number=found.Number)
    info = excinfo.value.fault.detail.ServiceFaultInfo
    assert info.FaultCode == "NOT_FOUND" and "does not exist, or is inactive" in info.Message


def test_suds_runs_every_subscription_service_operation(server, account):
    subscriptions = suds_client(server, account).service["SubscriptionServicePort"]
    created = subscriptions.CreateSubscription(Subscription={
        "Endpoint": "http://www.example.com/somephpfile.php", "NotificationFormat": "JSON",
        "TriggerEvent": "OUTBOUND_TEXT_FINISHED", "SubscriptionFilter": {"FromNumber": "67076"}})
    got = subscriptions.GetSubscription(Id=created)  # suds drops the reply root's id
    assert (got.NotificationFormat, got.SubscriptionFilter.FromNumber) == ("JSON", "67076")
    assert subscriptions.UpdateSubscription(Subscription={
        "_id": created, "Enabled": False, "NotificationFormat": "JSON"}) is None
    (listed,) = subscriptions.QuerySubscriptions().Subscription
    assert (listed._id, listed.Enabled) == (created, False)
    assert subscriptions.DeleteSubscription(Id=created) is None
    assert subscriptions.QuerySubscriptions().TotalResults == 0
    with pytest.raises(WebFault) as excinfo:
        subscriptions.GetSubscription(Id=created)
    assert excinfo.value.fault.detail.ServiceFaultInfo.FaultCode == "NOT_FOUND"


def test_suds_runs_every_auto_reply_operation_and_reads_an_inbound_text(server, account):
    texts = suds_client(server, account).service["TextServicePort"]
    reply_id = texts.CreateAutoReply(RequestId="urn:suds:reply", AutoReply={
        "Number": "67076", "Match": "hours", "Message": "Open 9 to 5"})
    assert texts.CreateAutoReply(RequestId="urn:suds:reply", AutoReply={
        "Number": "67076", "Match": "hours", "Message": "Open 9 to 5"}) == reply_id
    got = texts.GetAutoReply(Id=reply_id)  # suds drops the reply element's own id
    assert (got.Number, got.Match, got.Message) == ("67076", "hours", "Open 9 to 5")
    assert texts.QueryAutoReplies().AutoReply[0]._id == reply_id
    assert texts.QueryAutoReplies(Number="67076").TotalResults == 1
    inbound.receive_text(server.store, "67076", "13105551212", "hours?", login=account.login)
    (received,) = texts.QueryTexts(Inbound=True).Text
    assert (received.Inbound, received.Message) == (True, "hours?")
    (answer,) = texts.QueryTexts(Inbound=False).Text
    assert (answer.Message, answer.FinalResult) == ("Open 9 to 5", "SENT")
    assert texts.DeleteAutoReply(Id=reply_id) is None
    with pytest.raises(WebFault) as excinfo:
        texts.GetAutoReply(Id=reply_id)
    assert excinfo.value.fault.detail.ServiceFaultInfo.FaultCode == "NOT_FOUND"


def _number(action) -> str:
    """A call's or text's ToNumber: suds reads one without attributes as a string."""
    return getattr(action.ToNumber, "value", action.ToNumber)


def test_suds_runs_every_text_service_operation(server, account):
    client = suds_client(server, account)
    texts = client.service["TextServicePort"]
    # A ToNumber with attributes is built by suds' factory (its text is ``value``);
    # a plain string is one without.
    to_number = client.factory.create("{http://api.callfire.com/data}ToNumber")
    to_number.value, to_number._ClientData = "13105551212", "appt-7"
    broadcast_id = texts.SendText(
        BroadcastName="suds", ToNumber=[to_number, "13105550105"],
        TextBroadcastConfig={"Message": "Your appointment is tomorrow"})
    assert texts.QueryTexts(BroadcastId=broadcast_id).Text[0].State == "READY"
    server.store.clock.advance(120)
    page = texts.QueryTexts(BroadcastId=broadcast_id)
    assert page.TotalResults == 2
    by_number = {_number(t): t for t in page.Text}
    sent = texts.GetText(Id=by_number["13105551212"]._id)
    assert (sent.State, sent.FinalResult, sent.Message, sent.ToNumber._ClientData) == (
        "FINISHED", "SENT", "Your appointment is tomorrow", "appt-7")
    assert sent.TextRecord[0].Result == "SENT"
    assert by_number["13105550105"].FinalResult == "CARRIER_ERROR"
    with pytest.raises(WebFault) as excinfo:
        texts.GetText(Id=broadcast_id)
    assert excinfo.value.fault.detail.ServiceFaultInfo.FaultCode == "NOT_FOUND"
    with pytest.raises(WebFault) as excinfo:
        texts.SendText(ToNumber=["13105551212"], Type="VOICE",
                       TextBroadcastConfig={"Message": "x"})
    assert excinfo.value.fault.detail.ServiceFaultInfo.FaultCode == "BAD_REQUEST"


def test_suds_runs_every_call_service_operation(server, account):
    client = suds_client(server, account)
    calls = client.service["CallServicePort"]
    broadcast_id = calls.SendCall(
        BroadcastName="suds", ToNumber=["13105550101", "13105550102"],
        VoiceBroadcastConfig={"LiveSoundText": "Hello", "MachineSoundText": "Call us"})
    server.store.clock.advance(600)
    page = calls.QueryCalls(BroadcastId=broadcast_id)
    assert page.TotalResults == 2
    results = {_number(c): c.FinalResult for c in page.Call}
    assert results == {"13105550101": "LA", "13105550102": "AM"}
    call = calls.GetCall(Id=page.Call[0]._id)
    assert (call.State, call.CallRecord[0].Duration) == ("FINISHED", 45)
    with pytest.raises(WebFault) as excinfo:
        calls.GetCall(Id=broadcast_id)
    assert excinfo.value.fault.detail.ServiceFaultInfo.FaultCode == "NOT_FOUND"


def test_suds_runs_the_caller_id_operations(server, account):
    """Reconstructed from the later API, they are in the served WSDL, which suds reads."""
    calls = suds_client(server, account).service["CallServicePort"]
    assert calls.SendVerificationCodeToCallerId(CallerId="13105551212") is None
    assert calls.VerifyCallerId(CallerId="13105551212", VerificationCode="x") is False
    assert calls.VerifyCallerId(CallerId="13105551212",
                                VerificationCode=verified_code(server, account)) is True
    ids = calls.GetCallerIds()
    assert (ids.TotalResults, ids.CallerId) == (1, ["13105551212"])
def test_suds_runs_every_sound_operation(server, account):
    """suds sends base64Binary as the text it is given and reads it back as text."""
    import base64
    import io

    import soundfile
    client = suds_client(server, account)
    calls = client.service["CallServicePort"]
    broadcasts = client.service["BroadcastServicePort"]
    tone = io.BytesIO()
    soundfile.write(tone, [0.0, 0.5, -0.5, 0.0] * 2000, 8000, format="WAV")
    sound_id = calls.CreateSound(Name="suds", Data=base64.b64encode(tone.getvalue()).decode())
    meta = calls.GetSoundMeta(Id=sound_id)
    assert (meta.Name, meta.Status, meta.LengthInSeconds) == ("suds", "ACTIVE", 1)
    assert calls.QuerySoundMeta().TotalResults == 1
    mp3 = base64.b64decode(calls.GetSoundData(Id=sound_id))
    assert soundfile.info(io.BytesIO(mp3)).format == "MP3"
    assert base64.b64decode(calls.GetSoundData(Id=sound_id, Format="WAV")) == tone.getvalue()
    broadcast_id = broadcasts.CreateBroadcast(Broadcast={"IvrBroadcastConfig": {
        "DialplanXml": '<dialplan><play type="callfireid">%d</play><record name="r"/>'
                       "</dialplan>" % sound_id}})
    broadcasts.CreateContactBatch(BroadcastId=broadcast_id, ToNumber=["13105551212"])
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START")
    server.store.clock.advance(120)
    contacts = client.service["ContactServicePort"]
    contact_id = contacts.QueryContacts().Contact[0]._id
    # one Call arrives as the element, the repeated CallRecord and RecordingMeta as lists
    call = contacts.GetContactHistory(ContactId=contact_id).Call
    (record,) = call.CallRecord
    (recording,) = record.RecordingMeta
    assert (recording.Name, recording.LengthInSeconds) == ("r", 10)
    wav = base64.b64decode(calls.GetRecordingData(RecordingId=recording._id, Format="WAV"))
    assert soundfile.info(io.BytesIO(wav)).duration == 10
    assert base64.b64decode(calls.GetRecordingData(CallId=call._id, Name="r", Format="WAV")) \
        == wav
    with pytest.raises(WebFault) as excinfo:
        calls.GetSoundMeta(Id=sound_id + 10 ** 9)
    assert excinfo.value.fault.detail.ServiceFaultInfo.FaultCode == "NOT_FOUND"
