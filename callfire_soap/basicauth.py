"""HTTP Basic credentials, read from a WSGI request: the SOAP ports' API accounts
and the admin surface's admin login both come this way, each checked against
its own store."""
from __future__ import annotations

import base64
import binascii


def credentials(environ) -> tuple[str, str] | None:
    """The login and password of the request's ``Authorization: Basic`` header, or
    None when it has none or it cannot be read."""
    header = environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    login, sep, password = decoded.partition(":")
    return (login, password) if sep else None
