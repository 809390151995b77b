"""One reader and one writer between the schema's models and plain records.

A record is a dict keyed by the schema's own names (``firstName``,
``ClientData``, ``LocalTimeZoneRestriction``), and ``#text`` for the text of
an element with simple content (a ToNumber's number): a key no XML attribute
can have, as in xmltodict.  An element's extra attributes (``xs:anyAttribute``) are entries of its
record like the declared ones: the reader merges them in, the writer tells
them apart again by the schema's declarations, in one place, so that a
Contact's fields go from the body to their rows and back as one mapping.
Nested records (dicts, or lists of dicts for repeated elements) become the
classes the schema declares for them, anonymous nested types included.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spyne.model.complex import ComplexModelBase, XmlData

from .schema import ANY_ATTRIBUTE, field_type, fields, has_any_attribute


TEXT = "#text"


@dataclass(frozen=True)
class _Layout:
    keys: dict[str, str]                          # record key -> field
    nested: dict[str, tuple[type, bool]]          # complex fields: (class, repeated)
    any_attribute: bool
    template: dict[str, None]                     # every field of an instance, unset


@lru_cache(maxsize=None)
def _layout(cls: type) -> _Layout:
    declared = fields(cls)
    nested = {name: (field_type(cls, name), member.Attributes.max_occurs > 1)
              for name, member in declared.items()
              if issubclass(field_type(cls, name), ComplexModelBase)}
    keys = {TEXT if issubclass(member, XmlData) else name: name
            for name, member in declared.items()}
    any_attribute = has_any_attribute(cls)
    template = dict.fromkeys(declared)
    if any_attribute:
        template[ANY_ATTRIBUTE] = None
    return _Layout(keys, nested, any_attribute, template)


def to_record(instance) -> dict[str, object]:
    """What ``instance`` holds, as a record: fields that are set, extra attributes
    beside them, nested elements as records (lists of records when repeated)."""
    layout = _layout(type(instance))
    record = {}
    for key, name in layout.keys.items():
        value = getattr(instance, name, None)
        if value is None:
            continue
        if name in layout.nested:
            _, repeated = layout.nested[name]
            value = [to_record(v) for v in value] if repeated else to_record(value)
        record[key] = value
    if layout.any_attribute:
        record.update(getattr(instance, ANY_ATTRIBUTE, None) or ())
    return record


def from_record(cls: type, record: dict[str, object]):
    """An instance of ``cls`` holding ``record``; entries the schema does not declare
    are its extra attributes (a KeyError where it has none)."""
    layout = _layout(cls)
    values = dict(layout.template)
    extras = {}
    for key, value in record.items():
        name = layout.keys.get(key)
        if name is not None:
            nested = layout.nested.get(name)
            if nested is not None and value is not None:
                model, repeated = nested
                value = [_nested(model, v) for v in value] if repeated \
                    else _nested(model, value)
            values[name] = value
        elif layout.any_attribute:
            extras[key] = value
        else:
            raise KeyError("%s declares no %s and takes no extra attributes"
                           % (cls.__name__, key))
    if layout.any_attribute:
        values[ANY_ATTRIBUTE] = extras
    instance = cls.__new__(cls)
    instance.__dict__.update(values)
    return instance


def _nested(model: type, value):
    return from_record(model, value) if isinstance(value, dict) else value
