"""PHP's wire format without PHP: replay the request XML that PHP SoapClient sent
(tests/php/captured/, recorded by tests/test_php.py) against a fresh server.

The recording ran on a fresh database, each script with an account of its own
and the simulation clock standing still, so replayed in order (one account per
script, the clock moved by the recorded ``sim advance`` steps, ``*.txt``) the
ids and the broadcasts' progress come out the same and every request must get
exactly the answer PHP got: success, or the FaultCode in its file name.
"""
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
            if path.suffix == ".txt":  # a clock step: the command PHP ran, on this database
                command = path.read_text().split()
                assert command[:2] == ["sim", "advance"], (path.name, command)
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
            if expected == "ok":
                assert response.status_code == 200, (path.name, response.text)
            else:
                assert response.status_code == 500, (path.name, response.text)
                code = etree.fromstring(response.content).findtext(
                    ".//{%s}ServiceFaultInfo/{%s}FaultCode" % (NS_SVC, NS_SVC))
                assert code == expected, (path.name, response.text)
