"""Destination time zones from area codes, for the simulator's local-time window."""
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from callfire_soap.store import timezones
from callfire_soap.store.timezones import DEFAULT_ZONE, zone_of


@pytest.mark.parametrize("number, zone", [
    ("13105550101", "America/Los_Angeles"), ("12125550101", "America/New_York"),
    ("13125550101", "America/Chicago"), ("13035550101", "America/Denver"),
    ("16025550101", "America/Phoenix"), ("19075550101", "America/Anchorage"),
    ("18085550101", "Pacific/Honolulu"), ("17875550101", "America/Puerto_Rico"),
    ("14165550101", "America/Toronto"), ("19155550101", "America/Denver"),
    ("18505550101", "America/Chicago"),
])
def test_zone_of_area_code(number, zone):
    assert zone_of(number) == zone


def test_ten_digits_without_country_code():
    assert zone_of("3105550101") == "America/Los_Angeles"


@pytest.mark.parametrize("number", [
    "12345", "911", "", "1310555010", "23105550101", "131055501011",
    "+13105550101", "1310555O101", "18005550101", "18675550101",
])
def test_unplaced_numbers_get_the_default(number):
    assert zone_of(number) == DEFAULT_ZONE


def test_every_zone_loads():
    for zone in [DEFAULT_ZONE, *timezones._AREA_CODES]:
        ZoneInfo(zone)


def test_no_area_code_under_two_zones():
    counts = Counter(code for codes in timezones._AREA_CODES.values() for code in codes.split())
    assert [code for code, n in counts.items() if n > 1] == []
    assert all(len(code) == 3 and code.isdigit() for code in counts)
