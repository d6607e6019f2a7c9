"""``get_<field>_display`` through ``core.choice_labels``: the same string as Django's own, in every
language, for every choice of every model field (and for a value outside the choices)."""

from django.apps import apps
from django.db import models
from django.utils import translation

from sciencebridge.core import choice_labels
from sciencebridge.dataflows.models import DataTransferAgreement
from sciencebridge.funding.models import HalfState, ProposalHalf
from sciencebridge.jobs.models import Job


def _choice_fields():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and hasattr(field, "attname"):
                yield model, field


def _bare(model, field, value):
    obj = model.__new__(model)
    obj.__dict__[field.attname] = value
    return obj


def test_every_generated_display_method_is_replaced():
    replaced = [
        (model, field)
        for model, field in _choice_fields()
        if getattr(model.__dict__.get(f"get_{field.name}_display"), "func", None)
        is choice_labels.choice_label
    ]
    assert (ProposalHalf, ProposalHalf._meta.get_field("state")) in replaced
    assert len(replaced) > 50
    assert choice_labels.install() == 0  # nothing left to replace: install() ran at start-up


def test_same_label_as_django_for_every_choice_in_every_language():
    checked = 0
    for lang in ("en", "zh-hant", "zh-hans"):
        with translation.override(lang):
            for model, field in _choice_fields():
                values = [value for value, _label in field.flatchoices] + ["no-such-choice", None]
                for value in values:
                    obj = _bare(model, field, value)
                    ours = getattr(obj, f"get_{field.name}_display")()
                    assert ours == models.Model._get_FIELD_display(obj, field), (
                        model,
                        field,
                        value,
                    )
                    checked += 1
    assert checked > 500


def test_label_follows_the_active_language():
    half = _bare(ProposalHalf, ProposalHalf._meta.get_field("state"), HalfState.ELIGIBLE)
    with translation.override("en"):
        english = half.get_state_display()
        assert english == str(HalfState.ELIGIBLE.label) == "Screened: eligible"
    with translation.override("zh-hant"):
        chinese = half.get_state_display()
        assert chinese == str(HalfState.ELIGIBLE.label) != english


def test_a_model_with_its_own_display_method_keeps_it():
    assert "get_status_display" in Job.__dict__
    assert not hasattr(Job.__dict__["get_status_display"], "func")
    assert not hasattr(DataTransferAgreement.__dict__.get("get_direction_display"), "func")
