"""The admin surface (``surface.py``), and the modules that add endpoints to it:
a module declaring routes with ``surface.route`` is imported here."""
from .surface import ADMIN_PATH, AdminError, AdminRequest, AdminSurface, Reply, authorized, \
    route

__all__ = ["ADMIN_PATH", "AdminError", "AdminRequest", "AdminSurface", "Reply", "authorized",
           "route"]

from . import injection, journal, snapshots  # noqa: E402,F401  (their routes)
