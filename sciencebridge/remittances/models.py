"""The cross-boundary remittance ledger: Mainland funds approved in RMB and used in Hong Kong.

Since 2018 central S&T money awarded to Hong Kong universities and institutes "can be remitted across the
boundary and used in Hong Kong" (domain.md §3). One :class:`Remittance` follows one Mainland-side (RMB)
tranche of a project whose money is used at a Hong Kong institution, step by step:

    instructed (agency officer, RMB amount) → remitted (date, RMB amount, bank reference)
    → received (the HK research office: date, HKD amount; effective rate derived, the day's reference rate
    recorded) → reported as used in Hong Kong

Each step moves ``state`` through ``core.workflow.transition`` (who, when, why). The currency of each
amount is fixed by the step (CNY remitted, HKD received); a bank reference posts once (unique).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

NOTE_MAX = 2000


class ReferenceRate(models.Model):
    """The reference rate of one day: HKD for 1 RMB (CNY). Data entered or imported by an administrator;
    the seeded values are plausible figures for the demo, not official fixings ([U], see ``source``)."""

    date = models.DateField(_("date"), unique=True)
    hkd_per_cny = models.DecimalField(_("HKD per 1 RMB"), max_digits=10, decimal_places=6)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("reference rate (RMB→HKD)")
        verbose_name_plural = _("reference rates (RMB→HKD)")
        constraints = [
            models.CheckConstraint(condition=models.Q(hkd_per_cny__gt=0), name="rate_positive")
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}: 1 RMB = {self.hkd_per_cny} HKD"


class RemittanceState(models.TextChoices):
    INSTRUCTED = "instructed", _("Instructed")
    REMITTED = "remitted", _("Remitted")
    RECEIVED = "received", _("Received in Hong Kong")
    REPORTED = "reported", _("Reported as used in Hong Kong")


class Remittance(models.Model):
    TRANSITIONS = {
        RemittanceState.INSTRUCTED: {RemittanceState.REMITTED},
        RemittanceState.REMITTED: {RemittanceState.RECEIVED},
        RemittanceState.RECEIVED: {RemittanceState.REPORTED},
    }

    reference = models.CharField(_("reference"), max_length=60, unique=True)
    tranche = models.OneToOneField(
        "projects.Tranche",
        verbose_name=_("tranche"),
        on_delete=models.CASCADE,
        related_name="remittance",
    )
    # Denormalised from the tranche, so the restricted querysets are single-table filters.
    agency = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("remitting agency"),
        on_delete=models.PROTECT,
        related_name="remittances_sent",
    )
    recipient = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("receiving institution in Hong Kong"),
        on_delete=models.PROTECT,
        related_name="remittances_received",
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RemittanceState.choices,
        default=RemittanceState.INSTRUCTED,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    # 1. instruction
    instructed_amount = MoneyField(
        _("amount instructed"),
        max_digits=14,
        decimal_places=2,
        default_currency="CNY",
        currency_choices=[("CNY", "RMB (CNY)")],
    )
    instructed_on = models.DateField(_("instructed on"))
    instructed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 2. remitted
    remitted_on = models.DateField(_("remitted on"), null=True, blank=True)
    remitted_amount = MoneyField(
        _("amount remitted"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        default_currency="CNY",
        currency_choices=[("CNY", "RMB (CNY)")],
    )
    bank_reference = models.CharField(_("bank reference"), max_length=60, null=True, blank=True)
    remitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 3. received in Hong Kong
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_amount = MoneyField(
        _("amount received"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        default_currency="HKD",
        currency_choices=[("HKD", "HKD")],
    )
    effective_rate = models.DecimalField(
        _("effective rate (HKD per 1 RMB)"), max_digits=10, decimal_places=6, null=True, blank=True
    )
    reference_rate = models.DecimalField(
        _("reference rate of the day (HKD per 1 RMB)"),
        max_digits=10,
        decimal_places=6,
        null=True,
        blank=True,
    )
    reference_rate_date = models.DateField(_("reference rate dated"), null=True, blank=True)
    difference = models.DecimalField(
        _("difference from the reference (HKD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Reconciliation: a receipt that differs from the reference beyond the flag threshold.
    needs_reconciliation = models.BooleanField(_("to reconcile"), default=False, db_index=True)
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reconciliation_note = models.TextField(
        _("reconciliation note"), blank=True, max_length=NOTE_MAX
    )
    # 4. reported as used
    used_reported_on = models.DateField(_("use reported on"), null=True, blank=True)
    use_note = models.TextField(_("how the funds were used"), blank=True, max_length=NOTE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-instructed_on", "-id"]
        verbose_name = _("remittance")
        verbose_name_plural = _("remittances")
        constraints = [
            # One bank reference posts once, whatever its case or the remittance it is typed on.
            models.UniqueConstraint(Upper("bank_reference"), name="uniq_remittance_bank_reference"),
            models.CheckConstraint(
                condition=models.Q(instructed_amount__gt=0), name="remittance_instructed_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(instructed_amount_currency="CNY"),
                name="remittance_instructed_cny",
            ),
            models.CheckConstraint(
                condition=models.Q(remitted_amount_currency__isnull=True)
                | models.Q(remitted_amount_currency="CNY"),
                name="remittance_remitted_cny",
            ),
            models.CheckConstraint(
                condition=models.Q(received_amount_currency__isnull=True)
                | models.Q(received_amount_currency="HKD"),
                name="remittance_received_hkd",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["recipient", "state"]),
        ]

    def __str__(self):
        return self.reference

    @property
    def expected_hkd(self):
        if self.remitted_amount is None or self.reference_rate is None:
            return None
        return (self.remitted_amount.amount * self.reference_rate).quantize(Decimal("0.01"))


class RemittanceReminder(models.Model):
    """One reminder sent about one remittance; the unique key makes the reminder run idempotent."""

    remittance = models.ForeignKey(Remittance, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)  # "receipt-10"
    sent_to = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["remittance", "kind"], name="uniq_reminder_per_remittance"
            )
        ]
