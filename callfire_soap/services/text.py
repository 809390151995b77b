"""TextService: SendText, QueryTexts and GetText on the broadcast simulator, and the
auto-replies that answer inbound texts (domain/inbound.py)."""
from __future__ import annotations

from ..domain import broadcasts
from ..soap.models import data, svc
from ..soap.operations import read, write
from ..store import Session
from ..store.autoreplies import AutoReply
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


def auto_reply_to_soap(reply: AutoReply):
    return data("AutoReply")(id=reply.id, Number=reply.number, Keyword=reply.keyword,
                             Match=reply.match, Message=reply.message)


def create_auto_reply(session: Session, request) -> int:
    reply = request.AutoReply
    return session.auto_replies.create(AutoReply(None, reply.Number, reply.Keyword,
                                                 reply.Match, reply.Message))


def query_auto_replies(session: Session, request):
    page = session.auto_replies.query(request.Number, request.FirstResult,
                                      request.MaxResults)
    return svc("AutoReplyQueryResult")(TotalResults=page.total,
                                       AutoReply=[auto_reply_to_soap(r) for r in page.items])


def get_auto_reply(session: Session, request):
    return auto_reply_to_soap(session.auto_replies.get(request.Id))


def delete_auto_reply(session: Session, request) -> None:
    session.auto_replies.delete(request.Id)


OPERATIONS = {
    "SendText": write(send_text, request_id=True),
    "QueryTexts": read(query_texts, simulated=True),
    "GetText": read(get_text, simulated=True),
    "CreateAutoReply": write(create_auto_reply, request_id=True),
    "QueryAutoReplies": read(query_auto_replies),
    "GetAutoReply": read(get_auto_reply),
    "DeleteAutoReply": write(delete_auto_reply),
}
