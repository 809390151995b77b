"""The web console: what the server holds, as pages a person reads in a browser.

Flask routes the requests, keeps the login in a signed session cookie and
renders Jinja2 templates; charts are SVG drawn on the server by pygal
(``charts.py``), so a page needs nothing from outside the server.  Every page
reads through the store's Python API, one read transaction per page, and
every list is a page of the store's own paged queries: the console knows no
SQL, and the store no HTML.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from ..ratelimit import FailedLogins
from ..store import Store
from ..store.admin import AdminFile
from ..store.journal import JournalWriter
from . import harness, subscriptions  # noqa: F401  (their routes join the blueprint)
from .views import ADMIN_KEY, JOURNAL_KEY, LOGINS_KEY, SESSION_HOURS, STORE_KEY, pages


def _instant(seconds: int | None) -> str:
    """A simulated instant as people read it (UTC)."""
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


class AdminSessions(SecureCookieSessionInterface):
    """Session cookies signed with a key the admin file derives from the admin
    login: every worker signs alike, and a new admin password ends every login."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = app.extensions[ADMIN_KEY].session_key()
        if key is None:
            return None
        return URLSafeTimedSerializer(key, salt=self.salt, serializer=self.serializer,
                                      signer_kwargs={"key_derivation": self.key_derivation,
                                                     "digest_method": self.digest_method})


def create_console(store: Store, admin: AdminFile, failed_logins: FailedLogins, path: str,
                   journal: JournalWriter | None) -> Flask:
    """The console as a WSGI application mounted at ``path``, behind the admin
    login of ``admin``; failed logins count in ``failed_logins`` with the API's;
    ``journal`` is this process's journal writer (None: the journal is off)."""
    app = Flask(__name__, static_folder=None)
    app.register_blueprint(pages)
    app.session_interface = AdminSessions()
    app.config.update(SESSION_COOKIE_NAME="callfire_console", SESSION_COOKIE_PATH=path,
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS))
    app.extensions.update({STORE_KEY: store, ADMIN_KEY: admin, LOGINS_KEY: failed_logins,
                           JOURNAL_KEY: journal})
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["instant"] = _instant
    app.jinja_env.globals.update(sim_now=lambda: _instant(store.clock.now()))
    return app
