"""Restricted querysets for laboratory grants and the public aggregates (no N+1)."""

from django.db.models import Count, Q, Sum

from sciencebridge.accounts.roles import Role

from .models import Exercise, GrantState, LabGrant


def grants_for(user):
    """The grants ``user`` may see: the office its university's, the funder's officers their programmes'."""
    qs = LabGrant.objects.select_related("programme", "platform", "institution", "report").order_by(
        "-year", "programme__code", "platform__code"
    )
    if not user.is_authenticated:
        return qs.none()
    if user.has_role(Role.ADMINISTRATOR):
        return qs
    cond = Q(pk__in=[])
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        cond |= Q(programme__funder_id=user.agency_id)
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        cond |= Q(institution_id=user.institution_id)
    return qs.filter(cond)


def public_totals():
    """Released money and number of labs funded, by programme and year: what anyone may see."""
    return list(
        LabGrant.objects.filter(state=GrantState.RELEASED)
        .values("programme__code", "programme__name", "year", "amount_currency")
        .annotate(total=Sum("amount"), labs=Count("platform", distinct=True))
        .order_by("-year", "programme__code")
    )


def exercises():
    return Exercise.objects.annotate(n_labs=Count("outcomes")).order_by("-year", "code")


def exercise_outcomes(exercise):
    return exercise.outcomes.select_related("platform", "successor").prefetch_related(
        "platform__hosts"
    )
