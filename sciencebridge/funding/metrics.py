"""Funding metrics for the cooperation dashboard and workplan items (see core.metrics); each value
is kept while no proposal changes (``figures``)."""

from functools import partial

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics

from .figures import kept_figure
from .models import SUBMITTED_STATES, HalfState, JointProposal, ProposalHalf


def _kept(code, compute, call_ids=None, year=None, area_code=None):
    """``compute(call_ids, year, area_code)``, kept under the metric and its filters."""
    filters = (tuple(call_ids or ()), year, area_code)
    return kept_figure((code, *filters), lambda: compute(call_ids, year, area_code))


def _proposals(call_ids=None, year=None, area_code=None):
    qs = JointProposal.objects.all()
    if call_ids:
        qs = qs.filter(call_id__in=call_ids)
    if year:
        qs = qs.filter(call__closes_at__year=year)
    if area_code:
        qs = qs.filter(area__code=area_code)
    return qs


@metrics.register("funding.calls_launched", label=_("Calls launched"), unit="calls")
def calls_launched(call_ids=None, year=None, **_ignored):
    from .models import Call

    qs = Call.objects.all()
    if call_ids:
        qs = qs.filter(id__in=call_ids)
    if year:
        qs = qs.filter(opens_at__year=year)
    return qs.count()


@metrics.register(
    "funding.proposals_submitted", label=_("Joint proposals submitted"), unit="proposals"
)
def proposals_submitted(call_ids=None, year=None, area_code=None, **_ignored):
    return _kept("proposals_submitted", _submitted, call_ids, year, area_code)


def _submitted(call_ids, year, area_code):
    done = [*SUBMITTED_STATES, HalfState.FUNDED, HalfState.NOT_FUNDED]
    return (
        _proposals(call_ids, year, area_code)
        .filter(halves__side="HK", halves__state__in=done)
        .filter(id__in=ProposalHalf.objects.filter(side="ML", state__in=done).values("proposal_id"))
        .count()
    )


@metrics.register("funding.projects_funded", label=_("Joint projects funded"), unit="projects")
def projects_funded(call_ids=None, year=None, area_code=None, **_ignored):
    return _kept("projects_funded", _funded, call_ids, year, area_code)


def _funded(call_ids, year, area_code):
    funded_ml = ProposalHalf.objects.filter(side="ML", state=HalfState.FUNDED).values("proposal_id")
    return (
        _proposals(call_ids, year, area_code)
        .filter(Q(halves__side="HK", halves__state=HalfState.FUNDED), id__in=funded_ml)
        .count()
    )


def _committed(side, call_ids=None, year=None, area_code=None):
    return _kept(("committed", side), partial(_sum_awarded, side), call_ids, year, area_code)


def _sum_awarded(side, call_ids, year, area_code):
    ids = _proposals(call_ids, year, area_code).values("id")
    agg = ProposalHalf.objects.filter(
        proposal_id__in=ids, side=side, state=HalfState.FUNDED
    ).aggregate(s=Sum("awarded_amount"))
    return agg["s"] or 0


@metrics.register(
    "funding.committed_hkd", label=_("Money committed, Hong Kong side (HKD)"), unit="HKD"
)
def committed_hkd(call_ids=None, year=None, area_code=None, **_ignored):
    return _committed("HK", call_ids, year, area_code)


@metrics.register(
    "funding.committed_rmb", label=_("Money committed, Mainland side (RMB)"), unit="RMB"
)
def committed_rmb(call_ids=None, year=None, area_code=None, **_ignored):
    return _committed("ML", call_ids, year, area_code)
