<?php
// NumberService and LabelService as integrations of the day used them: a
// QueryNumbers with MaxResults 1 as a credential check, a number found with
// SearchAvailableNumbers and bought with CreateNumberOrder (polled with
// GetNumberOrder while the simulation clock moves), GetNumber expecting Status
// ACTIVE, ConfigureNumber with an inbound IVR, a keyword bought and released,
// and a label put on a number and a broadcast and taken off again.  Lists go
// as space-separated strings, booleans as the strings 'true' and 'false'.
require __DIR__ . '/lib.php';

set_error_handler(function ($level, $message, $file, $line) {
    fwrite(STDERR, "MISMATCH: PHP warning at line $line: $message\n");
    exit(1);
});

$numbers = service_client('number');
$labels = service_client('label');
$broadcasts = service_client('broadcast');

// The credential check: an account with no numbers yet answers an empty page.
$check = call($numbers, 'QueryNumbers', array('MaxResults' => 1, 'Region' => new stdClass()),
              'credential-check');
same(0, $check->TotalResults, 'no numbers yet');
check(!isset($check->Number), 'no Number element');

$regions = call($numbers, 'QueryRegions', array('MaxResults' => 2,
                'Region' => array('City' => 'Seattle', 'State' => 'WA')), 'seattle');
same(2, count(as_list($regions->Region)), 'two regions of a page of two');
same('SEATTLE', as_list($regions->Region)[0]->RateCenter, 'RateCenter');

$found = as_list(call($numbers, 'SearchAvailableNumbers', array(
    'Region' => array('Prefix' => '1206'), 'Count' => 2), 'prefix')->Number);
same(2, count($found), 'two numbers found');
same('false', var_export($found[0]->TollFree, true), 'a local number');
$toll_free = call($numbers, 'SearchAvailableNumbers', array('TollFree' => 'true', 'Count' => 1),
                  'toll-free')->Number;
check($toll_free->TollFree, 'a toll-free number');

$keyword = 'PHPNUMBERS';
$available = call($numbers, 'SearchAvailableKeywords', array('Keywords' => "$keyword KW_Check"),
                  'keywords');
same(1, $available->TotalResults, 'only the keyword that is one is available');
same($keyword, $available->Keyword->Keyword, 'the keyword');
same('67076', $available->Keyword->ShortCode, 'on the short code');

$wanted = $found[0]->Number . ' ' . $found[1]->Number;
$order = call($numbers, 'CreateNumberOrder', array('Numbers' => $wanted, 'Keywords' => $keyword),
              'numbers-and-keyword');
check(is_numeric($order) && $order > 0, 'CreateNumberOrder answers the order id');
$pending = call($numbers, 'GetNumberOrder', array('Id' => $order), 'new');
same('NEW', $pending->Status, 'a new order');
same(2, $pending->LocalNumbers->Ordered, 'two local numbers ordered');
same(27.0, (float) $pending->TotalCost, 'TotalCost');
advance(60);
$finished = call($numbers, 'GetNumberOrder', array('Id' => $order), 'finished');
same('FINISHED', $finished->Status, 'the order finished');
same(array($found[0]->Number, $found[1]->Number),
     explode(' ', $finished->LocalNumbers->Fulfilled), 'the numbers bought');

$page = call($numbers, 'QueryNumbers', array('MaxResults' => 1, 'Region' => new stdClass()),
             'credential-check-owned');
same(2, $page->TotalResults, 'two numbers owned');
same('ACTIVE', $page->Number->Status, 'one Number, as an object');

$number = $found[0]->Number;
$owned = call($numbers, 'GetNumber', array('Number' => $number), 'active');
same('ACTIVE', $owned->Status, 'Status');
same(sprintf('(%s) %s-%s', substr($number, 1, 3), substr($number, 4, 3), substr($number, 7)),
     $owned->NationalFormat, 'NationalFormat');
same('Seattle', $owned->Region->City, 'Region');

$dialplan = '<dialplan><play type="tts">Congratulations! You have successfully configured '
          . 'a CallFire I V R.</play></dialplan>';
call($numbers, 'ConfigureNumber', array('Number' => $number, 'NumberConfiguration' => array(
    'InboundCallConfigurationType' => 'IVR',
    'InboundCallConfiguration' => array('IvrInboundConfig' => array('DialplanXml' => $dialplan)))),
    'ivr');
$config = call($numbers, 'GetNumber', array('Number' => $number), 'ivr')->NumberConfiguration;
same('IVR', $config->InboundCallConfigurationType, 'InboundCallConfigurationType');
same($dialplan, $config->InboundCallConfiguration->IvrInboundConfig->DialplanXml, 'DialplanXml');
expect_fault($numbers, 'ConfigureNumber', array('Number' => $number, 'NumberConfiguration' =>
    array('CallFeature' => 'PENDING')), 'BAD_REQUEST', 'feature');
expect_fault($numbers, 'GetNumber', array('Number' => '13105550199'), 'NOT_FOUND', 'not-owned');

$held = call($numbers, 'QueryKeywords', array(), 'held');
same($keyword, $held->Keyword->Keyword, 'the keyword is held');
same('ACTIVE', $held->Keyword->Status, 'and ACTIVE');

// Labels: made on first use, on a number and a broadcast, and taken off again.
call($labels, 'LabelNumber', array('Number' => $number, 'LabelName' => 'php label'), 'number');
$broadcast = call($broadcasts, 'CreateBroadcast', array('Broadcast' => array(
    'Name' => 'labelled', 'TextBroadcastConfig' => array('Message' => 'hi'))), 'to-label');
call($labels, 'LabelBroadcast', array('Id' => $broadcast, 'LabelName' => 'php label'),
     'broadcast');
same('php label', call($labels, 'QueryLabels', array(), 'one')->Label->Name, 'QueryLabels');
same($number, call($numbers, 'QueryNumbers', array('Region' => new stdClass(),
     'LabelName' => 'php label'), 'by-label')->Number->Number, 'QueryNumbers by LabelName');
same($broadcast, call($broadcasts, 'QueryBroadcasts', array('LabelName' => 'php label'),
     'by-label')->Broadcast->id, 'QueryBroadcasts by LabelName');
call($labels, 'UnlabelNumber', array('Number' => $number, 'LabelName' => 'php label'), 'number');
call($labels, 'UnlabelBroadcast', array('Id' => $broadcast, 'LabelName' => 'php label'),
     'broadcast');
same(0, call($numbers, 'QueryNumbers', array('Region' => new stdClass(),
     'LabelName' => 'php label'), 'unlabelled')->TotalResults, 'the number lost its label');
call($labels, 'DeleteLabel', array('LabelName' => 'php label'), 'delete');
same(0, call($labels, 'QueryLabels', array(), 'none')->TotalResults, 'no label left');
expect_fault($labels, 'DeleteLabel', array('LabelName' => 'php label'), 'NOT_FOUND', 'gone');

// Released, the numbers are for sale again; the keyword after 30 simulated days.
call($numbers, 'Release', array('Number' => $found[1]->Number), 'number');
expect_fault($numbers, 'GetNumber', array('Number' => $found[1]->Number), 'NOT_FOUND',
             'released');
call($numbers, 'Release', array('Number' => '67076', 'Keyword' => $keyword), 'keyword');
same(0, call($numbers, 'SearchAvailableKeywords', array('Keywords' => $keyword),
             'quarantined')->TotalResults, 'a released keyword waits');
call($numbers, 'Release', array('Number' => $number), 'ivr-number');
advance(30 * 86400);
same(1, call($numbers, 'SearchAvailableKeywords', array('Keywords' => $keyword),
             'after-thirty-days')->TotalResults, 'then it is for sale again');

done('z_number_service.php');
