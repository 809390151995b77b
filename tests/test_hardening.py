"""Hostile input, limits and authentication, over real HTTP against ``serve``.

Every test here proves one protection: it fails when the protection is taken
away.
"""
import base64

import pytest
from lxml import etree

from conftest import ENVELOPE, NS_DATA, account_rows, bind, post, sender, served_client


def create_list(body: str) -> str:
    return ENVELOPE % ("<svc:CreateContactList><svc:Name>n</svc:Name>"
                       "<svc:ContactSource>%s</svc:ContactSource></svc:CreateContactList>" % body)


def csv_list(csv: bytes) -> str:
    return create_list("<svc:File>%s</svc:File>" % base64.b64encode(csv).decode())


@pytest.mark.parametrize("clash", ["FIRSTNAME", "HomePhone", "ID", "Id"])
def test_an_extra_attribute_named_like_a_standard_one_is_refused(server, account, clash):
    contacts = bind(served_client(server, account), server, "Contact")
    contacts.CreateContactList(Name="l", ContactSource={"Numbers": {"_value_1": ["13105551212"]}})
    (contact,) = contacts.QueryContacts().Contact
    before = account_rows(server.store, account.id)
    for body in (create_list('<data:Contact homePhone="12135551000" %s="x"/>' % clash),
                 ENVELOPE % '<svc:UpdateContacts><data:Contact id="%d" %s="x"/>'
                            '</svc:UpdateContacts>' % (contact.id, clash)):
        fault = sender(post(server, account, body))
        assert "clashes with the standard attribute" in fault["reason"]
    assert account_rows(server.store, account.id) == before


def test_a_csv_with_characters_xml_cannot_carry_is_refused(server, account):
    before = account_rows(server.store, account.id)
    fault = sender(post(server, account, csv_list(b"homePhone,firstName\n13105551212,a\x01b\n")))
    assert fault["reason"] == "File line 2 holds U+0001, a character XML cannot carry"
    assert account_rows(server.store, account.id) == before


def test_csv_columns_become_attribute_names_xml_accepts(server, account):
    headers = ["homePhone", "xmlns", "µ", "x²", "Prénom", "1st", "a b"]
    csv = (",".join(headers) + "\n13105551212," + ",".join("v%d" % i for i in range(6))
           + "\n").encode()
    assert post(server, account, csv_list(csv)).status_code == 200
    response = post(server, account, ENVELOPE % "<svc:QueryContacts/>")
    assert response.status_code == 200, response.text
    (contact,) = etree.fromstring(response.content).iter("{%s}Contact" % NS_DATA)
    assert dict(contact.attrib) == {
        "id": contact.get("id"), "homePhone": "13105551212", "_xmlns": "v0", "_": "v1",
        "x_": "v2", "Pr_nom": "v3", "_1st": "v4", "a_b": "v5"}
