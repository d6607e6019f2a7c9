"""Eligibility recheck requests: an applicant whose half was screened ineligible asks its agency to
look again (NSFC: within 15 days of the notice; the agency decides within 60 days).

The rules are scheme data, one ``RecheckPolicy`` per scheme side (``reference.py`` seeds the published
ones); a scheme side without a policy takes no recheck requests. A ``RecheckRequest`` moves only
through ``core.workflow.transition`` (requested → upheld / reversed / withdrawn), so who decided, when
and why is recorded; the outcome is also written on the proposal half's own timeline.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Longest reasons an applicant or an officer may write (a page or two).
REASONS_MAX_CHARS = 5000


class RecheckPolicy(models.Model):
    scheme_side = models.OneToOneField(
        "funding.SchemeSide", on_delete=models.CASCADE, related_name="recheck_policy"
    )
    allowed = models.BooleanField(_("recheck requests accepted"), default=True)
    request_window_days = models.PositiveSmallIntegerField(
        _("days after the screening decision to ask for a recheck"), default=15
    )
    handling_days = models.PositiveSmallIntegerField(
        _("days the agency takes to decide a recheck"), default=60
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind the officers this many days before the due date"), default=7
    )
    source_note = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("recheck rule")
        verbose_name_plural = _("recheck rules")

    def __str__(self):
        return str(self.scheme_side)

    def window_closes_at(self, screened_at: dt.datetime) -> dt.datetime:
        return screened_at + dt.timedelta(days=self.request_window_days)

    def due_date_for(self, requested_at: dt.datetime) -> dt.date:
        return timezone.localdate(requested_at) + dt.timedelta(days=self.handling_days)


class RecheckState(models.TextChoices):
    REQUESTED = "requested", _("Recheck requested")
    UPHELD = "upheld", _("Ineligibility upheld")
    REVERSED = "reversed", _("Reversed: eligible")
    WITHDRAWN = "withdrawn", _("Recheck request withdrawn")


OPEN_STATES = {RecheckState.REQUESTED}


def evidence_path(instance, filename):
    half = instance.half
    return f"rechecks/{half.proposal.reference}/{half.side}/{secrets.token_hex(8)}.pdf"


class RecheckRequest(models.Model):
    TRANSITIONS = {
        RecheckState.REQUESTED: {
            RecheckState.UPHELD,
            RecheckState.REVERSED,
            RecheckState.WITHDRAWN,
        },
    }

    half = models.ForeignKey(
        "funding.ProposalHalf", on_delete=models.CASCADE, related_name="recheck_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # The screening decision contested: when it was made and what it said (a later re-screening
    # does not rewrite what this request was about).
    screened_at = models.DateTimeField()
    screening_reason = models.TextField(blank=True)
    reasons = models.TextField(_("reasons"), max_length=REASONS_MAX_CHARS)
    evidence = models.FileField(_("evidence (PDF)"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    due_date = models.DateField(_("due date"))
    state = models.CharField(
        max_length=10, choices=RecheckState.choices, default=RecheckState.REQUESTED, db_index=True
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["half"],
                condition=models.Q(state="requested"),
                name="one_open_recheck_per_half",
            )
        ]
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self):
        return _("Recheck of %(half)s") % {"half": self.half}

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and (today or timezone.localdate()) > self.due_date

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due_date - (today or timezone.localdate())).days


class RecheckReminder(models.Model):
    """One reminder sent about one request; the unique key makes the reminder run idempotent."""

    request = models.ForeignKey(RecheckRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_to = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="uniq_recheck_reminder")
        ]
