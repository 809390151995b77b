"""MTOM/XOP requests: binary content beside the envelope instead of base64 inside it.

A client with MTOM on (JAX-WS with ``MTOMFeature``, the schema's
``xmime:expectedContentTypes`` invites it for CreateSound's ``Data``) posts a
``multipart/related`` body of ``type="application/xop+xml"``: its root part
is the SOAP envelope, in which each optimised value is an ``xop:Include``
whose ``href`` names another part by ``cid:`` Content-ID.  ``unpack`` splits
the body with the standard library's MIME parser; once the envelope is parsed
(by ``soap.parser``, with all its guards), ``include`` puts each part back as
the base64 text it stands for, so the rest of the request's path is the same
as for any request.  Spyne's own ``collapse_swa`` does this on a method
context, re-parsing the envelope per attachment with a default parser (no
DOCTYPE guard, no depth or node limits), so it is not used.
"""
from __future__ import annotations

import base64
import email
import email.policy
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from . import faults

MEDIA_TYPE = "multipart/related"
XOP_MEDIA_TYPE = "application/xop+xml"
INCLUDE = "{http://www.w3.org/2004/08/xop/include}Include"
SOAP_MEDIA_TYPES = ("application/soap+xml", "text/xml")


@dataclass
class Package:
    envelope: bytes            # the root part: the SOAP envelope, UTF-8
    media_type: str            # the envelope's own: application/soap+xml or text/xml
    parts: dict[str, bytes]    # the other parts' content, by Content-ID


def is_package(content_type: str) -> bool:
    """Whether a request's Content-Type is an XOP package (``multipart/related``
    of ``application/xop+xml``)."""
    message = _headers(content_type)
    return (message.get_content_type() == MEDIA_TYPE
            and (message.get_param("type") or "").lower() == XOP_MEDIA_TYPE)


def unpack(content_type: str, body: bytes) -> Package:
    """The envelope and the parts of an XOP package; a BAD_REQUEST fault for a
    body that is no such package."""
    message = email.message_from_bytes(b"Content-Type: %s\r\n\r\n%s" % (
        content_type.encode("latin-1", "replace"), body), policy=email.policy.HTTP)
    parts = message.get_payload() if message.is_multipart() else None
    if not parts or not isinstance(parts, list):
        raise faults.bad_request("the multipart/related body has no parts")
    start = message.get_param("start")
    root = next((part for part in parts if part.get("Content-ID") == start), None) \
        if start else parts[0]
    if root is None:
        raise faults.bad_request("no part of the multipart/related body has the start "
                                 "Content-ID %s" % start[:100])
    # its type may carry parameters of its own (JAX-WS: type="application/soap+xml;action=...")
    media_type = (root.get_param("type") or "").partition(";")[0].strip().lower()
    if root.get_content_type() != XOP_MEDIA_TYPE or media_type not in SOAP_MEDIA_TYPES:
        raise faults.bad_request("the root part must be application/xop+xml of "
                                 "application/soap+xml or text/xml, got %r"
                                 % str(root.get("Content-Type"))[:100])
    if (root.get_param("charset") or "utf-8").lower() not in ("utf-8", "utf8"):
        raise faults.bad_request("the root part must be UTF-8")
    return Package(root.get_payload(decode=True) or b"", media_type, {
        str(part.get("Content-ID")).strip().strip("<>"): part.get_payload(decode=True) or b""
        for part in parts if part is not root and part.get("Content-ID")})


def include(envelope: etree._Element, parts: dict[str, bytes]) -> None:
    """Each ``xop:Include`` of the parsed envelope replaced by its part, in base64:
    the text the element would hold without MTOM."""
    for node in list(envelope.iter(INCLUDE)):
        href = node.get("href") or ""
        content = parts.get(unquote(href[4:])) if href.startswith("cid:") else None
        if content is None:
            raise faults.bad_request("xop:Include href %r names no part of the request"
                                     % href[:100])
        parent = node.getparent()
        if len(parent) != 1 or (parent.text or "").strip() or (node.tail or "").strip():
            raise faults.bad_request("an xop:Include must be the only content of its "
                                     "element")
        parent.remove(node)
        parent.text = base64.b64encode(content).decode("ascii")


def _headers(content_type: str) -> email.message.Message:
    return email.message_from_string("Content-Type: %s\r\n\r\n" % content_type,
                                     policy=email.policy.HTTP)
