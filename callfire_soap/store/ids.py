"""Ids in SQL: a list of ids as one parameter, however long the list."""
from __future__ import annotations

import json
from typing import Iterable


def id_json(ids: Iterable[int]) -> str:
    """Ids as one JSON parameter, for ``IN (SELECT value FROM json_each(?))``."""
    return json.dumps(list(ids))
