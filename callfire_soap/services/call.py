"""CallService: declared, not built yet (each operation answers NOT_IMPLEMENTED)."""
from ..soap.operations import read, write

OPERATIONS = {
    "SendCall": write(request_id=True),
    "QueryCalls": read(simulated=True),
    "GetCall": read(simulated=True),
    "CreateSound": write(),
    "QuerySoundMeta": read(),
    "GetSoundMeta": read(),
    "GetSoundData": read(),
    "GetRecordingData": read(simulated=True),
}
