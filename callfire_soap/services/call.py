"""CallService: SendCall, QueryCalls and GetCall on the broadcast simulator, sounds
and recordings, and the caller id operations of the later API (reconstructed)."""
from __future__ import annotations

from ..domain import sounds
from ..soap.models import data, svc
from ..soap.operations import read, write
from ..store import Session
from ..store.sounds import Sound
from .broadcast import action_to_soap, moment, query_actions, send_from_soap


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


def sound_meta_to_soap(sound: Sound):
    return data("SoundMeta")(id=sound.id, Status=sound.status, Name=sound.name,
                             Created=moment(sound.created), LengthInSeconds=sound.length)


def create_sound(session: Session, request) -> int:
    """One of Data, SoundText or RecordingCall (the schema's choice)."""
    if request.Data is not None:
        return sounds.create_from_data(session, request.Name, b"".join(request.Data))
    if request.SoundText is not None:
        return sounds.create_from_text(session, request.Name, request.SoundText,
                                       request.SoundTextVoice)
    return sounds.create_from_call(session, request.Name, request.RecordingCall.ToNumber)


def query_sound_meta(session: Session, request):
    page = session.sounds.query(request.FirstResult, request.MaxResults)
    return svc("SoundMetaQueryResult")(TotalResults=page.total,
                                       SoundMeta=[sound_meta_to_soap(s) for s in page.items])


def get_sound_meta(session: Session, request):
    return sound_meta_to_soap(session.sounds.get(request.Id))


def get_sound_data(session: Session, request) -> list[bytes]:
    return [sounds.sound_data(session, request.Id, request.Format)]


def get_recording_data(session: Session, request) -> list[bytes]:
    """By RecordingId, or by the call's id and the recording's name."""
    if request.RecordingId is not None:
        recording = session.recordings.get(request.RecordingId)
    else:
        session.actions.get_of_kind(False, request.CallId)
        recording = session.recordings.of_call(request.CallId, request.Name)
    return [sounds.recording_data(recording, request.Format)]


OPERATIONS = {
    "SendCall": write(send_from_soap, request_id=True),
    "QueryCalls": read(query_calls, simulated=True),
    "GetCall": read(get_call, simulated=True),
    "CreateSound": write(create_sound),
    "QuerySoundMeta": read(query_sound_meta),
    "GetSoundMeta": read(get_sound_meta),
    "GetSoundData": read(get_sound_data),
    "GetRecordingData": read(get_recording_data, simulated=True),
    "SendVerificationCodeToCallerId": write(send_verification_code, request_id=True),
    "VerifyCallerId": write(verify_caller_id),
    "GetCallerIds": read(get_caller_ids),
}
