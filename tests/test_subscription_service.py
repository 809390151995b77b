"""SubscriptionService through zeep, in both WSDL setups: the five operations, their
defaults, the partial update, the filter's numbers, and the faults."""
import pytest
from zeep.exceptions import Fault

from conftest import bind, fault_code

URL = "https://hooks.example.com/callfire"


@pytest.fixture
def subscriptions(client, server):
    return bind(client, server, "Subscription")


def test_create_get_query_update_delete(subscriptions):
    first = subscriptions.CreateSubscription(Subscription={
        "Endpoint": URL, "TriggerEvent": "INBOUND_TEXT_FINISHED"})
    got = subscriptions.GetSubscription(Id=first)
    assert (got.id, got.Enabled, got.Endpoint, got.NotificationFormat, got.TriggerEvent,
            got.SubscriptionFilter) == (first, True, URL, "XML", "INBOUND_TEXT_FINISHED", None)

    second = subscriptions.CreateSubscription(RequestId="urn:sub:1", Subscription={
        "Enabled": False, "Endpoint": "http://127.0.0.1:9/x", "NotificationFormat": "SOAP",
        "TriggerEvent": "CAMPAIGN_FINISHED", "SubscriptionFilter": {
            "BroadcastId": 12, "BatchId": 13, "FromNumber": "3105551212",
            "ToNumber": "67076:PIZZA", "Inbound": False}})
    assert subscriptions.CreateSubscription(RequestId="urn:sub:1", Subscription={
        "Endpoint": URL, "TriggerEvent": "CAMPAIGN_STARTED"}) == second
    found = subscriptions.GetSubscription(Id=second).SubscriptionFilter
    assert (found.BroadcastId, found.BatchId, found.FromNumber, found.ToNumber,
            found.Inbound) == (12, 13, "13105551212", "67076:PIZZA", False)

    page = subscriptions.QuerySubscriptions()
    assert page.TotalResults == 2 and [s.id for s in page.Subscription] == [first, second]
    assert [s.id for s in subscriptions.QuerySubscriptions(FirstResult=1).Subscription] \
        == [second]

    # partial: what is sent changes, the rest stays; a filter sent replaces the stored one.
    assert subscriptions.UpdateSubscription(Subscription={
        "id": second, "Enabled": True, "NotificationFormat": "SOAP",
        "SubscriptionFilter": {"BroadcastId": 14}}) is None
    got = subscriptions.GetSubscription(Id=second)
    assert (got.Enabled, got.Endpoint, got.NotificationFormat, got.TriggerEvent) == (
        True, "http://127.0.0.1:9/x", "SOAP", "CAMPAIGN_FINISHED")
    assert (got.SubscriptionFilter.BroadcastId, got.SubscriptionFilter.ToNumber) == (14, None)
    # Enabled and NotificationFormat left out stay, though the schema gives them defaults
    subscriptions.UpdateSubscription(Subscription={"id": second, "Enabled": False})
    subscriptions.UpdateSubscription(Subscription={"id": second, "SubscriptionFilter": {}})
    got = subscriptions.GetSubscription(Id=second)
    assert (got.SubscriptionFilter, got.NotificationFormat, got.Enabled) == (None, "SOAP", False)

    assert subscriptions.DeleteSubscription(Id=first) is None
    assert [s.id for s in subscriptions.QuerySubscriptions().Subscription] == [second]
    with pytest.raises(Fault) as excinfo:
        subscriptions.GetSubscription(Id=first)
    assert fault_code(excinfo) == "NOT_FOUND"


@pytest.mark.parametrize("subscription, detail", [
    ({"Endpoint": URL}, "TriggerEvent"),
    ({"Endpoint": URL, "TriggerEvent": "UNDEFINED_EVENT"}, "TriggerEvent"),
    ({"TriggerEvent": "CAMPAIGN_STARTED"}, "Endpoint"),
    ({"Endpoint": "somephpfile.php", "TriggerEvent": "CAMPAIGN_STARTED"}, "Endpoint"),
    ({"Endpoint": "ftp://example.com/x", "TriggerEvent": "CAMPAIGN_STARTED"}, "Endpoint"),
    ({"Endpoint": "http://", "TriggerEvent": "CAMPAIGN_STARTED"}, "Endpoint"),
    ({"Endpoint": "http:///no-host", "TriggerEvent": "CAMPAIGN_STARTED"}, "Endpoint"),
    ({"Endpoint": URL, "NotificationFormat": "EMAIL", "TriggerEvent": "CAMPAIGN_STARTED"},
     "Endpoint"),
    ({"Endpoint": URL, "TriggerEvent": "CAMPAIGN_STARTED",
      "SubscriptionFilter": {"ToNumber": "123"}}, "ToNumber"),
    ({"Endpoint": URL, "TriggerEvent": "CAMPAIGN_STARTED",
      "SubscriptionFilter": {"FromNumber": "abc"}}, "FromNumber"),
])
def test_bad_subscriptions_are_refused_naming_the_field(subscriptions, subscription, detail):
    with pytest.raises(Fault) as excinfo:
        subscriptions.CreateSubscription(Subscription=subscription)
    assert fault_code(excinfo) == "BAD_REQUEST"
    assert excinfo.value.detail.findtext(".//{*}Detail") == detail
    assert subscriptions.QuerySubscriptions().TotalResults == 0


def test_updates_and_deletes_of_unknown_ids(subscriptions):
    created = subscriptions.CreateSubscription(Subscription={
        "Endpoint": URL, "TriggerEvent": "CAMPAIGN_STARTED"})
    for call in (lambda: subscriptions.UpdateSubscription(Subscription={"id": 999999999}),
                 lambda: subscriptions.DeleteSubscription(Id=999999999)):
        with pytest.raises(Fault) as excinfo:
            call()
        assert fault_code(excinfo) == "NOT_FOUND"
    with pytest.raises(Fault) as excinfo:  # no id, no subscription to change
        subscriptions.UpdateSubscription(Subscription={"Enabled": False})
    assert fault_code(excinfo) == "BAD_REQUEST"
    with pytest.raises(Fault) as excinfo:  # a change is checked like a create
        subscriptions.UpdateSubscription(Subscription={"id": created, "Endpoint": "x"})
    assert fault_code(excinfo) == "BAD_REQUEST"
    assert subscriptions.GetSubscription(Id=created).Endpoint == URL
