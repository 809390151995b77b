"""PHP's wire format without PHP: replay the request XML that PHP SoapClient sent
(tests/php/captured/, recorded by tests/test_php.py) against a fresh server.

The recording ran on a fresh database, each script with an account of its own
and the simulation clock standing still, so replayed in order (one account per
script, the clock moved by the recorded ``sim advance`` steps and inbound texts
made by ``sim inbound-text`` ones, ``*.txt``) the
broadcasts' progress comes out the same and every request must get exactly the
answer PHP got (``*.answer``): success or the FaultCode in its file name, and
the same body once ids and instants are masked (the accounts, and so the ids,
come in another order; the clock starts at another time).  A request that
names an instant itself (GetBroadcastStats' interval) asks about the
recording's clock, so its answer is compared by status and FaultCode only.
"""
import re
import shlex
import subprocess
import sys
from pathlib import Path

import requests
from lxml import etree

from callfire_soap.soap.models import PORTS
from conftest import NS_SVC, SOAP12, new_account, start_server

CAPTURED = Path(__file__).resolve().parent / "php" / "captured"
ACTIONS = {op.input_element: (port.path, op.soap_action)
           for port in PORTS for op in port.operations}
INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
FAULT_TEXTS = ("Text", "Message", "Detail")


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("Id")


def masked(answer: bytes) -> str:
    """An answer with its ids and instants masked, canonical: what must replay the same."""
    document = etree.fromstring(answer)
    for node in document.iter():
        if not isinstance(node.tag, str):
            continue
        for name, value in node.attrib.items():
            node.set(name, "#" if _is_id(name) else INSTANT.sub("T", value))
        if node.text:
            local = etree.QName(node).localname
            if _is_id(local):
                node.text = "#"
            elif local in FAULT_TEXTS:  # "Contact 12 not found", "id=12"
                node.text = re.sub(r"\d+", "#", node.text)
            else:
                node.text = INSTANT.sub("T", node.text)
    return etree.tostring(document, method="c14n").decode()


def test_captured_php_requests_replay(tmp_path):
    recordings = sorted([*CAPTURED.glob("*.xml"), *CAPTURED.glob("*.txt")])
    assert recordings, "no PHP recordings: run CALLFIRE_SOAP_RECORD=1 pytest tests/test_php.py"
    with start_server(tmp_path / "replay.db", "--sim-speed", "0") as server:
        accounts = {}
        for path in recordings:
            script = path.name.split("-")[0]
            if script not in accounts:
                accounts[script] = new_account(server)
            account = accounts[script]
            if path.suffix == ".txt":  # a step: the command PHP ran, on this database
                command = shlex.split(path.read_text())
                assert command[:2] in (["sim", "advance"], ["sim", "inbound-text"]), (
                    path.name, command)
                if command[1] == "inbound-text":  # for the script's account
                    command += ["--login", account.login]
                subprocess.run([sys.executable, "-m", "callfire_soap", *command,
                                "--db", str(server.db_path)], check=True, capture_output=True)
                continue
            body = path.read_bytes()
            element = etree.fromstring(body).find("{%s}Body" % SOAP12)[0].tag
            svc, action = ACTIONS[element]
            response = requests.post(
                server.endpoint(svc), data=body, auth=(account.login, account.password),
                headers={"Content-Type": 'application/soap+xml; charset=utf-8; action="%s"'
                         % action})
            expected = path.stem.split("-")[3]
            answer = path.with_suffix(".answer").read_bytes()
            if not INSTANT.search(body.decode()):
                assert masked(response.content) == masked(answer), path.name
            if expected == "ok":
                assert response.status_code == 200, (path.name, response.text)
            else:
                assert response.status_code == 500, (path.name, response.text)
                code = etree.fromstring(response.content).findtext(
                    ".//{%s}ServiceFaultInfo/{%s}FaultCode" % (NS_SVC, NS_SVC))
                assert code == expected, (path.name, response.text)
