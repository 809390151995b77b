"""ContactService: SOAP requests in, store calls, SOAP responses out."""
from __future__ import annotations

from ..soap.codec import split_list
from ..soap.models import data, svc
from ..soap.operations import read, write
from ..soap.records import from_record, to_record
from .broadcast import action_to_soap
from ..store import Session
from ..store.contacts import Contact
from ..store.dnc import DncList, DncNumber
from ..store.imports import ContactSource
from ..store.lists import ContactList

SoapContact = data("Contact")


def contact_from_soap(contact: SoapContact) -> Contact:
    """A contact's attributes, standard and extra alike, are its fields."""
    fields = to_record(contact)
    return Contact(fields.pop("id", None), fields)


def contact_to_soap(contact: Contact) -> SoapContact:
    return from_record(SoapContact, {"id": contact.id, **contact.fields})


def contact_list_to_soap(contact_list: ContactList):
    return data("ContactList")(id=contact_list.id, Name=contact_list.name,
                               Size=contact_list.size, Created=contact_list.created,
                               Status=contact_list.status)


def dnc_list_to_soap(dnc_list: DncList):
    return data("DncList")(id=dnc_list.id, CampaignId=dnc_list.campaign_id,
                           Name=dnc_list.name, Size=dnc_list.size)


def dnc_number_to_soap(entry: DncNumber):
    return data("DncNumber")(Number=entry.number, DncListId=entry.list_id,
                             CallDnc=entry.call, TextDnc=entry.text)


def numbers_from_soap(numbers: str | None) -> list[str]:
    """The SDK's ``Numbers`` string: numbers separated by spaces (or commas)."""
    return split_list(numbers or "")


def source_from_soap(source) -> ContactSource:
    numbers = source.Numbers
    return ContactSource(
        contacts=[contact_from_soap(c) for c in source.Contact or []],
        contact_ids=source.ContactId,
        file=None if source.File is None else b"".join(source.File),
        numbers=None if numbers is None else numbers.value or [],
        number_field="homePhone" if numbers is None else numbers.fieldName,
    )


def query_contacts(session: Session, request):
    page = session.contacts.query(list_id=request.ContactListId,
                                  field_name=request.Field, text=request.String,
                                  first=request.FirstResult, limit=request.MaxResults)
    return svc("ContactQueryResult")(TotalResults=page.total,
                                     Contact=[contact_to_soap(c) for c in page.items])


def update_contacts(session: Session, request) -> None:
    session.contacts.update([contact_from_soap(c) for c in request.Contact or []])


def remove_contacts(session: Session, request) -> None:
    session.contacts.remove(request.ContactId or [])


def get_contact(session: Session, request):
    return contact_to_soap(session.contacts.get(request.Id))


def get_contact_history(session: Session, request):
    session.contacts.get(request.ContactId)
    page = session.actions.history(request.ContactId, request.FirstResult,
                                   request.MaxResults)
    return data("ContactHistory")(
        Call=[action_to_soap(a) for a in page.items if a.is_call],
        Text=[action_to_soap(a) for a in page.items if not a.is_call])


def create_contact_list(session: Session, request) -> int:
    return session.lists.create(request.Name, source_from_soap(request.ContactSource),
                                request.Validate).list_id


def query_contact_lists(session: Session, request):
    page = session.lists.query(request.FirstResult, request.MaxResults)
    return svc("ContactListQueryResult")(
        TotalResults=page.total, ContactList=[contact_list_to_soap(l) for l in page.items])


def delete_contact_list(session: Session, request) -> None:
    session.lists.delete(request.Id)


def add_contacts_to_list(session: Session, request) -> None:
    session.lists.add(request.ContactListId, source_from_soap(request.ContactSource),
                      request.Validate)


def get_contact_list(session: Session, request):
    return contact_list_to_soap(session.lists.get(request.Id))


def remove_contacts_from_list(session: Session, request) -> None:
    session.lists.remove(request.ContactListId, request.ContactId, request.Numbers)


# -- Do Not Contact, reconstructed from the later API -----------------

def query_dnc_numbers(session: Session, request):
    page = session.dnc.numbers(prefix=request.Prefix, list_id=request.DncListId,
                               list_name=request.DncListName, call=request.CallDnc,
                               text=request.TextDnc, first=request.FirstResult,
                               limit=request.MaxResults)
    return svc("QueryDncNumbersResponse")(
        TotalResults=page.total, DncNumber=[dnc_number_to_soap(n) for n in page.items])


def update_dnc_number(session: Session, request) -> None:
    session.dnc.update_number(request.Number, request.CallDnc, request.TextDnc)


def query_dnc_lists(session: Session, request):
    page = session.dnc.query(request.CampaignId, request.Name, request.FirstResult,
                             request.MaxResults)
    return svc("QueryDncListsResponse")(
        TotalResults=page.total, DncList=[dnc_list_to_soap(l) for l in page.items])


def create_dnc_list(session: Session, request) -> int:
    return session.dnc.create(request.Name, request.CampaignId,
                              numbers_from_soap(request.Numbers), request.CallDnc,
                              request.TextDnc)


def get_dnc_list(session: Session, request):
    return dnc_list_to_soap(session.dnc.get(request.Id))


def delete_dnc_list(session: Session, request) -> None:
    session.dnc.delete(request.Id)


def add_numbers_to_dnc_list(session: Session, request) -> None:
    session.dnc.add(request.Id, numbers_from_soap(request.Numbers), request.CallDnc,
                    request.TextDnc)


def remove_numbers_from_dnc_list(session: Session, request) -> None:
    session.dnc.remove(request.Id, numbers_from_soap(request.Numbers), request.CallDnc,
                       request.TextDnc)


OPERATIONS = {
    "QueryContacts": read(query_contacts),
    "UpdateContacts": write(update_contacts),
    "RemoveContacts": write(remove_contacts),
    "GetContact": read(get_contact),
    "GetContactHistory": read(get_contact_history, simulated=True),
    "CreateContactList": write(create_contact_list, request_id=True),
    "QueryContactLists": read(query_contact_lists),
    "DeleteContactList": write(delete_contact_list),
    "AddContactsToList": write(add_contacts_to_list),
    "GetContactList": read(get_contact_list),
    "RemoveContactsFromList": write(remove_contacts_from_list),
    "QueryDncNumbers": read(query_dnc_numbers),
    "UpdateDncNumber": write(update_dnc_number),
    "QueryDncLists": read(query_dnc_lists),
    "CreateDncList": write(create_dnc_list),
    "GetDncList": read(get_dnc_list),
    "DeleteDncList": write(delete_dnc_list),
    "AddNumbersToDncList": write(add_numbers_to_dnc_list),
    "RemoveNumbersFromDncList": write(remove_numbers_from_dnc_list),
}
