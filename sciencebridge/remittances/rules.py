"""Who may see and do what with remittances, object by object (django-rules predicates).

The remitting agency's programme officers see their agency's remittances and instruct, remit and reconcile
them; the research office of the receiving Hong Kong institution sees its own remittances, records their
receipt and reports their use; the committee secretariat and administrators read everything. Everyone
else (the public included) sees only the aggregates on the public dashboard. Mirrored by
``selectors.visible_remittances``.
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


def is_officer_of(user, agency_id) -> bool:
    return bool(
        user.is_authenticated
        and agency_id
        and user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id == agency_id
    )


def is_office_of(user, institution_id) -> bool:
    return bool(
        user.is_authenticated
        and institution_id
        and user.has_role(Role.RESEARCH_OFFICE)
        and user.institution_id == institution_id
    )


@rules.predicate
def is_remitting_officer(user, remittance):
    return is_officer_of(user, remittance.agency_id)


@rules.predicate
def is_receiving_office(user, remittance):
    return is_office_of(user, remittance.recipient_id)


@rules.predicate
def can_view_remittance(user, remittance):
    return bool(
        reads_all(user)
        or is_officer_of(user, remittance.agency_id)
        or is_office_of(user, remittance.recipient_id)
    )


@rules.predicate
def can_instruct(user, tranche):
    return is_officer_of(user, tranche.project_side.agency_id)


@rules.predicate
def uses_ledger(user):
    """The ledger pages: officers, research offices, the secretariat and administrators."""
    return bool(
        reads_all(user)
        or (user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id)
        or (user.is_authenticated and user.has_role(Role.RESEARCH_OFFICE) and user.institution_id)
    )


rules.add_perm("remittances.view_remittance", can_view_remittance)
rules.add_perm("remittances.instruct", can_instruct)  # on a tranche
rules.add_perm("remittances.remit", is_remitting_officer)
rules.add_perm("remittances.reconcile", is_remitting_officer)
rules.add_perm("remittances.receive", is_receiving_office)
rules.add_perm("remittances.report_use", is_receiving_office)
rules.add_perm("remittances.ledger_pages", uses_ledger)
