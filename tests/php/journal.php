<?php
// For the request journal: one SendText and one GetContact of a contact that does
// not exist (a fault), with what PHP sent and what it got written out, byte for
// byte as PHP saw them, for the test to find in `callfire-soap journal --xml`.
//   CALLFIRE_JOURNAL_OUT  directory: sendtext.request, sendtext.response,
//                         getcontact.request, getcontact.response
require __DIR__ . '/lib.php';

$client = callfire_client();
$out = env_or_die('CALLFIRE_JOURNAL_OUT');

$broadcast = $client->SendText(array(
    'BroadcastName' => 'Journal check',
    'ToNumber' => '12135551100',
    'TextBroadcastConfig' => array('Message' => 'What was sent, exactly')));
check(is_numeric($broadcast), 'SendText answers a broadcast id');
file_put_contents("$out/sendtext.request", $client->__getLastRequest());
file_put_contents("$out/sendtext.response", $client->__getLastResponse());

try {
    $client->GetContact(array('Id' => 999999999));
    check(false, 'GetContact of no contact is a fault');
} catch (SoapFault $fault) {
    check(strpos($fault->getMessage(), 'not found') !== false, 'a NOT_FOUND fault');
}
file_put_contents("$out/getcontact.request", $client->__getLastRequest());
file_put_contents("$out/getcontact.response", $client->__getLastResponse());
done("journal.php");
