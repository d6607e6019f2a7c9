"""The Mainland/HK S&T Co-operation Committee: agreements, meetings, workplans and indicators.

``Agreement`` (arrangements, memoranda, workplans) → ``Meeting`` (agenda, minutes, decisions) →
``Workplan`` approved at a meeting → ``WorkplanItem`` per ``CooperationArea``. An item's progress comes
from the data: it names a live metric registered in ``sciencebridge.core.metrics`` (calls launched,
projects funded, money committed per side, deals, exchanges, facility hours ...), the metric's filters
(e.g. ``{"call_ids": [3]}``) and a target; progress = metric / target, computed when read.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sciencebridge.core import metrics
from sciencebridge.institutions.models import Region


class Confidence(models.TextChoices):
    """How sure the public record is (../shared/domain.md): [C] confirmed, [P] partly, [U] unconfirmed."""

    CONFIRMED = "C", _("Confirmed in the public record")
    PARTIAL = "P", _("Partly confirmed")
    UNCONFIRMED = "U", _("Unconfirmed; configurable")
    PLATFORM = "D", _("Entered on this platform")


class CooperationArea(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas")

    def __str__(self):
        return self.name


class Party(models.Model):
    """A signatory government body (MOST, MIIT, the HKSAR Government's bureau ...), optionally linked to
    the institution record of an agency that also funds calls."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)  # translated
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["region", "code"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self):
        return self.name


class AgreementKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    ARRANGEMENT = "arrangement", _("Arrangement")
    MEMORANDUM = "memorandum", _("Memorandum of understanding")
    ACTION_PLAN = "action_plan", _("Action plan")
    WORKPLAN = "workplan", _("Workplan")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    RENEWED = "renewed", _("Renewed")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")


class Agreement(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=400)  # translated
    parties = models.ManyToManyField(Party, verbose_name=_("parties"), related_name="agreements")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = models.CharField(_("signed at"), max_length=200, blank=True)  # translated
    signatories = models.TextField(_("signatories"), blank=True)  # translated
    areas = models.ManyToManyField(
        CooperationArea, verbose_name=_("cooperation areas"), blank=True, related_name="agreements"
    )
    summary = models.TextField(_("summary"), blank=True)  # translated
    full_text = models.TextField(_("full text"), blank=True)  # translated
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.IN_FORCE,
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    renews = models.ForeignKey(
        "self",
        verbose_name=_("renews or supersedes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewals",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("annex of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="annexes",
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    source_note = models.TextField(_("source note"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.CONFIRMED
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "code"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status != AgreementStatus.DRAFT


class Meeting(models.Model):
    number = models.PositiveSmallIntegerField(_("meeting number"), unique=True)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)  # translated
    chairs = models.CharField(_("co-chairs"), max_length=300, blank=True)  # translated
    agenda = models.TextField(_("agenda"), blank=True)  # translated
    minutes = models.TextField(_("minutes"), blank=True)  # translated
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")

    def __str__(self):
        return _("Meeting %(n)d") % {"n": self.number}


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("decision"))  # translated

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text[:80]


class WorkplanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


class Workplan(models.Model):
    TRANSITIONS = {
        WorkplanState.DRAFT: {WorkplanState.APPROVED},
        WorkplanState.APPROVED: {WorkplanState.CLOSED},
    }

    code = models.SlugField(max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)  # translated
    period = models.CharField(_("period"), max_length=20, help_text=_("e.g. 2024-25"))
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    approved_at = models.ForeignKey(
        Meeting,
        verbose_name=_("approved at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workplans",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("under agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workplans",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=WorkplanState.choices,
        default=WorkplanState.DRAFT,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period", "code"]
        verbose_name = _("workplan")
        verbose_name_plural = _("workplans")

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        """Drafts are the secretariat's; approved and closed workplans are public."""
        return self.state != WorkplanState.DRAFT


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DEFERRED = "deferred", _("Deferred")


class WorkplanItem(models.Model):
    STATE_FIELD = "status"
    TRANSITIONS = {
        ItemStatus.PLANNED: {ItemStatus.IN_PROGRESS, ItemStatus.COMPLETED, ItemStatus.DEFERRED},
        ItemStatus.IN_PROGRESS: {ItemStatus.COMPLETED, ItemStatus.DEFERRED},
        ItemStatus.DEFERRED: {ItemStatus.IN_PROGRESS},
        ItemStatus.COMPLETED: {ItemStatus.IN_PROGRESS},
    }

    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="items")
    area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="workplan_items",
    )
    number = models.CharField(_("number"), max_length=10, help_text=_("e.g. i, ii, iii"))
    text = models.TextField(_("item"))  # translated
    owner = models.CharField(_("owner"), max_length=200, blank=True)  # translated
    # Chinese texts converted by OpenCC and not yet checked by a person (core.content_languages).
    converted_fields = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    metric_code = models.CharField(
        _("linked activity"),
        max_length=80,
        blank=True,
        help_text=_("A live metric; the item's progress is computed from it."),
    )
    metric_filters = models.JSONField(
        _("metric filters"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"call_ids": [3]} to count only those calls.'),
    )
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    confidence = models.CharField(
        _("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.PLATFORM
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    history = HistoricalRecords(excluded_fields=["state_changed_at"])

    class Meta:
        ordering = ["workplan", "area__order", "id"]
        verbose_name = _("workplan item")
        verbose_name_plural = _("workplan items")
        constraints = [
            models.UniqueConstraint(fields=["workplan", "number"], name="uniq_item_number")
        ]

    def __str__(self):
        return f"({self.number}) {self.text[:60]}"

    @property
    def metric(self):
        try:
            return metrics.get(self.metric_code) if self.metric_code else None
        except KeyError:
            return None

    def current_value(self) -> float | None:
        """The linked metric's live value (None if unlinked or the metric is not registered here)."""
        if self.metric is None:
            return None
        return metrics.compute(self.metric_code, **(self.metric_filters or {}))

    def progress(self, value=None) -> float | None:
        """Fraction of the target reached (may exceed 1), from live data."""
        value = self.current_value() if value is None else value
        if value is None or not self.target:
            return None
        return float(Decimal(str(value)) / self.target)


class Milestone(models.Model):
    item = models.ForeignKey(WorkplanItem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["item", "due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class Evidence(models.Model):
    item = models.ForeignKey(WorkplanItem, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(_("evidence"), max_length=500)
    url = models.URLField(_("link"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-added_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.description


class Indicator(models.Model):
    """A time series: seeded from the public record, or computed live from a registered metric."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)  # translated
    unit = models.CharField(_("unit"), max_length=40)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    source = models.CharField(_("source"), max_length=300, blank=True)
    metric_code = models.CharField(_("computed from"), max_length=80, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    lower_is_better = models.BooleanField(
        _("lower is better"), default=False, help_text=_("e.g. a rank")
    )
    on_dashboard = models.BooleanField(_("show on the dashboard"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    as_of = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("When the source published or dated the figure."),
    )
    basis_version = models.CharField(
        _("basis"),
        max_length=120,
        blank=True,
        help_text=_("Figures on different bases are not comparable."),
    )
    reference_period = models.CharField(_("reference period"), max_length=200, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.CONFIRMED
    )

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="uniq_indicator_year")
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"
