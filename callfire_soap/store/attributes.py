"""A contact's attributes: the standard ones, and the rules for extra attribute names.

Every Contact has the standard attributes (besides its id); any other name is
an extra attribute, stored and searched the same way.  Extra attributes travel
as XML attributes (``anyAttribute`` of data:Contact and data:ToNumber), so
their names must be ones XML and every client read back as sent.  These rules
are used by the codec (a request's attributes), the store (a contact's fields)
and the CSV import (a file's column titles).
"""
from __future__ import annotations

import re

from .errors import InvalidRequest

STANDARD_FIELDS = ("firstName", "lastName", "zipcode", "homePhone", "workPhone",
                   "mobilePhone", "externalId", "externalSystem")
PHONE_FIELDS = ("homePhone", "workPhone", "mobilePhone")
# What a phone field may hold: the interface's PhoneNumber pattern (callfire-data.xsd),
# as the schema writes it (tests/test_interface.py holds the two together).
PHONE_NUMBER = re.compile(r"([a-zA-Z_]+)|(\+?[0-9]+)")
# XML's own attributes (xsi:type, xml:lang): never extra attributes of a contact.
XML_NAMESPACES = ("{http://www.w3.org/2001/XMLSchema-instance}",
                  "{http://www.w3.org/XML/1998/namespace}")

_STANDARD_NAMES = frozenset(STANDARD_FIELDS)
_STANDARD_BY_FOLDED = {name.casefold(): name for name in ("id",) + STANDARD_FIELDS}
_STANDARD_BY_LOWER = {name.lower(): name for name in ("id",) + STANDARD_FIELDS}
# ASCII only: Python's idea of a word character is wider than XML's idea of a name.
_NOT_NAME_CHAR = re.compile(r"[^A-Za-z0-9_.\-]")


def standard_name(name: str) -> str | None:
    """The standard attribute (or ``id``) that ``name`` is, whatever its case."""
    return _STANDARD_BY_FOLDED.get(name.casefold())


def check_request_name(name: str) -> None:
    """An extra attribute of a request must be unqualified: it is stored, and
    answered, by its local name alone."""
    if name[0] == "{":
        raise InvalidRequest("namespace-qualified extra attribute %s is not supported; "
                             "send it unqualified" % name)


def check_extra_name(name: str) -> None:
    """An extra attribute that is a standard one but for case (``FIRSTNAME``, ``ID``)
    is refused: some clients would read it as the standard attribute and some not."""
    if name not in _STANDARD_NAMES:
        standard = standard_name(name)
        if standard is not None:
            raise InvalidRequest("attribute %r clashes with the standard attribute %r"
                                 % (name, standard))


def standard_column(title: str) -> str | None:
    """The standard attribute (or ``id``) a CSV column title names, in any case."""
    return _STANDARD_BY_LOWER.get(title.lower())


def from_column_title(title: str) -> str:
    """A CSV column title as an attribute name: the standard attribute it names,
    or an extra attribute name XML accepts; never ``xmlns`` or another of the
    names XML reserves."""
    standard = standard_column(title)
    if standard is not None:
        return standard
    name = _NOT_NAME_CHAR.sub("_", title.strip())
    if re.match(r"[A-Za-z_]", name) and not name.lower().startswith("xml"):
        return name
    return "_" + name
