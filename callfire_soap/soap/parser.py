"""Request bodies into XML, refusing what could hurt the server.

A DOCTYPE is refused before the XML parser sees it, so no entity can be
declared: nothing to expand (billion laughs, quadratic blowup) and nothing
external to fetch.  The parser itself loads no DTD, resolves no entity and
touches no network.  The body must be UTF-8.  Depth and the number of
elements and attributes are checked while parsing, so a hostile body is
refused before it is built in memory (every attribute needs an ``=``, so
counting them bounds even one giant start tag).  With those bounds and the
body size limit in force, libxml2's own fixed limits (10 MB per text node)
are lifted, so a large CSV import fits.
"""
from __future__ import annotations

import codecs
import re
import threading

from lxml import etree

from . import faults

CHUNK = 64 * 1024
# What may come before a DOCTYPE: a byte order mark, the XML declaration,
# white space, comments and processing instructions.
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)


def parse(body: bytes, max_depth: int, max_nodes: int) -> etree._Element:
    """The root element of ``body``; a BAD_REQUEST fault for anything refused.

    ``max_nodes`` bounds elements and attributes together: memory goes with both.
    """
    if not body.strip():
        raise faults.bad_request("the request body is empty")
    if body.startswith(b"<!DOCTYPE", _PROLOG.match(body).end()):
        raise faults.bad_request("DOCTYPE declarations are not allowed")
    if body.count(b"=") > max_nodes:
        raise _too_many(max_nodes)
    if len(body) <= CHUNK:  # the usual request: parsed whole, then measured
        return _parse_small(body, max_depth, max_nodes)
    parser = etree.XMLPullParser(events=("start", "end"), **_PARSER_OPTIONS)
    utf8 = codecs.getincrementaldecoder("utf-8")()
    depth = nodes = 0
    try:
        for start in range(0, len(body), CHUNK):
            chunk = body[start:start + CHUNK]
            utf8.decode(chunk, final=start + CHUNK >= len(body))
            parser.feed(chunk)
            for event, element in parser.read_events():
                if event == "end":
                    depth -= 1
                    continue
                depth += 1
                nodes += 1 + len(element.attrib)
                if depth > max_depth:
                    raise _too_deep(max_depth)
                if nodes > max_nodes:
                    raise _too_many(max_nodes)
        return parser.close()
    except UnicodeDecodeError as e:
        raise faults.bad_request("the request is not UTF-8: %s at byte %d"
                                 % (e.reason, start + e.start))
    except etree.XMLSyntaxError as e:
        raise faults.bad_request("the request is not well-formed XML: %s" % e)


_PARSER_OPTIONS = dict(encoding="utf-8", resolve_entities=False, no_network=True,
                       load_dtd=False, dtd_validation=False, huge_tree=True,
                       remove_comments=True, remove_pis=True)
_parsers = threading.local()  # an lxml parser serves one thread at a time


def _parse_small(body: bytes, max_depth: int, max_nodes: int) -> etree._Element:
    """A body of at most one CHUNK: its whole tree is small, so it is built first
    and measured after, without the pull parser's per-element events."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise faults.bad_request("the request is not UTF-8: %s at byte %d"
                                 % (e.reason, e.start))
    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as e:
        raise faults.bad_request("the request is not well-formed XML: %s" % e)
    nodes, level = 0, [root]
    for depth in range(1, max_depth + 2):
        if not level:
            return root
        if depth > max_depth:
            raise _too_deep(max_depth)
        nodes += sum(1 + len(element.attrib) for element in level)
        if nodes > max_nodes:
            raise _too_many(max_nodes)
        level = [child for element in level for child in element]
    return root


def _too_deep(max_depth: int) -> faults.ServiceFault:
    return faults.bad_request("the request nests elements deeper than %d" % max_depth)


def _too_many(max_nodes: int) -> faults.ServiceFault:
    return faults.bad_request("the request has more than %d elements and attributes"
                              % max_nodes)
