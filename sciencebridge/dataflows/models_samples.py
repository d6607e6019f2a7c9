"""Human genetic resources (HGR) and biological samples leaving the Mainland for Hong Kong.

Under the trial scheme (domain.md §3 [C]) the Mainland branches of Hong Kong universities and institutes,
hospitals and education institutions — the *pilot units*, kept as data — may apply to export human genetic
resources to Hong Kong. An :class:`HgrExportApplication` records what is asked (sample kind, quantity,
purpose, conditions) and, once the authority approves it, the approval reference, date and the quantity
approved. Each shipment is an :class:`HgrTransfer` against that approval; together they may never exceed it.

The Hetao white-list model (domain.md §3 [P], a proposal, not an adopted rule) is a switch held as data
(:class:`SampleFlowRule`): when on, the first transfer of a kind between two parties gets a full review and
later transfers of that kind between the same parties are a simplified notification.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PilotUnitKind(models.TextChoices):
    UNIVERSITY_BRANCH = "university_branch", _("Mainland branch of a Hong Kong university")
    INSTITUTE_BRANCH = "institute_branch", _("Mainland branch of a Hong Kong institute")
    HOSPITAL = "hospital", _("Hospital")
    EDUCATION = "education", _("Education institution")


class PilotUnit(models.Model):
    """An institution admitted to the trial scheme for exporting human genetic resources to Hong Kong."""

    institution = models.OneToOneField(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="hgr_pilot_unit",
    )
    kind = models.CharField(_("kind of unit"), max_length=20, choices=PilotUnitKind.choices)
    parent = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("Hong Kong parent institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["institution__name"]
        verbose_name = _("pilot unit")
        verbose_name_plural = _("pilot units")

    def __str__(self):
        return str(self.institution)


class SampleKind(models.TextChoices):
    BLOOD = "blood", _("Blood")
    TISSUE = "tissue", _("Tissue")
    DNA = "dna", _("DNA")
    RNA = "rna", _("RNA")
    CELL_LINE = "cell_line", _("Cell line")
    SALIVA = "saliva", _("Saliva or swab")
    OTHER = "other", _("Other human genetic material")


class SampleFlowRule(models.Model):
    """The rules in force for sample transfers from a date on (the latest row in effect applies).

    Held as data because the Hetao white list is a proposal ([P] in domain.md): the secretariat turns it
    on or off in the admin without a code change. Without any row the setting
    ``DATAFLOWS_HGR_WHITELIST`` decides (default: off)."""

    effective_from = models.DateField(_("in effect from"), unique=True)
    whitelist_enabled = models.BooleanField(
        _("white-list model"),
        default=False,
        help_text=_(
            "First transfer of a kind between two parties: full review; later transfers of that kind "
            "between the same parties: a simplified notification."
        ),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("sample-flow rule")
        verbose_name_plural = _("sample-flow rules")

    def __str__(self):
        return f"{self.effective_from:%Y-%m-%d}"


class HgrApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class HgrExportApplication(models.Model):
    TRANSITIONS = {
        HgrApplicationState.DRAFT: {HgrApplicationState.SUBMITTED, HgrApplicationState.WITHDRAWN},
        HgrApplicationState.SUBMITTED: {
            HgrApplicationState.APPROVED,
            HgrApplicationState.REFUSED,
            HgrApplicationState.WITHDRAWN,
        },
        HgrApplicationState.APPROVED: {HgrApplicationState.CLOSED},
    }

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    pilot_unit = models.ForeignKey(
        PilotUnit, verbose_name=_("pilot unit"), on_delete=models.PROTECT, related_name="exports"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="hgr_exports",
    )
    recipient = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("recipient in Hong Kong"),
        on_delete=models.PROTECT,
        related_name="hgr_imports",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hgr_exports",
    )
    sample_kind = models.CharField(_("kind of sample"), max_length=20, choices=SampleKind.choices)
    quantity = models.PositiveIntegerField(_("quantity requested"))
    unit = models.CharField(_("unit"), max_length=40, default="samples")
    purpose = models.TextField(_("purpose"), max_length=5000)
    conditions = models.TextField(_("conditions"), max_length=5000, blank=True)
    approval_reference = models.CharField(_("approval reference"), max_length=100, blank=True)
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    approved_quantity = models.PositiveIntegerField(_("quantity approved"), null=True, blank=True)
    valid_until = models.DateField(_("approval valid until"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=HgrApplicationState.choices,
        default=HgrApplicationState.DRAFT,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sample export application")
        verbose_name_plural = _("sample export applications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="hgr_quantity_positive"
            ),
            models.UniqueConstraint(
                fields=["approval_reference"],
                condition=~models.Q(approval_reference=""),
                name="uniq_hgr_approval_reference",
            ),
        ]

    def __str__(self):
        return self.reference


class TransferReview(models.TextChoices):
    FULL = "full", _("Full review")
    NOTIFICATION = "notification", _("White-list notification")


class HgrTransferState(models.TextChoices):
    UNDER_REVIEW = "under_review", _("Under review")
    CLEARED = "cleared", _("Cleared")
    NOTIFIED = "notified", _("Notified (white list)")
    REFUSED = "refused", _("Refused")


# Transfers whose quantity counts against the approval (a refused one gives its quantity back).
COUNTED_TRANSFER_STATES = (
    HgrTransferState.UNDER_REVIEW,
    HgrTransferState.CLEARED,
    HgrTransferState.NOTIFIED,
)


class HgrTransfer(models.Model):
    TRANSITIONS = {
        HgrTransferState.UNDER_REVIEW: {HgrTransferState.CLEARED, HgrTransferState.REFUSED},
    }

    application = models.ForeignKey(
        HgrExportApplication,
        verbose_name=_("approval"),
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    # Denormalised from the application so "same parties, same kind" is one indexed query.
    sender = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    sample_kind = models.CharField(_("kind of sample"), max_length=20, choices=SampleKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    shipped_on = models.DateField(_("shipping date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    review = models.CharField(
        _("review"), max_length=12, choices=TransferReview.choices, db_index=True
    )
    state = models.CharField(
        _("state"), max_length=12, choices=HgrTransferState.choices, db_index=True
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-shipped_on", "-id"]
        indexes = [models.Index(fields=["sender", "recipient", "sample_kind", "state"])]
        verbose_name = _("sample transfer")
        verbose_name_plural = _("sample transfers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="hgr_transfer_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.application.reference} · {self.shipped_on:%Y-%m-%d} · {self.quantity}"
