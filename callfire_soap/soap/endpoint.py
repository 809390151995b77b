"""A lean Spyne server transport: one WSDL port, one request at a time.

``spyne.server.wsgi`` builds method contexts and fires fifteen events for each
request; measured on GetContact, that machinery was about 40% of the time.
This transport does only what a request needs: the port's protocol reads the
request into the operation's Spyne model, the port's application runs the
operation, and the protocol writes the answer or the fault, in the request's
SOAP version.
"""
from __future__ import annotations

from typing import Callable

from lxml import etree
from spyne.model.fault import Fault
from spyne.server import ServerBase

from . import envelope, faults, leniency
from .application import CallFireApplication
from .envelope import SoapVersion


class SoapEndpoint(ServerBase):
    transport = "http://schemas.xmlsoap.org/soap/http"

    def __init__(self, app: CallFireApplication):
        super().__init__(app)
        self.protocol = app.in_protocol

    def handle(self, body: bytes, account_id: int,
               announced: SoapVersion, note: dict | None = None,
               intercept: Callable[[str, etree._Element, dict], None] | None = None
               ) -> tuple[str, SoapVersion, bytes]:
        """The HTTP status, SOAP version and document answering ``body``; until its
        envelope is read, the version is the one its headers ``announced``.  ``note``
        gets the ``operation`` called and the ``fault`` code answered, for the log.
        ``intercept`` sees the operation and the envelope before the operation runs,
        and may answer instead by raising (a fault, or what the HTTP layer handles)."""
        note = {} if note is None else note
        version = announced
        try:
            root = self.protocol.parse(body)
            version = envelope.version_of(root)
            descriptor, request = self.protocol.read_request(
                root, version, typed=leniency.may_be_typed(body))
            note["operation"] = descriptor.udd["operation"].name
            if intercept is not None:
                intercept(note["operation"], root, note)
            result = self.app.run(descriptor, account_id, request)
            return "200 OK", version, self.protocol.response_document(descriptor, result,
                                                                      version)
        except Fault as fault:
            fault = faults.from_fault(fault)
            note["fault"] = fault.fault_code
            return fault.http_status, version, envelope.fault_document(fault, version)
