"""Writes callfire_soap/store/regions.csv.gz, the number market's regions.

One region per North American number prefix (country code 1, area code and
exchange: ``1310205``, or an area code alone where one city has all of it:
``1212``) that libphonenumber's geocoding data (the ``phonenumbers``
package) places in a city, with the zip code, latitude and longitude of that
city from the ``zipcodes`` package (US only).  The server reads the file and
never these packages, so every server has the same market whatever is
installed.  Run it again to follow newer data::

    .venv/bin/pip install -e '.[regions]' && .venv/bin/python tools/make_regions.py
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from functools import lru_cache
from pathlib import Path

import phonenumbers
import zipcodes
from phonenumbers.geodata import GEOCODE_DATA

OUT = Path(__file__).resolve().parent.parent / "callfire_soap" / "store" / "regions.csv.gz"
CANADA = {"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}
_CITY_STATE = re.compile(r"(.+), ([A-Z]{2})")


@lru_cache(maxsize=None)
def _zips(city: str, state: str) -> tuple[dict, ...]:
    found = zipcodes.filter_by(city=city, state=state) if state not in CANADA else []
    return tuple(sorted(found, key=lambda z: (z["zip_code_type"] != "STANDARD",
                                              z["zip_code"])))


def rows() -> list[list[str]]:
    keys = [k for k in GEOCODE_DATA if k.startswith("1") and 4 <= len(k) <= 7]
    every = set(GEOCODE_DATA)
    out = []
    for prefix in sorted(keys):
        if any(prefix + d in every for d in "0123456789"):
            continue  # not a leaf: its longer prefixes are the regions
        place = _CITY_STATE.fullmatch(GEOCODE_DATA[prefix].get("en", ""))
        if place is None:
            continue  # a state or an island, not a city
        city, state = place.groups()
        zips = _zips(city, state)
        best = next((z for z in zips if prefix[1:4] in z["area_codes"]), zips[0] if zips
                    else None)
        out.append([prefix, city, state, best["zip_code"] if best else "",
                    "CA" if state in CANADA else "US", city.upper(),
                    best["lat"] if best else "", best["long"] if best else ""])
    return out


def main() -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["prefix", "city", "state", "zipcode", "country", "rate_center",
                     "latitude", "longitude"])
    writer.writerows(rows())
    # mtime 0: the same data gives the same bytes
    OUT.write_bytes(gzip.compress(text.getvalue().encode(), mtime=0))
    print("%s: %d regions (phonenumbers %s, zipcodes %s)" % (
        OUT.name, text.getvalue().count("\n") - 1, phonenumbers.__version__,
        zipcodes.__version__))


if __name__ == "__main__":
    main()
