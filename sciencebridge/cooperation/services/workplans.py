"""Workplans and their items: secretariat-only changes, status moves through core.workflow."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciencebridge.core import metrics
from sciencebridge.core.content_languages import fill_chinese_conversions
from sciencebridge.core.workflow import record_initial_state, transition

from ..models import Evidence, Milestone, Workplan, WorkplanItem

# The item's texts in the other Chinese script are converted by OpenCC until a person checks them.
ITEM_TRANSLATED = ("text",)
ITEM_FIELDS = (
    "area",
    "number",
    "text",
    "text_en",
    "text_zh_hant",
    "text_zh_hans",
    "owner",
    "owner_en",
    "owner_zh_hant",
    "owner_zh_hans",
    "metric_code",
    "metric_filters",
    "target",
    "source_url",
)


def _require(user, perm="cooperation.edit_workplan"):
    if user is None or not user.has_perm(perm):
        raise PermissionDenied(_("Only the committee secretariat edits workplans."))


def _check_link(metric_code, target):
    errors = {}
    if metric_code:
        try:
            metrics.get(metric_code)
        except KeyError:
            errors["metric_code"] = [
                _("“%(c)s” is not a live metric on this platform.") % {"c": metric_code}
            ]
        if target is None or target <= 0:
            errors["target"] = [
                _("A linked item needs a positive target, so its progress can be computed.")
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_workplan(user, **fields) -> Workplan:
    _require(user)
    wp = Workplan.objects.create(created_by=user, **fields)
    record_initial_state(wp, actor=user)
    return wp


@transaction.atomic
def update_workplan(user, workplan: Workplan, **fields) -> Workplan:
    _require(user)
    for k, v in fields.items():
        setattr(workplan, k, v)
    workplan.save()
    return workplan


def move_workplan(user, workplan: Workplan, to_state: str, reason: str = "") -> Workplan:
    _require(user)
    transition(workplan, to_state, actor=user, reason=reason)
    return workplan


def link_item(user, item: WorkplanItem, *, metric_code: str, target, **filters) -> WorkplanItem:
    """Link an item to live activity: a registered metric, its filters (e.g. ``call_ids=[3]``) and a target."""
    _require(user)
    _check_link(metric_code, target)
    item.metric_code, item.target, item.metric_filters = metric_code, target, filters
    item.save(update_fields=["metric_code", "target", "metric_filters"])
    return item


@transaction.atomic
def save_item(user, workplan: Workplan, item: WorkplanItem | None = None, **fields) -> WorkplanItem:
    _require(user)
    confirm = bool(fields.get("confirm_conversions"))
    fields = {k: v for k, v in fields.items() if k in ITEM_FIELDS}
    # An update changes only the fields given (a partial update never drops the call links).
    if item is None:
        fields.setdefault("metric_filters", {})
        for k in ("area", "number"):
            if not fields.get(k):
                raise ValidationError({k: _("This field is required.")})
    _check_link(
        fields.get("metric_code", item.metric_code if item else ""),
        fields.get("target", item.target if item else None),
    )
    number = fields.get("number", item.number if item else None)
    clash = workplan.items.filter(number=number)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError(
            {"number": _("This workplan already has an item (%(n)s).") % {"n": number}}
        )
    if item is None:
        item = WorkplanItem(workplan=workplan, **fields)
        fill_chinese_conversions(item, ITEM_TRANSLATED, confirm=confirm)
        item.save()
        record_initial_state(item, actor=user)
    else:
        for k, v in fields.items():
            setattr(item, k, v)
        fill_chinese_conversions(item, ITEM_TRANSLATED, confirm=confirm)
        item.save()
    return item


def move_item(user, item: WorkplanItem, to_status: str, reason: str = "") -> WorkplanItem:
    _require(user)
    transition(item, to_status, actor=user, reason=reason)
    return item


def add_evidence(user, item: WorkplanItem, *, description: str, url: str = "") -> Evidence:
    _require(user)
    return Evidence.objects.create(item=item, description=description, url=url, added_by=user)


def add_milestone(user, item: WorkplanItem, *, title: str, due_on=None, done_on=None) -> Milestone:
    _require(user)
    return Milestone.objects.create(item=item, title=title, due_on=due_on, done_on=done_on)
