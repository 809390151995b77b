"""Spyne's SOAP 1.2 protocol, with the fixes this interface needs.

What plain ``Soap12`` gets wrong here (see the project's measured facts):
requests are validated against the *served* XSD (Spyne's own validator ends
in plain-text 500s and knows nothing of ``ref=`` namespaces); models are read
and written by ``soap.codec`` (``ref=`` namespaces, ``anyAttribute`` extras,
``xs:list`` values, schema defaults); empty output messages give an empty
``Body``; answers and faults go in the request's SOAP version (``soap.envelope``);
unparsable bodies get faults instead of exceptions; a response that cannot be
written is a Receiver fault, not a 200.  ``soap.endpoint`` calls ``parse``,
``read_request`` and ``response_document``.
"""
from __future__ import annotations

import logging
from functools import lru_cache

from lxml import etree
from spyne.model.complex import ComplexModelBase, XmlAttribute, XmlData
from spyne.protocol.soap import Soap12

from ..limits import Limits
from . import faults
from .codec import Codec
from .envelope import SoapVersion, serialize
from .envelope import new as new_envelope
from .parser import parse
from .schema import SpaceList

log = logging.getLogger(__name__)


def _lenient(element, cls) -> None:
    """Accept, before validation, what CallFire documented and its clients send.

    Lists are "space or comma separated" although ``xs:list`` knows only
    spaces; and where a request holds several alternatives of an xs:choice
    (ContactSource, CreateContactBatch) the first in schema order wins and
    the rest are ignored, CallFire's documented precedence.
    """
    if not _needs_leniency(cls):
        return
    if _is_list(cls):
        if element.text:
            element.text = element.text.replace(",", " ")
        return
    members = cls.get_flat_type_info(cls)
    children = [c for c in element if isinstance(c.tag, str)]
    for group in cls.choices:
        present = [name for name in group
                   if any(etree.QName(c).localname == name for c in children)]
        for name in present[1:]:
            for child in children:
                if etree.QName(child).localname == name:
                    element.remove(child)
    for child in element:
        member = members.get(etree.QName(child).localname) if isinstance(child.tag, str) else None
        if member is not None:
            _lenient(child, member)


def _is_list(cls) -> bool:
    """A list type, or simple content of a list type (ContactSource/Numbers)."""
    if issubclass(cls, SpaceList):
        return True
    return issubclass(cls, ComplexModelBase) and any(
        issubclass(m, XmlData) and issubclass(m.type, SpaceList)
        for m in cls.get_flat_type_info(cls).values())


@lru_cache(maxsize=None)
def _needs_leniency(cls) -> bool:
    """Whether a list or a choice occurs anywhere in ``cls`` (prunes the walk)."""
    if _is_list(cls):
        return True
    if not issubclass(cls, ComplexModelBase) or issubclass(cls, XmlAttribute):
        return False
    return bool(cls.choices) or any(_needs_leniency(m)
                                    for m in cls.get_flat_type_info(cls).values())


class CallFireSoap12(Soap12):
    def __init__(self, schema: etree.XMLSchema, limits: Limits, **kwargs):
        super().__init__(validator=None, **kwargs)
        self.schema = schema
        self.limits = limits
        self._by_element = None
        self.codec = Codec(self.from_unicode, self.to_unicode)

    # -- reading the request ------------------------------------------------

    def parse(self, body: bytes) -> etree._Element:
        """The request body's root element, within the limits; a BAD_REQUEST fault
        otherwise."""
        return parse(body, self.limits.max_depth, self.limits.max_nodes)

    def read_request(self, envelope: etree._Element,
                     version: SoapVersion) -> tuple[object, object]:
        """The operation a request envelope asks for (its Spyne descriptor), and its
        input read into the operation's model; a BAD_REQUEST fault otherwise."""
        body_element = envelope.find(version.tag("Body"))
        if body_element is None:
            raise faults.bad_request("the SOAP Envelope has no Body")
        entries = [child for child in body_element if isinstance(child.tag, str)]
        if len(entries) != 1:
            raise faults.bad_request("the SOAP Body must hold exactly one element, "
                                     "found %d" % len(entries))
        request = entries[0]
        descriptor = self._methods_by_element().get(request.tag)
        if descriptor is None:
            raise faults.bad_request("unknown operation: %s does not take %s"
                                     % (self.app.name, request.tag))
        _lenient(request, descriptor.in_message)
        try:
            self.schema.assertValid(request)
        except etree.DocumentInvalid as e:
            raise faults.bad_request("the request breaks the schema: %s" % e,
                                     detail="line %s" % e.error_log.last_error.line)
        return descriptor, self.codec.read(descriptor.in_message, request)

    def _methods_by_element(self) -> dict:
        """Operations by their input element: how a document/literal request names one."""
        if self._by_element is None:
            self._by_element = {
                descriptor.udd["operation"].input_element: descriptor
                for descriptors in self.app.interface.service_method_map.values()
                for descriptor in descriptors}
        return self._by_element

    # -- writing the response -----------------------------------------------

    def response_document(self, descriptor, result, version: SoapVersion) -> bytes:
        """The answer in ``version``'s envelope: the output element, or an empty
        Body where the WSDL's output message is empty."""
        envelope, body = new_envelope(version)
        if not descriptor.udd["empty_output"]:
            cls = descriptor.out_message
            try:
                self.codec.write(cls, result, body, "{%s}%s" % (
                    cls.Attributes.sub_ns, cls.Attributes.sub_name))
            except Exception:
                log.exception("%s: the response could not be written",
                              descriptor.udd["operation"].name)
                raise faults.unwritable_response()
        return serialize(envelope)
