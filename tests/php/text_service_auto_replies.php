<?php
// TextService's auto-replies as a PHP integration of the day set them up: one on
// the shared short code that answers texts asking for the opening hours, made
// once however often the script runs (RequestId), read back, and answering an
// inbound text (`sim inbound-text`), whose reply is read back with QueryTexts.
require __DIR__ . '/lib.php';

set_error_handler(function ($level, $message, $file, $line) {
    fwrite(STDERR, "MISMATCH: PHP warning at line $line: $message\n");
    exit(1);
});

$client = callfire_client();
$sender = '13105551212';
$hours = array('RequestId' => 'urn:uuid:hours-auto-reply',
               'AutoReply' => array('Number' => '67076', 'Match' => 'hours',
                                    'Message' => 'We are open 9 to 5'));

try {
    $id = $client->createAutoReply($hours);
} finally {
    record($client, 'CreateAutoReply', 'ok-hours');
    check_version($client, 'createAutoReply');
}
check(is_numeric($id) && $id > 0, 'createAutoReply answers the id');
same($id, call($client, 'CreateAutoReply', $hours, 'same-request-id'), 'RequestId: the same id');
$keyword = new stdClass();
$keyword->AutoReply = new stdClass();
$keyword->AutoReply->Number = '12135550100';
$keyword->AutoReply->Keyword = 'PIZZA';
$keyword->AutoReply->Match = '';
$keyword->AutoReply->Message = 'Text PIZZA LARGE for a large one';
$pizza = call($client, 'CreateAutoReply', $keyword, 'keyword');

$reply = call($client, 'GetAutoReply', array('Id' => $id), 'by-id');
same($id, $reply->id, 'id');
same('67076', $reply->Number, 'Number');
same('hours', $reply->Match, 'Match');
same('We are open 9 to 5', $reply->Message, 'Message');
check(!isset($reply->Keyword), 'no Keyword');

$all = call($client, 'QueryAutoReplies', array(), 'all');
same(2, $all->TotalResults, 'two auto-replies');
same(array($id, $pizza), array_map(function ($r) { return $r->id; }, as_list($all->AutoReply)),
     'in id order');
$on_number = call($client, 'QueryAutoReplies', array('Number' => '2135550100'), 'by-number');
same(1, $on_number->TotalResults, 'one on that number');
same('PIZZA', $on_number->AutoReply->Keyword, 'its Keyword');

inbound_text('67076', $sender, 'What are your HOURS today?');

$received = call($client, 'QueryTexts', array('Inbound' => true), 'inbound');
same(1, $received->TotalResults, 'one inbound text');
same(true, $received->Text->Inbound, 'Inbound');
same($sender, $received->Text->FromNumber, 'FromNumber');
same('67076', $received->Text->ToNumber->_, 'ToNumber');
same('What are your HOURS today?', $received->Text->Message, 'Message');
same('RECEIVED', $received->Text->FinalResult, 'FinalResult');
$answers = call($client, 'QueryTexts', array('Inbound' => false, 'ToNumber' => $sender),
                'auto-reply');
same(1, $answers->TotalResults, 'one auto-reply sent');
$answer = call($client, 'GetText', array('Id' => $answers->Text->id), 'auto-reply-by-id');
same(false, $answer->Inbound, 'outbound');
same('67076', $answer->FromNumber, 'from the number texted');
same('We are open 9 to 5', $answer->Message, 'the auto-reply Message');
same('SENT', $answer->FinalResult, 'sent');
same('SENT', $answer->TextRecord->Result, 'the attempt');
check(abs($answer->TextRecord->BilledAmount - 0.03) < 1e-6, 'billed as a text');

same(null, call($client, 'DeleteAutoReply', array('Id' => $pizza), 'keyword'), 'empty answer');
expect_fault($client, 'GetAutoReply', array('Id' => $pizza), 'NOT_FOUND', 'deleted');
expect_fault($client, 'DeleteAutoReply', array('Id' => 999999999), 'NOT_FOUND', 'unknown-id');
$fault = expect_fault($client, 'CreateAutoReply',
                      array('AutoReply' => array('Number' => '1234', 'Match' => '',
                                                 'Message' => 'x')),
                      'BAD_REQUEST', 'not-a-number');
same('Number', $fault->detail->ServiceFaultInfo->Detail, 'the field named');

done('text_service_auto_replies.php');
