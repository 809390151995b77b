<?php
// ContactService, every operation, called the way legacy PHP integrations do:
// stdClass requests and associative arrays, repeated elements as PHP arrays,
// lists as space-separated strings, Contact attributes as plain properties,
// method names in other letter cases.
require __DIR__ . '/lib.php';

$client = callfire_client();

// CreateContactList from a Numbers string (invalid and duplicate numbers scrubbed).
$request = new stdClass();
$request->Name = 'PHP numbers';
$request->ContactSource = new stdClass();
$request->ContactSource->Numbers = '13105551212 2135551000 999 13105551212';
$numbersList = call($client, 'CreateContactList', $request, 'numbers-string');
check(is_numeric($numbersList) && $numbersList > 0, "CreateContactList returns the new id, got " . var_export($numbersList, true));

$list = call($client, 'GetContactList', array('Id' => $numbersList), 'by-id');
same('PHP numbers', $list->Name, 'GetContactList Name');
same(2, (int) $list->Size, 'GetContactList Size after scrubbing');
same('ACTIVE', $list->Status, 'GetContactList Status');
check(strtotime($list->Created) !== false, 'GetContactList Created is a date-time');

// Several contacts arrive as an array, in id order.
$result = call($client, 'QueryContacts', array('ContactListId' => $numbersList), 'by-list');
same(2, (int) $result->TotalResults, 'QueryContacts TotalResults');
check(is_array($result->Contact), 'two contacts arrive as an array');
same('13105551212', $result->Contact[0]->homePhone, 'first contact homePhone');
same('12135551000', $result->Contact[1]->homePhone, 'second contact normalised to 11 digits');
$first = $result->Contact[0]->id;
$second = $result->Contact[1]->id;

// Numbers with a fieldName, as an associative array with '_' for the text.
$request = array('Name' => 'PHP mobile', 'ContactSource' => array(
    'Numbers' => array('_' => '14155550100', 'fieldName' => 'mobilePhone')));
$mobileList = call($client, 'CreateContactList', $request, 'numbers-fieldname');
$one = call($client, 'QueryContacts', array('ContactListId' => $mobileList), 'one-result');
check(is_object($one->Contact), 'one contact arrives as an object, not an array');
same('14155550100', $one->Contact->mobilePhone, 'Numbers went to mobilePhone');
check(!isset($one->Contact->homePhone), 'homePhone left unset');

// Contact elements as stdClass objects: one alone, then several in an array.
$ann = new stdClass();
$ann->firstName = 'Ann';
$ann->lastName = 'Lee';
$ann->homePhone = '13235550111';
$request = new stdClass();
$request->Name = 'PHP people';
$request->Validate = true;
$request->ContactSource = new stdClass();
$request->ContactSource->Contact = $ann;
$peopleList = call($client, 'CreateContactList', $request, 'one-contact');

$bob = new stdClass();
$bob->firstName = 'Bob';
$bob->workPhone = '16195550122';
$cy = new stdClass();
$cy->firstName = 'Cy';
$cy->homePhone = '13105551212';  // the first list's number: merged, not duplicated
$request = new stdClass();
$request->ContactListId = $peopleList;
$request->ContactSource = new stdClass();
$request->ContactSource->Contact = array($bob, $cy);
same(null, call($client, 'AddContactsToList', $request, 'contacts-array'), 'AddContactsToList answers nothing');
same(3, (int) call($client, 'GetContactList', array('Id' => $peopleList), 'size')->Size, 'people list size');
$merged = call($client, 'GetContact', array('Id' => $first), 'merged');
same('Cy', $merged->firstName, 'the import merged into the contact that had the number');

// A CSV File: PHP base64-encodes the raw bytes itself.
$csv = "firstName,homePhone,Favorite Color\nDee,17145550133,blue\nEve,not-a-number,red\n";
$csvList = call($client, 'CreateContactList',
                array('Name' => 'PHP csv', 'ContactSource' => array('File' => $csv)), 'file');
$dee = call($client, 'QueryContacts', array('ContactListId' => $csvList), 'csv-list');
same(1, (int) $dee->TotalResults, 'CSV row with an invalid number scrubbed');
same('Dee', $dee->Contact->firstName, 'CSV header mapped firstName');

// ContactId list as a space-separated string.
$idsList = call($client, 'CreateContactList', array('Name' => 'PHP ids',
                'ContactSource' => array('ContactId' => "$first $second")), 'contact-ids');
same(2, (int) call($client, 'GetContactList', array('Id' => $idsList), 'ids-size')->Size, 'ContactId list size');

// QueryContacts by Field and String; paging with TotalResults over all matches.
$found = call($client, 'QueryContacts', array('Field' => 'firstName', 'String' => 'de'), 'field-string');
same(1, (int) $found->TotalResults, 'Field/String search');
$page = call($client, 'QueryContacts', array('MaxResults' => 2, 'FirstResult' => 1), 'paged');
check((int) $page->TotalResults >= 5, 'TotalResults counts every match');
same(2, count(as_list($page->Contact)), 'MaxResults bounds the page');

// UpdateContacts, called in lower case, is a partial update and answers NULL.
$update = new stdClass();
$update->Contact = new stdClass();
$update->Contact->id = $first;
$update->Contact->lastName = 'Smith';
same(null, $client->updatecontacts($update), 'updatecontacts answers NULL');
record($client, 'UpdateContacts', 'ok-lower-case-name');
$updated = call($client, 'GetContact', array('Id' => $first), 'after-update');
same('Cy', $updated->firstName, 'absent attributes stay');
same('Smith', $updated->lastName, 'given attributes change');

// An extra attribute: PHP drops anyAttribute extras from objects, so integrations
// send them as raw XML (SoapVar XSD_ANYXML). The server keeps and searches them.
$raw = '<ns1:UpdateContacts xmlns:ns1="http://api.callfire.com/service/xsd">'
     . '<ns2:Contact xmlns:ns2="http://api.callfire.com/data" id="' . $second . '" tier="gold"/>'
     . '</ns1:UpdateContacts>';
same(null, call($client, 'UpdateContacts', new SoapVar($raw, XSD_ANYXML), 'raw-extra-attribute'), 'raw UpdateContacts');
$gold = call($client, 'QueryContacts', array('Field' => 'tier', 'String' => 'gold'), 'extra-attribute');
same($second, $gold->Contact->id, 'the extra attribute is stored and searchable');

// GetContactHistory: no broadcasts yet, so an empty history.
$history = call($client, 'GetContactHistory', array('ContactId' => $first, 'MaxResults' => 10), 'empty');
check(!isset($history->Call) && !isset($history->Text), 'history has no calls or texts yet');

// QueryContactLists, in id order.
$lists = call($client, 'QueryContactLists', array('MaxResults' => 1000), 'all');
same(5, (int) $lists->TotalResults, 'QueryContactLists TotalResults');
same($numbersList, as_list($lists->ContactList)[0]->id, 'first list first');

// RemoveContactsFromList by Numbers string, then by ContactId; contacts stay.
same(null, call($client, 'RemoveContactsFromList', array('ContactListId' => $idsList,
     'Numbers' => '12135551000'), 'numbers'), 'RemoveContactsFromList answers nothing');
call($client, 'RemoveContactsFromList', array('ContactListId' => $idsList, 'ContactId' => "$first"), 'ids');
same(0, (int) call($client, 'GetContactList', array('Id' => $idsList), 'emptied')->Size, 'list emptied');
same($first, call($client, 'GetContact', array('Id' => $first), 'still-there')->id, 'contact still exists');

// RemoveContacts with an unknown id in the list: ignored.
same(null, call($client, 'RemoveContacts', array('ContactId' => "$second 987654321"), 'with-unknown'), 'RemoveContacts answers nothing');
expect_fault($client, 'GetContact', array('Id' => $second), 'NOT_FOUND', 'removed');

// DeleteContactList, then it is gone.
same(null, call($client, 'DeleteContactList', array('Id' => $csvList), 'by-id'), 'DeleteContactList answers nothing');
expect_fault($client, 'GetContactList', array('Id' => $csvList), 'NOT_FOUND', 'deleted');

// RequestId: a repeat answers the first id and creates nothing.
$again = array('RequestId' => 'urn:php:once', 'Name' => 'PHP once',
               'ContactSource' => array('Numbers' => '18185550144'));
$once = call($client, 'CreateContactList', $again, 'request-id');
same($once, call($client, 'CreateContactList', $again, 'request-id-repeat'), 'repeated RequestId answers the first id');

// Faults a PHP integration sees: NOT_FOUND naming the id, and bad input.
$fault = expect_fault($client, 'GetContact', array('Id' => 424242), 'NOT_FOUND', 'unknown-id');
check(strpos($fault->getMessage(), '424242') !== false, 'NOT_FOUND names the id');
expect_fault($client, 'UpdateContacts', array('Contact' => array('id' => 424242, 'firstName' => 'X')),
             'NOT_FOUND', 'unknown-id');
expect_fault($client, 'UpdateContacts', array('Contact' => array('firstName' => 'No id')),
             'BAD_REQUEST', 'no-id');
expect_fault($client, 'QueryContacts', array('FirstResult' => -1), 'BAD_REQUEST', 'negative-first');
expect_fault($client, 'UpdateContacts', array('Contact' => array('id' => $first, 'homePhone' => '(310) 555')),
             'BAD_REQUEST', 'phone-pattern');

done('contact_service.php');
