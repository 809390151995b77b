"""Reading and writing the schema's Spyne models, compiled once per class.

Spyne's generic ``XmlDocument`` rediscovers, for every element of every
request, each field's class attributes through weak-key caches, and builds
instances through its general constructor; on a 1,000-contact UpdateContacts
that is most of the request's time.  Here each model class is turned once
into a plain table of fields with their converters, and reading or writing an
element is a loop over that table.  The models, the wire format and what
Spyne's protocol hands to services are unchanged.

What the tables also carry, because the schema says so: defaults for absent
optional fields, ``anyAttribute`` extras (the model's ``anyAttribute`` field,
``soap.schema.AnyAttributes``), and ``xs:list`` values as Python lists.
"""
from __future__ import annotations

import base64
import binascii
import decimal
import re
from typing import Callable

from lxml import etree
from spyne.model.binary import ByteArray
from spyne.model.complex import ComplexModelBase, XmlAttribute, XmlData
from spyne.model.primitive import Boolean, Date, DateTime, Decimal, Float, Integer, Time

from ..store import attributes as extra_attributes
from ..store.errors import InvalidRequest
from . import faults
from .schema import ANY_ATTRIBUTE, SpaceList

_LIST_SEPARATORS = re.compile(r"[\s,]+")
DEFAULTED = "_defaulted"  # an instance's fields that were absent and took their default


def defaulted(instance) -> frozenset[str]:
    """The fields of a request element that were left out and hold the schema's default:
    a partial update keeps what is stored for them."""
    return instance.__dict__.get(DEFAULTED, frozenset())


def split_list(text: str) -> list[str]:
    """A list in a string, as CallFire documented lists: items separated by spaces
    or commas (the DNC operations' ``Numbers``).  An ``xs:list`` is split on XML's
    whitespace alone, after ``soap.protocol`` turned its commas into spaces."""
    return [item for item in _LIST_SEPARATORS.split(text) if item]


def _base64(text: str) -> bytes:
    """A base64Binary value's bytes.  libxml2's validator lets Unicode spaces
    (U+00A0, U+3000) pass as whitespace; XSD's lexical space is ASCII only."""
    try:
        return base64.b64decode(text.encode("ascii"))
    except (UnicodeEncodeError, binascii.Error):
        raise faults.bad_request("the request breaks the schema: %r is not base64Binary"
                                 % text[:40]) from None


def _local(tag: str) -> str:
    return tag[tag.index("}") + 1:] if tag[0] == "{" else tag


class Codec:
    """Readers and writers for Spyne model classes, built on first use.

    ``spyne_from_text`` / ``spyne_to_text`` are the protocol's own converters,
    used for the types where Spyne's parsing is the reference (dates, times).
    """

    def __init__(self, spyne_from_text: Callable, spyne_to_text: Callable):
        self._spyne_from_text = spyne_from_text
        self._spyne_to_text = spyne_to_text
        self._readers: dict[type, Callable] = {}
        self._writers: dict[type, Callable] = {}

    # -- simple values ------------------------------------------------------

    def from_text(self, model: type) -> Callable[[str | None], object]:
        if issubclass(model, SpaceList):
            item = self.from_text(model.Attributes.item_type)
            return lambda text: [item(token) for token in (text or "").split()]
        if issubclass(model, Boolean):
            return lambda text: (text or "").strip() in ("true", "1")
        if issubclass(model, Integer):
            return lambda text: int(text)
        if issubclass(model, Float):
            return lambda text: float(text)
        if issubclass(model, Decimal):
            return lambda text: decimal.Decimal(text.strip())
        if issubclass(model, ByteArray):
            return lambda text: [_base64(text or "")]
        if issubclass(model, (DateTime, Date, Time)):
            return lambda text: self._spyne_from_text(model, text.strip())
        return lambda text: text or ""

    def to_text(self, model: type) -> Callable[[object], str]:
        if issubclass(model, SpaceList):
            item = self.to_text(model.Attributes.item_type)
            return lambda value: " ".join(item(v) for v in value)
        if issubclass(model, Boolean):
            return lambda value: "true" if value else "false"
        if issubclass(model, Integer):
            return lambda value: str(int(value))
        if issubclass(model, Float):
            return lambda value: repr(float(value))
        if issubclass(model, ByteArray):
            return lambda value: base64.b64encode(b"".join(value)).decode()
        if issubclass(model, (DateTime, Date, Time, Decimal)):
            return lambda value: self._spyne_to_text(model, value)
        return str

    def _element_text(self, model: type) -> Callable[[str | None], object]:
        """An element's text; in XSD an element present but empty takes its default
        (``<MaxResults/>`` is 1000)."""
        convert, default = self.from_text(model), model.Attributes.default
        if default is None:
            return convert
        return lambda text: default if not text else convert(text)

    # -- reading ------------------------------------------------------------

    def read(self, cls: type, element) -> object:
        reader = self._readers.get(cls)
        if reader is None:
            reader = self._readers[cls] = self._compile_reader(cls)
        return reader(element)

    def _compile_reader(self, cls: type) -> Callable:
        flat = cls.get_flat_type_info(cls)
        template = dict.fromkeys(flat)
        attributes, children, defaults, text_field = {}, {}, [], None
        any_attribute = ANY_ATTRIBUTE in flat
        for key, member in flat.items():
            if key == ANY_ATTRIBUTE:
                continue
            model = member.type if issubclass(member, (XmlAttribute, XmlData)) else member
            if model.Attributes.default is not None:
                defaults.append((key, model.Attributes.default))
            if issubclass(member, XmlAttribute):
                attributes[key] = self.from_text(model)
            elif issubclass(member, XmlData):
                text_field = (key, self.from_text(model))
            elif issubclass(member, ComplexModelBase):
                children[key] = (key, member.Attributes.max_occurs > 1, True, member)
            else:
                children[key] = (key, member.Attributes.max_occurs > 1, False,
                                 self._element_text(member))

        def read(element):
            values = dict(template)
            extras = {}
            for name, text in element.attrib.items():
                convert = attributes.get(name)
                if convert is not None:
                    values[name] = convert(text)
                elif any_attribute and not name.startswith(extra_attributes.XML_NAMESPACES):
                    try:
                        extra_attributes.check_request_name(name)
                    except InvalidRequest as error:
                        raise faults.from_error(error) from None
                    extras[name] = text
            if text_field is not None:
                values[text_field[0]] = text_field[1](element.text)
            for child in element:
                tag = child.tag
                if not isinstance(tag, str):
                    continue
                entry = children.get(_local(tag))
                if entry is None:
                    continue
                key, repeated, is_complex, convert = entry
                value = self.read(convert, child) if is_complex else convert(child.text)
                if repeated:
                    if values[key] is None:
                        values[key] = []
                    values[key].append(value)
                else:
                    values[key] = value
            filled = []
            for key, default in defaults:
                if values[key] is None:
                    values[key] = default
                    filled.append(key)
            if filled:
                values[DEFAULTED] = frozenset(filled)
            if any_attribute:
                values[ANY_ATTRIBUTE] = extras
            instance = cls.__new__(cls)
            instance.__dict__.update(values)
            return instance

        return read

    # -- writing ------------------------------------------------------------

    def write(self, cls: type, instance, parent, tag: str) -> None:
        writer = self._writers.get(cls)
        if writer is None:
            writer = self._writers[cls] = self._compile_writer(cls)
        writer(instance, parent, tag)

    def _compile_writer(self, cls: type) -> Callable:
        if not issubclass(cls, ComplexModelBase):  # a simple element (svc:CreatedId)
            convert = self.to_text(cls)

            def write_simple(value, parent, tag):
                etree.SubElement(parent, tag).text = convert(value)

            return write_simple
        attributes, children, text_field = [], [], None
        namespace = cls.get_namespace()
        flat = cls.get_flat_type_info(cls)
        any_attribute = ANY_ATTRIBUTE in flat
        for key, member in flat.items():
            if key == ANY_ATTRIBUTE:
                continue
            if issubclass(member, XmlAttribute):
                attributes.append((key, self.to_text(member.type)))
            elif issubclass(member, XmlData):
                text_field = (key, self.to_text(member.type))
            else:
                tag = "{%s}%s" % (member.Attributes.sub_ns or namespace,
                                  member.Attributes.sub_name or key)
                repeated = member.Attributes.max_occurs > 1
                if issubclass(member, ComplexModelBase):
                    children.append((key, tag, repeated, member, None))
                else:
                    children.append((key, tag, repeated, None, self.to_text(member)))

        def write(instance, parent, tag):
            attrib = {}
            for key, convert in attributes:
                value = getattr(instance, key, None)
                if value is not None:
                    attrib[key] = convert(value)
            if any_attribute:
                attrib.update(getattr(instance, ANY_ATTRIBUTE, None) or ())
            element = etree.SubElement(parent, tag, attrib)
            if text_field is not None:
                value = getattr(instance, text_field[0], None)
                if value is not None:
                    element.text = text_field[1](value)
            for key, child_tag, repeated, model, convert in children:
                value = getattr(instance, key, None)
                if value is None:
                    continue
                for item in (value if repeated else (value,)):
                    if model is not None:
                        self.write(model, item, element, child_tag)
                    else:
                        etree.SubElement(element, child_tag).text = convert(item)

        return write
