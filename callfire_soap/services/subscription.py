"""SubscriptionService: SOAP requests in, store calls, SOAP responses out."""
from __future__ import annotations

from dataclasses import replace

from ..soap.codec import defaulted
from ..soap.models import data, svc
from ..soap.operations import read, write
from ..soap.records import from_record
from ..store import Session
from ..store.subscriptions import Subscription, SubscriptionFilter


def subscription_from_soap(soap) -> Subscription:
    given = soap.SubscriptionFilter
    return Subscription(
        id=soap.id, enabled=soap.Enabled, endpoint=soap.Endpoint,
        format=soap.NotificationFormat, trigger_event=soap.TriggerEvent,
        filter=None if given is None else SubscriptionFilter(
            given.BroadcastId, given.BatchId, given.FromNumber, given.ToNumber,
            given.Inbound),
        filter_given=given is not None)


def subscription_to_soap(subscription: Subscription):
    found = subscription.filter
    empty = found == SubscriptionFilter()
    return from_record(data("Subscription"), {
        "id": subscription.id, "Enabled": subscription.enabled,
        "Endpoint": subscription.endpoint, "NotificationFormat": subscription.format,
        "TriggerEvent": subscription.trigger_event,
        "SubscriptionFilter": None if empty else {
            "BroadcastId": found.broadcast_id, "BatchId": found.batch_id,
            "FromNumber": found.from_number, "ToNumber": found.to_number,
            "Inbound": found.inbound}})


def create_subscription(session: Session, request) -> int:
    return session.subscriptions.create(subscription_from_soap(request.Subscription),
                                        session.sim_now)


def query_subscriptions(session: Session, request):
    page = session.subscriptions.query(request.FirstResult, request.MaxResults)
    return svc("SubscriptionQueryResult")(
        TotalResults=page.total, Subscription=[subscription_to_soap(s) for s in page.items])


def get_subscription(session: Session, request):
    return subscription_to_soap(session.subscriptions.get(request.Id))


def update_subscription(session: Session, request) -> None:
    """Partial: Enabled and NotificationFormat left out stay as stored, though the
    schema gives them defaults (a create takes those)."""
    given = subscription_from_soap(request.Subscription)
    left_out = defaulted(request.Subscription)
    session.subscriptions.update(replace(
        given, enabled=None if "Enabled" in left_out else given.enabled,
        format=None if "NotificationFormat" in left_out else given.format))


def delete_subscription(session: Session, request) -> None:
    session.subscriptions.delete(request.Id)


OPERATIONS = {
    "CreateSubscription": write(create_subscription, request_id=True),
    "QuerySubscriptions": read(query_subscriptions),
    "GetSubscription": read(get_subscription),
    "UpdateSubscription": write(update_subscription),
    "DeleteSubscription": write(delete_subscription),
}
