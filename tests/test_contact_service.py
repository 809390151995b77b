"""ContactService, all 11 operations, from zeep in both WSDL setups.

Requests are built as PHP integrations build them where zeep allows it:
nested dicts, attributes as plain keys, and list values as one
space-separated string (given to zeep as a one-item list, which puts the
same text on the wire as PHP's string).
"""
import base64

import pytest
from lxml import etree
from zeep.exceptions import Fault

from conftest import ENVELOPE, NS_DATA, NS_SVC, fault_code, post


def numbers_list(contacts, numbers, name="List", **source):
    return contacts.CreateContactList(
        Name=name, ContactSource={"Numbers": {"_value_1": [" ".join(numbers)], **source}})


def list_contacts(contacts, list_id):
    result = contacts.QueryContacts(ContactListId=list_id)
    return result.Contact


def test_create_list_from_numbers_scrubs_invalid_and_duplicates(contacts):
    list_id = numbers_list(contacts, ["13105551212", "2135551000", "999", "13105551212"])
    contact_list = contacts.GetContactList(Id=list_id)
    assert (contact_list.Name, contact_list.Size, contact_list.Status) == ("List", 2, "ACTIVE")
    assert contact_list.Created is not None
    assert sorted(c.homePhone for c in list_contacts(contacts, list_id)) == [
        "12135551000", "13105551212"]


def test_numbers_go_to_the_field_named_by_field_name(contacts):
    list_id = numbers_list(contacts, ["13105551212"], fieldName="mobilePhone")
    (contact,) = list_contacts(contacts, list_id)
    assert (contact.mobilePhone, contact.homePhone) == ("13105551212", None)


def test_validate_false_keeps_numbers_as_sent(contacts):
    list_id = contacts.CreateContactList(
        Name="raw", Validate=False, ContactSource={"Numbers": {"_value_1": ["999", "999"]}})
    assert [c.homePhone for c in list_contacts(contacts, list_id)] == ["999", "999"]


def test_import_merges_into_the_contact_that_has_the_number(contacts):
    first = numbers_list(contacts, ["13105551212"])
    (existing,) = list_contacts(contacts, first)
    second = contacts.CreateContactList(Name="again", ContactSource={"Contact": [
        {"homePhone": "13105551212", "firstName": "Ann", "_attr_1": {"tier": "gold"}}]})
    (merged,) = list_contacts(contacts, second)
    assert merged.id == existing.id
    assert (merged.firstName, merged._attr_1) == ("Ann", {"tier": "gold"})
    assert contacts.QueryContacts().TotalResults == 1


def test_contact_elements_keep_extra_attributes(contacts):
    list_id = contacts.CreateContactList(Name="people", ContactSource={"Contact": [
        {"firstName": "Ann", "homePhone": "13105551212", "_attr_1": {"color": "red"}},
        {"firstName": "Bob", "workPhone": "12135551000"}]})
    ann = contacts.QueryContacts(ContactListId=list_id, Field="firstName", String="ann")
    assert ann.TotalResults == 1
    assert contacts.GetContact(Id=ann.Contact[0].id)._attr_1 == {"color": "red"}
    found = contacts.QueryContacts(Field="color", String="RE")
    assert [c.firstName for c in found.Contact] == ["Ann"]


def test_csv_file_maps_header_and_keeps_unknown_columns(contacts):
    csv = ("FirstName,lastName,homePhone,Favorite Color\n"
           "Ann,Lee,13105551212,red\n"
           "Bob,Ray,not-a-number,blue\n"
           "Cy,Day,2135551000,green\n").encode()
    list_id = contacts.CreateContactList(Name="csv", ContactSource={"File": csv})
    people = {c.firstName: c for c in list_contacts(contacts, list_id)}
    assert sorted(people) == ["Ann", "Cy"]  # Bob's only number is invalid: scrubbed
    assert people["Ann"].lastName == "Lee"
    assert people["Ann"]._attr_1 == {"Favorite_Color": "red"}
    assert people["Cy"].homePhone == "12135551000"


def test_csv_without_header_is_a_column_of_numbers(contacts):
    list_id = contacts.CreateContactList(
        Name="plain", ContactSource={"File": b"13105551212\n12135551000\n"})
    assert contacts.GetContactList(Id=list_id).Size == 2


def test_add_contacts_by_id_and_remove_from_list(contacts):
    list_id = numbers_list(contacts, ["13105551212", "12135551000", "14155550100"])
    ids = [c.id for c in list_contacts(contacts, list_id)]
    target = contacts.CreateContactList(Name="target", ContactSource={"ContactId": [ids[0]]})
    contacts.AddContactsToList(ContactListId=target, ContactSource={"ContactId": ids[1:]})
    assert contacts.GetContactList(Id=target).Size == 3
    contacts.RemoveContactsFromList(ContactListId=target, ContactId=[ids[0]])
    contacts.RemoveContactsFromList(ContactListId=target, Numbers=["12135551000"])
    assert [c.id for c in list_contacts(contacts, target)] == [ids[2]]
    assert contacts.GetContact(Id=ids[0]).homePhone == "13105551212"  # still a contact


def test_add_contacts_by_unknown_id_is_not_found_and_adds_nothing(contacts):
    list_id = numbers_list(contacts, ["13105551212"])
    (known,) = list_contacts(contacts, list_id)
    other = numbers_list(contacts, ["12135551000"], name="other")
    with pytest.raises(Fault) as excinfo:
        contacts.AddContactsToList(ContactListId=other,
                                   ContactSource={"ContactId": [known.id, 987654321]})
    assert fault_code(excinfo) == "NOT_FOUND"
    assert "987654321" in excinfo.value.message
    assert contacts.GetContactList(Id=other).Size == 1


def test_update_contacts_is_partial(contacts):
    list_id = contacts.CreateContactList(Name="p", ContactSource={"Contact": [
        {"firstName": "Ann", "lastName": "Lee", "homePhone": "13105551212"}]})
    (ann,) = list_contacts(contacts, list_id)
    assert contacts.UpdateContacts(Contact=[
        {"id": ann.id, "lastName": "Ray", "_attr_1": {"note": "vip"}}]) is None
    updated = contacts.GetContact(Id=ann.id)
    assert (updated.firstName, updated.lastName, updated.homePhone) == (
        "Ann", "Ray", "13105551212")
    assert updated._attr_1 == {"note": "vip"}


def test_update_with_unknown_id_names_it_and_applies_nothing(contacts):
    list_id = numbers_list(contacts, ["13105551212"])
    (known,) = list_contacts(contacts, list_id)
    with pytest.raises(Fault) as excinfo:
        contacts.UpdateContacts(Contact=[{"id": known.id, "firstName": "Changed"},
                                         {"id": 424242424242, "firstName": "Nobody"}])
    assert fault_code(excinfo) == "NOT_FOUND"
    assert "424242424242" in excinfo.value.message
    assert contacts.GetContact(Id=known.id).firstName is None


def test_update_without_id_is_a_bad_request(contacts):
    with pytest.raises(Fault) as excinfo:
        contacts.UpdateContacts(Contact=[{"firstName": "Ann"}])
    assert fault_code(excinfo) == "BAD_REQUEST"


def test_remove_contacts_ignores_unknown_ids_and_leaves_lists(contacts):
    list_id = numbers_list(contacts, ["13105551212", "12135551000"])
    first, second = list_contacts(contacts, list_id)
    assert contacts.RemoveContacts(ContactId=["%d 99999999" % first.id]) is None
    assert [c.id for c in list_contacts(contacts, list_id)] == [second.id]
    assert contacts.GetContactList(Id=list_id).Size == 1
    with pytest.raises(Fault) as excinfo:
        contacts.GetContact(Id=first.id)
    assert fault_code(excinfo) == "NOT_FOUND"


def test_query_contacts_pages_in_a_stable_order(contacts):
    numbers = ["1310555%04d" % i for i in range(25)]
    list_id = numbers_list(contacts, numbers)
    everything = contacts.QueryContacts(ContactListId=list_id)
    assert everything.TotalResults == 25 and len(everything.Contact) == 25
    pages = [contacts.QueryContacts(ContactListId=list_id, MaxResults=10, FirstResult=start)
             for start in (0, 10, 20)]
    assert [p.TotalResults for p in pages] == [25, 25, 25]
    assert [len(p.Contact) for p in pages] == [10, 10, 5]
    paged_ids = [c.id for p in pages for c in p.Contact]
    assert paged_ids == [c.id for c in everything.Contact] == sorted(paged_ids)
    assert contacts.QueryContacts(String="1310555001").TotalResults == 10


def test_query_contacts_rejects_negative_paging(contacts):
    with pytest.raises(Fault) as excinfo:
        contacts.QueryContacts(FirstResult=-1)
    assert fault_code(excinfo) == "BAD_REQUEST"


def test_contact_lists_query_get_delete(contacts):
    ids = [numbers_list(contacts, ["13105551212"], name=n) for n in ("a", "b", "c")]
    result = contacts.QueryContactLists(MaxResults=2, FirstResult=1)
    assert result.TotalResults == 3
    assert [l.id for l in result.ContactList] == ids[1:]
    assert contacts.DeleteContactList(Id=ids[0]) is None
    for call in (lambda: contacts.GetContactList(Id=ids[0]),
                 lambda: contacts.DeleteContactList(Id=ids[0])):
        with pytest.raises(Fault) as excinfo:
            call()
        assert fault_code(excinfo) == "NOT_FOUND"
    assert contacts.QueryContacts().TotalResults == 1  # the contact outlives its list


def test_contact_history_is_empty_for_a_contact_no_broadcast_reached(contacts):
    list_id = numbers_list(contacts, ["13105551212"])
    (contact,) = list_contacts(contacts, list_id)
    assert contacts.GetContactHistory(ContactId=contact.id, MaxResults=10) == []
    with pytest.raises(Fault) as excinfo:
        contacts.GetContactHistory(ContactId=contact.id + 10_000)
    assert fault_code(excinfo) == "NOT_FOUND"


def test_request_id_makes_create_contact_list_idempotent(contacts):
    create = dict(RequestId="urn:uuid:0f7d1c4e-1", Name="once",
                  ContactSource={"Numbers": {"_value_1": ["13105551212"]}})
    first = contacts.CreateContactList(**create)
    assert contacts.CreateContactList(**create) == first
    assert contacts.QueryContactLists().TotalResults == 1


def test_documented_precedence_and_commas_in_raw_xml(server, account):
    """A hand-written request with two sources and comma-separated numbers, as the
    CallFire docs allow: the Contact elements win, the Numbers are ignored."""
    import requests
    body = """<?xml version="1.0"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
    xmlns:svc="http://api.callfire.com/service/xsd" xmlns:data="http://api.callfire.com/data">
  <env:Body><svc:CreateContactList><svc:Name>both</svc:Name><svc:ContactSource>
    <data:Contact firstName="Ann" homePhone="13105551212"/>
    <svc:Numbers>12135551000,14155550100</svc:Numbers>
  </svc:ContactSource></svc:CreateContactList></env:Body></env:Envelope>"""
    response = requests.post(server.endpoint("contact"), data=body.encode(),
                             auth=(account.login, account.password),
                             headers={"Content-Type": "application/soap+xml; charset=utf-8"})
    assert response.status_code == 200, response.text
    with server.store.session(account.id, write=False) as session:
        page = session.contacts.query()
    assert [c.fields.get("firstName") for c in page.items] == ["Ann"]
    body = body.replace("<data:Contact firstName=\"Ann\" homePhone=\"13105551212\"/>", "")
    response = requests.post(server.endpoint("contact"), data=body.encode(),
                             auth=(account.login, account.password),
                             headers={"Content-Type": "application/soap+xml"})
    assert response.status_code == 200, response.text
    with server.store.session(account.id, write=False) as session:
        assert session.contacts.query().total == 3


def test_base64_file_is_sent_as_php_sends_it(client, contacts):
    """zeep, like PHP, base64-encodes the raw bytes of File itself."""
    raw = "homePhone,firstName\n13105551212,Zoë\n".encode()
    list_id = contacts.CreateContactList(Name="b64", ContactSource={"File": raw})
    (contact,) = list_contacts(contacts, list_id)
    assert contact.firstName == "Zoë"
    # On the wire, once encoded, as PHP's SoapClient sends a string for base64Binary.
    envelope = client.create_message(contacts, "CreateContactList", Name="b64",
                                     ContactSource={"File": raw})
    (sent,) = envelope.iter("{http://api.callfire.com/service/xsd}File")
    assert base64.b64decode(sent.text) == raw


def test_an_empty_element_with_a_default_takes_the_default(server, account):
    """In XSD, <MaxResults/> present but empty is MaxResults' default, 1000, and an
    empty <FirstResult/> is 0: a page of 1,000 of the 1,001 contacts, from the first."""
    numbers = " ".join("1310555%04d" % i for i in range(1000, 2001))
    created = post(server, account, ENVELOPE % (
        "<svc:CreateContactList><svc:Name>1001</svc:Name><svc:ContactSource>"
        "<svc:Numbers>%s</svc:Numbers></svc:ContactSource></svc:CreateContactList>" % numbers))
    assert created.status_code == 200, created.text
    response = post(server, account, ENVELOPE % (
        "<svc:QueryContacts><svc:MaxResults></svc:MaxResults><svc:FirstResult/>"
        "</svc:QueryContacts>"))
    assert response.status_code == 200, response.text
    result = etree.fromstring(response.content)
    assert result.findtext(".//{%s}TotalResults" % NS_SVC) == "1001"
    phones = [c.get("homePhone") for c in result.iter("{%s}Contact" % NS_DATA)]
    assert phones == ["1310555%04d" % i for i in range(1000, 2000)]
