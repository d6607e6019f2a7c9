"""Evaluation and reorganisation exercises: the outcome of each laboratory, linked in the registry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ExerciseOutcome, Outcome

NEEDS_SUCCESSOR = {Outcome.RENAMED, Outcome.MERGED}


def record_outcome(
    exercise, platform, outcome, *, successor=None, note="", confidence="C", grade=""
):
    """Record what the exercise decided for ``platform``; a renamed or merged lab names its successor,
    which the registry then links (``Platform.successor``) unless it already names one."""
    if outcome in NEEDS_SUCCESSOR and successor is None:
        raise ValidationError(
            {"successor": _("A renamed or merged laboratory needs its successor.")}
        )
    if successor is not None and successor.pk == platform.pk and outcome != Outcome.CONTINUED:
        raise ValidationError({"successor": _("A laboratory cannot succeed itself.")})
    with transaction.atomic():
        row, _created = ExerciseOutcome.objects.update_or_create(
            exercise=exercise,
            platform=platform,
            defaults={
                "outcome": outcome,
                "successor": successor,
                "note": note,
                "confidence": confidence,
                "grade": grade,
            },
        )
        if successor is not None and successor.pk != platform.pk and platform.successor_id is None:
            platform.successor = successor
            platform.save(update_fields=["successor"])
    return row
