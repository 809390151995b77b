"""Hostile input, limits and authentication, over real HTTP against ``serve``.

Every test here proves one protection: it fails when the protection is taken
away.  Random and mutated requests are in test_fuzz.py, concurrent writers in
test_concurrency.py, a kill in the middle of a write in test_crash.py.
"""
import base64
import http.client
import io
import re
import socket
import statistics
import time
import uuid
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote, urlsplit

import pytest
import requests
from lxml import etree
from zeep.exceptions import Fault

from callfire_soap.app import create_app
from callfire_soap.services import implemented
from callfire_soap.soap.models import PORTS
from callfire_soap.store.attributes import PHONE_FIELDS, STANDARD_FIELDS
from conftest import (ENVELOPE, ENVELOPE11, NS_DATA, SOAP11, SOAP11_HEADERS, SOAP12,
                      SOAP_HEADERS, account_rows, bind, fault_code, new_account, post, sender,
                      served_client, soap_fault, start_server, wav)

QUERY_LISTS = ENVELOPE % "<svc:QueryContactLists/>"


def create_list(body: str) -> str:
    return ENVELOPE % ("<svc:CreateContactList><svc:Name>n</svc:Name>"
                       "<svc:ContactSource>%s</svc:ContactSource></svc:CreateContactList>" % body)


def csv_list(csv: bytes) -> str:
    return create_list("<svc:File>%s</svc:File>" % base64.b64encode(csv).decode())


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """A server with small, explicit XML and body limits."""
    with start_server(tmp_path_factory.mktemp("strict") / "strict.db", "--max-body", "20000",
                      "--max-depth", "12", "--max-nodes", "200") as running:
        yield running


@pytest.fixture(scope="module")
def unlimited_logins(tmp_path_factory):
    """A server that never refuses failed logins, to compare many of them."""
    with start_server(tmp_path_factory.mktemp("logins") / "logins.db",
                      "--auth-failures", "0") as running:
        yield running


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """A server that refuses an address after 3 failed logins within 2 seconds."""
    with start_server(tmp_path_factory.mktemp("guarded") / "guarded.db",
                      "--auth-failures", "3", "--auth-window", "2") as running:
        yield running


# -- hostile XML -------------------------------------------------------------

def _laughs(levels: int = 9) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        '<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)) * 10) for i in range(1, levels + 1)]
    return '<?xml version="1.0"?><!DOCTYPE lolz [%s]>' % "".join(entities)


DTD_ATTACKS = {
    "billion laughs": lambda _, __: _laughs() + ENVELOPE % (
        "<svc:GetContact><svc:Id>&lol9;</svc:Id></svc:GetContact>"),
    "billion laughs in an attribute": lambda _, __: _laughs() + ENVELOPE % (
        '<svc:UpdateContacts><data:Contact id="1" firstName="&lol9;"/></svc:UpdateContacts>'),
    "quadratic blowup": lambda _, __: (
        '<!DOCTYPE q [<!ENTITY a "%s">]>' % ("x" * 50_000) + ENVELOPE % (
            '<svc:UpdateContacts><data:Contact id="1" firstName="%s"/></svc:UpdateContacts>'
            % ("&a;" * 50_000))),
    "external entity, file": lambda secret, _: (
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file://%s">]>' % secret + ENVELOPE % (
            "<svc:QueryContacts><svc:String>&e;</svc:String></svc:QueryContacts>")),
    "external parameter entity, file": lambda secret, _: (
        '<!DOCTYPE x [<!ENTITY %% p SYSTEM "file://%s"> %%p;]>' % secret + QUERY_LISTS),
    "external DTD, network": lambda _, url: '<!DOCTYPE x SYSTEM "%s">' % url + QUERY_LISTS,
    "external entity, network": lambda _, url: (
        '<!DOCTYPE x [<!ENTITY e SYSTEM "%s">]>' % url + ENVELOPE % (
            "<svc:QueryContacts><svc:String>&e;</svc:String></svc:QueryContacts>")),
    "after a comment": lambda _, url: (
        '<?xml version="1.0"?>\n<!-- hi -->\n<!DOCTYPE x SYSTEM "%s">' % url + QUERY_LISTS),
}


@pytest.mark.parametrize("attack", list(DTD_ATTACKS))
def test_dtds_are_refused_before_parsing(server, account, tmp_path, attack):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-%s" % uuid.uuid4())
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        url = "http://127.0.0.1:%d/x.dtd" % listener.getsockname()[1]
        started = time.monotonic()
        response = post(server, account, DTD_ATTACKS[attack](secret, url))
        assert time.monotonic() - started < 2
        assert "DOCTYPE declarations are not allowed" in sender(response)["reason"]
        assert secret.read_text() not in response.text
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody fetched the URL


def _nested(levels: int) -> str:
    """A request whose Header nests ``levels`` elements under Envelope and Header."""
    return ENVELOPE.replace("<env:Body>", "<env:Header>%s%s</env:Header><env:Body>" % (
        "<x>" * levels, "</x>" * levels)) % "<svc:QueryContactLists/>"


def test_depth_is_bounded(strict):
    account = new_account(strict)
    assert post(strict, account, _nested(10)).status_code == 200   # 12 deep: the limit
    fault = sender(post(strict, account, _nested(11)))
    assert fault["reason"] == "the request nests elements deeper than 12"


def _with_nodes(elements: int, attributes: int) -> str:
    """Envelope, Header, Body and the operation, then <x/>s and attributes on the last."""
    return ENVELOPE.replace("<env:Body>", "<env:Header>%s<x%s/></env:Header><env:Body>" % (
        "<x/>" * (elements - 5), "".join(' a%d=""' % i for i in range(attributes)))
    ) % "<svc:QueryContactLists/>"


@pytest.mark.parametrize("elements, attributes", [(200, 0), (100, 100), (5, 195)])
def test_elements_and_attributes_are_bounded(strict, elements, attributes):
    account = new_account(strict)
    assert post(strict, account, _with_nodes(elements, attributes)).status_code == 200
    over = (elements + 1, attributes) if elements > 100 else (elements, attributes + 1)
    fault = sender(post(strict, account, _with_nodes(*over)))
    assert fault["reason"] == "the request has more than 200 elements and attributes"


def _peak_memory(server) -> dict[str, int]:
    """The peak resident memory of each of the server's processes, the worker and the
    postbacks' deliverer, in bytes (Linux)."""
    children = open("/proc/%d/task/%d/children" % (server.proc.pid, server.proc.pid)).read(
    ).split()
    return {child: int(open("/proc/%s/status" % child).read().split("VmHWM:")[1].split()[0])
            * 1024 for child in children}


HUGE_REQUESTS = {  # each about 8 MB, each ~250 MB parsed
    "one start tag of a million attributes": lambda: "<x%s/>" % "".join(
        ' a%d=""' % i for i in range(1_000_000)),
    "a thousand elements of a thousand attributes": lambda: ("<x%s/>" % "".join(
        ' a%d=""' % i for i in range(1000))) * 1000,
    "two million elements": lambda: "<x/>" * 2_000_000,
}


@pytest.mark.parametrize("huge", list(HUGE_REQUESTS))
def test_too_many_nodes_are_refused_in_bounded_memory(tmp_path, huge):
    body = ENVELOPE.replace("<env:Body>", "<env:Header>%s</env:Header><env:Body>"
                            % HUGE_REQUESTS[huge]()) % "<svc:QueryContactLists/>"
    with start_server(tmp_path / "nodes.db", "--max-nodes", "10000") as server:
        account = new_account(server)
        assert post(server, account, QUERY_LISTS).status_code == 200
        before = _peak_memory(server)
        started = time.monotonic()
        fault = sender(post(server, account, body))
        assert time.monotonic() - started < 2
        assert fault["reason"] == "the request has more than 10000 elements and attributes"
        grown = max(peak - before[pid] for pid, peak in _peak_memory(server).items())
        assert grown < 100 * 2 ** 20, "the worker grew by %d MB" % (grown >> 20)


def _too_large(response_status: int, body: bytes, code: bytes = b"env:Sender") -> None:
    assert response_status == 413
    assert b"the request body is larger than 20000 bytes" in body
    assert code in body


def test_body_over_the_limit_is_refused_unread(strict):
    account = new_account(strict)
    padded = QUERY_LISTS.replace("<env:Body>", "<!--%s--><env:Body>")
    exact = padded % ("x" * (20000 - len(padded) + 2))
    assert len(exact) == 20000 and post(strict, account, exact).status_code == 200

    # A gigabyte announced, a kilobyte sent: the answer comes without the rest.
    host, port = urlsplit(strict.base_url).hostname, urlsplit(strict.base_url).port
    with socket.create_connection((host, port), timeout=5) as sock:
        credentials = base64.b64encode(b"%s:%s" % (account.login.encode(),
                                                   account.password.encode())).decode()
        sock.sendall(("POST /api/1.1/soap12/contact HTTP/1.1\r\nHost: x\r\n"
                      "Authorization: Basic %s\r\nContent-Type: application/soap+xml\r\n"
                      "Content-Length: 1000000000\r\n\r\n" % credentials).encode() + b"<" * 1024)
        response = http.client.HTTPResponse(sock)
        response.begin()
        _too_large(response.status, response.read())

    # Chunked, no length given: read up to the limit and no further.
    chunks = (b"<!--" + b"x" * 1000 for _ in range(30))
    response = requests.post(strict.endpoint("contact"), data=chunks, headers=SOAP_HEADERS,
                             auth=(account.login, account.password))
    _too_large(response.status_code, response.content)

    # A SOAP 1.1 client's headers: the refusal comes in SOAP 1.1.
    response = requests.post(strict.endpoint("contact"), data=b"<!--" + b"x" * 20000,
                             headers=SOAP11_HEADERS, auth=(account.login, account.password))
    _too_large(response.status_code, response.content, b"<faultcode>soap:Client</faultcode>")
    assert soap_fault(response)["version"] == SOAP11


def test_a_100000_row_csv_import_fits_the_default_limits(server, account):
    """libxml2 refuses a text node over 10 MB by default; this File is 12 MB in base64."""
    csv = "firstName,lastName,homePhone,workPhone,zipcode,externalId,notes\n" + "".join(
        "Firstname%d,Lastname%d,13102%06d,12132%06d,90210,ext-%08d,customer since 2009\n"
        % (i, i, i, i, i) for i in range(100_000))
    assert len(csv) * 4 / 3 > 12_000_000
    response = post(server, account, csv_list(csv.encode()))
    assert response.status_code == 200, response.text[:500]
    contacts = bind(served_client(server, account), server, "Contact")
    (contact_list,) = contacts.QueryContactLists().ContactList
    assert contact_list.Size == 100_000


# -- malformed requests --------------------------------------------------------

@pytest.mark.parametrize("content_type", [
    None, "text/plain", "application/json", "application/x-www-form-urlencoded",
    "application/soap+xml; charset=iso-8859-1", "text/xml; charset=utf-16", "soap+xml"])
@pytest.mark.parametrize("soap_action", [None, '""'])
def test_other_content_types_get_415_with_a_soap_fault(server, account, content_type,
                                                       soap_action):
    """In the SOAP version the headers announce: SOAP 1.1 for text/xml or a
    SOAPAction header, SOAP 1.2 otherwise."""
    headers = {} if content_type is None else {"Content-Type": content_type}
    if soap_action is not None:
        headers["SOAPAction"] = soap_action
    response = post(server, account, QUERY_LISTS, headers=headers)
    assert response.status_code == 415
    fault = soap_fault(response)
    media_type = (content_type or "").partition(";")[0].lower()
    soap11 = media_type == "text/xml" or (soap_action is not None
                                          and media_type != "application/soap+xml")
    version = SOAP11 if soap11 else SOAP12
    assert fault["code"] == "{%s}%s" % (version, "Client" if soap11 else "Sender")
    assert fault["fault_code"] == "BAD_REQUEST"
    assert "Content-Type must be application/soap+xml" in fault["reason"]


@pytest.mark.parametrize("content_type", [
    'application/soap+xml; charset=utf-8; action="QueryContactLists"',  # PHP's SoapClient
    "application/soap+xml", 'Application/SOAP+XML; Charset="UTF-8"',
    "text/xml; charset=utf-8"])
def test_soap_content_types_are_accepted(server, account, content_type):
    response = post(server, account, QUERY_LISTS, headers={"Content-Type": content_type})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("body", [
    (ENVELOPE % "<svc:QueryContacts><svc:String>caf\xe9</svc:String></svc:QueryContacts>"
     ).encode("latin-1"),
    QUERY_LISTS.encode("utf-16"),
    QUERY_LISTS.encode().replace(b"<svc:QueryContactLists/>", b"<svc:QueryContactLists/>\x80"),
])
def test_bodies_that_are_not_utf8_get_sender_faults(server, account, body):
    assert "the request is not UTF-8" in sender(post(server, account, body))["reason"]


def test_a_declared_encoding_does_not_override_utf8(server, account):
    body = '<?xml version="1.0" encoding="ISO-8859-1"?>' + create_list(
        '<data:Contact homePhone="13105551212" firstName="Zoë"/>')
    assert post(server, account, body.encode()).status_code == 200
    contacts = bind(served_client(server, account), server, "Contact")
    assert contacts.QueryContacts().Contact[0].firstName == "Zoë"


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", "0x10"])
def test_a_content_length_that_is_no_number_gets_a_sender_fault(tmp_path, length):
    """Granian refuses these itself before the application runs (an empty 400);
    the application must not fail on them behind any other server."""
    app = create_app(str(tmp_path / "app.db"))
    app.store.accounts.create("login", "password")
    seen = {}
    body = b"".join(app({
        "REQUEST_METHOD": "POST", "PATH_INFO": "/api/1.1/soap12/contact",
        "CONTENT_TYPE": "application/soap+xml", "CONTENT_LENGTH": length,
        "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"login:password").decode(),
        "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(QUERY_LISTS.encode()),
    }, lambda status, headers, exc_info=None: seen.update(status=status)))
    assert seen["status"].startswith("500")
    assert b"is not a number of bytes" in body and b"env:Sender" in body


@pytest.mark.parametrize("request_body, status", [
    ("<svc:GetContact><svc:Id>18446744073709551616</svc:Id></svc:GetContact>", 500),
    ("<svc:GetContact><svc:Id>-9223372036854775808</svc:Id></svc:GetContact>", 500),
    ("<svc:QueryContacts><svc:MaxResults>-1</svc:MaxResults></svc:QueryContacts>", 500),
    ("<svc:QueryContacts><svc:MaxResults>9223372036854775807</svc:MaxResults>"
     "</svc:QueryContacts>", 200),
    ("<svc:QueryContacts><svc:FirstResult>-1</svc:FirstResult></svc:QueryContacts>", 500),
    ("<svc:QueryContacts><svc:FirstResult>9223372036854775807</svc:FirstResult>"
     "</svc:QueryContacts>", 200),
    ("<svc:QueryContactLists><svc:MaxResults>99999999999999999999</svc:MaxResults>"
     "</svc:QueryContactLists>", 500),
    ("<svc:GetContactHistory><svc:ContactId>1</svc:ContactId><svc:MaxResults>-5"
     "</svc:MaxResults></svc:GetContactHistory>", 500),
    ("<svc:QueryDncNumbers><svc:FirstResult>-1</svc:FirstResult></svc:QueryDncNumbers>", 500),
    ("<svc:QueryDncLists><svc:CampaignId>-9223372036854775809</svc:CampaignId>"
     "</svc:QueryDncLists>", 500),
])
def test_numbers_out_of_range(server, account, request_body, status):
    response = post(server, account, ENVELOPE % request_body)
    if status == 500:
        sender(response)
    else:
        assert response.status_code == 200, response.text


NASTY = ["Robert'); DROP TABLE contacts;--", "' OR '1'='1", "%", "_", "\\", '"; --',
         "名前 Zoë ẞ 🎉", "\u202eevil", "a\tb\nc  ", "&lt;<![CDATA[x]]>"]


@pytest.mark.parametrize("text", NASTY)
def test_sql_metacharacters_and_unicode_are_data_in_every_string_field(server, text):
    account, bystander = new_account(server), new_account(server)
    contacts = bind(served_client(server, account), server, "Contact")
    bind(served_client(server, bystander), server, "Contact").CreateContactList(
        Name="theirs", ContactSource={"Numbers": {"_value_1": ["12135550000"]}})
    # The phone fields have a pattern in the schema; every other one is free text.
    attributes = {name: "13105550000" if name in PHONE_FIELDS else text
                  for name in STANDARD_FIELDS}
    request_id = quote(text, safe="'();-=")  # an xs:anyURI: SQL's metacharacters kept
    list_id = contacts.CreateContactList(Name=text, RequestId=request_id, Validate=False,
                                         ContactSource={"Contact": [attributes]})
    plain = contacts.CreateContactList(
        Name="plain", ContactSource={"Numbers": {"_value_1": ["13105551212"]}})
    assert contacts.CreateContactList(Name="again", RequestId=request_id, ContactSource={
        "Numbers": {"_value_1": ["13105551213"]}}) == list_id

    assert contacts.GetContactList(Id=list_id).Name == text
    (contact,) = contacts.QueryContacts(ContactListId=list_id).Contact
    assert {name: getattr(contact, name) for name in STANDARD_FIELDS} == attributes
    for field in (None, "firstName", "externalSystem"):
        found = contacts.QueryContacts(Field=field, String=text)
        assert [c.id for c in found.Contact] == [contact.id]
    assert contacts.QueryContacts(Field=text).TotalResults == 0
    assert contacts.QueryContacts(ContactListId=plain).TotalResults == 1

    dnc_id = contacts.CreateDncList(Name=text)
    assert contacts.GetDncList(Id=dnc_id).Name == text
    assert [l.id for l in contacts.QueryDncLists(Name=text).DncList] == [dnc_id]
    assert contacts.QueryDncNumbers(DncListName=text).TotalResults == 0
    assert contacts.QueryContactLists().TotalResults == 2
    assert server.store.db().execute("SELECT count(*) FROM contact_lists WHERE account_id = ?",
                                     [bystander.id]).fetchone()[0] == 1


@pytest.mark.parametrize("clash", ["FIRSTNAME", "HomePhone", "ID", "Id"])
def test_an_extra_attribute_named_like_a_standard_one_is_refused(server, account, clash):
    contacts = bind(served_client(server, account), server, "Contact")
    contacts.CreateContactList(Name="l", ContactSource={"Numbers": {"_value_1": ["13105551212"]}})
    (contact,) = contacts.QueryContacts().Contact
    before = account_rows(server.store, account.id)
    for body in (create_list('<data:Contact homePhone="12135551000" %s="x"/>' % clash),
                 ENVELOPE % '<svc:UpdateContacts><data:Contact id="%d" %s="x"/>'
                            '</svc:UpdateContacts>' % (contact.id, clash)):
        fault = sender(post(server, account, body))
        assert "clashes with the standard attribute" in fault["reason"]
    assert account_rows(server.store, account.id) == before


def test_a_csv_with_characters_xml_cannot_carry_is_refused(server, account):
    before = account_rows(server.store, account.id)
    fault = sender(post(server, account, csv_list(b"homePhone,firstName\n13105551212,a\x01b\n")))
    assert fault["reason"] == "File line 2 holds U+0001, a character XML cannot carry"
    assert account_rows(server.store, account.id) == before


@pytest.mark.parametrize("text", ["\u00a0", "QUJD\u3000", "\u2003"])
def test_base64_with_unicode_spaces_is_refused(server, account, text):
    """libxml2's schema check takes Unicode spaces in base64Binary for whitespace."""
    before = account_rows(server.store, account.id)
    fault = sender(post(server, account, create_list("<svc:File>%s</svc:File>" % text)))
    assert "is not base64Binary" in fault["reason"]
    assert account_rows(server.store, account.id) == before


def test_a_csv_imported_without_validation_still_holds_phone_numbers(server, account):
    """The schema's PhoneNumber pattern guards Contact elements; a File needs the same."""
    before = account_rows(server.store, account.id)
    unchecked = create_list("<svc:File>%s</svc:File>").replace(
        "<svc:ContactSource>", "<svc:Validate>false</svc:Validate><svc:ContactSource>")
    fault = sender(post(server, account, unchecked % base64.b64encode(
        b"homePhone,firstName\n(310) 555-1212,Ann\n").decode()))
    assert fault["reason"] == "homePhone '(310) 555-1212' is not a phone number: digits, " \
                              "optionally after a +"
    assert account_rows(server.store, account.id) == before
    assert post(server, account, unchecked % base64.b64encode(
        b"homePhone,firstName\n+13105551212,Ann\n").decode()).status_code == 200


def test_old_mac_line_endings_are_rows(server, account):
    response = post(server, account, csv_list(b"homePhone,firstName\r13105551212,Ann\r"
                                              b"12135551000,Bob\r"))
    assert response.status_code == 200, response.text
    contacts = bind(served_client(server, account), server, "Contact")
    assert [c.firstName for c in contacts.QueryContacts().Contact] == ["Ann", "Bob"]


@pytest.mark.parametrize("csv, reason", [
    (b"homePhone,notes\n13105551212," + b"x" * 200_000, "File line 2 is not CSV: field larger"),
    ("id,homePhone\n\u00b2,13105551212".encode(), "id '\u00b2' is not a number"),
])
def test_a_file_that_is_no_csv_is_refused(server, account, csv, reason):
    before = account_rows(server.store, account.id)
    assert reason in sender(post(server, account, csv_list(csv)))["reason"]
    assert account_rows(server.store, account.id) == before


def test_csv_columns_become_attribute_names_xml_accepts(server, account):
    headers = ["homePhone", "xmlns", "µ", "x²", "Prénom", "1st", "a b"]
    csv = (",".join(headers) + "\n13105551212," + ",".join("v%d" % i for i in range(6))
           + "\n").encode()
    assert post(server, account, csv_list(csv)).status_code == 200
    response = post(server, account, ENVELOPE % "<svc:QueryContacts/>")
    assert response.status_code == 200, response.text
    (contact,) = etree.fromstring(response.content).iter("{%s}Contact" % NS_DATA)
    assert dict(contact.attrib) == {
        "id": contact.get("id"), "homePhone": "13105551212", "_xmlns": "v0", "_": "v1",
        "x_": "v2", "Pr_nom": "v3", "_1st": "v4", "a_b": "v5"}


def test_a_response_that_cannot_be_written_is_a_receiver_fault(server, account):
    contacts = bind(served_client(server, account), server, "Contact")
    contacts.CreateContactList(Name="l", ContactSource={"Numbers": {"_value_1": ["13105551212"]}})
    (contact,) = contacts.QueryContacts().Contact
    db = server.store.db()
    db.execute("INSERT INTO contact_fields (contact_id, account_id, name, value) "
               "VALUES (?, ?, 'firstName', ?)",
               [contact.id, account.id, "bad\x01"])  # as no request could have put it
    response = post(server, account, ENVELOPE % "<svc:GetContact><svc:Id>%d</svc:Id>"
                    "</svc:GetContact>" % contact.id)
    assert response.status_code == 500
    fault = soap_fault(response)
    assert (fault["code"], fault["fault_code"]) == ("{%s}Receiver" % SOAP12, "UNAVAILABLE")


# -- authentication ------------------------------------------------------------

def _unauthorized(server, login: str, password: str) -> tuple[float, tuple]:
    started = time.perf_counter()
    response = requests.post(server.endpoint("contact"), data=QUERY_LISTS,
                             headers=SOAP_HEADERS, auth=(login, password))
    elapsed = time.perf_counter() - started
    headers = tuple(sorted((k, v) for k, v in response.headers.items() if k.lower() != "date"))
    return elapsed, (response.status_code, headers, response.content)


def test_unknown_logins_and_wrong_passwords_answer_alike(unlimited_logins):
    account = new_account(unlimited_logins)
    wrong, unknown = [], []
    for i in range(8):
        wrong.append(_unauthorized(unlimited_logins, account.login, "wrong-%d" % i))
        unknown.append(_unauthorized(unlimited_logins, "nobody-%d" % i, "wrong-%d" % i))
    assert {answer for _, answer in wrong + unknown} == {wrong[0][1]}
    assert wrong[0][1][0] == 401
    ratio = statistics.median(t for t, _ in wrong) / statistics.median(t for t, _ in unknown)
    assert 0.5 < ratio < 2, "wrong password %.1fx as slow as unknown login" % ratio


def test_credentials_never_reach_the_log_or_a_fault(unlimited_logins):
    server = unlimited_logins
    mark = uuid.uuid4().hex
    account = new_account(server)
    secrets = [account.password, "typed-into-login-" + mark, "wrong-" + mark, "raw-" + mark]
    answers = [
        post(server, account, ENVELOPE % "<svc:GetContact><svc:Id>1</svc:Id></svc:GetContact>"),
        post(server, account, "not xml " + account.password),
        requests.post(server.endpoint("contact"), data=QUERY_LISTS, headers=SOAP_HEADERS,
                      auth=(secrets[1], "x")),
        requests.post(server.endpoint("contact"), data=QUERY_LISTS, headers=SOAP_HEADERS,
                      auth=(account.login, secrets[2])),
        requests.post(server.endpoint("contact"), data=QUERY_LISTS, headers=dict(
            SOAP_HEADERS, Authorization="Basic " + secrets[3])),
    ]
    assert [a.status_code for a in answers] == [500, 500, 401, 401, 401]
    # The login of an authenticated call is logged; one that failed may be a password.
    mine = "operation=GetContact login=%s fault=NOT_FOUND" % account.login
    deadline = time.monotonic() + 10
    while True:
        log = server.log_path.read_text()
        if mine in log and log[log.index(mine):].count("POST /api/1.1/soap12/contact") >= 4:
            break
        assert time.monotonic() < deadline, "the requests were not logged"
        time.sleep(0.05)
    for secret in secrets:
        for form in (secret, base64.b64encode(secret.encode()).decode()):
            assert form not in log
            assert all(form.encode() not in a.content for a in answers)


def _status_from(server, source: str, account=None) -> tuple[int, dict]:
    """One SOAP call from the loopback address ``source`` (all of 127/8 is loopback)."""
    address = urlsplit(server.base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10,
                                            source_address=(source, 0))
    headers = dict(SOAP_HEADERS)
    if account is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(
            ("%s:%s" % (account.login, account.password)).encode()).decode()
    try:
        connection.request("POST", "/api/1.1/soap12/contact", QUERY_LISTS.encode(), headers)
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def test_repeated_failed_logins_are_refused_for_a_while(guarded):
    account = new_account(guarded)
    impostor = new_account(guarded)
    impostor.password = "wrong"
    for _ in range(5):  # no credentials yet is how some clients begin: not a failure
        assert _status_from(guarded, "127.0.0.3")[0] == 401
    assert [_status_from(guarded, "127.0.0.3", impostor)[0] for _ in range(3)] == [401] * 3
    status, headers = _status_from(guarded, "127.0.0.3", impostor)
    assert status == 429 and 1 <= int(headers["retry-after"]) <= 2
    assert _status_from(guarded, "127.0.0.3", account)[0] == 429  # even the right password
    assert _status_from(guarded, "127.0.0.4", account)[0] == 200  # another address is let in
    deadline = time.monotonic() + 10
    while _status_from(guarded, "127.0.0.3", account)[0] == 429:
        assert time.monotonic() < deadline, "still refused long after the window"
        time.sleep(0.2)
    assert _status_from(guarded, "127.0.0.3", account)[0] == 200


# -- one account cannot reach another's data, whatever the operation ------------

OWNER_NUMBER, OWNER_DNC_NUMBER, OWNER_OTHER_NUMBER = "13105551212", "13105550000", "12135550123"
OWNER_REQUEST = "urn:owner:1"  # the RequestId of each of the owner's creates
MISSING = 10 ** 12
DIALPLAN = '<dialplan name="Root"><play type="tts">Owner</play></dialplan>'
# Far in the future: the schedule never acts while a test runs.
SCHEDULE = {"StartTimeOfDay": "09:00:00", "StopTimeOfDay": "17:00:00",
            "TimeZone": "America/New_York", "DaysOfWeek": ["MONDAY WEDNESDAY"],
            "BeginDate": "2099-01-01"}


@dataclass
class Owner:
    contact: int
    contact_list: int
    dnc_list: int
    broadcast: int  # IVR, STOPPED, with a batch of OWNER_NUMBER and a schedule
    batch: int
    schedule: int
    auto_reply: int  # on the shared short code
    number: str     # ACTIVE, labelled OWNER_LABEL, as the broadcast is
    keyword: str
    order: int
    advance: Callable[[int], None]  # moves the simulation clock
    call: int            # the batch's call, READY
    text_broadcast: int  # by SendText with the owner's RequestId, to OWNER_OTHER_NUMBER
    text: int
    call_broadcast: int  # by SendCall, likewise
    caller_code: str     # the code that verified OWNER_NUMBER as the owner's caller id
    sound: int = 0          # an uploaded WAV, OWNER_SOUND
    recorded_call: int = 0  # an answered IVR call that recorded OWNER_RECORDING
    recording: int = 0      # (both made only for the CallService sound operations)
    subscription: int = 0   # with the owner's RequestId (only for SubscriptionService)


UNOWNED_NUMBER = "13105550199"  # not in the number market: nobody can own it
OWNER_LABEL, MISSING_LABEL = "owner1", "owner2"
DISABLED = {"CallFeature": "DISABLED"}


OWNER_SOUND, OWNER_RECORDING = wav(), "owner"
RECORDING_DIALPLAN = '<dialplan><record name="%s"/></dialplan>' % OWNER_RECORDING
SOUND_OPERATIONS = ("CreateSound", "QuerySoundMeta", "GetSoundMeta", "GetSoundData",
                    "GetRecordingData")


def _owner_sounds(owner: Owner, client, server) -> None:
    """The owner's sound, and a call of another number that recorded."""
    owner.sound = bind(client, server, "Call").CreateSound(Name="Owner's", Data=OWNER_SOUND)
    broadcasts = bind(client, server, "Broadcast")
    broadcast = broadcasts.CreateBroadcast(Broadcast={"IvrBroadcastConfig": {
        "DialplanXml": RECORDING_DIALPLAN}})
    broadcasts.CreateContactBatch(BroadcastId=broadcast, ToNumber=_to("12135550199"))
    broadcasts.ControlBroadcast(Id=broadcast, Command="START")
    server.store.clock.advance(60)
    contacts = bind(client, server, "Contact")
    (callee,) = contacts.QueryContacts(Field="homePhone", String="12135550199").Contact
    (item,) = contacts.GetContactHistory(ContactId=callee.id)
    owner.recorded_call = item["Call"].id
    owner.recording = item["Call"].CallRecord[0].RecordingMeta[0].id


def _same_as_missing(call, mine: dict, missing: dict) -> None:
    """Another account's id answers exactly as an id that does not exist."""
    answers = []
    for kwargs in (mine, missing):
        with pytest.raises(Fault) as excinfo:
            call(**kwargs)
        message = re.sub(r"\d+", "N", excinfo.value.message)
        answers.append((fault_code(excinfo), message))
    assert answers[0] == answers[1]
    assert answers[0][0] == "NOT_FOUND"


def _numbers(*numbers: str) -> dict:
    return {"Numbers": {"_value_1": list(numbers)}}


def _ivr(name: str = "x", **fields) -> dict:
    return {"Name": name, "IvrBroadcastConfig": {"DialplanXml": DIALPLAN}, **fields}


def _to(*numbers: str) -> list:
    return [{"_value_1": number} for number in numbers]


def _created_anew(created: int, owners: int, get):
    """What the intruder created with the owner's RequestId: a new one of its own."""
    assert created != owners
    return get(Id=created)


def _ready(batch) -> None:
    assert batch.Size == batch.Remaining == 1


CROSS_ACCOUNT = {
    "GetContact": lambda svc, own: _same_as_missing(
        svc.GetContact, dict(Id=own.contact), dict(Id=MISSING)),
    "GetContactHistory": lambda svc, own: _same_as_missing(
        svc.GetContactHistory, dict(ContactId=own.contact), dict(ContactId=MISSING)),
    "GetContactList": lambda svc, own: _same_as_missing(
        svc.GetContactList, dict(Id=own.contact_list), dict(Id=MISSING)),
    "DeleteContactList": lambda svc, own: _same_as_missing(
        svc.DeleteContactList, dict(Id=own.contact_list), dict(Id=MISSING)),
    "QueryContacts": lambda svc, own: (
        _same_as_missing(svc.QueryContacts, dict(ContactListId=own.contact_list),
                         dict(ContactListId=MISSING)),
        _nothing(svc.QueryContacts()), _nothing(svc.QueryContacts(String="Owner")),
        _nothing(svc.QueryContacts(Field="homePhone", String=OWNER_NUMBER))),
    "UpdateContacts": lambda svc, own: _same_as_missing(
        svc.UpdateContacts, dict(Contact=[{"id": own.contact, "firstName": "X"}]),
        dict(Contact=[{"id": MISSING, "firstName": "X"}])),
    "RemoveContacts": lambda svc, own: svc.RemoveContacts(ContactId=[own.contact]),
    "CreateContactList": lambda svc, own: (
        _same_as_missing(svc.CreateContactList, dict(Name="x", ContactSource={
            "ContactId": [own.contact]}), dict(Name="x", ContactSource={"ContactId": [MISSING]})),
        _same_as_missing(svc.CreateContactList, dict(Name="x", ContactSource={
            "Contact": [{"id": own.contact, "firstName": "X"}]}), dict(Name="x", ContactSource={
                "Contact": [{"id": MISSING, "firstName": "X"}]})),
        # The owner's number makes a contact of the intruder's own, not a merge.
        svc.CreateContactList(Name="x", ContactSource={"Contact": [
            {"homePhone": OWNER_NUMBER, "firstName": "X"}]}),
        _nothing(svc.QueryContacts(String="Owner"))),
    "QueryContactLists": lambda svc, own: _nothing(svc.QueryContactLists()),
    "AddContactsToList": lambda svc, own: (
        _same_as_missing(svc.AddContactsToList, dict(ContactListId=own.contact_list,
                                                     ContactSource=_numbers("12135551000")),
                         dict(ContactListId=MISSING, ContactSource=_numbers("12135551000"))),
        _same_as_missing(svc.AddContactsToList, dict(
            ContactListId=svc.CreateContactList(Name="mine", ContactSource=_numbers()),
            ContactSource={"ContactId": [own.contact]}), dict(
            ContactListId=svc.CreateContactList(Name="mine", ContactSource=_numbers()),
            ContactSource={"ContactId": [MISSING]}))),
    "RemoveContactsFromList": lambda svc, own: _same_as_missing(
        svc.RemoveContactsFromList, dict(ContactListId=own.contact_list, ContactId=[own.contact]),
        dict(ContactListId=MISSING, ContactId=[own.contact])),
    "QueryDncNumbers": lambda svc, own: (
        _same_as_missing(svc.QueryDncNumbers, dict(DncListId=own.dnc_list),
                         dict(DncListId=MISSING)),
        _nothing(svc.QueryDncNumbers()), _nothing(svc.QueryDncNumbers(Prefix="1310")),
        _nothing(svc.QueryDncNumbers(DncListName="Owner's"))),
    "UpdateDncNumber": lambda svc, own: svc.UpdateDncNumber(
        Number=OWNER_DNC_NUMBER, CallDnc=False, TextDnc=False),
    "QueryDncLists": lambda svc, own: (
        _nothing(svc.QueryDncLists()), _nothing(svc.QueryDncLists(Name="Owner's"))),
    # The intruder's DNC list must not scrub the owner's imports nor stop the owner's
    # calls (checked by the test).
    "CreateDncList": lambda svc, own: svc.CreateDncList(
        Name="x", Numbers="12135559999 " + OWNER_NUMBER),
    "GetDncList": lambda svc, own: _same_as_missing(
        svc.GetDncList, dict(Id=own.dnc_list), dict(Id=MISSING)),
    "DeleteDncList": lambda svc, own: _same_as_missing(
        svc.DeleteDncList, dict(Id=own.dnc_list), dict(Id=MISSING)),
    "AddNumbersToDncList": lambda svc, own: _same_as_missing(
        svc.AddNumbersToDncList, dict(Id=own.dnc_list, Numbers="12135551000"),
        dict(Id=MISSING, Numbers="12135551000")),
    "RemoveNumbersFromDncList": lambda svc, own: _same_as_missing(
        svc.RemoveNumbersFromDncList, dict(Id=own.dnc_list, Numbers=OWNER_DNC_NUMBER),
        dict(Id=MISSING, Numbers=OWNER_DNC_NUMBER)),
    # BroadcastService.  The RequestId of a create is per account: the owner's
    # answers the intruder a new id, never the owner's.
    # The owner's id in the Broadcast is not the one it updates: a create makes a new one.
    "CreateBroadcast": lambda svc, own: _created_anew(svc.CreateBroadcast(
        RequestId=OWNER_REQUEST, Broadcast=_ivr("X", id=own.broadcast)), own.broadcast,
        svc.GetBroadcast),
    "QueryBroadcasts": lambda svc, own: (
        _nothing(svc.QueryBroadcasts()), _nothing(svc.QueryBroadcasts(Type=["IVR"])),
        _nothing(svc.QueryBroadcasts(Running=False)),
        _nothing(svc.QueryBroadcasts(LabelName=OWNER_LABEL))),
    "GetBroadcast": lambda svc, own: _same_as_missing(
        svc.GetBroadcast, dict(Id=own.broadcast), dict(Id=MISSING)),
    "UpdateBroadcast": lambda svc, own: _same_as_missing(
        svc.UpdateBroadcast, dict(Broadcast=_ivr(id=own.broadcast)),
        dict(Broadcast=_ivr(id=MISSING))),
    "GetBroadcastStats": lambda svc, own: _same_as_missing(
        svc.GetBroadcastStats, dict(Id=own.broadcast), dict(Id=MISSING)),
    "ControlBroadcast": lambda svc, own: (
        _same_as_missing(svc.ControlBroadcast, dict(Id=own.broadcast, Command="START"),
                         dict(Id=MISSING, Command="START")),
        _same_as_missing(svc.ControlBroadcast, dict(Id=own.broadcast, Command="ARCHIVE"),
                         dict(Id=MISSING, Command="ARCHIVE")),
        _same_as_missing(svc.ControlBroadcast, dict(Id=own.broadcast, MaxActive=1),
                         dict(Id=MISSING, MaxActive=1))),
    "CreateContactBatch": lambda svc, own: (
        _same_as_missing(svc.CreateContactBatch, dict(
            BroadcastId=own.broadcast, ToNumber=_to("12135551000"), Start=True), dict(
            BroadcastId=MISSING, ToNumber=_to("12135551000"), Start=True)),
        _same_as_missing(svc.CreateContactBatch, dict(
            BroadcastId=svc.CreateBroadcast(Broadcast=_ivr()), ContactListId=own.contact_list),
            dict(BroadcastId=svc.CreateBroadcast(Broadcast=_ivr()), ContactListId=MISSING)),
        # The owner's number, in the owner's broadcast already, is no duplicate here.
        _ready(_created_anew(svc.CreateContactBatch(
            RequestId=OWNER_REQUEST, BroadcastId=svc.CreateBroadcast(Broadcast=_ivr()),
            ToNumber=_to(OWNER_NUMBER), ScrubBroadcastDuplicates=True), own.batch,
            svc.GetContactBatch))),
    "QueryContactBatches": lambda svc, own: _same_as_missing(
        svc.QueryContactBatches, dict(BroadcastId=own.broadcast), dict(BroadcastId=MISSING)),
    "GetContactBatch": lambda svc, own: _same_as_missing(
        svc.GetContactBatch, dict(Id=own.batch), dict(Id=MISSING)),
    "ControlContactBatch": lambda svc, own: _same_as_missing(
        svc.ControlContactBatch, dict(Id=own.batch, Name="X", Enabled=False),
        dict(Id=MISSING, Name="X", Enabled=False)),
    "CreateBroadcastSchedule": lambda svc, own: (
        _same_as_missing(svc.CreateBroadcastSchedule, dict(
            BroadcastId=own.broadcast, BroadcastSchedule=SCHEDULE), dict(
            BroadcastId=MISSING, BroadcastSchedule=SCHEDULE)),
        _created_anew(svc.CreateBroadcastSchedule(
            RequestId=OWNER_REQUEST, BroadcastId=svc.CreateBroadcast(Broadcast=_ivr()),
            BroadcastSchedule=SCHEDULE), own.schedule, svc.GetBroadcastSchedule)),
    "QueryBroadcastSchedule": lambda svc, own: _same_as_missing(
        svc.QueryBroadcastSchedule, dict(BroadcastId=own.broadcast), dict(BroadcastId=MISSING)),
    "GetBroadcastSchedule": lambda svc, own: _same_as_missing(
        svc.GetBroadcastSchedule, dict(Id=own.schedule), dict(Id=MISSING)),
    "DeleteBroadcastSchedule": lambda svc, own: _same_as_missing(
        svc.DeleteBroadcastSchedule, dict(Id=own.schedule), dict(Id=MISSING)),
    # TextService.  SendText into the owner's broadcast is refused like a missing one; the
    # intruder's own and default broadcasts are new ones, never the owner's.
    "SendText": lambda svc, own: (
        _same_as_missing(svc.SendText, dict(
            BroadcastId=own.broadcast, ToNumber=_to(OWNER_NUMBER),
            TextBroadcastConfig={"Message": "x"}), dict(
            BroadcastId=MISSING, ToNumber=_to(OWNER_NUMBER),
            TextBroadcastConfig={"Message": "x"})),
        _created_anew(svc.SendText(RequestId=OWNER_REQUEST, ToNumber=_to(OWNER_NUMBER),
                                   TextBroadcastConfig={"Message": "x"},
                                   UseDefaultBroadcast=True, ScrubBroadcastDuplicates=True),
                      own.broadcast, lambda Id: _nothing_else(svc.QueryTexts(BroadcastId=Id)))),
    "QueryTexts": lambda svc, own: (
        _nothing(svc.QueryTexts()), _nothing(svc.QueryTexts(BroadcastId=own.broadcast)),
        _nothing(svc.QueryTexts(LabelName=OWNER_LABEL)),
        _nothing(svc.QueryTexts(BroadcastId=own.text_broadcast)),
        _nothing(svc.QueryTexts(BatchId=own.batch)),
        _nothing(svc.QueryTexts(ToNumber=OWNER_OTHER_NUMBER))),
    "GetText": lambda svc, own: _same_as_missing(
        svc.GetText, dict(Id=own.text), dict(Id=MISSING)),
    # NumberService: the owner's number is nobody else's to see, buy, configure or release.
    "QueryRegions": lambda svc, own: _some(svc.QueryRegions(Region={"Prefix": own.number[:7]})),
    "SearchAvailableNumbers": lambda svc, own: _not_offered(own.number, svc.SearchAvailableNumbers(
        Region={"Prefix": own.number[:7]}, Count=1000)),
    "QueryNumbers": lambda svc, own: (
        _nothing(svc.QueryNumbers(Region={})),
        _nothing(svc.QueryNumbers(Region={"Prefix": own.number}, LabelName=OWNER_LABEL))),
    "GetNumber": lambda svc, own: _same_as_missing(
        svc.GetNumber, dict(Number=own.number), dict(Number=UNOWNED_NUMBER)),
    "ConfigureNumber": lambda svc, own: _same_as_missing(
        svc.ConfigureNumber, dict(Number=own.number, NumberConfiguration=DISABLED),
        dict(Number=UNOWNED_NUMBER, NumberConfiguration=DISABLED)),
    "QueryKeywords": lambda svc, own: _nothing(svc.QueryKeywords()),
    "SearchAvailableKeywords": lambda svc, own: _nothing(
        svc.SearchAvailableKeywords(Keywords=[own.keyword])),
    "CreateNumberOrder": lambda svc, own: _errored(svc, own, svc.CreateNumberOrder(
        Numbers=[own.number], Keywords=[own.keyword])),
    "GetNumberOrder": lambda svc, own: _same_as_missing(
        svc.GetNumberOrder, dict(Id=own.order), dict(Id=MISSING)),
    "Release": lambda svc, own: (
        _same_as_missing(svc.Release, dict(Number=own.number), dict(Number=UNOWNED_NUMBER)),
        _same_as_missing(svc.Release, dict(Number="67076", Keyword=own.keyword),
                         dict(Number="67076", Keyword="OWNER1"))),
    # LabelService: labels are per account, by name.
    "QueryLabels": lambda svc, own: _nothing(svc.QueryLabels()),
    "DeleteLabel": lambda svc, own: _same_as_missing(
        svc.DeleteLabel, dict(LabelName=OWNER_LABEL), dict(LabelName=MISSING_LABEL)),
    "LabelBroadcast": lambda svc, own: _same_as_missing(
        svc.LabelBroadcast, dict(Id=own.broadcast, LabelName=OWNER_LABEL),
        dict(Id=MISSING, LabelName=OWNER_LABEL)),
    "UnlabelBroadcast": lambda svc, own: _same_as_missing(
        svc.UnlabelBroadcast, dict(Id=own.broadcast, LabelName=OWNER_LABEL),
        dict(Id=MISSING, LabelName=OWNER_LABEL)),
    "LabelNumber": lambda svc, own: _same_as_missing(
        svc.LabelNumber, dict(Number=own.number, LabelName=OWNER_LABEL),
        dict(Number=UNOWNED_NUMBER, LabelName=OWNER_LABEL)),
    "UnlabelNumber": lambda svc, own: _same_as_missing(
        svc.UnlabelNumber, dict(Number=own.number, LabelName=OWNER_LABEL),
        dict(Number=UNOWNED_NUMBER, LabelName=OWNER_LABEL)),
    "CreateAutoReply": lambda svc, own: _created_anew(svc.CreateAutoReply(
        RequestId=OWNER_REQUEST, AutoReply=_auto_reply(id=own.auto_reply)), own.auto_reply,
        svc.GetAutoReply),
    "QueryAutoReplies": lambda svc, own: (
        _nothing(svc.QueryAutoReplies()), _nothing(svc.QueryAutoReplies(Number="67076"))),
    "GetAutoReply": lambda svc, own: _same_as_missing(
        svc.GetAutoReply, dict(Id=own.auto_reply), dict(Id=MISSING)),
    "DeleteAutoReply": lambda svc, own: _same_as_missing(
        svc.DeleteAutoReply, dict(Id=own.auto_reply), dict(Id=MISSING)),
    # CallService.  The intruder's SendCall with the owner's RequestId is a new broadcast.
    "SendCall": lambda svc, own: _created_anew(
        svc.SendCall(RequestId=OWNER_REQUEST, ToNumber=_to(OWNER_NUMBER),
                     VoiceBroadcastConfig={"LiveSoundText": "x"}, ScrubBroadcastDuplicates=True),
        own.call_broadcast, lambda Id: _nothing_else(svc.QueryCalls(BroadcastId=Id))),
    "QueryCalls": lambda svc, own: (
        _nothing(svc.QueryCalls()), _nothing(svc.QueryCalls(BroadcastId=own.broadcast)),
        _nothing(svc.QueryCalls(BroadcastId=own.call_broadcast)),
        _nothing(svc.QueryCalls(BatchId=own.batch)),
        _nothing(svc.QueryCalls(ToNumber=OWNER_NUMBER))),
    "GetCall": lambda svc, own: _same_as_missing(
        svc.GetCall, dict(Id=own.call), dict(Id=MISSING)),
    # The owner's caller id is the owner's: the intruder's code sending and verifying
    # (with the code the owner's call spoke) are its own.
    "SendVerificationCodeToCallerId": lambda svc, own: (
        svc.SendVerificationCodeToCallerId(RequestId=OWNER_REQUEST, CallerId=OWNER_NUMBER),
        _nothing(svc.GetCallerIds())),
    "VerifyCallerId": lambda svc, own: (
        _is(False, svc.VerifyCallerId(CallerId=OWNER_NUMBER, VerificationCode=own.caller_code)),
        _nothing(svc.GetCallerIds())),
    "GetCallerIds": lambda svc, own: _nothing(svc.GetCallerIds()),
    # CallService's sounds.  The owner's audio uploaded again is a new sound of the
    # intruder's own (and the owner's sound id in a broadcast is refused like a missing
    # one: checked by the test).
    "CreateSound": lambda svc, own: _created_anew(
        svc.CreateSound(Name="x", Data=OWNER_SOUND), own.sound, svc.GetSoundMeta),
    "QuerySoundMeta": lambda svc, own: _nothing(svc.QuerySoundMeta()),
    "GetSoundMeta": lambda svc, own: _same_as_missing(
        svc.GetSoundMeta, dict(Id=own.sound), dict(Id=MISSING)),
    "GetSoundData": lambda svc, own: _same_as_missing(
        svc.GetSoundData, dict(Id=own.sound, Format="WAV"), dict(Id=MISSING, Format="WAV")),
    "GetRecordingData": lambda svc, own: (
        _same_as_missing(svc.GetRecordingData, dict(RecordingId=own.recording),
                         dict(RecordingId=MISSING)),
        _same_as_missing(svc.GetRecordingData, dict(CallId=own.recorded_call, Name=OWNER_RECORDING),
                         dict(CallId=MISSING, Name=OWNER_RECORDING))),
    # SubscriptionService.  The intruder's subscriptions never hear of the owner's events
    # (tests/test_postbacks.py); the owner's subscription is a missing one to it.
    "CreateSubscription": lambda svc, own: (
        _created_anew(svc.CreateSubscription(RequestId=OWNER_REQUEST,
                                             Subscription=_subscription()),
                      own.subscription, svc.GetSubscription),
        _nothing_else(svc.QuerySubscriptions())),
    "QuerySubscriptions": lambda svc, own: _nothing(svc.QuerySubscriptions()),
    "GetSubscription": lambda svc, own: _same_as_missing(
        svc.GetSubscription, dict(Id=own.subscription), dict(Id=MISSING)),
    "UpdateSubscription": lambda svc, own: _same_as_missing(
        svc.UpdateSubscription, dict(Subscription=_subscription(id=own.subscription)),
        dict(Subscription=_subscription(id=MISSING))),
    "DeleteSubscription": lambda svc, own: _same_as_missing(
        svc.DeleteSubscription, dict(Id=own.subscription), dict(Id=MISSING)),
}


def _is(expected, answer) -> None:
    assert answer is expected


def _verified_caller_id(server, account, calls) -> str:
    """OWNER_NUMBER verified as the account's caller id; the code its call spoke."""
    calls.SendVerificationCodeToCallerId(RequestId=OWNER_REQUEST, CallerId=OWNER_NUMBER)
    (code,) = server.store.db().execute(
        "SELECT code FROM caller_ids WHERE account_id = ? AND number = ?",
        [account.id, OWNER_NUMBER]).fetchone()
    assert calls.VerifyCallerId(CallerId=OWNER_NUMBER, VerificationCode=code) is True
    return code



def _auto_reply(**fields) -> dict:
    return {"Number": "67076", "Match": "", "Message": "Owner's reply", **fields}


def _some(page) -> None:
    assert page.TotalResults > 0


def _not_offered(number: str, page) -> None:
    assert number not in [n.Number for n in page.Number]


def _errored(svc, own: Owner, order_id: int) -> None:
    """The intruder's order for the owner's number and keyword buys nothing."""
    own.advance(60)
    assert svc.GetNumberOrder(Id=order_id).Status == "ERRORED"


def _subscription(**fields) -> dict:
    return {"Endpoint": "http://127.0.0.1:9/hook", "TriggerEvent": "CAMPAIGN_FINISHED", **fields}


def _nothing(page) -> None:
    assert page.TotalResults == 0


def _nothing_else(page) -> None:
    """The intruder's SendText made one text, of its own."""
    assert page.TotalResults == 1


def _implemented() -> list[tuple[str, str]]:
    return [(port.name, operation.name) for port in PORTS for operation in port.operations
            if implemented(port.name, operation.name)]


def test_every_implemented_operation_has_a_cross_account_case():
    assert sorted(name for _, name in _implemented()) == sorted(CROSS_ACCOUNT)


def _owned(server, owner_client, broadcast: int) -> tuple[str, str, int]:
    """The owner buys a number and a keyword, and labels the number and the broadcast."""
    numbers = bind(owner_client, server, "Number")
    (number,) = numbers.SearchAvailableNumbers(Region={"State": "KS"}, Count=1).Number
    keyword = "OWNER%d" % broadcast
    order = numbers.CreateNumberOrder(Numbers=[number.Number], Keywords=[keyword])
    server.store.clock.advance(60)
    labels = bind(owner_client, server, "Label")
    labels.LabelNumber(Number=number.Number, LabelName=OWNER_LABEL)
    labels.LabelBroadcast(Id=broadcast, LabelName=OWNER_LABEL)
    return number.Number, keyword, order


@pytest.mark.parametrize("operation", sorted(CROSS_ACCOUNT))
def test_another_account_cannot_reach_the_data(server, operation):
    owner_account, intruder = new_account(server), new_account(server)
    owner_client = served_client(server, owner_account)
    owner_svc = bind(owner_client, server, "Contact")
    contact_list = owner_svc.CreateContactList(Name="Owner's", ContactSource={"Contact": [
        {"homePhone": OWNER_NUMBER, "firstName": "Owner"}]})
    (contact,) = owner_svc.QueryContacts().Contact
    owner_broadcasts = bind(owner_client, server, "Broadcast")
    broadcast = owner_broadcasts.CreateBroadcast(RequestId=OWNER_REQUEST,
                                                 Broadcast=_ivr("Owner's"))
    owner_calls = bind(owner_client, server, "Call")
    owner_texts = bind(owner_client, server, "Text")
    batch = owner_broadcasts.CreateContactBatch(RequestId=OWNER_REQUEST, BroadcastId=broadcast,
                                                ToNumber=_to(OWNER_NUMBER))
    text_broadcast = owner_texts.SendText(RequestId=OWNER_REQUEST,
                                          ToNumber=_to(OWNER_OTHER_NUMBER),
                                          TextBroadcastConfig={"Message": "Owner's"})
    owner = Owner(contact.id, contact_list,
                  owner_svc.CreateDncList(Name="Owner's", Numbers=OWNER_DNC_NUMBER), broadcast,
                  batch,
                  owner_broadcasts.CreateBroadcastSchedule(RequestId=OWNER_REQUEST,
                                                           BroadcastId=broadcast,
                                                           BroadcastSchedule=SCHEDULE),
                  bind(owner_client, server, "Text").CreateAutoReply(
                      RequestId=OWNER_REQUEST, AutoReply=_auto_reply()),
                  *_owned(server, owner_client, broadcast), server.store.clock.advance,
                  owner_calls.QueryCalls(BroadcastId=broadcast).Call[0].id, text_broadcast,
                  owner_texts.QueryTexts(BroadcastId=text_broadcast).Text[0].id,
                  owner_calls.SendCall(RequestId=OWNER_REQUEST, ToNumber=_to(OWNER_OTHER_NUMBER),
                                       VoiceBroadcastConfig={"LiveSoundText": "Owner's"}),
                  _verified_caller_id(server, owner_account, owner_calls))
    if operation in SOUND_OPERATIONS:
        _owner_sounds(owner, owner_client, server)
    if operation.endswith("Subscription") or operation == "QuerySubscriptions":
        owner.subscription = bind(owner_client, server, "Subscription").CreateSubscription(
            RequestId=OWNER_REQUEST, Subscription=_subscription())
    before = account_rows(server.store, owner_account.id)
    assert before["broadcasts"] and before["contact_batches"] and before["actions"] \
        and before["broadcast_schedules"] and before["auto_replies"]

    (port,) = [port for port, name in _implemented() if name == operation]
    intruder_client = served_client(server, intruder)
    CROSS_ACCOUNT[operation](bind(intruder_client, server, port.removesuffix("ServicePort")),
                             owner)
    if operation in SOUND_OPERATIONS:  # the owner's sound in a broadcast: as a missing one
        intruder_broadcasts = bind(intruder_client, server, "Broadcast")
        play = '<dialplan><play type="callfireid">%d</play></dialplan>'
        for make in (lambda sound: {"VoiceBroadcastConfig": {"LiveSoundId": sound}},
                     lambda sound: {"IvrBroadcastConfig": {"DialplanXml": play % sound}}):
            _same_as_missing(intruder_broadcasts.CreateBroadcast,
                             dict(Broadcast=make(owner.sound)), dict(Broadcast=make(MISSING)))

    assert account_rows(server.store, owner_account.id) == before
    # Whatever the intruder put on its DNC lists does not scrub the owner's imports.
    owner_svc.AddContactsToList(ContactListId=contact_list, ContactSource=_numbers("12135559999"))
    assert owner_svc.GetContactList(Id=contact_list).Size == 2
    # Nor does it stop the owner's call, and what the intruder dialled is not in the
    # owner's history: one call, answered (see store/outcomes.py).
    owner_broadcasts.ControlBroadcast(Id=broadcast, Command="START")
    server.store.clock.advance(60)
    (call,) = [item["Call"] for item in owner_svc.GetContactHistory(ContactId=contact.id)]
    assert (call.BroadcastId, call.State, call.FinalResult) == (broadcast, "FINISHED", "LA")
