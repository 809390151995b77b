"""How an operation behaves, declared once for every operation of the served WSDL.

A declaration says whether the operation only reads or may write (never
guessed from its name), whether a read first brings the account's broadcasts
up to date (a write always does: what it changes happens at this instant),
whether a ``RequestId`` makes a repeat answer the first result, and which
handler does the work.  ``soap.application`` applies them; each service
module (``services/``) holds the table of its port.  A declaration without a
handler is an operation not built yet: it answers NOT_IMPLEMENTED.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

Handler = Callable  # (Session, request) -> response model instance, an id, or None


@dataclass(frozen=True)
class Declaration:
    writes: bool
    simulated: bool = False     # the account's broadcasts are simulated up to now first
    request_id: bool = False    # once per RequestId: a repeat answers the first result
    handler: Handler | None = None


def read(handler: Handler | None = None, *, simulated: bool = False) -> Declaration:
    """A read; ``simulated`` when it shows what broadcasts did (calls, texts, status)."""
    return Declaration(writes=False, simulated=simulated, handler=handler)


def write(handler: Handler | None = None, *, request_id: bool = False) -> Declaration:
    """A write, in the write lock, after the account's broadcasts are simulated up to now;
    ``request_id`` when the request's RequestId makes it idempotent."""
    return Declaration(writes=True, simulated=True, request_id=request_id, handler=handler)
