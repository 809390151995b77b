"""CallService: SOAP requests in, store calls, SOAP responses out.

SendCall, QueryCalls and GetCall are declared, not built yet (NOT_IMPLEMENTED).
"""
from __future__ import annotations

from ..domain import sounds
from ..soap.models import data, svc
from ..soap.operations import read, write
from ..store import Session
from ..store.sounds import Sound
from .broadcast import moment


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
    "SendCall": write(request_id=True),
    "QueryCalls": read(simulated=True),
    "GetCall": read(simulated=True),
    "CreateSound": write(create_sound),
    "QuerySoundMeta": read(query_sound_meta),
    "GetSoundMeta": read(get_sound_meta),
    "GetSoundData": read(get_sound_data),
    "GetRecordingData": read(get_recording_data, simulated=True),
}
