"""Spyne models built from the served XSD files.

The XSDs in ``wsdl/`` are the one source of truth for the interface: the
server validates requests against them and this module derives the Spyne
classes that parse requests and write responses from the very same files,
so the two cannot drift apart.  Only the XSD subset the CallFire schema uses
is supported; anything else fails loudly at start-up.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree
from spyne.model.binary import ByteArray
from spyne.model.complex import ComplexModel, ComplexModelMeta, XmlAttribute, XmlData
from spyne.model.primitive import (
    AnyDict, AnyUri, Boolean, Date, DateTime, Decimal, Float, Int, Integer, Long, Time, Unicode,
)
from spyne.util.odict import odict

XS = "http://www.w3.org/2001/XMLSchema"
UNBOUNDED = float("inf")

_BUILTINS = {
    "string": Unicode, "token": Unicode, "anyURI": AnyUri,
    "long": Long, "int": Int, "integer": Integer, "decimal": Decimal, "float": Float,
    "boolean": Boolean, "dateTime": DateTime, "date": Date, "time": Time,
    "base64Binary": ByteArray,
}


ANY_ATTRIBUTE = "anyAttribute"  # the field of an xs:anyAttribute, named as the XSD names it


class AnyAttributes(AnyDict):
    """An ``xs:anyAttribute``: the attributes an element carries beyond those the
    schema declares, name -> text, as a field of its model (like zeep's
    ``AnyAttribute``); ``soap.codec`` reads and writes them as XML attributes."""


def fields(cls: type) -> dict[str, type]:
    """The fields a model declares (its base type's included), by their schema names."""
    return {name: member for name, member in cls.get_flat_type_info(cls).items()
            if name != ANY_ATTRIBUTE}


def own_fields(cls: type) -> list[str]:
    """The fields a model declares beyond its base type's (an extension's own)."""
    (base,) = cls.__bases__
    inherited = fields(base)
    return [name for name in fields(cls) if name not in inherited]


def field_type(cls: type, name: str) -> type:
    """The model of field ``name``: an attribute's or text's simple type, or the
    element's class (an anonymous nested type included)."""
    member = fields(cls)[name]
    return member.type if issubclass(member, (XmlAttribute, XmlData)) else member


def has_any_attribute(cls: type) -> bool:
    return ANY_ATTRIBUTE in cls.get_flat_type_info(cls)


def choices(cls: type) -> tuple[tuple[str, ...], ...]:
    """The alternatives of each ``xs:choice`` of a model, as field names in schema order."""
    return cls.choices


class SpaceList(Unicode):
    """An ``xs:list``: one space-separated string on the wire, a Python list in code.

    ``Attributes.item_type`` is the Spyne type of one item; the protocol
    (``soap.protocol``) splits and joins.
    """

    class Attributes(Unicode.Attributes):
        item_type = Unicode


def _xs(tag: str) -> str:
    return "{%s}%s" % (XS, tag)


def _occurs(node, name: str) -> float:
    value = node.get(name, "1")
    return UNBOUNDED if value == "unbounded" else int(value)


class Schema:
    """The global elements and types of a set of XSD files, as Spyne classes."""

    def __init__(self, xsd_path: Path):
        self._elements: dict[str, etree._Element] = {}
        self._complex: dict[str, etree._Element] = {}
        self._simple: dict[str, etree._Element] = {}
        self._models: dict[str, type] = {}
        self._load(Path(xsd_path), seen=set())

    # -- public -----------------------------------------------------------

    def element(self, qname: str) -> type:
        """The Spyne class that reads and writes the global element ``qname``."""
        if qname not in self._elements:
            raise KeyError("no global element %s in the schema" % qname)
        key = "element " + qname
        if key not in self._models:
            ns, name = _split(qname)
            node = self._elements[qname]
            model = self._element_type(node, ns, name)
            if node.get("type"):  # a shared named type: a variant carries the name
                model = model.customize(sub_name=name, sub_ns=ns)
            else:  # the element's own type: instantiable, named after it
                model.Attributes.sub_name, model.Attributes.sub_ns = name, ns
            self._models[key] = model
        return self._models[key]

    def element_names(self) -> list[str]:
        return list(self._elements)

    # -- loading ----------------------------------------------------------

    def _load(self, path: Path, seen: set) -> None:
        path = path.resolve()
        if path in seen:
            return
        seen.add(path)
        root = etree.parse(str(path)).getroot()
        tns = root.get("targetNamespace")
        for imp in root.iterchildren(_xs("import")):
            self._load(path.parent / imp.get("schemaLocation"), seen)
        for child in root.iterchildren():
            name = child.get("name")
            table = {_xs("element"): self._elements, _xs("complexType"): self._complex,
                     _xs("simpleType"): self._simple}.get(child.tag)
            if table is not None:
                table["{%s}%s" % (tns, name)] = child

    # -- types ------------------------------------------------------------

    def _resolve(self, node, attr: str) -> str:
        prefix, _, local = node.get(attr).rpartition(":")
        return "{%s}%s" % (node.nsmap.get(prefix or None), local)

    def _named_type(self, qname: str) -> type:
        ns, name = _split(qname)
        if ns == XS:
            return _BUILTINS[name]
        key = "type " + qname
        if key not in self._models:
            if qname in self._simple:
                self._models[key] = self._simple_type(self._simple[qname], ns, name)
            else:
                self._models[key] = self._complex_type(self._complex[qname], ns, name)
        return self._models[key]

    def _element_type(self, node, ns: str, type_name: str) -> type:
        """The type of an element declaration: named, inline, or xs:string."""
        if node.get("type"):
            return self._named_type(self._resolve(node, "type"))
        for child in node:
            if child.tag == _xs("complexType"):
                return self._complex_type(child, ns, type_name)
            if child.tag == _xs("simpleType"):
                return self._simple_type(child, ns, type_name)
        return Unicode

    def _simple_type(self, node, ns: str, name: str) -> type:
        (body,) = [c for c in node if c.tag in (_xs("restriction"), _xs("list"))]
        if body.tag == _xs("list"):
            if body.get("itemType"):
                item = self._named_type(self._resolve(body, "itemType"))
            else:
                item = self._simple_type(body[0], ns, name + "Item")
            return SpaceList.customize(item_type=item, type_name=name, namespace=ns)
        base = self._named_type(self._resolve(body, "base"))
        facets = {}
        values = [e.get("value") for e in body.iterchildren(_xs("enumeration"))]
        if values:
            facets["values"] = set(values)
        patterns = [p.get("value") for p in body.iterchildren(_xs("pattern"))]
        if patterns:
            facets["pattern"] = "|".join(patterns)
        return base.customize(type_name=name, namespace=ns, **facets)

    def _complex_type(self, node, ns: str, name: str) -> type:
        base = ComplexModel
        members: list[tuple[str, type]] = []
        any_attribute = False
        content = node
        for child in node:
            if child.tag in (_xs("complexContent"), _xs("simpleContent")):
                (ext,) = [c for c in child if c.tag == _xs("extension")]
                base_type = self._named_type(self._resolve(ext, "base"))
                if child.tag == _xs("simpleContent"):
                    members.append(("value", XmlData(base_type)))
                else:
                    base = base_type
                content = ext
        choices = list(getattr(base, "choices", ()))
        for child in content:
            if child.tag in (_xs("sequence"), _xs("choice")):
                members.extend(self._particles(child, ns, name, in_choice=False))
                choices.extend(_choice_groups(child))
            elif child.tag == _xs("attribute"):
                members.append(self._attribute(child, ns, name))
            elif child.tag == _xs("anyAttribute"):
                any_attribute = True
        if any_attribute:
            members.append((ANY_ATTRIBUTE, AnyAttributes))
        attrs = {
            "__init__": _plain_init,
            "__namespace__": ns, "__type_name__": name,
            "_type_info": odict(members), "__module__": __name__,
            "choices": tuple(choices),
        }
        if node.get("abstract") == "true":
            attrs["__abstract__"] = True
        return ComplexModelMeta(name, (base,), attrs)

    def _particles(self, group, ns: str, owner: str, in_choice: bool):
        """Fields of a sequence or choice; choice members become optional."""
        in_choice = in_choice or group.tag == _xs("choice")
        group_max = _occurs(group, "maxOccurs")
        for child in group:
            if child.tag in (_xs("sequence"), _xs("choice")):
                yield from self._particles(child, ns, owner, in_choice)
            elif child.tag == _xs("element"):
                yield self._field(child, ns, owner, in_choice, group_max)

    def _field(self, node, ns: str, owner: str, optional: bool, group_max: float):
        min_occurs = 0 if optional else _occurs(node, "minOccurs")
        max_occurs = max(_occurs(node, "maxOccurs"), group_max)
        custom = {"min_occurs": min_occurs, "max_occurs": max_occurs, "nillable": False}
        if node.get("ref"):
            qname = self._resolve(node, "ref")
            field_ns, field_name = _split(qname)
            field_type = self.element(qname)
            custom["sub_ns"] = field_ns
        else:
            field_name = node.get("name")
            field_type = self._element_type(node, ns, owner + "_" + field_name)
        if node.get("default") is not None:
            custom["default"] = _typed(field_type, node.get("default"))
        return field_name, field_type.customize(**custom)

    def _attribute(self, node, ns: str, owner: str):
        name = node.get("name")
        if node.get("type"):
            attr_type = self._named_type(self._resolve(node, "type"))
        else:
            attr_type = self._simple_type(node[0], ns, owner + "_" + name)
        custom = {}
        if node.get("default") is not None:
            custom["default"] = _typed(attr_type, node.get("default"))
        if custom:
            attr_type = attr_type.customize(**custom)
        return name, XmlAttribute(attr_type, use=node.get("use"))


_FIELDS: dict[type, dict] = {}


def _plain_init(self, **values) -> None:
    """Every field None unless given.  Spyne's general constructor costs about
    15 us an instance, which a page of 1,000 contacts pays 1,000 times."""
    cls = type(self)
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = dict.fromkeys(cls.get_flat_type_info(cls))
    self.__dict__.update(fields)
    self.__dict__.update(values)


def _choice_groups(group) -> list[tuple[str, ...]]:
    """The alternatives of every xs:choice in a model group, as element names in
    schema order (a nested sequence counts as its first element)."""
    groups = []
    for node in group.iter(_xs("choice")):
        names = []
        for alternative in node:
            first = alternative if alternative.tag == _xs("element") \
                else next(alternative.iter(_xs("element")), None)
            if first is not None:
                names.append(first.get("name") or first.get("ref").rpartition(":")[2])
        groups.append(tuple(names))
    return groups


def _split(qname: str) -> tuple[str, str]:
    ns, _, name = qname[1:].partition("}")
    return ns, name


def _typed(model: type, text: str):
    """A schema default as the Python value the Spyne type holds."""
    if issubclass(model, Boolean):
        return text == "true"
    if issubclass(model, Integer):
        return int(text)
    return text
