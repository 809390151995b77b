"""HTTP Basic auth, account isolation, SOAP 1.1 beside SOAP 1.2, and the fault for
every bad request."""
import base64
import io
import logging

import pytest
import requests
from lxml import etree
from zeep.exceptions import Fault, TransportError

from callfire_soap.app import create_app
from callfire_soap.services import DECLARATIONS
from callfire_soap.soap.operations import read
from conftest import ENVELOPE, ENVELOPE11, NS_SVC, SOAP11, SOAP11_HEADERS, SOAP12, \
    SOAP_HEADERS, bind, fault_code, post, served_client, sender, soap_fault


# -- auth ------------------------------------------------------------------

@pytest.mark.parametrize("credentials", [None, ("nobody", "x"), "wrong password"])
def test_missing_or_wrong_credentials_get_401(server, account, credentials):
    if credentials == "wrong password":
        credentials = (account.login, "not-" + account.password)
    response = requests.post(server.endpoint("contact"), auth=credentials,
                             data=ENVELOPE % "<svc:QueryContactLists/>", headers=SOAP_HEADERS)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_zeep_with_wrong_password_gets_http_401(server, account):
    account.password = "wrong"
    contacts = bind(served_client(server, None), server, "Contact")
    with pytest.raises(TransportError) as excinfo:
        contacts.QueryContactLists()
    assert excinfo.value.status_code == 401


def test_wsdl_is_public_whatever_credentials_come(server):
    for auth in (None, ("somebody", "wrong")):
        for name in ("callfire-service-http-soap12.wsdl", "callfire-service.wsdl",
                     "callfire-service.xsd", "callfire-data.xsd"):
            response = requests.get(server.url("/api/1.1/wsdl/" + name), auth=auth)
            assert response.status_code == 200, name
            etree.fromstring(response.content)


def test_another_accounts_ids_answer_as_nonexistent_ones(server, account, other_account):
    contacts = bind(served_client(server, account), server, "Contact")
    list_id = contacts.CreateContactList(
        Name="mine", ContactSource={"Numbers": {"_value_1": ["13105551212"]}})
    (mine,) = contacts.QueryContacts(ContactListId=list_id).Contact
    theirs = bind(served_client(server, other_account), server, "Contact")
    missing_contact, missing_list = 10 ** 12, 10 ** 12 + 1

    def fault_of(call, *args, **kwargs):
        with pytest.raises(Fault) as excinfo:
            call(*args, **kwargs)
        return fault_code(excinfo), excinfo.value.message

    for call, arg, missing in [
        (theirs.GetContact, dict(Id=mine.id), dict(Id=missing_contact)),
        (theirs.GetContactHistory, dict(ContactId=mine.id), dict(ContactId=missing_contact)),
        (theirs.GetContactList, dict(Id=list_id), dict(Id=missing_list)),
        (theirs.DeleteContactList, dict(Id=list_id), dict(Id=missing_list)),
        (theirs.QueryContacts, dict(ContactListId=list_id), dict(ContactListId=missing_list)),
        (theirs.UpdateContacts, dict(Contact=[{"id": mine.id, "firstName": "X"}]),
         dict(Contact=[{"id": missing_contact, "firstName": "X"}])),
        (theirs.AddContactsToList, dict(ContactListId=list_id,
                                        ContactSource={"Numbers": {"_value_1": ["12135551000"]}}),
         dict(ContactListId=missing_list,
              ContactSource={"Numbers": {"_value_1": ["12135551000"]}})),
        (theirs.RemoveContactsFromList, dict(ContactListId=list_id, ContactId=[mine.id]),
         dict(ContactListId=missing_list, ContactId=[mine.id])),
    ]:
        code, message = fault_of(call, **arg)
        missing_code, missing_message = fault_of(call, **missing)
        assert code == missing_code == "NOT_FOUND"
        assert message.replace(str(mine.id), "N").replace(str(list_id), "N") == \
            missing_message.replace(str(missing_contact), "N").replace(str(missing_list), "N")
    theirs.RemoveContacts(ContactId=[mine.id])  # ignored, as an unknown id is
    assert theirs.QueryContacts().TotalResults == 0
    # and nothing of theirs touched mine
    assert contacts.GetContact(Id=mine.id).firstName is None
    assert contacts.GetContactList(Id=list_id).Size == 1


# -- faults ----------------------------------------------------------------

def test_not_found_fault_shape(server, account):
    response = post(server, account, ENVELOPE % "<svc:GetContact><svc:Id>777</svc:Id></svc:GetContact>")
    fault = sender(response)
    assert fault["fault_code"] == "NOT_FOUND"
    assert "777" in fault["message"]


@pytest.mark.parametrize("body, expected", [
    ("not xml at all", "well-formed"),
    ("<env:Envelope xmlns:env='http://www.w3.org/2003/05/soap-envelope'><env:Body>"
     "<svc:GetContact xmlns:svc='http://api.callfire.com/service/xsd'><svc:Id>1</svc:Id>"
     "</env:Body></env:Envelope>", "well-formed"),
    (ENVELOPE % "<svc:GetContact><svc:Id>abc</svc:Id></svc:GetContact>", "schema"),
    (ENVELOPE % "<svc:GetContact><svc:Nope>1</svc:Nope></svc:GetContact>", "schema"),
    (ENVELOPE % "<svc:GetContact/>", "schema"),
    (ENVELOPE % "<svc:GetContact><svc:Id>99999999999999999999</svc:Id></svc:GetContact>",
     "schema"),
    (ENVELOPE % "<svc:GetBroadcast><svc:Id>1</svc:Id></svc:GetBroadcast>", "unknown operation"),
    (ENVELOPE % "<svc:NoSuchThing/>", "unknown operation"),
    (ENVELOPE % "", "exactly one element"),
    ("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]>" + ENVELOPE % "<svc:GetContact>"
     "<svc:Id>&a;</svc:Id></svc:GetContact>", "DOCTYPE"),
    ("", "empty"),
    ("<notsoap/>", "not a SOAP Envelope"),
])
@pytest.mark.parametrize("version", [SOAP12, SOAP11])
def test_bad_requests_get_sender_faults(server, account, body, expected, version):
    """In SOAP 1.1 (a client's Content-Type and SOAPAction, and its envelope where
    there is one) the same refusals come as Client faults."""
    headers = SOAP_HEADERS
    if version == SOAP11:
        body, headers = body.replace(SOAP12, SOAP11), SOAP11_HEADERS
    fault = sender(post(server, account, body, headers=headers), version)
    assert fault["fault_code"] == "BAD_REQUEST"
    assert expected in fault["reason"]


QUERY_LISTS = "<svc:QueryContactLists/>"


@pytest.mark.parametrize("headers", [
    {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"http://api.callfire.com/'
     'service/wsdl/ContactServicePortType/QueryContactLists"'},      # PHP, suds: quoted
    {"Content-Type": "text/xml; charset=utf-8",
     "SOAPAction": "http://api.callfire.com/service/wsdl/ContactServicePortType/"
                   "QueryContactLists"},                                # unquoted
    {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},  # empty
    {"Content-Type": "text/xml"},                                      # none
    {"Content-Type": "application/soap+xml; charset=utf-8"},           # SOAP 1.2's type
])
def test_soap11_requests_are_answered_in_soap11(server, account, headers):
    """Dispatched exactly as SOAP 1.2 is (by the Body's element), and answered with
    the same Body in a SOAP 1.1 Envelope, as text/xml."""
    contacts = bind(served_client(server, account), server, "Contact")
    contacts.CreateContactList(Name="one",
                               ContactSource={"Numbers": {"_value_1": ["13105551212"]}})
    answer11 = post(server, account, ENVELOPE11 % QUERY_LISTS, headers=headers)
    answer12 = post(server, account, ENVELOPE % QUERY_LISTS)
    assert answer11.status_code == 200, answer11.text
    assert answer11.headers["Content-Type"] == "text/xml; charset=utf-8"
    envelope11, envelope12 = (etree.fromstring(a.content) for a in (answer11, answer12))
    assert envelope11.tag == "{%s}Envelope" % SOAP11
    (body11,), (body12,) = envelope11, envelope12
    assert body11.tag == "{%s}Body" % SOAP11
    assert [etree.tostring(e, method="c14n", exclusive=True) for e in body11] == \
        [etree.tostring(e, method="c14n", exclusive=True) for e in body12]
    assert b"<data:Name>one</data:Name>" in etree.tostring(body11)


@pytest.mark.parametrize("version", [SOAP12, SOAP11])
def test_faults_in_each_version_carry_the_same_service_fault_info(server, account, version):
    envelope, headers = (ENVELOPE, SOAP_HEADERS) if version == SOAP12 \
        else (ENVELOPE11, SOAP11_HEADERS)
    response = post(server, account, envelope % "<svc:GetContact><svc:Id>777</svc:Id>"
                    "</svc:GetContact>", headers=headers)
    fault = sender(response, version)
    assert fault["fault_code"] == "NOT_FOUND" and "777" in fault["message"]
    assert fault["reason"] == fault["message"]
    detail = etree.fromstring(response.content).findtext(
        ".//{%s}ServiceFaultInfo/{%s}Detail" % (NS_SVC, NS_SVC))
    assert detail == "id=777"


def test_soap11_fault_code_uses_the_envelope_prefix(server, account):
    response = post(server, account, ENVELOPE11 % "<svc:GetContact><svc:Id>777</svc:Id>"
                    "</svc:GetContact>", headers=SOAP11_HEADERS)
    envelope = etree.fromstring(response.content)
    code = envelope.findtext("{%(s)s}Body/{%(s)s}Fault/faultcode" % {"s": SOAP11})
    prefix, _, local = code.partition(":")
    assert envelope.nsmap[prefix] == SOAP11 and local == "Client"


@pytest.mark.parametrize("namespace", ["urn:not-soap", "http://www.w3.org/2001/12/soap-envelope"])
def test_an_envelope_of_neither_version_gets_version_mismatch(server, account, namespace):
    response = post(server, account, ENVELOPE.replace(SOAP12, namespace) % QUERY_LISTS)
    assert response.status_code == 500
    fault = soap_fault(response)
    assert (fault["code"], fault["fault_code"]) == ("{%s}VersionMismatch" % SOAP12,
                                                    "BAD_REQUEST")
    supported = etree.fromstring(response.content).findall(
        "{%(e)s}Header/{%(e)s}Upgrade/{%(e)s}SupportedEnvelope" % {"e": SOAP12})
    assert [etree.QName(s.nsmap[s.get("qname").partition(":")[0]], "Envelope").text
            for s in supported] == ["{%s}Envelope" % SOAP12, "{%s}Envelope" % SOAP11]


@pytest.mark.parametrize("version", [SOAP12, SOAP11])
def test_an_operation_declared_without_a_handler_answers_not_implemented(
        tmp_path, monkeypatch, caplog, version):
    """Every served operation is built; one that enters the interface declared but not
    built yet (``services/``: a declaration without a handler) answers NOT_IMPLEMENTED,
    logged as a fault like any other, not as an error."""
    monkeypatch.setitem(DECLARATIONS, "ContactServicePort",
                        dict(DECLARATIONS["ContactServicePort"], GetContact=read()))
    app = create_app(str(tmp_path / "app.db"))
    app.store.accounts.create("login", "password")
    envelope, headers = (ENVELOPE, SOAP_HEADERS) if version == SOAP12 \
        else (ENVELOPE11, SOAP11_HEADERS)
    body = (envelope % "<svc:GetContact><svc:Id>1</svc:Id></svc:GetContact>").encode()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/1.1/soap12/contact",
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
               "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"login:password").decode(),
               "REMOTE_ADDR": "127.0.0.1", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
               "wsgi.url_scheme": "http"}
    environ.update(("HTTP_" + name.upper().replace("-", "_") if name != "Content-Type"
                    else "CONTENT_TYPE", value) for name, value in headers.items())
    seen = {}
    with caplog.at_level(logging.INFO):
        answer = b"".join(app(environ, lambda status, headers, exc_info=None:
                              seen.update(status=status)))
    assert seen["status"].startswith("500")
    fault = etree.fromstring(answer)
    receiver = "Receiver" if version == SOAP12 else "Server"
    assert fault.findtext(".//{*}FaultCode") == "NOT_IMPLEMENTED"
    assert receiver in etree.tostring(fault).decode()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_rejected_request_changes_nothing(server, account):
    contacts = bind(served_client(server, account), server, "Contact")
    list_id = contacts.CreateContactList(
        Name="l", ContactSource={"Numbers": {"_value_1": ["13105551212"]}})
    (contact,) = contacts.QueryContacts().Contact
    bad = ENVELOPE % ('<svc:UpdateContacts><data:Contact id="%d" firstName="X"/>'
                      '<data:Contact id="%d" homePhone="(bad)"/></svc:UpdateContacts>'
                      % (contact.id, contact.id))
    sender(post(server, account, bad))
    assert contacts.GetContact(Id=contact.id).firstName is None
    assert contacts.GetContactList(Id=list_id).Size == 1


def test_get_on_a_soap_endpoint(server, account):
    assert requests.get(server.endpoint("contact")).status_code == 405
    response = requests.get(server.endpoint("contact") + "?wsdl")
    assert response.status_code == 200 and b"CallFireApi" in response.content
    assert requests.post(server.endpoint("nothing"), data=b"x").status_code == 404
