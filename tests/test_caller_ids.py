"""CallService's caller id operations (reconstructed from the later API, in the
served WSDL only): SendVerificationCodeToCallerId, VerifyCallerId, GetCallerIds,
from zeep; the code as a test learns it, from ``callfire-soap sim caller-id-code``;
and ``serve --require-verified-caller-id``.
"""
import subprocess
import sys

import pytest

from conftest import bind, new_account, served_client, start_server
from test_broadcast_service import DIALPLAN, bad_request

CALLER_ID = "13105551212"


@pytest.fixture
def calls(server, account):
    return bind(served_client(server, account), server, "Call")


def code_of(server, number: str, login: str | None = None) -> subprocess.CompletedProcess:
    """``callfire-soap sim caller-id-code``, as a migration test runs it."""
    return subprocess.run(
        [sys.executable, "-m", "callfire_soap", "sim", "caller-id-code", number,
         "--db", str(server.db_path), *(["--login", login] if login else [])],
        capture_output=True, text=True)


def verified_code(server, account, number: str = CALLER_ID) -> str:
    found = code_of(server, number, account.login)
    assert found.returncode == 0, found.stderr
    return found.stdout.strip()


def test_a_caller_id_is_verified_with_the_code_its_call_spoke(server, account, calls):
    assert calls.SendVerificationCodeToCallerId(CallerId="3105551212") is None
    assert calls.GetCallerIds().TotalResults == 0
    code = verified_code(server, account)
    assert len(code) == 6 and code.isdigit()
    wrong = "%06d" % ((int(code) + 1) % 10 ** 6)
    assert calls.VerifyCallerId(CallerId=CALLER_ID, VerificationCode=wrong) is False
    assert calls.GetCallerIds().TotalResults == 0
    assert calls.VerifyCallerId(CallerId="1 (310) 555-1212", VerificationCode=code) is True
    ids = calls.GetCallerIds()
    assert (ids.TotalResults, ids.CallerId) == (1, [CALLER_ID])
    # Verified stays verified, whatever code comes later.
    assert calls.VerifyCallerId(CallerId=CALLER_ID, VerificationCode=wrong) is True


def test_each_call_speaks_a_new_code_and_only_the_latest_verifies(server, account, calls):
    calls.SendVerificationCodeToCallerId(CallerId=CALLER_ID)
    first = verified_code(server, account)
    calls.SendVerificationCodeToCallerId(CallerId=CALLER_ID)
    second = verified_code(server, account)
    assert first != second
    assert calls.VerifyCallerId(CallerId=CALLER_ID, VerificationCode=first) is False
    assert calls.VerifyCallerId(CallerId=CALLER_ID, VerificationCode=second) is True


def test_a_repeated_request_id_makes_no_second_call(server, account, calls):
    calls.SendVerificationCodeToCallerId(RequestId="urn:verify:1", CallerId=CALLER_ID)
    code = verified_code(server, account)
    calls.SendVerificationCodeToCallerId(RequestId="urn:verify:1", CallerId=CALLER_ID)
    assert verified_code(server, account) == code


def test_an_unanswered_verification_call_speaks_no_code(server, account, calls):
    calls.SendVerificationCodeToCallerId(CallerId="13105550103")   # BUSY (the outcome table)
    found = code_of(server, "13105550103", account.login)
    assert found.returncode == 1
    assert "was not answered (BUSY)" in found.stderr
    assert code_of(server, "13105550199", account.login).returncode == 1  # never called
    assert calls.VerifyCallerId(CallerId="13105550103", VerificationCode="000000") is False
    assert calls.VerifyCallerId(CallerId="13105550199", VerificationCode="000000") is False


def test_an_invalid_caller_id_is_bad_request_naming_it(calls):
    assert "CallerId" in bad_request(calls.SendVerificationCodeToCallerId, CallerId="12")
    assert "CallerId" in bad_request(calls.VerifyCallerId, CallerId="abc",
                                     VerificationCode="1")


def test_get_caller_ids_pages_in_number_order(server, account, calls):
    for number in ("13105551214", "13105551212", "13105551213"):
        calls.SendVerificationCodeToCallerId(CallerId=number)
        calls.VerifyCallerId(CallerId=number, VerificationCode=verified_code(
            server, account, number))
    page = calls.GetCallerIds(FirstResult=1, MaxResults=1)
    assert (page.TotalResults, page.CallerId) == (3, ["13105551213"])


def test_by_default_any_from_number_may_call(calls):
    assert calls.SendCall(ToNumber=[{"_value_1": "13105551212"}], VoiceBroadcastConfig={
        "FromNumber": "12135550100", "LiveSoundText": "hi"})


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """A server that wants call broadcasts from verified caller ids."""
    with start_server(tmp_path_factory.mktemp("caller-ids") / "strict.db", "--sim-speed", "0",
                      "--require-verified-caller-id") as running:
        yield running


def test_the_serve_option_requires_a_verified_from_number_for_calls(strict):
    account = new_account(strict)
    client = served_client(strict, account)
    calls, broadcasts = bind(client, strict, "Call"), bind(client, strict, "Broadcast")
    voice = {"FromNumber": "2135550100", "LiveSoundText": "hi"}
    to = [{"_value_1": "13105551212"}]
    assert "FromNumber" in bad_request(calls.SendCall, ToNumber=to, VoiceBroadcastConfig=voice)
    assert "FromNumber" in bad_request(broadcasts.CreateBroadcast, Broadcast={
        "IvrBroadcastConfig": {"FromNumber": "12135550100", "DialplanXml": DIALPLAN}})
    assert broadcasts.QueryBroadcasts().TotalResults == 0
    # The server's own caller id, and texts, need no verification.
    assert calls.SendCall(ToNumber=to, VoiceBroadcastConfig={"LiveSoundText": "hi"})
    ivr_id = broadcasts.CreateBroadcast(Broadcast={"IvrBroadcastConfig": {
        "DialplanXml": DIALPLAN}})
    assert broadcasts.CreateBroadcast(Broadcast={"TextBroadcastConfig": {
        "FromNumber": "12135550100", "Message": "hi"}})
    assert "FromNumber" in bad_request(broadcasts.UpdateBroadcast, Broadcast={
        "id": ivr_id, "IvrBroadcastConfig": {"FromNumber": "12135550100"}})
    # Verified, it calls.
    calls.SendVerificationCodeToCallerId(CallerId="12135550100")
    assert calls.VerifyCallerId(CallerId="12135550100", VerificationCode=verified_code(
        strict, account, "12135550100")) is True
    assert calls.SendCall(ToNumber=to, VoiceBroadcastConfig=voice)
    broadcasts.UpdateBroadcast(Broadcast={"id": ivr_id, "IvrBroadcastConfig": {
        "FromNumber": "12135550100"}})
    # Another account's verification is not this one's.
    other = bind(served_client(strict, new_account(strict)), strict, "Call")
    assert "FromNumber" in bad_request(other.SendCall, ToNumber=to, VoiceBroadcastConfig=voice)
