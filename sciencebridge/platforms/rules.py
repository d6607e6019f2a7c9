"""Who may do what with facilities and allocations (django-rules predicates).

An allocation's rights go to the people it names, never to everyone at the team's institution:

- see it, and book against its quota: the requester and the people named on it (``AllocationMember``),
  the facility's managers (and the secretariat);
- cancel a booking: whoever made it (while still named), the requester or a coordinator of the
  allocation, the facility's managers;
- name or remove people: the requester, a coordinator, the research office of the team's VERIFIED
  institution (which also sees the allocation), the secretariat.

``user.institution`` is the verified affiliation only (see accounts.models.User).
"""

import rules

from sciencebridge.accounts.roles import Role


@rules.predicate
def is_secretariat(user):
    return bool(
        user.is_authenticated
        and (user.has_role(Role.SECRETARIAT) or user.has_role(Role.ADMINISTRATOR))
    )


@rules.predicate
def is_facility_manager(user, facility):
    if not user.is_authenticated or facility is None:
        return False
    if is_secretariat(user):
        return True
    return facility.managers.filter(pk=user.pk).exists()


@rules.predicate
def is_named_on(user, allocation):
    if not user.is_authenticated or allocation is None:
        return False
    return allocation.requested_by_id == user.pk or allocation.members.filter(user=user).exists()


@rules.predicate
def coordinates(user, allocation):
    if not user.is_authenticated or allocation is None:
        return False
    return (
        allocation.requested_by_id == user.pk
        or allocation.members.filter(user=user, coordinator=True).exists()
    )


@rules.predicate
def is_team_research_office(user, allocation):
    return bool(
        user.is_authenticated
        and allocation is not None
        and user.has_role(Role.RESEARCH_OFFICE)
        and user.institution_id
        and user.institution_id == allocation.team_institution_id
    )


@rules.predicate
def can_request(user):
    return bool(user.is_authenticated and user.institution_id)


@rules.predicate
def manages_allocation(user, allocation):
    return is_facility_manager(user, allocation.facility) if allocation is not None else False


@rules.predicate
def may_cancel_booking(user, booking):
    if not user.is_authenticated or booking is None:
        return False
    alloc = booking.allocation
    return bool(
        (booking.booked_by_id == user.pk and is_named_on(user, alloc))
        or coordinates(user, alloc)
        or manages_allocation(user, alloc)
    )


rules.add_perm("platforms.request_allocation", can_request)
rules.add_perm(
    "platforms.view_allocation", is_named_on | manages_allocation | is_team_research_office
)
rules.add_perm("platforms.decide_allocation", manages_allocation)
rules.add_perm("platforms.book", is_named_on | manages_allocation)
rules.add_perm("platforms.cancel_booking", may_cancel_booking)
rules.add_perm("platforms.name_people", coordinates | is_team_research_office | is_secretariat)
rules.add_perm("platforms.record_usage", manages_allocation)
rules.add_perm("platforms.manage_facility", is_facility_manager)
