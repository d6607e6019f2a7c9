"""Dashboard panels: agreements awaiting the user's acceptance or filing; overdue filings for the
secretariat."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciencebridge.accounts.roles import Role
from sciencebridge.core.first_rows import first_rows
from sciencebridge.core.probes import probed

from .models import AgreementState, DataTransferAgreement
from .rules import party_of
from .selectors import overdue_filings, visible_agreements


def probes(user):
    """Necessary for the agreements to act on (``core.probes``): an agreement waiting for acceptance
    or filing that the user is a party of (``rules.party_of``)."""
    party = Q(created_by=user) | Q(processor_contact=user) | Q(recipient_contact=user)
    if user.has_role(Role.RESEARCH_OFFICE) and user.institution_id:
        party |= Q(processor_institution_id=user.institution_id)
        party |= Q(recipient_institution_id=user.institution_id)
    from .dashboard_samples import probes as sample_probes

    return {
        "dataflows.party": DataTransferAgreement.objects.filter(
            party, state__in=[AgreementState.SUBMITTED, AgreementState.SIGNED]
        ),
        **sample_probes(user),
    }


def panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    out = []
    todo = []
    waiting = [AgreementState.SUBMITTED, AgreementState.SIGNED]
    candidates = (
        first_rows(visible_agreements(user).filter(state__in=waiting), 50)
        if probed(request, "dataflows.party")
        else []
    )
    for a in candidates:
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
