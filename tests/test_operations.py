"""Every operation of the served WSDL is declared: read or write, simulated, RequestId."""
import pytest

from callfire_soap.services import DECLARATIONS
from callfire_soap.soap import application
from callfire_soap.soap.models import PORTS, SCHEMA
from callfire_soap.soap.operations import read
from callfire_soap.soap.schema import fields
from callfire_soap.soap.wsdl import Operation, Port

SERVED = [(port.name, operation) for port in PORTS for operation in port.operations]


def test_every_served_operation_has_a_declaration_and_nothing_else_does():
    declared = {(port, name) for port, table in DECLARATIONS.items() for name in table}
    assert declared == {(port, operation.name) for port, operation in SERVED}


@pytest.mark.parametrize("port, operation", SERVED, ids=lambda v: getattr(v, "name", v))
def test_an_idempotent_declaration_has_a_request_id_to_key_it(port, operation):
    declaration = DECLARATIONS[port][operation.name]
    request = SCHEMA.element(operation.input_element)
    if declaration.request_id:
        assert declaration.writes
        assert "RequestId" in fields(request)


def test_a_write_always_brings_the_simulation_up_to_date():
    assert all(d.simulated for table in DECLARATIONS.values() for d in table.values()
               if d.writes)


def test_an_undeclared_operation_stops_the_server_from_starting(tmp_path):
    port = Port("ExampleServicePort", "ExampleServicePortType", "example", (
        Operation("GetContact", "", "{http://api.callfire.com/service/xsd}GetContact",
                  "{http://api.callfire.com/data}Contact"),
        Operation("QueryContacts", "", "{http://api.callfire.com/service/xsd}QueryContacts",
                  "{http://api.callfire.com/service/xsd}ContactQueryResult")))
    with pytest.raises(LookupError, match="no declaration for QueryContacts"):
        application.build(port, {"GetContact": read()}, store=None, limits=None)
