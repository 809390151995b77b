<?php
// SubscriptionService as postback integrations use it: subscribe a URL as
// CallFire's postback guide does (an array with Endpoint and NotificationFormat,
// plus the TriggerEvent API 1.1 wants), list the account's subscriptions (one
// arrives as an object, several as an array), read one, switch it off with a
// partial update, then delete them all the way the guide's cleanup loop does.
require __DIR__ . '/lib.php';

set_error_handler(function ($level, $message, $file, $line) {
    fwrite(STDERR, "MISMATCH: PHP warning at line $line: $message\n");
    exit(1);
});

$client = callfire_client();
$url = 'http://www.example.com/somephpfile.php';

try {  // the lower-case method name PHP code writes
    $first = $client->createSubscription(array('Subscription' => array(
        'Endpoint' => $url, 'NotificationFormat' => 'XML',
        'TriggerEvent' => 'INBOUND_TEXT_FINISHED')));
} finally {
    record($client, 'CreateSubscription', 'ok-xml-inbound-texts');
    check_version($client, 'createSubscription');
}
check(is_numeric($first) && $first > 0, 'createSubscription answers the subscription id');

$one = call($client, 'QuerySubscriptions', array(), 'one');
same(1, $one->TotalResults, 'one subscription');
check(is_object($one->Subscription), 'one subscription arrives as an object');
same($first, $one->Subscription->id, 'its id');

$second = call($client, 'CreateSubscription', array('Subscription' => array(
    'Endpoint' => 'https://hooks.example.com/callfire?site=1', 'NotificationFormat' => 'JSON',
    'TriggerEvent' => 'OUTBOUND_TEXT_FINISHED',
    'SubscriptionFilter' => array('FromNumber' => '67076', 'ToNumber' => '3105551212'))),
    'json-filtered');

$got = call($client, 'GetSubscription', array('Id' => $second), 'json-filtered');
same(true, $got->Enabled, 'Enabled by default');
same('JSON', $got->NotificationFormat, 'NotificationFormat');
same('OUTBOUND_TEXT_FINISHED', $got->TriggerEvent, 'TriggerEvent');
same('67076', $got->SubscriptionFilter->FromNumber, 'FromNumber filter');
same('13105551212', $got->SubscriptionFilter->ToNumber, 'ToNumber filter, normalised');

check(call($client, 'UpdateSubscription', array('Subscription' => array(
    'id' => $second, 'Enabled' => false)), 'disable') === null,
    'updateSubscription answers nothing');
$got = call($client, 'GetSubscription', array('Id' => $second), 'disabled');
same(false, $got->Enabled, 'disabled');
same('https://hooks.example.com/callfire?site=1', $got->Endpoint, 'the rest unchanged');
same('67076', $got->SubscriptionFilter->FromNumber, 'the filter unchanged');

$keyword = call($client, 'CreateSubscription', array('Subscription' => array(
    'Endpoint' => $url, 'TriggerEvent' => 'INBOUND_TEXT_FINISHED',
    'SubscriptionFilter' => array('ToNumber' => '67076:PIZZA'))), 'keyword');
same('67076:PIZZA', $client->GetSubscription(array('Id' => $keyword))->SubscriptionFilter->ToNumber,
     'a short code and keyword filter');

$all = call($client, 'QuerySubscriptions', array(), 'three');
same(3, $all->TotalResults, 'three subscriptions');
check(is_array($all->Subscription), 'several arrive as an array');

expect_fault($client, 'CreateSubscription', array('Subscription' => array(
    'Endpoint' => 'somephpfile.php', 'TriggerEvent' => 'CAMPAIGN_FINISHED')),
    'BAD_REQUEST', 'relative-endpoint');
expect_fault($client, 'CreateSubscription', array('Subscription' => array(
    'Endpoint' => $url, 'NotificationFormat' => 'XML')), 'BAD_REQUEST', 'no-trigger-event');
expect_fault($client, 'GetSubscription', array('Id' => 999999999), 'NOT_FOUND', 'unknown-id');
expect_fault($client, 'UpdateSubscription', array('Subscription' => array(
    'id' => 999999999, 'Enabled' => true)), 'NOT_FOUND', 'unknown-id');

foreach (as_list($all->Subscription) as $sub) {
    check(call($client, 'DeleteSubscription', array('Id' => $sub->id), 'cleanup') === null,
          'deleteSubscription answers nothing');
}
same(0, call($client, 'QuerySubscriptions', array(), 'none')->TotalResults, 'none left');
expect_fault($client, 'DeleteSubscription', array('Id' => $first), 'NOT_FOUND', 'deleted');

done('webhook_subscriptions.php');
