<?php
// What the public integrations' postback endpoints do with a body CallFire posted,
// run on a body the test's receiver got: php receivers.php MODE BODY_FILE CONTENT_TYPE.
// Prints what the integration read, as JSON, for the test to compare.
//   joomla     the SMS gateway: SimpleXML, $xml->Text->Message and friends
//   wordpress  the theme: json_decode($body, true), by event
//   sdk        CallFire's PHP SDK: the Content-Type check of is_event_request, the
//              root's literal nodeName, then n:SubscriptionId and the resource by XPath
error_reporting(E_ALL);
set_error_handler(function ($level, $message, $file, $line) {
    fwrite(STDERR, "PHP warning at line $line: $message\n");
    exit(1);
});
list(, $mode, $file, $contentType) = $argv;
$body = file_get_contents($file);
$out = array();

if ($mode === 'joomla') {
    $xml = simplexml_load_string($body);
    $text = $xml->Text or die('No text');
    $out = array('inbound' => (string) $text->Inbound === 'true',
                 'from' => (string) $text->FromNumber, 'to' => (string) $text->ToNumber,
                 'message' => (string) $xml->Text->Message,
                 'result' => (string) $text->TextRecord->Result);
} elseif ($mode === 'wordpress') {
    $data = json_decode($body, true);
    if (isset($data['TextNotification'])) {
        $text = $data['TextNotification']['Text'];
        $out = array('kind' => 'text', 'subscription' => $data['TextNotification']['SubscriptionId'],
                     'id' => $text['@id'], 'to' => $text['ToNumber'], 'message' => $text['Message'],
                     'result' => $text['FinalResult'], 'billed' => $text['TextRecord']['BilledAmount']);
    } elseif (isset($data['CallFinished'])) {
        $call = $data['CallFinished']['Call'];
        $out = array('kind' => 'call', 'subscription' => $data['CallFinished']['SubscriptionId'],
                     'id' => $call['@id'], 'to' => $call['ToNumber'], 'result' => $call['FinalResult'],
                     'duration' => $call['CallRecord']['Duration']);
    } else {
        $root = array_keys($data)[0];
        $out = array('kind' => $root, 'subscription' => $data[$root]['SubscriptionId'],
                     'id' => $data[$root]['Broadcast']['@id'],
                     'status' => $data[$root]['Broadcast']['Status']);
    }
} elseif ($mode === 'sdk') {
    $types = array('xml' => 'text/xml; charset=UTF-8');
    $document = new DOMDocument;
    $document->loadXML($body);
    $xpath = new DOMXPath($document);
    $xpath->registerNamespace('_', 'http://api.callfire.com/data');
    $xpath->registerNamespace('n', 'http://api.callfire.com/notification/xsd');
    $root = $xpath->query('/n:*[1]')->item(0);
    $resource = $xpath->query('_:*[1]', $root)->item(0);
    $out = array('format' => array_search($contentType, $types),
                 'root' => $document->firstChild->nodeName,
                 'subscription' => $xpath->query('n:SubscriptionId', $root)->item(0)->textContent,
                 'resource' => $resource->nodeName,
                 'id' => $resource->getAttribute('id'),
                 'state' => $xpath->query('_:State', $resource)->item(0)->textContent);
}
echo json_encode($out), "\n";
