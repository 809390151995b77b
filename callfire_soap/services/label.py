"""LabelService: declared, not built yet (each operation answers NOT_IMPLEMENTED)."""
from ..soap.operations import read, write

OPERATIONS = {
    "DeleteLabel": write(),
    "QueryLabels": read(),
    "LabelBroadcast": write(),
    "UnlabelBroadcast": write(),
    "LabelNumber": write(),
    "UnlabelNumber": write(),
}
