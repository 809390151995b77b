<?php
// CallService's caller id operations (reconstructed from the later API, so in the
// served WSDL only), as an integration that calls from its own number verifies it:
// a verification call, the code it spoke, VerifyCallerId, then GetCallerIds.
require __DIR__ . '/lib.php';

$client = callfire_client();
$callerId = '13105551212';

same(null, call($client, 'SendVerificationCodeToCallerId', array('CallerId' => '3105551212'),
                'ten-digits'), 'SendVerificationCodeToCallerId answers nothing');
$code = caller_id_code($callerId);
check(strlen($code) == 6 && ctype_digit($code), "a six-digit code: $code");

$wrong = sprintf('%06d', ((int) $code + 1) % 1000000);
$answer = call($client, 'VerifyCallerId', array('CallerId' => $callerId,
                                                'VerificationCode' => $wrong), 'wrong-code');
check($answer->Verified === false, 'a wrong code verifies nothing');
$none = call($client, 'GetCallerIds', array(), 'none-yet');
same(0, (int) $none->TotalResults, 'no caller id yet');

$r = new stdClass();
$r->CallerId = $callerId;
$r->VerificationCode = $code;
$answer = call($client, 'VerifyCallerId', $r, 'right-code');
check($answer->Verified === true, 'the code the call spoke verifies the number');
$ids = call($client, 'GetCallerIds', array('MaxResults' => 10), 'verified');
same(1, (int) $ids->TotalResults, 'one caller id');
same($callerId, $ids->CallerId, 'one caller id arrives as a string');

expect_fault($client, 'SendVerificationCodeToCallerId', array('CallerId' => '12'),
             'BAD_REQUEST', 'invalid-number');

done('verified_caller_ids.php');
