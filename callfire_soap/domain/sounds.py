"""Sounds and recordings: audio (callfire_soap/audio.py) on one side, the store on the other.

CreateSound takes audio bytes, a text to speak, or a number to call and record;
GetSoundData and GetRecordingData answer the audio in the format asked for.
A recording's audio is a tone as long as the recording (nobody speaks on a
simulated call), made when asked.
"""
from __future__ import annotations

import hashlib

from .. import audio
from ..store import Session, outcomes, phone
from ..store.errors import InvalidRequest, Unavailable
from ..store.sounds import Recording

DEFAULT_NAME = "API Sound"


def create_from_data(session: Session, name: str | None, data: bytes) -> int:
    """An uploaded MP3 or WAV; the same bytes uploaded again answer the first sound."""
    try:
        sound = audio.read(data)
    except audio.NotAudio as error:
        raise InvalidRequest("Data: %s" % error, detail="Data") from None
    return _store(session, name, sound)


def create_from_text(session: Session, name: str | None, text: str, voice: str) -> int:
    """``text`` spoken in ``voice`` by the text-to-speech engine; UNAVAILABLE without one."""
    if not text.strip():
        raise InvalidRequest("SoundText must not be empty", detail="SoundText")
    try:
        sound = audio.speak(text, voice)
    except audio.SpeechUnavailable as error:
        raise Unavailable("SoundText: %s" % error, detail="SoundText") from None
    return _store(session, name, sound)


def create_from_call(session: Session, name: str | None, to_number: str) -> int:
    """A simulated call to ``to_number`` that records what the callee says: PENDING
    until the call ends (as store/outcomes.py has it), then ACTIVE with a recording
    of the whole answered call if it was answered live, FAILED otherwise."""
    number = phone.normalize(to_number)
    if number is None:
        raise InvalidRequest("RecordingCall/ToNumber %r is not a North American number"
                             % to_number, detail="ToNumber")
    outcome = outcomes.call(number, 1)
    now = session.sim_now
    if outcome.result != "LA":
        return session.sounds.create(name or DEFAULT_NAME, now, None, None, None,
                                     status="FAILED", ready_at=now + outcome.length)
    recorded = audio.tone(outcome.duration)
    return session.sounds.create(name or DEFAULT_NAME, now, recorded.data, recorded.format,
                                 recorded.seconds, ready_at=now + outcome.length)


def _store(session: Session, name: str | None, sound: audio.Audio) -> int:
    digest = hashlib.sha256(sound.data).hexdigest()
    existing = session.sounds.find(digest)
    if existing is not None:
        return existing
    return session.sounds.create(name or DEFAULT_NAME, session.sim_now, sound.data,
                                 sound.format, sound.seconds, digest)


def sound_data(session: Session, sound_id: int, format: str) -> bytes:
    """The sound's audio in ``format`` (MP3 or WAV)."""
    sound, data = session.sounds.data(sound_id)
    return audio.convert(data, sound.format, format)


def recording_data(recording: Recording, format: str) -> bytes:
    tone = audio.tone(recording.length)
    return audio.convert(tone.data, tone.format, format)
