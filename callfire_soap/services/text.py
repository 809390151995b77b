"""TextService: declared, not built yet (each operation answers NOT_IMPLEMENTED)."""
from ..soap.operations import read, write

OPERATIONS = {
    "SendText": write(request_id=True),
    "QueryTexts": read(simulated=True),
    "GetText": read(simulated=True),
    "CreateAutoReply": write(request_id=True),
    "QueryAutoReplies": read(),
    "GetAutoReply": read(),
    "DeleteAutoReply": write(),
}
