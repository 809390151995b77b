"""The bounds a request must stay within, set by ``serve`` and read by each worker.

``serve`` runs its workers in other processes, so the settings travel to them
by environment variables, one per setting (``CALLFIRE_SOAP_MAX_BODY``...).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Mapping

ENV_PREFIX = "CALLFIRE_SOAP_"


@dataclass(frozen=True)
class Limits:
    # Room for a 100,000-row CSV import with many columns, base64-encoded.
    max_body: int = 64 * 1024 * 1024
    # The deepest request the schema allows is 7 elements deep, Envelope included.
    max_depth: int = 32
    # Elements and attributes: a CreateContactList of 100,000 Contact elements with
    # nine attributes each (larger imports come as a File).  ~250 MB parsed at most.
    max_nodes: int = 1_000_000
    # Failed logins from one address within auth_window seconds before it gets 429;
    # 0 turns the limit off.
    auth_failures: int = 20
    auth_window: int = 60

    def to_environment(self) -> dict[str, str]:
        return {ENV_PREFIX + name.upper(): str(value) for name, value in asdict(self).items()}

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> "Limits":
        return cls(**{f.name: int(environ[ENV_PREFIX + f.name.upper()]) for f in fields(cls)
                      if ENV_PREFIX + f.name.upper() in environ})
