"""Phone numbers as the list safeguards see them: North American, E.164, 11 digits."""
import re

_SEPARATORS = re.compile(r"[\s().\-+]")
_NANP = re.compile(r"1[2-9][0-9]{2}[2-9][0-9]{6}")  # ASCII: \d would take any script's digits


def normalize(number: str) -> str | None:
    """``number`` as 11 E.164 digits (``13105551212``), or None when it is invalid.

    Punctuation is ignored and a 10-digit number gets the country code 1;
    area code and exchange must not start with 0 or 1.
    """
    digits = number if number.isdigit() else _SEPARATORS.sub("", number)
    if len(digits) == 10:
        digits = "1" + digits
    return digits if _NANP.fullmatch(digits) else None


def normalize_prefix(prefix: str) -> str | None:
    """The start of a number as the start of its 11 E.164 digits, or None when it
    is not digits.  Area codes never start with 1, so a prefix that does not
    start with 1 lacks the country code: ``310`` becomes ``1310``."""
    digits = _SEPARATORS.sub("", prefix)
    if not (digits.isascii() and digits.isdigit()):
        return None
    return digits if digits.startswith("1") else "1" + digits


_SHORT_CODE = re.compile(r"[0-9]{5,6}")


def normalize_receiving(number: str) -> str | None:
    """A number texts and calls arrive at: a North American number as 11 E.164
    digits, or a short code (5 or 6 digits, such as 67076) as it is; None otherwise."""
    digits = _SEPARATORS.sub("", number)
    return digits if _SHORT_CODE.fullmatch(digits) else normalize(number)
