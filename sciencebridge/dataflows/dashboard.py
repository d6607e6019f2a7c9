"""Dashboard panels: agreements awaiting the user's acceptance or filing; overdue filings for the
secretariat."""

from django.utils.translation import gettext_lazy as _

from sciencebridge.core.first_rows import first_rows

from .models import AgreementState
from .rules import party_of
from .selectors import overdue_filings, visible_agreements


def panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    out = []
    todo = []
    for a in first_rows(
        visible_agreements(user).filter(
            state__in=[AgreementState.SUBMITTED, AgreementState.SIGNED]
        ),
        50,
    ):
        parties = party_of(user, a)
        if not parties:
            continue
        if a.state == AgreementState.SUBMITTED:
            todo.append((a, _("Acceptance")))
        elif any(f.party in parties and not f.is_filed for f in a.filings.all()):
            todo.append((a, _("Filing")))
    if todo:
        out.append(
            {
                "title": _("Data-transfer agreements to act on"),
                "template": "dataflows/_panel_todo.html",
                "rows": todo[:10],
            }
        )
    if user.has_perm("dataflows.oversee"):
        rows = first_rows(overdue_filings(), 10)
        if rows:
            out.append(
                {
                    "title": _("Overdue data-transfer filings"),
                    "template": "dataflows/_panel_overdue.html",
                    "rows": rows,
                }
            )
    return out


_agreement_panels = panels


def panels(request):  # noqa: F811  (sample exports after the agreements)
    from .dashboard_samples import panels as sample_panels

    return _agreement_panels(request) + sample_panels(request)
