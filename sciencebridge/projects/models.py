"""Funded projects: one per award, with each side's budget, tranches, payments, reports and outcomes.

Each agency funds and monitors its own side (MHKJFS: "ITC funds the HK applicant and MOST funds the
Mainland applicant; each side monitors project progress according to their own requirements"), so
budgets, tranches, payments and reports belong to a :class:`ProjectSide`, in that side's currency.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

from sciencebridge.funding.models import SIDE_CURRENCY, Side

from .bounds import NOTE_MAX, REPORT_TEXT_MAX


class ReportingRules(models.Model):
    """How a scheme's projects report and are paid. The schemes' reporting frequency is not published
    (domain.md §1, [U]), so these are data an administrator sets per scheme, with defaults."""

    scheme = models.OneToOneField(
        "funding.Scheme",
        verbose_name=_("scheme"),
        on_delete=models.CASCADE,
        related_name="reporting_rules",
    )
    report_interval_months = models.PositiveSmallIntegerField(
        _("progress report every (months)"), default=12
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("progress report due (days after the period ends)"), default=30
    )
    final_due_days = models.PositiveSmallIntegerField(
        _("final report due (days after the project ends)"), default=90
    )
    payment_days = models.PositiveSmallIntegerField(
        _("a released tranche is paid within (days)"), default=30
    )
    first_tranche_percent = models.PositiveSmallIntegerField(
        _("first tranche (percent of the budget)"), default=40
    )
    retention_percent = models.PositiveSmallIntegerField(
        _("retention until the final report (percent of the budget)"), default=10
    )

    class Meta:
        verbose_name = _("reporting rules")
        verbose_name_plural = _("reporting rules")

    def __str__(self):
        return str(self.scheme)


class ProjectState(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class Project(models.Model):
    TRANSITIONS = {
        ProjectState.ACTIVE: {
            ProjectState.SUSPENDED,
            ProjectState.COMPLETED,
            ProjectState.TERMINATED,
        },
        ProjectState.SUSPENDED: {ProjectState.ACTIVE, ProjectState.TERMINATED},
    }

    # CASCADE: a project exists only through its award (and demo resets delete demo proposals);
    # the history tables keep every money-bearing row.
    proposal = models.OneToOneField(
        "funding.JointProposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="project",
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ProjectState.choices,
        default=ProjectState.ACTIVE,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "reference"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        # the project lists' order: a page is an index walk, not a sort of every visible project
        indexes = [models.Index(fields=["-start_date", "reference"], name="project_list_order")]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def side(self, side: str) -> "ProjectSide | None":
        return next((s for s in self.sides.all() if s.side == side), None)


class ProjectSide(models.Model):
    """One agency's part of a project. Payments lock this row, so it is the budget's guard."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sides")
    side = models.CharField(_("side"), max_length=2, choices=Side.choices)
    agency = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="project_sides",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("lead institution"),
        null=True,
        on_delete=models.PROTECT,
        related_name="led_project_sides",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project lead"),
        null=True,
        on_delete=models.PROTECT,
        related_name="led_project_sides",
    )
    approved_budget = MoneyField(
        _("approved budget"),
        max_digits=14,
        decimal_places=2,
        currency_choices=settings.CURRENCY_CHOICES,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "side"]
        verbose_name = _("project side")
        verbose_name_plural = _("project sides")
        constraints = [
            models.UniqueConstraint(fields=["project", "side"], name="uniq_project_side")
        ]
        indexes = [
            models.Index(fields=["agency", "project"]),
            models.Index(fields=["lead", "project"]),
        ]

    def __str__(self):
        return f"{self.project.reference} · {self.get_side_display()}"

    @property
    def currency(self) -> str:
        return SIDE_CURRENCY[self.side]


class TrancheState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RELEASED = "released", _("Released for payment")
    PAID = "paid", _("Paid")


class Tranche(models.Model):
    """A disbursement instalment. Released only once its gating report (if any) is accepted."""

    TRANSITIONS = {
        TrancheState.SCHEDULED: {TrancheState.RELEASED},
        TrancheState.RELEASED: {TrancheState.PAID},
    }

    project_side = models.ForeignKey(ProjectSide, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("number"))
    amount = MoneyField(
        _("amount"), max_digits=14, decimal_places=2, currency_choices=settings.CURRENCY_CHOICES
    )
    due_date = models.DateField(_("payment due"))
    gating_report = models.ForeignKey(
        "Report",
        verbose_name=_("released after acceptance of"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="gated_tranches",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=TrancheState.choices, default=TrancheState.SCHEDULED
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_side", "number"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(fields=["project_side", "number"], name="uniq_tranche_number")
        ]
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self):
        return str(_("Tranche %(n)s") % {"n": self.number})


class Payment(models.Model):
    """Money paid out. ``idempotency_key`` makes a repeated or concurrent request pay only once."""

    project_side = models.ForeignKey(ProjectSide, on_delete=models.CASCADE, related_name="payments")
    tranche = models.ForeignKey(
        Tranche, verbose_name=_("tranche"), on_delete=models.RESTRICT, related_name="payments"
    )
    amount = MoneyField(
        _("amount"), max_digits=14, decimal_places=2, currency_choices=settings.CURRENCY_CHOICES
    )
    paid_on = models.DateField(_("paid on"))
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_side", "paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")
        ]

    def __str__(self):
        return f"{self.amount} ({self.paid_on})"


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Progress report")
    FINAL = "final", _("Final report")


class ReportState(models.TextChoices):
    PENDING = "pending", _("Not yet submitted")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


OPEN_REPORT_STATES = (ReportState.PENDING, ReportState.RETURNED)


def report_path(instance, filename):
    return f"projects/{instance.project_side.project.reference}/{instance.project_side.side}/{secrets.token_hex(8)}.pdf"


class Report(models.Model):
    TRANSITIONS = {
        ReportState.PENDING: {ReportState.SUBMITTED},
        ReportState.SUBMITTED: {ReportState.ACCEPTED, ReportState.RETURNED},
        ReportState.RETURNED: {ReportState.SUBMITTED},
    }

    project_side = models.ForeignKey(ProjectSide, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    period_end = models.DateField(_("period ends"))
    due_date = models.DateField(_("due"), db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.PENDING
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    summary = models.TextField(_("summary of progress"), blank=True, max_length=REPORT_TEXT_MAX)
    milestones = models.TextField(_("milestones reached"), blank=True, max_length=REPORT_TEXT_MAX)
    expenditure = models.TextField(_("expenditure to date"), blank=True, max_length=REPORT_TEXT_MAX)
    file = models.FileField(_("report (PDF)"), upload_to=report_path, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("officer's comment"), blank=True, max_length=NOTE_MAX)
    history = HistoricalRecords(excluded_fields=["summary", "milestones", "expenditure"])

    class Meta:
        ordering = ["project_side", "due_date", "number"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["project_side", "kind", "number"], name="uniq_report_number"
            )
        ]
        indexes = [
            models.Index(fields=["state", "due_date"]),
            # reports awaiting review, oldest submission first (officer's desk and dashboard)
            models.Index(fields=["state", "submitted_at", "id"], name="report_awaiting_order"),
        ]

    def __str__(self):
        if self.kind == ReportKind.FINAL:
            return str(_("Final report"))
        return str(_("Progress report %(n)s") % {"n": self.number})

    @property
    def is_overdue(self) -> bool:
        return self.state in OPEN_REPORT_STATES and self.due_date < timezone.localdate()


class ReminderLog(models.Model):
    """One reminder sent about one report; the unique key makes the reminder run idempotent."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)  # "before-14", "overdue-7", ...
    sent_to = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="uniq_reminder_per_report")
        ]


class ChangeKind(models.TextChoices):
    BUDGET = "budget", _("Budget reallocation")
    EXTENSION = "extension", _("Extension")
    TEAM = "team", _("Team change")


class ChangeState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ChangeRequest(models.Model):
    TRANSITIONS = {ChangeState.SUBMITTED: {ChangeState.APPROVED, ChangeState.REJECTED}}

    project_side = models.ForeignKey(
        ProjectSide, on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(_("kind of change"), max_length=10, choices=ChangeKind.choices)
    description = models.TextField(_("what should change and why"), max_length=NOTE_MAX)
    # Extension
    new_end_date = models.DateField(_("new end date"), null=True, blank=True)
    # Budget reallocation: move an amount between two unpaid tranches of this side.
    from_tranche = models.ForeignKey(
        Tranche,
        verbose_name=_("move money from"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )
    to_tranche = models.ForeignKey(
        Tranche,
        verbose_name=_("move money to"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )
    amount = MoneyField(
        _("amount to move"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        currency_choices=settings.CURRENCY_CHOICES,
    )
    # Team change
    new_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new project lead"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ChangeState.choices, default=ChangeState.SUBMITTED
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_comment = models.TextField(_("decision comment"), blank=True, max_length=NOTE_MAX)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        indexes = [models.Index(fields=["state", "project_side"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"


class OutcomeKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    PATENT = "patent", _("Patent")
    OTHER_IP = "other_ip", _("Other IP (software, design, know-how)")
    PROTOTYPE = "prototype", _("Prototype")
    STANDARD = "standard", _("Standard")
    SPIN_OFF = "spin_off", _("Spin-off company")
    PEOPLE_TRAINED = "people_trained", _("People trained")
    FOLLOW_ON = "follow_on", _("Follow-on funding")


IP_KINDS = {OutcomeKind.PATENT, OutcomeKind.OTHER_IP}


class IPStatus(models.TextChoices):
    FILED = "filed", _("Application filed")
    PUBLISHED = "published", _("Application published")
    GRANTED = "granted", _("Granted")
    LICENSED = "licensed", _("Licensed")
    LAPSED = "lapsed", _("Lapsed or abandoned")


class Jurisdiction(models.TextChoices):
    MAINLAND = "CN", _("Mainland China (CNIPA)")
    HONG_KONG = "HK", _("Hong Kong (IPD)")
    MACAO = "MO", _("Macao")
    PCT = "PCT", _("PCT international application")
    US = "US", _("United States")
    EP = "EP", _("European Patent Office")
    OTHER = "other", _("Other")


class Outcome(models.Model):
    """A result of a project. Technology offers (transfer app) may point at an outcome."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="outcomes"
    )
    side = models.CharField(
        _("side"), max_length=2, choices=Side.choices, blank=True, help_text=_("Blank: both sides.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OutcomeKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=NOTE_MAX)
    date = models.DateField(_("date"), default=timezone.localdate)
    url = models.URLField(_("link"), blank=True)
    # Patents and other IP
    ip_status = models.CharField(
        _("IP status"), max_length=10, choices=IPStatus.choices, blank=True
    )
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=6, choices=Jurisdiction.choices, blank=True
    )
    application_number = models.CharField(
        _("application / patent number"), max_length=60, blank=True
    )
    owner = models.CharField(_("owner (applicant or assignee)"), max_length=300, blank=True)
    # Publications
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    # People trained
    count = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    # Follow-on funding
    amount = MoneyField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        default_currency="HKD",
        currency_choices=[*settings.CURRENCY_CHOICES, ("USD", "USD")],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-date", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return self.title

    @property
    def is_ip(self) -> bool:
        return self.kind in IP_KINDS
