"""Many clients at once, through several worker processes, on one SQLite file.

32 clients mix reads and writes for a few seconds against ``serve --workers
4``: every request must succeed (no "database is locked"), every write the
server acknowledged must be there afterwards, and writes to the same list
from many clients at once must all land (no lost updates).
"""
import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
import requests
from lxml import etree

from conftest import ENVELOPE, NS_DATA, SOAP_HEADERS, new_account, start_server

WORKERS, CLIENTS, ACCOUNTS, SECONDS = 4, 32, 4, 5
_numbers = itertools.count(1000)


def _number() -> str:
    return "13102%06d" % next(_numbers)  # unique, valid, and never merged into another


@dataclass
class Client:
    """One client's session and what the server acknowledged to it."""
    server: object
    account: object
    session: requests.Session = field(default_factory=requests.Session)
    added: list[str] = field(default_factory=list)          # to its account's shared list
    dnc: list[str] = field(default_factory=list)            # to its account's DNC list
    lists: dict[int, str] = field(default_factory=dict)     # lists it created: id -> number
    name: str | None = None                                 # its contact's last firstName

    def call(self, request: str) -> etree._Element:
        response = self.session.post(self.server.endpoint("contact"), data=ENVELOPE % request,
                                     headers=SOAP_HEADERS, timeout=60,
                                     auth=(self.account.login, self.account.password))
        assert response.status_code == 200, response.text
        return etree.fromstring(response.content)


@dataclass
class Shared:
    """One account's list and DNC list, which all of its clients write at once."""
    list_id: int
    dnc_id: int
    contact_ids: list[int]


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("busy") / "busy.db",
                      "--workers", str(WORKERS)) as running:
        yield running


def _setup(server, account) -> Shared:
    client = Client(server, account)
    per_account = CLIENTS // ACCOUNTS
    contacts = "".join('<data:Contact homePhone="%s"/>' % _number() for _ in range(per_account))
    list_id = int(client.call(
        "<svc:CreateContactList><svc:Name>shared</svc:Name><svc:ContactSource>%s"
        "</svc:ContactSource></svc:CreateContactList>" % contacts).findtext(".//{*}CreatedId"))
    ids = [int(c.get("id")) for c in client.call(
        "<svc:QueryContacts><svc:ContactListId>%d</svc:ContactListId></svc:QueryContacts>"
        % list_id).iter("{%s}Contact" % NS_DATA)]
    dnc_id = int(client.call("<svc:CreateDncListRequest><svc:Name>shared</svc:Name>"
                             "</svc:CreateDncListRequest>").findtext(".//{*}CreatedId"))
    return Shared(list_id, dnc_id, ids)


def _work(client: Client, shared: Shared, contact_id: int, deadline: float) -> int:
    """Reads and writes in turn until the deadline; returns how many requests it made."""
    for step in itertools.count():
        if time.monotonic() > deadline:
            return step
        kind = step % 5
        if kind == 0:
            number = _number()
            client.call("<svc:AddContactsToList><svc:ContactListId>%d</svc:ContactListId>"
                        "<svc:ContactSource><svc:Numbers>%s</svc:Numbers></svc:ContactSource>"
                        "</svc:AddContactsToList>" % (shared.list_id, number))
            client.added.append(number)
        elif kind == 1:
            name = "step-%d" % step
            client.call('<svc:UpdateContacts><data:Contact id="%d" firstName="%s"/>'
                        "</svc:UpdateContacts>" % (contact_id, name))
            client.name = name
        elif kind == 2:
            number = _number()
            created = client.call(
                "<svc:CreateContactList><svc:Name>own</svc:Name><svc:ContactSource><svc:Numbers>"
                "%s</svc:Numbers></svc:ContactSource></svc:CreateContactList>" % number)
            client.lists[int(created.findtext(".//{*}CreatedId"))] = number
        elif kind == 3:
            number = _number()
            client.call("<svc:AddNumbersToDncListRequest><svc:Id>%d</svc:Id><svc:Numbers>%s"
                        "</svc:Numbers></svc:AddNumbersToDncListRequest>"
                        % (shared.dnc_id, number))
            client.dnc.append(number)
        else:  # a read sees at least what this client was told was written
            size = int(client.call("<svc:GetContactList><svc:Id>%d</svc:Id></svc:GetContactList>"
                                   % shared.list_id).findtext(".//{*}Size"))
            assert size >= len(shared.contact_ids) + len(client.added)


def test_concurrent_readers_and_writers_lose_nothing(busy):
    accounts = [new_account(busy) for _ in range(ACCOUNTS)]
    shared = [_setup(busy, account) for account in accounts]
    clients = [Client(busy, accounts[i % ACCOUNTS]) for i in range(CLIENTS)]
    contact_of = [shared[i % ACCOUNTS].contact_ids[i // ACCOUNTS] for i in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)

    def run(i: int) -> int:
        start.wait()
        return _work(clients[i], shared[i % ACCOUNTS], contact_of[i],
                     time.monotonic() + SECONDS)

    with ThreadPoolExecutor(CLIENTS) as pool:
        requests_made = sum(pool.map(run, range(CLIENTS)))
    assert requests_made > CLIENTS * 5

    for a, (account, mine) in enumerate(zip(accounts, shared)):
        reader = Client(busy, account)
        writers = clients[a::ACCOUNTS]
        added = [n for c in writers for n in c.added]
        listed = reader.call("<svc:QueryContacts><svc:MaxResults>1000</svc:MaxResults>"
                             "<svc:ContactListId>%d</svc:ContactListId></svc:QueryContacts>"
                             % mine.list_id)
        assert int(listed.findtext(".//{*}TotalResults")) == len(mine.contact_ids) + len(added)
        phones = {c.get("homePhone") for c in listed.iter("{%s}Contact" % NS_DATA)}
        assert set(added) <= phones
        for client, contact_id in zip(writers, contact_of[a::ACCOUNTS]):
            contact = reader.call("<svc:GetContact><svc:Id>%d</svc:Id></svc:GetContact>"
                                  % contact_id).find(".//{*}Contact")
            assert contact.get("firstName") == client.name
            for list_id, number in client.lists.items():
                found = reader.call("<svc:QueryContacts><svc:ContactListId>%d</svc:ContactListId>"
                                    "</svc:QueryContacts>" % list_id)
                assert [c.get("homePhone") for c in found.iter("{%s}Contact" % NS_DATA)] == [
                    number]
        dnc = [n for c in writers for n in c.dnc]
        numbers = reader.call("<svc:QueryDncNumbersRequest><svc:MaxResults>1000</svc:MaxResults>"
                              "<svc:DncListId>%d</svc:DncListId></svc:QueryDncNumbersRequest>"
                              % mine.dnc_id)
        assert sorted(n.findtext("{*}Number") for n in numbers.iter("{%s}DncNumber" % NS_DATA)) \
            == sorted(dnc)
    assert "locked" not in busy.log_path.read_text()
