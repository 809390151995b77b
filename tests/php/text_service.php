<?php
// TextService as the most common legacy integration uses it: an appointment
// reminder.  sendText with the lower-case method name PHP code writes, the
// number as a plain digit string, then the texts read back by BroadcastId and
// one by id, SENT once the simulation clock (which stands still: serve
// --sim-speed 0) has moved on with `sim advance`.
require __DIR__ . '/lib.php';

set_error_handler(function ($level, $message, $file, $line) {
    fwrite(STDERR, "MISMATCH: PHP warning at line $line: $message\n");
    exit(1);
});

$client = callfire_client();
$digits = '13105551212';

try {
    $broadcast = $client->sendText(array(
        'BroadcastName' => 'Appointment reminder',
        'ToNumber' => $digits,
        'TextBroadcastConfig' => array('Message' => 'Your appointment is tomorrow at 10am')));
} finally {
    record($client, 'SendText', 'ok-appointment-reminder');
    check_version($client, 'sendText');
}
check(is_numeric($broadcast) && $broadcast > 0, "sendText answers the broadcast id");

$pending = call($client, 'QueryTexts', array('BroadcastId' => $broadcast), 'pending');
same(1, $pending->TotalResults, 'one text');
same('READY', $pending->Text->State, 'not sent before the clock moves');

advance(120);

$page = call($client, 'QueryTexts', array('BroadcastId' => $broadcast), 'by-broadcast');
same(1, $page->TotalResults, 'still one text');
$text = call($client, 'GetText', array('Id' => $page->Text->id), 'by-id');
same('FINISHED', $text->State, 'State');
same('SENT', $text->FinalResult, 'FinalResult');
same($digits, $text->ToNumber->_, 'ToNumber');
same('Your appointment is tomorrow at 10am', $text->Message, 'Message');
same($broadcast, $text->BroadcastId, 'BroadcastId');
same('SENT', $text->TextRecord->Result, 'the attempt');

expect_fault($client, 'SendText', array('ToNumber' => $digits, 'Type' => 'VOICE',
                                        'TextBroadcastConfig' => array('Message' => 'x')),
             'BAD_REQUEST', 'voice-type');
expect_fault($client, 'GetText', array('Id' => 999999999), 'NOT_FOUND', 'unknown-id');

done('text_service.php');
