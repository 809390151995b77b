"""Domain errors carry their own FaultCode; soap.faults turns any of them into a fault."""
import itertools

import pytest
from lxml import etree

from callfire_soap.soap import faults
from callfire_soap.soap.envelope import SOAP11, SOAP12, fault_document
# From the package: every store module is loaded, with every error class there is.
from callfire_soap.store import CallFireError, InvalidRequest, NotFound
from conftest import NS_SVC, WSDL_DIR

XS = "{http://www.w3.org/2001/XMLSchema}"


def _fault_codes() -> set[str]:
    schema = etree.parse(str(WSDL_DIR / "callfire-service.xsd"))
    (restriction,) = schema.xpath("//xs:simpleType[@name='FaultCode']/xs:restriction",
                                  namespaces={"xs": XS[1:-1]})
    return {e.get("value") for e in restriction.iterchildren(XS + "enumeration")}


def _subclasses(cls: type) -> list[type]:
    return [cls] + [s for sub in cls.__subclasses__() for s in _subclasses(sub)]


def test_every_domain_error_carries_a_fault_code_of_the_schema():
    codes = _fault_codes()
    assert {cls.code for cls in _subclasses(CallFireError)} <= codes


@pytest.mark.parametrize("error, code, soap_code, status", [
    (NotFound("Contact", 7), "NOT_FOUND", "Sender", "500 Internal Server Error"),
    (InvalidRequest("no", detail="Name"), "BAD_REQUEST", "Sender", "500 Internal Server Error"),
])
def test_a_domain_error_becomes_the_fault_callfire_answered(error, code, soap_code, status):
    fault = faults.from_error(error)
    assert (fault.fault_code, fault.message, fault.fault_detail) == (
        code, error.message, error.detail)
    assert (fault.soap_code, fault.http_status) == (soap_code, status)


def test_a_new_kind_of_error_answers_with_a_body_not_a_bare_500():
    class Overlapping(InvalidRequest):
        """Declared without a code of its own: its parent's."""

    class Busy(CallFireError):
        code = "UNAVAILABLE"

    for (error, code), version in itertools.product(
            ((Overlapping("overlaps"), "BAD_REQUEST"), (Busy("later"), "UNAVAILABLE")),
            (SOAP12, SOAP11)):
        document = etree.fromstring(fault_document(faults.from_error(error), version))
        assert document.findtext(".//{%s}FaultCode" % NS_SVC) == code
        assert document.findtext(".//{%s}Message" % NS_SVC) == error.message
