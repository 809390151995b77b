"""XPath over SOAP requests, for injection rules and journal verification.

An expression is compiled once, with the prefixes a test writer expects bound:
``svc`` and ``data`` (CallFire's namespaces), ``soap12`` and ``soap11`` (the
two envelopes).  It matches a request when its value is true as XPath's
``boolean()`` says: a non-empty node set, a true comparison, a non-empty string,
a non-zero number.
"""
from __future__ import annotations

from lxml import etree
from spyne.const.xml import NS_SOAP11_ENV, NS_SOAP12_ENV

from ..limits import Limits
from ..store.errors import InvalidRequest
from . import parser
from .faults import ServiceFault
from .models import NS_DATA, NS_SVC

NAMESPACES = {"svc": NS_SVC, "data": NS_DATA, "soap12": NS_SOAP12_ENV, "soap11": NS_SOAP11_ENV}


def compile_xpath(expression: str, field: str = "xpath") -> etree.XPath:
    """``expression`` compiled; InvalidRequest naming ``field`` when it is not XPath."""
    try:
        return etree.XPath(expression, namespaces=NAMESPACES, smart_strings=False)
    except etree.XPathSyntaxError as error:
        raise InvalidRequest("%s %r is not an XPath expression: %s" % (field, expression, error),
                             detail=field) from None


def matches(xpath: etree.XPath, root: etree._Element) -> bool:
    """Whether the request whose envelope is ``root`` matches ``xpath``."""
    try:
        found = xpath(root)
    except etree.XPathEvalError:
        return False
    return bool(found) if not isinstance(found, float) else found != 0


def matches_body(xpath: etree.XPath, body: bytes) -> bool:
    """The same for a request's bytes (as the journal keeps them): a body that is
    not a request the server would read matches nothing."""
    try:
        root = parser.parse(body, Limits.max_depth, Limits.max_nodes)
    except ServiceFault:
        return False
    return matches(xpath, root)
