"""The leniencies real client stubs need (soap/leniency.py), and nothing more.

Repeated list elements as .NET's ``wsdl.exe`` proxies send them, and ``xsi:type``
on every value as Perl's SOAP::Lite sends it, over real HTTP; the list rule also
for every list element of the served XSD, on the models directly.
"""
import pytest
from lxml import etree
from spyne.model.complex import ComplexModelBase

from callfire_soap.soap import leniency
from callfire_soap.soap.models import PORTS, SCHEMA
from conftest import ENVELOPE, SOAP11, SOAP11_HEADERS, bind, post, sender, served_client

# Perl SOAP::Lite's envelope: SOAP 1.1, xsi and xsd declared on it.
PERL = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:svc="http://api.callfire.com/service/xsd" '
        'xmlns:data="http://api.callfire.com/data"><soap:Body>%s</soap:Body></soap:Envelope>')


def _list_with_contacts(server, account, numbers):
    contacts = bind(served_client(server, account), server, "Contact")
    list_id = contacts.CreateContactList(Name="l", ContactSource={"Numbers": {
        "_value_1": [" ".join(numbers)]}})
    return contacts, list_id, [c.id for c in contacts.QueryContacts(ContactListId=list_id).Contact]


def test_repeated_contact_ids_read_as_one_list(server, account):
    """A .NET proxy's ContactSource/ContactId is one long: several ids come repeated."""
    contacts, _, ids = _list_with_contacts(server, account, ["13105550001", "13105550002",
                                                             "13105550003"])
    body = ENVELOPE % ("<svc:CreateContactList><svc:Name>net</svc:Name><svc:ContactSource>%s"
                       "</svc:ContactSource></svc:CreateContactList>"
                       % "".join("<svc:ContactId>%d</svc:ContactId>" % i for i in ids))
    response = post(server, account, body)
    assert response.status_code == 200, response.text
    net_list = int(etree.fromstring(response.content).findtext(".//{*}CreatedId"))
    assert contacts.GetContactList(Id=net_list).Size == 3

    body = ENVELOPE % ("<svc:RemoveContactsFromList><svc:ContactListId>%d</svc:ContactListId>"
                       "<svc:ContactId>%d</svc:ContactId><svc:ContactId>%d</svc:ContactId>"
                       "</svc:RemoveContactsFromList>" % (net_list, ids[0], ids[2]))
    assert post(server, account, body).status_code == 200
    assert [c.id for c in contacts.QueryContacts(ContactListId=net_list).Contact] == [ids[1]]


def test_repeated_list_elements_keep_their_order(server, account):
    broadcasts = bind(served_client(server, account), server, "Broadcast")
    broadcast_id = broadcasts.CreateBroadcast(Broadcast={"TextBroadcastConfig": {
        "Message": "hi"}})
    body = ENVELOPE % (
        "<svc:CreateBroadcastSchedule><svc:BroadcastId>%d</svc:BroadcastId>"
        "<data:BroadcastSchedule><data:StartTimeOfDay>09:00:00</data:StartTimeOfDay>"
        "<data:StopTimeOfDay>17:00:00</data:StopTimeOfDay><data:TimeZone>America/Chicago"
        "</data:TimeZone><data:DaysOfWeek>FRIDAY</data:DaysOfWeek>"
        "<data:DaysOfWeek>MONDAY WEDNESDAY</data:DaysOfWeek></data:BroadcastSchedule>"
        "</svc:CreateBroadcastSchedule>" % broadcast_id)
    response = post(server, account, body, svc="broadcast")
    assert response.status_code == 200, response.text
    schedule_id = int(etree.fromstring(response.content).findtext(".//{*}CreatedId"))
    assert broadcasts.GetBroadcastSchedule(Id=schedule_id).DaysOfWeek == [
        "FRIDAY", "MONDAY", "WEDNESDAY"]


@pytest.mark.parametrize("request_body", [
    # an element that is not a list, repeated
    "<svc:CreateContactList><svc:Name>a</svc:Name><svc:Name>b</svc:Name><svc:ContactSource>"
    "<svc:Numbers>13105551212</svc:Numbers></svc:ContactSource></svc:CreateContactList>",
    # repeats of a list that are not next to each other
    "<svc:RemoveContactsFromList><svc:ContactListId>1</svc:ContactListId>"
    "<svc:ContactId>1</svc:ContactId><svc:Numbers>13105551212</svc:Numbers>"
    "<svc:ContactId>2</svc:ContactId></svc:RemoveContactsFromList>",
    # repeats that say different things
    "<svc:CreateContactList><svc:Name>a</svc:Name><svc:ContactSource>"
    "<svc:Numbers fieldName='workPhone'>13105551212</svc:Numbers>"
    "<svc:Numbers>12135551212</svc:Numbers></svc:ContactSource></svc:CreateContactList>",
    # a repeated list whose values break its type
    "<svc:RemoveContacts><svc:ContactId>1</svc:ContactId><svc:ContactId>x</svc:ContactId>"
    "</svc:RemoveContacts>",
])
def test_what_the_list_rule_does_not_cover_is_still_refused(server, account, request_body):
    assert sender(post(server, account, ENVELOPE % request_body))["fault_code"] == "BAD_REQUEST"


def _single_lists(cls, seen=None):
    """(parent model, child name) for every list element that occurs once, anywhere
    under ``cls``: read from the served XSD's models."""
    seen = set() if seen is None else seen
    if not issubclass(cls, ComplexModelBase) or cls in seen:
        return
    seen.add(cls)
    for name, member in cls.get_flat_type_info(cls).items():
        if leniency._is_list(member) and member.Attributes.max_occurs == 1:
            yield cls, name, member
        yield from _single_lists(member, seen)


REQUEST_LISTS = [found for port in PORTS for op in port.operations
                 for found in _single_lists(SCHEMA.element(op.input_element))]


def test_the_xsd_has_the_list_elements_clients_repeat():
    names = {"%s/%s" % (parent.get_type_name(), name) for parent, name, _ in REQUEST_LISTS}
    assert {"ContactSource/ContactId", "RemoveContactsFromList/ContactId",
            "ContactSource/Numbers", "QueryBroadcasts/Type"} <= names


@pytest.mark.parametrize("parent, name, member", REQUEST_LISTS, ids=[
    "%s/%s" % (parent.get_type_name(), name) for parent, name, _ in REQUEST_LISTS])
def test_every_list_element_repeated_reads_as_one(parent, name, member):
    ns = member.Attributes.sub_ns or parent.get_namespace()
    element = etree.Element("{%s}Parent" % parent.get_namespace())
    for text in ("a b", "c", "d,e"):
        etree.SubElement(element, "{%s}%s" % (ns, name)).text = text
    leniency._accept(element, parent, typed=False)
    (merged,) = element
    assert merged.text.split() == ["a", "b", "c", "d", "e"]


# -- comma separated ToNumber lists ----------------------------------------------

def _to_numbers(text: str, attributes: str = ' ClientData="appt-7" firstName="Ann"') -> str:
    return "<svc:ToNumber%s>%s</svc:ToNumber>" % (attributes, text)


COMMA_REQUESTS = {
    "SendText": ("text", "<svc:SendText>%s<data:TextBroadcastConfig><data:Message>hi"
                         "</data:Message></data:TextBroadcastConfig></svc:SendText>"),
    "SendCall": ("call", "<svc:SendCall>%s<data:VoiceBroadcastConfig><data:LiveSoundText>hi"
                         "</data:LiveSoundText></data:VoiceBroadcastConfig></svc:SendCall>"),
    "CreateContactBatch": ("broadcast", "<svc:CreateContactBatch><svc:BroadcastId>%%d"
                                        "</svc:BroadcastId>%s</svc:CreateContactBatch>"),
}


@pytest.mark.parametrize("operation", sorted(COMMA_REQUESTS))
def test_a_comma_separated_to_number_is_one_to_number_per_value(server, account, operation):
    svc, request = COMMA_REQUESTS[operation]
    client = served_client(server, account)
    broadcasts = bind(client, server, "Broadcast")
    numbers = _to_numbers("13105551212,3105551213 , 12135550100")
    if operation == "CreateContactBatch":
        request = request % numbers % broadcasts.CreateBroadcast(Broadcast={
            "TextBroadcastConfig": {"Message": "hi"}})
    else:
        request = request % numbers
    response = post(server, account, ENVELOPE % request, svc=svc)
    assert response.status_code == 200, response.text
    (broadcast,) = broadcasts.QueryBroadcasts().Broadcast
    kind = "Text" if broadcast.Type == "TEXT" else "Call"
    page = getattr(bind(client, server, kind), "Query%ss" % kind)(BroadcastId=broadcast.id)
    actions = getattr(page, kind)
    assert [a.ToNumber._value_1 for a in actions] == ["13105551212", "13105551213",
                                                      "12135550100"]
    assert {(a.ToNumber.ClientData, a.ToNumber._attr_1["firstName"]) for a in actions} == {
        ("appt-7", "Ann")}


@pytest.mark.parametrize("to_numbers", [
    _to_numbers("13105551212,"),                 # an empty value
    _to_numbers("13105551212,310-555-1213"),     # a value the pattern refuses
    _to_numbers("13105551212;13105551213"),      # not commas
])
def test_what_the_comma_rule_does_not_cover_is_still_refused(server, account, to_numbers):
    body = ENVELOPE % (COMMA_REQUESTS["SendText"][1] % to_numbers)
    assert sender(post(server, account, body, svc="text"))["fault_code"] == "BAD_REQUEST"


def _repeatable_patterned(cls, seen=None):
    """(parent model, child name, child) for every repeatable element of a patterned
    type under ``cls``, read from the served XSD's models."""
    seen = set() if seen is None else seen
    if not issubclass(cls, ComplexModelBase) or cls in seen:
        return
    seen.add(cls)
    for name, member in cls.get_flat_type_info(cls).items():
        if leniency._repeatable_pattern(member) is not None:
            yield cls, name, member
        yield from _repeatable_patterned(member, seen)


REQUEST_PATTERNED = {"%s/%s" % (parent.get_type_name(), name): (parent, name, member)
                     for port in PORTS for op in port.operations
                     for parent, name, member in _repeatable_patterned(
                         SCHEMA.element(op.input_element))}


def test_the_xsd_has_the_to_number_lists_clients_join_with_commas():
    assert {"SendText/ToNumber", "SendCall/ToNumber", "CreateContactBatch/ToNumber"} <= set(
        REQUEST_PATTERNED)


@pytest.mark.parametrize("where", sorted(REQUEST_PATTERNED))
def test_every_repeatable_patterned_element_splits_on_commas(where):
    parent, name, member = REQUEST_PATTERNED[where]
    ns = member.Attributes.sub_ns or parent.get_namespace()
    element = etree.Element("{%s}Parent" % parent.get_namespace())
    etree.SubElement(element, "{%s}%s" % (ns, name), a="1").text = "13105551212,13105551213"
    etree.SubElement(element, "{%s}%s" % (ns, name)).text = "12135550100"
    leniency._accept(element, parent, typed=False)
    assert [(child.text, dict(child.attrib)) for child in element] == [
        ("13105551212", {"a": "1"}), ("13105551213", {"a": "1"}), ("12135550100", {})]


# -- xsi:type ------------------------------------------------------------------

def test_perl_autotyped_values_are_read_by_their_declared_type(server, account):
    """xsd:string on an enumeration, xsd:long on a list of phone numbers, xsd:int on
    a long: what SOAP::Lite sends by default."""
    body = PERL % ('<svc:CreateContactList><svc:Name xsi:type="xsd:string">perl</svc:Name>'
                   '<svc:ContactSource><svc:Numbers xsi:type="xsd:long">13105551212'
                   '</svc:Numbers></svc:ContactSource></svc:CreateContactList>')
    response = post(server, account, body, headers=SOAP11_HEADERS)
    assert response.status_code == 200, response.text
    broadcasts = bind(served_client(server, account), server, "Broadcast")
    broadcast_id = broadcasts.CreateBroadcast(Broadcast={"TextBroadcastConfig": {
        "Message": "hi"}})
    body = PERL % ('<svc:ControlBroadcast><svc:Id xsi:type="xsd:int">%d</svc:Id>'
                   '<svc:Command xsi:type="xsd:string">START</svc:Command>'
                   '</svc:ControlBroadcast>' % broadcast_id)
    response = post(server, account, body, svc="broadcast", headers=SOAP11_HEADERS)
    assert response.status_code == 200, response.text
    assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "START_PENDING"


@pytest.mark.parametrize("request_body", [
    # the declared type still governs: not a long, not a command
    '<svc:GetContact><svc:Id xsi:type="xsd:string">abc</svc:Id></svc:GetContact>',
    '<svc:ControlBroadcast><svc:Id>1</svc:Id><svc:Command xsi:type="xsd:string">JUMP'
    '</svc:Command></svc:ControlBroadcast>',
    # a type that is no XSD built-in
    '<svc:GetContact><svc:Id xsi:type="data:Contact">1</svc:Id></svc:GetContact>',
    # a built-in on an element with element content
    '<svc:CreateContactList><svc:Name>n</svc:Name><svc:ContactSource xsi:type="xsd:string">'
    '<svc:Numbers>13105551212</svc:Numbers></svc:ContactSource></svc:CreateContactList>',
])
def test_xsi_type_loosens_nothing_else(server, account, request_body):
    svc = "broadcast" if "ControlBroadcast" in request_body else "contact"
    fault = sender(post(server, account, PERL % request_body, svc=svc, headers=SOAP11_HEADERS),
                   SOAP11)
    assert fault["fault_code"] == "BAD_REQUEST"
    assert "schema" in fault["reason"]
