"""CallService: SendCall, QueryCalls and GetCall on the broadcast simulator; the
sounds and recordings are declared, not built yet (they answer NOT_IMPLEMENTED)."""
from __future__ import annotations

from ..soap.models import svc
from ..soap.operations import read, write
from ..store import Session
from .broadcast import action_to_soap, query_actions, send_from_soap


def query_calls(session: Session, request):
    page = query_actions(session, request, texts=False)
    return svc("CallQueryResult")(TotalResults=page.total,
                                  Call=[action_to_soap(a) for a in page.items])


def get_call(session: Session, request):
    return action_to_soap(session.actions.get_of_kind(False, request.Id))


OPERATIONS = {
    "SendCall": write(send_from_soap, request_id=True),
    "QueryCalls": read(query_calls, simulated=True),
    "GetCall": read(get_call, simulated=True),
    "CreateSound": write(),
    "QuerySoundMeta": read(),
    "GetSoundMeta": read(),
    "GetSoundData": read(),
    "GetRecordingData": read(simulated=True),
}
