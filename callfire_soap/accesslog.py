"""The server's log: one line per request, and every other line in the same shape.

Every line starts with the same timestamp, ISO 8601 in UTC to the millisecond
(``2026-12-01T20:41:34.123Z``), then the level: the request lines written
here, ``serve``'s banner, the HTTP server's own lines and anything logged
through the logging module (``logging_config``).  ``--log-format json``
writes each line as one JSON object with the same fields.

A request line names the operation, the login (of an authenticated request
only: an unknown login may be a password typed in the wrong field), the HTTP
status, the FaultCode when there is one and the duration; never a password or
a body.  A fault is the client's answer, not the server's error: only a
failure of the server (FaultCode UNAVAILABLE, or a 5xx without a fault) is
logged as ERROR.

Through the logging module a line cost about 16 us, a fifth of a GetContact.
Request lines are formatted here and go to a buffer that a background thread flushes twice a second, and at exit.
"""
from __future__ import annotations

import atexit
import io
import json
import logging
import threading
import time
from functools import lru_cache
from typing import TextIO

FLUSH_INTERVAL = 0.5  # seconds
FORMATS = ("text", "json")


@lru_cache(maxsize=2)
def _whole_second(second: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))


def timestamp(seconds: float) -> str:
    """The one timestamp format of the log (its seconds part formatted once a second)."""
    return "%s.%03dZ" % (_whole_second(int(seconds)), int(seconds * 1000) % 1000)


def _level(status: str, fault: str | None) -> str:
    failed = fault == "UNAVAILABLE" or (fault is None and status.startswith("5"))
    return "ERROR" if failed else "INFO"


class AccessLog:
    def __init__(self, stream: TextIO | None = None, log_format: str = "text"):
        self._stream = stream or io.open(2, "w", buffering=1 << 16, encoding="utf-8",
                                         errors="replace", closefd=False)
        self._json = log_format == "json"
        self._lock = threading.Lock()
        threading.Thread(target=self._flush_forever, name="access-log", daemon=True).start()
        atexit.register(self.flush)

    def request(self, method: str, path: str, status: str, operation: str | None,
                login: str | None, fault: str | None, millis: float) -> None:
        stamp = timestamp(time.time())
        level = _level(status, fault)
        with self._lock:
            if self._json:
                self._stream.write(json.dumps({
                    "time": stamp, "level": level, "method": method, "path": path,
                    "status": int(status) if status.isdigit() else None,
                    "operation": operation, "login": login, "fault": fault,
                    "duration_ms": round(millis, 1)}, ensure_ascii=False) + "\n")
            else:
                self._stream.write("%s %s %s %s %s operation=%s login=%s fault=%s %.1fms\n" % (
                    stamp, level, method, path, status, operation or "-", login or "-",
                    fault or "-", millis))

    def flush(self) -> None:
        with self._lock:
            self._stream.flush()

    def _flush_forever(self) -> None:
        while True:
            time.sleep(FLUSH_INTERVAL)
            self.flush()


class LineFormatter(logging.Formatter):
    """Lines of the logging module (the banner, the HTTP server's, the store's) in
    the request lines' shape: timestamp, level, then the message."""

    def __init__(self, log_format: str = "text"):
        super().__init__()
        self._json = log_format == "json"

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        source = record.name.lstrip("_")  # granian's own logger is "_granian"
        error = self.formatException(record.exc_info) if record.exc_info else None
        if self._json:
            fields = {"time": timestamp(record.created), "level": record.levelname,
                      "logger": source, "message": message}
            if error:
                fields["exception"] = error
            return json.dumps(fields, ensure_ascii=False)
        line = "%s %s %s: %s" % (timestamp(record.created), record.levelname, source, message)
        return line + "\n" + error if error else line


def logging_config(log_format: str) -> dict:
    """The logging module's configuration for ``serve`` and its workers (granian
    applies it in each): every logger, granian's included, to standard error as
    LineFormatter lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": LineFormatter, "log_format": log_format}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line",
                                "stream": "ext://sys.stderr"}},
        "loggers": {"_granian": {"handlers": ["stderr"], "level": "INFO", "propagate": False}},
        "root": {"handlers": ["stderr"], "level": "INFO"},
    }
