"""Who may do what with facilities and allocations (django-rules predicates)."""

import rules

from sciencebridge.accounts.roles import Role


@rules.predicate
def is_secretariat(user):
    return bool(user.is_authenticated and (user.has_role(Role.SECRETARIAT) or user.has_role(Role.ADMINISTRATOR)))


@rules.predicate
def is_facility_manager(user, facility):
    if not user.is_authenticated or facility is None:
        return False
    if is_secretariat(user):
        return True
    return facility.managers.filter(pk=user.pk).exists()


@rules.predicate
def is_allocation_team(user, allocation):
    if not user.is_authenticated or allocation is None:
        return False
    return allocation.requested_by_id == user.pk or (
        bool(user.institution_id) and user.institution_id == allocation.team_institution_id
        and user.has_role(Role.APPLICANT))


@rules.predicate
def can_request(user):
    return bool(user.is_authenticated and user.institution_id)


@rules.predicate
def manages_allocation(user, allocation):
    return is_facility_manager(user, allocation.facility) if allocation is not None else False


rules.add_perm("platforms.request_allocation", can_request)
rules.add_perm("platforms.decide_allocation", manages_allocation)
rules.add_perm("platforms.book", is_allocation_team | manages_allocation)
rules.add_perm("platforms.record_usage", manages_allocation)
rules.add_perm("platforms.manage_facility", is_facility_manager)
