"""SubscriptionService: declared, not built yet (each operation answers NOT_IMPLEMENTED)."""
from ..soap.operations import read, write

OPERATIONS = {
    "CreateSubscription": write(request_id=True),
    "QuerySubscriptions": read(),
    "GetSubscription": read(),
    "UpdateSubscription": write(),
    "DeleteSubscription": write(),
}
