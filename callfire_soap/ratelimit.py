"""Refusing clients that keep failing to log in, so passwords cannot be guessed fast.

A client is its address (``REMOTE_ADDR``: behind a proxy, every client shares
the proxy's).  The count lives in the memory of one worker process, so with
``--workers N`` a client gets up to N times the allowance; a restart forgets it.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from typing import Callable

MAX_CLIENTS = 10_000  # addresses remembered at once; the oldest are forgotten first


class FailedLogins:
    """After ``limit`` failures within ``window`` seconds a client is refused until
    its oldest failure in the window is ``window`` seconds old."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        """Whole seconds until ``client`` may try again, or None if it may now."""
        if self.limit <= 0:
            return None
        with self._lock:
            failures = self._recent(client)
            if len(failures) < self.limit:
                return None
            return max(1, math.ceil(failures[0] + self.window - self._clock()))

    def failed(self, client: str) -> None:
        if self.limit <= 0:
            return
        with self._lock:
            failures = self._recent(client)
            failures.append(self._clock())
            while len(failures) > self.limit:
                failures.popleft()
            self._failures[client] = failures
            self._failures.move_to_end(client)
            while len(self._failures) > MAX_CLIENTS:
                self._failures.popitem(last=False)

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.get(client, deque())
        horizon = self._clock() - self.window
        while failures and failures[0] <= horizon:
            failures.popleft()
        return failures
