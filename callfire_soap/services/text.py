"""TextService: SendText, QueryTexts and GetText on the broadcast simulator;
the auto-replies are declared, not built yet (they answer NOT_IMPLEMENTED)."""
from __future__ import annotations

from ..domain import broadcasts
from ..soap.models import svc
from ..soap.operations import read, write
from ..store import Session
from ..store.broadcasts import Broadcast, BroadcastConfig
from .broadcast import action_to_soap, config_from_soap, instant, to_numbers_from_soap


def send_text(session: Session, request) -> int:
    config = config_from_soap(request) or BroadcastConfig(type="TEXT")
    return broadcasts.send(
        session, Broadcast(id=None, name=request.BroadcastName, type=request.Type,
                           config=config),
        to_numbers_from_soap(request.ToNumber), bool(request.ScrubBroadcastDuplicates),
        request.BroadcastId, bool(request.UseDefaultBroadcast))


def query_actions(session: Session, request, texts: bool):
    """QueryTexts (and QueryCalls): an ActionQuery, the matches' page and total."""
    return session.actions.query(
        texts, request.BroadcastId, request.BatchId, request.State, request.Result,
        request.Inbound, instant(request.IntervalBegin), instant(request.IntervalEnd),
        request.FromNumber, request.ToNumber, request.LabelName, request.FirstResult,
        request.MaxResults)


def query_texts(session: Session, request):
    page = query_actions(session, request, texts=True)
    return svc("TextQueryResult")(TotalResults=page.total,
                                  Text=[action_to_soap(a) for a in page.items])


def get_text(session: Session, request):
    return action_to_soap(session.actions.get_of_kind(True, request.Id))


OPERATIONS = {
    "SendText": write(send_text, request_id=True),
    "QueryTexts": read(query_texts, simulated=True),
    "GetText": read(get_text, simulated=True),
    "CreateAutoReply": write(request_id=True),
    "QueryAutoReplies": read(),
    "GetAutoReply": read(),
    "DeleteAutoReply": write(),
}
