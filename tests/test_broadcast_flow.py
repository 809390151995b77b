"""The legacy flow end to end: an IVR broadcast with a dialplan, a local-time
window and retries; a batch whose numbers hit every outcome in the README's
table; START with MaxActive; the clock driven; stats, histories and the final
status checked.  Every expected value below follows from the README's
simulator section alone.
"""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import bind, served_client

LOS_ANGELES = ZoneInfo("America/Los_Angeles")  # area code 310
FROM = "12135550100"
DIALPLAN = ('<dialplan name="Root"><menu maxDigits="1" timeout="3500">'
            '<play type="tts">Press 1 to confirm your appointment, 2 to cancel</play>'
            '<keypress pressed="1"><stash varname="appointment">confirmed</stash>'
            '<play type="tts">Thank you</play></keypress>'
            '<keypress pressed="2"><stash varname="appointment">cancelled</stash></keypress>'
            '</menu></dialplan>')
# number -> (ClientData, final State, results of its attempts, in order)
EXPECTED = {
    "13105550101": ("live", "FINISHED", ["LA"]),
    "13105550102": ("machine", "FINISHED", ["AM"]),
    "13105550103": ("busy", "FINISHED", ["BUSY", "BUSY"]),      # retried once, busy again
    "13105550104": ("no-answer", "FINISHED", ["NO_ANS", "NO_ANS"]),
    "13105550105": ("carrier", "FINISHED", ["CARRIER_ERROR"]),   # not a retried result
    "13105550106": ("busy-then-live", "FINISHED", ["BUSY", "LA"]),
    "13105557777": ("anyone", "FINISHED", ["LA"]),
    "13105550199": ("opted-out", "DNC", []),                     # on Do Not Contact
    "911": ("not-a-number", "INVALID", []),
}
TALK = {"LA": 45, "AM": 25}
RING = {"LA": 5, "AM": 5, "BUSY": 5, "NO_ANS": 30, "CARRIER_ERROR": 2}


def _window(now: int) -> tuple[time, time, int]:
    """A calling window that opens two to three hours from now in Los Angeles and
    lasts eight hours; and the instant it opens."""
    local = datetime.fromtimestamp(now, LOS_ANGELES)
    opens = (local + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    return opens.time(), (opens + timedelta(hours=8)).time(), int(opens.timestamp())


def _calls(contacts, contact_id):
    return [item["Call"] for item in contacts.GetContactHistory(ContactId=contact_id)]


def test_legacy_ivr_broadcast_flow(server, account, client, wsdl_setup):
    broadcasts = bind(client, server, "Broadcast")
    contacts = bind(client, server, "Contact")
    # Do Not Contact came after the 2014 WSDL: a legacy integration sets it elsewhere.
    bind(served_client(server, account), server, "Contact").UpdateDncNumber(
        Number="13105550199", CallDnc=True, TextDnc=False)
    clock = server.store.clock
    begin, end, opens = _window(clock.now())

    broadcast_id = broadcasts.CreateBroadcast(Broadcast={
        "Name": "Appointment reminders", "Type": "IVR", "IvrBroadcastConfig": {
            "FromNumber": FROM,
            "LocalTimeZoneRestriction": {"BeginTime": begin, "EndTime": end},
            "RetryConfig": {"MaxAttempts": 2, "MinutesBetweenAttempts": 30,
                            "RetryResults": ["BUSY NO_ANS"]},
            "DialplanXml": DIALPLAN}})
    to_numbers = [{"_value_1": number, "ClientData": client_data}
                  for number, (client_data, _, _) in EXPECTED.items()]
    to_numbers.append({"_value_1": "13105550101", "ClientData": "again"})
    batch_id = broadcasts.CreateContactBatch(BroadcastId=broadcast_id, Name="Monday",
                                             ToNumber=to_numbers, ScrubBroadcastDuplicates=True)
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START", MaxActive=2)

    def actions():
        return broadcasts.GetBroadcastStats(Id=broadcast_id).ActionStatistics

    # Running, but nobody is called before the window opens in the callee's time zone.
    clock.advance(opens - clock.now() - 1)
    assert broadcasts.GetBroadcast(Id=broadcast_id).Status == "RUNNING"
    assert (actions().Unattempted, actions().Finished) == (8, 2)  # DUP and INVALID
    clock.advance(1)
    # MaxActive 2: the first two in batch order are dialled; the rest wait.
    assert (actions().Unattempted, actions().Finished) == (6, 2)

    clock.advance(3 * 3600)
    broadcast = broadcasts.GetBroadcast(Id=broadcast_id)
    assert broadcast.Status == "FINISHED"
    assert broadcasts.GetContactBatch(Id=batch_id).Remaining == 0

    stats = broadcasts.GetBroadcastStats(Id=broadcast_id)
    attempts = [r for _, _, results in EXPECTED.values() for r in results]
    answered = [r for r in attempts if r in TALK]
    assert (stats.UsageStats.Attempts, stats.UsageStats.Actions) == (len(attempts), 7)
    assert stats.UsageStats.Duration == sum(TALK[r] for r in answered)
    assert stats.UsageStats.BilledDuration == 60 * len(answered)
    assert stats.UsageStats.BilledAmount == pytest.approx(0.05 * len(answered))
    finals = [results[-1] for _, state, results in EXPECTED.values() if state == "FINISHED"]
    assert {(s.Result, s.Attempts, s.Actions) for s in stats.ResultStat} == {
        (result, attempts.count(result), finals.count(result)) for result in set(attempts)}
    assert (stats.ActionStatistics.Unattempted, stats.ActionStatistics.RetryWait,
            stats.ActionStatistics.Finished) == (0, 0, len(EXPECTED) + 1)

    by_number = {c.homePhone: c.id for c in contacts.QueryContacts().Contact}
    assert set(by_number) == set(EXPECTED)
    intervals = []
    for number, (client_data, state, results) in EXPECTED.items():
        calls = _calls(contacts, by_number[number])
        if number == "13105550101":  # its second ToNumber was scrubbed as a duplicate
            calls, (dup,) = calls[:1], calls[1:]
            assert (dup.State, dup.ToNumber.ClientData, dup.CallRecord) == ("DUP", "again", [])
        (call,) = calls
        assert (call.State, call.ToNumber._value_1, call.ToNumber.ClientData, call.FromNumber,
                call.BroadcastId, call.BatchId, call.Inbound) == (
            state, number, client_data, FROM, broadcast_id, batch_id, False)
        assert [r.Result for r in call.CallRecord] == results
        assert call.FinalResult == (results[-1] if results else None)
        for previous, record in zip([None] + call.CallRecord, call.CallRecord):
            originate = int(record.OriginateTime.timestamp())
            finish = int(record.FinishTime.timestamp())
            assert finish - originate == RING[record.Result] + TALK.get(record.Result, 0)
            assert record.Duration == TALK.get(record.Result, 0)
            assert (record.AnswerTime is None) == (record.Result not in TALK)
            # a live answer goes through the dialplan, pressing each menu's first key
            assert [(q.Question, q.Response) for q in record.QuestionResponse] == (
                [("appointment", "confirmed")] if record.Result == "LA" else [])
            local = datetime.fromtimestamp(originate, LOS_ANGELES).time().replace(tzinfo=None)
            inside = begin <= local < end if begin < end else not end <= local < begin
            assert inside, "called outside the window"
            if previous is not None:  # a retry waits MinutesBetweenAttempts
                assert originate - int(previous.FinishTime.timestamp()) >= 30 * 60
            intervals.append((originate, finish))
    # never more than MaxActive calls at once
    assert max(sum(1 for s, f in intervals if s <= t < f) for t, _ in intervals) == 2
