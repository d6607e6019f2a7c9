"""Dashboard sections: overdue reports and payments for officers, reports due for leads."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciencebridge.core.first_rows import first_rows

from . import selectors
from .rules import is_officer_user

LIMIT = 20


def panels(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    out = []
    if is_officer_user(user):
        reports = first_rows(selectors.overdue_reports(user, today), LIMIT)
        payments = first_rows(selectors.overdue_payments(user, today), LIMIT)
        review = first_rows(selectors.awaiting_review(user), LIMIT)
        out.append(
            {
                "title": _("Projects: overdue reports and payments"),
                "template": "projects/_panel_officer.html",
                "reports": reports,
                "payments": payments,
                "review": review,
                "today": today,
            }
        )
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
