"""Dashboard sections: panel chairs see the calls to rank; officers the decisions pending and the budget."""

from django.utils.translation import gettext_lazy as _

from sciencebridge.accounts.roles import Role
from sciencebridge.core.probes import probed
from sciencebridge.funding.models import ProposalHalf, TeamMember
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
    outcomes = (
        list(selectors.my_outcomes(user)[:20]) if probed(request, "decisions.outcomes") else []
    )
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
        pending = list(selectors.pending_decisions(user)[:20])
        calls = selectors.calls_with_decisions(agency_calls(user))[:3]
        out.append(
            {
                "title": _("Funding decisions"),
                "template": "decisions/dashboard_officer.html",
                "pending": pending,
                "budgets": [(c, budget_summary(c)) for c in calls],
            }
        )
    return out
