"""Dashboard sections: overdue reports and payments for officers, reports due for leads."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciencebridge.core.first_rows import first_rows
from sciencebridge.core.probes import probed
from sciencebridge.core.table_stamps import KeptByTables

from . import selectors
from .models import ProjectSide
from .rules import is_officer_user

LIMIT = 20
# The officer's panel is a summary: the few most overdue of each list, then the desk's whole list.
OFFICER_ROWS = 5


#: The officer's worklists, the same for every officer of an agency, kept per process while the
#: tables they read are unchanged (``core.table_stamps``): six queries, ~13 of the officer
#: dashboard's ~45 ms on the national-scale data (issue 16). Shared between requests: read only.
_kept_worklists = KeptByTables(max_entries=64, max_age=300)


def _officer_worklists(user, today) -> dict:
    lists = {}
    for key, qs in (
        ("reports", selectors.overdue_reports(user, today)),
        ("payments", selectors.overdue_payments(user, today)),
        ("review", selectors.awaiting_review(user)),
    ):  # one row more than shown tells whether the desk has more
        rows = first_rows(qs, OFFICER_ROWS + 1)
        lists[key], lists[f"more_{key}"] = rows[:OFFICER_ROWS], len(rows) > OFFICER_ROWS
    return lists


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
        key = ("projects.officer", selectors.officer_scope(user), today)
        lists = _kept_worklists.get_or_compute(key, lambda: _officer_worklists(user, today))
        out.append(
            {
                "title": _("Projects: overdue reports and payments"),
                "template": "projects/_panel_officer.html",
                "today": today,
                **lists,
            }
        )
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
