"""The client zoo: the scenario of tests/clients/ run by real client stacks,
each generated or built the way its users build it, against the real server.

Each program in tests/clients/<stack>/ runs the same steps (CreateContactList
from Numbers, QueryContacts, GetContact, UpdateContacts with an extra
attribute, a NOT_FOUND fault, CreateContactList from several ContactIds,
CreateBroadcast, CreateContactBatch, ControlBroadcast START, GetBroadcast's
config) and prints one ``check<TAB>value`` line per step, with what the client
itself returned; the tests below assert those values, and check with zeep what
the server stored.  Stubs are generated and compiled once per session, from the
session's server.  A stack whose toolchain is missing skips (``.ci/run``
installs them all, and fails on any skip).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ENTRY, REFERENCE_DIR, Account, bind, new_account, served_client

CLIENTS = Path(__file__).resolve().parent / "clients"
SOUND = CLIENTS.parent / "php" / "reminder.mp3"  # 1.5 s of MP3, for CreateSound
TOOLCHAINS = {
    "dotnet": (["wsdl", "mcs", "mono"], "apt-get install mono-devel"),
    "java": (["wsimport", "javac", "java"],
             "apt-get install openjdk-17-jdk-headless libjaxws-java jaxws"),
    "node": (["node", "npm"], "apt-get install nodejs npm"),
    "perl": (["perl"], "apt-get install libsoap-lite-perl"),
}


@dataclass(frozen=True)
class Setup:
    """One way a stack is pointed at the server."""
    stack: str
    wsdl: str          # "served": the served WSDL by URL; "reference": the 2014 file
    env: tuple = ()    # extra environment for the client program


RUNS = {
    # NetworkCredential alone: every call is challenged with 401 first, then retried
    "dotnet-served": Setup("dotnet", "served"),
    "dotnet-served-preauthenticate": Setup("dotnet", "served", (("CALLFIRE_PREAUTH", "1"),)),
    "dotnet-reference": Setup("dotnet", "reference"),
    "java-served": Setup("java", "served"),
    "java-reference": Setup("java", "reference"),
    # node-soap sends SOAP 1.1 unless told forceSoap12Headers
    "node-served": Setup("node", "served"),
    "node-served-soap12": Setup("node", "served", (("CALLFIRE_SOAP12", "1"),)),
    "node-reference": Setup("node", "reference"),
    # SOAP::Lite reads no operation from a SOAP 1.2 binding: it is given the endpoint
    "perl": Setup("perl", "none"),
}

@dataclass
class Result:
    account: Account
    values: dict[str, str]
    output: str

    def __getitem__(self, step: str) -> str:
        if step not in self.values:
            raise AssertionError("the client printed no %s:\n%s" % (step, self.output))
        value = self.values[step]
        if value.startswith("!"):
            raise AssertionError("%s failed in the client: %s" % (step, value[1:]))
        return value


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, "%s failed:\n%s%s" % (command[0], done.stdout, done.stderr)
    return done


class Zoo:
    """Builds each stack's client once, runs each setup once, keeps the results."""

    def __init__(self, server, workdir: Path):
        self.server = server
        self.workdir = workdir
        self.builds: dict[tuple, list | BaseException] = {}
        self.results: dict[str, Result] = {}

    def wsdl(self, setup: Setup) -> str:
        if setup.wsdl == "reference":
            if not (REFERENCE_DIR / ENTRY).exists():
                pytest.skip("needs ../shared/reference/callfire-api-1.1 beside the project")
            return str(REFERENCE_DIR / ENTRY)
        return self.server.wsdl_url

    def result(self, name: str) -> Result:
        if name not in self.results:
            setup = RUNS[name]
            tools, install = TOOLCHAINS[setup.stack]
            missing = [tool for tool in tools if shutil.which(tool) is None]
            if missing:
                pytest.skip("%s needs %s (Debian: %s)" % (setup.stack, ", ".join(missing),
                                                           install))
            key = (setup.stack, setup.wsdl)
            if key not in self.builds:
                try:
                    self.builds[key] = getattr(self, "build_" + setup.stack)(setup)
                except Exception as error:  # every run of this build fails with it
                    # (a missing toolchain part is a skip, which passes through)
                    self.builds[key] = error
            command = self.builds[key]
            if isinstance(command, BaseException):
                raise command
            account = new_account(self.server)
            env = dict(os.environ, CALLFIRE_WSDL=self.wsdl(setup),
                       CALLFIRE_ENDPOINT=self.server.url("/api/1.1/soap12"),
                       CALLFIRE_LOGIN=account.login, CALLFIRE_PASSWORD=account.password,
                       CALLFIRE_SOUND=str(SOUND),
                       **dict(setup.env))
            if setup.wsdl == "served" and setup.stack != "java":
                env["CALLFIRE_ENDPOINT"] = ""   # the address the served WSDL gives
            # in the session's directory: what a client leaves (a mono crash
            # report) stays out of the checkout
            done = subprocess.run(command, env=env, capture_output=True, text=True,
                                  timeout=300, cwd=self.workdir)
            values = dict(line.split("\t", 1) for line in done.stdout.splitlines()
                          if "\t" in line)
            self.results[name] = Result(account, values, done.stdout + done.stderr)
        return self.results[name]

    def build_dotnet(self, setup: Setup) -> list:
        """``wsdl -protocol:SOAP12`` generates the proxy; mcs compiles it with Zoo.cs."""
        out = self.workdir / ("dotnet-" + setup.wsdl)
        out.mkdir()
        _run(["wsdl", "-nologo", "-protocol:SOAP12", "-out:" + str(out / "CallFire.cs"),
              self.wsdl(setup)])
        _run(["mcs", "-nologo", "-out:" + str(out / "zoo.exe"), "-r:System.Web.Services",
              "-r:System.Xml", str(out / "CallFire.cs"), str(CLIENTS / "dotnet" / "Zoo.cs")])
        return ["mono", str(out / "zoo.exe")]

    def build_java(self, setup: Setup) -> list:
        """``wsimport -extension`` generates the stubs; javac compiles them with Zoo.java.
        For the reference setup they come from a copy of the 2014 files fixed as Java
        users of the day had to, since wsimport refuses them as published: binding
        faults as soap12:fault, and without the ``jaxb:bindings`` that carry
        CallFire's own documentation annotations (xjc knows no such customization).
        At run time the stubs load the files as published."""
        out = self.workdir / ("java-" + setup.wsdl)
        source = self.wsdl(setup)
        if setup.wsdl == "reference":
            fixed = out / "fixed-wsdl"
            shutil.copytree(REFERENCE_DIR, fixed)
            entry = fixed / ENTRY
            entry.write_text(re.sub(
                r'<wsdl:fault name="(\w+)">\s*<soap12:body use="literal"\s*/>\s*</wsdl:fault>',
                r'<wsdl:fault name="\1"><soap12:fault name="\1" use="literal"/></wsdl:fault>',
                entry.read_text()))
            for schema in fixed.glob("*.xsd"):
                schema.write_text(re.sub(
                    r"<jaxb:bindings\b.*?</jaxb:bindings>|jaxb:extensionBindingPrefixes=\"ann\"",
                    "", schema.read_text(), flags=re.S))
            source = str(entry)
        classes = out / "classes"
        classes.mkdir(parents=True)
        _run(["wsimport", "-extension", "-Xnocompile", "-quiet", "-p", "com.callfire.api",
              "-s", str(classes), "-d", str(classes), source])
        runtime = str(Path(shutil.which("wsimport")).resolve().parent.parent
                      / "lib" / "jaxws-rt.jar")
        _run(["javac", "-nowarn", "-cp", runtime, "-d", str(classes),
              *map(str, classes.rglob("*.java")), str(CLIENTS / "java" / "Zoo.java")])
        return ["java", "-cp", os.pathsep.join([str(classes), runtime]), "Zoo"]

    def build_node(self, setup: Setup) -> list:
        """npm installs node-soap into tests/clients/node from its lock file."""
        project = CLIENTS / "node"
        if not (project / "node_modules" / "soap").is_dir():
            _run(["npm", "ci", "--no-audit", "--no-fund"], cwd=project)
        return ["node", str(project / "zoo.js")]

    def build_perl(self, setup: Setup) -> list:
        if subprocess.run(["perl", "-MSOAP::Lite", "-e", "1"], capture_output=True).returncode:
            pytest.skip("perl needs SOAP::Lite (Debian: %s)" % TOOLCHAINS["perl"][1])
        return ["perl", str(CLIENTS / "perl" / "zoo.pl")]


@pytest.fixture(scope="session")
def zoo(server, tmp_path_factory) -> Zoo:
    return Zoo(server, tmp_path_factory.mktemp("zoo"))


PHONES = ["13105551212", "12135551000"]


@pytest.mark.parametrize("run", RUNS)
def test_create_contact_list_from_numbers(zoo, server, run):
    result = zoo.result(run)
    contact_list = bind(served_client(server, result.account), server, "Contact").GetContactList(
        Id=int(result["list_from_numbers"]))
    assert (contact_list.Name, contact_list.Size) == ("zoo numbers", 2)


@pytest.mark.parametrize("run", RUNS)
def test_query_contacts(zoo, run):
    assert zoo.result(run)["query_contacts"].split() == ["2", *PHONES]


@pytest.mark.parametrize("run", RUNS)
def test_get_contact(zoo, run):
    assert zoo.result(run)["get_contact"] == PHONES[0]


@pytest.mark.parametrize("run", RUNS)
def test_update_contacts_with_an_extra_attribute(zoo, run):
    """The client sends firstName and the extra crmId, and reads both back."""
    assert zoo.result(run)["update_contacts"] == "Ann A-17"


@pytest.mark.parametrize("run", RUNS)
def test_not_found_fault_read_the_clients_way(zoo, run):
    assert zoo.result(run)["not_found_fault"] == "NOT_FOUND"


@pytest.mark.parametrize("run", RUNS)
def test_contact_list_from_several_contact_ids(zoo, run):
    """Sent as the stack sends an id list: repeated ContactId elements from the
    .NET proxy, one space-separated list from the others."""
    assert zoo.result(run)["list_from_ids"] == "2"


@pytest.mark.parametrize("run", RUNS)
def test_create_broadcast(zoo, server, run):
    result = zoo.result(run)
    broadcast = bind(served_client(server, result.account), server, "Broadcast").GetBroadcast(
        Id=int(result["create_broadcast"]))
    assert (broadcast.Name, broadcast.Type) == ("zoo voice", "VOICE")


@pytest.mark.parametrize("run", RUNS)
def test_create_contact_batch(zoo, server, run):
    result = zoo.result(run)
    batch = bind(served_client(server, result.account), server, "Broadcast").GetContactBatch(
        Id=int(result["create_contact_batch"]))
    assert (batch.Name, batch.BroadcastId, batch.Size) == (
        "zoo batch", int(result["create_broadcast"]), 2)


@pytest.mark.parametrize("run", RUNS)
def test_control_broadcast_start(zoo, run):
    """The shared server's clock stands still: a started broadcast waits to run."""
    assert zoo.result(run)["control_broadcast"] == "START_PENDING"


@pytest.mark.parametrize("run", RUNS)
def test_get_broadcast_reads_its_config(zoo, run):
    assert zoo.result(run)["broadcast_config"].split("|") == [
        "zoo voice", "13105550000", "AM_AND_LIVE", "Hello from the zoo", "Sorry we missed you"]


@pytest.mark.parametrize("run", [name for name, setup in RUNS.items() if setup.stack == "java"])
def test_java_with_mtom_uploads_a_sound_as_an_attachment(zoo, server, run):
    """JAX-WS with MTOMFeature sends CreateSound's Data as an XOP attachment of a
    multipart/related request; the server reads the audio from it."""
    result = zoo.result(run)
    mtom, sound_id, name, length, wav = result["mtom_create_sound"].split("|")
    assert (mtom, name, length, wav) == ("true", "zoo mtom", "2", "RIFF")
    calls = bind(served_client(server, result.account), server, "Call")
    assert calls.GetSoundData(Id=int(sound_id)) == SOUND.read_bytes()
