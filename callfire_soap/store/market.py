"""The number market: regions of the North American numbering plan, and the numbers
for sale in each, the same on every server.

The regions come from ``regions.csv.gz`` (written by ``tools/make_regions.py``
from libphonenumber's geocoding data and the ``zipcodes`` package): one per
prefix, country code 1 and area code and mostly the exchange too
(``1310205``), with its city, state, zip code, country, rate center and
position; its time zone is the one the simulator dials it in
(``timezones.zone_of``).  No package carries LATAs, so regions have none.

Each region offers ``LOCAL_PER_REGION`` local numbers and each toll-free area
code ``TOLL_FREE_PER_AREA_CODE`` numbers, picked by a hash of the prefix: the
same numbers on every server, for sale while nobody owns them.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable, Iterator

from . import phone
from .errors import InvalidRequest
from .pages import Page, page_of
from .timezones import zone_of

LOCAL_PER_REGION = 10
TOLL_FREE_PER_AREA_CODE = 100
MAX_COUNT = 1000               # numbers one search or one bulk order may ask for
TOLL_FREE_AREA_CODES = frozenset({"800", "833", "844", "855", "866", "877", "888"})


def is_toll_free(number: str) -> bool:
    """Whether an 11-digit number is in a North American toll-free area code."""
    return number[1:4] in TOLL_FREE_AREA_CODES


@dataclass(frozen=True)
class Region:
    prefix: str
    city: str
    state: str
    zipcode: str | None
    country: str
    rate_center: str
    latitude: float | None
    longitude: float | None
    time_zone: str
    lata: str | None = None


@dataclass(frozen=True)
class RegionFilter:
    """What a request's Region asks for; every field given must match (City, State,
    Country and RateCenter in any letter case).  ``prefix`` is digits with the
    country code.  Latitude and Longitude describe a region, they select none."""
    prefix: str | None = None
    city: str | None = None
    state: str | None = None
    zipcode: str | None = None
    country: str | None = None
    lata: str | None = None
    rate_center: str | None = None
    time_zone: str | None = None

    @classmethod
    def of(cls, prefix: str | None = None, **fields: str | None) -> RegionFilter:
        """A filter from a request's fields; a Prefix that is not digits is BAD_REQUEST."""
        digits = None
        if prefix:
            digits = phone.normalize_prefix(prefix)
            if digits is None or len(digits) > 11:
                raise InvalidRequest("Prefix %r is not the start of a phone number" % prefix,
                                     detail="Prefix")
        return cls(digits, **{name: value or None for name, value in fields.items()})

    def matches(self, region: Region) -> bool:
        if self.prefix and not (region.prefix.startswith(self.prefix)
                                or self.prefix.startswith(region.prefix)):
            return False
        if self.lata is not None:
            return False  # regions carry no LATA
        for wanted, value in ((self.city, region.city), (self.state, region.state),
                              (self.country, region.country),
                              (self.rate_center, region.rate_center)):
            if wanted is not None and wanted.casefold() != value.casefold():
                return False
        return ((self.zipcode is None or self.zipcode == region.zipcode)
                and (self.time_zone is None or self.time_zone == region.time_zone))

    def admits(self, number: str) -> bool:
        """Whether a number of a matching region also has the wanted prefix."""
        return not self.prefix or number.startswith(self.prefix)

    def selects(self, number: str, region: Region | None) -> bool:
        """Whether the filter selects ``number`` of ``region`` (None: toll-free, in no
        region, so only a Prefix selects it)."""
        if region is None:
            return self == RegionFilter(self.prefix) and self.admits(number)
        return self.matches(region) and self.admits(number)


def _float(text: str) -> float | None:
    return float(text) if text else None


@lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    """Every region, in prefix order."""
    data = resources.files(__package__).joinpath("regions.csv.gz").read_bytes()
    reader = csv.DictReader(io.StringIO(gzip.decompress(data).decode()))
    return tuple(Region(row["prefix"], row["city"], row["state"], row["zipcode"] or None,
                        row["country"], row["rate_center"], _float(row["latitude"]),
                        _float(row["longitude"]), zone_of(row["prefix"][1:4] + "5550000"))
                 for row in reader)


@lru_cache(maxsize=1)
def _by_prefix() -> dict[str, Region]:
    return {region.prefix: region for region in regions()}


def region_of(number: str) -> Region | None:
    """The region an 11-digit number is in (none for a toll-free one)."""
    by_prefix = _by_prefix()
    return next((by_prefix[number[:n]] for n in (7, 6, 5, 4) if number[:n] in by_prefix),
                None)


def find_regions(wanted: RegionFilter) -> list[Region]:
    return [region for region in regions() if wanted.matches(region)]


def query_regions(wanted: RegionFilter, first: int | None = None,
                  limit: int | None = None) -> Page[Region]:
    """QueryRegions: the regions that match, in prefix order, paged."""
    return page_of(find_regions(wanted), first, limit)


def _picked(prefix: str, count: int) -> list[str]:
    """``count`` numbers starting with ``prefix``, the same ones every time."""
    numbers: set[str] = set()
    seed = 0
    while len(numbers) < count:
        digest = hashlib.blake2b(("%s:%d" % (prefix, seed)).encode(), digest_size=8).digest()
        seed += 1
        number = prefix + str(int.from_bytes(digest, "big")).zfill(20)[len(prefix) - 11:]
        if phone.normalize(number) == number and region_of(number) in (None,
                                                                       _by_prefix().get(prefix)):
            numbers.add(number)
    return sorted(numbers)


@lru_cache(maxsize=4096)
def local_numbers(region: Region) -> tuple[str, ...]:
    """The local numbers a region offers."""
    return tuple(_picked(region.prefix, LOCAL_PER_REGION))


@lru_cache(maxsize=1)
def toll_free_numbers() -> tuple[str, ...]:
    """The toll-free numbers on offer, in number order."""
    return tuple(number for code in sorted(TOLL_FREE_AREA_CODES)
                 for number in _picked("1" + code, TOLL_FREE_PER_AREA_CODE))


def for_sale(number: str) -> bool:
    """Whether the market offers ``number`` (11 digits) at all, owned or not."""
    if is_toll_free(number):
        return number in toll_free_numbers()
    region = region_of(number)
    return region is not None and number in local_numbers(region)


def _candidates(wanted: RegionFilter, toll_free: bool) -> Iterator[str]:
    if toll_free:  # toll-free numbers are in no region: only a Prefix narrows them
        yield from (n for n in toll_free_numbers() if RegionFilter(wanted.prefix).admits(n))
        return
    for region in find_regions(wanted):
        yield from (n for n in local_numbers(region) if wanted.admits(n))


def check_count(count: int | None) -> int:
    if count is None or not 1 <= count <= MAX_COUNT:
        raise InvalidRequest("Count must be 1 to %d" % MAX_COUNT, detail="Count")
    return count


def search(wanted: RegionFilter, toll_free: bool, count: int,
           taken: Callable[[Iterable[str]], set[str]]) -> list[str]:
    """The first ``count`` numbers for sale that match and nobody owns, in region
    then number order; ``taken`` says which of some numbers are owned."""
    found: list[str] = []
    candidates = _candidates(wanted, toll_free)
    while len(found) < count:
        batch = [n for _, n in zip(range(4 * count + 16), candidates)]
        if not batch:
            break
        owned = taken(batch)
        found += [n for n in batch if n not in owned][:count - len(found)]
    return found
