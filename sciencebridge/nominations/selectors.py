"""Restricted querysets for nominations: each person sees exactly what ``rules.py`` lets them see."""

from django.db.models import Q

from sciencebridge.accounts.roles import Role

from .models import Nomination, NominationBatch, NominationExercise, NominationState
from .rules import SENT, WITH_APPROVER


def nominations_for(user):
    qs = Nomination.objects.select_related(
        "exercise", "expert", "expert__institution", "institution"
    ).order_by("-created_at", "-id")
    if not user.is_authenticated:
        return qs.none()
    if user.has_role(Role.ADMINISTRATOR):
        return qs
    cond = Q(expert__user_id=user.pk)
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        cond |= Q(institution_id=user.institution_id)
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        cond |= Q(exercise__checking_agency_id=user.agency_id, state__in=SENT)
        cond |= Q(exercise__approving_agency_id=user.agency_id, state__in=WITH_APPROVER)
    return qs.filter(cond)


def approved(exercise, database=None):
    qs = (
        Nomination.objects.filter(exercise=exercise, state=NominationState.APPROVED)
        .select_related("expert__institution", "institution")
        .prefetch_related("expert__discipline_codes__scheme")
        .order_by("expert__name_en", "id")
    )
    if database:
        qs = qs.filter(database=database)
    return qs


def batches_for(user):
    if not user.is_authenticated:
        return NominationBatch.objects.none()
    qs = NominationBatch.objects.select_related("exercise", "institution")
    if user.has_role(Role.ADMINISTRATOR):
        return qs
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        return qs.filter(institution_id=user.institution_id)
    return qs.none()


def open_exercises_for_office(user):
    if not (user.is_authenticated and user.has_role(Role.RESEARCH_OFFICE) and user.institution_id):
        return NominationExercise.objects.none()
    return NominationExercise.objects.filter(nominating_institutions=user.institution_id)


def exercises_for_officer(user):
    if not (user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return NominationExercise.objects.none()
    return NominationExercise.objects.filter(
        Q(checking_agency_id=user.agency_id) | Q(approving_agency_id=user.agency_id)
    )
