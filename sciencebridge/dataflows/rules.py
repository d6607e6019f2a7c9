"""Who may see and do what with data-transfer agreements, object by object (django-rules predicates).

The parties (their signatories, the agreement's creator) and their institutions' research offices see
their own agreements in full; the project's leads and the programme officers of the agencies funding
the project see the agreements of their projects; the secretariat sees every agreement and filing for
oversight but not the personal-information details; nobody else sees anything.
"""

import rules

from sciencebridge.accounts.roles import Role


def reads_all(user) -> bool:
    return bool(
        user.is_authenticated
        and (
            user.is_superuser
            or user.has_role(Role.ADMINISTRATOR)
            or user.has_role(Role.SECRETARIAT)
        )
    )


def party_of(user, agreement) -> set[str]:
    """The parties ("processor", "recipient") this user acts for on this agreement."""
    out = set()
    if not user.is_authenticated:
        return out
    if agreement.processor_contact_id == user.pk or agreement.created_by_id == user.pk:
        out.add("processor")
    if agreement.recipient_contact_id == user.pk:
        out.add("recipient")
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        if agreement.processor_institution_id == user.institution_id:
            out.add("processor")
        if agreement.recipient_institution_id == user.institution_id:
            out.add("recipient")
    return out


def is_project_officer(user, agreement) -> bool:
    """A lead of the agreement's project, or an officer of an agency funding it."""
    project = agreement.project
    if project is None or not user.is_authenticated:
        return False
    sides = project.sides.all()
    if any(s.lead_id == user.pk for s in sides):
        return True
    return bool(
        user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id
        and any(s.agency_id == user.agency_id for s in sides)
    )


@rules.predicate
def is_party(user, agreement):
    return bool(agreement is not None and party_of(user, agreement))


@rules.predicate
def is_officer_of_project(user, agreement):
    return bool(agreement is not None and is_project_officer(user, agreement))


@rules.predicate
def is_oversight(user):
    return reads_all(user)


@rules.predicate
def is_verified(user):
    return bool(user.is_authenticated and user.institution_id)


rules.add_perm("dataflows.view_agreement", is_party | is_officer_of_project | is_oversight)
rules.add_perm("dataflows.view_agreement_details", is_party | is_officer_of_project)
rules.add_perm("dataflows.edit_agreement", is_party)
rules.add_perm("dataflows.request_agreement", is_verified)
rules.add_perm("dataflows.oversee", is_oversight)

from . import rules_samples  # noqa: E402,F401  (sample exports and datasets)
