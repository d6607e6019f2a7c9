"""The one state-transition function every workflow in ScienceBridge goes through.

A stateful model declares ``STATE_FIELD`` (default ``"state"``) and ``TRANSITIONS``:
a mapping ``from_state -> set of allowed to_states``. ``transition()`` checks the move,
saves the object and records who, when and why in :class:`StateTransition`.
"""

from dataclasses import dataclass
from dataclasses import field as dc_field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from .models import StateTransition
from .precompiled import Precompiled


class TransitionNotAllowed(ValidationError):
    pass


@dataclass(frozen=True)
class Because:
    """A reason written by the platform: a message id (marked with ``gettext_noop``) and its parameters.

    Stored as such, it reads in each viewer's language ("Submitted to ITC" / "已提交至創新科技署"), where
    a string translated when the step happened would stay in the language of that moment."""

    msgid: str
    params: dict = dc_field(default_factory=dict)

    def __str__(self):
        return _render(self.msgid, {k: _encode(v) for k, v in self.params.items()}, {})


def because(msgid: str, **params) -> Because:
    """``reason=because(gettext_noop("Submitted to %(agency)s"), agency=half.agency)``. Parameters may be
    model instances (shown by their ``str()`` in the reader's language) or any value (shown as text)."""
    return Because(msgid, params)


def _encode(value):
    if isinstance(value, models.Model):
        return {"model": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # for %(n)d
    return str(value)


def _render(msgid: str, params: dict, objects: dict) -> str:
    """``msgid`` translated into the active language with ``params`` filled in; model references are looked
    up in ``objects`` ({(label, pk): instance}) or, when missing there, fetched."""
    values = {}
    for key, value in params.items():
        if isinstance(value, dict) and "model" in value:
            ref = (value["model"], value["pk"])
            obj = objects.get(ref)
            if obj is None:
                obj = apps.get_model(value["model"])._base_manager.filter(pk=value["pk"]).first()
            value = str(obj) if obj is not None else ""
        values[key] = value
    text = _(msgid)
    try:
        return text % values if values else text
    except (
        KeyError,
        ValueError,
        TypeError,
    ):  # a translation that lost a placeholder: the English form
        try:
            return msgid % values
        except (KeyError, ValueError, TypeError):
            return msgid


def render_reason(msgid: str, params: dict) -> str:
    """A stored message (``reason_fields``' msgid and parameters) in the active language."""
    return _render(msgid, params, {})


def reason_fields(reason) -> dict:
    """The StateTransition fields that store ``reason`` (free text, or a :class:`Because`)."""
    if isinstance(reason, Because):
        params = {k: _encode(v) for k, v in reason.params.items()}
        with translation.override("en"):
            english = _render(reason.msgid, params, {})
        return {"reason": english, "reason_msgid": reason.msgid, "reason_params": params}
    return {"reason": str(reason or "")}


def _localise_reasons(steps) -> None:
    """Replace each platform-written reason by its wording in the active language (one query per model
    that the reasons name, not one per step)."""
    wanted: dict[str, set] = {}
    for step in steps:
        for value in (step.reason_params or {}).values():
            if isinstance(value, dict) and "model" in value:
                wanted.setdefault(value["model"], set()).add(value["pk"])
    objects = {}
    for label, pks in wanted.items():
        for pk, obj in apps.get_model(label)._base_manager.in_bulk(pks).items():
            objects[(label, pk)] = obj
    for step in steps:
        if step.reason_msgid:
            step.reason = _render(step.reason_msgid, step.reason_params or {}, objects)


def allowed_targets(obj) -> set[str]:
    field = getattr(obj, "STATE_FIELD", "state")
    return set(obj.TRANSITIONS.get(getattr(obj, field), ()))


def transition(
    obj,
    to_state: str,
    *,
    actor=None,
    reason: "str | Because" = "",
    visible_to_applicant=True,
    update_fields: list[str] | None = None,
) -> StateTransition:
    """Move ``obj`` to ``to_state``. The current state is re-read under a row lock inside the transaction,
    so two people (or a person and a job) acting at once cannot both make a move from the same state:
    the second waits for the first to commit, then sees the new state and is refused."""
    field = getattr(obj, "STATE_FIELD", "state")
    with transaction.atomic():
        if obj.pk is not None:
            current = (
                type(obj)
                ._base_manager.select_for_update()
                .filter(pk=obj.pk)
                .values_list(field, flat=True)
                .first()
            )
            if current is not None:
                setattr(obj, field, current)
        from_state = getattr(obj, field)
        if to_state not in allowed_targets(obj):
            raise TransitionNotAllowed(
                _("Cannot move from “%(from)s” to “%(to)s”.") % {"from": from_state, "to": to_state}
            )
        setattr(obj, field, to_state)
        fields = [field, *(update_fields or [])]
        if hasattr(obj, "state_changed_at"):
            from django.utils import timezone

            obj.state_changed_at = timezone.now()
            fields.append("state_changed_at")
        obj.save(update_fields=fields)
        return StateTransition.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            visible_to_applicant=visible_to_applicant,
            **reason_fields(reason),
        )


def record_initial_state(obj, *, actor=None, reason: "str | Because" = "") -> StateTransition:
    field = getattr(obj, "STATE_FIELD", "state")
    return StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        from_state="",
        to_state=getattr(obj, field),
        actor=actor,
        **reason_fields(reason),
    )


def state_label(obj, code: str) -> str:
    """The human label of a state code for this object's state field (the code itself if unknown)."""
    field = obj._meta.get_field(getattr(obj, "STATE_FIELD", "state"))
    return str(dict(field.flatchoices).get(code, code)) if code else ""


#: The steps of objects by their types' and their ids, compiled once per process
#: (``core.precompiled``): compiling the filter cost more than running it on a project's page.
_STEPS = Precompiled(
    lambda types, ids: (
        StateTransition.objects.filter(content_type_id__any=types, object_id__any=ids)
        .select_related("actor")
        .order_by("at", "id")
    ),
    [-(2**62) - 23],
    [-(2**62) - 29],
)


def timeline(*objs) -> list[StateTransition]:
    """All transitions of the given objects, oldest first, in one query, each step carrying
    ``subject_label``, ``from_label`` and ``to_label`` (no per-step look-ups in templates)."""
    if not objs:
        return []
    by_key = {}
    for obj in objs:
        by_key[(ContentType.objects.get_for_model(obj).pk, obj.pk)] = obj
    types = sorted({ct for ct, _ in by_key})
    ids = sorted({pk for _, pk in by_key})
    # every type with every id: one statement whatever the objects; the steps of an object of one
    # type with the id of another's are read and left out here
    steps = [
        step for step in _STEPS.all(types, ids) if (step.content_type_id, step.object_id) in by_key
    ]
    for step in steps:
        obj = by_key[(step.content_type_id, step.object_id)]
        step.subject_label = str(obj)
        step.from_label = state_label(obj, step.from_state)
        step.to_label = state_label(obj, step.to_state)
    _localise_reasons(steps)
    return steps
