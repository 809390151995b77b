"""The interface, loaded once from ``wsdl/``: ports, Spyne models, validator."""
from lxml import etree

from .schema import Schema
from .wsdl import WSDL_DIR, read_ports

NS_SVC = "http://api.callfire.com/service/xsd"
NS_DATA = "http://api.callfire.com/data"

PORTS = read_ports(WSDL_DIR)
SCHEMA = Schema(WSDL_DIR / "callfire-service.xsd")
VALIDATOR = etree.XMLSchema(etree.parse(str(WSDL_DIR / "callfire-service.xsd")))


def svc(name: str) -> type:
    """The Spyne class of the global element ``svc:<name>``."""
    return SCHEMA.element("{%s}%s" % (NS_SVC, name))


def data(name: str) -> type:
    """The Spyne class of the global element ``data:<name>``."""
    return SCHEMA.element("{%s}%s" % (NS_DATA, name))
