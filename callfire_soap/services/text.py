"""TextService: SendText, QueryTexts and GetText on the broadcast simulator;
the auto-replies are declared, not built yet (they answer NOT_IMPLEMENTED)."""
from __future__ import annotations

from ..soap.models import svc
from ..soap.operations import read, write
from ..store import Session
from .broadcast import action_to_soap, query_actions, send_from_soap


def query_texts(session: Session, request):
    page = query_actions(session, request, texts=True)
    return svc("TextQueryResult")(TotalResults=page.total,
                                  Text=[action_to_soap(a) for a in page.items])


def get_text(session: Session, request):
    return action_to_soap(session.actions.get_of_kind(True, request.Id))


OPERATIONS = {
    "SendText": write(send_from_soap, request_id=True),
    "QueryTexts": read(query_texts, simulated=True),
    "GetText": read(get_text, simulated=True),
    "CreateAutoReply": write(request_id=True),
    "QueryAutoReplies": read(),
    "GetAutoReply": read(),
    "DeleteAutoReply": write(),
}
