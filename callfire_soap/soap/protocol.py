"""Spyne's SOAP 1.2 protocol, with the fixes this interface needs.

What plain ``Soap12`` gets wrong here (see the project's measured facts):
requests are validated against the *served* XSD (Spyne's own validator ends
in plain-text 500s and knows nothing of ``ref=`` namespaces); models are read
and written by ``soap.codec`` (``ref=`` namespaces, ``anyAttribute`` extras,
``xs:list`` values, schema defaults); empty output messages give an empty
``Body``; faults are SOAP 1.2 with CallFire's ``ServiceFaultInfo`` detail and
the HTTP status of the SOAP 1.2 binding; unparsable bodies and SOAP 1.1
envelopes get faults instead of exceptions; a response that cannot be written
is a Receiver fault with HTTP 500, not a 200.
"""
from __future__ import annotations

import logging
from functools import lru_cache

from lxml import etree
from spyne.const.xml import NS_SOAP11_ENV, NS_SOAP12_ENV, NS_XML
from spyne.model.complex import ComplexModelBase, XmlAttribute, XmlData
from spyne.protocol.soap import Soap12

from ..limits import Limits
from . import faults
from .codec import Codec
from .models import NS_DATA, NS_SVC
from .parser import parse
from .schema import SpaceList

ENV = "{%s}" % NS_SOAP12_ENV
SVC = "{%s}" % NS_SVC
RESPONSE_NSMAP = {"env": NS_SOAP12_ENV, "svc": NS_SVC, "data": NS_DATA}


log = logging.getLogger(__name__)


def write_fault(parent: etree._Element, fault: faults.ServiceFault) -> None:
    """``env:Fault`` with CallFire's ``ServiceFaultInfo`` detail, appended to ``parent``."""
    element = etree.SubElement(parent, ENV + "Fault")
    code = etree.SubElement(element, ENV + "Code")
    etree.SubElement(code, ENV + "Value").text = "env:" + fault.soap_code
    reason = etree.SubElement(element, ENV + "Reason")
    text = etree.SubElement(reason, ENV + "Text", {"{%s}lang" % NS_XML: "en"})
    text.text = fault.message
    detail = etree.SubElement(element, ENV + "Detail")
    info = etree.SubElement(detail, SVC + "ServiceFaultInfo")
    etree.SubElement(info, SVC + "FaultCode").text = fault.fault_code
    etree.SubElement(info, SVC + "Message").text = fault.message
    if fault.fault_detail:
        etree.SubElement(info, SVC + "Detail").text = fault.fault_detail


def fault_document(fault: faults.ServiceFault) -> bytes:
    """A whole fault envelope, for requests refused before Spyne reads them."""
    envelope = etree.Element(ENV + "Envelope", nsmap=RESPONSE_NSMAP)
    write_fault(etree.SubElement(envelope, ENV + "Body"), fault)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


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

    def create_in_document(self, ctx, charset=None):
        ctx.in_document = parse(b"".join(ctx.in_string), self.limits.max_depth,
                                self.limits.max_nodes)

    def decompose_incoming_envelope(self, ctx, message=Soap12.REQUEST):
        envelope = ctx.in_document
        if envelope.tag == "{%s}Envelope" % NS_SOAP11_ENV:
            raise faults.version_mismatch()
        if envelope.tag != "{%s}Envelope" % NS_SOAP12_ENV:
            raise faults.bad_request("the document is not a SOAP 1.2 Envelope")
        header = envelope.find("{%s}Header" % NS_SOAP12_ENV)
        body = envelope.find("{%s}Body" % NS_SOAP12_ENV)
        if body is None:
            raise faults.bad_request("the SOAP Envelope has no Body")
        entries = [child for child in body if isinstance(child.tag, str)]
        if len(entries) != 1:
            raise faults.bad_request("the SOAP Body must hold exactly one element, "
                                     "found %d" % len(entries))
        request = entries[0]
        descriptors = self._methods_by_element().get(request.tag)
        if descriptors is None:
            raise faults.bad_request("unknown operation: %s does not take %s"
                                     % (self.app.name, request.tag))
        _lenient(request, descriptors[0].in_message)
        try:
            self.schema.assertValid(request)
        except etree.DocumentInvalid as e:
            raise faults.bad_request("the request breaks the schema: %s" % e,
                                     detail="line %s" % e.error_log.last_error.line)
        ctx.in_header_doc = None if header is None else list(header)
        ctx.in_body_doc = request
        ctx.method_request_string = request.tag

    def _methods_by_element(self) -> dict:
        """Operations by their input element: how a document/literal request names one."""
        if self._by_element is None:
            self._by_element = {
                descriptor.udd["operation"].input_element: [descriptor]
                for descriptors in self.app.interface.service_method_map.values()
                for descriptor in descriptors}
        return self._by_element

    def get_call_handles(self, ctx):
        return self._methods_by_element().get(ctx.method_request_string, [])

    def complex_from_element(self, ctx, cls, elt):
        return self.codec.read(cls, elt)

    # -- writing the response -----------------------------------------------

    def serialize(self, ctx, message):
        """Every answer is bare: one body element, a fault, or nothing."""
        envelope = etree.Element(ENV + "Envelope", nsmap=RESPONSE_NSMAP)
        body = etree.SubElement(envelope, ENV + "Body")
        if ctx.out_error is not None:
            self.fault_to_parent(ctx, None, ctx.out_error, body, None)
        elif not ctx.descriptor.udd["empty_output"]:
            cls = ctx.descriptor.out_message
            try:
                self.to_parent(ctx, cls, ctx.out_object[0], body,
                               cls.Attributes.sub_ns, cls.Attributes.sub_name)
            except Exception:
                log.exception("%s: the response could not be written",
                              ctx.descriptor.udd["operation"].name)
                fault = faults.unwritable_response()
                body.clear()
                write_fault(body, fault)
                ctx.transport.resp_code = fault.http_status
        ctx.out_document = envelope
        ctx.out_body_doc = body

    def complex_to_parent(self, ctx, cls, inst, parent, ns, name=None, **_):
        attributes = cls.Attributes
        tag = "{%s}%s" % (attributes.sub_ns or ns, attributes.sub_name or name
                          or cls.get_type_name())
        self.codec.write(cls, inst, parent, tag)

    def fault_to_parent(self, ctx, cls, inst, parent, ns, **_):
        write_fault(parent, faults.from_fault(inst))

    def fault_to_http_response_code(self, fault):
        return faults.from_fault(fault).http_status
