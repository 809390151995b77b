"""The deliverer: posts the outbox's notifications to their Endpoints, in the background.

One deliverer runs beside ``serve``'s main process, whatever ``--workers``
says (the workers only write the outbox): a process of its own (``run``),
forked before the HTTP server starts, so that the server's process has no
thread when it forks its workers (a fork copies no other thread, and one that
held a lock, SQLite's mutex among them, would leave it held in the worker
for ever).  It opens connections of its own, ends with the server, and by
itself if the server is gone.  Every ``POLL``
seconds it

1. brings forward the simulation of every account that has an enabled
   subscription and a broadcast with something due, so an event is raised at
   its simulated instant though no request comes in (the simulation is
   otherwise lazy: store/simulator.py); at ``--sim-speed 0`` that is when
   ``sim advance`` has moved the clock;
2. hands each subscription whose first PENDING notification is due (its
   simulated instant reached: an inbound call is written when it arrives and
   posted when it ends) to a lane
   (one thread of a small pool), which posts that subscription's notifications
   one after the other, in event order, and records the results.

A 2xx answer delivers a notification.  Any other answer, a refused connection
or a time-out is retried after ``backoff * 2**(attempts - 1)`` seconds, up to
``attempts`` attempts, then the notification is FAILED (``postbacks retry``
makes it PENDING again).  Requests go to the Endpoint only: redirects are not
followed and no proxy or netrc from the environment is used.  No transaction
is open while a request is out, so a slow or dead Endpoint holds up only its
own subscription's lane, never a SOAP call.
"""
from __future__ import annotations

import logging
import logging.config
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from . import __version__
from .store import Store
from .store.postbacks import Postback

log = logging.getLogger(__name__)

POLL = 0.05            # seconds between looks at the clock and the outbox
BATCH = 64             # notifications a lane posts before it records them
USER_AGENT = "CallFire-HTTP/1.0 (callfire-soap %s)" % __version__


@dataclass(frozen=True)
class Policy:
    """How hard a notification is tried (``serve --postback-*``)."""
    attempts: int = 8          # 1 + 2 + ... + 64 s: about two minutes of retries
    backoff: float = 1.0       # seconds before the first retry; doubled each time
    timeout: float = 5.0       # seconds for the connection, and again for the answer
    lanes: int = 8             # subscriptions delivered to at once

    def retry_at(self, attempts: int, now: float) -> float:
        return now + self.backoff * 2 ** (attempts - 1)


class Deliverer:
    def __init__(self, store: Store, policy: Policy = Policy()):
        self.store = store
        self.policy = policy
        self._busy: set[int] = set()     # subscriptions a lane is delivering to
        self._lock = threading.Lock()
        self._local = threading.local()  # one HTTP session (connection pool) per lane
        self._pool = ThreadPoolExecutor(policy.lanes, thread_name_prefix="postback")

    def run(self) -> None:
        """Tick until the process that started this one is gone."""
        parent = os.getppid()
        while os.getppid() == parent:
            try:
                self.tick()
            except Exception:  # the next tick tries again; the log says why
                log.exception("postback delivery failed")
            time.sleep(POLL)

    def tick(self) -> None:
        """Simulate what is due, then start a lane for each subscription with a due
        notification."""
        for account_id in self.store.due_accounts():
            self.store.catch_up(account_id)
        postbacks, now, sim_now = self.store.postbacks, time.time(), self.store.clock.now()
        for subscription_id in postbacks.pending_subscriptions():
            with self._lock:
                if subscription_id in self._busy:
                    continue
            head = postbacks.head(subscription_id, 1)
            if head and head[0].next_attempt <= now and head[0].instant <= sim_now:
                with self._lock:
                    self._busy.add(subscription_id)
                self._pool.submit(self._lane, subscription_id)

    def _lane(self, subscription_id: int) -> None:
        try:
            while self._deliver_batch(subscription_id):
                pass
        except Exception:
            log.exception("postback delivery to subscription %d failed", subscription_id)
        finally:
            with self._lock:
                self._busy.discard(subscription_id)

    def _deliver_batch(self, subscription_id: int) -> bool:
        """Post the subscription's next due notifications in order, up to the first that
        must wait for a retry; record the results.  True when more may be due."""
        delivered, failed = [], []
        batch = self.store.postbacks.head(subscription_id, BATCH)
        sim_now = self.store.clock.now()
        for postback in batch:
            now = time.time()
            if postback.next_attempt > now or postback.instant > sim_now:
                break
            error = self._post(postback)
            attempts = postback.attempts + 1
            if error is None:
                delivered.append((postback.id, attempts, time.time()))
                continue
            gave_up = attempts >= self.policy.attempts
            (log.warning if gave_up else log.info)(
                "postback %d to %s: %s (attempt %d of %d%s)", postback.id, postback.endpoint,
                error, attempts, self.policy.attempts, ", giving up" if gave_up else "")
            failed.append((postback.id, attempts, self.policy.retry_at(attempts, time.time()),
                           error, gave_up))
            if not gave_up:
                break  # the rest wait behind it: event order
        if delivered or failed:
            self.store.postbacks.record(delivered, failed)
        done = len(delivered) + len(failed)
        return done == len(batch) == BATCH and not (failed and not failed[-1][4])

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.trust_env = False  # no proxy, no netrc: only the Endpoint is contacted
            session.headers["User-Agent"] = USER_AGENT
        return session

    def _post(self, postback: Postback) -> str | None:
        """None when the Endpoint took the notification, else what went wrong."""
        try:
            answer = self._session().post(
                postback.endpoint, data=postback.body,
                headers={"Content-Type": postback.content_type}, allow_redirects=False,
                timeout=(self.policy.timeout, self.policy.timeout))
        except requests.RequestException as error:
            return "%s: %s" % (type(error).__name__, error)
        answer.content  # noqa: B018 - read to the end, so the connection is kept for reuse
        if 200 <= answer.status_code < 300:
            return None
        return "HTTP %d" % answer.status_code


def run(db_path: str, policy: Policy, logging_config: dict) -> None:
    """The deliverer's process: delivers until the server stops it or is gone."""
    from .services.notifications import render  # the renderer of the events it simulates

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the server's to handle
    logging.config.dictConfig(logging_config)
    Deliverer(Store(db_path, render=render), policy).run()
