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
