<?php
// BroadcastService, all 14 operations, called the way legacy PHP integrations
// do (the CallFire docs' CreateContactBatch example: a stdclass request,
// ToNumber as a PHP array of strings): nested stdClass and arrays, times and
// dates as strings, xs:list values as space-separated strings.  The broadcast
// runs on the server's simulation clock, which stands still (serve
// --sim-speed 0); the script moves it with the `sim advance` command, as a
// migration test would, and then checks exactly what the outcome table
// (store/outcomes.py) says the calls did.
//
// Environment, besides lib.php's (set by tests/test_php.py):
//   CALLFIRE_PYTHON    the Python that runs `-m callfire_soap sim advance`
//   CALLFIRE_DB        the server's SQLite file
//   CALLFIRE_LOCATION  when set, the BroadcastService endpoint; ContactService
//                      is the same address ending in /contact
require __DIR__ . '/lib.php';

// A property the server left out must not read as NULL and pass a check.
set_error_handler(function ($level, $message, $file, $line) {
    fwrite(STDERR, "MISMATCH: PHP warning at line $line: $message\n");
    exit(1);
});

function close_to($expected, $actual, $what) {
    check(abs($expected - $actual) < 0.001,
          "$what: expected $expected, got " . var_export($actual, true));
}

// ResultStat as Result => array(Attempts, Actions); one arrives as an object.
function result_stats($stats) {
    $table = array();
    foreach (as_list(isset($stats->ResultStat) ? $stats->ResultStat : null) as $stat) {
        $table[$stat->Result] = array((int) $stat->Attempts, (int) $stat->Actions);
    }
    return $table;
}

function action_statistics($stats) {
    $a = $stats->ActionStatistics;
    return array((int) $a->Unattempted, (int) $a->RetryWait, (int) $a->Finished);
}

$broadcasts = service_client('broadcast');
$contacts = service_client('contact');

$dialplan = '<dialplan name="Root"><play type="tts">Hello from PHP</play>'
          . '<menu maxDigits="1" timeout="3500"><play type="tts">Press 1</play>'
          . '<keypress pressed="1"><stash varname="choice">yes</stash></keypress></menu></dialplan>';

// -- CreateBroadcast: IVR, VOICE and TEXT -------------------------------------

// IVR, nested stdClass; RetryResults as one space-separated string.  No
// LocalTimeZoneRestriction: this is the broadcast the script runs.
$request = new stdClass();
$request->Broadcast = new stdClass();
$request->Broadcast->Name = 'PHP IVR';
$request->Broadcast->Type = 'IVR';
$request->Broadcast->IvrBroadcastConfig = new stdClass();
$request->Broadcast->IvrBroadcastConfig->FromNumber = '12135550100';
$request->Broadcast->IvrBroadcastConfig->RetryConfig = new stdClass();
$request->Broadcast->IvrBroadcastConfig->RetryConfig->MaxAttempts = 2;
$request->Broadcast->IvrBroadcastConfig->RetryConfig->MinutesBetweenAttempts = 1;
$request->Broadcast->IvrBroadcastConfig->RetryConfig->RetryResults = 'BUSY NO_ANS';
$request->Broadcast->IvrBroadcastConfig->DialplanXml = $dialplan;
$ivr = call($broadcasts, 'CreateBroadcast', $request, 'ivr');
check(is_int($ivr) && $ivr > 0, 'CreateBroadcast returns the new id, got ' . var_export($ivr, true));

// VOICE as nested associative arrays, a 10-digit FromNumber, times as strings.
$voice = call($broadcasts, 'CreateBroadcast', array('Broadcast' => array(
    'Name' => 'PHP voice',
    'VoiceBroadcastConfig' => array(
        'FromNumber' => '2135550100',
        'LocalTimeZoneRestriction' => array('BeginTime' => '00:00:00', 'EndTime' => '23:59:59'),
        'AnsweringMachineConfig' => 'AM_AND_LIVE',
        'LiveSoundText' => 'Hello, this is a reminder',
        'LiveSoundTextVoice' => 'FEMALE1',
        'MachineSoundText' => 'Sorry we missed you',
        'TransferDigit' => '1',
        'TransferNumber' => '13105550199'))), 'voice');

// TEXT from a short code; RetryResults as a PHP array (PHP joins an xs:list itself).
$text = call($broadcasts, 'CreateBroadcast', array('Broadcast' => array(
    'Name' => 'PHP text', 'Type' => 'TEXT',
    'TextBroadcastConfig' => array(
        'FromNumber' => '67076',
        'LocalTimeZoneRestriction' => array('BeginTime' => '09:00:00', 'EndTime' => '20:30:00'),
        'RetryConfig' => array('MaxAttempts' => 3, 'RetryResults' => array('CARRIER_TEMP_ERROR')),
        'Message' => 'Your appointment is tomorrow at 10am',
        'BigMessageStrategy' => 'TRIM'))), 'text');

// -- GetBroadcast: status, type and config fields come back --------------------

$got = call($broadcasts, 'GetBroadcast', array('Id' => $ivr), 'ivr');
same($ivr, $got->id, 'GetBroadcast id');
same('PHP IVR', $got->Name, 'IVR Name');
same('STOPPED', $got->Status, 'a new broadcast is STOPPED');
same('IVR', $got->Type, 'IVR Type');
check(!isset($got->VoiceBroadcastConfig) && !isset($got->TextBroadcastConfig),
      'only the IVR config comes back');
$config = $got->IvrBroadcastConfig;
same('12135550100', $config->FromNumber, 'IVR FromNumber');
same($dialplan, $config->DialplanXml, 'DialplanXml comes back as the string sent');
same(2, $config->RetryConfig->MaxAttempts, 'RetryConfig MaxAttempts (a PHP int)');
same(1, $config->RetryConfig->MinutesBetweenAttempts, 'RetryConfig MinutesBetweenAttempts');
same('BUSY NO_ANS', $config->RetryConfig->RetryResults, 'RetryResults: an xs:list arrives as a string');
check(!isset($config->LocalTimeZoneRestriction), 'no LocalTimeZoneRestriction was given');
same($got->LastModified, $config->Created, 'Created is LastModified for a new broadcast');
check(strtotime($got->LastModified) !== false, 'LastModified is a date-time string');

$got = call($broadcasts, 'GetBroadcast', array('Id' => $voice), 'voice');
same('VOICE', $got->Type, 'the VOICE type comes from its config');
$config = $got->VoiceBroadcastConfig;
same('12135550100', $config->FromNumber, 'a 10-digit FromNumber is stored as 11 digits');
same('00:00:00', $config->LocalTimeZoneRestriction->BeginTime, 'BeginTime as the string sent');
same('23:59:59', $config->LocalTimeZoneRestriction->EndTime, 'EndTime as the string sent');
same('AM_AND_LIVE', $config->AnsweringMachineConfig, 'AnsweringMachineConfig');
same('Hello, this is a reminder', $config->LiveSoundText, 'LiveSoundText');
same('FEMALE1', $config->LiveSoundTextVoice, 'LiveSoundTextVoice');
same('Sorry we missed you', $config->MachineSoundText, 'MachineSoundText');
same('1', $config->TransferDigit, 'TransferDigit');
same('13105550199', $config->TransferNumber, 'TransferNumber');
check(!isset($config->RetryConfig), 'no RetryConfig was given');

$got = call($broadcasts, 'GetBroadcast', array('Id' => $text), 'text');
same('TEXT', $got->Type, 'TEXT Type');
$config = $got->TextBroadcastConfig;
same('67076', $config->FromNumber, 'a short code stays as it is');
same('Your appointment is tomorrow at 10am', $config->Message, 'Message');
same('TRIM', $config->BigMessageStrategy, 'BigMessageStrategy');
same('09:00:00', $config->LocalTimeZoneRestriction->BeginTime, 'TEXT BeginTime');
same('20:30:00', $config->LocalTimeZoneRestriction->EndTime, 'TEXT EndTime');
same(3, $config->RetryConfig->MaxAttempts, 'TEXT MaxAttempts');
same(60, $config->RetryConfig->MinutesBetweenAttempts, 'MinutesBetweenAttempts defaults to 60');
same('CARRIER_TEMP_ERROR', $config->RetryConfig->RetryResults, 'a one-item list from a PHP array');

// -- UpdateBroadcast: NULL; what it is not given stays --------------------------

$update = new stdClass();
$update->Broadcast = new stdClass();
$update->Broadcast->id = $voice;
$update->Broadcast->Name = 'PHP voice (renamed)';
$update->Broadcast->VoiceBroadcastConfig = new stdClass();
$update->Broadcast->VoiceBroadcastConfig->LiveSoundText = 'Hello again';
same(null, call($broadcasts, 'UpdateBroadcast', $update, 'voice-partial'), 'UpdateBroadcast answers NULL');
$got = call($broadcasts, 'GetBroadcast', array('Id' => $voice), 'voice-updated');
same('PHP voice (renamed)', $got->Name, 'Name updated');
same('Hello again', $got->VoiceBroadcastConfig->LiveSoundText, 'LiveSoundText updated');
same('Sorry we missed you', $got->VoiceBroadcastConfig->MachineSoundText, 'MachineSoundText kept');
same('23:59:59', $got->VoiceBroadcastConfig->LocalTimeZoneRestriction->EndTime, 'window kept');
expect_fault($broadcasts, 'UpdateBroadcast', array('Broadcast' => array(
    'id' => $voice, 'TextBroadcastConfig' => array('Message' => 'hi'))), 'BAD_REQUEST', 'other-type');

// -- QueryBroadcasts: Type as a space-separated string ------------------------------

$found = call($broadcasts, 'QueryBroadcasts', array('Type' => 'IVR TEXT'), 'type-string');
same(2, $found->TotalResults, 'QueryBroadcasts by Type TotalResults');
check(is_array($found->Broadcast), 'several broadcasts arrive as an array');
same(array($ivr, $text), array($found->Broadcast[0]->id, $found->Broadcast[1]->id),
     'IVR and TEXT broadcasts, in id order');
same('PHP text', $found->Broadcast[1]->Name, 'the TEXT broadcast with its Name');
$found = call($broadcasts, 'QueryBroadcasts', array('Type' => 'VOICE'), 'one-type');
check(is_object($found->Broadcast), 'one broadcast arrives as an object, not an array');
same($voice, $found->Broadcast->id, 'the VOICE broadcast');
$none = call($broadcasts, 'QueryBroadcasts', array('Running' => true), 'none-running');
same(0, $none->TotalResults, 'nothing runs yet');
check(!isset($none->Broadcast), 'no Broadcast property when none match');

// -- CreateContactBatch ---------------------------------------------------------------

// First from a contact list made with ContactService: one number per outcome.
$people = array();
foreach (array('0101' => 'Live', '0102' => 'Machine', '0103' => 'Busy', '0104' => 'NoAnswer',
               '0105' => 'CarrierError', '0106' => 'BusyThenLive') as $digits => $name) {
    $contact = new stdClass();
    $contact->firstName = $name;
    $contact->homePhone = "1310555$digits";
    $people[] = $contact;
}
$request = new stdClass();
$request->Name = 'PHP callees';
$request->ContactSource = new stdClass();
$request->ContactSource->Contact = $people;
$list = call($contacts, 'CreateContactList', $request, 'callees');

$request = new stdClass();
$request->BroadcastId = $ivr;
$request->Name = 'PHP list batch';
$request->ContactListId = $list;
$listBatch = call($broadcasts, 'CreateContactBatch', $request, 'contact-list');
check(is_int($listBatch) && $listBatch > 0, 'CreateContactBatch returns the new id');

// Then the docs' example: ToNumber as a PHP array of strings, duplicates scrubbed.
// One number carries ClientData ('_' is the number); 13105550101 is already in
// the broadcast, from the list: it becomes a DUP action, never dialled.
$request = new stdclass();
$request->BroadcastId = $ivr;
$request->Name = 'PHP docs batch';
$request->ToNumber = array('13105551216', array('_' => '13105551217', 'ClientData' => 'crm-17'),
                           '13105550101');
$request->ScrubBroadcastDuplicates = true;
$docsBatch = call($broadcasts, 'CreateContactBatch', $request, 'to-number-array');

// One ToNumber as a plain string; this batch is disabled below and never dialled.
$pausedBatch = call($broadcasts, 'CreateContactBatch', array(
    'BroadcastId' => $ivr, 'ToNumber' => '13105551218'), 'one-to-number');

// -- GetContactBatch, QueryContactBatches, ControlContactBatch -------------------------

$batch = call($broadcasts, 'GetContactBatch', array('Id' => $listBatch), 'list');
same('PHP list batch', $batch->Name, 'batch Name');
same('ACTIVE', $batch->Status, 'batch Status');
same($ivr, $batch->BroadcastId, 'batch BroadcastId');
same(6, $batch->Size, 'list batch Size: the six contacts');
same(6, $batch->Remaining, 'list batch Remaining');
$batch = call($broadcasts, 'GetContactBatch', array('Id' => $docsBatch), 'docs');
same(3, $batch->Size, 'docs batch Size counts the duplicate');
same(2, $batch->Remaining, 'the duplicate is not to be dialled');
same('API Contact Batch', call($broadcasts, 'GetContactBatch', array('Id' => $pausedBatch),
                               'default-name')->Name, 'the default batch Name');

same(null, call($broadcasts, 'ControlContactBatch', array(
    'Id' => $pausedBatch, 'Name' => 'PHP paused', 'Enabled' => false), 'disable'),
     'ControlContactBatch answers NULL');
$batches = call($broadcasts, 'QueryContactBatches', array('BroadcastId' => $ivr), 'by-broadcast');
same(3, $batches->TotalResults, 'QueryContactBatches TotalResults');
check(is_array($batches->ContactBatch), 'several batches arrive as an array');
same(array($listBatch, $docsBatch, $pausedBatch),
     array_map(function ($b) { return $b->id; }, $batches->ContactBatch), 'batches in id order');
same('PHP paused', $batches->ContactBatch[2]->Name, 'ControlContactBatch renamed the batch');
$page = call($broadcasts, 'QueryContactBatches', array('BroadcastId' => $ivr, 'FirstResult' => 1,
                                                       'MaxResults' => 1), 'paged');
same($docsBatch, $page->ContactBatch->id, 'one batch on a page arrives as an object');
expect_fault($broadcasts, 'ControlContactBatch', array('Id' => $pausedBatch), 'BAD_REQUEST',
             'nothing-to-change');
expect_fault($broadcasts, 'GetContactBatch', array('Id' => 424242), 'NOT_FOUND', 'unknown-id');

// -- ControlBroadcast: faults first -------------------------------------------------------

$fault = expect_fault($broadcasts, 'ControlBroadcast', array('Id' => $voice, 'Command' => 'STOP'),
                      'BAD_REQUEST', 'stop-stopped');
check(strpos($fault->getMessage(), 'STOPPED') !== false, 'the fault says the broadcast is STOPPED');
$fault = expect_fault($broadcasts, 'ControlBroadcast', array('Id' => 424242, 'Command' => 'START'),
                      'NOT_FOUND', 'unknown-id');
check(strpos($fault->getMessage(), '424242') !== false, 'NOT_FOUND names the id');
expect_fault($broadcasts, 'GetBroadcast', array('Id' => 424242), 'NOT_FOUND', 'unknown-id');

// START with MaxActive: START_PENDING now, RUNNING one simulated second later.
$request = new stdClass();
$request->Id = $ivr;
$request->Command = 'START';
$request->MaxActive = 3;
same(null, call($broadcasts, 'ControlBroadcast', $request, 'start-max-active'),
     'ControlBroadcast answers NULL');
$got = call($broadcasts, 'GetBroadcast', array('Id' => $ivr), 'start-pending');
same('START_PENDING', $got->Status, 'START makes the broadcast START_PENDING');
$t0 = strtotime($got->LastModified);  // the clock stands still: the START's instant
expect_fault($broadcasts, 'ControlBroadcast', array('Id' => $ivr, 'Command' => 'START'),
             'BAD_REQUEST', 'start-pending');

// The run, on the outcome table (calls ring 5 s, then talk 45 s (LA) or 25 s (AM);
// NO_ANS rings 30 s, CARRIER_ERROR ends after 2 s), MaxActive 3, actions in id
// order, BUSY and NO_ANS retried once a minute later:
//   t0+1   RUNNING; 0101, 0102, 0103 dialled
//   t0+6   0103 BUSY (retry at 66); 0104 dialled      t0+31  0102 AM; 0105 dialled
//   t0+33  0105 CARRIER_ERROR; 0106 dialled            t0+36  0104 NO_ANS (retry at 96); 1216 dialled
//   t0+38  0106 BUSY (retry at 98); 1217 dialled       t0+51  0101 LA
//   t0+66  0103 again -> t0+71 BUSY, no more attempts  t0+86, t0+88  1216, 1217 LA
//   t0+96  0104 again -> t0+126 NO_ANS                 t0+98  0106 again -> t0+148 LA: FINISHED
advance(1);
$got = call($broadcasts, 'GetBroadcast', array('Id' => $ivr), 'running');
same('RUNNING', $got->Status, 'RUNNING one second after the START');
$running = call($broadcasts, 'QueryBroadcasts', array('Type' => 'IVR TEXT', 'Running' => true),
                'running');
same(1, $running->TotalResults, 'one broadcast runs');
check(is_object($running->Broadcast), 'one running broadcast arrives as an object');
same($ivr, $running->Broadcast->id, 'the IVR broadcast runs');
$stats = call($broadcasts, 'GetBroadcastStats', array('Id' => $ivr), 'started');
same(0, $stats->UsageStats->Attempts, 'no attempt has ended yet');
check(!isset($stats->ResultStat), 'no ResultStat before an attempt ends');
// unattempted: five READY beyond MaxActive, plus the disabled batch's number;
// finished: the DUP, which is never dialled
same(array(6, 0, 1), action_statistics($stats), 'ActionStatistics with 3 calls active');

advance(10);  // t0+11
$stats = call($broadcasts, 'GetBroadcastStats', array('Id' => $ivr), 'first-busy');
same(1, $stats->UsageStats->Attempts, 'one attempt ended');
check(is_object($stats->ResultStat), 'one ResultStat arrives as an object');
same(array('BUSY' => array(1, 0)), result_stats($stats), 'a BUSY attempt, its action not final');
same(array(5, 1, 1), action_statistics($stats), '0103 waits for its retry');

advance(600);  // t0+611: long past the end
same('FINISHED', call($broadcasts, 'GetBroadcast', array('Id' => $ivr), 'finished')->Status,
     'the broadcast FINISHED');
$stats = call($broadcasts, 'GetBroadcastStats', array('Id' => $ivr), 'finished');
same(11, $stats->UsageStats->Attempts, 'attempts: 8 first ones, 3 retries');
same(8, $stats->UsageStats->Actions, 'actions attempted');
same(4 * 45 + 25, $stats->UsageStats->Duration, 'Duration: four LA calls and one AM');
same(5 * 60, $stats->UsageStats->BilledDuration, 'BilledDuration: a started minute per answer');
close_to(0.25, $stats->UsageStats->BilledAmount, 'BilledAmount');
check(is_array($stats->ResultStat), 'several ResultStat arrive as an array');
same(array('AM' => array(1, 1), 'BUSY' => array(3, 1), 'CARRIER_ERROR' => array(1, 1),
           'LA' => array(4, 4), 'NO_ANS' => array(2, 1)), result_stats($stats),
     'ResultStat: attempts per result, actions per final result');
same(array('AM', 'BUSY', 'CARRIER_ERROR', 'LA', 'NO_ANS'),
     array_map(function ($s) { return $s->Result; }, $stats->ResultStat), 'ResultStat by Result');
// The disabled batch's number is still unattempted, yet the broadcast is FINISHED.
same(array(1, 0, 9), action_statistics($stats), 'final ActionStatistics');
same(1, call($broadcasts, 'GetContactBatch', array('Id' => $pausedBatch), 'paused-after')->Remaining,
     'the disabled batch was not dialled');
same(0, call($broadcasts, 'GetContactBatch', array('Id' => $listBatch), 'list-after')->Remaining,
     'the list batch is done');

// IntervalBegin/IntervalEnd as date-time strings: attempts that ended before t0+60, and after.
$split = gmdate('Y-m-d\TH:i:s\Z', $t0 + 60);
$before = call($broadcasts, 'GetBroadcastStats', array('Id' => $ivr, 'IntervalEnd' => $split),
               'interval-end');
same(6, $before->UsageStats->Attempts, 'attempts that ended before t0+60');
// Attempts per result in the interval; Actions: the actions whose last attempt ended
// in it, by that final result (0103, 0104 and 0106 were retried after t0+60).
same(array('AM' => array(1, 1), 'BUSY' => array(2, 0), 'CARRIER_ERROR' => array(1, 1),
           'LA' => array(1, 1), 'NO_ANS' => array(1, 0)), result_stats($before),
     'ResultStat before t0+60');
$after = call($broadcasts, 'GetBroadcastStats', array('Id' => $ivr, 'IntervalBegin' => $split),
              'interval-begin');
same(5, $after->UsageStats->Attempts, 'attempts that ended from t0+60 on');

// -- GetContactHistory: exactly what the outcome table says ----------------------------

$callees = array();
foreach (call($contacts, 'QueryContacts', array('ContactListId' => $list), 'callees')->Contact as $c) {
    $callees[$c->homePhone] = $c->id;
}
// number => the results of its attempts (seconds from dialling to the end, answered seconds)
$expected = array(
    '13105550101' => array('LA'), '13105550102' => array('AM'),
    '13105550103' => array('BUSY', 'BUSY'), '13105550104' => array('NO_ANS', 'NO_ANS'),
    '13105550105' => array('CARRIER_ERROR'), '13105550106' => array('BUSY', 'LA'));
$length = array('LA' => 50, 'AM' => 30, 'BUSY' => 5, 'NO_ANS' => 30, 'CARRIER_ERROR' => 2);
$talk = array('LA' => 45, 'AM' => 25);
foreach ($expected as $number => $results) {
    $number = (string) $number;  // PHP made the numeric keys ints
    $history = call($contacts, 'GetContactHistory', array('ContactId' => $callees[$number]),
                    "outcome-" . substr($number, -4));
    check(!isset($history->Text), "$number: no texts");
    $calls = as_list($history->Call);
    // 13105550101 has a second action: the DUP from the docs batch
    same($number === '13105550101' ? 2 : 1, count($calls), "$number: calls in its history");
    $call = $calls[0];
    same('FINISHED', $call->State, "$number State");
    same(end($results), $call->FinalResult, "$number FinalResult");
    same($ivr, $call->BroadcastId, "$number BroadcastId");
    same($listBatch, $call->BatchId, "$number BatchId");
    same($callees[$number], $call->ContactId, "$number ContactId");
    same('12135550100', $call->FromNumber, "$number FromNumber");
    same($number, $call->ToNumber->_, "$number ToNumber (the '_' of a simpleContent)");
    same(false, $call->Inbound, "$number Inbound");
    $records = as_list($call->CallRecord);
    check(count($results) == 1 ? is_object($call->CallRecord) : is_array($call->CallRecord),
          "$number: one CallRecord is an object, several an array");
    same($results, array_map(function ($r) { return $r->Result; }, $records), "$number results");
    foreach ($records as $i => $record) {
        $result = $record->Result;
        $originate = strtotime($record->OriginateTime);
        same($length[$result], strtotime($record->FinishTime) - $originate,
             "$number attempt $i length");
        same(isset($talk[$result]) ? $talk[$result] : 0, $record->Duration,
             "$number attempt $i Duration");
        if (isset($talk[$result])) {
            same(5, strtotime($record->AnswerTime) - $originate, "$number answered after ringing");
            close_to(0.05, $record->BilledAmount, "$number attempt $i BilledAmount");
        } else {
            check(!isset($record->AnswerTime), "$number attempt $i was not answered");
            close_to(0, $record->BilledAmount, "$number attempt $i BilledAmount");
        }
        if ($i > 0) {
            same(60, $originate - strtotime($records[$i - 1]->FinishTime),
                 "$number retried MinutesBetweenAttempts later");
        }
    }
}
same(1, strtotime(as_list(call($contacts, 'GetContactHistory', array(
         'ContactId' => $callees['13105550101']), 'first-dialled')->Call)[0]->CallRecord->OriginateTime)
     - $t0, 'the first calls were dialled one second after the START');
$dup = as_list(call($contacts, 'GetContactHistory', array('ContactId' => $callees['13105550101']),
                    'with-dup')->Call)[1];
same('DUP', $dup->State, 'the scrubbed duplicate');
same($docsBatch, $dup->BatchId, 'the duplicate belongs to the docs batch');
check(!isset($dup->CallRecord) && !isset($dup->FinalResult), 'the duplicate was never dialled');

// The number with ClientData: the batch made it a contact, the call keeps the attribute.
$seventeen = call($contacts, 'QueryContacts', array('Field' => 'homePhone',
                                                    'String' => '13105551217'), 'batch-contact');
same(1, $seventeen->TotalResults, 'the batch made the number a contact');
$call = call($contacts, 'GetContactHistory', array('ContactId' => $seventeen->Contact->id),
             'client-data')->Call;
same('crm-17', $call->ToNumber->ClientData, 'ClientData comes back on ToNumber');
same('13105551217', $call->ToNumber->_, 'with the number');
same('LA', $call->FinalResult, 'any other number: LA');

// A FINISHED broadcast cannot be stopped.
expect_fault($broadcasts, 'ControlBroadcast', array('Id' => $ivr, 'Command' => 'STOP'),
             'BAD_REQUEST', 'stop-finished');
same(0, call($broadcasts, 'QueryBroadcasts', array('Running' => true), 'none-running-after')
     ->TotalResults, 'nothing runs any more');

// -- Schedules (after the clock steps: none of them fires in this script) -------------

$request = new stdClass();
$request->BroadcastId = $voice;
$request->BroadcastSchedule = new stdClass();
$request->BroadcastSchedule->StartTimeOfDay = '09:00:00';
$request->BroadcastSchedule->StopTimeOfDay = '17:30:00';
$request->BroadcastSchedule->TimeZone = 'America/New_York';
$request->BroadcastSchedule->BeginDate = '2030-01-07';
$request->BroadcastSchedule->EndDate = '2030-12-31';
$request->BroadcastSchedule->DaysOfWeek = 'MONDAY FRIDAY';
$schedule = call($broadcasts, 'CreateBroadcastSchedule', $request, 'days-string');
check(is_int($schedule) && $schedule > 0, 'CreateBroadcastSchedule returns the new id');
$second = call($broadcasts, 'CreateBroadcastSchedule', array('BroadcastId' => $voice,
    'BroadcastSchedule' => array('StartTimeOfDay' => '18:00:00', 'StopTimeOfDay' => '08:00:00',
                                 'TimeZone' => 'America/Los_Angeles',
                                 'DaysOfWeek' => array('SATURDAY', 'SUNDAY'))), 'days-array');

$got = call($broadcasts, 'GetBroadcastSchedule', array('Id' => $schedule), 'by-id');
same($schedule, $got->id, 'schedule id');
same('09:00:00', $got->StartTimeOfDay, 'StartTimeOfDay as the string sent');
same('17:30:00', $got->StopTimeOfDay, 'StopTimeOfDay');
same('America/New_York', $got->TimeZone, 'TimeZone');
same('2030-01-07', $got->BeginDate, 'BeginDate as a date string');
same('2030-12-31', $got->EndDate, 'EndDate');
same('MONDAY FRIDAY', $got->DaysOfWeek, 'DaysOfWeek: an xs:list arrives as a string');

$found = call($broadcasts, 'QueryBroadcastSchedule', array('BroadcastId' => $voice), 'two');
same(2, $found->TotalResults, 'QueryBroadcastSchedule TotalResults');
check(is_array($found->BroadcastSchedule), 'two schedules arrive as an array');
same('SATURDAY SUNDAY', $found->BroadcastSchedule[1]->DaysOfWeek, 'PHP joined the array');
check(!isset($found->BroadcastSchedule[1]->BeginDate), 'no BeginDate when none was given');

expect_fault($broadcasts, 'CreateBroadcastSchedule', array('BroadcastId' => $voice,
    'BroadcastSchedule' => array('StartTimeOfDay' => '09:00:00', 'StopTimeOfDay' => '17:00:00',
                                 'TimeZone' => 'Mars/Olympus', 'DaysOfWeek' => 'MONDAY')),
    'BAD_REQUEST', 'bad-time-zone');

same(null, call($broadcasts, 'DeleteBroadcastSchedule', array('Id' => $second), 'by-id'),
     'DeleteBroadcastSchedule answers NULL');
$found = call($broadcasts, 'QueryBroadcastSchedule', array('BroadcastId' => $voice), 'one-left');
same(1, $found->TotalResults, 'one schedule left');
check(is_object($found->BroadcastSchedule), 'one schedule arrives as an object');
same($schedule, $found->BroadcastSchedule->id, 'the first schedule is left');
expect_fault($broadcasts, 'GetBroadcastSchedule', array('Id' => $second), 'NOT_FOUND', 'deleted');
expect_fault($broadcasts, 'QueryBroadcastSchedule', array('BroadcastId' => 424242), 'NOT_FOUND',
             'unknown-broadcast');
same(null, call($broadcasts, 'DeleteBroadcastSchedule', array('Id' => $schedule), 'last'),
     'DeleteBroadcastSchedule answers NULL');
same(0, call($broadcasts, 'QueryBroadcastSchedule', array('BroadcastId' => $voice), 'none')
     ->TotalResults, 'no schedules left');

done('broadcast_service.php');
