"""Inbound texts and calls: one arrives, reaches an account, and what follows.

A text or call arrives at the simulation clock's now, from a person (the
``sim inbound-text`` / ``sim inbound-call`` commands) or a test suite (the
admin HTTP surface), and reaches the account ``store.inbound.route`` picks.
The sender becomes a contact of that account (an existing contact with the
number is reused) and the text or call is recorded as an inbound Text or
Call of that contact.  ``finished`` is where an inbound text or call has
reached its final result and everything that follows from it happens.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..store import Session, Store, outcomes
from ..store.actions import Action
from ..store.autoreplies import AutoReply, receiving_number
from ..store.errors import InvalidRequest, NotFound
from ..store.inbound import route
from ..store.phone import normalize
from ..store.subscriptions import Event

# What carriers and the CTIA's handbook take as an opt-out, the whole text in any
# letter case: it puts the sender on the account's Do Not Contact list for texts.
OPT_OUT_KEYWORDS = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT")


@dataclass
class Arrival:
    """What became of an inbound text or call."""
    account_id: int
    action_id: int                   # the inbound Text or Call
    opted_out: bool = False          # the sender is on Do Not Contact for texts now
    auto_reply_id: int | None = None
    reply_id: int | None = None      # the Text that answered it


def is_opt_out(message: str) -> bool:
    return "".join(message.split()).strip(".!").upper() in OPT_OUT_KEYWORDS


def _parties(to_number: str, from_number: str) -> tuple[str, str]:
    sender = normalize(from_number or "")
    if sender is None:
        raise InvalidRequest("from %r is not a valid North American phone number"
                             % from_number, detail="from")
    return receiving_number(to_number, "to"), sender


def receive_text(store: Store, to_number: str, from_number: str, message: str,
                 login: str | None = None) -> Arrival:
    """A text from ``from_number`` to ``to_number`` arrives; ``login`` names the account
    it reaches, else the routing rule picks it."""
    to_number, sender = _parties(to_number, from_number)
    with store.routed_session(lambda db, now: route(db, False, to_number, sender, message,
                                                    now, login)) as session:
        text_id = session.actions.add(
            "TEXT", True, sender, to_number, _contact(session, sender), message,
            session.sim_now, outcomes.inbound_text(message))
        return finished(session, session.actions.get(text_id))


def receive_call(store: Store, to_number: str, from_number: str,
                 login: str | None = None) -> Arrival:
    """A call from ``from_number`` to ``to_number`` arrives, as ``receive_text``."""
    to_number, caller = _parties(to_number, from_number)
    with store.routed_session(lambda db, now: route(db, True, to_number, caller, None, now,
                                                    login)) as session:
        kind, outcome = answer(session, to_number, caller)
        call_id = session.actions.add(kind, True, caller, to_number, _contact(session, caller),
                                      None, session.sim_now, outcome)
        return finished(session, session.actions.get(call_id))


def _contact(session: Session, number: str) -> int:
    return session.contacts.for_numbers([number])[number]


def answer(session: Session, to_number: str, caller: str) -> tuple[str, outcomes.Outcome]:
    """The kind of an inbound call to ``to_number`` and how it goes, as the number's
    configuration says when the account owns it, ACTIVE: an IVR number answers with
    its dialplan, walked as an IVR broadcast's callee walks it (an IVR call); a call
    tracking number transfers it to its first TransferNumber, which answers as a
    broadcast's callee would.  Otherwise it is answered at once, as long as a live
    answer to a broadcast."""
    try:
        owned = session.numbers.get(to_number)
    except NotFound:
        owned = None
    config = owned.configuration if owned and owned.status == "ACTIVE" else None
    if config is not None and config.inbound_type == "IVR":
        return "IVR", outcomes.inbound_call(config.dialplan)
    if config is not None and config.inbound_type == "TRACKING":
        return "VOICE", outcomes.call(config.transfer_numbers[0], 1)
    return "VOICE", outcomes.inbound_call()


def finished(session: Session, action: Action) -> Arrival:
    """An inbound text or call has reached its final result, recorded: what follows
    from it happens here.  An opt-out text puts the sender on Do Not Contact for
    texts; any other text is answered by the auto-reply that applies, if one does."""
    arrival = Arrival(session.account_id, action.id)
    session.notify(_finished_event(
        "INBOUND_CALL_FINISHED" if action.is_call else "INBOUND_TEXT_FINISHED", action))
    if action.is_call:
        return arrival
    if is_opt_out(action.message):
        session.dnc.update_number(action.from_number, call=None, text=True)
        arrival.opted_out = True
        return arrival
    reply = session.auto_replies.answering(action.to_number, action.message)
    if reply is not None:
        arrival.auto_reply_id = reply.id
        arrival.reply_id = _send_reply(session, action, reply)
    return arrival


def _finished_event(name: str, action: Action) -> Event:
    """A text or call outside any broadcast, at its final result (when it ends: a call
    lasts a while): what subscriptions hear of it; a keyword filter reads the message's
    first word.  Its notification waits for the simulation clock to get there."""
    return Event(name, action.modified, "action", action.id, from_number=action.from_number,
                 to_number=action.to_number, message=action.message)


def _send_reply(session: Session, text: Action, reply: AutoReply) -> int:
    """The auto-reply's message, texted back to the sender from the number texted:
    sent and billed as a broadcast's text is, or DNC when the sender opted out."""
    sender = text.from_number
    blocked = session.dnc.status([sender])[sender].text
    reply_id = session.actions.add(
        "TEXT", False, text.to_number, sender, text.contact_id, reply.message,
        session.sim_now,
        None if blocked else outcomes.text(sender, 1, reply.message, "SEND_MULTIPLE"))
    if not blocked:  # sent at once: its final result
        session.notify(_finished_event("OUTBOUND_TEXT_FINISHED",
                                       session.actions.get(reply_id)))
    return reply_id
