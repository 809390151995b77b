"""The request log: one line per request on standard error.

Through the logging module a line cost about 16 us, a fifth of a GetContact.
Lines are formatted here (the timestamp once a second) and go to a buffer that
a background thread flushes twice a second, and at exit.  Passwords never
reach it: a line holds the method, path, status, account id and duration.
"""
from __future__ import annotations

import atexit
import io
import threading
import time
from typing import TextIO

FLUSH_INTERVAL = 0.5  # seconds


class AccessLog:
    def __init__(self, stream: TextIO | None = None):
        self._stream = stream or io.open(2, "w", buffering=1 << 16, encoding="utf-8",
                                         errors="replace", closefd=False)
        self._lock = threading.Lock()
        self._second, self._stamp = -1, ""
        threading.Thread(target=self._flush_forever, name="access-log", daemon=True).start()
        atexit.register(self.flush)

    def request(self, method: str, path: str, status: str, account: object,
                millis: float) -> None:
        now = int(time.time())
        with self._lock:
            if now != self._second:
                self._second = now
                self._stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
            self._stream.write("%s %s %s %s account=%s %.1fms\n"
                               % (self._stamp, method, path, status, account, millis))

    def flush(self) -> None:
        with self._lock:
            self._stream.flush()

    def _flush_forever(self) -> None:
        while True:
            time.sleep(FLUSH_INTERVAL)
            self.flush()
