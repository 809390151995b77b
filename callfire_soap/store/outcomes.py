"""What happens when the simulator dials a number or sends a text.

Like a payment provider's test cards: the last four digits of the number
choose the result, so a migration test knows every outcome in advance.  The
README's outcome table is this module, in prose; keep them together.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import dialplan

# Last four digits -> (result of the first attempt, result of later attempts).
CALL_RESULTS = {
    "0101": ("LA", "LA"),
    "0102": ("AM", "AM"),
    "0103": ("BUSY", "BUSY"),
    "0104": ("NO_ANS", "NO_ANS"),
    "0105": ("CARRIER_ERROR", "CARRIER_ERROR"),
    "0106": ("BUSY", "LA"),
}
TEXT_RESULTS = {
    "0105": ("CARRIER_ERROR", "CARRIER_ERROR"),
    "0106": ("CARRIER_TEMP_ERROR", "SENT"),
}

# Seconds from dialling to the end of the call, and of it the seconds answered.
RING_SECONDS = {"LA": 5, "AM": 5, "BUSY": 5, "NO_ANS": 30, "CARRIER_ERROR": 2}
TALK_SECONDS = {"LA": 45, "AM": 25}
TEXT_SECONDS = 2          # from sending to the carrier's answer
CALL_PRICE = 0.05         # per started minute of an answered call
TEXT_PRICE = 0.03         # per 160-character part of a sent text
TEXT_PART = 160


@dataclass
class Outcome:
    result: str
    length: int                  # seconds from the start of the attempt to its end
    answered_after: int | None   # seconds to the answer (calls that were answered)
    duration: int                # seconds answered
    billed_duration: int
    billed_amount: float
    message: str | None = None   # the text as sent
    responses: list[tuple[str, str]] = field(default_factory=list)  # IVR answers


def _result(table: dict, number: str, attempt: int, default: str) -> str:
    first, later = table.get(number[-4:], (default, default))
    return first if attempt == 1 else later


def call(number: str, attempt: int, dialplan_xml: str | None = None) -> Outcome:
    """Attempt ``attempt`` (1-based) of a call to ``number``; an IVR call answered
    live goes through its dialplan (store/dialplan.py)."""
    result = _result(CALL_RESULTS, number, attempt, "LA")
    ring, talk = RING_SECONDS[result], TALK_SECONDS.get(result, 0)
    billed = 60 * math.ceil(talk / 60)
    return Outcome(result, ring + talk, ring if talk else None, talk, billed,
                   round(CALL_PRICE * billed / 60, 2),
                   responses=list(dialplan.answers(dialplan_xml))
                   if dialplan_xml and result == "LA"
                   else [])


def text(number: str, attempt: int, message: str, big_message_strategy: str) -> Outcome:
    """Attempt ``attempt`` of a text: longer than 160 characters it is sent in
    parts (SEND_MULTIPLE), cut to 160 (TRIM) or not sent at all (DO_NOT_SEND:
    TOO_BIG, whatever the number)."""
    result = _result(TEXT_RESULTS, number, attempt, "SENT")
    if len(message) > TEXT_PART:
        if big_message_strategy == "TRIM":
            message = message[:TEXT_PART]
        elif big_message_strategy == "DO_NOT_SEND":
            result = "TOO_BIG"
    parts = math.ceil(len(message) / TEXT_PART) if result == "SENT" else 0
    return Outcome(result, TEXT_SECONDS, None, 0, 0, round(TEXT_PRICE * parts, 2), message)


def inbound_text(message: str) -> Outcome:
    """A text that arrived: RECEIVED at once, free."""
    return Outcome("RECEIVED", 0, None, 0, 0, 0.0, message)


def inbound_call() -> Outcome:
    """A call that arrived: answered at once, as long as a live answer, billed as one."""
    talk = TALK_SECONDS["LA"]
    billed = 60 * math.ceil(talk / 60)
    return Outcome("LA", talk, 0, talk, billed, round(CALL_PRICE * billed / 60, 2))
