"""Injection rules: what the server answers instead of running an operation.

A rule matches the calls of one login (or any) to one operation (or any), and
optionally only requests an XPath expression matches (checked by the SOAP
layer: the store keeps the text).  It answers a FaultCode, an HTTP status, or
drops the connection, after an optional delay; a rule with only a delay lets
the operation run late.  It holds for the next ``times`` matching calls, or
until removed.  Rules live in the admin file, so every worker process follows
the same ones (reading them again every ``REFRESH`` seconds), and taking one of
a rule's calls is one atomic update: two workers never both take the last.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from sqlite_utils import Database

from .clock import wall_time
from .errors import InvalidRequest, NotFound

# Seconds a worker may follow the rules it last read: reading them on every call
# cost a GetContact several percent.  ``add`` returns only once that has passed,
# so a rule is in force everywhere when the call that adds it returns; a removed
# or spent rule is never followed, as ``take`` refuses it.
REFRESH = 0.05

FAULT_CODES = ("BAD_REQUEST", "FORBIDDEN", "NOT_FOUND", "UNAVAILABLE", "TIMEOUT",
               "NOT_IMPLEMENTED")
MAX_DELAY = 600.0  # seconds


@dataclass(frozen=True)
class Rule:
    id: int | None
    login: str | None = None        # None: every login
    operation: str | None = None    # None: every operation
    xpath: str | None = None        # None: every request
    fault: str | None = None        # a FaultCode to answer
    http_status: int | None = None  # or an HTTP status, with no SOAP body
    drop: bool = False              # or the connection closed, unanswered
    delay: float = 0.0              # seconds before the answer (or the operation)
    times: int | None = None        # None: until removed
    used: int = 0                   # calls it has answered
    created: str = ""

    @property
    def remaining(self) -> int | None:
        return None if self.times is None else self.times - self.used

    @property
    def action(self) -> str:
        """What the rule does, in a few words: ``fault UNAVAILABLE``, ``status 503``,
        ``drop``, ``delay 2s``, combined."""
        parts = ["fault %s" % self.fault] if self.fault else \
            ["status %d" % self.http_status] if self.http_status else \
            ["drop"] if self.drop else []
        if self.delay:
            parts.insert(0, "delay %gs" % self.delay)
        return ", then ".join(parts)

    def as_dict(self) -> dict:
        return dict(asdict(self), remaining=self.remaining, action=self.action)


def check(rule: Rule) -> None:
    """A rule that can be followed, or InvalidRequest naming the field."""
    answers = [rule.fault is not None, rule.http_status is not None, bool(rule.drop)]
    if sum(answers) > 1:
        raise InvalidRequest("a rule answers one of fault, http_status or drop", "fault")
    if not any(answers) and not rule.delay:
        raise InvalidRequest("a rule needs a fault, an http_status, drop or a delay", "fault")
    if rule.fault is not None and rule.fault not in FAULT_CODES:
        raise InvalidRequest("fault %r is not a FaultCode (%s)" % (rule.fault,
                                                                  ", ".join(FAULT_CODES)),
                             "fault")
    if rule.http_status is not None and not 400 <= rule.http_status <= 599:
        raise InvalidRequest("http_status %r is not an error status (400 to 599)"
                             % rule.http_status, "http_status")
    if not 0 <= rule.delay <= MAX_DELAY:
        raise InvalidRequest("delay must be 0 to %g seconds, got %r" % (MAX_DELAY, rule.delay),
                             "delay")
    if rule.times is not None and rule.times < 1:
        raise InvalidRequest("times must be 1 or more (or absent: until removed)", "times")


_COLUMNS = ("id", "login", "operation", "xpath", "fault", "http_status", "drop_connection",
            "delay", "times", "used", "created")


def _rule(row) -> Rule:
    values = dict(zip(_COLUMNS, row))
    values["drop"] = bool(values.pop("drop_connection"))
    return Rule(**values)


class InjectionRules:
    def __init__(self, db):
        self._db = db  # the admin file's connection of this thread

    def add(self, rule: Rule) -> Rule:
        check(rule)
        db: Database = self._db()
        rule_id = db["injection_rules"].insert({
            "login": rule.login, "operation": rule.operation, "xpath": rule.xpath,
            "fault": rule.fault, "http_status": rule.http_status,
            "drop_connection": int(rule.drop), "delay": float(rule.delay),
            "times": rule.times, "used": 0, "created": wall_time()}).last_pk
        time.sleep(REFRESH)  # every worker has read the rules again since
        return self.get(rule_id)

    def get(self, rule_id: int) -> Rule:
        row = self._db().execute("SELECT %s FROM injection_rules WHERE id = ?"
                                 % ", ".join(_COLUMNS), [rule_id]).fetchone()
        if row is None:
            raise NotFound("injection rule", rule_id)
        return _rule(row)

    def all(self) -> list[Rule]:
        """Every rule, spent ones included, oldest first."""
        return [_rule(row) for row in self._db().execute(
            "SELECT %s FROM injection_rules ORDER BY id" % ", ".join(_COLUMNS))]

    def remove(self, rule_id: int) -> None:
        if not self._db().execute("DELETE FROM injection_rules WHERE id = ?",
                                  [rule_id]).rowcount:
            raise NotFound("injection rule", rule_id)

    def clear(self) -> int:
        return self._db().execute("DELETE FROM injection_rules").rowcount

    def in_force(self) -> list[Rule]:
        """The rules not spent, oldest first."""
        return [_rule(row) for row in self._db().execute(
            "SELECT %s FROM injection_rules WHERE times IS NULL OR used < times ORDER BY id"
            % ", ".join(_COLUMNS))]

    def take(self, rule_id: int) -> bool:
        """Count one call against the rule; False when another took its last one."""
        return bool(self._db().execute(
            "UPDATE injection_rules SET used = used + 1 WHERE id = ? AND "
            "(times IS NULL OR used < times)", [rule_id]).rowcount)
