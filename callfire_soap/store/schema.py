"""The SQLite schema, as numbered migrations.

``PRAGMA user_version`` records how many have run; each runs once, in its own
transaction, when the server opens the database.  Add new migrations at the
end; never edit one that has shipped.
"""
from sqlite_utils import Database

from . import ids
from .errors import UnusableDatabase


def _v1_accounts_and_contacts(db: Database) -> None:
    # data_version goes up with every write call: remembered query results
    # (store/pages.py) are only used while it has not moved.
    db["accounts"].create(
        {"id": int, "login": str, "password_hash": str, "created": str, "data_version": int},
        pk="id", not_null={"login", "password_hash", "created", "data_version"},
        defaults={"data_version": 0})
    db["accounts"].create_index(["login"], unique=True)

    db["contacts"].create(
        {"id": int, "account_id": int, "created": str},
        pk="id", not_null={"account_id", "created"},
        foreign_keys=[("account_id", "accounts", "id")])
    db["contacts"].create_index(["account_id", "id"])

    # Every attribute of a contact, standard or extra, is one row: one index
    # then serves search by field and the merge-by-number rule.
    db.execute("""
        CREATE TABLE contact_fields (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            account_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (contact_id, name)
        ) WITHOUT ROWID""")
    db["contact_fields"].create_index(["account_id", "name", "value"])
    # QueryContacts' String is a substring: a trigram index of each contact's
    # values (rowid = contact id) finds the candidates, contact_fields decides.
    # The store refreshes it in bulk for the contacts it writes.
    db.execute("CREATE VIRTUAL TABLE contact_search USING fts5(text, tokenize='trigram')")

    db["contact_lists"].create(
        {"id": int, "account_id": int, "name": str, "created": str, "status": str},
        pk="id", not_null={"account_id", "name", "created", "status"},
        foreign_keys=[("account_id", "accounts", "id")])
    db["contact_lists"].create_index(["account_id", "id"])

    db.execute("""
        CREATE TABLE contact_list_members (
            list_id INTEGER NOT NULL REFERENCES contact_lists(id) ON DELETE CASCADE,
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            PRIMARY KEY (list_id, contact_id)
        ) WITHOUT ROWID""")
    db["contact_list_members"].create_index(["contact_id"])

    # RequestId de-duplication: the first result of a create, per account.
    db.execute("""
        CREATE TABLE request_ids (
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            operation TEXT NOT NULL,
            request_id TEXT NOT NULL,
            result_id INTEGER NOT NULL,
            PRIMARY KEY (account_id, operation, request_id)
        ) WITHOUT ROWID""")


def _v2_do_not_contact(db: Database) -> None:
    # is_default marks the list UpdateDncNumber writes to, one per account at most.
    db["dnc_lists"].create(
        {"id": int, "account_id": int, "name": str, "campaign_id": int, "is_default": int},
        pk="id", not_null={"account_id", "name", "is_default"}, defaults={"is_default": 0},
        foreign_keys=[("account_id", "accounts", "id")])
    db["dnc_lists"].create_index(["account_id", "id"])
    db.execute("CREATE UNIQUE INDEX dnc_lists_default ON dnc_lists (account_id) "
               "WHERE is_default")

    # One row per number per list; account_id is repeated so that the
    # account-wide status of a number is one index lookup.
    db.execute("""
        CREATE TABLE dnc_numbers (
            list_id INTEGER NOT NULL REFERENCES dnc_lists(id) ON DELETE CASCADE,
            account_id INTEGER NOT NULL,
            number TEXT NOT NULL,
            call_dnc INTEGER NOT NULL,
            text_dnc INTEGER NOT NULL,
            PRIMARY KEY (list_id, number)
        ) WITHOUT ROWID""")
    db["dnc_numbers"].create_index(["account_id", "number"])


def _v3_broadcasts(db: Database) -> None:
    # The simulation clock (store/clock.py): one row, read by every worker.
    db["sim_clock"].create({"id": int, "real_anchor": float, "sim_anchor": float,
                            "speed": float}, pk="id")

    # config: the broadcast's settings as JSON (store/broadcasts.py).  sim_until is
    # the simulated instant the broadcast has been simulated to; next_event the
    # instant something next happens to it (NULL: nothing will by itself).
    db["broadcasts"].create(
        {"id": int, "account_id": int, "name": str, "type": str, "status": str,
         "config": str, "max_active": int, "created": int, "last_modified": int,
         "start_at": int, "sim_until": int, "next_event": int},
        pk="id", not_null={"account_id", "name", "type", "status", "config", "max_active",
                           "created", "last_modified", "sim_until"},
        foreign_keys=[("account_id", "accounts", "id")])
    db["broadcasts"].create_index(["account_id", "id"])
    db["broadcasts"].create_index(["account_id", "next_event"])

    db["contact_batches"].create(
        {"id": int, "account_id": int, "broadcast_id": int, "name": str, "status": str,
         "enabled": int, "created": int},
        pk="id", not_null={"account_id", "broadcast_id", "name", "status", "enabled",
                           "created"},
        foreign_keys=[("account_id", "accounts", "id"), ("broadcast_id", "broadcasts", "id")])
    db["contact_batches"].create_index(["broadcast_id", "id"])

    # One row per number to call or text.  numbers: the JSON list of numbers its
    # attempts go through in turn; to_number the one of the latest attempt; zone
    # the callee's time zone.
    # contact_id is not a foreign key: a removed contact keeps its history.
    db["actions"].create(
        {"id": int, "account_id": int, "broadcast_id": int, "batch_id": int,
         "contact_id": int, "numbers": str, "to_number": str, "to_attributes": str,
         "zone": str, "state": str, "held": int, "attempts": int, "ready_at": int,
         "started_at": int,
         "finish_at": int, "final_result": str, "created": int, "modified": int},
        pk="id", not_null={"account_id", "broadcast_id", "batch_id", "contact_id", "numbers",
                           "to_number", "zone", "state", "held", "attempts", "ready_at",
                           "created", "modified"},
        foreign_keys=[("account_id", "accounts", "id"), ("broadcast_id", "broadcasts", "id"),
                      ("batch_id", "contact_batches", "id")])
    # held: the action's batch is disabled.  The simulator's next action in a zone
    # is the first entry of (broadcast, READY, not held, zone) in this index.
    db["actions"].create_index(["broadcast_id", "state", "held", "zone", "ready_at", "id"])
    db["actions"].create_index(["broadcast_id", "state", "finish_at"])
    db["actions"].create_index(["batch_id", "state"])
    db["actions"].create_index(["account_id", "contact_id"])
    db["actions"].create_index(["broadcast_id", "to_number"])

    # One row per finished attempt: a CallRecord or a TextRecord.  responses: an
    # IVR call's answers, JSON [[question, response], ...].
    db["action_records"].create(
        {"id": int, "action_id": int, "account_id": int, "broadcast_id": int, "result": str,
         "originate_time": int, "answer_time": int, "finish_time": int, "duration": int,
         "billed_duration": int, "billed_amount": float, "message": str, "responses": str},
        pk="id", not_null={"action_id", "account_id", "broadcast_id", "result",
                           "originate_time", "finish_time", "duration", "billed_duration",
                           "billed_amount"},
        foreign_keys=[("action_id", "actions", "id")])
    db["action_records"].create_index(["action_id"])
    db["action_records"].create_index(["broadcast_id", "finish_time"])

    db["broadcast_schedules"].create(
        {"id": int, "account_id": int, "broadcast_id": int, "start_time": str,
         "stop_time": str, "time_zone": str, "begin_date": str, "end_date": str,
         "days": str},
        pk="id", not_null={"account_id", "broadcast_id", "start_time", "stop_time",
                           "time_zone", "days"},
        foreign_keys=[("account_id", "accounts", "id"), ("broadcast_id", "broadcasts", "id")])
    db["broadcast_schedules"].create_index(["broadcast_id", "id"])


def _v4_one_id_space(db: Database) -> None:
    # Every id handed out comes from one counter (store/ids.py), so no answer holds
    # two objects with one id.  Ids clients already hold stay as they are.  A
    # broadcast's config, which carried its broadcast's id, gets one of its own;
    # call and text records, whose ids met their calls' and texts' in one answer
    # (GetContactHistory) and are never asked for by id, move above every other id.
    db.execute("ALTER TABLE broadcasts ADD COLUMN config_id INTEGER")
    db.execute("UPDATE action_records SET id = id + ?", [ids.highest(db)])
    db.execute("UPDATE broadcasts SET config_id = id + ?", [ids.highest(db)])
    db.execute("CREATE TABLE id_space (last_id INTEGER NOT NULL)")
    db.execute("INSERT INTO id_space (last_id) VALUES (?)", [ids.highest(db)])


def _v5_default_broadcasts(db: Database) -> None:
    # The broadcast of each kind that SendText and SendCall with UseDefaultBroadcast
    # add their batches to, one per account and kind.
    db["default_broadcasts"].create(
        {"account_id": int, "type": str, "broadcast_id": int},
        pk=("account_id", "type"), not_null={"broadcast_id"},
        foreign_keys=[("account_id", "accounts", "id"), ("broadcast_id", "broadcasts", "id")])


def _v6_numbers_and_keywords(db: Database) -> None:
    # The numbers accounts own (store/numbers.py): one row per number, so no number
    # has two owners; a released number's row goes and the number is available
    # again.  active_at is the simulated instant its order finished (before it the
    # number is PENDING); configuration is its NumberConfiguration as JSON.
    db["numbers"].create(
        {"number": str, "account_id": int, "toll_free": int, "order_id": int,
         "active_at": int, "configuration": str},
        pk="number", not_null={"account_id", "toll_free", "active_at", "configuration"},
        foreign_keys=[("account_id", "accounts", "id")])
    db["numbers"].create_index(["account_id", "number"])
    # Keywords on the short code, one row per keyword: held by account_id, or
    # released by it at released_at (nobody may buy it again for a while).
    db["keywords"].create(
        {"keyword": str, "account_id": int, "short_code": str, "order_id": int,
         "active_at": int, "released_at": int},
        pk="keyword", not_null={"account_id", "short_code", "active_at"},
        foreign_keys=[("account_id", "accounts", "id")])
    db["keywords"].create_index(["account_id", "keyword"])


def _v7_inbound_and_auto_replies(db: Database) -> None:
    # Texts and calls outside any broadcast: inbound ones, and the texts auto-replies
    # send.  Their broadcast and batch are NULL, and they carry what a broadcast's
    # config gives the others (NULL: the broadcast's): type, from_number, message.
    # SQLite cannot drop NOT NULL in place: the tables are rebuilt, ids and indexes kept.
    for table, columns in (("actions", ("broadcast_id", "batch_id")),
                           ("action_records", ("broadcast_id",))):
        for statement in db[table].transform_sql(
                not_null={column: False for column in columns}):
            db.execute(statement)
    for column in ("type", "from_number", "message"):
        db.execute("ALTER TABLE actions ADD COLUMN %s TEXT" % column)
    db.execute("ALTER TABLE actions ADD COLUMN inbound INTEGER NOT NULL DEFAULT 0")
    # Routing an inbound text on a shared number: who last texted the sender from it.
    db["actions"].create_index(["to_number", "modified"])

    db["auto_replies"].create(
        {"id": int, "account_id": int, "number": str, "keyword": str, "match": str,
         "message": str},
        pk="id", not_null={"account_id", "number", "match", "message"},
        foreign_keys=[("account_id", "accounts", "id")])
    db["auto_replies"].create_index(["account_id", "number"])
    db["auto_replies"].create_index(["number"])


def _v8_number_orders(db: Database) -> None:
    # What an order asked for and got (store/orders.py): items is JSON, per kind
    # (local, toll_free, keywords) its count ordered and what it fulfilled;
    # outcome FINISHED or ERRORED, reached at finish_at.
    db["number_orders"].create(
        {"id": int, "account_id": int, "created": int, "finish_at": int, "outcome": str,
         "items": str},
        pk="id", not_null={"account_id", "created", "finish_at", "outcome", "items"},
        foreign_keys=[("account_id", "accounts", "id")])
    db["number_orders"].create_index(["account_id", "id"])


def _v9_labels(db: Database) -> None:
    # Labels by name, per account (store/labels.py), on broadcasts and on numbers.
    db["labels"].create({"id": int, "account_id": int, "name": str}, pk="id",
                        not_null={"account_id", "name"},
                        foreign_keys=[("account_id", "accounts", "id")])
    db["labels"].create_index(["account_id", "name"], unique=True)
    db.execute("""
        CREATE TABLE broadcast_labels (
            label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
            broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),
            account_id INTEGER NOT NULL,
            PRIMARY KEY (label_id, broadcast_id)
        ) WITHOUT ROWID""")
    db["broadcast_labels"].create_index(["broadcast_id"])
    db.execute("""
        CREATE TABLE number_labels (
            label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
            number TEXT NOT NULL REFERENCES numbers(number) ON DELETE CASCADE,
            account_id INTEGER NOT NULL,
            PRIMARY KEY (label_id, number)
        ) WITHOUT ROWID""")
    db["number_labels"].create_index(["number"])


def _v10_caller_ids(db: Database) -> None:
    # The latest verification call to each number of an account (store/caller_ids.py),
    # and the server's settings that every worker reads (whether FromNumbers must be
    # verified caller ids).
    db["caller_ids"].create(
        {"id": int, "account_id": int, "number": str, "code": str, "result": str,
         "called": int, "sent": int, "verified": int},
        pk="id", not_null={"account_id", "number", "code", "result", "called", "sent",
                           "verified"},
        foreign_keys=[("account_id", "accounts", "id")])
    db["caller_ids"].create_index(["account_id", "number"], unique=True)
    db["server_settings"].create({"name": str, "value": str}, pk="name", not_null={"value"})


def _v11_sounds_and_recordings(db: Database) -> None:
    # A sound's audio as it came (MP3 or WAV); digest finds the same audio uploaded
    # again.  status is what it is from ready_at on; before, it is PENDING (a
    # RecordingCall still on the line).  length in seconds, NULL without audio.
    db["sounds"].create(
        {"id": int, "account_id": int, "name": str, "status": str, "created": int,
         "ready_at": int, "data": bytes, "format": str, "length": int, "digest": str},
        pk="id", not_null={"account_id", "name", "status", "created", "ready_at"},
        foreign_keys=[("account_id", "accounts", "id")])
    db["sounds"].create_index(["account_id", "id"])
    db["sounds"].create_index(["account_id", "digest"])
    # One row per <record> of an answered IVR call attempt (record_id: its CallRecord).
    db["recordings"].create(
        {"id": int, "account_id": int, "action_id": int, "record_id": int, "name": str,
         "created": int, "length": int},
        pk="id", not_null={"account_id", "action_id", "record_id", "name", "created",
                           "length"},
        foreign_keys=[("account_id", "accounts", "id"), ("action_id", "actions", "id"),
                      ("record_id", "action_records", "id")])
    db["recordings"].create_index(["record_id"])
    db["recordings"].create_index(["action_id", "name"])


def _v12_subscriptions(db: Database) -> None:
    # SubscriptionService (store/subscriptions.py): the filter's fields are columns.
    db["subscriptions"].create(
        {"id": int, "account_id": int, "enabled": int, "endpoint": str, "format": str,
         "trigger_event": str, "broadcast_id": int, "batch_id": int, "from_number": str,
         "to_number": str, "inbound": int, "created": int},
        pk="id", not_null={"account_id", "enabled", "endpoint", "format", "trigger_event",
                           "created"},
        foreign_keys=[("account_id", "accounts", "id")])
    db["subscriptions"].create_index(["account_id", "trigger_event"])
    # The outbox (store/postbacks.py): written with the event, read by the deliverer.
    # subscription_id is not a foreign key: a notification outlives its subscription.
    # next_attempt, delivered and created are real (epoch) times; instant is simulated.
    db.execute("""
        CREATE TABLE postbacks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            subscription_id INTEGER NOT NULL,
            event TEXT NOT NULL,
            instant INTEGER NOT NULL,
            endpoint TEXT NOT NULL,
            format TEXT NOT NULL,
            content_type TEXT NOT NULL,
            body BLOB NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt REAL NOT NULL,
            last_error TEXT,
            delivered REAL,
            created REAL NOT NULL
        )""")
    db["postbacks"].create_index(["subscription_id", "status", "instant", "id"])
    db["postbacks"].create_index(["status"])
    # The deliverer looks for broadcasts with something due across all accounts.
    db["broadcasts"].create_index(["next_event"])


def _v13_postback_pages(db: Database) -> None:
    # The console pages an account's notifications, or one subscription's, newest first.
    db["postbacks"].create_index(["account_id", "id"])
    db["postbacks"].create_index(["subscription_id", "id"])


MIGRATIONS = [_v1_accounts_and_contacts, _v2_do_not_contact, _v3_broadcasts, _v4_one_id_space,
              _v5_default_broadcasts, _v6_numbers_and_keywords, _v7_inbound_and_auto_replies,
              _v8_number_orders, _v9_labels, _v10_caller_ids, _v11_sounds_and_recordings,
              _v12_subscriptions, _v13_postback_pages]


def migrate(db: Database, migrations: list | None = None) -> int:
    """Bring the database up to the latest schema of ``migrations`` (default: the
    API's, MIGRATIONS); returns the version reached."""
    migrations = MIGRATIONS if migrations is None else migrations
    conn = db.conn
    # Foreign keys are off while migrations run, as SQLite's procedure for rebuilding
    # a table wants (the pragma is a no-op inside a transaction), and checked at the end.
    enforced = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(migrations):
            raise UnusableDatabase("its schema version is %d, newer than this version of "
                                   "callfire-soap knows (%d)" % (version, len(migrations)))
        for number, step in enumerate(migrations[version:], start=version + 1):
            step(db)
            conn.execute("PRAGMA user_version = %d" % number)
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:
            raise UnusableDatabase("a migration broke a reference of table %s" % broken[0])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = %d" % enforced)
    return len(migrations)
