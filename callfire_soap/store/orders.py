"""Number orders: numbers and keywords bought, NEW -> PROCESSING -> FINISHED in
simulated time.

An order is decided when it is made: if everything it asks for is for sale and
nobody's (numbers named, keywords, and enough numbers for its bulk counts), the
account owns all of it from that instant (so no other order can take it) and it
becomes ACTIVE when the order finishes; otherwise nothing is bought and the
order ends ERRORED.  Either way it is NEW for ``NEW_SECONDS``, then PROCESSING
until ``FINISH_SECONDS`` after it was made.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from . import ids, market
from .dnc import normalize as normalize_numbers
from .errors import InvalidRequest
from .market import RegionFilter
from .numbers import Keywords, Numbers, is_toll_free, keyword_key
from .records import Records

NEW_SECONDS = 5
FINISH_SECONDS = 60
UNIT_COST = {"local": 1.00, "toll_free": 2.00, "keywords": 25.00}  # a month's lease
KINDS = tuple(UNIT_COST)


@dataclass
class OrderItem:
    ordered: int
    unit_cost: float
    fulfilled: list[str] = field(default_factory=list)


@dataclass
class NumberOrder:
    id: int
    status: str
    created: int
    total_cost: float
    items: dict[str, OrderItem]   # by kind, only the kinds ordered


@dataclass
class OrderRequest:
    numbers: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    bulk_local: int | None = None
    bulk_local_region: RegionFilter = field(default_factory=RegionFilter)
    bulk_toll_free: int | None = None


class NumberOrders(Records[NumberOrder]):
    table, kind = "number_orders", "NumberOrder"
    select = "id, created, finish_at, outcome, items"

    def __init__(self, db, account_id: int, now, numbers: Numbers, keywords: Keywords):
        super().__init__(db, account_id)
        self._now = now
        self._numbers = numbers
        self._keywords = keywords

    def record(self, row: dict) -> NumberOrder:
        now = self._now()
        done = now >= row["finish_at"]
        status = (row["outcome"] if done else
                  "NEW" if now < row["created"] + NEW_SECONDS else "PROCESSING")
        items = {kind: OrderItem(item["ordered"], UNIT_COST[kind],
                                 item["fulfilled"] if status == "FINISHED" else [])
                 for kind, item in json.loads(row["items"]).items()}
        total = 0.0 if status == "ERRORED" else sum(
            item.ordered * item.unit_cost for item in items.values())
        return NumberOrder(row["id"], status, row["created"], round(total, 2), items)

    def create(self, request: OrderRequest) -> int:
        """Make the order; returns its id."""
        numbers = normalize_numbers(request.numbers)  # an invalid one is BAD_REQUEST
        keywords = list(dict.fromkeys(keyword_key(k) for k in request.keywords))
        bulk_local = request.bulk_local and market.check_count(request.bulk_local)
        bulk_toll_free = request.bulk_toll_free and market.check_count(request.bulk_toll_free)
        if not (numbers or keywords or bulk_local or bulk_toll_free):
            raise InvalidRequest("the order asks for nothing: Numbers, Keywords, BulkLocal "
                                 "or BulkTollFree", detail="Numbers")
        now = self._now()
        free = all(market.for_sale(n) for n in numbers) and not self._numbers.taken(numbers)
        free = free and all(self._keywords.available(keywords).values())
        bought = {"local": [n for n in numbers if not is_toll_free(n)],
                  "toll_free": [n for n in numbers if is_toll_free(n)], "keywords": keywords}
        ordered = {"local": len(bought["local"]) + (bulk_local or 0),
                   "toll_free": len(bought["toll_free"]) + (bulk_toll_free or 0),
                   "keywords": len(keywords)}
        for kind, count, wanted in (("local", bulk_local, request.bulk_local_region),
                                    ("toll_free", bulk_toll_free, RegionFilter())):
            if count and free:
                found = market.search(wanted, kind == "toll_free", count,
                                      lambda batch: self._numbers.taken(batch) | set(numbers))
                free = len(found) == count
                bought[kind] += found
        order_id = ids.take(self.db)
        finish_at = now + FINISH_SECONDS
        if free:
            self._numbers.add(bought["local"] + bought["toll_free"], order_id, finish_at)
            self._keywords.add(keywords, order_id, finish_at)
        self.db["number_orders"].insert({
            "id": order_id, "account_id": self.account_id, "created": now,
            "finish_at": finish_at, "outcome": "FINISHED" if free else "ERRORED",
            "items": json.dumps({kind: {"ordered": ordered[kind],
                                        "fulfilled": bought[kind] if free else []}
                                 for kind in KINDS if ordered[kind]})})
        return order_id
