"""CallService: SendCall, QueryCalls and GetCall on the broadcast simulator, and the
caller id operations of the later API (reconstructed); the sounds and recordings
are declared, not built yet (they answer NOT_IMPLEMENTED)."""
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


def send_verification_code(session: Session, request) -> int:
    """Answers the verification's id, for the RequestId's record (the response is empty)."""
    return session.caller_ids.send_code(request.CallerId, session.sim_now)


def verify_caller_id(session: Session, request):
    return svc("VerifyCallerIdResponse")(
        Verified=session.caller_ids.verify(request.CallerId, request.VerificationCode))


def get_caller_ids(session: Session, request):
    page = session.caller_ids.verified(request.FirstResult, request.MaxResults)
    return svc("GetCallerIdsResponse")(TotalResults=page.total, CallerId=page.items)


OPERATIONS = {
    "SendCall": write(send_from_soap, request_id=True),
    "QueryCalls": read(query_calls, simulated=True),
    "GetCall": read(get_call, simulated=True),
    "CreateSound": write(),
    "QuerySoundMeta": read(),
    "GetSoundMeta": read(),
    "GetSoundData": read(),
    "GetRecordingData": read(simulated=True),
    "SendVerificationCodeToCallerId": write(send_verification_code, request_id=True),
    "VerifyCallerId": write(verify_caller_id),
    "GetCallerIds": read(get_caller_ids),
}
