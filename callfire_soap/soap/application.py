"""One Spyne application per WSDL port, built from the served WSDL.

Every operation of the port gets a bare document/literal method whose input
and output elements, name and ``soapAction`` come from ``wsdl/``.  A service
implementation supplies the operations it has built; the rest answer
NOT_IMPLEMENTED.  Each call runs in one store transaction for the
authenticated account, and domain errors become faults here, in one place.
``soap.endpoint`` carries requests to it.
"""
from __future__ import annotations

import logging
from typing import Callable

from spyne import Application, ServiceBase, rpc
from spyne.model.fault import Fault

from ..limits import Limits
from ..store import CallFireError, Store
from . import faults
from .models import SCHEMA, VALIDATOR
from .protocol import CallFireSoap12
from .wsdl import Operation, Port

log = logging.getLogger(__name__)

READ_ONLY_PREFIXES = ("Get", "Query")     # every other operation may write

Handler = Callable  # (Session, request) -> response model instance, or None


def simulated(handler: Handler) -> Handler:
    """Marks a read that shows what broadcasts did: the account's broadcasts are
    simulated up to now before it runs (writes always are)."""
    handler.simulated = True
    return handler


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
        writes = not operation.name.startswith(READ_ONLY_PREFIXES)
        try:
            with self.store.session(account_id, write=writes,
                                    simulated=descriptor.udd["simulated"]) as session:
                return descriptor.function(session, request)
        except CallFireError as error:
            raise faults.from_error(error)
        except Fault:
            raise
        except Exception:
            log.exception("%s failed", operation.name)
            raise faults.internal_error()


def _method(operation: Operation, handler: Handler | None):
    def call(session, request):
        if handler is None:
            raise faults.not_implemented(operation.name)
        return handler(session, request)

    call.__name__ = operation.name
    returns = None if operation.output_element is None \
        else SCHEMA.element(operation.output_element)
    return rpc(SCHEMA.element(operation.input_element), _body_style="bare",
               _in_message_name=operation.input_element,
               _operation_name=operation.name,
               _returns=returns,
               _out_message_name=operation.output_element or operation.name + "Response",
               _udd={"operation": operation,
                     "simulated": getattr(handler, "simulated", False),
                     "empty_output": operation.output_element is None})(call)


def build(port: Port, implementation: object | None, store: Store,
          limits: Limits) -> CallFireApplication:
    """The Spyne application of ``port``, answering with ``implementation``'s methods."""
    methods = {op.name: _method(op, getattr(implementation, op.name, None))
               for op in port.operations}
    service = type(port.port_type.removesuffix("PortType"), (ServiceBase,), methods)
    return CallFireApplication(port, [service], store, limits)
