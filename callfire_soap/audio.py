"""Audio: what a sound's bytes hold, the same audio in another format, speech and tones.

Reading and writing MP3 and WAV is libsndfile's (through the ``soundfile``
wheel, which bundles it); speech is Debian's ``espeak-ng``.  Nothing here is
a codec of our own, and nothing here knows of SOAP or SQL.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass

import numpy as np
import soundfile

FORMATS = ("MP3", "WAV")   # the schema's SoundFormat; libsndfile's names for them
WAV_KINDS = {"WAVEX": "WAV"}  # a WAV with WAVE_FORMAT_EXTENSIBLE is a WAV all the same
ESPEAK = "espeak-ng"
SPEECH_TIMEOUT = 60        # seconds espeak-ng may take for one text
# CallFire's voices as espeak-ng voice variants.
VOICES = {"MALE1": "en-us", "FEMALE1": "en-us+f3", "FEMALE2": "en-us+f4",
          "SPANISH1": "es-419"}
TONE_HZ = 440
TONE_RATE = 8000           # telephone quality: what a recorded call carries


class NotAudio(ValueError):
    """Bytes that are neither MP3 nor WAV audio libsndfile can decode."""


class SpeechUnavailable(RuntimeError):
    """No text-to-speech engine on this machine, or it failed."""


@dataclass(frozen=True)
class Audio:
    format: str       # MP3 or WAV
    data: bytes
    frames: int
    rate: int

    @property
    def seconds(self) -> int:
        """The length in whole seconds, rounded; at least 1 for any sound."""
        return max(1, int(self.frames / self.rate + 0.5))


def read(data: bytes) -> Audio:
    """``data`` as audio: its format and length, decoded in full to be sure of both.
    NotAudio for anything else (an image, random bytes, a truncated file)."""
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            kind = WAV_KINDS.get(sound.format, sound.format)
            samples = sound.read(dtype="int16")
            rate = sound.samplerate
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as error:
        raise NotAudio("not MP3 or WAV audio: %s" % _reason(error)) from None
    if kind not in FORMATS:
        raise NotAudio("%s audio, not MP3 or WAV" % kind)
    if not len(samples):
        raise NotAudio("the audio holds no sound")
    return Audio(kind, bytes(data), len(samples), rate)


def convert(data: bytes, kind: str, to: str) -> bytes:
    """Audio ``data`` of format ``kind`` in format ``to`` (MP3 or WAV): as it is when
    it is in it already."""
    if kind == to:
        return data
    with soundfile.SoundFile(io.BytesIO(data)) as sound:
        samples, rate = sound.read(dtype="int16"), sound.samplerate
    return _write(samples, rate, to)


def speak(text: str, voice: str) -> Audio:
    """``text`` spoken by ``voice`` (one of VOICES), as WAV."""
    if shutil.which(ESPEAK) is None:
        raise SpeechUnavailable("text-to-speech needs %s, which is not installed here "
                                "(Debian: apt-get install espeak-ng)" % ESPEAK)
    try:
        done = subprocess.run([ESPEAK, "-v", VOICES[voice], "--stdout", "--stdin"],
                              input=text.encode(), capture_output=True,
                              timeout=SPEECH_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise SpeechUnavailable("%s took longer than %d s" % (ESPEAK, SPEECH_TIMEOUT)) \
            from None
    if done.returncode:
        raise SpeechUnavailable("%s failed: %s" % (ESPEAK, done.stderr.decode(
            errors="replace").strip()[:200]))
    # espeak-ng streams a WAV whose header gives no length: written anew, it does.
    samples, rate = soundfile.read(io.BytesIO(done.stdout), dtype="int16")
    return read(_write(samples, rate, "WAV"))


def tone(seconds: int) -> Audio:
    """A 440 Hz tone of ``seconds``, as WAV: the sound of a simulated recording."""
    t = np.arange(seconds * TONE_RATE) / TONE_RATE
    samples = (0.3 * 32767 * np.sin(2 * np.pi * TONE_HZ * t)).astype(np.int16)
    return Audio("WAV", _write(samples, TONE_RATE, "WAV"), len(samples), TONE_RATE)


def _write(samples: np.ndarray, rate: int, kind: str) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=kind)
    return buffer.getvalue()


def _reason(error: Exception) -> str:
    return str(error).rpartition(": ")[2] or type(error).__name__
