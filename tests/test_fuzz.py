"""Random and mutated requests at every operation of every port (hypothesis).

Requests are drawn from the served schema itself, so each operation gets
well-typed requests that reach its code, as well as ill-typed, hostile and
byte-mangled ones.  Every answer must be a well-formed SOAP envelope (1.2, or
1.1 where the request was) with the right HTTP status: a response the served XSD
allows with no two elements sharing an id, a Sender fault or a VersionMismatch
fault; never an internal error.  The
server must stay up, log no traceback, leave the account's data as it was
when it refuses a request, and never touch another account's.

The simulation clock stands still while a request runs: a read that shows what
broadcasts did simulates them up to now first and keeps that, refused or not
(store/__init__.py), so each example may move the clock and read the broadcasts
before the request, never during it.

``CALLFIRE_SOAP_FUZZ_EXAMPLES`` sets how many requests (CI runs the default).
"""
import base64
import os
import re

import pytest
import requests
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from spyne.model.binary import ByteArray
from spyne.model.complex import ComplexModelBase, XmlAttribute, XmlData
from spyne.model.primitive import Boolean, Date, DateTime, Float, Integer, Time

from callfire_soap.services import implemented
from callfire_soap.soap.models import PORTS, SCHEMA
from callfire_soap.soap.schema import SpaceList, choices, fields, has_any_attribute
from callfire_soap.store import market
from callfire_soap.store.attributes import STANDARD_FIELDS
from callfire_soap.store.market import RegionFilter
from conftest import (CONTENT_TYPES, ENVELOPE, NS_SVC, SERVED_XSD, SOAP11, SOAP11_HEADERS,
                      SOAP12, SOAP_HEADERS, account_rows, assert_unique_ids, bind, new_account,
                      served_client, start_server, wav)

EXAMPLES = int(os.environ.get("CALLFIRE_SOAP_FUZZ_EXAMPLES", "1000"))
OPERATIONS = [(port.path, operation) for port in PORTS for operation in port.operations]
# Operations with code behind them are drawn ten times as often as the rest.
WEIGHTED = OPERATIONS + 9 * [(port.path, operation) for port in PORTS
                             for operation in port.operations
                             if implemented(port.name, operation.name)]
# Numbers of the market the two accounts buy (the same on every server).
BOUGHT = market.search(RegionFilter(state="KS"), False, 2, lambda numbers: set())
# Ours, the other account's, and nobody's; then the numbers each owns.
NUMBERS_IN_USE = ["13105551212", "12135551000", "13105550000", *BOUGHT]



NASTY = st.sampled_from([
    "Robert'); DROP TABLE contacts;--", "' OR 1=1 --", "%", "_", "\\", "*", "\"", ";",
    "名前", "Zoë", "🎉", "\u202e", "\ufeff", " ", "", "0", "-1", "NaN", "1e309",
    "9223372036854775808", "-9223372036854775809", "18446744073709551616", "+1 (310) 555-1212",
])
XML_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r"),
                   max_size=40)
# Audio (a CreateSound's Data): a tenth of a second of WAV.
WAV = wav(800)
# Strings some fields must hold to get past their checks: time zone names, dialplans.
MEANINGFUL = st.sampled_from([
    "America/New_York", "Asia/Tokyo", "UTC", "Etc/GMT-14", "Pacific/Kiritimati",
    "<dialplan/>", '<dialplan name="Root"><play type="tts">Hi</play></dialplan>',
    "<!DOCTYPE d><dialplan/>", "<dialplan>", "label", "PIZZA", "67076", "KS", "Wichita",
    '<dialplan><record name="r" timeout="3"/><play type="callfireid">1</play></dialplan>',
])
TEXT = XML_TEXT | NASTY | MEANINGFUL
INTEGERS = (st.integers(-3, 10) | st.integers(-2 ** 63, 2 ** 63 - 1)).map(str)
# Requests that read back all an account has: its contacts, lists and DNC numbers.
READ_BACK = [ENVELOPE % ('<q:%s xmlns:q="%s"/>' % (etree.QName(op.input_element).localname,
                                                  etree.QName(op.input_element).namespace))
             for path, op in OPERATIONS if path == "contact" and op.name in (
                 "QueryContacts", "QueryContactLists", "QueryDncNumbers", "QueryDncLists")]
# A read that simulates the account's broadcasts up to now.
CATCH_UP = ENVELOPE % "<svc:QueryBroadcasts/>"
# A CSV is not XML: any character can come in it.
CSV_CELL = st.sampled_from(NUMBERS_IN_USE + ["13105559876", "a\x01b", "\x00", "\ufffe"]) \
    | st.text(max_size=8) | st.text(st.characters(exclude_categories=("Cs",)), max_size=12) \
    | NASTY
CSV_HEADER = st.sampled_from(STANDARD_FIELDS + (
    "id", "FIRSTNAME", "HomePhone", "ID", "xmlns", "µ", "x²", "a b", "1st", "")) | CSV_CELL


@st.composite
def csv_file(draw) -> bytes:
    columns = draw(st.integers(1, 4))
    rows = [draw(st.lists(CSV_HEADER, min_size=columns, max_size=columns))] + draw(st.lists(
        st.lists(CSV_CELL, min_size=columns, max_size=columns), max_size=5))
    text = "\n".join(",".join(row) for row in rows)
    return text.encode(draw(st.sampled_from(["utf-8"] * 5 + ["utf-8-sig", "cp1252", "utf-16"])),
                       errors="replace")


def values(model, ids: list[int], spoil: bool) -> st.SearchStrategy[str]:
    """Text for one simple value of ``model``: of its type, or when spoiling sometimes not."""
    if issubclass(model, SpaceList):
        item = values(model.Attributes.item_type, ids, spoil)
        typed = st.tuples(st.lists(item, max_size=4), st.sampled_from([" ", ",", ", "])).map(
            lambda parts: parts[1].join(parts[0]))
    elif model.Attributes.values:
        typed = st.sampled_from(sorted(model.Attributes.values))
    elif getattr(model.Attributes, "pattern", None):
        pattern = model.Attributes.pattern
        typed = st.from_regex(pattern, fullmatch=True).filter(lambda s: len(s) < 40)
        numbers = [number for number in NUMBERS_IN_USE if re.fullmatch(pattern, number)]
        if numbers:  # a phone number, not a voice's name
            typed |= st.sampled_from(numbers)
    elif issubclass(model, Boolean):
        typed = st.sampled_from(["true", "false", "1", "0"])
    elif issubclass(model, Integer):
        typed = st.sampled_from(ids).map(str) | INTEGERS
    elif issubclass(model, Date):  # before DateTime: Spyne's Date is a DateTime
        typed = st.dates().map(str) | st.sampled_from(["9999-12-31", "0001-01-01"])
    elif issubclass(model, DateTime):
        typed = st.datetimes().map(lambda d: d.isoformat()) | st.sampled_from(
            ["9999-12-31T23:59:59.999999+14:00", "0001-01-01T00:00:00+14:00"])
        if spoil:  # not dates at all: a request that holds one can never get through
            typed |= st.sampled_from(["2014-02-30T00:00:00", "-0001-01-01T00:00:00Z"])
    elif issubclass(model, Time):
        typed = st.times().map(str)
    elif issubclass(model, Float):
        typed = st.floats().map(repr) | st.sampled_from(["INF", "-INF", "NaN", "1e39"])
    elif issubclass(model, ByteArray):
        typed = (csv_file() | st.binary(max_size=60) | st.just(WAV)).map(
            lambda b: base64.b64encode(b).decode())
    else:
        typed = TEXT
    return st.one_of(typed, typed, typed, TEXT) if spoil else typed


def element(draw, cls, qname: str, ids: list[int], spoil: bool,
            depth: int = 0) -> etree._Element:
    """An instance of ``cls``, the type of ``qname``; when spoiling, with parts left
    out and added."""
    node = etree.Element(qname)
    if not issubclass(cls, ComplexModelBase):
        node.text = draw(values(cls, ids, spoil))
        return node
    namespace = cls.get_namespace()
    chosen, skipped = set(), set()
    for group in choices(cls):
        chosen.update(draw(st.lists(st.sampled_from(group), min_size=1, max_size=2)))
        skipped.update(set(group) - chosen)
    for name, member in fields(cls).items():
        if issubclass(member, XmlAttribute):
            if member._use == "required" or draw(st.booleans()):
                node.set(name, draw(values(member.type, ids, spoil)))
        elif issubclass(member, XmlData):
            node.text = draw(values(member.type, ids, spoil))
        elif name not in skipped and depth < 6:
            low = max(member.Attributes.min_occurs, name in chosen)
            high = max(low, min(member.Attributes.max_occurs, 3))
            child = "{%s}%s" % (member.Attributes.sub_ns or namespace, name)
            for _ in range(draw(st.integers(max(0, low - spoil), high))):
                node.append(element(draw, member, child, ids, spoil, depth + 1))
    if has_any_attribute(cls):
        for name, value in draw(st.dictionaries(st.sampled_from(
                ["note", "FIRSTNAME", "ID", "x.y", "_1", "名前"]), TEXT, max_size=2)).items():
            node.set(name, value)
    if spoil and draw(st.integers(0, 9)) == 0:
        node.append(etree.Element("{%s}%s" % (namespace, draw(st.sampled_from(
            ["Id", "Name", "Unknown", "Contact"])))))
    return node


@st.composite
def request(draw, ids: list[int]) -> tuple[str, bytes, dict]:
    """An endpoint, a body and headers: a request of some operation, half of them spoilt."""
    path, operation = draw(st.sampled_from(WEIGHTED))
    spoil = draw(st.booleans())
    envelope_ns = draw(st.sampled_from([SOAP12] * 4 + [SOAP11]))  # as legacy clients send
    envelope = etree.Element("{%s}Envelope" % envelope_ns, nsmap={"env": envelope_ns})
    if draw(st.integers(0, 4)) == 0:  # a header no one asked for is ignored
        header = etree.SubElement(envelope, "{%s}Header" % envelope_ns)
        header.append(etree.Element("{urn:x}Security", mustUnderstand="1"))
    body = etree.SubElement(envelope, "{%s}Body" % envelope_ns)
    for _ in range(draw(st.sampled_from([1] * 6 + [0, 2])) if spoil else 1):
        body.append(element(draw, SCHEMA.element(operation.input_element),
                            operation.input_element, ids, spoil))
    data = etree.tostring(envelope, xml_declaration=draw(st.booleans()), encoding="UTF-8")
    if not spoil:
        return path, data, SOAP_HEADERS if envelope_ns == SOAP12 else SOAP11_HEADERS
    for _ in range(draw(st.integers(0, 3))):
        data = draw(mutation(data))
    if draw(st.integers(0, 9)) == 0:
        path = draw(st.sampled_from(OPERATIONS))[0]
    headers = SOAP_HEADERS if draw(st.integers(0, 9)) else {"Content-Type": draw(
        st.sampled_from(["text/xml", "text/plain", "application/soap+xml; charset=latin-1"]))}
    return path, data, headers


def mutation(data: bytes) -> st.SearchStrategy[bytes]:
    """One byte-level change: cut, insert, overwrite, duplicate or truncate."""
    where = st.integers(0, len(data))
    junk = st.binary(min_size=1, max_size=8) | st.sampled_from([
        b"<", b">", b"&", b"&lol;", b"\x00", b"\xff\xfe", b"\xc3", b"]]>", b"<![CDATA[",
        b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"<!--", b"-->", b"<?pi?>", b"xmlns:svc='urn:x'",
        b"\"", b"'", b"</env:Body>"])
    return st.one_of(
        st.tuples(where, st.integers(1, 20)).map(lambda c: data[:c[0]] + data[c[0] + c[1]:]),
        st.tuples(where, junk).map(lambda c: data[:c[0]] + c[1] + data[c[0]:]),
        st.tuples(where, junk).map(lambda c: data[:c[0]] + c[1] + data[c[0] + len(c[1]):]),
        st.tuples(where, st.integers(1, 40)).map(
            lambda c: data[:c[0] + c[1]] + data[c[0]:c[0] + c[1]] + data[c[0] + c[1]:]),
        where.map(lambda c: data[:c]),
    )


# What a fault may be, by SOAP version: its code, and its CallFire FaultCode.
ALLOWED_FAULTS = {
    SOAP12: {("env:Sender", "BAD_REQUEST"), ("env:Sender", "NOT_FOUND"),
             ("env:VersionMismatch", "BAD_REQUEST")},
    SOAP11: {("soap:Client", "BAD_REQUEST"), ("soap:Client", "NOT_FOUND"),
             ("soap:VersionMismatch", "BAD_REQUEST")},
}


def soap_answer(response: requests.Response) -> etree._Element | None:
    """Checks the answer is a SOAP envelope fit for its status; its fault, if any."""
    assert response.status_code in (200, 413, 415, 500), response.status_code
    envelope = etree.fromstring(response.content)
    version = etree.QName(envelope).namespace
    assert envelope.tag == "{%s}Envelope" % version and version in CONTENT_TYPES
    assert response.headers["Content-Type"] == CONTENT_TYPES[version], response.text
    (body,) = envelope.iterchildren("{%s}Body" % version)
    faults = list(body.iterchildren("{%s}Fault" % version))
    if response.status_code == 200:
        assert not faults
        for child in body:
            SERVED_XSD.assertValid(child)
            assert_unique_ids(child)
        return None
    (fault,) = faults
    code = fault.findtext("{%(e)s}Code/{%(e)s}Value" % {"e": SOAP12} if version == SOAP12
                          else "faultcode")
    fault_code = fault.findtext(".//{%(s)s}ServiceFaultInfo/{%(s)s}FaultCode" % {"s": NS_SVC})
    assert (code, fault_code) in ALLOWED_FAULTS[version], response.text
    return fault


ID_TABLES = ("contacts", "contact_lists", "dnc_lists", "broadcasts", "contact_batches",
             "broadcast_schedules", "sounds", "recordings")


def latest_ids(server, count: int = 3) -> list[int]:
    """Each table's latest ``count`` ids, of either account, repeated to make up
    ``count`` where there are fewer: what the fuzzer made lately (the world's
    broadcasts may all be ARCHIVED by then), always as many of them (a strategy
    must not change its shape from one example to the next)."""
    ids = []
    for table in ID_TABLES:
        rows = [row[0] for row in server.store.db().execute(
            "SELECT id FROM %s ORDER BY id DESC LIMIT ?" % table, [count])]
        ids.extend((rows * count)[:count])
    return ids


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("fuzz") / "fuzz.db",
                      "--sim-speed", "0") as running:
        yield running


@pytest.fixture(scope="module")
def world(fuzzed):
    """The fuzzing account and a bystander, each with contacts, lists and a DNC list,
    and broadcasts with batches and schedules: a started IVR and a stopped text."""
    accounts = [new_account(fuzzed), new_account(fuzzed)]
    for account, number in zip(accounts, NUMBERS_IN_USE):
        client = served_client(fuzzed, account)
        contacts = bind(client, fuzzed, "Contact")
        list_id = contacts.CreateContactList(Name="list", ContactSource={"Contact": [
            {"homePhone": number, "firstName": "Ann", "_attr_1": {"note": "x"}},
            {"workPhone": "12135559999"}]})
        contacts.CreateDncList(Name="dnc", Numbers="13105557777")
        bind(client, fuzzed, "Call").CreateSound(Name="sound", Data=WAV)
        broadcasts = bind(client, fuzzed, "Broadcast")
        ivr = broadcasts.CreateBroadcast(Broadcast={"Name": "ivr", "IvrBroadcastConfig": {
            "DialplanXml": "<dialplan><play type='tts'>Hi</play><record name='r'/></dialplan>",
            "LocalTimeZoneRestriction": {"BeginTime": "08:00:00", "EndTime": "21:00:00"},
            "RetryConfig": {"MaxAttempts": 2, "MinutesBetweenAttempts": 5,
                            "RetryResults": ["BUSY NO_ANS"]}}})
        text = broadcasts.CreateBroadcast(Broadcast={"Name": "text", "TextBroadcastConfig": {
            "Message": "Hello"}})
        for broadcast_id in (ivr, text):
            broadcasts.CreateContactBatch(BroadcastId=broadcast_id, ToNumber=[
                {"_value_1": n} for n in (number, "13105550103", "13105557777")])
            broadcasts.CreateContactBatch(BroadcastId=broadcast_id, ContactListId=list_id)
            broadcasts.CreateBroadcastSchedule(BroadcastId=broadcast_id, BroadcastSchedule={
                "StartTimeOfDay": "09:00:00", "StopTimeOfDay": "17:00:00",
                "TimeZone": "America/Chicago", "DaysOfWeek": ["MONDAY FRIDAY"]})
        broadcasts.ControlBroadcast(Id=ivr, Command="START", MaxActive=2)
        _buy(fuzzed, client, BOUGHT[accounts.index(account)], ivr)
    ids = sorted({row[0] for table in ID_TABLES
                  for row in fuzzed.store.db().execute("SELECT id FROM %s" % table)})
    session = requests.Session()
    session.auth = (accounts[0].login, accounts[0].password)
    return accounts, ids, session, {"log": 0}


def _buy(fuzzed, client, number: str, broadcast_id: int) -> None:
    """The account owns ``number`` (and keyword PIZZA, the fuzzing account), labelled."""
    numbers, labels = bind(client, fuzzed, "Number"), bind(client, fuzzed, "Label")
    numbers.CreateNumberOrder(Numbers=[number], Keywords=[] if number != BOUGHT[0]
                              else ["PIZZA"])
    fuzzed.store.clock.advance(60)
    labels.LabelNumber(Number=number, LabelName="label")
    labels.LabelBroadcast(Id=broadcast_id, LabelName="label")


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@given(data=st.data())
def test_every_request_gets_a_soap_answer_and_refusals_change_nothing(fuzzed, world, data):
    (account, bystander), ids, session, seen = world
    path, body, headers = data.draw(request(ids + latest_ids(fuzzed)))
    fuzzed.store.clock.advance(data.draw(st.sampled_from([0] * 8 + [1, 50, 3600, 86400])))
    assert soap_answer(session.post(fuzzed.endpoint("broadcast"), data=CATCH_UP,
                                    headers=SOAP_HEADERS)) is None
    mine, theirs = account_rows(fuzzed.store, account.id), account_rows(fuzzed.store, bystander.id)
    seen["log"] = fuzzed.log_path.stat().st_size  # not what an earlier, failed example left

    response = session.post(fuzzed.endpoint(path), data=body, headers=headers, timeout=30)

    fault = soap_answer(response)
    if fault is None:  # whatever it stored can be read back
        for query in READ_BACK:
            assert soap_answer(session.post(fuzzed.endpoint("contact"), data=query,
                                            headers=SOAP_HEADERS)) is None
    event("%s %d %s" % (path, response.status_code, "" if fault is None else fault.findtext(
        ".//{%(s)s}FaultCode" % {"s": NS_SVC})))  # see pytest --hypothesis-show-statistics
    if fault is not None:
        assert account_rows(fuzzed.store, account.id) == mine, response.text
    assert account_rows(fuzzed.store, bystander.id) == theirs
    assert fuzzed.proc.poll() is None, "the server died"
    with open(fuzzed.log_path, "rb") as log:
        log.seek(seen["log"])
        new = log.read()
    assert b"Traceback" not in new, new.decode(errors="replace")


@settings(max_examples=EXAMPLES // 4, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(csv=csv_file(), validate=st.booleans())
def test_any_csv_file_is_refused_or_imported_so_it_reads_back(fuzzed, world, csv, validate):
    """The File of a list import, the richest input there is, on its own."""
    (account, _), _, session, _ = world
    body = ENVELOPE % ("<svc:CreateContactList><svc:Name>csv</svc:Name><svc:Validate>%s"
                       "</svc:Validate><svc:ContactSource><svc:File>%s</svc:File>"
                       "</svc:ContactSource></svc:CreateContactList>"
                       % (str(validate).lower(), base64.b64encode(csv).decode()))
    mine = account_rows(fuzzed.store, account.id)
    response = session.post(fuzzed.endpoint("contact"), data=body, headers=SOAP_HEADERS)
    if soap_answer(response) is not None:
        assert account_rows(fuzzed.store, account.id) == mine
        return
    list_id = etree.fromstring(response.content).findtext(".//{%s}CreatedId" % NS_SVC)
    query = ENVELOPE % ("<svc:QueryContacts><svc:ContactListId>%s</svc:ContactListId>"
                        "</svc:QueryContacts>" % list_id)
    assert soap_answer(session.post(fuzzed.endpoint("contact"), data=query,
                                    headers=SOAP_HEADERS)) is None
