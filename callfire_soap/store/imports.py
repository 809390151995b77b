"""Where the contacts of an import come from: the four ContactSource choices.

CallFire's precedence: Contact elements, then ContactId list, then File
(CSV), then Numbers.  A CSV file whose first row names contact fields maps
columns by that header (case-insensitive; unknown columns become extra
attributes, named by store/attributes.py); a file without such a header is a column of numbers.
"""
from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field

from . import attributes
from .attributes import PHONE_FIELDS
from .contacts import Contact
from .errors import InvalidRequest


@dataclass
class ContactSource:
    contacts: list[Contact] = field(default_factory=list)
    contact_ids: list[int] | None = None
    file: bytes | None = None
    numbers: list[str] | None = None
    number_field: str = "homePhone"

    def resolve(self) -> tuple[list[int] | None, list[Contact]]:
        """Apply the precedence: either existing ids, or contacts to import."""
        if self.contacts:
            return None, self.contacts
        if self.contact_ids is not None:
            return self.contact_ids, []
        if self.file is not None:
            return None, parse_csv(self.file)
        if self.numbers is not None:
            if self.number_field not in PHONE_FIELDS:
                raise InvalidRequest("Numbers fieldName must be one of %s, got %r"
                                     % (", ".join(PHONE_FIELDS), self.number_field))
            return None, [Contact(None, {self.number_field: n}) for n in self.numbers]
        raise InvalidRequest("ContactSource needs one of Contact, ContactId, File, Numbers")


# Characters XML 1.0 cannot carry, even escaped: such a value could never be returned.
_NOT_XML_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_csv(data: bytes) -> list[Contact]:
    text = _decode(data)
    bad = _NOT_XML_CHAR.search(text)
    if bad:
        raise InvalidRequest("File line %d holds U+%04X, a character XML cannot carry"
                             % (text.count("\n", 0, bad.start()) + 1, ord(bad.group())))
    reader = csv.reader(io.StringIO(text, newline=""))  # \r, \n and \r\n all end a row
    rows = (row for row in reader if "".join(row).strip())  # one pass, row by row
    try:
        first = next(rows, None)
        if first is None:
            raise InvalidRequest("the File holds no rows")
        header = [cell.strip() for cell in first]
        if not any(attributes.standard_column(cell) for cell in header):
            # No header: the default column layout, one number per row.
            return [Contact(None, {"homePhone": row[0].strip()})
                    for row in itertools.chain([first], rows) if row[0].strip()]
        columns = [(i, attributes.from_column_title(cell))
                   for i, cell in enumerate(header) if cell]
        contacts = []
        for line, row in enumerate(rows, start=2):
            fields = {}
            for i, name in columns:
                if i < len(row):
                    value = row[i].strip()
                    if value:
                        fields[name] = value
            ident = fields.pop("id", None)
            if ident is not None and not (ident.isascii() and ident.isdigit()):
                raise InvalidRequest("File row %d: id %r is not a number" % (line, ident))
            contacts.append(Contact(int(ident) if ident else None, fields))
        return contacts
    except csv.Error as e:
        raise InvalidRequest("File line %d is not CSV: %s" % (reader.line_num, e))
