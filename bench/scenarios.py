"""The scenarios and their targets (2-core machine, load generator included).

Data is seeded straight through the store, which is quicker than SOAP and is
not what is being measured; every measured request goes over HTTP.
"""
from __future__ import annotations

import base64
import hashlib
import statistics
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

from callfire_soap.store import Store

from . import load
from .__main__ import ADMIN_LOGIN, ADMIN_PASSWORD, AUTH, ENVELOPE, PeakMemory, Row, soap

ACCOUNT_ID = 1  # the account `serve` creates on a fresh database
FIRST_NAMES = ["Ann", "Bob", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal",
               "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara"]
LAST_NAMES = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
              "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
              "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
              "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson"]


def external_id(i: int) -> str:
    """The id a CRM would have given contact ``i``: what integrations search by."""
    return hashlib.blake2b(b"%d" % i, digest_size=6).hexdigest()


@dataclass
class Context:
    base: str
    floor_url: str
    db: str
    duration: int
    server_pid: int
    large: int
    seeded: int = 0

    @property
    def contact_url(self) -> str:
        return self.base + "/api/1.1/soap12/contact"


def seed(context: Context, total: int) -> None:
    """Grow the account's contacts to ``total``, 100,000 per transaction."""
    store = Store(context.db)
    while context.seeded < total:
        batch = range(context.seeded, min(total, context.seeded + 100_000))
        with store.session(ACCOUNT_ID, write=True) as session:
            session.contacts.create([{
                "firstName": FIRST_NAMES[i % len(FIRST_NAMES)],
                "lastName": LAST_NAMES[i * 7 % len(LAST_NAMES)],
                "homePhone": "1%03d555%04d" % (200 + i // 10_000 % 800, i % 10_000),
                "zipcode": "%05d" % (i * 37 % 100_000), "externalId": external_id(i),
                "externalSystem": "NATION_BUILDER"} for i in batch])
        context.seeded = batch.stop


def _ms(value: float) -> str:
    return "%.2f ms" % value


def get_contact(context: Context) -> list[Row]:
    seed(context, 1000)
    body = ENVELOPE % "<svc:GetContact><svc:Id>1</svc:Id></svc:GetContact>"
    floor = load.run(context.floor_url, body, AUTH, 16, context.duration)
    floor_load = Row("floor: bare lxml WSGI app, granian, 16 conn", "%.0f req/s" % floor.rps,
                     "(yardstick)", "1.00")
    server = load.run(context.contact_url, body, AUTH, 16, context.duration)
    ratio = server.rps / floor.rps
    return [floor_load, Row("GetContact by id, 16 conn",
                            "%.0f req/s, p50 %s, p99 %s, %d errors" % (
                                server.rps, _ms(server.p50_ms), _ms(server.p99_ms), server.errors),
                            ">= 0.2 of floor", "%.3f" % ratio)]


def update_contacts(context: Context) -> list[Row]:
    seed(context, 1000)
    contacts = "".join('<data:Contact id="%d" firstName="Upd%d" zipcode="90210"/>' % (i, i)
                       for i in range(1, 1001))
    body = ENVELOPE % ("<svc:UpdateContacts>%s</svc:UpdateContacts>" % contacts)
    result = load.run(context.contact_url, body, AUTH, 4, context.duration)
    return [Row("UpdateContacts, 1,000 contacts/request, 4 conn",
                "%.0f contacts/s, p50 %s, %d errors" % (result.rps * 1000, _ms(result.p50_ms),
                                                       result.errors),
                ">= 20,000 contacts/s")]


def import_list(context: Context) -> list[Row]:
    rows = []
    numbers = " ".join("1%03d777%04d" % (200 + i // 10_000, i % 10_000) for i in range(100_000))
    csv = "firstName,lastName,homePhone\n" + "".join(
        "F%d,L%d,1%03d888%04d\n" % (i, i, 200 + i // 10_000, i % 10_000) for i in range(100_000))
    sources = [
        ("CreateContactList, 100,000 Numbers", "<svc:Numbers>%s</svc:Numbers>" % numbers),
        ("CreateContactList, 100,000-row CSV File",
         "<svc:File>%s</svc:File>" % base64.b64encode(csv.encode()).decode()),
    ]
    for label, source in sources:
        body = ("<svc:CreateContactList><svc:Name>bench</svc:Name><svc:ContactSource>%s"
                "</svc:ContactSource></svc:CreateContactList>" % source)
        with PeakMemory(context.server_pid) as memory:
            started = time.perf_counter()
            soap(context.contact_url, body)
            elapsed = time.perf_counter() - started
        rows.append(Row(label, "%.2f s, peak memory %.0f MB (all server processes)"
                        % (elapsed, memory.peak / 2**20), "<= 3 s, <= 300 MB"))
    return rows


def _query_p50(context: Context) -> tuple[load.Result, str]:
    target = external_id(context.seeded // 2)
    body = ENVELOPE % ("<svc:QueryContacts><svc:Field>externalId</svc:Field>"
                       "<svc:String>%s</svc:String></svc:QueryContacts>" % target)
    return load.run(context.contact_url, body, AUTH, 1, max(3, context.duration // 2)), target


def query_contacts(context: Context) -> list[Row]:
    seed(context, 10_000)
    small, _ = _query_p50(context)
    seed(context, context.large)
    large, _ = _query_p50(context)
    return [
        Row("QueryContacts externalId/String, 10,000 contacts, 1 conn",
            "p50 %s, p99 %s" % (_ms(small.p50_ms), _ms(small.p99_ms)), "(baseline)"),
        Row("QueryContacts externalId/String, %s contacts, 1 conn"
            % format(context.seeded, ","),
            "p50 %s, p99 %s (%.1fx the 10,000 figure)" % (
                _ms(large.p50_ms), _ms(large.p99_ms), large.p50_ms / small.p50_ms),
            "p50 <= 5 ms and <= 2x"),
    ]


def paging(context: Context) -> list[Row]:
    seed(context, context.large)
    timings = []
    for first in range(0, context.seeded, 1000):
        body = ("<svc:QueryContacts><svc:MaxResults>1000</svc:MaxResults>"
                "<svc:FirstResult>%d</svc:FirstResult></svc:QueryContacts>" % first)
        started = time.perf_counter()
        soap(context.contact_url, body)
        timings.append((time.perf_counter() - started) * 1000)
    return [Row("QueryContacts paging %s contacts by 1,000" % format(context.seeded, ","),
                "first %s, median %s, last %s, slowest %s" % (
                    _ms(timings[0]), _ms(statistics.median(timings)), _ms(timings[-1]),
                    _ms(max(timings))), "every page as fast as the first")]


def broadcast(context: Context) -> list[Row]:
    """A 100,000-number broadcast: the batch over SOAP, then a whole day of
    simulation caught up by the one request that first looks."""
    url = context.base + "/api/1.1/soap12/broadcast"
    reply = soap(url, ("<svc:CreateBroadcast><data:Broadcast><data:Name>bench"
                                  "</data:Name><data:VoiceBroadcastConfig/></data:Broadcast>"
                                  "</svc:CreateBroadcast>"))
    broadcast_id = int(reply.split(b"CreatedId>")[1].split(b"<")[0])
    numbers = "".join("<svc:ToNumber>1%03d666%04d</svc:ToNumber>" % (200 + i // 10_000,
                                                                      i % 10_000)
                      for i in range(100_000))
    rows = []
    with PeakMemory(context.server_pid) as memory:
        started = time.perf_counter()
        soap(url, ("<svc:CreateContactBatch><svc:BroadcastId>%d</svc:BroadcastId>%s"
                              "</svc:CreateContactBatch>" % (broadcast_id, numbers)))
        elapsed = time.perf_counter() - started
    rows.append(Row("CreateContactBatch, 100,000 ToNumbers",
                    "%.2f s, peak memory %.0f MB (all server processes)"
                    % (elapsed, memory.peak / 2**20), "(measured)"))
    soap(url, ("<svc:ControlBroadcast><svc:Id>%d</svc:Id><svc:Command>START"
                          "</svc:Command><svc:MaxActive>100</svc:MaxActive>"
                          "</svc:ControlBroadcast>" % broadcast_id))
    Store(context.db).clock.advance(24 * 3600)
    started = time.perf_counter()
    soap(url, "<svc:GetBroadcastStats><svc:Id>%d</svc:Id></svc:GetBroadcastStats>"
         % broadcast_id)
    rows.append(Row("GetBroadcastStats catching up 100,000 calls at MaxActive 100",
                    "%.2f s" % (time.perf_counter() - started), "(measured)"))
    return rows


def _send_text(numbers) -> str:
    return ("<svc:SendText><svc:BroadcastName>Appointment reminder</svc:BroadcastName>%s"
            "<data:TextBroadcastConfig><data:Message>Your appointment is tomorrow at 10am"
            "</data:Message></data:TextBroadcastConfig></svc:SendText>" % "".join(
                "<svc:ToNumber>%s</svc:ToNumber>" % number for number in numbers))


def _timed_send_text(context: Context, url: str, count: int, exchange: int) -> tuple[Row, int]:
    """One SendText of ``count`` ToNumbers: its row, and the broadcast's id."""
    body = _send_text("1%03d%03d%04d" % (200 + i // 10_000, exchange, i % 10_000)
                      for i in range(count))
    with PeakMemory(context.server_pid) as memory:
        started = time.perf_counter()
        reply = soap(url, body)
        elapsed = time.perf_counter() - started
    row = Row("SendText, %s ToNumbers" % format(count, ","),
              "%.2f s, peak memory %.0f MB (all server processes)"
              % (elapsed, memory.peak / 2**20), "(measured)")
    return row, int(reply.split(b"CreatedId>")[1].split(b"<")[0])


def text(context: Context) -> list[Row]:
    """SendText as the appointment reminder sends it, one number a request, beside
    GetContact in the same run; one SendText of 10,000 numbers; the simulation of
    100,000 texts caught up by the one request that first looks."""
    url = context.base + "/api/1.1/soap12/text"
    seed(context, 1000)
    (contact_id,) = Store(context.db).db().execute(
        "SELECT min(id) FROM contacts WHERE account_id = ?", [ACCOUNT_ID]).fetchone()
    reads = load.run(context.contact_url, ENVELOPE % (
        "<svc:GetContact><svc:Id>%d</svc:Id></svc:GetContact>" % contact_id),
        AUTH, 16, context.duration)
    writes = load.run(url, ENVELOPE % _send_text(["13105551212"]), AUTH, 16, context.duration)
    rows = [Row("GetContact by id, 16 conn (beside SendText)",
                "%.0f req/s, p50 %s, p99 %s, %d errors" % (
                    reads.rps, _ms(reads.p50_ms), _ms(reads.p99_ms), reads.errors),
                "(yardstick)"),
            Row("SendText, 1 ToNumber, a new broadcast each, 16 conn",
                "%.0f req/s, p50 %s, p99 %s, %d errors; %.2f of GetContact" % (
                    writes.rps, _ms(writes.p50_ms), _ms(writes.p99_ms), writes.errors,
                    writes.rps / reads.rps), ">= 0.5 of GetContact")]
    row, _ = _timed_send_text(context, url, 10_000, 444)
    rows.append(row)
    row, broadcast_id = _timed_send_text(context, url, 100_000, 333)
    rows.append(row)
    Store(context.db).clock.advance(24 * 3600)
    with PeakMemory(context.server_pid) as memory:
        started = time.perf_counter()
        reply = soap(url, "<svc:QueryTexts><svc:MaxResults>1</svc:MaxResults><svc:BroadcastId>"
                          "%d</svc:BroadcastId><svc:State>FINISHED</svc:State></svc:QueryTexts>"
                          % broadcast_id)
        elapsed = time.perf_counter() - started
    sent = int(reply.split(b"TotalResults>")[1].split(b"<")[0])
    rows.append(Row("QueryTexts catching up 100,000 texts at MaxActive 100",
                    "%.2f s, peak memory %.0f MB, %s texts FINISHED" % (
                        elapsed, memory.peak / 2**20, format(sent, ",")), "(measured)"))
    return rows


def _console_opener(base: str) -> urllib.request.OpenerDirector:
    """A browser's part: the console's login form, then its session cookie."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    opener.open(base + "/console/login", urllib.parse.urlencode(
        {"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD}).encode()).read()
    return opener


def _page_ms(opener: urllib.request.OpenerDirector, url: str, times: int = 5) -> float:
    """The median time of ``times`` loads of one page, in milliseconds."""
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        with opener.open(url) as answer:
            answer.read()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def console(context: Context) -> list[Row]:
    """The console's contacts page at a million contacts, as a browser loads it."""
    seed(context, context.large)
    base = context.base + "/console"
    contacts = base + "/accounts/%d/contacts" % ACCOUNT_ID
    opener = _console_opener(context.base)
    fresh = _console_opener(context.base)  # its first look at a page is timed once
    started = time.perf_counter()
    fresh.open(contacts).read()
    first_ms = (time.perf_counter() - started) * 1000
    walk = []
    for number in range(2, 102):
        started = time.perf_counter()
        opener.open(contacts + "?page=%d" % number).read()
        walk.append((time.perf_counter() - started) * 1000)
    last = -(-context.seeded // 50)
    started = time.perf_counter()
    opener.open(contacts + "?page=%d" % last).read()
    jump_ms = (time.perf_counter() - started) * 1000
    size = format(context.seeded, ",")
    rare = urllib.parse.quote(external_id(context.seeded // 2))
    return [
        Row("console: accounts page, %s contacts" % size,
            _ms(_page_ms(opener, base + "/")), "(measured)"),
        Row("console: contacts page 1, %s contacts" % size,
            "first load %s, then median %s" % (_ms(first_ms), _ms(_page_ms(opener, contacts))),
            "<= 100 ms"),
        Row("console: contacts pages 2 to 101 in turn",
            "median %s, slowest %s" % (_ms(statistics.median(walk)), _ms(max(walk))),
            "<= 100 ms"),
        Row("console: contacts, jump to the last page (%d)" % last, _ms(jump_ms),
            "(measured)"),
        Row("console: search an externalId (1 match)",
            _ms(_page_ms(opener, contacts + "?q=%s&field=externalId" % rare)), "<= 100 ms"),
        Row("console: search 'Smith' (1 in 30 match)",
            _ms(_page_ms(opener, contacts + "?q=Smith")), "(measured)"),
    ]


SCENARIOS = {"get": get_contact, "update": update_contacts, "import": import_list,
             "query": query_contacts, "paging": paging, "broadcast": broadcast,
             "text": text, "console": console}
