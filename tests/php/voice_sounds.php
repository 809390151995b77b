<?php
// CallService's sounds and recordings as a legacy PHP integration uses them: a
// greeting read from a file and uploaded with createSound (PHP base64-encodes
// the string itself), its meta and its audio read back as WAV, a voice
// broadcast that plays it (LiveSoundId), a recording call, and an IVR whose
// dialplan records the callee, its recording fetched by call and name and by
// id.  The clock stands still (serve --sim-speed 0); `sim advance` moves it.
require __DIR__ . '/lib.php';

set_error_handler(function ($level, $message, $file, $line) {
    fwrite(STDERR, "MISMATCH: PHP warning at line $line: $message\n");
    exit(1);
});

// The length of a PCM WAV in frames, read from its header as PHP code would.
function wav_frames($wav) {
    check(substr($wav, 0, 4) === 'RIFF' && substr($wav, 8, 4) === 'WAVE', 'a RIFF WAVE file');
    $format = unpack('vformat/vchannels/Vrate/Vbytes/vblock/vbits', substr($wav, 20, 16));
    $offset = 12;
    while ($offset + 8 <= strlen($wav)) {
        $chunk = unpack('a4id/Vsize', substr($wav, $offset, 8));
        if ($chunk['id'] === 'data') {
            return $chunk['size'] / $format['block'];
        }
        $offset += 8 + $chunk['size'];
    }
    check(false, 'the WAV has a data chunk');
}

$calls = service_client('call');
$broadcasts = service_client('broadcast');
$contacts = service_client('contact');

$mp3 = file_get_contents(__DIR__ . '/reminder.mp3');  // 1.5 s at 8,000 Hz
try {  // the lower-case method name PHP code writes
    $sound = $calls->createSound(array('Name' => 'Reminder greeting', 'Data' => $mp3));
} finally {
    record($calls, 'CreateSound', 'ok-from-file');
    check_version($calls, 'createSound');
}
check(is_numeric($sound) && $sound > 0, 'createSound answers the sound id');
same($sound, call($calls, 'CreateSound', array('Name' => 'again', 'Data' => $mp3), 'same-audio'),
     'the same audio again answers the first id');

$meta = call($calls, 'GetSoundMeta', array('Id' => $sound), 'uploaded');
same('ACTIVE', $meta->Status, 'Status');
same('Reminder greeting', $meta->Name, 'Name');
same(2, $meta->LengthInSeconds, 'LengthInSeconds');
same($mp3, call($calls, 'GetSoundData', array('Id' => $sound), 'mp3-default'),
     'MP3, the default, is the file uploaded');
$wav = call($calls, 'GetSoundData', array('Id' => $sound, 'Format' => 'WAV'), 'as-wav');
check(abs(wav_frames($wav) - 12000) <= 1, 'the WAV is as long as the MP3: ' . wav_frames($wav));

$page = call($calls, 'QuerySoundMeta', array('MaxResults' => 10), 'all');
same(1, $page->TotalResults, 'one sound');
same($sound, $page->SoundMeta->id, 'the sound uploaded');

expect_fault($calls, 'CreateSound', array('Name' => 'picture',
                                          'Data' => "\x89PNG\r\n\x1a\n" . str_repeat("\0", 64)),
             'BAD_REQUEST', 'png');
expect_fault($calls, 'GetSoundMeta', array('Id' => 999999999), 'NOT_FOUND', 'unknown-id');

// A voice broadcast that plays the sound to whoever answers.
$voice = call($broadcasts, 'CreateBroadcast', array('Broadcast' => array(
    'Name' => 'Reminder calls', 'Type' => 'VOICE',
    'VoiceBroadcastConfig' => array('FromNumber' => '12135550100', 'LiveSoundId' => $sound,
                                    'MachineSoundId' => $sound))), 'voice-with-sound');
$config = call($broadcasts, 'GetBroadcast', array('Id' => $voice), 'voice-with-sound')
    ->VoiceBroadcastConfig;
same($sound, $config->LiveSoundId, 'LiveSoundId');
expect_fault($broadcasts, 'CreateBroadcast', array('Broadcast' => array(
    'VoiceBroadcastConfig' => array('LiveSoundId' => 999999999))), 'NOT_FOUND', 'unknown-sound');

// A recording call: PENDING until the simulated call ends, 50 s later.
$recorded = call($calls, 'CreateSound', array('Name' => 'My voice',
                                              'RecordingCall' => array('ToNumber' => '3105551212')),
                 'recording-call');
same('PENDING', call($calls, 'GetSoundMeta', array('Id' => $recorded), 'recording-pending')->Status,
     'PENDING while the call goes on');

// An IVR that records what the callee says.
$ivr = call($broadcasts, 'CreateBroadcast', array('Broadcast' => array(
    'Name' => 'Voicemail', 'IvrBroadcastConfig' => array(
        'DialplanXml' => '<dialplan><play type="callfireid">' . $sound . '</play>'
                       . '<record name="answer" timeout="3"/></dialplan>'))), 'ivr-recording');
call($broadcasts, 'CreateContactBatch', array('BroadcastId' => $ivr, 'Name' => 'callee',
                                              'ToNumber' => '13105551212'), 'ivr-callee');
call($broadcasts, 'ControlBroadcast', array('Id' => $ivr, 'Command' => 'START'), 'ivr-start');

advance(120);

$meta = call($calls, 'GetSoundMeta', array('Id' => $recorded), 'recording-active');
same('ACTIVE', $meta->Status, 'ACTIVE once the call ended');
same(45, $meta->LengthInSeconds, 'the whole answered call');

$callee = call($contacts, 'QueryContacts', array('Field' => 'homePhone',
                                                 'String' => '13105551212'), 'callee');
$history = call($contacts, 'GetContactHistory', array('ContactId' => $callee->Contact->id),
                'ivr-call');
$ivr_call = $history->Call;
$recording = $ivr_call->CallRecord->RecordingMeta;
same('answer', $recording->Name, 'RecordingMeta Name');
same(3, $recording->LengthInSeconds, 'RecordingMeta LengthInSeconds');
$by_name = call($calls, 'GetRecordingData', array('CallId' => $ivr_call->id, 'Name' => 'answer',
                                                  'Format' => 'WAV'), 'by-call-and-name');
same(3 * 8000, wav_frames($by_name), 'three seconds of audio');
same($by_name, call($calls, 'GetRecordingData', array('RecordingId' => $recording->id,
                                                      'Format' => 'WAV'), 'by-id'),
     'the same recording by its id');
$mp3 = call($calls, 'GetRecordingData', array('RecordingId' => $recording->id), 'mp3-default');
check(strlen($mp3) > 1000 && strlen($mp3) < strlen($by_name), 'MP3 by default, smaller');
expect_fault($calls, 'GetRecordingData', array('CallId' => $ivr_call->id, 'Name' => 'other'),
             'NOT_FOUND', 'unknown-name');

done('voice_sounds.php');
