"""An IVR broadcast's DialplanXml: checked when stored, walked when a call is answered.

The only module outside ``soap/`` that reads XML.  A dialplan is checked to be
well-formed and without a DOCTYPE when it is stored; parsing it fetches and
expands nothing.  The simulated callee answers it the same way every time: at
every ``menu`` the first ``keypress``; each ``stash`` met on the way is a
(varname, text) answer, which becomes a QuestionResponse of the call's record.
"""
from __future__ import annotations

from functools import lru_cache

from lxml import etree

from .errors import InvalidRequest

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def parse(dialplan: str) -> etree._Element:
    return etree.fromstring(dialplan.encode(), _PARSER)


def check(dialplan: str) -> None:
    """BAD_REQUEST unless ``dialplan`` can be stored: well-formed, no DOCTYPE."""
    if "<!DOCTYPE" in dialplan:
        raise InvalidRequest("DialplanXml must not have a DOCTYPE", detail="DialplanXml")
    try:
        parse(dialplan)
    except etree.XMLSyntaxError as error:
        raise InvalidRequest("DialplanXml is not well-formed XML: %s" % error,
                             detail="DialplanXml") from None


@lru_cache(maxsize=64)
def answers(dialplan: str) -> tuple[tuple[str, str], ...]:
    """The (varname, text) answers of a callee who walks ``dialplan``.  Every live
    answer of a broadcast asks this of the same dialplan: parsed once."""
    responses: list[tuple[str, str]] = []

    def walk(node) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "stash":
                responses.append((child.get("varname") or "", child.text or ""))
            if node.tag == "menu" and child.tag == "keypress" and child is not next(
                    node.iterchildren("keypress")):
                continue  # only the first keypress of a menu is taken
            walk(child)

    walk(parse(dialplan))
    return tuple(responses)
