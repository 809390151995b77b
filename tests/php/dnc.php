<?php
// ContactService's Do Not Contact operations (reconstructed from the later API),
// called as PHP integrations that honour opt-outs call them: capitalised fields
// ($r->CallDnc), numbers as one space-separated string.
require __DIR__ . '/lib.php';

$client = callfire_client();

$r = new stdClass();
$r->Name = 'PHP opt-outs';
$r->CampaignId = 7;
$r->CallDnc = true;
$r->TextDnc = false;
$r->Numbers = '13105551212 2135551000';
$listId = call($client, 'CreateDncList', $r, 'call-only');
check(is_numeric($listId) && $listId > 0, 'CreateDncList returns the new id');

$list = call($client, 'GetDncList', array('Id' => $listId), 'by-id');
same('PHP opt-outs', $list->Name, 'GetDncList Name');
same(2, (int) $list->Size, 'GetDncList Size');
same(7, (int) $list->CampaignId, 'GetDncList CampaignId');

$r = new stdClass();
$r->Id = $listId;
$r->TextDnc = true;
$r->CallDnc = false;
$r->Numbers = '14155550100';
same(null, call($client, 'AddNumbersToDncList', $r, 'text-only'), 'AddNumbersToDncList answers nothing');

$numbers = call($client, 'QueryDncNumbers', array('DncListId' => $listId), 'by-list');
same(3, (int) $numbers->TotalResults, 'QueryDncNumbers TotalResults');
check(is_array($numbers->DncNumber), 'several numbers arrive as an array');
same('12135551000', $numbers->DncNumber[0]->Number, 'numbers normalised, in number order');
same(true, $numbers->DncNumber[0]->CallDnc, 'CallDnc is a PHP boolean');
same(false, $numbers->DncNumber[0]->TextDnc, 'TextDnc false');

$texts = call($client, 'QueryDncNumbers', array('TextDnc' => true), 'text-flag');
same('14155550100', $texts->DncNumber->Number, 'one match arrives as an object');
$prefix = call($client, 'QueryDncNumbers', array('Prefix' => '310'), 'prefix');
same('13105551212', $prefix->DncNumber->Number, 'Prefix without the leading 1');

same(null, call($client, 'UpdateDncNumber', array('Number' => '16195550122', 'CallDnc' => true),
                'account-wide'), 'UpdateDncNumber answers nothing');
$lists = call($client, 'QueryDncLists', array(), 'all');
same(2, (int) $lists->TotalResults, 'UpdateDncNumber made the default list');
$named = call($client, 'QueryDncLists', array('Name' => 'PHP opt-outs'), 'by-name');
same($listId, $named->DncList->id, 'QueryDncLists by Name');

// A later import scrubs the numbers on DNC.
$import = array('Name' => 'PHP import', 'ContactSource' => array(
    'Numbers' => '13105551212 16195550122 17145550133'));
$contactList = call($client, 'CreateContactList', $import, 'scrubbed');
same(1, (int) call($client, 'GetContactList', array('Id' => $contactList), 'scrubbed-size')->Size,
     'DNC numbers scrubbed from the import');

$r = new stdClass();
$r->Id = $listId;
$r->Numbers = '13105551212';
same(null, call($client, 'RemoveNumbersFromDncList', $r, 'both-kinds'), 'RemoveNumbersFromDncList answers nothing');
same(2, (int) call($client, 'GetDncList', array('Id' => $listId), 'after-remove')->Size, 'one number left the list');

same(null, call($client, 'DeleteDncList', array('Id' => $listId), 'by-id'), 'DeleteDncList answers nothing');
expect_fault($client, 'GetDncList', array('Id' => $listId), 'NOT_FOUND', 'deleted');
expect_fault($client, 'AddNumbersToDncList', array('Id' => 424242, 'Numbers' => '13105551212'),
             'NOT_FOUND', 'unknown-list');
expect_fault($client, 'CreateDncList', array('Name' => 'bad', 'Numbers' => '999'),
             'BAD_REQUEST', 'invalid-number');

done('dnc.php');
