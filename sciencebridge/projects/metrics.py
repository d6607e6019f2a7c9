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
    qs = Payment.objects.filter(
        project_side__side=side, project_side__project__in=_projects(call_ids, None, area_code)
    )
    if year:
        qs = qs.filter(paid_on__year=year)
    return qs.aggregate(s=Sum("amount"))["s"] or 0


@metrics.register(
    "projects.paid_hkd", label=_("Money paid to projects, Hong Kong side (HKD)"), unit="HKD"
)
def paid_hkd(call_ids=None, year=None, area_code=None, **_ignored):
    return _paid("HK", call_ids, year, area_code)


@metrics.register(
    "projects.paid_rmb", label=_("Money paid to projects, Mainland side (RMB)"), unit="RMB"
)
def paid_rmb(call_ids=None, year=None, area_code=None, **_ignored):
    return _paid("ML", call_ids, year, area_code)


OUTCOME_UNITS = {
    OutcomeKind.PUBLICATION: "publications",
    OutcomeKind.PATENT: "patents",
    OutcomeKind.OTHER_IP: "items",
    OutcomeKind.PROTOTYPE: "prototypes",
    OutcomeKind.STANDARD: "standards",
    OutcomeKind.SPIN_OFF: "companies",
    OutcomeKind.PEOPLE_TRAINED: "people",
    OutcomeKind.FOLLOW_ON: "awards",
}
OUTCOME_LABELS = {
    OutcomeKind.PUBLICATION: _("Publications from projects"),
    OutcomeKind.PATENT: _("Patents filed or granted from projects"),
    OutcomeKind.OTHER_IP: _("Other IP from projects"),
    OutcomeKind.PROTOTYPE: _("Prototypes from projects"),
    OutcomeKind.STANDARD: _("Standards from projects"),
    OutcomeKind.SPIN_OFF: _("Spin-off companies from projects"),
    OutcomeKind.PEOPLE_TRAINED: _("People trained in projects"),
    OutcomeKind.FOLLOW_ON: _("Follow-on funding awards to projects"),
}


def _outcome_metric(kind):
    def compute(call_ids=None, year=None, area_code=None, **_ignored):
        qs = _outcomes(kind, call_ids, year, area_code)
        if kind == OutcomeKind.PEOPLE_TRAINED:  # a count of people, not of records
            return qs.aggregate(s=Sum("count"))["s"] or 0
        return qs.count()

    compute.__name__ = f"outcomes_{kind}"
    return compute


# One metric per kind of outcome: projects.outcomes_publication, projects.outcomes_patent, …
for _kind in OutcomeKind:
    metrics.register(
        f"projects.outcomes_{_kind.value}", label=OUTCOME_LABELS[_kind], unit=OUTCOME_UNITS[_kind]
    )(_outcome_metric(_kind))
