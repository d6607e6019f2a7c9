"""Project metrics for the cooperation dashboard and workplan items (see core.metrics)."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics

from .models import Outcome, OutcomeKind, Payment, Project, ProjectState


def _projects(call_ids=None, year=None, area_code=None):
    qs = Project.objects.all()
    if call_ids:
        qs = qs.filter(proposal__call_id__in=call_ids)
    if year:
        qs = qs.filter(start_date__year=year)
    if area_code:
        qs = qs.filter(proposal__area__code=area_code)
    return qs


def _outcomes(kind, call_ids=None, year=None, area_code=None):
    qs = Outcome.objects.filter(kind=kind, project__in=_projects(call_ids, None, area_code))
    if year:
        qs = qs.filter(date__year=year)
    return qs


@metrics.register("projects.active", label=_("Joint projects under way"), unit="projects")
def active(call_ids=None, year=None, area_code=None, **_ignored):
    return _projects(call_ids, year, area_code).filter(state=ProjectState.ACTIVE).count()


@metrics.register("projects.completed", label=_("Joint projects completed"), unit="projects")
def completed(call_ids=None, year=None, area_code=None, **_ignored):
    return _projects(call_ids, year, area_code).filter(state=ProjectState.COMPLETED).count()


def _paid(side, call_ids=None, year=None, area_code=None):
    qs = Payment.objects.filter(project_side__side=side,
                                project_side__project__in=_projects(call_ids, None, area_code))
    if year:
        qs = qs.filter(paid_on__year=year)
    return qs.aggregate(s=Sum("amount"))["s"] or 0


@metrics.register("projects.paid_hkd", label=_("Money paid to projects, Hong Kong side (HKD)"), unit="HKD")
def paid_hkd(call_ids=None, year=None, area_code=None, **_ignored):
    return _paid("HK", call_ids, year, area_code)


@metrics.register("projects.paid_rmb", label=_("Money paid to projects, Mainland side (RMB)"), unit="RMB")
def paid_rmb(call_ids=None, year=None, area_code=None, **_ignored):
    return _paid("ML", call_ids, year, area_code)


@metrics.register("projects.outcomes_patents", label=_("Patents filed or granted from projects"),
                  unit="patents")
def outcomes_patents(call_ids=None, year=None, area_code=None, **_ignored):
    return _outcomes(OutcomeKind.PATENT, call_ids, year, area_code).count()


@metrics.register("projects.outcomes_publications", label=_("Publications from projects"),
                  unit="publications")
def outcomes_publications(call_ids=None, year=None, area_code=None, **_ignored):
    return _outcomes(OutcomeKind.PUBLICATION, call_ids, year, area_code).count()


@metrics.register("projects.outcomes_spin_offs", label=_("Spin-off companies from projects"),
                  unit="companies")
def outcomes_spin_offs(call_ids=None, year=None, area_code=None, **_ignored):
    return _outcomes(OutcomeKind.SPIN_OFF, call_ids, year, area_code).count()


@metrics.register("projects.people_trained", label=_("People trained in projects"), unit="people")
def people_trained(call_ids=None, year=None, area_code=None, **_ignored):
    qs = _outcomes(OutcomeKind.PEOPLE_TRAINED, call_ids, year, area_code)
    return qs.aggregate(s=Sum("count"))["s"] or 0
