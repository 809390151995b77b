"""One id space: no two objects the server hands out share an id, so no answer
holds two elements with the same ``id`` (Perl's SOAP::Lite reads those as one
object).  Every zeep answer of the suite is checked for it (conftest's
``ResponsesMatchServedSchema``), and every fuzzed one (test_fuzz.py); here, the
ids of every kind side by side, and a database of the earlier schema migrated.
"""
import sqlite3

from lxml import etree
from sqlite_utils import Database

from callfire_soap.store.accounts import hash_password
from callfire_soap.store.broadcasts import BroadcastConfig, _config_json
from callfire_soap.store.schema import MIGRATIONS
from conftest import ENVELOPE, Account, bind, served_client, start_server


def every_id(answer: etree._Element) -> list[str]:
    return [element.get("id") for element in answer.iter() if element.get("id") is not None]


def test_ids_of_every_kind_are_unique(server, account):
    client = served_client(server, account)
    contacts, broadcasts = bind(client, server, "Contact"), bind(client, server, "Broadcast")
    list_id = contacts.CreateContactList(Name="l", ContactSource={"Numbers": {
        "_value_1": ["13105550101"]}})
    dnc_id = contacts.CreateDncList(Name="dnc", Numbers="13105557777")
    (contact,) = contacts.QueryContacts(ContactListId=list_id).Contact
    broadcast_id = broadcasts.CreateBroadcast(Broadcast={"Name": "v", "VoiceBroadcastConfig": {
        "LiveSoundText": "Hello"}})
    batch_id = broadcasts.CreateContactBatch(BroadcastId=broadcast_id, ContactListId=list_id)
    schedule_id = broadcasts.CreateBroadcastSchedule(BroadcastId=broadcast_id,
                                                     BroadcastSchedule={
        "StartTimeOfDay": "09:00:00", "StopTimeOfDay": "17:00:00",
        "TimeZone": "America/New_York", "DaysOfWeek": ["MONDAY"]})
    broadcasts.ControlBroadcast(Id=broadcast_id, Command="START")
    server.store.clock.advance(120)
    config_id = broadcasts.GetBroadcast(Id=broadcast_id).VoiceBroadcastConfig.id
    (item,) = contacts.GetContactHistory(ContactId=contact.id)
    call = item["Call"]
    (record,) = call.CallRecord
    ids = [list_id, dnc_id, contact.id, broadcast_id, config_id, batch_id, schedule_id,
           call.id, record.id]
    assert None not in ids and len(set(ids)) == len(ids), ids


def _v3_database(path) -> None:
    """A database as the server before the id space left it: a broadcast whose
    config carried its id, and a call whose record had the call's id."""
    db = Database(sqlite3.connect(str(path), isolation_level=None))
    for step in MIGRATIONS[:3]:
        step(db)
    db.execute("PRAGMA user_version = 3")
    created, at = "2014-06-01T12:00:00+00:00", 1401624000
    db["accounts"].insert({"id": 1, "login": "old", "password_hash": hash_password("old-pw"),
                           "created": created, "data_version": 0})
    db["contacts"].insert({"id": 1, "account_id": 1, "created": created})
    db["contact_fields"].insert({"contact_id": 1, "account_id": 1, "name": "homePhone",
                                 "value": "13105550101"})
    db["contact_lists"].insert({"id": 1, "account_id": 1, "name": "old", "created": created,
                                "status": "ACTIVE"})
    db["contact_list_members"].insert({"list_id": 1, "contact_id": 1})
    config = BroadcastConfig(type="VOICE", settings={"LiveSoundText": "Hello"})
    db["broadcasts"].insert({"id": 1, "account_id": 1, "name": "old", "type": "VOICE",
                             "status": "FINISHED", "config": _config_json(config),
                             "max_active": 100, "created": at, "last_modified": at,
                             "sim_until": at + 60})
    db["contact_batches"].insert({"id": 1, "account_id": 1, "broadcast_id": 1, "name": "b",
                                  "status": "ACTIVE", "enabled": 1, "created": at})
    db["actions"].insert({"id": 1, "account_id": 1, "broadcast_id": 1, "batch_id": 1,
                          "contact_id": 1, "numbers": '["13105550101"]',
                          "to_number": "13105550101", "to_attributes": "{}",
                          "zone": "America/Los_Angeles", "state": "FINISHED", "held": 0,
                          "attempts": 1, "ready_at": at, "started_at": at,
                          "final_result": "LA", "created": at, "modified": at + 50})
    db["action_records"].insert({"id": 1, "action_id": 1, "account_id": 1, "broadcast_id": 1,
                                 "result": "LA", "originate_time": at, "answer_time": at + 5,
                                 "finish_time": at + 50, "duration": 45,
                                 "billed_duration": 60, "billed_amount": 0.05})
    db.conn.close()


def test_an_existing_database_migrates_to_one_id_space(tmp_path):
    path = tmp_path / "v3.db"
    _v3_database(path)
    with start_server(path, "--sim-speed", "0") as server:
        client = served_client(server, Account("old", "old-pw", 1))
        contacts, broadcasts = bind(client, server, "Contact"), bind(client, server, "Broadcast")
        # Ids clients hold still name their objects.
        assert contacts.GetContact(Id=1).homePhone == "13105550101"
        assert contacts.GetContactList(Id=1).Name == "old"
        assert broadcasts.GetContactBatch(Id=1).Name == "b"
        broadcast = broadcasts.GetBroadcast(Id=1)
        assert broadcast.Name == "old" and broadcast.VoiceBroadcastConfig.id not in (None, 1)
        (item,) = contacts.GetContactHistory(ContactId=1)
        assert item["Call"].id == 1 and item["Call"].CallRecord[0].id not in (None, 1)
        assert item["Call"].CallRecord[0].Duration == 45
        # New ids come after every old one.
        new_list = contacts.CreateContactList(Name="new", ContactSource={"Numbers": {
            "_value_1": ["12135550000"]}})
        assert new_list > max(broadcast.VoiceBroadcastConfig.id, item["Call"].CallRecord[0].id)
        # And the raw answers hold no id twice (the zeep plugin checks every answer too).
        for answer in (client.transport.session.post(server.endpoint(svc), data=body, headers={
                "Content-Type": "application/soap+xml; charset=utf-8"}) for svc, body in [
                ("broadcast", ENVELOPE % "<svc:QueryBroadcasts/>"),
                ("contact", ENVELOPE % ("<svc:GetContactHistory><svc:ContactId>1"
                                       "</svc:ContactId></svc:GetContactHistory>"))]):
            ids = every_id(etree.fromstring(answer.content))
            assert len(ids) == len(set(ids)) >= 2, answer.text
