"""Nomination metrics (see core.metrics): the committee's workplan item on expert databases reads them."""

from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics


def _qs(state, database=None, year=None, exercise_codes=None):
    from .models import Nomination

    qs = Nomination.objects.filter(state__in=state)
    if database:
        qs = qs.filter(database=database)
    if year:
        qs = qs.filter(exercise__year=year)
    if exercise_codes:
        qs = qs.filter(exercise__code__in=exercise_codes)
    return qs


@metrics.register(
    "nominations.experts_entered",
    label=_("Hong Kong experts entered in national expert databases"),
    unit="experts",
)
def experts_entered(database=None, year=None, exercise_codes=None, **_ignored):
    return _qs(["approved"], database, year, exercise_codes).values("expert").distinct().count()


@metrics.register(
    "nominations.experts_nominated",
    label=_("Hong Kong experts nominated to national expert databases"),
    unit="experts",
)
def experts_nominated(database=None, year=None, exercise_codes=None, **_ignored):
    states = ["submitted", "forwarded", "not_forwarded", "approved", "rejected"]
    return _qs(states, database, year, exercise_codes).values("expert").distinct().count()
