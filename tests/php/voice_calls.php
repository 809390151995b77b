<?php
// CallService as legacy integrations call it: an appointment call.  sendCall with
// the lower-case method name, a voice config that speaks LiveSoundText to a person
// and MachineSoundText to a machine, the numbers joined by a comma in one
// ToNumber string; then the calls read back by BroadcastId and one by id once the
// simulation clock (which stands still: serve --sim-speed 0) has moved on.
require __DIR__ . '/lib.php';

set_error_handler(function ($level, $message, $file, $line) {
    fwrite(STDERR, "MISMATCH: PHP warning at line $line: $message\n");
    exit(1);
});

$client = callfire_client();

try {
    $broadcast = $client->sendCall(array(
        'BroadcastName' => 'Appointment call',
        'ToNumber' => '13105550101,13105550102',
        'VoiceBroadcastConfig' => array(
            'LiveSoundText' => 'Your appointment is tomorrow at 10am',
            'MachineSoundText' => 'Please call us back about your appointment')));
} finally {
    record($client, 'SendCall', 'ok-voice-live-sound-text');
    check_version($client, 'sendCall');
}
check(is_numeric($broadcast) && $broadcast > 0, "sendCall answers the broadcast id");

$pending = call($client, 'QueryCalls', array('BroadcastId' => $broadcast), 'pending');
same(2, $pending->TotalResults, 'one call per number of the comma separated list');
same('READY', $pending->Call[0]->State, 'not dialled before the clock moves');

advance(600);

$page = call($client, 'QueryCalls', array('BroadcastId' => $broadcast), 'by-broadcast');
same(2, $page->TotalResults, 'still two calls');
$first = $page->Call[0];
same('13105550101', $first->ToNumber->_, 'ToNumber, in the order sent');
$call = call($client, 'GetCall', array('Id' => $first->id), 'by-id');
same('FINISHED', $call->State, 'State');
same('LA', $call->FinalResult, 'FinalResult: a person answered');
same($broadcast, $call->BroadcastId, 'BroadcastId');
same('LA', $call->CallRecord->Result, 'the attempt');
same(45, $call->CallRecord->Duration, 'Duration');
$machine = call($client, 'QueryCalls', array('BroadcastId' => $broadcast, 'Result' => 'AM'),
                'answering-machine');
same('13105550102', $machine->Call->ToNumber->_, 'the machine answered the second number');

$r = new stdClass();
$r->ToNumber = array('_' => '13105551212', 'ClientData' => 'appt-7');
$r->IvrBroadcastConfig = new stdClass();
$r->IvrBroadcastConfig->FromNumber = '12135550100';
$r->IvrBroadcastConfig->DialplanXml = '<dialplan><play type="tts">Press 1</play></dialplan>';
$ivr = call($client, 'SendCall', $r, 'ivr-client-data');
$ivrCalls = call($client, 'QueryCalls', array('BroadcastId' => $ivr), 'ivr');
same('appt-7', $ivrCalls->Call->ToNumber->ClientData, 'ClientData kept on the call');
same('12135550100', $ivrCalls->Call->FromNumber, 'FromNumber');

expect_fault($client, 'SendCall', array('ToNumber' => '13105551212', 'Type' => 'TEXT',
                                        'VoiceBroadcastConfig' => array('LiveSoundText' => 'x')),
             'BAD_REQUEST', 'text-type');
expect_fault($client, 'GetCall', array('Id' => $broadcast), 'NOT_FOUND', 'broadcast-id');

done('voice_calls.php');
