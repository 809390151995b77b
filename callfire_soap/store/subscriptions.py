"""Subscriptions: which events of an account are posted where, and in what format.

A subscription names one TriggerEvent, an Endpoint, a NotificationFormat and an
optional SubscriptionFilter; every event the account raises (``Event``) is
matched against its enabled subscriptions (``matching``), and each match gets
a notification in the outbox (store/postbacks.py), in the same transaction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import ids, phone
from .errors import InvalidRequest
from .pages import Page
from .records import Records

TRIGGER_EVENTS = ("INBOUND_CALL_FINISHED", "INBOUND_TEXT_FINISHED", "OUTBOUND_CALL_FINISHED",
                  "OUTBOUND_TEXT_FINISHED", "CAMPAIGN_STARTED", "CAMPAIGN_STOPPED",
                  "CAMPAIGN_FINISHED")
INBOUND_EVENTS = ("INBOUND_CALL_FINISHED", "INBOUND_TEXT_FINISHED")
FORMATS = ("XML", "JSON", "SOAP", "EMAIL")
DEFAULT_FORMAT = "XML"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_KEYWORD_NUMBER = re.compile(r"([0-9]{5,6}):([0-9A-Za-z]+)")  # a short code and its keyword


@dataclass
class Event:
    """Something that happened to the account at a simulated instant, with the facts
    a SubscriptionFilter looks at.  ``subject`` says what the notification carries:
    ``action`` (a Text or a Call, by ``subject_id``) or ``broadcast``."""
    name: str
    instant: int
    subject: str
    subject_id: int
    broadcast_id: int | None = None
    batch_id: int | None = None
    from_number: str | None = None
    to_number: str | None = None
    message: str | None = None     # an inbound text's message: its first word is the keyword

    @property
    def inbound(self) -> bool:
        return self.name in INBOUND_EVENTS


@dataclass
class SubscriptionFilter:
    broadcast_id: int | None = None
    batch_id: int | None = None
    from_number: str | None = None
    to_number: str | None = None
    inbound: bool | None = None

    def matches(self, event: Event) -> bool:
        if self.inbound is not None and self.inbound != event.inbound:
            return False
        for wanted, actual in ((self.broadcast_id, event.broadcast_id),
                               (self.batch_id, event.batch_id),
                               (self.from_number, event.from_number)):
            if wanted is not None and wanted != actual:
                return False
        if self.to_number is None:
            return True
        keyword = _KEYWORD_NUMBER.fullmatch(self.to_number)
        if keyword is None:
            return self.to_number == event.to_number
        words = (event.message or "").split()
        return keyword[1] == event.to_number and bool(words) \
            and words[0].casefold() == keyword[2].casefold()


@dataclass
class Subscription:
    id: int | None
    enabled: bool | None = None
    endpoint: str | None = None
    format: str | None = None
    trigger_event: str | None = None
    filter: SubscriptionFilter | None = None
    filter_given: bool = field(default=False, compare=False)  # an update replaces it


def check_endpoint(endpoint: str, format: str) -> None:
    """An absolute http(s) URL, or for EMAIL an e-mail address (``mailto:`` optional)."""
    if format == "EMAIL":
        if not _EMAIL.fullmatch(endpoint.removeprefix("mailto:")):
            raise InvalidRequest("Endpoint %r is not an e-mail address, as an EMAIL "
                                 "subscription needs" % endpoint, detail="Endpoint")
        return
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidRequest("Endpoint %r is not an absolute http or https URL" % endpoint,
                             detail="Endpoint")


def _number(value: str | None, name: str) -> str | None:
    """A filter's number: 11 E.164 digits (10 get the 1), a short code, or for
    ToNumber a short code and keyword (``67076:KEYWORD``)."""
    if value is None:
        return None
    if value.isdigit() and 5 <= len(value) <= 6:
        return value
    keyword = _KEYWORD_NUMBER.fullmatch(value)
    if keyword is not None and name == "ToNumber":
        return "%s:%s" % (keyword[1], keyword[2])
    normalized = phone.normalize(value)
    if normalized is None:
        raise InvalidRequest("SubscriptionFilter/%s %r is neither an 11-digit E.164 number "
                             "nor a short code%s" % (name, value, " (with :KEYWORD)"
                                                     if name == "ToNumber" else ""),
                             detail=name)
    return normalized


class Subscriptions(Records[Subscription]):
    table, kind = "subscriptions", "Subscription"
    select = ("id, enabled, endpoint, format, trigger_event, broadcast_id, batch_id, "
              "from_number, to_number, inbound")

    def __init__(self, db, account_id: int):
        super().__init__(db, account_id)
        # the enabled subscriptions by event, read once per call: most events notify no one
        self._wanted: dict[str, list[Subscription]] | None = None

    def record(self, row: dict) -> Subscription:
        inbound = row["inbound"]
        return Subscription(
            row["id"], bool(row["enabled"]), row["endpoint"], row["format"],
            row["trigger_event"], SubscriptionFilter(
                row["broadcast_id"], row["batch_id"], row["from_number"], row["to_number"],
                None if inbound is None else bool(inbound)))

    def query(self, first: int | None = None, limit: int | None = None
              ) -> Page[Subscription]:
        return self.page(None, (), first, limit)

    def create(self, subscription: Subscription, now: int) -> int:
        if subscription.endpoint is None:
            raise InvalidRequest("Subscription/Endpoint is required", detail="Endpoint")
        if subscription.trigger_event is None:
            raise InvalidRequest("TriggerEvent is required", detail="TriggerEvent")
        stored = Subscription(None, True, None, DEFAULT_FORMAT, None, SubscriptionFilter())
        row = self._row(stored, subscription)
        row.update(id=ids.take(self.db), account_id=self.account_id, created=now)
        self._wanted = None
        return self.db["subscriptions"].insert(row).last_pk

    def update(self, subscription: Subscription) -> None:
        """Change what is given; a SubscriptionFilter given replaces the stored one."""
        if subscription.id is None:
            raise InvalidRequest("the Subscription's id is required", detail="id")
        stored = self.get(subscription.id)
        self._wanted = None
        self.db["subscriptions"].update(subscription.id, self._row(stored, subscription))

    def delete(self, subscription_id: int) -> None:
        self.require(subscription_id)
        self._wanted = None
        self.db.execute("DELETE FROM subscriptions WHERE id = ?", [subscription_id])

    def _row(self, stored: Subscription, given: Subscription) -> dict:
        """The columns of ``stored`` changed by what ``given`` sets, checked."""
        merged = Subscription(
            stored.id, stored.enabled if given.enabled is None else given.enabled,
            given.endpoint or stored.endpoint, given.format or stored.format,
            given.trigger_event or stored.trigger_event,
            given.filter if given.filter_given else stored.filter)
        if merged.trigger_event not in TRIGGER_EVENTS:
            raise InvalidRequest("TriggerEvent %s is not an event a subscription can be "
                                 "notified of" % merged.trigger_event, detail="TriggerEvent")
        check_endpoint(merged.endpoint, merged.format)
        found = merged.filter or SubscriptionFilter()
        return {"enabled": int(merged.enabled), "endpoint": merged.endpoint,
                "format": merged.format, "trigger_event": merged.trigger_event,
                "broadcast_id": found.broadcast_id, "batch_id": found.batch_id,
                "from_number": _number(found.from_number, "FromNumber"),
                "to_number": _number(found.to_number, "ToNumber"),
                "inbound": None if found.inbound is None else int(found.inbound)}

    def matching(self, event: Event) -> list[Subscription]:
        """The enabled subscriptions of the account that ``event`` notifies, in id order."""
        if self._wanted is None:
            self._wanted = {}
            for subscription in self.rows_where("enabled"):
                self._wanted.setdefault(subscription.trigger_event, []).append(subscription)
        return [subscription for subscription in self._wanted.get(event.name, ())
                if subscription.filter.matches(event)]
