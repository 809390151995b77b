"""CallService's sounds and recordings, from zeep in both WSDL setups, and MTOM uploads.

Audio is checked the way a listener's software would: decoded by libsndfile
(``soundfile``), its length and loudness measured.  The shared server's clock
stands still; tests move it with ``advance``.
"""
import io
import shutil

import numpy as np
import pytest
import requests
import soundfile

from callfire_soap import audio
from conftest import CONTENT_TYPES, SOAP11, SOAP12, bind
from test_broadcast_service import advance, bad_request, ivr, not_found

RATE = 16000
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="needs espeak-ng (Debian: apt-get install espeak-ng)")


@pytest.fixture
def calls(client, server):
    return bind(client, server, "Call")


@pytest.fixture
def contacts(client, server):
    return bind(client, server, "Contact")


def encoded(seconds: float, kind: str, hz: int = 440) -> bytes:
    t = np.arange(int(seconds * RATE)) / RATE
    buffer = io.BytesIO()
    soundfile.write(buffer, 0.3 * np.sin(2 * np.pi * hz * t), RATE, format=kind)
    return buffer.getvalue()


def decoded(data: bytes) -> tuple[np.ndarray, int, str]:
    with soundfile.SoundFile(io.BytesIO(data)) as sound:
        return sound.read(), sound.samplerate, sound.format


def test_an_mp3_comes_back_as_a_wav_of_the_same_length(calls):
    mp3 = encoded(2.5, "MP3")
    mp3_frames = len(decoded(mp3)[0])
    sound_id = calls.CreateSound(Name="Reminder", Data=mp3)
    meta = calls.GetSoundMeta(Id=sound_id)
    assert (meta.id, meta.Name, meta.Status, meta.LengthInSeconds) == (
        sound_id, "Reminder", "ACTIVE", 3)
    samples, rate, kind = decoded(calls.GetSoundData(Id=sound_id, Format="WAV"))
    assert (kind, rate) == ("WAV", RATE)
    assert abs(len(samples) - mp3_frames) <= 1
    assert calls.GetSoundData(Id=sound_id) == mp3  # MP3, the default: as uploaded


def test_a_wav_comes_back_as_a_playable_mp3(calls):
    sound_id = calls.CreateSound(Name="Tone", Data=encoded(1.0, "WAV"))
    samples, rate, kind = decoded(calls.GetSoundData(Id=sound_id, Format="MP3"))
    assert kind == "MP3" and abs(len(samples) / rate - 1.0) < 0.1
    assert np.abs(samples).max() > 0.1


def test_an_extensible_stereo_wav_is_a_wav(calls):
    buffer = io.BytesIO()
    soundfile.write(buffer, np.full((RATE, 2), 0.25), RATE, format="WAVEX")
    sound_id = calls.CreateSound(Name="Stereo", Data=buffer.getvalue())
    assert calls.GetSoundMeta(Id=sound_id).LengthInSeconds == 1
    assert calls.GetSoundData(Id=sound_id, Format="WAV") == buffer.getvalue()
    samples, rate, kind = decoded(calls.GetSoundData(Id=sound_id))
    assert (kind, rate, samples.shape[1]) == ("MP3", RATE, 2)


def test_the_same_audio_again_answers_the_first_id(calls):
    data = encoded(1.0, "WAV", hz=523)
    first = calls.CreateSound(Name="first", Data=data)
    assert calls.CreateSound(Name="second", Data=data) == first
    assert calls.CreateSound(Name="other", Data=encoded(1.0, "WAV", hz=660)) != first
    assert [s.Name for s in calls.QuerySoundMeta().SoundMeta] == ["first", "other"]


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(200), bytes(range(256)) * 40,
                                  b"RIFF\x24\x00\x00\x00WAVEfmt "],
                         ids=["png", "random", "truncated-wav"])
def test_bytes_that_are_not_audio_are_bad_requests(calls, data):
    assert "Data" in bad_request(calls.CreateSound, Name="x", Data=data)
    assert calls.QuerySoundMeta().TotalResults == 0


@needs_espeak
def test_a_sound_text_is_spoken_and_plays(calls):
    sound_id = calls.CreateSound(Name="Spoken",
                                 SoundText="Your appointment is tomorrow at nine.")
    meta = calls.GetSoundMeta(Id=sound_id)
    assert meta.Status == "ACTIVE" and 1 <= meta.LengthInSeconds <= 6
    for kind in ("MP3", "WAV"):
        samples, rate, got = decoded(calls.GetSoundData(Id=sound_id, Format=kind))
        assert got == kind
        assert 1.0 < len(samples) / rate < 6.0
        assert np.sqrt(np.mean(samples ** 2)) > 0.01  # speech, not silence


@needs_espeak
def test_each_voice_speaks_differently(calls):
    spoken = {voice: calls.GetSoundData(Id=calls.CreateSound(
        Name=voice, SoundText="Hola, hello", SoundTextVoice=voice), Format="WAV")
        for voice in ("MALE1", "FEMALE1", "FEMALE2", "SPANISH1")}
    assert len(set(spoken.values())) == 4
    default = calls.CreateSound(Name="default", SoundText="Hola, hello")
    assert calls.GetSoundData(Id=default, Format="WAV") == spoken["FEMALE1"]


def test_an_empty_sound_text_is_a_bad_request(calls):
    assert "SoundText" in bad_request(calls.CreateSound, Name="x", SoundText=" ")


def test_a_recording_call_is_pending_until_the_call_ends(server, calls):
    sound_id = calls.CreateSound(Name="Greeting", RecordingCall={"ToNumber": "3105551212"})
    meta = calls.GetSoundMeta(Id=sound_id)
    assert (meta.Status, meta.LengthInSeconds) == ("PENDING", None)
    assert "PENDING" in bad_request(calls.GetSoundData, Id=sound_id)
    advance(server, 50)  # rings 5 s, answered for 45 (store/outcomes.py)
    meta = calls.GetSoundMeta(Id=sound_id)
    assert (meta.Status, meta.LengthInSeconds) == ("ACTIVE", 45)
    samples, rate, _ = decoded(calls.GetSoundData(Id=sound_id, Format="WAV"))
    assert len(samples) / rate == 45


def test_a_recording_call_nobody_answers_fails(server, calls):
    sound_id = calls.CreateSound(Name="Nobody", RecordingCall={"ToNumber": "13105550104"})
    advance(server, 60)
    assert calls.GetSoundMeta(Id=sound_id).Status == "FAILED"
    assert "FAILED" in bad_request(calls.GetSoundData, Id=sound_id)
    assert "ToNumber" in bad_request(calls.CreateSound, RecordingCall={"ToNumber": "12"})


def test_query_sound_meta_pages_in_id_order(calls):
    ids = [calls.CreateSound(Name="s%d" % hz, Data=encoded(0.2, "WAV", hz=hz))
           for hz in (300, 400, 500)]
    page = calls.QuerySoundMeta(FirstResult=1, MaxResults=1)
    assert page.TotalResults == 3 and [s.id for s in page.SoundMeta] == ids[1:2]


def test_unknown_sounds_are_not_found(calls):
    not_found(calls.GetSoundMeta, Id=10 ** 12)
    not_found(calls.GetSoundData, Id=10 ** 12)


# -- sound ids in broadcasts ----------------------------------------------------

def test_sound_ids_in_a_voice_broadcast_must_be_the_accounts(calls, broadcasts):
    sound_id = calls.CreateSound(Name="Live", Data=encoded(1.0, "WAV", hz=700))
    config = {"LiveSoundId": sound_id, "MachineSoundId": sound_id}
    broadcast_id = broadcasts.CreateBroadcast(Broadcast={"VoiceBroadcastConfig": config})
    assert broadcasts.GetBroadcast(Id=broadcast_id).VoiceBroadcastConfig.LiveSoundId == sound_id
    for field in ("LiveSoundId", "MachineSoundId", "TransferSoundId", "DncSoundId"):
        not_found(broadcasts.CreateBroadcast,
                  Broadcast={"VoiceBroadcastConfig": {field: 10 ** 12}})
        not_found(broadcasts.UpdateBroadcast, Broadcast={
            "id": broadcast_id, "VoiceBroadcastConfig": {field: 10 ** 12}})
    assert broadcasts.GetBroadcast(Id=broadcast_id).VoiceBroadcastConfig.MachineSoundId \
        == sound_id
    assert broadcasts.QueryBroadcasts().TotalResults == 1


def test_a_dialplan_plays_the_accounts_sounds_only(calls, broadcasts):
    sound_id = calls.CreateSound(Name="Menu", Data=encoded(1.0, "WAV", hz=800))
    play = '<dialplan><menu><play type="callfireid">%s</play></menu></dialplan>'
    ivr(broadcasts, DialplanXml=play % sound_id)
    not_found(ivr, broadcasts, DialplanXml=play % (10 ** 12))
    assert "DialplanXml" in bad_request(ivr, broadcasts, DialplanXml=play % "hello")


# -- recordings -----------------------------------------------------------------

RECORDING_DIALPLAN = ('<dialplan name="Root"><play type="tts">Leave a message</play>'
                      '<record name="message" timeout="5"/><record/></dialplan>')


def test_an_answered_ivr_call_that_records_has_recordings(server, account, other_account, calls,
                                                           broadcasts, contacts):
    broadcast_id = ivr(broadcasts, DialplanXml=RECORDING_DIALPLAN)
    broadcasts.CreateContactBatch(BroadcastId=broadcast_id,
                                  ToNumber=[{"_value_1": "13105551212"},
                                            {"_value_1": "13105550102"}])
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START")
    advance(server, 120)
    calls_made = {}
    for contact in contacts.QueryContacts().Contact:
        (item,) = contacts.GetContactHistory(ContactId=contact.id)
        calls_made[contact.homePhone] = item["Call"]
    live = calls_made["13105551212"]
    (record,) = live.CallRecord
    assert [(m.Name, m.LengthInSeconds) for m in record.RecordingMeta] == [
        ("message", 5), ("recording2", 10)]
    assert record.RecordingMeta[0].Created == record.FinishTime
    machine = calls_made["13105550102"]  # an answering machine walks no dialplan
    assert not machine.CallRecord[0].RecordingMeta

    by_id = calls.GetRecordingData(RecordingId=record.RecordingMeta[0].id, Format="WAV")
    samples, rate, kind = decoded(by_id)
    assert (kind, len(samples) / rate) == ("WAV", 5)
    by_name = calls.GetRecordingData(CallId=live.id, Name="message")
    samples, rate, kind = decoded(by_name)
    assert kind == "MP3" and abs(len(samples) / rate - 5) < 0.1
    link = record.RecordingMeta[0].Link
    assert link == server.url("/api/1.1/recordings/%d.mp3" % record.RecordingMeta[0].id)
    assert requests.get(link).status_code == 401
    owner = (account.login, account.password)
    downloaded = requests.get(link, auth=owner)
    assert downloaded.headers["Content-Type"] == "audio/mpeg"
    assert downloaded.content == by_name
    assert requests.get(link.replace(".mp3", ".wav"), auth=owner).content == by_id
    assert requests.get(link.replace(".mp3", ".ogg"), auth=owner).status_code == 404
    intruder = (other_account.login, other_account.password)
    missing = server.url("/api/1.1/recordings/%d.mp3" % 10 ** 12)
    assert [requests.get(url, auth=intruder).status_code for url in (link, missing)] == [404, 404]
    not_found(calls.GetRecordingData, CallId=live.id, Name="nothing")
    not_found(calls.GetRecordingData, CallId=machine.id, Name="message")
    not_found(calls.GetRecordingData, RecordingId=10 ** 12)
    not_found(calls.GetRecordingData, CallId=broadcast_id, Name="message")


# -- MTOM -----------------------------------------------------------------------

MTOM_ENVELOPE = (
    '<S:Envelope xmlns:S="%s"><S:Body>'
    '<ns2:CreateSound xmlns:ns2="http://api.callfire.com/service/xsd">'
    '<ns2:Name>Attached</ns2:Name><ns2:Data><xop:Include '
    'xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:%s"/></ns2:Data>'
    '</ns2:CreateSound></S:Body></S:Envelope>')


ACTION = "http://api.callfire.com/service/wsdl/CallServicePortType/CreateSound"


def mtom_post(server, account, data: bytes, href: str = "sound-1%40example.jaxws",
              version: str = SOAP12):
    """CreateSound as JAX-WS with MTOMFeature sends it: the envelope in an XOP
    root part, the audio in a binary part of its own (SOAP 1.1: text/xml)."""
    boundary = "uuid:5b1c9e0a"
    soap_type = (b'application/soap+xml;action=\\"%s\\"' % ACTION.encode()
                 if version == SOAP12 else b"text/xml")
    body = b"".join([
        b"--%s\r\nContent-Id: <rootpart@example.jaxws>\r\n" % boundary.encode(),
        b'Content-Type: application/xop+xml; charset="utf-8"; type="%s"\r\n' % soap_type,
        b"Content-Transfer-Encoding: binary\r\n\r\n", (MTOM_ENVELOPE % (version, href)).encode(),
        b"\r\n--%s\r\nContent-Id: <sound-1@example.jaxws>\r\n" % boundary.encode(),
        b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n",
        data, b"\r\n--%s--\r\n" % boundary.encode()])
    headers = {"Content-Type": (
        'multipart/related; start="<rootpart@example.jaxws>"; type="application/xop+xml";'
        ' boundary="%s"; start-info="%s"' % (boundary, CONTENT_TYPES[version].split(";")[0]))}
    if version == SOAP11:
        headers["SOAPAction"] = '"%s"' % ACTION
    return requests.post(server.endpoint("call"), data=body, headers=headers,
                         auth=(account.login, account.password))


@pytest.mark.parametrize("version", [SOAP12, SOAP11], ids=["soap12", "soap11"])
def test_an_mtom_upload_is_read_from_its_attachment(server, account, calls, version):
    wav = encoded(2.0, "WAV", hz=900)
    response = mtom_post(server, account, wav, version=version)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == CONTENT_TYPES[version]
    (meta,) = calls.QuerySoundMeta().SoundMeta
    assert (meta.Name, meta.LengthInSeconds) == ("Attached", 2)
    assert calls.GetSoundData(Id=meta.id, Format="WAV") == wav


def test_an_mtom_include_naming_no_part_is_a_bad_request(server, account, calls):
    response = mtom_post(server, account, encoded(1.0, "WAV"), href="missing%40x")
    assert response.status_code == 500 and b"BAD_REQUEST" in response.content
    assert b"names no part" in response.content
    response = mtom_post(server, account, b"\x89PNG\r\n\x1a\n")
    assert response.status_code == 500 and b"BAD_REQUEST" in response.content
    assert calls.QuerySoundMeta().TotalResults == 0


# -- the audio module -----------------------------------------------------------

def test_without_espeak_ng_speech_is_unavailable_not_faked(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(audio.SpeechUnavailable, match="espeak-ng"):
        audio.speak("hello", "FEMALE1")
