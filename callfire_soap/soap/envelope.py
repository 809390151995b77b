"""The two SOAP envelopes every port speaks, and the faults written in each.

The WSDL declares SOAP 1.2, but legacy clients send SOAP 1.1 to the same
addresses without knowing it (PHP's SoapClient without ``soap_version``, suds,
Perl SOAP::Lite), and CallFire answered them.  A request is answered in its
envelope's version; what is answered before the envelope is read (a body
refused unread, or one that is not XML) goes in the version the request's
headers announce.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from spyne.const.xml import NS_SOAP11_ENV, NS_SOAP12_ENV, NS_XML

from . import faults
from .models import NS_DATA, NS_SVC

SVC = "{%s}" % NS_SVC


@dataclass(frozen=True)
class SoapVersion:
    name: str
    namespace: str
    prefix: str          # of the answer's envelope, which fault codes are qualified with
    content_type: str    # of the answer
    codes: dict          # faults.SENDER etc. -> this version's fault code

    def tag(self, local: str) -> str:
        return "{%s}%s" % (self.namespace, local)


SOAP12 = SoapVersion("1.2", NS_SOAP12_ENV, "env", "application/soap+xml; charset=utf-8",
                     {faults.SENDER: "Sender", faults.RECEIVER: "Receiver",
                      faults.VERSION_MISMATCH: "VersionMismatch"})
SOAP11 = SoapVersion("1.1", NS_SOAP11_ENV, "soap", "text/xml; charset=utf-8",
                     {faults.SENDER: "Client", faults.RECEIVER: "Server",
                      faults.VERSION_MISMATCH: "VersionMismatch"})
BY_NAMESPACE = {version.namespace: version for version in (SOAP12, SOAP11)}


def announced(content_type: str, soap_action: str | None) -> SoapVersion:
    """The version a request's headers announce: ``text/xml`` or a ``SOAPAction``
    header is SOAP 1.1's HTTP binding, anything else is taken for SOAP 1.2."""
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type == "application/soap+xml":
        return SOAP12
    if media_type == "text/xml" or soap_action is not None:
        return SOAP11
    return SOAP12


def version_of(root: etree._Element) -> SoapVersion:
    """The version of a parsed request's envelope; a fault if it is neither."""
    qname = etree.QName(root)
    if qname.localname != "Envelope":
        raise faults.bad_request("the document is not a SOAP Envelope")
    version = BY_NAMESPACE.get(qname.namespace)
    if version is None:
        raise faults.version_mismatch()
    return version


def new(version: SoapVersion) -> tuple[etree._Element, etree._Element]:
    """An answer's Envelope and its empty Body."""
    envelope = etree.Element(version.tag("Envelope"),
                             nsmap={version.prefix: version.namespace, "svc": NS_SVC,
                                    "data": NS_DATA})
    return envelope, etree.SubElement(envelope, version.tag("Body"))


def serialize(envelope: etree._Element) -> bytes:
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def write_fault(body: etree._Element, fault: faults.ServiceFault,
                version: SoapVersion) -> None:
    """The Fault, with CallFire's ``ServiceFaultInfo`` in its detail, in ``body``."""
    code = "%s:%s" % (version.prefix, version.codes[fault.soap_code])
    element = etree.SubElement(body, version.tag("Fault"))
    if version is SOAP11:  # faultcode, faultstring and detail are unqualified
        etree.SubElement(element, "faultcode").text = code
        etree.SubElement(element, "faultstring").text = fault.message
        detail = etree.SubElement(element, "detail")
    else:
        value = etree.SubElement(etree.SubElement(element, version.tag("Code")),
                                 version.tag("Value"))
        value.text = code
        reason = etree.SubElement(element, version.tag("Reason"))
        etree.SubElement(reason, version.tag("Text"), {"{%s}lang" % NS_XML: "en"}).text = \
            fault.message
        detail = etree.SubElement(element, version.tag("Detail"))
    info = etree.SubElement(detail, SVC + "ServiceFaultInfo")
    etree.SubElement(info, SVC + "FaultCode").text = fault.fault_code
    etree.SubElement(info, SVC + "Message").text = fault.message
    if fault.fault_detail:
        etree.SubElement(info, SVC + "Detail").text = fault.fault_detail


def fault_document(fault: faults.ServiceFault, version: SoapVersion) -> bytes:
    """A whole fault envelope.  A SOAP 1.2 VersionMismatch names the envelopes
    understood in an ``Upgrade`` header, as SOAP 1.2 (part 1, 5.4.7) asks."""
    envelope, body = new(version)
    if version is SOAP12 and fault.soap_code == faults.VERSION_MISMATCH:
        header = etree.Element(version.tag("Header"))
        upgrade = etree.SubElement(header, version.tag("Upgrade"))
        etree.SubElement(upgrade, version.tag("SupportedEnvelope"),
                         {"qname": "%s:Envelope" % SOAP12.prefix})
        etree.SubElement(upgrade, version.tag("SupportedEnvelope"),
                         {"qname": "soap11:Envelope"}, nsmap={"soap11": SOAP11.namespace})
        body.addprevious(header)
    write_fault(body, fault, version)
    return serialize(envelope)
