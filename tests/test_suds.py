"""suds (suds-community) as a third client, over the served WSDL: a smoke run of
every implemented operation.

suds writes SOAP 1.1 envelopes even for a SOAP 1.2 binding, and this server, like
a SOAP 1.2 service must, answers those with VersionMismatch.  suds users reach
SOAP 1.2 services with a message plugin and a header, as below.  Two suds limits
show here: it cannot send Numbers' fieldName attribute, and it reads a reply
element that has only attributes (GetContact's data:Contact) as empty.
"""
import pytest
from suds import WebFault
from suds.client import Client
from suds.plugin import MessagePlugin
from suds.transport.http import HttpAuthenticated

SOAP11 = b"http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = b"http://www.w3.org/2003/05/soap-envelope"


class Soap12Envelope(MessagePlugin):
    """Send suds' envelope in the SOAP 1.2 namespace."""

    def sending(self, context):
        context.envelope = context.envelope.replace(SOAP11, SOAP12)


def suds_client(server, account, soap12=True) -> Client:
    options = {}
    if soap12:
        options = dict(plugins=[Soap12Envelope()],
                       headers={"Content-Type": "application/soap+xml; charset=utf-8"})
    return Client(server.wsdl_url, cache=None, transport=HttpAuthenticated(
        username=account.login, password=account.password), **options)


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

    # suds reads faults only from HTTP 200 or 500 (the SOAP 1.1 rule); a SOAP 1.2
    # Sender fault comes with 400, which suds reports as a bare (400, reason).
    with pytest.raises(Exception) as excinfo:
        contacts.GetContact(Id=second)
    assert excinfo.value.args[0] == (400, "Bad Request")


def test_plain_suds_gets_version_mismatch(server, account):
    contacts = suds_client(server, account, soap12=False).service["ContactServicePort"]
    with pytest.raises(WebFault) as excinfo:
        contacts.QueryContactLists()
    assert excinfo.value.fault.Code.Value.endswith(":VersionMismatch")


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
