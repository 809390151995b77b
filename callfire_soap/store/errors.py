"""The domain's errors.  The SOAP layer maps them to faults in one place
(``soap.faults``); the store never speaks of SOAP."""


class CallFireError(Exception):
    """Base of every error the domain reports to a client."""

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotFound(CallFireError):
    """A resource that does not exist, or belongs to another account."""

    def __init__(self, kind: str, ident: object):
        super().__init__("%s %s not found" % (kind, ident), detail="id=%s" % ident)
        self.kind = kind
        self.ident = ident


class InvalidRequest(CallFireError):
    """The request is well-formed but asks for something the rules forbid."""


class UnusableDatabase(Exception):
    """The database file cannot be used: a directory, out of reach, not SQLite, or
    of a newer schema.  Told to whoever named the file, never to a SOAP client."""
