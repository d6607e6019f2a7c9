"""Cross-boundary flows of research data in the Greater Bay Area.

Data-transfer agreements under the GBA Standard Contract (Mainland <-> Hong Kong): the two parties and
their GBA locations (a location list kept as data), the contract's fields, the standard annex as
versioned data (with the filing period and the record-keeping period it sets), acceptance by both
parties, each party's filing with its own authority, and the recipient's processing log.

Which request fields are required at submission is configurable (``SubmissionRequirement``): no official
form for research-data requests was found, so the suggested minimum is seeded as data, not hard-coded.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Jurisdiction(models.TextChoices):
    HONG_KONG = "HK", _("Hong Kong")
    MAINLAND = "ML", _("Mainland")


class GBALocation(models.Model):
    """A place a party may be registered or located in. ``in_gba`` False: listed so that a request
    naming it is refused with a reason (e.g. Beijing), never silently accepted."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)  # translated
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices)
    in_gba = models.BooleanField(_("in the Greater Bay Area"), default=True)
    filing_authority = models.CharField(_("filing authority"), max_length=200, blank=True)
    holiday_calendar = models.CharField(
        _("public-holiday calendar"), max_length=8, help_text=_("e.g. CN or HK")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-in_gba", "jurisdiction", "position", "code"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self):
        return self.name


class StandardAnnex(models.Model):
    """One version of the standard contract's annex text, with the rules it sets. A version used by an
    agreement is never edited (services refuse it); a change is a new version."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)  # translated
    text = models.TextField(_("annex text"))  # translated; clauses separated by blank lines
    published_on = models.DateField(_("published on"))
    filing_working_days = models.PositiveSmallIntegerField(
        _("working days to file after the contract takes effect"), default=10
    )
    retention_years = models.PositiveSmallIntegerField(
        _("years the recipient keeps processing records"), default=3
    )
    is_current = models.BooleanField(_("current"), default=False)
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["-published_on", "-version"]
        verbose_name = _("standard annex version")
        verbose_name_plural = _("standard annex versions")

    def __str__(self):
        return f"{self.title} ({self.version})"


class SubmissionRequirement(models.Model):
    """Whether a request field must be filled before submission (configurable: [U] no official form)."""

    field = models.CharField(_("field"), max_length=40, unique=True)
    required = models.BooleanField(_("required at submission"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["field"]
        verbose_name = _("submission requirement")
        verbose_name_plural = _("submission requirements")

    def __str__(self):
        return self.field


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting acceptance")
    SIGNED = "signed", _("Signed by both parties")
    TERMINATED = "terminated", _("Terminated")


class ConsentBasis(models.TextChoices):
    NOTICE = "notice", _("Data subjects informed")
    CONSENT = "consent", _("Consent of the data subjects")
    SEPARATE_CONSENT = "separate_consent", _("Separate consent (sensitive personal information)")


class PartyRole(models.TextChoices):
    PROCESSOR = "processor", _("Personal information processor (sender)")
    RECIPIENT = "recipient", _("Recipient")


def agreement_file_path(instance, filename):
    return f"dataflows/{secrets.token_hex(8)}.pdf"


class DataTransferAgreement(models.Model):
    TRANSITIONS = {
        AgreementState.DRAFT: {AgreementState.SUBMITTED, AgreementState.TERMINATED},
        AgreementState.SUBMITTED: {
            AgreementState.DRAFT,
            AgreementState.SIGNED,
            AgreementState.TERMINATED,
        },
        AgreementState.SIGNED: {AgreementState.TERMINATED},
    }

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=AgreementState.choices,
        default=AgreementState.DRAFT,
        db_index=True,
    )
    # What the transfer belongs to: a project, a facility booking or a transfer deal.
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_agreements",
    )
    booking = models.ForeignKey(
        "platforms.Booking",
        verbose_name=_("facility booking"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_agreements",
    )
    deal = models.ForeignKey(
        "transfer.Deal",
        verbose_name=_("transfer deal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_agreements",
    )
    # The two parties: the personal-information processor (sender) and the recipient.
    processor_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("processor (sender)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    processor_location = models.ForeignKey(
        GBALocation,
        verbose_name=_("processor's location"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    processor_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("processor's signatory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty when the recipient is an individual."),
    )
    recipient_individual = models.CharField(_("recipient (individual)"), max_length=200, blank=True)
    recipient_location = models.ForeignKey(
        GBALocation,
        verbose_name=_("recipient's location"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient's signatory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The contract's fields.
    purpose = models.TextField(_("purpose of processing"), blank=True)
    processing_method = models.TextField(_("method of processing"), blank=True)
    pi_categories = models.TextField(_("categories of personal information"), blank=True)
    sensitive_pi = models.BooleanField(_("includes sensitive personal information"), default=False)
    sensitive_pi_categories = models.TextField(
        _("categories of sensitive personal information"), blank=True
    )
    volume = models.PositiveIntegerField(_("number of data subjects"), null=True, blank=True)
    retention_months = models.PositiveIntegerField(
        _("retention period (months)"), null=True, blank=True
    )
    consent_basis = models.CharField(
        _("notice or consent basis"), max_length=20, choices=ConsentBasis.choices, blank=True
    )
    security_measures = models.TextField(_("security measures"), blank=True)
    onward_transfer = models.BooleanField(
        _("onward transfer outside the Greater Bay Area"), default=False
    )
    onward_transfer_detail = models.CharField(
        _("onward transfer: where"), max_length=255, blank=True
    )
    piia_file = models.FileField(
        _("PI protection impact assessment"), upload_to=agreement_file_path, blank=True
    )
    piia_date = models.DateField(_("impact assessment completed on"), null=True, blank=True)
    effective_date = models.DateField(_("contract takes effect on"), null=True, blank=True)
    supplementary_terms = models.TextField(_("supplementary terms"), blank=True)
    annex = models.ForeignKey(
        StandardAnnex, verbose_name=_("standard annex"), on_delete=models.PROTECT, related_name="+"
    )
    signed_pdf = models.FileField(
        _("signed contract (PDF)"), upload_to=agreement_file_path, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "reference"]
        verbose_name = _("data-transfer agreement")
        verbose_name_plural = _("data-transfer agreements")
        indexes = [
            models.Index(fields=["processor_institution", "state"]),
            models.Index(fields=["recipient_institution", "state"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def direction(self) -> str:
        return f"{self.processor_location.jurisdiction}-{self.recipient_location.jurisdiction}"

    def get_direction_display(self) -> str:
        return f"{self.processor_location} → {self.recipient_location}"

    @property
    def recipient_name(self) -> str:
        return str(self.recipient_institution or self.recipient_individual)

    @property
    def records_kept_until(self):
        if not self.effective_date:
            return None
        try:
            return self.effective_date.replace(
                year=self.effective_date.year + self.annex.retention_years
            )
        except ValueError:  # 29 February
            return self.effective_date.replace(
                year=self.effective_date.year + self.annex.retention_years, day=28
            )


class Acceptance(models.Model):
    """One party's recorded acceptance of the contract text (who, when, which annex version)."""

    agreement = models.ForeignKey(
        DataTransferAgreement, on_delete=models.CASCADE, related_name="acceptances"
    )
    party = models.CharField(_("party"), max_length=12, choices=PartyRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), on_delete=models.PROTECT
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)
    annex_version = models.CharField(_("annex version"), max_length=40)

    class Meta:
        ordering = ["accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="uniq_acceptance_party")
        ]


class Filing(models.Model):
    """One party's filing of the contract with its own authority, due within the annex's working days
    of the contract taking effect, counted over that party's public holidays."""

    agreement = models.ForeignKey(
        DataTransferAgreement, on_delete=models.CASCADE, related_name="filings"
    )
    party = models.CharField(_("party"), max_length=12, choices=PartyRole.choices)
    authority = models.CharField(_("authority"), max_length=200)
    due_date = models.DateField(_("due"), db_index=True)
    reference = models.CharField(_("filing reference"), max_length=100, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "party"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="uniq_filing_party")
        ]

    def __str__(self):
        return f"{self.agreement.reference} · {self.get_party_display()}"

    @property
    def is_filed(self) -> bool:
        return self.filed_on is not None

    @property
    def is_overdue(self) -> bool:
        return self.filed_on is None and self.due_date < timezone.localdate()

    @property
    def days_to_file(self) -> int | None:
        if self.filed_on is None or self.agreement.effective_date is None:
            return None
        return (self.filed_on - self.agreement.effective_date).days


class ProcessingLogEntry(models.Model):
    """The recipient's record of processing (kept at least the annex's retention years)."""

    agreement = models.ForeignKey(
        DataTransferAgreement, on_delete=models.CASCADE, related_name="log_entries"
    )
    occurred_on = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("processing record")
        verbose_name_plural = _("processing records")


class AgreementReminder(models.Model):
    """One reminder sent about an agreement; the unique key makes the reminder run idempotent."""

    agreement = models.ForeignKey(
        DataTransferAgreement, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=40)  # "filing-processor-before-3", "retention-end", ...
    sent_to = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind"], name="uniq_agreement_reminder")
        ]


from .models_datasets import *  # noqa: E402,F401,F403  (the research-dataset register)
from .models_samples import *  # noqa: E402,F401,F403  (human genetic resources: exports and transfers)
