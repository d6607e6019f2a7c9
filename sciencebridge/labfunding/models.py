"""Yearly Hong Kong funding of State Key Laboratories and CNERC Hong Kong branches, and the evaluation /
reorganisation exercises of the platform registry (see ../shared/domain.md §6 and §7).

- ``LabProgramme``: the rules as data: who funds (ITC), which kind of platform, the yearly ceiling, the
  university's minimum matching (an absolute amount a year and/or a ratio of the grant), how many years a
  lab may be funded, and from which year the rules apply.
- ``LabGrant``: one lab's grant for one year (HKD), offered by the funder's officer, released once the year's
  ``AnnualReport`` (work plan and financial report, PDFs and figures) is approved and the university's
  matching reaches the programme's minimum.
- ``Exercise`` / ``ExerciseOutcome``: an evaluation or reorganisation with its labs and what happened to each
  (continued, renamed, merged, closed, established), linked to the successor in the registry.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from djmoney.money import Money

CURRENCY = "HKD"  # ITC funds in Hong Kong dollars; every amount of this app is HKD


class LabProgramme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)  # translated
    platform_kind = models.CharField(
        _("kind of laboratory"),
        max_length=20,
        choices=[("skl", _("State Key Laboratory")), ("cnerc_branch", _("CNERC Hong Kong branch"))],
    )
    funder = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="lab_programmes",
        limit_choices_to={"type": "agency"},
    )
    yearly_ceiling = MoneyField(
        _("ceiling a year"), max_digits=14, decimal_places=2, default_currency=CURRENCY
    )
    min_matching = MoneyField(
        _("minimum matching a year"),
        max_digits=14,
        decimal_places=2,
        default_currency=CURRENCY,
        null=True,
        blank=True,
        help_text=_("The least the university adds each year (empty: no absolute minimum)."),
    )
    min_matching_ratio = models.DecimalField(
        _("minimum matching ratio"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("University money per dollar of grant (1.00: dollar for dollar)."),
    )
    max_years = models.PositiveSmallIntegerField(
        _("years of funding"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    first_year = models.PositiveSmallIntegerField(_("rules apply from (year)"))
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("laboratory funding programme")
        verbose_name_plural = _("laboratory funding programmes")

    def __str__(self):
        return self.name

    def required_matching(self, amount: Money) -> Money:
        """The least the university must add to a grant of ``amount``: the larger of the two minimums."""
        need = Decimal("0")
        if self.min_matching is not None:
            need = max(need, self.min_matching.amount)
        if self.min_matching_ratio is not None:
            need = max(need, (amount.amount * self.min_matching_ratio).quantize(Decimal("0.01")))
        return Money(need, CURRENCY)


class GrantState(models.TextChoices):
    OFFERED = "offered", _("Offered")
    RELEASED = "released", _("Released")
    CANCELLED = "cancelled", _("Cancelled")


class LabGrant(models.Model):
    TRANSITIONS = {
        GrantState.OFFERED: {GrantState.RELEASED, GrantState.CANCELLED},
    }

    programme = models.ForeignKey(
        LabProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="grants"
    )
    platform = models.ForeignKey(
        "platforms.Platform",
        verbose_name=_("laboratory"),
        on_delete=models.PROTECT,
        related_name="lab_grants",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("university"),
        on_delete=models.PROTECT,
        related_name="lab_grants",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = MoneyField(_("grant"), max_digits=14, decimal_places=2, default_currency=CURRENCY)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=GrantState.choices,
        default=GrantState.OFFERED,
        db_index=True,
    )
    released_on = models.DateField(_("released on"), null=True, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "programme", "platform"]
        verbose_name = _("laboratory grant")
        verbose_name_plural = _("laboratory grants")
        constraints = [
            models.UniqueConstraint(fields=["platform", "year"], name="uniq_lab_grant_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="lab_grant_positive"),
        ]

    def __str__(self):
        return f"{self.platform} · {self.year}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


def _report_path(instance, filename):
    return f"labfunding/{instance.grant.platform.code}/{instance.grant.year}/{filename}"


class AnnualReport(models.Model):
    """The lab's work plan for the grant's year and its financial report, with the figures ITC checks."""

    TRANSITIONS = {
        ReportState.DRAFT: {ReportState.SUBMITTED},
        ReportState.SUBMITTED: {ReportState.APPROVED, ReportState.RETURNED},
        ReportState.RETURNED: {ReportState.SUBMITTED},
    }

    grant = models.OneToOneField(
        LabGrant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="report"
    )
    work_plan = models.FileField(_("work plan (PDF)"), upload_to=_report_path, blank=True)
    financial_report = models.FileField(
        _("financial report (PDF)"), upload_to=_report_path, blank=True
    )
    expenditure = MoneyField(
        _("grant money spent"),
        max_digits=14,
        decimal_places=2,
        default_currency=CURRENCY,
        null=True,
        blank=True,
    )
    matching = MoneyField(
        _("university matching contribution"),
        max_digits=14,
        decimal_places=2,
        default_currency=CURRENCY,
        null=True,
        blank=True,
    )
    summary = models.TextField(_("summary"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ReportState.choices,
        default=ReportState.DRAFT,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self):
        return str(_("Annual report: %(grant)s") % {"grant": self.grant})


class ExerciseKind(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluation")
    REORGANISATION = "reorganisation", _("Reorganisation")


class Exercise(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)  # translated
    kind = models.CharField(_("kind"), max_length=20, choices=ExerciseKind.choices)
    platform_kind = models.CharField(_("kind of laboratory"), max_length=20, default="skl")
    year = models.PositiveSmallIntegerField(_("year"))
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    count_before = models.PositiveSmallIntegerField(_("laboratories before"), null=True, blank=True)
    count_after = models.PositiveSmallIntegerField(_("laboratories after"), null=True, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)  # translated

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("evaluation exercise")
        verbose_name_plural = _("evaluation exercises")

    def __str__(self):
        return self.name


class Outcome(models.TextChoices):
    CONTINUED = "continued", _("Continued")
    RENAMED = "renamed", _("Renamed")
    MERGED = "merged", _("Merged")
    CLOSED = "closed", _("Closed")
    ESTABLISHED = "established", _("Newly established")
    UNKNOWN = "unknown", _("Not found in the public record")


class ExerciseOutcome(models.Model):
    exercise = models.ForeignKey(
        Exercise, verbose_name=_("exercise"), on_delete=models.CASCADE, related_name="outcomes"
    )
    platform = models.ForeignKey(
        "platforms.Platform",
        verbose_name=_("laboratory"),
        on_delete=models.PROTECT,
        related_name="exercise_outcomes",
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    successor = models.ForeignKey(
        "platforms.Platform",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exercise_predecessors",
    )
    grade = models.CharField(_("grade"), max_length=40, blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, default="C")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["exercise", "platform__name"]
        verbose_name = _("exercise outcome")
        verbose_name_plural = _("exercise outcomes")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "platform"], name="uniq_exercise_lab"),
        ]

    def __str__(self):
        return f"{self.platform}: {self.get_outcome_display()}"
