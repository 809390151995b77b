"""The two clocks: wall time, and the simulation clock broadcasts run on.

Wall time (``wall_time``) stamps what has nothing to do with broadcasts: when
a contact or a ContactList was created.  The simulation clock
(``SimulationClock``) is the time broadcasts, calls and texts happen in.

The simulation clock runs ``speed`` times faster than real time (``serve --sim-speed``), so a
broadcast whose calls take realistic minutes finishes in seconds; at speed 0
it stands still and only ``advance`` moves it, which is how tests and
migration scripts drive a broadcast step by step.  It lives in the database
(one row) so that every worker process, and a test beside the server, read
the same time.  Instants are whole seconds since the Unix epoch.
"""
from __future__ import annotations

import math
import time
from datetime import datetime, timezone
from typing import Callable

from sqlite_utils import Database

DEFAULT_SPEED = 600.0  # a 100-number broadcast at MaxActive 10 runs ~10 simulated minutes


def wall_time() -> str:
    """The real time now, UTC, to the second, as ISO 8601 text."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SimulationClock:
    def __init__(self, db: Callable[[], Database], real: Callable[[], float] = time.time):
        self._db = db
        self._real = real

    def now(self) -> int:
        """The simulated instant, in whole seconds."""
        real_anchor, sim_anchor, speed = self._row()
        return math.floor(sim_anchor + (self._real() - real_anchor) * speed)

    def speed(self) -> float:
        return self._row()[2]

    def start(self, speed: float) -> int:
        """Run at ``speed`` from now on.  A (re)started server continues from real time,
        or from the latest instant a broadcast was simulated to if that is later: the
        clock never goes back, and it does not race ahead while the server is down."""
        if speed < 0:
            raise ValueError("the simulation speed must not be negative")
        simulated = self._db().execute("SELECT max(sim_until) FROM broadcasts").fetchone()[0]
        start = max(math.floor(self._real()), simulated or 0)
        self._write(start, speed)
        return start

    def advance(self, seconds: int) -> int:
        """Move the clock forward by ``seconds``; returns the new instant."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        instant = self.now() + seconds
        self._write(instant, self.speed())
        return instant

    def _row(self) -> tuple[float, float, float]:
        row = self._db().execute("SELECT real_anchor, sim_anchor, speed FROM sim_clock "
                                 "WHERE id = 1").fetchone()
        if row is None:  # never started: real time
            real = self._real()
            return real, real, 1.0
        return row

    def _write(self, instant: int, speed: float) -> None:
        self._db().execute(
            "INSERT INTO sim_clock (id, real_anchor, sim_anchor, speed) VALUES (1, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET real_anchor = excluded.real_anchor, "
            "sim_anchor = excluded.sim_anchor, speed = excluded.speed",
            [self._real(), instant, speed])
