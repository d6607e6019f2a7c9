"""``core.short_choices.ShortModelChoiceField``: Django's options and validation, read in one query."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciencebridge.core.short_choices import ShortModelChoiceField
from sciencebridge.institutions.models import Institution

pytestmark = pytest.mark.django_db


class _Short(forms.Form):
    institution = ShortModelChoiceField(
        queryset=Institution.objects.order_by("code"), required=False
    )


class _Django(forms.Form):
    institution = forms.ModelChoiceField(
        queryset=Institution.objects.order_by("code"), required=False
    )


def test_same_options_as_djangos_field(world):
    data = {"institution": str(world.hku.pk)}
    short, plain = str(_Short(data)["institution"]), str(_Django(data)["institution"])
    assert short == plain
    assert short.count("<option") == Institution.objects.count() + 1
    assert f'value="{world.hku.pk}" selected' in short


def test_the_options_are_one_plain_query(world):
    with CaptureQueriesContext(connection) as queries:
        str(_Short()["institution"])
    assert len(queries) == 1
    assert "DECLARE" not in queries[0]["sql"].upper()  # no server-side cursor on PostgreSQL


def test_validation_is_djangos(world):
    good = _Short({"institution": str(world.hku.pk)})
    assert good.is_valid() and good.cleaned_data["institution"] == world.hku
    bad = _Short({"institution": "999999"})
    assert not bad.is_valid()
    assert bad.errors["institution"] == _Django({"institution": "999999"}).errors["institution"]
