"""Links in answers (RecordingMeta's Link): URLs on the address the client used.

``app.py`` notes each request's base URL here before the request is handled
(a context variable: each thread, each request its own), as the WSDL's
addresses are made from it; the recordings a link names are served at
RECORDINGS_PATH, behind the same credentials as the SOAP ports.
"""
from __future__ import annotations

from contextvars import ContextVar

RECORDINGS_PATH = "/api/1.1/recordings/"
FORMATS = {"mp3": ("MP3", "audio/mpeg"), "wav": ("WAV", "audio/wav")}
BASE_URL: ContextVar[str] = ContextVar("base_url", default="")


def recording(recording_id: int) -> str:
    """Where the recording's MP3 is downloaded (``.wav`` instead gives WAV)."""
    return "%s%s%d.mp3" % (BASE_URL.get(), RECORDINGS_PATH, recording_id)


def parse_recording(path: str) -> tuple[int, str, str] | None:
    """The recording id, SoundFormat and media type a recordings path names, or None."""
    name, _, extension = path[len(RECORDINGS_PATH):].partition(".")
    if not (name.isascii() and name.isdigit()) or extension.lower() not in FORMATS:
        return None
    return (int(name), *FORMATS[extension.lower()])
