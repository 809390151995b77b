"""Caller ids: the numbers an account has shown it answers, to call from.

SendVerificationCodeToCallerId places a simulated verification call to the
number, which speaks a code; VerifyCallerId with that code verifies the
number.  The call goes as store/outcomes.py says a first attempt goes: answered
(LA, AM) it delivers the code; BUSY, NO_ANS or CARRIER_ERROR deliver none, and
the number cannot be verified until a later call is answered.  Each call speaks
a new code.

The code is a test card's, not a secret: it follows from the number and how
many codes the account had sent to it (the same requests give the same codes,
so a recorded exchange replays), and ``callfire-soap sim caller-id-code``
prints it.  Verification calls are not broadcasts: they are in no QueryCalls
answer and cost nothing.

Whether a call broadcast's FromNumber must be a verified caller id is one
setting of the whole server (``serve --require-verified-caller-id``), kept in
the database so that every worker reads it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlite_utils import Database

from . import outcomes, phone
from .errors import InvalidRequest, NotFound
from .pages import Page
from .records import Records

ANSWERED = ("LA", "AM")   # results of a verification call that delivered its code
REQUIRED_SETTING = "require_verified_caller_id"


@dataclass
class Verification:
    """The latest verification call to one number of an account."""
    number: str
    code: str
    result: str      # the call's result: the code was heard when it is in ANSWERED
    called: int      # when it was placed, on the simulation clock
    sent: int        # how many codes the account has sent to this number
    verified: bool


def verification_code(number: str, sent: int) -> str:
    """The six digits the ``sent``-th verification call to ``number`` speaks."""
    digest = hashlib.sha256(("%s:%d" % (number, sent)).encode()).digest()
    return "%06d" % (int.from_bytes(digest[:8], "big") % 10 ** 6)


def caller_id(number: str) -> str:
    """A caller id as 11 E.164 digits; BAD_REQUEST naming CallerId otherwise."""
    normalized = phone.normalize(number)
    if normalized is None:
        raise InvalidRequest("CallerId %r is not an 11-digit North American number" % number,
                             detail="CallerId")
    return normalized


def set_required(db: Database, required: bool) -> None:
    """Whether call broadcasts must come from a verified caller id, server-wide."""
    db["server_settings"].upsert({"name": REQUIRED_SETTING, "value": str(int(required))},
                                 pk="name")


class CallerIds(Records[Verification]):
    table, kind = "caller_ids", "CallerId"
    select = "number, code, result, called, sent, verified"
    order_by = "number"

    def record(self, row: dict) -> Verification:
        return Verification(**dict(row, verified=bool(row["verified"])))

    def send_code(self, number: str, now: int) -> int:
        """A verification call to ``number`` with a new code; answers the row's id."""
        number = caller_id(number)
        found = self.rows_where("number = ?", [number], limit=1)
        sent = found[0].sent + 1 if found else 1
        (row_id,) = self.db.execute(
            "INSERT INTO caller_ids (account_id, number, code, result, called, sent, verified) "
            "VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT (account_id, number) DO UPDATE SET "
            "code = excluded.code, result = excluded.result, called = excluded.called, "
            "sent = excluded.sent RETURNING id",
            [self.account_id, number, verification_code(number, sent),
             outcomes.call(number, 1).result, now, sent]).fetchone()
        return row_id

    def verify(self, number: str, code: str) -> bool:
        """Whether ``code`` is the one the latest answered verification call spoke (or
        the number was verified before); a right code verifies the number."""
        number = caller_id(number)
        found = self.rows_where("number = ?", [number], limit=1)
        if not found:
            return False
        verification = found[0]
        if verification.result in ANSWERED and code.strip() == verification.code:
            self.db.execute("UPDATE caller_ids SET verified = 1 WHERE account_id = ? AND "
                            "number = ?", [self.account_id, number])
            return True
        return verification.verified

    def latest(self, number: str) -> Verification:
        """The latest verification call to ``number``: NOT_FOUND when none was made."""
        number = caller_id(number)
        found = self.rows_where("number = ?", [number], limit=1)
        if not found:
            raise NotFound("verification call to", number)
        return found[0]

    def verified(self, first: int | None = None, limit: int | None = None) -> Page[str]:
        """The account's verified caller ids, in number order."""
        page = self.page("verified = 1", [], first, limit)
        return Page(page.total, [v.number for v in page.items])

    def check_from_number(self, number: str | None) -> None:
        """BAD_REQUEST naming FromNumber when the server requires verified caller ids
        and ``number`` (a normalised FromNumber) is not one of the account's.  The
        server's own default caller id (no FromNumber) is always allowed."""
        if number is None or not self._required():
            return
        if not self.db.execute("SELECT 1 FROM caller_ids WHERE account_id = ? AND "
                               "number = ? AND verified = 1",
                               [self.account_id, number]).fetchone():
            raise InvalidRequest("FromNumber %s is not a verified caller id of the account "
                                 "(SendVerificationCodeToCallerId, then VerifyCallerId)"
                                 % number, detail="FromNumber")

    def _required(self) -> bool:
        row = self.db.execute("SELECT value FROM server_settings WHERE name = ?",
                              [REQUIRED_SETTING]).fetchone()
        return row is not None and row[0] == "1"
