"""Every error a client sees, mapped to a SOAP fault in one place.

A fault carries the SOAP Code (``Sender`` for the client's mistakes,
``Receiver`` for ours, ``VersionMismatch`` for an envelope of no SOAP version;
``soap.envelope`` names them as each version does) and the CallFire
``ServiceFaultInfo`` detail: FaultCode, Message, Detail.
"""
from __future__ import annotations

from spyne.model.fault import Fault

from ..store.errors import CallFireError

SENDER, RECEIVER, VERSION_MISMATCH = "Sender", "Receiver", "VersionMismatch"

# Every fault is HTTP 500, in both SOAP versions: the status the Java SOAP stacks
# of CallFire's time answered with, and the only one WCF and suds read a fault
# from (SOAP 1.2's HTTP binding would give Sender faults 400).  A body refused
# unread gets the HTTP status that says why (413, 415).
HTTP_STATUS_DEFAULT = "500 Internal Server Error"


class ServiceFault(Fault):
    def __init__(self, fault_code: str, message: str, detail: str | None = None,
                 soap_code: str | None = None, http_status: str | None = None):
        if soap_code is None:
            soap_code = SENDER if fault_code in ("BAD_REQUEST", "FORBIDDEN", "NOT_FOUND") \
                else RECEIVER
        super().__init__(faultcode="Client" if soap_code == SENDER else "Server",
                         faultstring=message)
        self.fault_code = fault_code
        self.message = message
        self.fault_detail = detail
        self.soap_code = soap_code
        self.http_status = http_status or HTTP_STATUS_DEFAULT


def bad_request(message: str, detail: str | None = None) -> ServiceFault:
    return ServiceFault("BAD_REQUEST", message, detail)


def too_large(max_body: int) -> ServiceFault:
    return ServiceFault("BAD_REQUEST", "the request body is larger than %d bytes" % max_body,
                        http_status="413 Content Too Large")


def unsupported_media_type(content_type: str) -> ServiceFault:
    # 415 is the SOAP 1.2 HTTP binding's own answer to a Content-Type it cannot take.
    return ServiceFault("BAD_REQUEST", "Content-Type must be application/soap+xml "
                        "(SOAP 1.2) or text/xml (SOAP 1.1), in UTF-8, or an MTOM "
                        "multipart/related of application/xop+xml, got %r"
                        % content_type[:100],
                        http_status="415 Unsupported Media Type")


def not_implemented(operation: str) -> ServiceFault:
    return ServiceFault("NOT_IMPLEMENTED", "%s is not implemented by this server" % operation)


def internal_error() -> ServiceFault:
    return ServiceFault("UNAVAILABLE", "internal server error; the request was not applied")


def unwritable_response() -> ServiceFault:
    return ServiceFault("UNAVAILABLE", "internal server error: the response could not be written")


def version_mismatch() -> ServiceFault:
    return ServiceFault("BAD_REQUEST", "this endpoint speaks SOAP 1.2 (envelope namespace "
                        "http://www.w3.org/2003/05/soap-envelope) and SOAP 1.1 "
                        "(http://schemas.xmlsoap.org/soap/envelope/)",
                        soap_code=VERSION_MISMATCH)


def from_error(error: CallFireError) -> ServiceFault:
    """A domain error as the fault CallFire answered with: the FaultCode it carries."""
    return ServiceFault(error.code, error.message, error.detail)


def from_fault(fault: Fault) -> ServiceFault:
    """A fault raised inside Spyne itself, in CallFire's shape."""
    if isinstance(fault, ServiceFault):
        return fault
    if str(fault.faultcode).startswith("Client"):
        return bad_request(fault.faultstring or "invalid request")
    return internal_error()
