"""``core.widgets.QuickSelect`` writes Django's ``Select`` markup byte for byte, without the templates."""

import pytest
from django import forms

from sciencebridge.core.widgets import QuickSelect
from sciencebridge.funding.forms import OfficerFilterForm, officer_filter_choices

CASES = [
    # (choices, value, attrs): escaping in values and labels, an int value, the blank choice selected
    ([("", "—"), ("a", "A & B"), (1, '<x>"q"')], "a", None),
    ([("", "—"), ("a", "A")], None, None),
    ([("", "—"), (1, "one"), (2, "two")], 2, None),
    # option groups, and attributes: a value, True (name alone), an id
    ([("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")], "y", {"id": "id_g", "required": True}),
    # False drops the attribute; a value needing escaping
    ([("", "—")], None, {"disabled": True, "data-x": False, "title": 'a "b" & c'}),
    ([], None, None),
    ([("香港大學", "香港大學")], "香港大學", None),
]


@pytest.mark.parametrize("choices, value, attrs", CASES)
def test_same_markup_as_djangos_select(choices, value, attrs):
    assert QuickSelect(choices=choices).render("f", value, attrs) == forms.Select(
        choices=choices
    ).render("f", value, attrs)


def test_widget_attrs_given_at_construction_are_kept():
    kw = {"choices": [("a", "A")], "attrs": {"class": "small", "autofocus": True}}
    assert QuickSelect(**kw).render("f", "a") == forms.Select(**kw).render("f", "a")


@pytest.mark.django_db
def test_a_filter_form_renders_as_with_djangos_select(world):
    """The officer list's filter form, bound to a choice: the same HTML as with ``Select`` widgets."""
    data = {"state": "submitted", "institution": str(world.hku.pk)}
    areas, institutions = officer_filter_choices(world.call, [world.hku.pk])
    quick = OfficerFilterForm(data, areas=areas, institutions=institutions)
    plain = OfficerFilterForm(data, areas=areas, institutions=institutions)
    for name in ("state", "area", "institution"):
        assert isinstance(quick.fields[name].widget, QuickSelect)
        plain.fields[name].widget = forms.Select(choices=plain.fields[name].choices)
    assert str(quick["institution"]).count("<option") == 2
    for name in ("state", "area", "institution"):
        assert str(quick[name]) == str(plain[name])
