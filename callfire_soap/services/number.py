"""NumberService: declared, not built yet (each operation answers NOT_IMPLEMENTED)."""
from ..soap.operations import read, write

OPERATIONS = {
    "QueryRegions": read(),
    "QueryNumbers": read(),
    "GetNumber": read(),
    "ConfigureNumber": write(),
    "SearchAvailableNumbers": read(),
    "QueryKeywords": read(),
    "SearchAvailableKeywords": read(),
    "CreateNumberOrder": write(),
    "GetNumberOrder": read(),
    "Release": write(),
}
