"""The SQLite schema, as numbered migrations.

``PRAGMA user_version`` records how many have run; each runs once, in its own
transaction, when the server opens the database.  Add new migrations at the
end; never edit one that has shipped.
"""
from sqlite_utils import Database


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


MIGRATIONS = [_v1_accounts_and_contacts, _v2_do_not_contact]


def migrate(db: Database) -> int:
    """Bring the database up to the latest schema; returns the version reached."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            step(db)
            conn.execute("PRAGMA user_version = %d" % number)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(MIGRATIONS)
