"""Dashboard sections: overdue reports and payments for officers, reports due for leads."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciencebridge.core.first_rows import first_rows
from sciencebridge.core.probes import probed

from . import selectors
from .models import ProjectSide
from .rules import is_officer_user
from .worklists import first_worklist_rows

LIMIT = 20
# The officer's panel is a summary: the few most overdue of each list, then the desk's whole list.
OFFICER_ROWS = 5


def probes(user):
    """Necessary for the lead's section (``core.probes``): a project side the user leads."""
    return {"projects.lead": ProjectSide.objects.filter(lead=user)}


def panels(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    out = []
    if is_officer_user(user):
        panel = {
            "title": _("Projects: overdue reports and payments"),
            "template": "projects/_panel_officer.html",
            "today": today,
        }
        lists = first_worklist_rows(user, today)  # kept per agency (``worklists``)
        for key, worklist in (
            ("reports", "overdue-reports"),
            ("payments", "overdue-payments"),
            ("review", "awaiting-review"),
        ):  # one row more than shown tells whether the desk has more
            rows = lists[worklist]
            panel[key], panel[f"more_{key}"] = rows[:OFFICER_ROWS], len(rows) > OFFICER_ROWS
        out.append(panel)
    if not probed(request, "projects.lead"):
        return out
    due = first_rows(selectors.due_reports(user, today), LIMIT)
    if due or selectors.led_projects(user).exists():
        out.append(
            {
                "title": _("My projects: reports due"),
                "template": "projects/_panel_lead.html",
                "reports": due,
                "today": today,
            }
        )
    return out
