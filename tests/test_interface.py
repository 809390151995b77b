"""The served interface: addresses, agreement with Spyne, and the reference contract."""
import pytest
import requests
import zeep
from lxml import etree

from callfire_soap.app import create_app
from callfire_soap.soap.models import data
from callfire_soap.soap.schema import field_type, fields
from callfire_soap.store.attributes import PHONE_FIELDS, PHONE_NUMBER, STANDARD_FIELDS
from conftest import BINDING_NS, ENTRY, REFERENCE_DIR, WSDL_DIR, reference_client

SERVICES = ["broadcast", "subscription", "text", "call", "contact", "number", "label"]
# Served beyond the 2014 WSDL: ContactService's Do Not Contact operations,
# reconstructed from the later API.
DNC_OPERATIONS = {"QueryDncNumbers", "UpdateDncNumber", "QueryDncLists", "CreateDncList",
                  "GetDncList", "DeleteDncList", "AddNumbersToDncList",
                  "RemoveNumbersFromDncList"}
CALLER_ID_OPERATIONS = {"SendVerificationCodeToCallerId", "VerifyCallerId", "GetCallerIds"}


def test_served_wsdl_addresses_follow_the_url_used(server):
    for host in (None, "soap.example.test:8443"):
        headers = {"Host": host} if host else {}
        doc = etree.fromstring(requests.get(server.wsdl_url, headers=headers).content)
        locations = doc.xpath("//*[local-name()='address']/@location")
        base = "http://" + host if host else server.base_url
        assert locations == [base + "/api/1.1/soap12/" + s for s in SERVICES]


def _operations(client: zeep.Client) -> dict:
    """(port, operation) -> (soapAction, input element, output element) as zeep reads them."""
    found = {}
    for service in client.wsdl.services.values():
        for port in service.ports.values():
            for name, op in port.binding._operations.items():
                body_in = op.input.body
                body_out = op.output.body
                found[port.name, name] = (
                    op.soapaction,
                    body_in.qname.text if body_in is not None else None,
                    body_out.qname.text if body_out is not None and body_out.qname else None,
                )
    return found


def test_spyne_parses_exactly_what_the_wsdl_serves(tmp_path):
    """Every operation zeep reads in the served WSDL is an operation Spyne
    dispatches by the same input element and answers with the same output element."""
    served = _operations(zeep.Client(str(WSDL_DIR / ENTRY)))
    assert len(served) == 72  # the 61 of 2014, 8 DNC and 3 caller id operations
    app = create_app(str(tmp_path / "db.sqlite"))
    spyne_side = {}
    for wsgi in app.ports.values():
        protocol = wsgi.app.in_protocol
        for element, descriptor in protocol._methods_by_element().items():
            operation = descriptor.udd["operation"]
            out = descriptor.out_message.Attributes
            spyne_side[wsgi.app.name + "Port", operation.name] = (
                operation.soap_action, element,
                None if descriptor.udd["empty_output"] else "{%s}%s" % (out.sub_ns, out.sub_name))
            in_attrs = descriptor.in_message.Attributes
            assert "{%s}%s" % (in_attrs.sub_ns, in_attrs.sub_name) == element
    assert spyne_side == served


def test_served_interface_matches_the_reference_operation_by_operation():
    if not (REFERENCE_DIR / ENTRY).exists():
        pytest.skip("needs ../shared/reference/callfire-api-1.1 beside the project")
    served = _operations(zeep.Client(str(WSDL_DIR / ENTRY)))
    reference = _operations(zeep.Client(str(REFERENCE_DIR / ENTRY)))
    additions = {key: served.pop(key) for key in set(served) - set(reference)}
    assert set(additions) == {("ContactServicePort", name) for name in DNC_OPERATIONS} | {
        ("CallServicePort", name) for name in CALLER_ID_OPERATIONS}
    assert served == reference


CONTACT_REQUESTS = {
    "QueryContacts": dict(MaxResults=10, FirstResult=5, Field="firstName", ContactListId=3,
                          String="an"),
    "UpdateContacts": dict(Contact=[{"id": 1, "firstName": "Ann", "homePhone": "13105551212",
                                     "_attr_1": {"color": "red"}}]),
    "RemoveContacts": dict(ContactId=["1 2 3"]),
    "GetContact": dict(Id=1),
    "GetContactHistory": dict(ContactId=1, MaxResults=5),
    "CreateContactList": dict(RequestId="urn:x", Name="L", Validate=True, ContactSource={
        "Numbers": {"_value_1": ["13105551212 13105551213"], "fieldName": "workPhone"}}),
    "QueryContactLists": dict(MaxResults=2),
    "DeleteContactList": dict(Id=4),
    "AddContactsToList": dict(ContactListId=4, ContactSource={"File": b"homePhone\n13105551212\n"}),
    "GetContactList": dict(Id=4),
    "RemoveContactsFromList": dict(ContactListId=4, Numbers=["13105551212"]),
}


@pytest.mark.parametrize("operation", sorted(CONTACT_REQUESTS))
def test_served_and_reference_wsdl_produce_the_same_request_xml(server, operation):
    def message(client):
        service = client.create_service("{%s}ContactServiceBinding" % BINDING_NS,
                                        server.endpoint("contact"))
        envelope = client.create_message(service, operation, **CONTACT_REQUESTS[operation])
        return etree.tostring(envelope, method="c14n")

    served = message(zeep.Client(server.wsdl_url))
    assert served == message(reference_client(server, None))


def test_store_knows_the_contact_attributes_the_schema_declares():
    STANDARD_ATTRIBUTES = [name for name in fields(data("Contact")) if name != "id"]
    assert tuple(STANDARD_ATTRIBUTES) == STANDARD_FIELDS


def test_store_checks_phone_fields_with_the_schemas_phone_number_pattern():
    for name in PHONE_FIELDS:
        assert field_type(data("Contact"), name).Attributes.pattern == PHONE_NUMBER.pattern
