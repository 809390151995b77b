"""Spyne's SOAP 1.2 protocol, with the fixes this interface needs.

What plain ``Soap12`` gets wrong here (see the project's measured facts):
requests are validated against the *served* XSD (Spyne's own validator ends
in plain-text 500s and knows nothing of ``ref=`` namespaces); models are read
and written by ``soap.codec`` (``ref=`` namespaces, ``anyAttribute`` extras,
``xs:list`` values, schema defaults); what real clients send that the schema
refuses is accepted first (``soap.leniency``); empty output messages give an empty
``Body``; answers and faults go in the request's SOAP version (``soap.envelope``);
unparsable bodies get faults instead of exceptions; a response that cannot be
written is a Receiver fault, not a 200.  ``soap.endpoint`` calls ``parse``,
``read_request`` and ``response_document``.
"""
from __future__ import annotations

import logging

from lxml import etree
from spyne.protocol.soap import Soap12

from ..limits import Limits
from . import faults, leniency
from .codec import Codec
from .envelope import SoapVersion, serialize
from .envelope import new as new_envelope
from .parser import parse

log = logging.getLogger(__name__)


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

    def read_request(self, envelope: etree._Element, version: SoapVersion,
                     typed: bool) -> tuple[object, object]:
        """The operation a request envelope asks for (its Spyne descriptor), and its
        input read into the operation's model; a BAD_REQUEST fault otherwise.
        ``typed``: whether the body may hold ``xsi:type`` (``leniency.may_be_typed``)."""
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
        leniency.accept(request, descriptor.in_message, typed)
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
