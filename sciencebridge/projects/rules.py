"""Who may see and do what with funded projects, object by object (django-rules predicates).

Project leads of either side read the whole joint project (as co-applicants read both halves) and act
on their own side; a programme officer sees a project when their agency funds one of its sides, and
sees and manages the money and reports of that side only. The committee secretariat and
administrators read everything.
"""

import rules
from django.utils.translation import gettext as _

from sciencebridge.accounts.roles import Role


def reads_all_projects(user) -> bool:
    """Administrators and the secretariat see every project."""
    return bool(
        user.is_authenticated
        and (
            user.is_superuser
            or user.has_role(Role.ADMINISTRATOR)
            or user.has_role(Role.SECRETARIAT)
        )
    )


def is_officer_user(user) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id)


def is_lead_of(user, project) -> bool:
    return bool(user.is_authenticated and _leads_one_of(user, project.sides.all()))


def _leads_one_of(user, sides) -> bool:
    return any(s.lead_id == user.pk for s in sides)


def visible_sides(user, project) -> set[str]:
    """The sides of this project whose budget, payments and reports the user may see."""
    return sides_visible_to(user, list(project.sides.all()))


def sides_visible_to(user, sides) -> set[str]:
    """``visible_sides`` of a project whose sides (all of them) the caller has already read."""
    if not user.is_authenticated:
        return set()
    if reads_all_projects(user) or _leads_one_of(user, sides):
        return {s.side for s in sides}
    if is_officer_user(user):
        return {s.side for s in sides if s.agency_id == user.agency_id}
    return set()


@rules.predicate
def can_view_project(user, project):
    return bool(visible_sides(user, project))


@rules.predicate
def is_project_lead(user, project):
    return is_lead_of(user, project)


@rules.predicate
def is_side_officer(user, project_side):
    return bool(is_officer_user(user) and project_side.agency_id == user.agency_id)


@rules.predicate
def is_side_lead(user, project_side):
    return bool(user.is_authenticated and project_side.lead_id == user.pk)


@rules.predicate
def can_view_side(user, project_side):
    return project_side.side in visible_sides(user, project_side.project)


@rules.predicate
def is_officer(user):
    return is_officer_user(user)


def release_blocker(tranche) -> str | None:
    """Why this tranche cannot be released now (None: it can). The service raises this reason; the
    page offers "Release" only when it is None."""
    from .models import ProjectState, ReportState, TrancheState

    if tranche.project_side.project.state != ProjectState.ACTIVE:
        return _("Tranches are released only while the project is active.")
    if tranche.state != TrancheState.SCHEDULED:
        return _("This tranche has already been released.")
    gate = tranche.gating_report
    if gate is not None and gate.state != ReportState.ACCEPTED:
        return _(
            "%(tranche)s is released only after the %(report)s is accepted (it is now: %(state)s)."
        ) % {"tranche": tranche, "report": str(gate).lower(), "state": gate.get_state_display()}
    return None


@rules.predicate
def can_release_tranche(user, tranche):
    return bool(is_side_officer(user, tranche.project_side) and release_blocker(tranche) is None)


rules.add_perm("projects.release_tranche", can_release_tranche)
rules.add_perm("projects.view_project", can_view_project)
rules.add_perm("projects.view_side", can_view_side)
rules.add_perm("projects.add_outcome", is_project_lead)
rules.add_perm("projects.submit_report", is_side_lead)
rules.add_perm("projects.request_change", is_side_lead)
rules.add_perm("projects.manage_side", is_side_officer)  # release, pay, review, decide
rules.add_perm("projects.officer_pages", is_officer)
