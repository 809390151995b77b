"""The admin surface: its own path and login, off unless set, JSON answers, and the
way a module adds its endpoints.  Over real HTTP against ``serve``."""
from __future__ import annotations

import base64
import io
import json
import sqlite3
from pathlib import Path

import pytest
import requests

from callfire_soap.admin import AdminError, Reply, route
from callfire_soap.admin.surface import ROUTES
from callfire_soap.accesslog import AccessLog
from callfire_soap.app import CallFireApp
from callfire_soap.store import NotFound, Store
from callfire_soap.store.admin import admin_path
from conftest import ADMIN, ENVELOPE, SOAP_HEADERS, admin_server, start_server
from test_cli import cli

GET_CONTACT = ENVELOPE % "<svc:GetContact><svc:Id>1</svc:Id></svc:GetContact>"


@pytest.fixture(scope="module")
def admin_running(tmp_path_factory):
    with admin_server(tmp_path_factory.mktemp("admin") / "callfire.db") as running:
        yield running


def test_the_surface_is_off_unless_an_admin_login_is_set(server):
    off = requests.get(server.url("/admin/"), auth=ADMIN)
    unknown = requests.get(server.url("/no/such/path"))
    assert (off.status_code, off.text) == (unknown.status_code, unknown.text) == (404,
                                                                                 "not found\n")
    assert "WWW-Authenticate" not in off.headers


def test_the_admin_login_opens_it_and_answers_json(admin_running):
    answer = requests.get(admin_running.url("/admin/"), auth=ADMIN)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    body = answer.json()
    assert body["admin"] == ADMIN[0]
    assert {"method": "GET", "path": "/admin/"} in body["routes"]
    missing = requests.get(admin_running.url("/admin/no-such-endpoint"), auth=ADMIN)
    assert missing.status_code == 404 and "no-such-endpoint" in missing.json()["error"]
    refused = requests.delete(admin_running.url("/admin/"), auth=ADMIN)
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET"


@pytest.mark.parametrize("auth", [None, (ADMIN[0], "wrong"), ("first", "first-pw"),
                                  ("first", ADMIN[1])], ids=["none", "wrong-password",
                                                             "api-account", "api-login"])
def test_nothing_but_the_admin_login_opens_it(admin_running, auth):
    answer = requests.get(admin_running.url("/admin/"), auth=auth)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Basic ")
    assert answer.json() == {"error": "the admin login is required"}


def test_an_api_account_of_the_admins_login_and_password_still_cannot_reach_it(admin_running):
    """Even an account spelled exactly like the admin is only an API account: the
    surface never looks at accounts, and the SOAP ports never at the admin login."""
    admin_running.store.accounts.create(ADMIN[0], "twin-pw")
    assert requests.get(admin_running.url("/admin/"), auth=(ADMIN[0], "twin-pw")
                        ).status_code == 401
    soap = requests.post(admin_running.endpoint("contact"), data=GET_CONTACT, auth=ADMIN,
                         headers=SOAP_HEADERS)
    assert soap.status_code == 401


def test_the_admin_password_is_stored_hashed_beside_the_database(admin_running):
    path = Path(admin_path(str(admin_running.db_path)))
    assert path.parent == admin_running.db_path.parent
    with sqlite3.connect(path) as conn:
        (login, stored), = conn.execute("SELECT login, password_hash FROM admin_login")
    assert login == ADMIN[0]
    assert stored.startswith("pbkdf2_sha256$") and ADMIN[1] not in stored
    assert ADMIN[1].encode() not in path.read_bytes()


def test_the_command_line_sets_and_removes_the_admin_login_while_serving(tmp_path):
    db = tmp_path / "cli.db"
    with start_server(db) as running:
        assert cli("admin", "show", "--db", str(db)).stdout == "off\n"
        assert requests.get(running.url("/admin/"), auth=ADMIN).status_code == 404
        done = cli("admin", "set", "ops", "--db", str(db), input="first secret\n")
        assert done.returncode == 0, done.stderr
        for _ in range(4):  # every worker, each time: nothing is remembered past a change
            assert requests.get(running.url("/admin/"),
                                auth=("ops", "first secret")).status_code == 200
        cli("admin", "set", "ops", "--db", str(db), "--password", "second")
        assert requests.get(running.url("/admin/"),
                            auth=("ops", "first secret")).status_code == 401
        assert requests.get(running.url("/admin/"), auth=("ops", "second")).status_code == 200
        assert cli("admin", "show", "--db", str(db)).stdout == "on, admin login 'ops'\n"
        assert cli("admin", "off", "--db", str(db)).stdout == "The admin surface is off\n"
        assert requests.get(running.url("/admin/"), auth=("ops", "second")).status_code == 404


def test_serve_keeps_the_admin_login_it_finds_and_shows_a_new_ones_password_once(tmp_path):
    db = tmp_path / "keep.db"
    cli("account", "create", "x", "--db", str(db), "--password", "x")
    cli("admin", "set", "ops", "--db", str(db), "--password", "kept")
    with start_server(db, "--admin-login", "ops") as running:
        assert requests.get(running.url("/admin/"), auth=("ops", "kept")).status_code == 200
    with start_server(db, "--admin-login", "other") as running:
        (line,) = [line for line in running.log_path.read_text().splitlines()
                   if "Admin login 'other'" in line]
        password = line.split("password '")[1].split("'")[0]
        assert requests.get(running.url("/admin/"), auth=("other", password)).status_code == 200
        assert requests.get(running.url("/admin/"), auth=("ops", "kept")).status_code == 401


def test_an_admin_login_with_a_colon_is_refused_at_serve(tmp_path):
    run = cli("serve", "--db", str(tmp_path / "x.db"), "--admin-login", "a:b")
    assert run.returncode == 2 and "--admin-login" in run.stderr


# -- how a module adds its endpoints (in-process: the routes are the test's) -------

@pytest.fixture
def app_with_routes(tmp_path):
    """An app with the admin login set and three routes a module would declare."""
    declared = len(ROUTES)

    @route("GET", "test-things/{name}")
    def get_thing(request):
        if request.params["name"] == "missing":
            raise NotFound("thing", "missing")
        return {"name": request.params["name"], "limit": request.arg("limit", "10")}

    @route("POST", "test-things")
    def add_thing(request):
        body = request.json()
        if not isinstance(body, dict) or "name" not in body:
            raise AdminError(400, "name is required")
        return Reply(201, {"added": body["name"]})

    @route("DELETE", "test-things/{name}")
    def remove_thing(request):
        return Reply(204)

    app = CallFireApp(Store(str(tmp_path / "routes.db")), access_log=AccessLog(io.StringIO()))
    app.admin.admin.set_admin(*ADMIN)
    yield app
    del ROUTES[declared:]


def _call(app, method: str, path: str, body: bytes = b"", auth=ADMIN):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path.partition("?")[0],
               "QUERY_STRING": path.partition("?")[2], "REMOTE_ADDR": "127.0.0.1",
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    if auth:
        environ["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(
            ("%s:%s" % auth).encode()).decode()
    seen = {}
    data = b"".join(app(environ, lambda status, headers, exc_info=None:
                        seen.update(status=int(status.split()[0]))))
    return seen["status"], json.loads(data) if data else None


def test_a_module_adds_routes_with_path_parameters_query_and_json(app_with_routes):
    app = app_with_routes
    assert _call(app, "GET", "/admin/test-things/a%20b?limit=5") == (
        200, {"name": "a b", "limit": "5"})
    assert _call(app, "GET", "/admin/test-things/missing") == (
        404, {"error": "thing missing not found"})
    assert _call(app, "POST", "/admin/test-things", b'{"name": "n"}') == (201, {"added": "n"})
    assert _call(app, "POST", "/admin/test-things", b'{}') == (
        400, {"error": "name is required"})
    status, answer = _call(app, "POST", "/admin/test-things", b"{not json")
    assert status == 400 and answer["error"].startswith("the body is not JSON")
    assert _call(app, "DELETE", "/admin/test-things/n") == (204, None)
    assert _call(app, "DELETE", "/admin/test-things/n", auth=("first", "x"))[0] == 401
    assert {"method": "POST", "path": "/admin/test-things"} in _call(
        app, "GET", "/admin/")[1]["routes"]


def test_a_route_declared_twice_is_refused(app_with_routes):
    with pytest.raises(ValueError, match="declared twice"):
        route("POST", "test-things")(lambda request: None)
