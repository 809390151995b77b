"""One module per CallFire service; each class implements its port's operations.

A port without an entry here, or an operation its class lacks, answers
NOT_IMPLEMENTED (see ``soap.application``).
"""
from .broadcast import BroadcastService
from .contact import ContactService

IMPLEMENTATIONS = {
    "BroadcastServicePort": BroadcastService(),
    "ContactServicePort": ContactService(),
}
