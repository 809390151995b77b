"""Schema loading, the codec and the records reader/writer, against small inline schemas.

Fast and without a server: each test writes the few lines of XSD it needs.
"""
from __future__ import annotations

import pytest
from lxml import etree
from spyne.protocol.soap import Soap12

from callfire_soap.soap.codec import Codec, split_list
from callfire_soap.soap.faults import ServiceFault
from callfire_soap.soap.records import TEXT, from_record, to_record
from callfire_soap.soap.schema import (ANY_ATTRIBUTE, Schema, choices, fields,
                                       has_any_attribute, own_fields)

NS = "urn:example"
XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:e="urn:example"
    targetNamespace="urn:example" elementFormDefault="qualified">
  <xs:simpleType name="Digits"><xs:restriction base="xs:string">
    <xs:pattern value="[0-9]+"/></xs:restriction></xs:simpleType>
  <xs:complexType name="Number"><xs:simpleContent><xs:extension base="e:Digits">
    <xs:attribute name="Note" type="xs:string"/><xs:anyAttribute processContents="lax"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:complexType name="Base"><xs:sequence>
    <xs:element name="Name" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType>
  <xs:element name="Person"><xs:complexType><xs:complexContent><xs:extension base="e:Base">
    <xs:sequence>
      <xs:element name="Limit" type="xs:int" minOccurs="0" default="1000"/>
      <xs:element name="Tags" minOccurs="0"><xs:simpleType>
        <xs:list itemType="xs:long"/></xs:simpleType></xs:element>
      <xs:choice><xs:element name="Text" type="xs:string"/>
        <xs:element name="SoundId" type="xs:long"/></xs:choice>
      <xs:element name="Window" minOccurs="0"><xs:complexType><xs:sequence>
        <xs:element name="Begin" type="xs:time"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="Number" type="e:Number" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="id" type="xs:long"/>
    <xs:attribute name="firstName" type="xs:string"/>
    <xs:anyAttribute processContents="lax"/>
  </xs:extension></xs:complexContent></xs:complexType></xs:element>
</xs:schema>"""


@pytest.fixture(scope="module")
def person(tmp_path_factory) -> type:
    path = tmp_path_factory.mktemp("xsd") / "example.xsd"
    path.write_text(XSD)
    return Schema(path).element("{%s}Person" % NS)


@pytest.fixture(scope="module")
def codec() -> Codec:
    protocol = Soap12()
    return Codec(protocol.from_unicode, protocol.to_unicode)


def _read(codec, person, xml: str):
    return codec.read(person, etree.fromstring(
        '<Person xmlns="%s" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" %s' % (NS, xml)))


def test_a_model_declares_the_schema_fields_choices_and_extension(person):
    assert list(fields(person)) == ["Name", "Limit", "Tags", "Text", "SoundId", "Window",
                                    "Number", "id", "firstName"]
    assert own_fields(person) == ["Limit", "Tags", "Text", "SoundId", "Window", "Number",
                                  "id", "firstName"]
    assert choices(person) == (("Text", "SoundId"),)
    assert has_any_attribute(person)
    assert fields(person)["Limit"].Attributes.default == 1000
    assert fields(person)["Number"].Attributes.max_occurs > 1


def test_the_codec_reads_types_defaults_lists_and_extra_attributes(codec, person):
    value = _read(codec, person, 'id="7" firstName="Ann" note="vip" xsi:type="x">'
                  '<Name>A</Name><Limit/><Tags>1 2 3</Tags><SoundId>5</SoundId>'
                  '<Window><Begin>09:30:00</Begin></Window>'
                  '<Number Note="home" x.y="1">13105551212</Number><Number>12</Number>'
                  '</Person>')
    assert (value.id, value.firstName, value.Name, value.Limit, value.Tags, value.SoundId) == (
        7, "Ann", "A", 1000, [1, 2, 3], 5)
    assert getattr(value, ANY_ATTRIBUTE) == {"note": "vip"}  # xsi:type is XML's own
    assert str(value.Window.Begin) == "09:30:00"
    first, second = value.Number
    assert (first.value, first.Note, getattr(first, ANY_ATTRIBUTE)) == (
        "13105551212", "home", {"x.y": "1"})
    assert (second.value, second.Note, getattr(second, ANY_ATTRIBUTE)) == ("12", None, {})


def test_the_codec_refuses_a_namespace_qualified_extra_attribute(codec, person):
    with pytest.raises(ServiceFault, match="namespace-qualified extra attribute") as refused:
        _read(codec, person, 'xmlns:o="urn:other" o:note="x"><Text>t</Text></Person>')
    assert refused.value.fault_code == "BAD_REQUEST"


def test_a_record_holds_declared_and_extra_attributes_alike(codec, person):
    value = _read(codec, person, 'id="7" firstName="Ann" note="vip"><Text>t</Text>'
                  '<Number Note="home" value="v">13105551212</Number></Person>')
    assert to_record(value) == {
        "Limit": 1000, "Text": "t", "id": 7, "firstName": "Ann", "note": "vip",
        "Number": [{TEXT: "13105551212", "Note": "home", "value": "v"}]}


def test_the_writer_tells_extra_attributes_from_declared_ones_again(codec, person):
    value = from_record(person, {"id": 7, "firstName": "Ann", "note": "vip", "Text": "t",
                                 "Window": {"Begin": None}, "Number": [
                                     {TEXT: "12", "Note": "n", "value": "v"}]})
    assert (value.id, value.firstName, getattr(value, ANY_ATTRIBUTE)) == (7, "Ann",
                                                                          {"note": "vip"})
    assert value.Window.Begin is None and value.Name is None
    parent = etree.Element("root")
    codec.write(person, value, parent, "{%s}Person" % NS)
    assert etree.tostring(parent[0]).decode() == (
        '<ns0:Person xmlns:ns0="urn:example" id="7" firstName="Ann" note="vip">'
        '<ns0:Text>t</ns0:Text><ns0:Window/>'
        '<ns0:Number Note="n" value="v">12</ns0:Number></ns0:Person>')
    assert to_record(codec.read(person, parent[0])) == {
        "Limit": 1000, "Text": "t", "Window": {}, "id": 7, "firstName": "Ann",
        "note": "vip", "Number": [{TEXT: "12", "Note": "n", "value": "v"}]}


def test_a_type_without_any_attribute_takes_no_undeclared_entry(person):
    window = fields(person)["Window"]
    with pytest.raises(KeyError, match="declares no End"):
        from_record(window, {"End": "10:00:00"})


@pytest.mark.parametrize("text, items", [
    ("13105551212 13105551213", ["13105551212", "13105551213"]),
    (" 1,2 ,, 3\n", ["1", "2", "3"]),
    ("", []),
])
def test_a_list_in_a_string_is_split_on_spaces_and_commas(text, items):
    assert split_list(text) == items
