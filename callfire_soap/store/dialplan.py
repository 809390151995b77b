"""An IVR broadcast's DialplanXml: checked when stored, walked when a call is answered.

The only module outside ``soap/`` that reads XML.  A dialplan is checked to be
well-formed and without a DOCTYPE when it is stored; parsing it fetches and
expands nothing.  The simulated callee answers it the same way every time: at
every ``menu`` the first ``keypress``; each ``stash`` met on the way is a
(varname, text) answer, which becomes a QuestionResponse of the call's record,
and each ``record`` a recording of the call, as long as its ``timeout``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from .errors import InvalidRequest

RECORD_SECONDS = 10       # a record without a timeout
MAX_RECORD_SECONDS = 45   # a live call's length (store/outcomes.py)
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


@dataclass(frozen=True)
class Walk:
    """What a live callee meets on the way through a dialplan."""
    answers: tuple[tuple[str, str], ...]    # (varname, text) of each stash
    recordings: tuple[tuple[str, int], ...]  # (name, seconds) of each record


@lru_cache(maxsize=64)
def walk(dialplan: str) -> Walk:
    """The way a callee walks ``dialplan``.  Every live answer of a broadcast asks
    this of the same dialplan: parsed once."""
    answers: list[tuple[str, str]] = []
    recordings: list[tuple[str, int]] = []

    def visit(node) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "stash":
                answers.append((child.get("varname") or "", child.text or ""))
            if child.tag == "record":
                recordings.append((child.get("name") or "recording%d" % (len(recordings) + 1),
                                   _record_seconds(child.get("timeout"))))
            if node.tag == "menu" and child.tag == "keypress" and child is not next(
                    node.iterchildren("keypress")):
                continue  # only the first keypress of a menu is taken
            visit(child)

    visit(parse(dialplan))
    return Walk(tuple(answers), tuple(recordings))


def answers(dialplan: str) -> tuple[tuple[str, str], ...]:
    """The (varname, text) answers of a callee who walks ``dialplan``."""
    return walk(dialplan).answers


def _record_seconds(timeout: str | None) -> int:
    """How long the callee speaks into a ``record``: its ``timeout`` (the most it
    takes), capped at a live call's length; RECORD_SECONDS without one."""
    seconds = int(timeout) if timeout and timeout.strip().isdigit() else RECORD_SECONDS
    return max(1, min(seconds, MAX_RECORD_SECONDS))


def sound_ids(dialplan: str) -> list[int]:
    """The ids of the account's sounds the dialplan plays (``play type="callfireid"``),
    wherever they are in it; BAD_REQUEST for one that is no id."""
    found = []
    for play in parse(dialplan).iter("play"):
        if play.get("type") != "callfireid":
            continue
        text = (play.text or "").strip()
        if not (text.isascii() and text.isdigit()):
            raise InvalidRequest('DialplanXml: play type="callfireid" holds %r, not a sound '
                                 "id" % text[:40], detail="DialplanXml")
        found.append(int(text))
    return found
