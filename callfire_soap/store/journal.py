"""The request journal: every SOAP exchange, as it went over the wire.

Each exchange is kept in the admin file (``store/admin.py``): when, which
login and port, the operation and SOAP version, the request and the answer
byte for byte, the HTTP status, the FaultCode, the injection rule that answered
it if one did, and how long it took.  HTTP headers are not kept (so never an
Authorization header), and the content of any ``Password`` element (a
WS-Security UsernameToken some stacks add) is blanked before it is written.

The request path only appends the exchange to a queue in memory;
``JournalWriter``'s thread writes what has gathered in one transaction, up to
50 ms later, and drops the oldest exchanges beyond the bound
(``serve --journal-max``: a number of rows, or of bytes such as ``64MB``).
Reading goes straight to the file, so the command line sees what every worker
process wrote.
"""
from __future__ import annotations

import atexit
import logging
import marshal
import re
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Callable, Iterator

from sqlite_utils import Database

from .errors import InvalidRequest

# Seconds an exchange may wait, to be written with the next ones: the larger the
# batch, the less each exchange costs (one SQLite row per batch).
WRITE_DELAY = 0.05
DEFAULT_MAX = "64MB"
_UNITS = {"": 1, "B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}
_PASSWORD = re.compile(rb"(<(?:[\w.-]+:)?Password\b[^>]*>)[^<]*(</(?:[\w.-]+:)?Password\s*>)")

log = logging.getLogger(__name__)

COLUMNS = ("time", "login", "port", "operation", "soap_version", "http_status", "fault",
           "injected", "duration_ms", "request", "response")


@dataclass(frozen=True)
class Bound:
    """How much the journal keeps: ``rows`` rows, or ``size`` bytes of exchanges."""

    rows: int | None = None
    size: int | None = None

    def setting(self) -> str:
        """The bound as ``parse_bound`` reads it back."""
        return str(self.rows) if self.rows is not None else "%dB" % self.size


def parse_bound(text: str) -> Bound:
    """``10000`` (rows) or ``64MB`` (bytes; B, KB, MB, GB)."""
    match = re.fullmatch(r"\s*(\d+)\s*([KMG]?B?)\s*", text.upper())
    if match is None or int(match.group(1)) < 1:
        raise InvalidRequest("%r is not a number of rows (10000) or of bytes (64MB)" % text)
    number, unit = int(match.group(1)), match.group(2)
    return Bound(rows=number) if unit == "" else Bound(size=number * _UNITS[unit])


_AGO = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_since(text: str, now: float | None = None) -> float:
    """An instant, in epoch seconds: ISO 8601 (UTC unless it says otherwise), or a
    span before ``now``: ``90s``, ``15m``, ``2h``, ``1d``."""
    text = text.strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd])", text)
    if match:
        return (time.time() if now is None else now) - float(match.group(1)) * _AGO[match[2]]
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest("since %r is neither an ISO 8601 time nor a span such as 15m"
                             % text, "since") from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.timestamp()


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, as recorded."""

    id: int
    time: float          # seconds since the Unix epoch, when the request arrived
    login: str | None    # None until authenticated
    port: str            # contact, text, ...: the last segment of its address
    operation: str | None
    soap_version: str | None
    http_status: int | None   # None: the connection was dropped
    fault: str | None    # the FaultCode answered
    injected: str | None  # what an injection rule did, "rule 3: fault UNAVAILABLE"
    duration_ms: float
    request: bytes | None
    response: bytes | None

    @property
    def stamp(self) -> str:
        return datetime.fromtimestamp(self.time, timezone.utc).isoformat(
            timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class JournalQuery:
    """Which exchanges: every given field must match."""

    login: str | None = None
    operation: str | None = None
    port: str | None = None
    fault: str | bool | None = None   # True: any fault; a FaultCode: that one
    injected: bool | None = None
    since: float | None = None        # epoch seconds
    after_id: int | None = None
    before_id: int | None = None

    def accepts(self, entry: tuple) -> bool:
        """Whether a stored entry (COLUMNS order) matches."""
        time_, login, port, operation, _, _, fault, injected = entry[:8]
        return ((self.login is None or login == self.login)
                and (self.operation is None or operation == self.operation)
                and (self.port is None or port == self.port)
                and (self.fault is None or (fault is not None if self.fault is True
                                            else fault == self.fault))
                and (self.injected is None or (injected is not None) == self.injected)
                and (self.since is None or time_ >= self.since))


class Journal:
    """The journal of an admin file: read, cleared, written in batches.

    A batch is stored as one row, a *segment* (``marshal`` of its entries, whose
    ids run from ``first_id`` to ``last_id``): one row per exchange cost each
    GetContact about a tenth of its time in SQLite's row handling, a segment
    about a hundredth.  Reading unpacks segments newest first and filters them
    here.  Ids come from one counter, so they only grow, across workers and
    across a clear; what is visible runs from ``visible_from`` to the last id."""

    def __init__(self, db: Callable[[], Database]):
        self._db = db

    def exchanges(self, query: JournalQuery = JournalQuery(), xml: bool = True,
                  match: Callable[[bytes], bool] | None = None,
                  limit: int | None = None) -> list[Exchange]:
        """The matching exchanges, oldest first: the newest ``limit`` of them.
        ``match`` is a further test of the request's bytes; ``xml`` False leaves
        the bodies out."""
        found = []
        if limit == 0:
            return found
        for exchange in self._newest_first(query):
            if match is not None and not (exchange.request and match(exchange.request)):
                continue
            found.append(exchange if xml else replace(exchange, request=None, response=None))
            if limit is not None and len(found) >= limit:
                break
        return found[::-1]

    def count(self, query: JournalQuery = JournalQuery(),
              match: Callable[[bytes], bool] | None = None) -> int:
        return len(self.exchanges(query, xml=False, match=match))

    def get(self, exchange_id: int) -> Exchange | None:
        found = self.exchanges(JournalQuery(after_id=exchange_id - 1,
                                            before_id=exchange_id + 1))
        return found[0] if found else None

    def clear(self) -> int:
        """Forget every exchange; how many there were."""
        with self._writing() as db:
            removed = self._visible(db)
            db.execute("DELETE FROM journal_segments")
            db.execute("UPDATE journal_state SET visible_from = last_id + 1, exchanges = 0, "
                       "bytes = 0")
        return removed

    def stats(self) -> dict:
        """How many exchanges are visible, the bytes stored, the first and last id."""
        db = self._db()
        last, visible_from, size = db.execute(
            "SELECT last_id, visible_from, bytes FROM journal_state").fetchone()
        count = self._visible(db)
        return {"exchanges": count, "bytes": size,
                "first_id": visible_from if count else None, "last_id": last if count else None}

    @staticmethod
    def _visible(db: Database) -> int:
        last, visible_from = db.execute(
            "SELECT last_id, visible_from FROM journal_state").fetchone()
        return max(0, last - visible_from + 1)

    def _newest_first(self, query: JournalQuery) -> Iterator[Exchange]:
        db = self._db()
        (visible_from,) = db.execute("SELECT visible_from FROM journal_state").fetchone()
        low = max(visible_from, (query.after_id or 0) + 1)
        high = query.before_id - 1 if query.before_id is not None else None
        clauses, args = ["last_id >= ?"], [low]
        if high is not None:
            clauses.append("first_id <= ?")
            args.append(high)
        if query.since is not None:
            clauses.append("last_time >= ?")
            args.append(query.since)
        segments = db.execute(
            "SELECT first_id, data FROM journal_segments WHERE %s ORDER BY last_id DESC"
            % " AND ".join(clauses), args)
        for first_id, data in segments:
            entries = marshal.loads(data)
            for offset in range(len(entries) - 1, -1, -1):
                exchange_id = first_id + offset
                if exchange_id < low:
                    break
                if (high is None or exchange_id <= high) and query.accepts(entries[offset]):
                    yield Exchange(exchange_id, *entries[offset][:len(COLUMNS)])

    @contextmanager
    def _writing(self) -> Iterator[Database]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def write(self, batch: list[tuple], bound: Bound) -> None:
        """Append ``batch`` (tuples in COLUMNS order) as one segment, and drop the
        oldest exchanges beyond ``bound``, in one transaction; the newest segment
        always stays."""
        entries = [_redacted(entry) if entry[-2] and b"Password" in entry[-2] else entry
                   for entry in batch]
        size = sum(len(entry[-2] or b"") + len(entry[-1] or b"") for entry in entries)
        times = [entry[0] for entry in entries]
        with self._writing() as db:
            last, stored, stored_bytes = db.execute(
                "UPDATE journal_state SET last_id = last_id + ?, exchanges = exchanges + ?, "
                "bytes = bytes + ? RETURNING last_id, exchanges, bytes",
                [len(entries), len(entries), size]).fetchone()
            db.execute("INSERT INTO journal_segments (last_id, first_id, first_time, last_time, "
                       "exchanges, bytes, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [last, last - len(entries) + 1, min(times), max(times), len(entries),
                        size, marshal.dumps(entries)])
            if bound.rows is not None:
                if stored - bound.rows >= 1:  # a segment may have to go
                    self._trim(db, last, lambda kept, _, segment: kept - segment >= bound.rows)
                db.execute("UPDATE journal_state SET visible_from = max(visible_from, ?)",
                           [last - bound.rows + 1])
            elif stored_bytes > bound.size:
                self._trim(db, last, lambda _, kept_bytes, __: kept_bytes > bound.size)

    @staticmethod
    def _trim(db: Database, last: int, droppable: Callable[[int, int, int], bool]) -> None:
        """Drop the oldest segments while ``droppable`` says so, given the exchanges
        and bytes stored and the oldest segment's exchanges; never the newest."""
        kept, kept_bytes = db.execute("SELECT exchanges, bytes FROM journal_state").fetchone()
        dropped_through = None
        for last_id, exchanges, size in db.execute(
                "SELECT last_id, exchanges, bytes FROM journal_segments WHERE last_id < ? "
                "ORDER BY last_id", [last]):
            if not droppable(kept, kept_bytes, exchanges):
                break
            kept, kept_bytes, dropped_through = kept - exchanges, kept_bytes - size, last_id
        if dropped_through is not None:
            db.execute("DELETE FROM journal_segments WHERE last_id <= ?", [dropped_through])
            db.execute("UPDATE journal_state SET exchanges = ?, bytes = ?, "
                       "visible_from = max(visible_from, ?)",
                       [kept, kept_bytes, dropped_through + 1])


def _redacted(entry: tuple) -> tuple:
    """The entry with the content of its request's ``Password`` elements blanked."""
    return entry[:-2] + (_PASSWORD.sub(rb"\1***\2", entry[-2]), entry[-1])


class JournalWriter:
    """Exchanges recorded by the request path, written by a thread of their own."""

    def __init__(self, journal: Journal, bound: Bound, delay: float = WRITE_DELAY,
                 processes: int = 1):
        """``processes``: how many worker processes record into the same journal."""
        self.journal = journal
        self.bound = bound
        self._delay = delay
        self._others = processes > 1
        self._queue: deque[tuple] = deque()
        self._wake = threading.Event()
        self._lock = threading.Lock()  # one batch at a time, in order
        threading.Thread(target=self._write_forever, name="journal", daemon=True).start()
        atexit.register(self.flush)

    def record(self, *entry) -> None:
        """Queue one exchange (values in COLUMNS order); it is written shortly."""
        self._queue.append(entry)
        if not self._wake.is_set():
            self._wake.set()

    def flush(self) -> None:
        """Write everything queued so far, now."""
        with self._lock:
            batch = []
            while self._queue:
                batch.append(self._queue.popleft())
            if batch:
                self.journal.write(batch, self.bound)

    def settle(self) -> None:
        """Make every exchange answered before now readable: this process's are
        written at once; other workers' are waited for (their writers' delay, with
        room to spare)."""
        self.flush()
        if self._others:
            time.sleep(self._delay * 5)

    def _write_forever(self) -> None:
        while True:
            self._wake.wait()
            time.sleep(self._delay)  # let the exchanges of the next moments join
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # the journal must never take the server down
                log.exception("the journal could not be written")
