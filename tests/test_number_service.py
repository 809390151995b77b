"""NumberService and LabelService from zeep in both WSDL setups: the number market,
orders in simulated time, owned numbers and keywords, labels and LabelName filters.

The shared server's clock stands still; ``advance`` moves it.  Every test buys
what a search finds, so it does not mind what other tests bought.
"""
import itertools

import pytest
from zeep.exceptions import Fault

from callfire_soap.domain import inbound
from conftest import bind, fault_code
from test_broadcast_service import (DIALPLAN, advance, bad_request, batch, not_found,
                                    text_broadcast)

_keywords = itertools.count()


@pytest.fixture
def numbers(client, server):
    return bind(client, server, "Number")


@pytest.fixture
def labels(client, server):
    return bind(client, server, "Label")


def keyword() -> str:
    return "KW%dX%d" % (next(_keywords), id(_keywords) % 1000)


def buy(server, numbers, **order) -> list[str]:
    """Order, let the order finish, and answer the numbers it fulfilled."""
    order_id = numbers.CreateNumberOrder(**order)
    advance(server, 60)
    order = numbers.GetNumberOrder(Id=order_id)
    assert order.Status == "FINISHED"
    return [n for item in (order.LocalNumbers, order.TollFreeNumbers) if item
            for n in item.Fulfilled or []]


def test_query_regions_filters_by_city_state_and_prefix(numbers):
    page = numbers.QueryRegions(Region={"City": "beverly hills", "State": "CA"}, MaxResults=5)
    assert page.TotalResults > 5 and len(page.Region) == 5
    region = page.Region[0]
    assert (region.City, region.State, region.Country, region.RateCenter, region.Zipcode,
            region.TimeZone) == ("Beverly Hills", "CA", "US", "BEVERLY HILLS", "90210",
                                 "America/Los_Angeles")
    assert region.Prefix.startswith("1") and len(region.Prefix) == 7
    assert round(region.Latitude, 2) == 34.09 and region.Lata is None
    by_prefix = numbers.QueryRegions(Region={"Prefix": region.Prefix[1:]})
    assert [r.Prefix for r in by_prefix.Region] == [region.Prefix]
    assert numbers.QueryRegions(Region={"Prefix": "1212"}).Region[0].City == "New York"
    assert numbers.QueryRegions(Region={"Lata": "674"}).TotalResults == 0
    assert numbers.QueryRegions(Region={"TimeZone": "America/Regina"}).Region[0].Country == "CA"
    bad_request(numbers.QueryRegions, Region={"Prefix": "12a"})


def test_search_available_numbers_is_the_same_every_time_and_skips_owned(server, numbers):
    first = numbers.SearchAvailableNumbers(Region={"City": "Seattle", "State": "WA"}, Count=3)
    again = numbers.SearchAvailableNumbers(Region={"City": "Seattle", "State": "WA"}, Count=3)
    assert [n.Number for n in first.Number] == [n.Number for n in again.Number]
    assert first.TotalResults == 3
    found = first.Number[0]
    assert (found.TollFree, found.Region.City, found.Status, found.NationalFormat) == (
        False, "Seattle", None,
        "(%s) %s-%s" % (found.Number[1:4], found.Number[4:7], found.Number[7:]))
    buy(server, numbers, Numbers=[found.Number])
    after = numbers.SearchAvailableNumbers(Region={"City": "Seattle", "State": "WA"}, Count=3)
    assert found.Number not in [n.Number for n in after.Number]
    toll_free = numbers.SearchAvailableNumbers(TollFree=True, Count=2).Number
    assert all(n.TollFree and n.Region is None for n in toll_free)
    eight_hundred = numbers.SearchAvailableNumbers(TollFree=True, Region={"Prefix": "1888"},
                                                   Count=1).Number
    assert eight_hundred[0].Number.startswith("1888")
    bad_request(numbers.SearchAvailableNumbers, Count=0)


def test_order_moves_new_processing_finished_and_the_numbers_are_the_accounts(server,
                                                                               numbers):
    (wanted,) = numbers.SearchAvailableNumbers(Region={"Prefix": "1310"}, Count=1).Number
    kw = keyword()
    order_id = numbers.CreateNumberOrder(Numbers=[wanted.Number], Keywords=[kw],
                                         BulkLocal={"Count": 2, "Region": {"State": "WY"}},
                                         BulkTollFree={"Count": 1})
    order = numbers.GetNumberOrder(Id=order_id)
    assert (order.Status, order.LocalNumbers.Ordered, order.LocalNumbers.Fulfilled,
            order.TollFreeNumbers.Ordered, order.Keywords.Ordered) == ("NEW", 3, None, 1, 1)
    assert order.TotalCost == pytest.approx(3 * 1.00 + 2.00 + 25.00)
    assert numbers.GetNumber(Number=wanted.Number).Status == "PENDING"
    advance(server, 5)
    assert numbers.GetNumberOrder(Id=order_id).Status == "PROCESSING"
    advance(server, 55)
    order = numbers.GetNumberOrder(Id=order_id)
    assert order.Status == "FINISHED"
    local = order.LocalNumbers.Fulfilled
    assert local[0] == wanted.Number and len(local) == 3
    assert all(n[1:4] in ("307",) for n in local[1:])
    assert order.Keywords.Fulfilled == [kw.upper()]
    number = numbers.GetNumber(Number=wanted.Number)
    assert (number.Status, number.TollFree, number.Region.Prefix, number.LeaseInfo.AutoRenew,
            number.NumberConfiguration.CallFeature) == ("ACTIVE", False, wanted.Region.Prefix,
                                                        True, "ENABLED")
    assert (number.LeaseInfo.LeaseEnd - number.LeaseInfo.LeaseBegin).days == 30
    owned = numbers.QueryNumbers(Region={}, MaxResults=1)
    assert owned.TotalResults == 4 and len(owned.Number) == 1
    assert numbers.QueryNumbers(Region={"State": "WY"}).TotalResults == 2
    assert numbers.QueryNumbers(Region={"Prefix": "18"}).TotalResults == 1
    (held,) = numbers.QueryKeywords().Keyword
    assert (held.Keyword, held.ShortCode, held.Status) == (kw.upper(), "67076", "ACTIVE")


def test_an_order_for_what_is_gone_ends_errored_and_buys_nothing(server, numbers, client):
    (wanted,) = numbers.SearchAvailableNumbers(Region={"State": "VT"}, Count=1).Number
    buy(server, numbers, Numbers=[wanted.Number])
    order_id = numbers.CreateNumberOrder(Numbers=[wanted.Number, "18885550000"])
    advance(server, 60)
    order = numbers.GetNumberOrder(Id=order_id)
    assert (order.Status, order.TotalCost, order.LocalNumbers.Fulfilled) == ("ERRORED", 0,
                                                                              None)
    assert numbers.QueryNumbers(Region={}).TotalResults == 1
    bad_request(numbers.CreateNumberOrder)
    bad_request(numbers.CreateNumberOrder, Keywords=["two_words"])
    bad_request(numbers.CreateNumberOrder, Numbers=["12"])
    bad_request(numbers.CreateNumberOrder, BulkTollFree={"Count": 0})
    not_found(numbers.GetNumberOrder, Id=1)


def test_get_number_of_a_number_not_owned_says_it_does_not_exist(numbers):
    with pytest.raises(Fault) as excinfo:
        numbers.GetNumber(Number="13105550199")
    assert fault_code(excinfo) == "NOT_FOUND"
    assert "number 13105550199 does not exist, or is inactive" in excinfo.value.message


def test_configure_number_with_an_ivr_and_tracking(server, numbers):
    (number,) = buy(server, numbers, BulkLocal={"Count": 1, "Region": {"State": "NH"}})
    numbers.ConfigureNumber(Number=number, NumberConfiguration={
        "TextFeature": "DISABLED", "InboundCallConfiguration": {
            "IvrInboundConfig": {"DialplanXml": DIALPLAN}}})
    config = numbers.GetNumber(Number=number).NumberConfiguration
    assert (config.CallFeature, config.TextFeature, config.InboundCallConfigurationType,
            config.InboundCallConfiguration.IvrInboundConfig.DialplanXml) == (
        "ENABLED", "DISABLED", "IVR", DIALPLAN)
    numbers.ConfigureNumber(Number=number, NumberConfiguration={
        "InboundCallConfigurationType": "TRACKING", "InboundCallConfiguration": {
            "CallTrackingConfig": {"TransferNumber": ["2135550123"], "Record": True}}})
    config = numbers.GetNumber(Number=number).NumberConfiguration
    tracking = config.InboundCallConfiguration.CallTrackingConfig
    assert (config.InboundCallConfigurationType, tracking.TransferNumber, tracking.Record,
            config.TextFeature) == ("TRACKING", ["12135550123"], True, "DISABLED")
    bad_request(numbers.ConfigureNumber, Number=number, NumberConfiguration={
        "InboundCallConfiguration": {"IvrInboundConfig": {"DialplanXml": "<dialplan>"}}})
    bad_request(numbers.ConfigureNumber, Number=number, NumberConfiguration={
        "InboundCallConfigurationType": "IVR", "InboundCallConfiguration": {
            "CallTrackingConfig": {"TransferNumber": ["2135550123"]}}})
    bad_request(numbers.ConfigureNumber, Number=number,
                NumberConfiguration={"CallFeature": "PENDING"})
    not_found(numbers.ConfigureNumber, Number="13105550199", NumberConfiguration={})


def test_release_makes_a_number_available_again_and_holds_a_keyword_back(server, numbers):
    (number,) = buy(server, numbers, BulkLocal={"Count": 1, "Region": {"State": "ME"}})
    kw = keyword()
    assert [k.Keyword for k in numbers.SearchAvailableKeywords(
        Keywords=[kw, "two_words"]).Keyword] == [kw.upper()]
    buy(server, numbers, Keywords=[kw])
    assert numbers.SearchAvailableKeywords(Keywords=[kw]).TotalResults == 0
    numbers.Release(Number=number)
    not_found(numbers.GetNumber, Number=number)
    again = numbers.SearchAvailableNumbers(Region={"State": "ME"}, Count=1000).Number
    assert number in [n.Number for n in again]
    numbers.Release(Number="67076", Keyword=kw.lower())
    assert numbers.QueryKeywords().TotalResults == 0
    assert numbers.SearchAvailableKeywords(Keywords=[kw]).TotalResults == 0
    not_found(numbers.Release, Number="67076", Keyword=kw)
    not_found(numbers.Release, Number=number)
    advance(server, 30 * 86400)
    assert numbers.SearchAvailableKeywords(Keywords=[kw]).TotalResults == 1


def test_an_owned_number_texts_as_from_number(server, numbers, client):
    (number,) = buy(server, numbers, BulkLocal={"Count": 1, "Region": {"State": "RI"}})
    texts = bind(client, server, "Text")
    texts.SendText(ToNumber=[{"_value_1": "13105551212"}],
                   TextBroadcastConfig={"FromNumber": number, "Message": "from my number"})
    advance(server, 60)
    (text,) = texts.QueryTexts(FromNumber=number).Text
    assert (text.FromNumber, text.FinalResult) == (number, "SENT")


def test_a_number_bought_and_configured_with_an_ivr_answers_inbound_calls_with_it(
        server, numbers, client, account):
    """Found, ordered, FINISHED, configured with an IVR, called: the caller walks the
    IVR (pressing the first key of each menu); released, it is for sale again."""
    region = {"City": "Seattle", "State": "WA"}
    (found,) = numbers.SearchAvailableNumbers(Region=region, Count=1).Number
    (number,) = buy(server, numbers, Numbers=[found.Number])
    numbers.ConfigureNumber(Number=number, NumberConfiguration={
        "InboundCallConfigurationType": "IVR",
        "InboundCallConfiguration": {"IvrInboundConfig": {"DialplanXml": DIALPLAN}}})
    arrival = inbound.receive_call(server.store, number, "12065550123")
    assert arrival.account_id == account.id
    contacts = bind(client, server, "Contact")
    (call,) = [item["Call"] for item in contacts.GetContactHistory(
        ContactId=contacts.QueryContacts(String="12065550123").Contact[0].id)]
    assert (call.id, call.Inbound, call.ToNumber._value_1, call.FinalResult) == (
        arrival.action_id, True, number, "LA")
    (record,) = call.CallRecord
    assert [(r.Question, r.Response) for r in record.QuestionResponse] == [("choice", "yes")]

    numbers.ConfigureNumber(Number=number, NumberConfiguration={"InboundCallConfiguration": {
        "CallTrackingConfig": {"TransferNumber": ["13105550103"]}}})
    inbound.receive_call(server.store, number, "12065550124")
    (transferred,) = [item["Call"] for item in contacts.GetContactHistory(
        ContactId=contacts.QueryContacts(String="12065550124").Contact[0].id)]
    assert transferred.FinalResult == "BUSY"  # what the transfer number answers

    numbers.Release(Number=number)
    assert number in [n.Number for n in numbers.SearchAvailableNumbers(
        Region=region, Count=1000).Number]


def test_an_inbound_text_to_an_owned_number_reaches_its_owner(server, numbers, client,
                                                               account):
    (number,) = buy(server, numbers, BulkLocal={"Count": 1, "Region": {"State": "OR"}})
    arrival = inbound.receive_text(server.store, number, "15035550123", "is this open?")
    assert arrival.account_id == account.id
    (text,) = bind(client, server, "Text").QueryTexts(Inbound=True, ToNumber=number).Text
    assert (text.Message, text.Inbound) == ("is this open?", True)


# -- labels ---------------------------------------------------------------------

def test_labels_on_broadcasts_filter_broadcasts_and_texts(server, labels, broadcasts, client):
    texts = bind(client, server, "Text")
    labelled, other = text_broadcast(broadcasts), text_broadcast(broadcasts)
    labels.LabelBroadcast(Id=labelled, LabelName="spring sale")
    labels.LabelBroadcast(Id=labelled, LabelName="spring sale")  # once is enough
    batch(broadcasts, labelled, ["13105551212"])
    batch(broadcasts, other, ["13105551213"])
    assert [b.id for b in broadcasts.QueryBroadcasts(LabelName="spring sale").Broadcast] == [
        labelled]
    assert broadcasts.QueryBroadcasts(LabelName="no such label").TotalResults == 0
    (text,) = texts.QueryTexts(LabelName="spring sale").Text
    assert (text.BroadcastId, [label.Name for label in text.Label]) == (labelled,
                                                                        ["spring sale"])
    assert [label.Name for label in labels.QueryLabels().Label] == ["spring sale"]
    labels.UnlabelBroadcast(Id=labelled, LabelName="spring sale")
    assert broadcasts.QueryBroadcasts(LabelName="spring sale").TotalResults == 0
    assert labels.QueryLabels().TotalResults == 1  # unlabelled, not deleted
    not_found(labels.LabelBroadcast, Id=1, LabelName="x")
    not_found(labels.UnlabelBroadcast, Id=labelled, LabelName="never made")
    bad_request(labels.LabelBroadcast, Id=labelled, LabelName="")


def test_labels_on_call_broadcasts_filter_query_calls(server, labels, client):
    calls = bind(client, server, "Call")
    voice = {"LiveSoundText": "Your appointment is tomorrow"}
    labelled = calls.SendCall(ToNumber=[{"_value_1": "13105551212"}],
                              VoiceBroadcastConfig=voice)
    other = calls.SendCall(ToNumber=[{"_value_1": "13105551213"}], VoiceBroadcastConfig=voice)
    labels.LabelBroadcast(Id=labelled, LabelName="reminders")
    (call,) = calls.QueryCalls(LabelName="reminders").Call
    assert (call.BroadcastId, [label.Name for label in call.Label]) == (labelled,
                                                                        ["reminders"])
    assert calls.QueryCalls(BroadcastId=other).TotalResults == 1
    assert calls.QueryCalls(LabelName="no such label").TotalResults == 0


def test_labels_on_numbers_filter_query_numbers_and_delete_label_takes_them_off(
        server, labels, numbers, broadcasts):
    first, second = buy(server, numbers, BulkLocal={"Count": 2, "Region": {"State": "DE"}})
    labels.LabelNumber(Number=first, LabelName="support")
    labels.LabelNumber(Number=second, LabelName="sales")
    broadcast_id = text_broadcast(broadcasts)
    labels.LabelBroadcast(Id=broadcast_id, LabelName="support")
    assert [n.Number for n in numbers.QueryNumbers(Region={}, LabelName="support").Number] == [
        first]
    labels.UnlabelNumber(Number=second, LabelName="sales")
    assert numbers.QueryNumbers(Region={}, LabelName="sales").TotalResults == 0
    labels.DeleteLabel(LabelName="support")
    assert [label.Name for label in labels.QueryLabels().Label] == ["sales"]
    assert numbers.QueryNumbers(Region={}, LabelName="support").TotalResults == 0
    assert broadcasts.QueryBroadcasts(LabelName="support").TotalResults == 0
    not_found(labels.DeleteLabel, LabelName="support")
    not_found(labels.LabelNumber, Number="13105550199", LabelName="x")
    not_found(labels.UnlabelNumber, Number=first, LabelName="never made")
