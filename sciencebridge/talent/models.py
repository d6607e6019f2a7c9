"""Talent exchange: programmes (young scientist exchanges, visiting positions, secondments) with calls,
postings by host institutions on either side, applications with documents, selection, and a record of
completed exchanges. An exchange is cross-boundary when the person's home and host are on different sides.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ProgrammeKind(models.TextChoices):
    YOUNG_SCIENTIST = "young_scientist", _("Young scientist exchange")
    VISITING = "visiting", _("Visiting position")
    SECONDMENT = "secondment", _("Secondment")
    OTHER = "other", _("Other exchange")


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    organiser = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("exchange programme")
        verbose_name_plural = _("exchange programmes")

    def __str__(self):
        return self.name


class ProgrammeCall(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="calls"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)  # translated
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("exchange call")
        verbose_name_plural = _("exchange calls")

    def __str__(self):
        return self.title

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at


class PostingState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    FILLED = "filled", _("Filled")


class Posting(models.Model):
    TRANSITIONS = {
        PostingState.OPEN: {PostingState.CLOSED, PostingState.FILLED},
        PostingState.CLOSED: {PostingState.OPEN},
    }

    call = models.ForeignKey(
        ProgrammeCall, verbose_name=_("call"), on_delete=models.PROTECT, related_name="postings"
    )
    host = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("host institution"),
        on_delete=models.PROTECT,
        related_name="talent_postings",
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"))
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separate with commas.")
    )
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))
    positions = models.PositiveSmallIntegerField(_("positions"), default=1)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PostingState.choices,
        default=PostingState.OPEN,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    # Chinese texts converted by OpenCC and not yet checked by a person (core.content_languages).
    converted_fields = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The per-language columns are added by modeltranslation after the history model is built; the
    # history keeps the default-language title and description.
    history = HistoricalRecords(
        excluded_fields=[
            f"{f}_{lang}" for f in ("title", "description") for lang in ("en", "zh_hant", "zh_hans")
        ]
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")

    def __str__(self):
        return self.title


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    TRANSITIONS = {
        ApplicationState.SUBMITTED: {
            ApplicationState.SHORTLISTED,
            ApplicationState.SELECTED,
            ApplicationState.NOT_SELECTED,
            ApplicationState.WITHDRAWN,
        },
        ApplicationState.SHORTLISTED: {
            ApplicationState.SELECTED,
            ApplicationState.NOT_SELECTED,
            ApplicationState.WITHDRAWN,
        },
    }

    posting = models.ForeignKey(
        Posting, verbose_name=_("posting"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="exchange_applications",
    )
    home = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("home institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    statement = models.TextField(_("statement"))
    state = models.CharField(
        _("state"),
        max_length=14,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exchange application")
        verbose_name_plural = _("exchange applications")
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "applicant"], name="uniq_application_per_posting"
            )
        ]

    def __str__(self):
        return f"{self.applicant} → {self.posting}"


def document_path(instance, filename):
    return f"talent/{instance.application_id}/{secrets.token_hex(8)}.pdf"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(
        _("document"),
        max_length=20,
        choices=[
            ("cv", _("CV")),
            ("plan", _("Exchange plan")),
            ("reference", _("Reference letter")),
            ("other", _("Other")),
        ],
    )
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self):
        return self.original_name


class ExchangeState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Exchange(models.Model):
    """One person's exchange; created on selection, or recorded directly for exchanges arranged elsewhere."""

    TRANSITIONS = {
        ExchangeState.PLANNED: {
            ExchangeState.IN_PROGRESS,
            ExchangeState.COMPLETED,
            ExchangeState.CANCELLED,
        },
        ExchangeState.IN_PROGRESS: {ExchangeState.COMPLETED, ExchangeState.CANCELLED},
    }

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="exchanges"
    )
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchange"
    )
    person_name = models.CharField(_("person"), max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchanges",
    )
    home = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("home institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    host = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("host institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    report = models.TextField(_("report"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ExchangeState.choices,
        default=ExchangeState.PLANNED,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["state", "ends_on"])]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")

    def __str__(self):
        return f"{self.person_name}: {self.home} → {self.host}"

    @property
    def direction(self) -> str:
        return f"{self.home.region}→{self.host.region}"

    @property
    def is_cross_boundary(self) -> bool:
        return {self.home.region, self.host.region} == {"HK", "ML"}
