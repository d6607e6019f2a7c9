"""Who sees and acts on nominations (django-rules predicates); nobody else sees them.

- the nominating university's research office: its own nominations (creates, submits, withdraws);
- the expert: nominations of themselves (gives or withdraws consent);
- officers of the exercise's checking agency (ITC): nominations once submitted (forward or not);
- officers of the exercise's approving agency (MOST): nominations once forwarded (approve or not);
- administrators.
"""

import rules

from sciencebridge.accounts.roles import Role

from .models import NominationState

SENT = {
    NominationState.SUBMITTED,
    NominationState.FORWARDED,
    NominationState.NOT_FORWARDED,
    NominationState.APPROVED,
    NominationState.REJECTED,
}
WITH_APPROVER = {NominationState.FORWARDED, NominationState.APPROVED, NominationState.REJECTED}


def _officer_of(user, agency_id) -> bool:
    return bool(
        user.is_authenticated
        and user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id
        and user.agency_id == agency_id
    )


@rules.predicate
def is_admin(user):
    return bool(user.is_authenticated and user.has_role(Role.ADMINISTRATOR))


@rules.predicate
def is_nominating_office(user, nom):
    return bool(
        user.is_authenticated
        and nom is not None
        and user.has_role(Role.RESEARCH_OFFICE)
        and user.institution_id
        and user.institution_id == nom.institution_id
    )


@rules.predicate
def is_nominee(user, nom):
    return bool(user.is_authenticated and nom is not None and nom.expert.user_id == user.pk)


@rules.predicate
def is_checker(user, nom):
    return (
        nom is not None and nom.state in SENT and _officer_of(user, nom.exercise.checking_agency_id)
    )


@rules.predicate
def is_approver(user, nom):
    return (
        nom is not None
        and nom.state in WITH_APPROVER
        and _officer_of(user, nom.exercise.approving_agency_id)
    )


@rules.predicate
def is_exercise_officer(user, exercise):
    return exercise is not None and (
        _officer_of(user, exercise.checking_agency_id)
        or _officer_of(user, exercise.approving_agency_id)
    )


@rules.predicate
def may_nominate_in(user, exercise):
    """A research office of one of the exercise's nominating universities."""
    return bool(
        user.is_authenticated
        and exercise is not None
        and user.has_role(Role.RESEARCH_OFFICE)
        and user.institution_id
        and exercise.nominating_institutions.filter(pk=user.institution_id).exists()
    )


@rules.predicate
def is_research_office(user):
    return bool(
        user.is_authenticated and user.has_role(Role.RESEARCH_OFFICE) and user.institution_id
    )


rules.add_perm(
    "nominations.view",
    is_nominating_office | is_nominee | is_checker | is_approver | is_admin,
)
rules.add_perm("nominations.manage", is_nominating_office)
rules.add_perm("nominations.consent", is_nominee)
rules.add_perm("nominations.check", is_checker)
rules.add_perm("nominations.approve", is_approver)
rules.add_perm("nominations.nominate", may_nominate_in)
rules.add_perm("nominations.export", is_exercise_officer | is_admin)
rules.add_perm("nominations.office", is_research_office)
