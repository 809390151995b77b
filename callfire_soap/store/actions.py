"""Actions as clients read them: calls and texts with their records, a
contact's history, and a broadcast's statistics."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Sequence

from . import ids
from .errors import NotFound
from .labels import broadcast_labels, labelled, labelled_number
from .outcomes import Outcome
from .pages import Page
from .records import Records
from .sounds import Recording, Recordings
from .timezones import zone_of

DEFAULT_CALLER_ID = "18005550100"   # a call broadcast without FromNumber calls from this
DEFAULT_SHORT_CODE = "67076"         # a text broadcast without FromNumber texts from this
SKIPPED = ("DNC", "DUP", "INVALID")  # states of actions that are never attempted
# An action's type, and the number it comes from (given the default as a parameter):
# its broadcast's, or its own when it is outside a broadcast (inbound, an auto-reply).
TYPE_SQL = ("coalesce(actions.type, (SELECT type FROM broadcasts b "
            "WHERE b.id = actions.broadcast_id))")
FROM_SQL = ("coalesce(actions.from_number, (SELECT json_extract(config, '$.from_number') "
            "FROM broadcasts b WHERE b.id = actions.broadcast_id), ?)")
# texts ("=") or calls ("<>")
_OF_KIND = TYPE_SQL + " %s 'TEXT'"


@dataclass
class ActionRecord:
    """One attempt: a CallRecord (calls) or a TextRecord (texts)."""
    id: int
    result: str
    originate_time: int
    answer_time: int | None
    finish_time: int
    duration: int
    billed_amount: float
    message: str | None
    responses: list[tuple[str, str]] = field(default_factory=list)  # IVR answers
    recordings: list[Recording] = field(default_factory=list)      # IVR records


@dataclass
class Action:
    id: int
    is_call: bool
    from_number: str
    to_number: str
    to_attributes: dict[str, str]
    state: str
    batch_id: int
    broadcast_id: int
    contact_id: int
    created: int
    modified: int
    final_result: str | None
    message: str | None
    records: list[ActionRecord] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)   # its broadcast's
    inbound: bool = False


@dataclass
class ResultStat:
    result: str
    attempts: int
    actions: int


@dataclass
class BroadcastStats:
    duration: int
    billed_duration: int
    billed_amount: float
    attempts: int
    actions: int
    results: list[ResultStat]
    unattempted: int
    retry_wait: int
    finished: int


@dataclass
class Timeline:
    """A broadcast's attempts over simulated time: at each instant, how many had
    ended with each result so far."""
    instants: list[int]
    results: dict[str, list[int]]   # result -> running count at each instant


class Actions(Records[Action]):
    table, kind = "actions", "Action"
    select = ("id, " + TYPE_SQL + " AS type, "
              "(SELECT config FROM broadcasts b WHERE b.id = actions.broadcast_id) AS config, "
              "to_number, to_attributes, state, batch_id, broadcast_id, contact_id, created, "
              "modified, final_result, from_number, message, inbound")

    def history(self, contact_id: int, first: int | None = None,
                limit: int | None = None) -> Page[Action]:
        """The contact's calls and texts, oldest first."""
        return self.page("contact_id = ?", [contact_id], first, limit)

    def query(self, texts: bool, broadcast_id: int | None = None,
              batch_id: int | None = None, states: Sequence[str] | None = None,
              results: Sequence[str] | None = None, inbound: bool | None = None,
              begin: int | None = None, end: int | None = None,
              from_number: str | None = None, to_number: str | None = None,
              label: str | None = None, first: int | None = None,
              limit: int | None = None) -> Page[Action]:
        """The account's texts (or calls) an ActionQuery selects, in id order, created
        in [begin, end), inbound or outbound as ``inbound`` says, with ``label`` on its
        broadcast (an inbound one: on the number it came to)."""
        where, params = [_OF_KIND % ("=" if texts else "<>")], []
        for clause, value in (("broadcast_id = ?", broadcast_id), ("batch_id = ?", batch_id),
                              ("created >= ?", begin), ("created < ?", end),
                              ("to_number = ?", to_number)):
            if value is not None:
                where.append(clause)
                params.append(value)
        for column, values in (("state", states), ("final_result", results)):
            if values:
                where.append("%s IN (SELECT value FROM json_each(?))" % column)
                params.append(json.dumps(list(values)))
        if from_number is not None:
            where.append(FROM_SQL + " = ?")
            params += [DEFAULT_SHORT_CODE if texts else DEFAULT_CALLER_ID, from_number]
        if inbound is not None:
            where.append("inbound = ?")
            params.append(inbound)
        if label is not None:
            where.append("(%s OR (inbound AND %s))" % (labelled("broadcast_id"),
                                                      labelled_number("to_number")))
            params += [self.account_id, label, self.account_id, label]
        return self.page(" AND ".join(where), params, first, limit)

    def add(self, type: str, inbound: bool, from_number: str, to_number: str,
            contact_id: int, message: str | None, now: int, outcome: Outcome | None) -> int:
        """A text or call outside any broadcast (an inbound one, an auto-reply), over as
        it is made: FINISHED with the one record ``outcome`` gives, or DNC without an
        attempt when ``outcome`` is None.  ``type`` is TEXT, VOICE or IVR; ``message``
        a text's."""
        action_id = ids.take(self.db)
        party = from_number if inbound else to_number
        end = now if outcome is None else now + outcome.length
        self.db["actions"].insert({
            "id": action_id, "account_id": self.account_id, "contact_id": contact_id,
            "numbers": json.dumps([party]), "to_number": to_number, "zone": zone_of(party),
            "state": "DNC" if outcome is None else "FINISHED", "held": 0,
            "attempts": 0 if outcome is None else 1, "ready_at": now, "started_at": now,
            "final_result": None if outcome is None else outcome.result, "created": now,
            "modified": end, "type": type, "from_number": from_number,
            "message": message, "inbound": inbound})
        if outcome is not None:
            self.db["action_records"].insert({
                "id": ids.take(self.db), "action_id": action_id,
                "account_id": self.account_id, "result": outcome.result,
                "originate_time": now, "finish_time": end, "duration": outcome.duration,
                "answer_time": None if outcome.answered_after is None
                else now + outcome.answered_after,
                "billed_duration": outcome.billed_duration,
                "billed_amount": outcome.billed_amount, "message": outcome.message,
                "responses": json.dumps(outcome.responses) if outcome.responses else None})
        return action_id

    def get_of_kind(self, texts: bool, ident: int) -> Action:
        """One text (or call): NOT_FOUND for an id of anything else."""
        found = self.rows_where(_OF_KIND % ("=" if texts else "<>") + " AND id = ?",
                                [ident], limit=1)
        if not found:
            raise NotFound("Text" if texts else "Call", ident)
        return found[0]

    def record(self, row: dict) -> Action:
        # An action outside a broadcast (inbound, an auto-reply) carries its own.
        config = json.loads(row["config"] or '{"from_number": null, "settings": {}}')
        is_call = row["type"] != "TEXT"
        return Action(
            row["id"], is_call,
            row["from_number"] or config["from_number"]
            or (DEFAULT_CALLER_ID if is_call else DEFAULT_SHORT_CODE),
            row["to_number"], json.loads(row["to_attributes"] or "{}"), row["state"],
            row["batch_id"], row["broadcast_id"], row["contact_id"], row["created"],
            row["modified"], row["final_result"],
            None if is_call else row["message"] or config["settings"].get("Message"),
            inbound=bool(row["inbound"]))

    def rows_where(self, *args, **kwargs) -> list[Action]:
        """The actions, each with its records."""
        actions = {action.id: action for action in super().rows_where(*args, **kwargs)}
        records = {}
        for row in self.db.execute(
                "SELECT action_id, id, result, originate_time, answer_time, finish_time, "
                "duration, billed_amount, message, responses FROM action_records WHERE "
                "action_id IN (SELECT value FROM json_each(?)) ORDER BY id",
                [json.dumps(list(actions))]):
            record = records[row[1]] = ActionRecord(
                *row[1:-1], [tuple(r) for r in json.loads(row[-1] or "[]")])
            actions[row[0]].records.append(record)
        for record_id, recordings in Recordings(self.db, self.account_id).of_records(
                records).items():
            records[record_id].recordings = recordings
        labels = broadcast_labels(self.db, {a.broadcast_id for a in actions.values()})
        for action in actions.values():
            action.labels = labels.get(action.broadcast_id, [])
        return list(actions.values())

    def stats(self, broadcast_id: int, begin: int | None = None,
              end: int | None = None) -> BroadcastStats:
        """Usage and results of the attempts that finished in [begin, end); the
        action counts are the broadcast's state now."""
        where, params = "broadcast_id = ?", [broadcast_id]
        if begin is not None:
            where += " AND finish_time >= ?"
            params.append(begin)
        if end is not None:
            where += " AND finish_time < ?"
            params.append(end)
        duration, billed_duration, billed_amount, attempts, actions = self.db.execute(
            "SELECT total(duration), total(billed_duration), total(billed_amount), count(*), "
            "count(DISTINCT action_id) FROM action_records WHERE " + where, params).fetchone()
        # an action counts for its final result when its last attempt is in the interval
        finals = dict(self.db.execute(
            "SELECT a.final_result, count(*) FROM actions a WHERE a.broadcast_id = ? "
            "AND a.final_result IS NOT NULL AND (SELECT max(finish_time) FROM action_records "
            "r WHERE r.action_id = a.id) BETWEEN ? AND ? GROUP BY a.final_result",
            [broadcast_id, -1 if begin is None else begin,
             2 ** 62 if end is None else end - 1]))
        per_result = dict(self.db.execute(
            "SELECT result, count(*) FROM action_records WHERE %s GROUP BY result" % where,
            params))
        states = dict(self.db.execute(
            "SELECT CASE WHEN state = 'READY' AND attempts = 0 THEN 'unattempted' "
            "WHEN state = 'READY' THEN 'retry_wait' WHEN state = 'SELECTED' THEN 'active' "
            "ELSE 'finished' END, count(*) FROM actions WHERE broadcast_id = ? GROUP BY 1",
            [broadcast_id]))
        return BroadcastStats(
            int(duration), int(billed_duration), round(billed_amount, 2), attempts, actions,
            [ResultStat(result, per_result.get(result, 0), finals.get(result, 0))
             for result in sorted(set(per_result) | set(finals))],
            states.get("unattempted", 0), states.get("retry_wait", 0),
            states.get("finished", 0))

    def timeline(self, broadcast_id: int, points: int = 30) -> Timeline:
        """The broadcast's attempts by result, counted at ``points`` evenly spaced
        instants from its first attempt's end to its last's (one index range)."""
        first, last = self.db.execute(
            "SELECT min(finish_time), max(finish_time) FROM action_records "
            "WHERE broadcast_id = ?", [broadcast_id]).fetchone()
        if first is None:
            return Timeline([], {})
        step = max(1, -(-(last - first) // (points - 1)))
        instants = [first + step * i for i in range((last - first) // step + 2)]
        results: dict[str, list[int]] = {}
        for bucket, result, count in self.db.execute(
                "SELECT (finish_time - ? + ? - 1) / ?, result, count(*) FROM action_records "
                "WHERE broadcast_id = ? GROUP BY 1, 2", [first, step, step, broadcast_id]):
            results.setdefault(result, [0] * len(instants))[bucket] += count
        for counts in results.values():
            for i in range(1, len(counts)):
                counts[i] += counts[i - 1]
        return Timeline(instants, dict(sorted(results.items())))
