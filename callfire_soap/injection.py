"""Fault and latency injection at the SOAP ports (the rules: ``store/injections.py``).

Once a request is read and its operation known, and before the operation runs,
the oldest rule matching the login, the operation and (if it has one) the
request's XPath answers it: a SOAP fault of its FaultCode, in the request's
SOAP version; an HTTP status with no SOAP body; or a connection closed with no
answer, each after the rule's delay.  The operation does not run, so nothing
is written.  A rule with only a delay holds the call, then lets it run.
"""
from __future__ import annotations

import time

from lxml import etree

from .soap import xpath
from .soap.faults import ServiceFault
from .store.injections import REFRESH, InjectionRules, Rule


class Injected(Exception):
    """A rule answers the call with an HTTP status, or by dropping the connection:
    something only the HTTP layer can do."""

    def __init__(self, rule: Rule):
        super().__init__(rule.action)
        self.rule = rule


class ConnectionDropped(Exception):
    """What a dropped connection's body raises, for the HTTP server to give up on it
    (granian logs it with its traceback: the log says the drop was deliberate)."""


class Injector:
    def __init__(self, rules: InjectionRules):
        self._rules = rules
        self._compiled: dict[str, etree.XPath] = {}
        self._read: tuple[float, list[Rule]] = (-REFRESH, [])  # when, what

    def __call__(self, operation: str, root: etree._Element, note: dict) -> None:
        """Follow the first rule that takes this call, if any (``note`` has the
        login, and gets what was injected)."""
        read_at, rules = self._read
        if time.monotonic() - read_at >= REFRESH:
            self._read = (time.monotonic(), self._rules.in_force())
            rules = self._read[1]
        login = note["login"]
        for rule in rules:
            if (rule.login is not None and rule.login != login) or \
                    (rule.operation is not None and rule.operation != operation):
                continue
            if rule.xpath is not None and not xpath.matches(self._xpath(rule.xpath), root):
                continue
            if not self._rules.take(rule.id):
                continue  # another worker took its last call
            note["injected"] = "rule %d: %s" % (rule.id, rule.action)
            if rule.delay:
                time.sleep(rule.delay)
            if rule.fault is not None:
                raise ServiceFault(rule.fault, "%s (injected by rule %d)" % (
                    FAULT_MESSAGES[rule.fault], rule.id))
            if rule.http_status is not None or rule.drop:
                raise Injected(rule)
            return

    def _xpath(self, text: str) -> etree.XPath:
        compiled = self._compiled.get(text)
        if compiled is None:
            compiled = self._compiled[text] = xpath.compile_xpath(text)
        return compiled


FAULT_MESSAGES = {
    "BAD_REQUEST": "the request was refused",
    "FORBIDDEN": "the account may not do this",
    "NOT_FOUND": "the resource was not found",
    "UNAVAILABLE": "the service is unavailable; the request was not applied",
    "TIMEOUT": "the request timed out; it was not applied",
    "NOT_IMPLEMENTED": "the operation is not implemented",
}
