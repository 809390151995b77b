"""Postbacks to real receivers: an HTTP server in the test process records what the
server posts, and answers as each test tells it to.

The module's server stands still (--sim-speed 0): a test raises its events by
moving the clock from here, and the server's deliverer, not a request, brings
the simulation forward and posts.  Two tests run servers of their own: the
default speed (an OUTBOUND_TEXT_FINISHED arrives within 1 s of real time of its
simulated instant though no request comes in) and a SIGKILL between the event
and its delivery.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from lxml import etree

from conftest import bind, new_account, served_client, start_server

PHP_RECEIVERS = Path(__file__).resolve().parent / "php" / "postbacks" / "receivers.php"

NS_N = "http://api.callfire.com/notification/xsd"
NS_DATA = "http://api.callfire.com/data"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
ADMIN = ("root", "admin-secret")


class Receiver:
    """A postback endpoint: records every POST by path; answers 200 unless told to
    answer otherwise (``script``) or to hold the request until released (``hold``)."""

    def __init__(self):
        self.received: dict[str, list[dict]] = defaultdict(list)
        self.scripts: dict[str, list[tuple]] = defaultdict(list)
        self.holds: dict[str, threading.Event] = {}
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.arrived:
                    receiver.received[self.path].append(
                        {"body": body, "headers": dict(self.headers), "at": time.time()})
                    receiver.arrived.notify_all()
                hold = receiver.holds.get(self.path)
                if hold is not None:
                    hold.wait(30)
                status, headers = (receiver.scripts[self.path].pop(0)
                                   if receiver.scripts[self.path] else (200, {}))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return "http://127.0.0.1:%d%s" % (self.http.server_address[1], path)

    def wait(self, path: str, count: int, timeout: float = 20) -> list[dict]:
        """The first ``count`` requests to ``path``, once they are all in."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.received[path]) < count:
                left = deadline - time.monotonic()
                assert left > 0, "%s got %d of %d postbacks" % (
                    path, len(self.received[path]), count)
                self.arrived.wait(left)
            return list(self.received[path][:count])


@pytest.fixture(scope="module")
def receiver():
    running = Receiver()
    yield running
    running.http.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("postbacks") / "postbacks.db", "--sim-speed", "0",
                      "--postback-backoff", "0.1", "--postback-attempts", "3",
                      "--admin-login", ADMIN[0],
                      env={"CALLFIRE_SOAP_ADMIN_PASSWORD": ADMIN[1]}) as running:
        yield running


@pytest.fixture
def account(server):
    return new_account(server)


def services(server, account):
    client = served_client(server, account)
    return (bind(client, server, "Subscription"), bind(client, server, "Text"),
            bind(client, server, "Broadcast"))


def subscribe(subscriptions, endpoint: str, event: str, format: str = "XML", **extra) -> int:
    return subscriptions.CreateSubscription(Subscription={
        "Endpoint": endpoint, "NotificationFormat": format, "TriggerEvent": event, **extra})


def postback_rows(server, subscription_id: int) -> list[tuple]:
    return server.store.db().execute(
        "SELECT status, attempts, last_error FROM postbacks WHERE subscription_id = ? "
        "ORDER BY instant, id", [subscription_id]).fetchall()


def settled(server, subscription_id: int, count: int, timeout: float = 20) -> list[tuple]:
    """The subscription's ``count`` notifications, once none is PENDING."""
    deadline = time.monotonic() + timeout
    while True:
        rows = postback_rows(server, subscription_id)
        if len(rows) == count and all(row[0] != "PENDING" for row in rows):
            return rows
        assert time.monotonic() < deadline, rows
        time.sleep(0.05)


def php(mode: str, body: bytes, content_type: str = "") -> dict:
    if shutil.which("php") is None:
        pytest.skip("needs php-cli")
    with tempfile.NamedTemporaryFile(suffix=".body") as file:
        file.write(body)
        file.flush()
        run = subprocess.run(["php", str(PHP_RECEIVERS), mode, file.name, content_type],
                             capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads(run.stdout)


def iso(moment) -> str:
    return moment.isoformat()


# -- payloads -------------------------------------------------------------------

def test_json_outbound_text_finished_is_the_documented_payload(server, account, receiver):
    subscriptions, texts, _ = services(server, account)
    subscription = subscribe(subscriptions, receiver.url("/wp/json"), "OUTBOUND_TEXT_FINISHED",
                             "JSON")
    broadcast = texts.SendText(ToNumber=[{"_value_1": "13105550101", "ClientData": "order-7"}],
                               TextBroadcastConfig={"Message": "Your order has shipped"})
    server.store.clock.advance(60)  # no request after this: the deliverer simulates
    (postback,) = receiver.wait("/wp/json", 1)
    (text,) = texts.QueryTexts(BroadcastId=broadcast).Text
    (record,) = text.TextRecord
    assert postback["headers"]["Content-Type"] == "application/json; charset=UTF-8"
    assert json.loads(postback["body"]) == {"TextNotification": {
        "SubscriptionId": subscription,
        "Text": {"@id": text.id, "FromNumber": "67076",
                 "ToNumber": {"@ClientData": "order-7", "$": "13105550101"},
                 "State": "FINISHED", "BatchId": text.BatchId, "BroadcastId": broadcast,
                 "ContactId": text.ContactId, "Inbound": False, "Created": iso(text.Created),
                 "Modified": iso(text.Modified), "FinalResult": "SENT",
                 "Message": "Your order has shipped",
                 "TextRecord": {"@id": record.id, "Result": "SENT",
                                "FinishTime": iso(record.FinishTime), "BilledAmount": 0.03,
                                "Message": "Your order has shipped"}}}}
    assert php("wordpress", postback["body"]) == {
        "kind": "text", "subscription": subscription, "id": text.id,
        "to": {"@ClientData": "order-7", "$": "13105550101"},
        "message": "Your order has shipped", "result": "SENT", "billed": 0.03}
    assert settled(server, subscription, 1) == [("DELIVERED", 1, None)]


def test_xml_text_notification_reads_as_the_sdk_and_the_joomla_gateway_read_it(
        server, account, receiver):
    subscriptions, texts, _ = services(server, account)
    subscription = subscribe(subscriptions, receiver.url("/sdk/xml"), "OUTBOUND_TEXT_FINISHED")
    broadcast = texts.SendText(ToNumber=[{"_value_1": "13105550102"}],
                               TextBroadcastConfig={"Message": "Hello, World!"})
    server.store.clock.advance(60)
    (postback,) = receiver.wait("/sdk/xml", 1)
    (text,) = texts.QueryTexts(BroadcastId=broadcast).Text
    content_type = postback["headers"]["Content-Type"]
    assert content_type == "text/xml; charset=UTF-8"
    body = postback["body"]
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                           b'<n:TextNotification xmlns="http://api.callfire.com/data" '
                           b'xmlns:n="http://api.callfire.com/notification/xsd">'
                           b'<n:SubscriptionId>%d</n:SubscriptionId><Text id="%d">'
                           % (subscription, text.id))
    assert php("sdk", body, content_type) == {
        "format": "xml", "root": "n:TextNotification", "subscription": str(subscription),
        "resource": "Text", "id": str(text.id), "state": "FINISHED"}
    assert php("joomla", body) == {"inbound": False, "from": "67076", "to": "13105550102",
                                   "message": "Hello, World!", "result": "SENT"}


def test_the_wordpress_theme_reads_four_events_as_json(server, account, receiver):
    subscriptions, texts, broadcasts = services(server, account)
    events = ("OUTBOUND_TEXT_FINISHED", "OUTBOUND_CALL_FINISHED", "CAMPAIGN_STARTED",
              "CAMPAIGN_FINISHED")
    ids = {subscribe(subscriptions, receiver.url("/wp/four"), event, "JSON"): event
           for event in events}
    voice = broadcasts.CreateBroadcast(Broadcast={"Name": "calls", "VoiceBroadcastConfig": {
        "LiveSoundText": "Hello"}})
    broadcasts.CreateContactBatch(BroadcastId=voice, ToNumber=[{"_value_1": "13105550101"}],
                                  Start=True)
    server.store.clock.advance(600)
    # the voice broadcast: started, one call (LA, 45 s), finished; each subscription has
    # its own order, so the three may arrive in any order
    read = sorted((php("wordpress", p["body"]) for p in receiver.wait("/wp/four", 3)),
                  key=lambda r: r["kind"])
    assert [(r["kind"], r.get("status") or r.get("result")) for r in read] == [
        ("CampaignFinished", "FINISHED"), ("CampaignStarted", "RUNNING"), ("call", "LA")]
    assert read[2]["duration"] == 45 and read[2]["to"] == "13105550101"
    texts.SendText(ToNumber=[{"_value_1": "13105550103"}], TextBroadcastConfig={"Message": "x"})
    server.store.clock.advance(600)
    read = [php("wordpress", p["body"]) for p in receiver.wait("/wp/four", 6)[3:]]
    assert sorted(r["kind"] for r in read) == ["CampaignFinished", "CampaignStarted", "text"]
    assert {ids[r["subscription"]] for r in read} == {
        "CAMPAIGN_STARTED", "OUTBOUND_TEXT_FINISHED", "CAMPAIGN_FINISHED"}


def test_soap_posts_the_notification_in_an_envelope_and_email_stays_in_the_outbox(
        server, account, receiver):
    subscriptions, _, broadcasts = services(server, account)
    subscription = subscribe(subscriptions, receiver.url("/soap"), "CAMPAIGN_STOPPED", "SOAP")
    mail = subscribe(subscriptions, "mailto:ops@example.com", "CAMPAIGN_STOPPED", "EMAIL")
    broadcast = broadcasts.CreateBroadcast(Broadcast={"Name": "stop me", "TextBroadcastConfig": {
        "Message": "x"}})
    broadcasts.CreateContactBatch(BroadcastId=broadcast, ToNumber=[{"_value_1": "13105550101"}])
    broadcasts.ControlBroadcast(Id=broadcast, Command="START")
    broadcasts.ControlBroadcast(Id=broadcast, Command="STOP")
    (postback,) = receiver.wait("/soap", 1)
    assert postback["headers"]["Content-Type"] == "application/soap+xml; charset=UTF-8"
    envelope = etree.fromstring(postback["body"])
    (root,) = envelope.find("{%s}Body" % SOAP12)
    assert (root.tag, root.prefix) == ("{%s}CampaignStopped" % NS_N, "n")
    assert root.findtext("{%s}SubscriptionId" % NS_N) == str(subscription)
    assert root.find("{%s}Broadcast" % NS_DATA).findtext("{%s}Status" % NS_DATA) == "STOPPED"

    listed = subprocess.run([sys.executable, "-m", "callfire_soap", "postbacks", "list",
                             "--status", "OUTBOX", "--login", account.login, "--db",
                             str(server.db_path)], capture_output=True, text=True, check=True)
    (header, line) = listed.stdout.splitlines()
    assert line.split()[1:5] == [str(mail), "CAMPAIGN_STOPPED", "EMAIL", "OUTBOX"]
    shown = subprocess.run([sys.executable, "-m", "callfire_soap", "postbacks", "show",
                            line.split()[0], "--db", str(server.db_path)],
                           capture_output=True, text=True, check=True).stdout
    assert "To: ops@example.com" in shown and "<n:CampaignStopped" in shown


# -- delivery -------------------------------------------------------------------

def test_two_500s_then_a_200_deliver_on_the_third_attempt(server, account, receiver):
    subscriptions, texts, _ = services(server, account)
    receiver.scripts["/flaky"] = [(500, {}), (500, {})]
    subscription = subscribe(subscriptions, receiver.url("/flaky"), "OUTBOUND_TEXT_FINISHED")
    texts.SendText(ToNumber=[{"_value_1": "13105550101"}], TextBroadcastConfig={"Message": "x"})
    server.store.clock.advance(60)
    first, second, third = receiver.wait("/flaky", 3)
    assert first["body"] == second["body"] == third["body"]
    assert settled(server, subscription, 1) == [("DELIVERED", 3, None)]
    time.sleep(0.5)
    assert len(receiver.received["/flaky"]) == 3  # delivered once


def test_a_notification_fails_after_its_attempts_and_retry_delivers_it(
        server, account, receiver):
    subscriptions, texts, _ = services(server, account)
    receiver.scripts["/down"] = [(503, {})] * 3
    subscription = subscribe(subscriptions, receiver.url("/down"), "OUTBOUND_TEXT_FINISHED")
    texts.SendText(ToNumber=[{"_value_1": "13105550101"}], TextBroadcastConfig={"Message": "x"})
    server.store.clock.advance(60)
    assert settled(server, subscription, 1) == [("FAILED", 3, "HTTP 503")]

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "callfire_soap", "postbacks", *args,
                               "--db", str(server.db_path)], capture_output=True, text=True)

    listed = cli("list", "--status", "FAILED", "--login", account.login).stdout.splitlines()
    assert len(listed) == 2 and listed[1].split()[-2:] == ["HTTP", "503"]
    postback_id = listed[1].split()[0]
    retried = cli("retry", postback_id)
    assert retried.returncode == 0 and retried.stdout.startswith("1 failed postback")
    assert len(receiver.wait("/down", 4)) == 4
    assert settled(server, subscription, 1) == [("DELIVERED", 1, None)]
    assert cli("retry").returncode == 2  # neither ids nor --all-failed


def test_the_admin_surface_lists_shows_and_retries_postbacks(server, account, receiver):
    subscriptions, texts, _ = services(server, account)
    receiver.scripts["/admin-down"] = [(500, {})] * 3
    subscription = subscribe(subscriptions, receiver.url("/admin-down"),
                             "OUTBOUND_TEXT_FINISHED", "JSON")
    texts.SendText(ToNumber=[{"_value_1": "13105550101"}], TextBroadcastConfig={"Message": "x"})
    server.store.clock.advance(60)
    settled(server, subscription, 1)
    listed = requests.get(server.url("/admin/postbacks"), auth=ADMIN, params={
        "status": "FAILED", "login": account.login}).json()["postbacks"]
    assert [(p["subscription_id"], p["attempts"], p["last_error"]) for p in listed] == [
        (subscription, 3, "HTTP 500")]
    shown = requests.get(server.url("/admin/postbacks/%d" % listed[0]["id"]), auth=ADMIN).json()
    assert shown["content_type"] == "application/json; charset=UTF-8"
    assert json.loads(shown["body"])["TextNotification"]["SubscriptionId"] == subscription
    assert requests.get(server.url("/admin/postbacks"), params={"status": "LOST"},
                        auth=ADMIN).status_code == 400
    assert requests.post(server.url("/admin/postbacks/%d/retry" % listed[0]["id"]),
                         auth=ADMIN).json() == {"retried": 1}
    assert len(receiver.wait("/admin-down", 4)) == 4
    assert settled(server, subscription, 1) == [("DELIVERED", 1, None)]
    assert requests.post(server.url("/admin/postbacks/%d/retry" % listed[0]["id"]),
                         auth=ADMIN).status_code == 409
    assert requests.get(server.url("/admin/postbacks"), auth=("first", "first-pw")
                        ).status_code == 401


def test_each_subscription_gets_its_events_in_order_and_once(server, account, receiver):
    subscriptions, texts, broadcasts = services(server, account)
    receiver.scripts["/order"] = [(500, {})]  # the first waits for a retry; the rest wait too
    subscription = subscribe(subscriptions, receiver.url("/order"), "OUTBOUND_TEXT_FINISHED",
                             "JSON")
    numbers = ["1310555%04d" % n for n in (101, 102, 103, 104, 105)]
    broadcast = broadcasts.CreateBroadcast(Broadcast={"Name": "one by one",
                                                      "TextBroadcastConfig": {"Message": "x"}})
    broadcasts.CreateContactBatch(BroadcastId=broadcast,
                                  ToNumber=[{"_value_1": n} for n in numbers])
    broadcasts.ControlBroadcast(Id=broadcast, Command="START", MaxActive=1)  # one at a time
    server.store.clock.advance(600)
    received = receiver.wait("/order", 6)
    to = [json.loads(p["body"])["TextNotification"]["Text"]["ToNumber"] for p in received]
    # 0105 is a CARRIER_ERROR: a final result too
    assert to == [numbers[0], *numbers]
    finished = [json.loads(p["body"])["TextNotification"]["Text"]["Modified"]
                for p in received[1:]]
    assert finished == sorted(finished)
    assert settled(server, subscription, 5) == [("DELIVERED", 2, None)] + [
        ("DELIVERED", 1, None)] * 4


def test_filters_disabled_subscriptions_and_other_accounts(server, account, receiver):
    subscriptions, texts, _ = services(server, account)
    first = texts.SendText(ToNumber=[{"_value_1": "13105550101"}],
                           TextBroadcastConfig={"Message": "first"})
    second = texts.SendText(ToNumber=[{"_value_1": "13105550102"}],
                            TextBroadcastConfig={"Message": "second"})
    by_broadcast = subscribe(subscriptions, receiver.url("/filter/broadcast"),
                             "OUTBOUND_TEXT_FINISHED", SubscriptionFilter={"BroadcastId": first})
    subscribe(subscriptions, receiver.url("/filter/number"), "OUTBOUND_TEXT_FINISHED",
              SubscriptionFilter={"ToNumber": "3105550102"})
    subscribe(subscriptions, receiver.url("/filter/inbound"), "OUTBOUND_TEXT_FINISHED",
              SubscriptionFilter={"Inbound": True})
    subscribe(subscriptions, receiver.url("/filter/off"), "OUTBOUND_TEXT_FINISHED",
              Enabled=False)
    intruder = services(server, new_account(server))[0]
    subscribe(intruder, receiver.url("/filter/intruder"), "OUTBOUND_TEXT_FINISHED")
    everything = subscribe(subscriptions, receiver.url("/filter/all"), "OUTBOUND_TEXT_FINISHED")
    server.store.clock.advance(60)
    settled(server, everything, 2)
    (postback,) = receiver.wait("/filter/broadcast", 1)
    assert b"<BroadcastId>%d</BroadcastId>" % first in postback["body"]
    (postback,) = receiver.wait("/filter/number", 1)
    assert b"<BroadcastId>%d</BroadcastId>" % second in postback["body"]
    for path in ("/filter/inbound", "/filter/off", "/filter/intruder"):
        assert receiver.received[path] == []
    assert settled(server, by_broadcast, 1) == [("DELIVERED", 1, None)]


def test_a_redirect_is_not_followed(server, account, receiver):
    subscriptions, texts, _ = services(server, account)
    receiver.scripts["/moved"] = [(302, {"Location": receiver.url("/elsewhere")})] * 3
    subscription = subscribe(subscriptions, receiver.url("/moved"), "OUTBOUND_TEXT_FINISHED")
    texts.SendText(ToNumber=[{"_value_1": "13105550101"}], TextBroadcastConfig={"Message": "x"})
    server.store.clock.advance(60)
    assert settled(server, subscription, 1) == [("FAILED", 3, "HTTP 302")]
    assert receiver.received["/elsewhere"] == []


def test_a_hanging_endpoint_does_not_hold_up_soap_calls(server, account, receiver):
    subscriptions, texts, _ = services(server, account)
    receiver.holds["/hang"] = hold = threading.Event()
    subscription = subscribe(subscriptions, receiver.url("/hang"), "OUTBOUND_TEXT_FINISHED")
    texts.SendText(ToNumber=[{"_value_1": "13105550101"}], TextBroadcastConfig={"Message": "x"})
    server.store.clock.advance(60)
    receiver.wait("/hang", 1)  # the deliverer is waiting for the answer now
    try:
        # writes and reads of the same account go on meanwhile
        other = subscribe(subscriptions, receiver.url("/other"), "CAMPAIGN_FINISHED")
        assert subscriptions.GetSubscription(Id=other).Endpoint == receiver.url("/other")
        texts.SendText(ToNumber=[{"_value_1": "13105550102"}],
                       TextBroadcastConfig={"Message": "y"})
        assert postback_rows(server, subscription)[0][0] == "PENDING"
    finally:
        hold.set()
    assert settled(server, subscription, 1) == [("DELIVERED", 1, None)]


# -- servers of their own ------------------------------------------------------

def test_at_the_default_speed_a_text_is_posted_within_a_second_and_once(tmp_path, receiver):
    """--workers 2: still one deliverer, so every notification arrives once."""
    with start_server(tmp_path / "live.db", "--workers", "2") as live:
        account = new_account(live)
        subscriptions, texts, _ = services(live, account)
        subscription = subscribe(subscriptions, receiver.url("/live"), "OUTBOUND_TEXT_FINISHED",
                                 "JSON")
        texts.SendText(ToNumber=[{"_value_1": "1310555%04d" % n} for n in range(101, 104)],
                       TextBroadcastConfig={"Message": "live"})
        # no request from here on
        received = receiver.wait("/live", 3)
        rows = settled(live, subscription, 3)
        time.sleep(0.5)
        assert len(receiver.received["/live"]) == 3 and rows == [("DELIVERED", 1, None)] * 3
        real_anchor, sim_anchor, speed = live.store.db().execute(
            "SELECT real_anchor, sim_anchor, speed FROM sim_clock").fetchone()
        instants = dict(live.store.db().execute(
            "SELECT body, instant FROM postbacks WHERE subscription_id = ?", [subscription]))
        for postback in received:
            due = real_anchor + (instants[postback["body"]] - sim_anchor) / speed
            assert postback["at"] - due < 1.0


def test_a_server_killed_between_event_and_delivery_delivers_after_restart(tmp_path, receiver):
    db_path = tmp_path / "killed.db"
    receiver.holds["/crash"] = hold = threading.Event()
    with start_server(db_path, "--sim-speed", "0") as first:
        account = new_account(first)
        subscriptions, texts, _ = services(first, account)
        subscription = subscribe(subscriptions, receiver.url("/crash"), "OUTBOUND_TEXT_FINISHED")
        texts.SendText(ToNumber=[{"_value_1": "13105550101"}],
                       TextBroadcastConfig={"Message": "x"})
        first.store.clock.advance(60)
        receiver.wait("/crash", 1)  # posted, not yet answered
        os.killpg(first.proc.pid, signal.SIGKILL)
        first.proc.wait(10)
    del receiver.holds["/crash"]
    hold.set()
    assert postback_rows(first, subscription) == [("PENDING", 0, None)]
    with start_server(db_path, "--sim-speed", "0") as second:
        assert len(receiver.wait("/crash", 2)) == 2
        assert settled(second, subscription, 1) == [("DELIVERED", 1, None)]


# -- inbound --------------------------------------------------------------------

def sim(server, *args: str) -> str:
    run = subprocess.run([sys.executable, "-m", "callfire_soap", "sim", *args, "--db",
                          str(server.db_path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_the_joomla_gateway_reads_an_inbound_text_for_its_keyword(server, account, receiver):
    subscriptions, _, _ = services(server, account)
    joomla = subscribe(subscriptions, receiver.url("/joomla"), "INBOUND_TEXT_FINISHED",
                       SubscriptionFilter={"ToNumber": "67076:PIZZA"})
    every = subscribe(subscriptions, receiver.url("/wp/inbound"), "INBOUND_TEXT_FINISHED",
                      "JSON")
    sim(server, "inbound-text", "--to", "67076", "--from", "13105551234",
        "--message", "Pizza tonight?", "--login", account.login)
    sim(server, "inbound-text", "--to", "67076", "--from", "13105551234",
        "--message", "hello", "--login", account.login)
    (postback,) = receiver.wait("/joomla", 1)  # no SOAP request after the texts
    assert postback["headers"]["Content-Type"] == "text/xml; charset=UTF-8"
    text = services(server, account)[1].QueryTexts(Inbound=True).Text[0]
    (record,) = text.TextRecord
    assert postback["body"].decode() == (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><n:TextNotification '
        'xmlns="http://api.callfire.com/data" xmlns:n="http://api.callfire.com/notification/xsd">'
        '<n:SubscriptionId>%d</n:SubscriptionId><Text id="%d"><FromNumber>13105551234'
        '</FromNumber><ToNumber>67076</ToNumber><State>FINISHED</State><ContactId>%d'
        '</ContactId><Inbound>true</Inbound><Created>%s</Created><Modified>%s</Modified>'
        '<FinalResult>RECEIVED</FinalResult><Message>Pizza tonight?</Message>'
        '<TextRecord id="%d"><Result>RECEIVED</Result><FinishTime>%s</FinishTime>'
        '<BilledAmount>0.0</BilledAmount><Message>Pizza tonight?</Message></TextRecord>'
        '</Text></n:TextNotification>' % (joomla, text.id, text.ContactId, iso(text.Created),
                                          iso(text.Modified), record.id,
                                          iso(record.FinishTime)))
    assert php("joomla", postback["body"]) == {
        "inbound": True, "from": "13105551234", "to": "67076", "message": "Pizza tonight?",
        "result": "RECEIVED"}
    assert php("sdk", postback["body"], "text/xml; charset=UTF-8")["root"] \
        == "n:TextNotification"
    both = [php("wordpress", p["body"]) for p in receiver.wait("/wp/inbound", 2)]
    assert [(r["message"], r["result"]) for r in both] == [("Pizza tonight?", "RECEIVED"),
                                                          ("hello", "RECEIVED")]
    assert settled(server, every, 2) == [("DELIVERED", 1, None)] * 2
    assert settled(server, joomla, 1) == [("DELIVERED", 1, None)]


def test_an_inbound_call_is_posted_when_it_ends_on_the_clock(server, account, receiver):
    subscriptions, _, _ = services(server, account)
    subscription = subscribe(subscriptions, receiver.url("/inbound/call"),
                             "INBOUND_CALL_FINISHED")
    sim(server, "inbound-call", "--to", "13105550000", "--from", "12135550123",
        "--login", account.login)
    assert postback_rows(server, subscription) == [("PENDING", 0, None)]  # it lasts 45 s
    server.store.clock.advance(45)
    (postback,) = receiver.wait("/inbound/call", 1)
    root = etree.fromstring(postback["body"])
    assert (root.tag, root.prefix) == ("{%s}CallFinished" % NS_N, "n")
    call = root.find("{%s}Call" % NS_DATA)
    assert [call.findtext("{%s}%s" % (NS_DATA, name)) for name in (
        "FromNumber", "ToNumber", "Inbound", "FinalResult")] == [
        "12135550123", "13105550000", "true", "LA"]
