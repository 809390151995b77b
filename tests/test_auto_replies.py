"""TextService's auto-replies and inbound texts and calls, from zeep in both WSDL setups.

Inbound texts arrive as ``sim inbound-text`` makes them (domain/inbound.py), named
to the test's account with ``login``: the shared server has many accounts.
"""
import pytest

from callfire_soap.domain import inbound
from conftest import bind
from test_broadcast_service import advance, bad_request, not_found

SENDER = "13105551212"


@pytest.fixture
def texts(client, server):
    return bind(client, server, "Text")


@pytest.fixture
def contacts(client, server):
    return bind(client, server, "Contact")


def reply(texts, number="67076", match="", message="Thanks for writing", **fields):
    return texts.CreateAutoReply(AutoReply={"Number": number, "Match": match,
                                            "Message": message, **fields})


def arrive(server, account, message, sender=SENDER, to="67076") -> inbound.Arrival:
    return inbound.receive_text(server.store, to, sender, message, login=account.login)


def test_create_get_query_and_delete_auto_replies(texts):
    first = reply(texts, match="hours", message="Open 9 to 5", Keyword="SHOP")
    second = reply(texts, number="2135550100")
    got = texts.GetAutoReply(Id=first)
    assert (got.id, got.Number, got.Keyword, got.Match, got.Message) == (
        first, "67076", "SHOP", "hours", "Open 9 to 5")
    assert texts.GetAutoReply(Id=second).Number == "12135550100"
    page = texts.QueryAutoReplies()
    assert (page.TotalResults, [r.id for r in page.AutoReply]) == (2, [first, second])
    assert [r.id for r in texts.QueryAutoReplies(Number="2135550100").AutoReply] == [second]
    page = texts.QueryAutoReplies(MaxResults=1, FirstResult=1)
    assert (page.TotalResults, [r.id for r in page.AutoReply]) == (2, [second])
    assert texts.DeleteAutoReply(Id=first) is None
    not_found(texts.GetAutoReply, Id=first)
    not_found(texts.DeleteAutoReply, Id=first)
    assert texts.QueryAutoReplies(Number="67076").TotalResults == 0


def test_request_id_makes_create_auto_reply_idempotent(texts):
    create = dict(RequestId="urn:uuid:auto-reply-1",
                  AutoReply={"Number": "67076", "Match": "", "Message": "Hi"})
    first = texts.CreateAutoReply(**create)
    assert texts.CreateAutoReply(**create) == first
    assert texts.QueryAutoReplies().TotalResults == 1


@pytest.mark.parametrize("fields, field", [
    ({"Number": "1234"}, "Number"), ({"Number": "10105551212"}, "Number"),
    ({"Number": "SHORTCODE"}, "Number"),
    ({"Message": ""}, "Message"), ({"Message": "   "}, "Message"),
    ({"Keyword": "TWO WORDS"}, "Keyword")])
def test_bad_auto_replies_are_refused_by_field(texts, fields, field):
    assert field in bad_request(reply, texts, **fields)
    assert texts.QueryAutoReplies().TotalResults == 0


def test_an_inbound_text_matching_an_auto_reply_is_answered(server, account, texts,
                                                           contacts):
    auto_reply = reply(texts, match="HOURS", message="We are open 9 to 5")
    arrival = arrive(server, account, "what are your hours?")
    assert arrival.auto_reply_id == auto_reply
    (received,) = texts.QueryTexts(Inbound=True).Text
    assert (received.id, received.Inbound, received.FromNumber, received.ToNumber._value_1,
            received.Message, received.State, received.FinalResult, received.BroadcastId) == (
        arrival.action_id, True, SENDER, "67076", "what are your hours?", "FINISHED",
        "RECEIVED", None)
    (sent,) = texts.QueryTexts(Inbound=False).Text
    assert (sent.id, sent.Inbound, sent.FromNumber, sent.ToNumber._value_1, sent.Message,
            sent.FinalResult) == (arrival.reply_id, False, "67076", SENDER,
                                  "We are open 9 to 5", "SENT")
    (record,) = texts.GetText(Id=sent.id).TextRecord
    assert (record.Result, record.BilledAmount, record.Message) == (
        "SENT", pytest.approx(0.03), "We are open 9 to 5")
    assert [t.id for t in texts.QueryTexts(FromNumber=SENDER).Text] == [received.id]
    assert texts.QueryTexts().TotalResults == 2
    # The sender is a contact now, and both texts are in its history.
    (contact,) = contacts.QueryContacts().Contact
    assert contact.homePhone == SENDER and contact.id == received.ContactId
    history = contacts.GetContactHistory(ContactId=contact.id)
    assert [(item["Text"].id, item["Text"].Inbound) for item in history] == [
        (received.id, True), (sent.id, False)]


def test_an_inbound_text_no_auto_reply_matches_goes_unanswered(server, account, texts):
    reply(texts, match="hours")
    reply(texts, number="12135550100")
    assert arrive(server, account, "hello").reply_id is None
    assert texts.QueryTexts(Inbound=False).TotalResults == 0


def test_an_inbound_stop_scrubs_the_number_from_later_texts(server, account, texts, client):
    reply(texts)
    arrival = arrive(server, account, "Stop")
    assert arrival.opted_out and arrival.reply_id is None
    broadcast_id = texts.SendText(ToNumber=[{"_value_1": SENDER}, {"_value_1": "13105551213"}],
                                  TextBroadcastConfig={"Message": "Sale today"})
    advance(server, 120)
    states = {t.ToNumber._value_1: (t.State, t.FinalResult)
              for t in texts.QueryTexts(BroadcastId=broadcast_id).Text}
    assert states == {SENDER: ("DNC", None), "13105551213": ("FINISHED", "SENT")}
    # A text after the STOP is still received; its auto-reply is scrubbed too.
    later = arrive(server, account, "one more thing")
    assert texts.GetText(Id=later.reply_id).State == "DNC"


def test_an_inbound_call_is_in_the_callers_history(server, account, contacts):
    arrival = inbound.receive_call(server.store, "12135550100", SENDER, login=account.login)
    (contact,) = contacts.QueryContacts().Contact
    ((kind, call),) = [next(iter(item.items())) for item in
                       contacts.GetContactHistory(ContactId=contact.id)]
    assert (kind, call.id, call.Inbound, call.FromNumber, call.ToNumber._value_1,
            call.FinalResult) == ("Call", arrival.action_id, True, SENDER, "12135550100", "LA")
    (record,) = call.CallRecord
    assert (record.Duration, record.BilledAmount) == (45, pytest.approx(0.05))
