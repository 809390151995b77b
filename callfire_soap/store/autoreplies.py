"""Auto-replies: what an account answers, by itself, to inbound texts on a number.

An auto-reply is for one Number (a North American number or a short code).
With a Keyword it applies only to texts whose first word is that keyword;
its Match is text the message must contain (case-insensitive, anywhere), an
empty Match taking every text.  Of the auto-replies that apply to a text the
most specific answers it, alone: one with a keyword before one without, then
the longest Match, then the oldest.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import ids, phone
from .errors import InvalidRequest
from .pages import Page
from .records import Records


@dataclass
class AutoReply:
    id: int | None
    number: str
    keyword: str | None
    match: str
    message: str


def receiving_number(number: str | None, field: str = "Number") -> str:
    """``number`` as texts arrive at it, or BAD_REQUEST naming ``field``."""
    normalized = phone.normalize_receiving(number or "")
    if normalized is None:
        raise InvalidRequest("%s %r is neither a North American number nor a short code"
                             % (field, number), detail=field)
    return normalized


def first_word(message: str) -> str:
    """A text's keyword candidate: its first word, case-folded."""
    words = message.split(None, 1)
    return words[0].casefold() if words else ""


class AutoReplies(Records[AutoReply]):
    table, kind = "auto_replies", "AutoReply"
    select = "id, number, keyword, match, message"

    def record(self, row: dict) -> AutoReply:
        return AutoReply(**row)

    def create(self, reply: AutoReply) -> int:
        number = receiving_number(reply.number)
        keyword = reply.keyword.strip() if reply.keyword else None
        if keyword is not None and len(keyword.split()) != 1:
            raise InvalidRequest("Keyword %r is not one word" % reply.keyword,
                                 detail="Keyword")
        if not (reply.message or "").strip():
            raise InvalidRequest("Message is required: the text to answer with",
                                 detail="Message")
        return self.db["auto_replies"].insert({
            "id": ids.take(self.db), "account_id": self.account_id, "number": number,
            "keyword": keyword, "match": reply.match or "", "message": reply.message}).last_pk

    def query(self, number: str | None = None, first: int | None = None,
              limit: int | None = None) -> Page[AutoReply]:
        """The account's auto-replies, on ``number`` where given, in id order."""
        if number is None:
            return self.page(None, (), first, limit)
        return self.page("number = ?", [receiving_number(number)], first, limit)

    def delete(self, reply_id: int) -> None:
        self.require(reply_id)
        self.db.execute("DELETE FROM auto_replies WHERE id = ?", [reply_id])

    def answering(self, number: str, message: str) -> AutoReply | None:
        """The auto-reply that answers ``message`` texted to ``number``, if any."""
        keyword, folded = first_word(message), message.casefold()
        applying = [reply for reply in self.rows_where("number = ?", [number])
                    if (reply.keyword is None or reply.keyword.casefold() == keyword)
                    and reply.match.casefold() in folded]
        return min(applying, default=None,
                   key=lambda r: (r.keyword is None, -len(r.match), r.id))
