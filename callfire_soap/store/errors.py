"""The domain's errors, each carrying CallFire's FaultCode for it (as moto's
``ServiceException.code`` does).  The SOAP layer turns any of them into a
fault in one place (``soap.faults.from_error``); the store never speaks of SOAP.
A new kind of error is a subclass; it answers its parent's code unless it names
its own (one of the schema's FaultCode values)."""


class CallFireError(Exception):
    """Base of every error the domain reports to a client."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotFound(CallFireError):
    """A resource that does not exist, or belongs to another account."""

    code = "NOT_FOUND"

    def __init__(self, kind: str, ident: object):
        super().__init__("%s %s not found" % (kind, ident), detail="id=%s" % ident)
        self.kind = kind
        self.ident = ident


class InvalidRequest(CallFireError):
    """The request is well-formed but asks for something the rules forbid."""

    code = "BAD_REQUEST"


class UnusableDatabase(Exception):
    """The database file cannot be used: a directory, out of reach, not SQLite, or
    of a newer schema.  Told to whoever named the file, never to a SOAP client."""


class Unavailable(CallFireError):
    """The server cannot do what was asked here and now (a tool it needs is missing)."""

    code = "UNAVAILABLE"
