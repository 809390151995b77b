"""The PHP interop suite: real PHP SoapClient scripts in tests/php/, run against
the server in the two WSDL setups legacy integrations have, each with
``soap_version => SOAP_1_2`` and with soap_version left out, as many public
integrations do (PHP then sends SOAP 1.1 to the soap12 ports).

Set CALLFIRE_SOAP_RECORD=1 to refresh tests/php/captured/ with the request XML
PHP sends, and the clock steps it takes (see tests/test_php_captured.py, which
replays them without PHP).

broadcast_service.php drives broadcasts on the simulation clock: its server must
stand still (--sim-speed 0, as the shared ``server`` fixture does), and the
script moves it with ``python -m callfire_soap sim advance N --db PATH``, told
which python and database through CALLFIRE_PYTHON and CALLFIRE_DB.
text_service_auto_replies.php makes an inbound text arrive the same way, with
``sim inbound-text ... --login`` its account.
"""
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from callfire_soap.services import DECLARATIONS
from callfire_soap.soap import leniency
from callfire_soap.soap.models import SCHEMA
from conftest import ENTRY, REFERENCE_DIR, SERVED_XSD, SOAP12, new_account, start_server

PHP_DIR = Path(__file__).resolve().parent / "php"
CAPTURED = PHP_DIR / "captured"
IMPLEMENTED = [op for operations in DECLARATIONS.values()
               for op, declaration in operations.items() if declaration.handler]
# script -> the service it calls (with the reference WSDL, the 'location' it is
# given; broadcast_service.php reaches ContactService at the same address ending
# in /contact); the DNC and caller id operations exist only in the served WSDL
SCRIPTS = {"broadcast_service.php": "broadcast", "contact_service.php": "contact",
           "dnc.php": "contact", "auth.php": "contact", "text_service.php": "text",
           "text_service_auto_replies.php": "text", "z_number_service.php": "number",
           "voice_calls.php": "call", "verified_caller_ids.php": "call",
           "voice_sounds.php": "call", "webhook_subscriptions.php": "subscription"}
REFERENCE_SCRIPTS = ["auth.php", "broadcast_service.php", "contact_service.php",
                     "text_service.php", "text_service_auto_replies.php", "voice_calls.php",
                     "voice_sounds.php", "webhook_subscriptions.php", "z_number_service.php"]
# recorded in this order, each with an account of its own, as the replay runs them:
# the recorded requests hold the ids of that run, so a new script sorts after the
# recorded ones (or every recording after it is made anew)
RECORDED_SCRIPTS = sorted(["broadcast_service.php", "contact_service.php", "dnc.php",
                           "text_service.php", "text_service_auto_replies.php",
                           "verified_caller_ids.php", "voice_calls.php",
                           "voice_sounds.php", "webhook_subscriptions.php",
                           "z_number_service.php"])
# the steps a script records between its requests: the commands it ran
STEPS = (["sim", "advance"], ["sim", "inbound-text"])
# scripts that run `sim advance` or `sim inbound-text`
STEPPING_SCRIPTS = ("broadcast_service.php", "text_service.php",
                    "text_service_auto_replies.php", "voice_calls.php", "voice_sounds.php",
                    "z_number_service.php")
# soap_version => SOAP_1_2, or left out (SOAP 1.1)
SOAP_VERSIONS = ["1.2", "1.1"]


def php_available() -> bool:
    if shutil.which("php") is None:
        return False
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout
    return "soap" in modules.split()


pytestmark = pytest.mark.skipif(not php_available(),
                                reason="needs php-cli with the soap extension "
                                       "(Debian: apt-get install php-cli php-soap)")


def run_php(script: str, server, account, wsdl: str, location: str = "",
            capture: Path | None = None, soap_version: str = "1.2") -> None:
    if script in STEPPING_SCRIPTS:
        assert server.store.clock.speed() == 0, "its server must run with --sim-speed 0"
    env = dict(os.environ, CALLFIRE_WSDL=wsdl, CALLFIRE_LOCATION=location,
               CALLFIRE_LOGIN=account.login, CALLFIRE_PASSWORD=account.password,
               CALLFIRE_CAPTURE=str(capture or ""), CALLFIRE_SCRIPT=Path(script).stem,
               CALLFIRE_SOAP_VERSION="1.2" if soap_version == "1.2" else "",
               CALLFIRE_PYTHON=sys.executable, CALLFIRE_DB=str(server.db_path))
    run = subprocess.run(["php", str(PHP_DIR / script)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, "%s failed:\n%s%s" % (script, run.stdout, run.stderr)
    assert "checks passed" in run.stdout


@pytest.mark.parametrize("soap_version", SOAP_VERSIONS)
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_php_with_served_wsdl(script, soap_version, server):
    run_php(script, server, new_account(server), server.wsdl_url, soap_version=soap_version)


@pytest.mark.parametrize("soap_version", SOAP_VERSIONS)
@pytest.mark.parametrize("script", REFERENCE_SCRIPTS)
def test_php_with_reference_wsdl_and_location(script, soap_version, server):
    if not (REFERENCE_DIR / ENTRY).exists():
        pytest.skip("needs ../shared/reference/callfire-api-1.1 beside the project")
    run_php(script, server, new_account(server), str(REFERENCE_DIR / ENTRY),
            location=server.endpoint(SCRIPTS[script]), soap_version=soap_version)


def test_php_requests_are_recorded_and_valid(tmp_path):
    """Record what PHP sends, on a fresh server with a clock that stands still so
    that ids and broadcast results replay the same; every recorded body is a SOAP
    1.2 envelope the served XSD accepts (bar the deliberately bad ones), and the
    clock steps are recorded between them (``*-sim-advance-N.txt``), and so is
    the answer PHP got to each request (``*.answer``, which the replay compares).
    CALLFIRE_SOAP_RECORD=1 refreshes tests/php/captured/."""
    recording = tmp_path / "captured"
    recording.mkdir()
    with start_server(tmp_path / "record.db", "--sim-speed", "0") as server:
        for script in RECORDED_SCRIPTS:
            run_php(script, server, new_account(server), server.wsdl_url, capture=recording)
    steps = sorted(recording.glob("*.txt"))
    assert steps and all(shlex.split(path.read_text())[:2] in STEPS for path in steps)
    recorded = sorted(recording.glob("*.xml"))
    operations = {path.name.split("-")[2] for path in recorded}
    assert operations == set(IMPLEMENTED), "operations PHP never sent"
    for path in recorded:
        body = etree.parse(str(path)).getroot().find("{%s}Body" % SOAP12)[0]
        if "-BAD_REQUEST-" not in path.name:  # as the server reads it: leniencies first
            leniency.accept(body, SCHEMA.element(body.tag), typed=True)
            SERVED_XSD.assertValid(body)
    answers = sorted(recording.glob("*.answer"))
    assert [path.stem for path in answers] == [path.stem for path in recorded]
    if os.environ.get("CALLFIRE_SOAP_RECORD") == "1":
        for old in [*CAPTURED.glob("*.xml"), *CAPTURED.glob("*.txt"),
                    *CAPTURED.glob("*.answer")]:
            old.unlink()
        for path in [*recorded, *steps, *answers]:
            shutil.copy(path, CAPTURED / path.name)
