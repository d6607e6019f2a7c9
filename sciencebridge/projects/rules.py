"""Who may see and do what with funded projects, object by object (django-rules predicates).

Project leads (of either side) see the whole project; a programme officer sees a project when their
agency funds one of its sides, and sees the money and reports of that side only.
"""

import rules

from sciencebridge.accounts.roles import Role


def _is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMINISTRATOR)))


def is_lead_of(user, project) -> bool:
    return user.is_authenticated and any(s.lead_id == user.pk for s in project.sides.all())


def visible_sides(user, project) -> set[str]:
    """The sides of this project whose budget, payments and reports the user may see."""
    if not user.is_authenticated:
        return set()
    if _is_admin(user) or is_lead_of(user, project):
        return {s.side for s in project.sides.all()}
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        return {s.side for s in project.sides.all() if s.agency_id == user.agency_id}
    return set()


@rules.predicate
def can_view_project(user, project):
    return bool(visible_sides(user, project))


@rules.predicate
def is_project_lead(user, project):
    return is_lead_of(user, project)


@rules.predicate
def is_side_officer(user, project_side):
    return bool(
        user.is_authenticated
        and user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id
        and project_side.agency_id == user.agency_id
    )


@rules.predicate
def is_side_lead(user, project_side):
    return bool(user.is_authenticated and project_side.lead_id == user.pk)


@rules.predicate
def is_officer(user):
    return bool(user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id)


rules.add_perm("projects.view_project", can_view_project)
rules.add_perm("projects.add_outcome", is_project_lead)
rules.add_perm("projects.submit_report", is_side_lead)
rules.add_perm("projects.request_change", is_side_lead)
rules.add_perm("projects.manage_side", is_side_officer)  # release, pay, review, decide
rules.add_perm("projects.officer_dashboard", is_officer)
