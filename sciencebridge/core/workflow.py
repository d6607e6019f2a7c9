"""The one state-transition function every workflow in ScienceBridge goes through.

A stateful model declares ``STATE_FIELD`` (default ``"state"``) and ``TRANSITIONS``:
a mapping ``from_state -> set of allowed to_states``. ``transition()`` checks the move,
saves the object and records who, when and why in :class:`StateTransition`.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import StateTransition


class TransitionNotAllowed(ValidationError):
    pass


def allowed_targets(obj) -> set[str]:
    field = getattr(obj, "STATE_FIELD", "state")
    return set(obj.TRANSITIONS.get(getattr(obj, field), ()))


def transition(
    obj,
    to_state: str,
    *,
    actor=None,
    reason: str = "",
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
            reason=reason,
            visible_to_applicant=visible_to_applicant,
        )


def record_initial_state(obj, *, actor=None, reason: str = "") -> StateTransition:
    field = getattr(obj, "STATE_FIELD", "state")
    return StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        from_state="",
        to_state=getattr(obj, field),
        actor=actor,
        reason=reason,
    )


def state_label(obj, code: str) -> str:
    """The human label of a state code for this object's state field (the code itself if unknown)."""
    field = obj._meta.get_field(getattr(obj, "STATE_FIELD", "state"))
    return str(dict(field.flatchoices).get(code, code)) if code else ""


def timeline(*objs) -> list[StateTransition]:
    """All transitions of the given objects, oldest first, in one query, each step carrying
    ``subject_label``, ``from_label`` and ``to_label`` (no per-step look-ups in templates)."""
    if not objs:
        return []
    from django.db.models import Q

    by_key = {}
    q = Q()
    for obj in objs:
        ct = ContentType.objects.get_for_model(obj)
        by_key[(ct.pk, obj.pk)] = obj
        q |= Q(content_type=ct, object_id=obj.pk)
    steps = list(StateTransition.objects.filter(q).select_related("actor").order_by("at", "id"))
    for step in steps:
        obj = by_key[(step.content_type_id, step.object_id)]
        step.subject_label = str(obj)
        step.from_label = state_label(obj, step.from_state)
        step.to_label = state_label(obj, step.to_state)
    return steps
