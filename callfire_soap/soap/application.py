"""One Spyne application per WSDL port, built from the served WSDL.

Every operation of the port gets a bare document/literal method whose input
and output elements, name and ``soapAction`` come from ``wsdl/``, and runs as
its declaration (``soap.operations``) says: read-only or writing, simulated
first or not, once per RequestId or not, by its handler; an operation
without a handler answers NOT_IMPLEMENTED.  Each call runs in one store
transaction for the authenticated account, and domain errors become faults
here, in one place.  ``soap.endpoint`` carries requests to it.
"""
from __future__ import annotations

import logging

from spyne import Application, ServiceBase, rpc
from spyne.model.fault import Fault

from ..limits import Limits
from ..store import CallFireError, Store
from . import faults
from .models import SCHEMA, VALIDATOR
from .operations import Declaration
from .protocol import CallFireSoap12
from .wsdl import Operation, Port

log = logging.getLogger(__name__)


class CallFireApplication(Application):
    def __init__(self, port: Port, services: list, store: Store, limits: Limits):
        # One protocol reads requests and writes answers (soap.endpoint uses it
        # both ways); Spyne fills the unused out-protocol slot with a bare one.
        super().__init__(services, tns="http://api.callfire.com/service/wsdl",
                         name=port.name.removesuffix("Port"),
                         in_protocol=CallFireSoap12(VALIDATOR, limits))
        self.store = store

    def run(self, descriptor, account_id: int, request):
        """Run one operation for one account, in one store transaction."""
        operation: Operation = descriptor.udd["operation"]
        declaration: Declaration = descriptor.udd["declaration"]
        if declaration.handler is None:
            raise faults.not_implemented(operation.name)
        try:
            with self.store.session(account_id, write=declaration.writes,
                                    simulated=declaration.simulated) as session:
                return descriptor.function(session, request)
        except CallFireError as error:
            raise faults.from_error(error)
        except Fault:
            raise
        except Exception:
            log.exception("%s failed", operation.name)
            raise faults.internal_error()


def _method(operation: Operation, declaration: Declaration):
    handler = declaration.handler

    def call(session, request):
        if declaration.request_id:  # keyed by the operation's own name
            return session.once(operation.name, request.RequestId,
                                lambda: handler(session, request))
        return handler(session, request)

    call.__name__ = operation.name
    returns = None if operation.output_element is None \
        else SCHEMA.element(operation.output_element)
    return rpc(SCHEMA.element(operation.input_element), _body_style="bare",
               _in_message_name=operation.input_element,
               _operation_name=operation.name,
               _returns=returns,
               _out_message_name=operation.output_element or operation.name + "Response",
               _udd={"operation": operation, "declaration": declaration,
                     "empty_output": operation.output_element is None})(call)


def build(port: Port, declarations: dict[str, Declaration], store: Store,
          limits: Limits) -> CallFireApplication:
    """The Spyne application of ``port``, running each operation as declared.
    An operation of the port without a declaration stops the server at start-up."""
    missing = [op.name for op in port.operations if op.name not in declarations]
    if missing:
        raise LookupError("%s: no declaration for %s" % (port.name, ", ".join(missing)))
    methods = {op.name: _method(op, declarations[op.name]) for op in port.operations}
    service = type(port.port_type.removesuffix("PortType"), (ServiceBase,), methods)
    return CallFireApplication(port, [service], store, limits)
