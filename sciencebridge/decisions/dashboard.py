"""Dashboard sections: panel chairs see the calls to rank; officers the decisions pending and the budget."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sciencebridge.accounts.roles import Role
from sciencebridge.core.first_rows import rows_in_order
from sciencebridge.core.probes import probed
from sciencebridge.core.table_stamps import KeptByTables
from sciencebridge.funding.models import Call, ProposalHalf, TeamMember
from sciencebridge.funding.selectors import agency_calls

from . import selectors
from .services.decisions import budget_summary


def probes(user):
    """Necessary for the applicant's section (``core.probes``): a proposal the user leads a half of
    or is on the team of (``funding.selectors.applicant_proposal_ids``)."""
    return {
        "decisions.outcomes": [
            ProposalHalf.objects.filter(lead=user),
            TeamMember.objects.filter(user=user),
        ]
    }


def panels(request):
    user = request.user
    out = []
    if not user.is_authenticated:
        return out
    outcomes = selectors.my_outcomes(user) if probed(request, "decisions.outcomes") else []
    if outcomes:
        out.append(
            {
                "title": _("Funding decisions on your proposals"),
                "template": "decisions/dashboard_applicant.html",
                "outcomes": outcomes,
            }
        )
    if user.has_role(Role.PANEL_CHAIR):
        chaired = list(selectors.chaired_panels(user)[:20])
        if chaired:
            out.append(
                {
                    "title": _("Panels to rank"),
                    "template": "decisions/dashboard_chair.html",
                    "chaired": chaired,
                }
            )
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        pending = list(selectors.pending_decisions(user)[:20])  # the user's own: conflicts
        ids = tuple(call.pk for call in agency_calls(user))
        out.append(
            {
                "title": _("Funding decisions"),
                "template": "decisions/dashboard_officer.html",
                "pending": pending,
                "budgets": _kept_budgets.get_or_compute(
                    ("decisions.budgets", ids, get_language()), lambda: _budgets(ids)
                ),
            }
        )
    return out


#: The budgets of an agency's calls, the same for all its officers, kept per process while the
#: tables they are computed from are unchanged (``core.table_stamps``): 3-5 queries of the
#: officer's dashboard on every visit otherwise (issue 16). Shared between requests: read only.
_kept_budgets = KeptByTables(max_entries=64, max_age=300)


def _budgets(call_ids: tuple[int, ...]) -> list[tuple]:
    """``(call, budget_summary)`` of the first three of these calls (in their order) on which a
    decision has been recorded. The calls are read here, so that their rows' stamps cover them."""
    calls = rows_in_order(
        Call.objects.select_related("scheme").prefetch_related("scheme__sides"), list(call_ids)
    )
    return [(call, budget_summary(call)) for call in selectors.calls_with_decisions(calls)[:3]]
