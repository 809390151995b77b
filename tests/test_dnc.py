"""ContactService's Do Not Contact operations, and DNC scrubbing of list imports.

The eight DNC operations are reconstructed from the later API, so only the
served WSDL has them; the scrubbing they cause shows in the 2014 operations,
which are tested in both WSDL setups.
"""
import logging

import pytest
from zeep.exceptions import Fault

from callfire_soap.store import Store
from callfire_soap.store.contacts import Contact
from callfire_soap.store.dnc import DEFAULT_LIST_NAME
from callfire_soap.store.imports import ContactSource
from conftest import bind, fault_code, served_client


@pytest.fixture
def dnc(server, account):
    """The served ContactService (the only one with DNC operations) for this test's account."""
    return bind(served_client(server, account), server, "Contact")


def entries(dnc, **filters) -> list[tuple[str, int, bool, bool]]:
    return [(n.Number, n.DncListId, n.CallDnc, n.TextDnc)
            for n in dnc.QueryDncNumbers(**filters).DncNumber]


def fault_of(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(Fault) as excinfo:
        call(**kwargs)
    return fault_code(excinfo), excinfo.value.message


# -- the eight operations ---------------------------------------------------

def test_create_get_query_and_delete_dnc_lists(dnc):
    first = dnc.CreateDncList(Name="Opt-outs", CampaignId=7,
                              Numbers="3105551212 12135551000 3105551212")
    second = dnc.CreateDncList(Name="Complaints")
    dnc_list = dnc.GetDncList(Id=first)
    assert (dnc_list.id, dnc_list.Name, dnc_list.CampaignId, dnc_list.Size) == (
        first, "Opt-outs", 7, 2)
    assert dnc.GetDncList(Id=second).Size == 0

    assert [l.id for l in dnc.QueryDncLists().DncList] == [first, second]
    assert [l.id for l in dnc.QueryDncLists(CampaignId=7).DncList] == [first]
    assert [l.id for l in dnc.QueryDncLists(Name="Complaints").DncList] == [second]
    assert dnc.QueryDncLists(Name="complaints").TotalResults == 0
    page = dnc.QueryDncLists(MaxResults=1, FirstResult=1)
    assert (page.TotalResults, [l.id for l in page.DncList]) == (2, [second])

    assert dnc.DeleteDncList(Id=first) is None
    for call in (dnc.GetDncList, dnc.DeleteDncList):
        assert fault_of(call, Id=first)[0] == "NOT_FOUND"
    assert dnc.QueryDncNumbers().TotalResults == 0  # its numbers went with it


def test_numbers_are_normalised_and_both_kinds_by_default(dnc):
    list_id = dnc.CreateDncList(Name="L", Numbers="+1(310)555-1212,2135551000")
    assert entries(dnc, DncListId=list_id) == [
        ("12135551000", list_id, True, True), ("13105551212", list_id, True, True)]


def test_add_sets_the_kinds_given_and_never_clears_one(dnc):
    list_id = dnc.CreateDncList(Name="L")
    assert dnc.AddNumbersToDncList(Id=list_id, Numbers="3105551212", CallDnc=True,
                                   TextDnc=False) is None
    assert entries(dnc) == [("13105551212", list_id, True, False)]
    dnc.AddNumbersToDncList(Id=list_id, Numbers="13105551212", CallDnc=False, TextDnc=True)
    assert entries(dnc) == [("13105551212", list_id, True, True)]
    assert fault_of(dnc.AddNumbersToDncList, Id=list_id, Numbers="12135551000",
                    CallDnc=False, TextDnc=False)[0] == "BAD_REQUEST"
    assert dnc.GetDncList(Id=list_id).Size == 1


def test_remove_clears_the_kinds_given_and_a_number_with_neither_leaves(dnc):
    list_id = dnc.CreateDncList(Name="L", Numbers="13105551212 12135551000")
    assert dnc.RemoveNumbersFromDncList(Id=list_id, Numbers="3105551212", CallDnc=True,
                                        TextDnc=False) is None
    assert entries(dnc) == [("12135551000", list_id, True, True),
                            ("13105551212", list_id, False, True)]
    dnc.RemoveNumbersFromDncList(Id=list_id, Numbers="13105551212 14155550100")
    assert entries(dnc) == [("12135551000", list_id, True, True)]
    assert dnc.GetDncList(Id=list_id).Size == 1


def test_query_dnc_numbers_filters_and_pages(dnc):
    calls = dnc.CreateDncList(Name="calls", CallDnc=True, TextDnc=False,
                              Numbers="13105551212 13105551213 12135551000")
    texts = dnc.CreateDncList(Name="texts", CallDnc=False, TextDnc=True,
                              Numbers="13105551212")
    assert entries(dnc) == [("12135551000", calls, True, False),
                            ("13105551212", calls, True, False),
                            ("13105551212", texts, False, True),
                            ("13105551213", calls, True, False)]
    assert entries(dnc, Prefix="310") == entries(dnc, Prefix="1-310") != []
    assert [e[0] for e in entries(dnc, Prefix="310")] == [
        "13105551212", "13105551212", "13105551213"]
    assert entries(dnc, DncListName="texts") == [("13105551212", texts, False, True)]
    assert entries(dnc, DncListName="nothing") == []
    assert entries(dnc, DncListId=texts) == entries(dnc, TextDnc=True) == \
        entries(dnc, CallDnc=False)
    assert [e[0] for e in entries(dnc, CallDnc=True, Prefix="213")] == ["12135551000"]
    page = dnc.QueryDncNumbers(MaxResults=2, FirstResult=1)
    assert page.TotalResults == 4
    assert [(n.Number, n.DncListId) for n in page.DncNumber] == [
        ("13105551212", calls), ("13105551212", texts)]
    assert fault_of(dnc.QueryDncNumbers, Prefix="abc")[0] == "BAD_REQUEST"
    assert fault_of(dnc.QueryDncNumbers, FirstResult=-1)[0] == "BAD_REQUEST"


def test_update_dnc_number_sets_the_account_wide_status(dnc):
    assert dnc.UpdateDncNumber(Number="3105551212", CallDnc=True) is None
    (default,) = dnc.QueryDncLists(Name=DEFAULT_LIST_NAME).DncList
    assert entries(dnc) == [("13105551212", default.id, True, False)]

    both = dnc.CreateDncList(Name="both", Numbers="13105551212")
    dnc.UpdateDncNumber(Number="13105551212", CallDnc=False)  # cleared on every list
    assert entries(dnc) == [("13105551212", both, False, True)]
    dnc.UpdateDncNumber(Number="13105551212", TextDnc=True, CallDnc=True)
    assert entries(dnc) == [("13105551212", default.id, True, True),
                            ("13105551212", both, False, True)]
    dnc.UpdateDncNumber(Number="13105551212")  # no flag given: nothing changes
    assert len(entries(dnc)) == 2
    dnc.UpdateDncNumber(Number="13105551212", CallDnc=False, TextDnc=False)
    assert entries(dnc) == []
    assert dnc.QueryDncLists().TotalResults == 2  # the default list is made once, and stays


def test_an_invalid_number_is_a_bad_request_that_names_it_and_applies_nothing(dnc):
    list_id = dnc.CreateDncList(Name="L", Numbers="13105551212")
    for call, request in [
            (dnc.AddNumbersToDncList, dict(Id=list_id, Numbers="12135551000 999")),
            (dnc.RemoveNumbersFromDncList, dict(Id=list_id, Numbers="13105551212 999")),
            (dnc.CreateDncList, dict(Name="bad", Numbers="12135551000 999")),
            (dnc.UpdateDncNumber, dict(Number="999", CallDnc=True))]:
        code, message = fault_of(call, **request)
        assert code == "BAD_REQUEST" and "999" in message
    assert entries(dnc) == [("13105551212", list_id, True, True)]
    assert dnc.QueryDncLists().TotalResults == 1


def test_another_accounts_dnc_list_answers_as_a_nonexistent_one(server, dnc, other_account):
    list_id = dnc.CreateDncList(Name="mine", Numbers="13105551212")
    theirs = bind(served_client(server, other_account), server, "Contact")
    missing = 10 ** 12
    for call, extra in [(theirs.GetDncList, {}), (theirs.DeleteDncList, {}),
                        (theirs.AddNumbersToDncList, {"Numbers": "12135551000"}),
                        (theirs.RemoveNumbersFromDncList, {"Numbers": "13105551212"})]:
        code, message = fault_of(call, Id=list_id, **extra)
        missing_code, missing_message = fault_of(call, Id=missing, **extra)
        assert code == missing_code == "NOT_FOUND"
        assert message.replace(str(list_id), "N") == missing_message.replace(str(missing), "N")
    code, message = fault_of(theirs.QueryDncNumbers, DncListId=list_id)
    assert (code, message) == ("NOT_FOUND", "DncList %d not found" % list_id)
    assert theirs.QueryDncLists().TotalResults == theirs.QueryDncNumbers().TotalResults == 0
    assert theirs.QueryDncNumbers(DncListName="mine").TotalResults == 0
    theirs.UpdateDncNumber(Number="13105551212", CallDnc=False, TextDnc=False)
    assert entries(dnc) == [("13105551212", list_id, True, True)]  # nothing of mine touched


# -- scrubbing the 2014 list imports, in both WSDL setups --------------------

def homes(contacts, list_id) -> list[str]:
    return sorted(c.homePhone for c in contacts.QueryContacts(ContactListId=list_id).Contact)


def test_a_number_on_dnc_is_scrubbed_from_a_later_list_import(contacts, dnc):
    dnc.CreateDncList(Name="texts only", CallDnc=False, TextDnc=True, Numbers="13105551212")
    dnc.UpdateDncNumber(Number="2135551000", CallDnc=True)
    numbers = {"Numbers": {"_value_1": ["3105551212 12135551000 14155550100"]}}
    list_id = contacts.CreateContactList(Name="import", ContactSource=numbers)
    assert homes(contacts, list_id) == ["14155550100"]

    dnc.RemoveNumbersFromDncList(Id=dnc.QueryDncLists(Name="texts only").DncList[0].id,
                                 Numbers="13105551212")
    contacts.AddContactsToList(ContactListId=list_id, ContactSource=numbers)
    assert homes(contacts, list_id) == ["13105551212", "14155550100"]

    raw = contacts.CreateContactList(Name="raw", Validate=False, ContactSource={
        "Numbers": {"_value_1": ["12135551000"]}})
    assert homes(contacts, raw) == ["12135551000"]  # Validate false: no safeguards


def test_only_the_dnc_numbers_of_a_contact_are_scrubbed(contacts, dnc):
    dnc.CreateDncList(Name="L", Numbers="13105551212 12135551000")
    list_id = contacts.CreateContactList(Name="people", ContactSource={"Contact": [
        {"firstName": "Ann", "homePhone": "13105551212", "workPhone": "14155550100"},
        {"firstName": "Bob", "homePhone": "12135551000"},
        {"firstName": "Cy", "mobilePhone": "3105551212", "workPhone": "999"}]})
    (ann,) = contacts.QueryContacts(ContactListId=list_id).Contact
    assert (ann.firstName, ann.homePhone, ann.workPhone) == ("Ann", None, "14155550100")


def test_another_accounts_dnc_does_not_scrub(contacts, server, other_account):
    theirs = bind(served_client(server, other_account), server, "Contact")
    theirs.CreateDncList(Name="theirs", Numbers="13105551212")
    list_id = contacts.CreateContactList(Name="mine", ContactSource={
        "Numbers": {"_value_1": ["13105551212"]}})
    assert homes(contacts, list_id) == ["13105551212"]


# -- below SOAP: the import report, its log line, and the broadcast hook -----

@pytest.fixture
def store_session(tmp_path):
    store = Store(str(tmp_path / "x.db"))
    with store.session(store.accounts.create("a", "pw"), write=True) as session:
        yield session


def test_import_report_counts_dnc_numbers_and_the_log_says_so(store_session, caplog):
    store_session.dnc.create("L", numbers=["13105551212", "12135551000"])
    source = ContactSource(contacts=[
        Contact(None, {"homePhone": "3105551212", "workPhone": "14155550100"}),
        Contact(None, {"homePhone": "12135551000"}),
        Contact(None, {"homePhone": "16505550100"})])
    with caplog.at_level(logging.INFO, logger="callfire_soap.store.lists"):
        report = store_session.lists.create("import", source)
    assert (report.added, report.dnc, report.invalid, report.duplicate) == (2, 2, 0, 0)
    assert "2 numbers on Do Not Contact" in caplog.text


def test_contacts_named_by_id_are_existing_contacts_and_not_scrubbed(store_session):
    (contact_id,) = store_session.contacts.create([{"homePhone": "13105551212"}])
    store_session.dnc.create("L", numbers=["13105551212"])
    report = store_session.lists.create("ids", ContactSource(contact_ids=[contact_id]))
    assert (report.existing, report.dnc) == (1, 0)


def test_status_merges_the_accounts_lists_for_any_spelling_of_a_number(store_session):
    """The hook a broadcast consults before it calls or texts a number."""
    store_session.dnc.create("calls", numbers=["13105551212"], call=True, text=False)
    texts = store_session.dnc.create("texts", numbers=["3105551212"], call=False, text=True)
    store_session.dnc.add(texts, ["12135551000"], call=False, text=True)
    status = store_session.dnc.status(["3105551212", "12135551000", "14155550100", "999"])
    assert status == {"3105551212": (True, True), "12135551000": (False, True),
                      "14155550100": (False, False), "999": (False, False)}
    assert status["12135551000"].text and not status["12135551000"].call
