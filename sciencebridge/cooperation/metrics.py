"""The committee's own live metrics (see sciencebridge.core.metrics)."""

from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics


@metrics.register(
    "cooperation.agreements_in_force", label=_("Agreements in force"), unit="agreements"
)
def agreements_in_force(year=None, **_ignored):
    from .models import Agreement, AgreementStatus

    qs = Agreement.objects.filter(status=AgreementStatus.IN_FORCE)
    if year:
        qs = qs.filter(signed_on__year__lte=year)
    return qs.count()


@metrics.register("cooperation.items_completed", label=_("Workplan items completed"), unit="items")
def items_completed(workplan_ids=None, area_code=None, **_ignored):
    from .models import ItemStatus, WorkplanItem

    qs = WorkplanItem.objects.filter(status=ItemStatus.COMPLETED)
    if workplan_ids:
        qs = qs.filter(workplan_id__in=workplan_ids)
    if area_code:
        qs = qs.filter(area__code=area_code)
    return qs.count()
