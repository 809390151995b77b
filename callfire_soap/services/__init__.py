"""One module per CallFire service, each with the table of its port's operations.

``OPERATIONS`` maps every operation of the port to its declaration
(``soap.operations``): read or write, simulated first or not, once per
RequestId or not, and its handler.  Adding an operation is a declaration, a
handler and a store call; an operation declared without a handler answers
NOT_IMPLEMENTED.
"""
from __future__ import annotations

from ..soap.operations import Declaration
from . import broadcast, call, contact, label, number, subscription, text

DECLARATIONS: dict[str, dict[str, Declaration]] = {
    "BroadcastServicePort": broadcast.OPERATIONS,
    "CallServicePort": call.OPERATIONS,
    "ContactServicePort": contact.OPERATIONS,
    "LabelServicePort": label.OPERATIONS,
    "NumberServicePort": number.OPERATIONS,
    "SubscriptionServicePort": subscription.OPERATIONS,
    "TextServicePort": text.OPERATIONS,
}


def implemented(port: str, operation: str) -> bool:
    """Whether ``operation`` of ``port`` has a handler (and is more than NOT_IMPLEMENTED)."""
    declaration = DECLARATIONS.get(port, {}).get(operation)
    return declaration is not None and declaration.handler is not None
