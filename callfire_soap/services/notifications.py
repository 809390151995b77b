"""The postbacks' bodies, as CallFire posted them: XML, JSON, SOAP or an e-mail.

XML is the notification root in ``http://api.callfire.com/notification/xsd``
with the prefix ``n`` (CallFire's PHP SDK compares the literal
``n:TextNotification``), ``http://api.callfire.com/data`` the default
namespace: ``n:SubscriptionId``, then the resource as GetText, GetCall or
GetBroadcast write it.  JSON is the same content with CallFire's JSON habits:
attributes as ``@name``, the text of an element that also has attributes as
``$``, numbers and booleans unquoted, a repeated element with one item an
object and with several an array.  SOAP is the XML in a SOAP 1.2 envelope.
EMAIL is an RFC 5322 message holding the XML, kept in the outbox.
"""
from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache

from lxml import etree
from spyne.model.complex import ComplexModelBase, XmlAttribute, XmlData
from spyne.model.primitive import Boolean, Decimal, Float, Integer
from spyne.protocol.xml import XmlDocument

from ..soap.codec import Codec
from ..soap.envelope import SOAP12
from ..soap.models import NS_DATA, data
from ..soap.schema import ANY_ATTRIBUTE
from ..store import Session
from ..store.postbacks import Payload
from ..store.subscriptions import Event, Subscription
from .broadcast import action_to_soap, broadcast_to_soap, moment

NS_NOTIFICATION = "http://api.callfire.com/notification/xsd"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
XML_TYPE = "text/xml; charset=UTF-8"   # the SDK's is_event_request wants exactly this
JSON_TYPE = "application/json; charset=UTF-8"
# The root element of each event's notification.
ROOTS = {"INBOUND_TEXT_FINISHED": "TextNotification",
         "OUTBOUND_TEXT_FINISHED": "TextNotification",
         "INBOUND_CALL_FINISHED": "CallFinished", "OUTBOUND_CALL_FINISHED": "CallFinished",
         "CAMPAIGN_STARTED": "CampaignStarted", "CAMPAIGN_STOPPED": "CampaignStopped",
         "CAMPAIGN_FINISHED": "CampaignFinished"}

_XML = XmlDocument()
CODEC = Codec(_XML.from_unicode, _XML.to_unicode)


def _resource(session: Session, event: Event):
    """The Text, Call or Broadcast the notification carries: its element's name, its
    class and the instance, as they are at the event's instant."""
    if event.subject == "broadcast":
        return "Broadcast", broadcast_to_soap(session.broadcasts.get(event.subject_id))
    action = session.actions.get(event.subject_id)
    name = "Call" if action.is_call else "Text"
    return name, action_to_soap(action)


def xml_root(event: Event, subscription_id: int, name: str, instance) -> etree._Element:
    root = etree.Element("{%s}%s" % (NS_NOTIFICATION, ROOTS[event.name]),
                         nsmap={None: NS_DATA, "n": NS_NOTIFICATION})
    etree.SubElement(root, "{%s}SubscriptionId" % NS_NOTIFICATION).text = str(subscription_id)
    CODEC.write(data(name), instance, root, "{%s}%s" % (NS_DATA, name))
    return root


def _xml(root: etree._Element) -> bytes:
    return DECLARATION + etree.tostring(root, encoding="unicode").encode()


@lru_cache(maxsize=None)
def _json_converter(cls: type):
    if issubclass(cls, Boolean):
        return bool
    if issubclass(cls, Integer):
        return int
    if issubclass(cls, (Float, Decimal)):
        return float
    return CODEC.to_text(cls)


def _json_value(cls: type, value):
    return _json_converter(cls)(value)


def to_json(cls: type, instance):
    """A model instance as CallFire's JSON wrote it (see the module's docstring)."""
    if not issubclass(cls, ComplexModelBase):
        return _json_value(cls, instance)
    attributes, result, text = {}, {}, None
    for key, member in cls.get_flat_type_info(cls).items():
        value = getattr(instance, key, None)
        if value is None or key == ANY_ATTRIBUTE:
            continue
        if issubclass(member, XmlAttribute):
            attributes["@" + key] = _json_value(member.type, value)
        elif issubclass(member, XmlData):
            text = _json_value(member.type, value)
        elif member.Attributes.max_occurs > 1:
            items = [to_json(member, item) for item in value]
            if items:
                result[member.Attributes.sub_name or key] = items[0] if len(items) == 1 \
                    else items
        else:
            result[member.Attributes.sub_name or key] = to_json(member, value)
    attributes.update(("@" + k, v) for k, v in (getattr(instance, ANY_ATTRIBUTE, None) or {}
                                                ).items())
    result = {**attributes, **result}
    if text is not None:
        if not result:
            return text
        result["$"] = text
    return result


def render(session: Session, event: Event, subscription: Subscription) -> Payload:
    """The notification of ``event`` for ``subscription``, in its format."""
    name, instance = _resource(session, event)
    if subscription.format == "JSON":
        body = {ROOTS[event.name]: {"SubscriptionId": subscription.id,
                                    name: to_json(data(name), instance)}}
        return Payload(JSON_TYPE, json.dumps(body).encode())
    root = xml_root(event, subscription.id, name, instance)
    if subscription.format == "SOAP":
        envelope = etree.Element(SOAP12.tag("Envelope"), nsmap={"env": SOAP12.namespace})
        etree.SubElement(envelope, SOAP12.tag("Body")).append(root)
        return Payload("application/soap+xml; charset=UTF-8",
                       DECLARATION + etree.tostring(envelope, encoding="unicode").encode())
    if subscription.format == "EMAIL":
        message = EmailMessage()
        message["To"] = subscription.endpoint.removeprefix("mailto:")
        message["Subject"] = "CallFire notification: %s" % event.name
        message["Date"] = format_datetime(moment(event.instant))
        message.set_content(_xml(root).decode(), subtype="xml", cte="8bit")
        return Payload("message/rfc822", message.as_bytes())
    return Payload(XML_TYPE, _xml(root))
