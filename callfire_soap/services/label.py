"""LabelService: labels on broadcasts and numbers, by name."""
from __future__ import annotations

from ..soap.models import data, svc
from ..soap.operations import read, write
from ..store import Session


def delete_label(session: Session, request) -> None:
    session.labels.delete(request.LabelName)


def query_labels(session: Session, request):
    page = session.labels.query(request.FirstResult, request.MaxResults)
    return svc("LabelQueryResult")(TotalResults=page.total,
                                   Label=[data("Label")(Name=name) for name in page.items])


def label_broadcast(session: Session, request) -> None:
    session.labels.label_broadcast(request.Id, request.LabelName)


def unlabel_broadcast(session: Session, request) -> None:
    session.labels.unlabel_broadcast(request.Id, request.LabelName)


def label_number(session: Session, request) -> None:
    session.labels.label_number(request.Number, request.LabelName)


def unlabel_number(session: Session, request) -> None:
    session.labels.unlabel_number(request.Number, request.LabelName)


OPERATIONS = {
    "DeleteLabel": write(delete_label),
    "QueryLabels": read(query_labels),
    "LabelBroadcast": write(label_broadcast),
    "UnlabelBroadcast": write(unlabel_broadcast),
    "LabelNumber": write(label_number),
    "UnlabelNumber": write(unlabel_number),
}
