"""``get_<field>_display()`` without translating every choice on every call.

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))`` on each call;
``make_hashable`` hashes each (lazy, translated) label, which translates all of the field's choices to
show one. A half's state has eleven: the officer's list of 50 rows spent ~10 % of its time there
(``bench/scale.py profile``). Here the label map is built once per field, with the lazy labels kept
lazy, so each call translates only the label it returns, in the active language; the result is the
same string Django returns (tested against Django's own implementation).

``install()`` (CoreConfig.ready) replaces the ``get_<field>_display`` methods Django generated for
every model; a model that defines its own ``get_<field>_display`` keeps it.
"""

from functools import partialmethod

from django.apps import apps
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict = {}


def _labels(field) -> dict:
    labels = _LABELS.get(field)
    if labels is None:
        labels = _LABELS[field] = {
            make_hashable(value): label for value, label in field.flatchoices
        }
    return labels


def choice_label(self, field):
    """What ``Model._get_FIELD_display`` returns, reading a label map built once per field."""
    value = getattr(self, field.attname)
    return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)


def install() -> int:
    """Point every generated ``get_<field>_display`` at ``choice_label``; returns how many."""
    django_default = models.Model._get_FIELD_display
    count = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None) or not hasattr(field, "attname"):
                continue
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            if isinstance(method, partialmethod) and method.func is django_default:
                setattr(model, name, partialmethod(choice_label, field=field))
                count += 1
    return count
