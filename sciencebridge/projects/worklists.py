"""The first rows of the officer's worklists, kept per process while the tables they read are
unchanged (``core.table_stamps``).

Every officer of an agency sees the same worklists (``selectors.officer_scope``), on the officer's
desk and, the first few rows, on the dashboard. Reading them is a narrow query of ids and then the
rows for each list: eight queries, ~13 of the officer dashboard's ~45 ms on the national-scale data
(issue 16), read again on every visit though the lists change only when a report, tranche,
payment, project or side does. The change requests are not kept: their rows show who asked, and
the user table changes at every sign-in."""

from django.utils import timezone

from sciencebridge.core.first_rows import first_rows
from sciencebridge.core.table_stamps import KeptByTables

from . import selectors

#: Rows kept of each list: the desk shows 20 (``views.DESK_ROWS``), one more tells whether there are more.
KEPT_ROWS = 21

_kept = KeptByTables(max_entries=64, max_age=300)


#: The kept worklists by name (the desk's section keys): each a function of the user and the day
#: that gives the whole list, oldest first (the desk's "Show all" pages through it).
WORKLISTS = {
    "overdue-reports": selectors.overdue_reports,
    "overdue-payments": selectors.overdue_payments,
    "awaiting-review": lambda user, today: selectors.awaiting_review(user),
    "payable": lambda user, today: selectors.payable_tranches(user),
}


def first_worklist_rows(user, today=None) -> dict[str, list]:
    """``{worklist: its first KEPT_ROWS rows}``, oldest first. Shared between requests: read only."""
    today = today or timezone.localdate()
    key = ("projects.worklists", selectors.officer_scope(user), today)
    return _kept.get_or_compute(
        key,
        lambda: {
            name: first_rows(whole(user, today), KEPT_ROWS) for name, whole in WORKLISTS.items()
        },
    )
