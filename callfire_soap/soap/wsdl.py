"""The served WSDL set: what it declares, and how it is handed to clients.

Ports, operations, ``soapAction``s and message elements are read from the
files in ``callfire_soap/wsdl/`` rather than restated in code.  When served,
each port's ``soap12:address`` is rewritten to the URL the client reached us by.
"""
from __future__ import annotations

import atexit
from contextlib import ExitStack
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP12_WSDL = "http://schemas.xmlsoap.org/wsdl/soap12/"
ENTRY = "callfire-service-http-soap12.wsdl"
PUBLIC_FILES = (ENTRY, "callfire-service.wsdl", "callfire-service.xsd", "callfire-data.xsd")
SOAP_PATH = "/api/1.1/soap12/"
WSDL_PATH = "/api/1.1/wsdl/"


def _package_wsdl_dir() -> Path:
    """The WSDL set, package data of ``callfire_soap``, as a directory: the XSDs
    import each other by file name.  An installed package is one already; a
    zipped one is extracted for the life of the process."""
    stack = ExitStack()
    atexit.register(stack.close)
    return stack.enter_context(as_file(files("callfire_soap") / "wsdl"))


WSDL_DIR = _package_wsdl_dir()


@dataclass(frozen=True)
class Operation:
    name: str
    soap_action: str
    input_element: str
    output_element: str | None  # None: the output message is empty


@dataclass(frozen=True)
class Port:
    name: str           # e.g. ContactServicePort
    port_type: str      # e.g. ContactServicePortType
    path: str           # e.g. contact, the last segment of its address
    operations: tuple[Operation, ...]


def _w(tag: str) -> str:
    return "{%s}%s" % (WSDL, tag)


def _qname(node, value: str) -> str:
    prefix, _, local = value.rpartition(":")
    return "{%s}%s" % (node.nsmap.get(prefix or None), local)


def read_ports(wsdl_dir: Path = WSDL_DIR) -> list[Port]:
    """Every port of the ``CallFireApi`` service, with its operations."""
    bindings_doc = etree.parse(str(wsdl_dir / ENTRY)).getroot()
    imported = bindings_doc.find(_w("import")).get("location")
    types_doc = etree.parse(str(wsdl_dir / imported)).getroot()
    tns = types_doc.get("targetNamespace")

    messages = {}
    for message in types_doc.iterchildren(_w("message")):
        part = message.find(_w("part"))
        element = None if part is None else _qname(part, part.get("element"))
        messages["{%s}%s" % (tns, message.get("name"))] = element
    port_types = {"{%s}%s" % (tns, pt.get("name")): pt
                  for pt in types_doc.iterchildren(_w("portType"))}
    bindings = {b.get("name"): b for b in bindings_doc.iterchildren(_w("binding"))}

    ports = []
    for port in bindings_doc.find(_w("service")).iterchildren(_w("port")):
        binding = bindings[port.get("binding").rpartition(":")[2]]
        port_type_qname = _qname(binding, binding.get("type"))
        port_type = port_types[port_type_qname]
        actions = {op.get("name"): op.find("{%s}operation" % SOAP12_WSDL).get("soapAction")
                   for op in binding.iterchildren(_w("operation"))}
        operations = tuple(
            Operation(
                name=op.get("name"),
                soap_action=actions[op.get("name")],
                input_element=messages[_qname(op, op.find(_w("input")).get("message"))],
                output_element=messages[_qname(op, op.find(_w("output")).get("message"))],
            )
            for op in port_type.iterchildren(_w("operation"))
        )
        address = port.find("{%s}address" % SOAP12_WSDL).get("location")
        ports.append(Port(
            name=port.get("name"),
            port_type=port_type_qname.partition("}")[2],
            path=urlsplit(address).path.rstrip("/").rpartition("/")[2],
            operations=operations,
        ))
    return ports


@lru_cache(maxsize=64)
def render(name: str, base_url: str, wsdl_dir: Path = WSDL_DIR) -> bytes:
    """A public WSDL/XSD file as served from ``base_url`` (scheme://host[:port])."""
    if name not in PUBLIC_FILES:
        raise KeyError(name)
    raw = (wsdl_dir / name).read_bytes()
    if name != ENTRY:
        return raw
    doc = etree.fromstring(raw)
    for address in doc.iter("{%s}address" % SOAP12_WSDL):
        path = urlsplit(address.get("location")).path
        address.set("location", base_url + path)
    return etree.tostring(doc, xml_declaration=True, encoding="utf-8")
