"""The expert database: profiles (vetted through core.workflow), publications, past reviews,
availability and declared conflicts (回避 declarations made by the expert)."""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sciencebridge.institutions.models import Region


class ExpertStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ADMITTED = "admitted", _("Admitted")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class ExpertProfile(models.Model):
    STATE_FIELD = "status"
    TRANSITIONS = {
        ExpertStatus.APPLIED: {ExpertStatus.ADMITTED, ExpertStatus.REJECTED},
        ExpertStatus.ADMITTED: {ExpertStatus.SUSPENDED},
        ExpertStatus.SUSPENDED: {ExpertStatus.ADMITTED},
        ExpertStatus.REJECTED: {ExpertStatus.APPLIED},  # a rejected expert may apply again
    }

    # Optional: experts imported from another database may not have an account yet.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    discipline_codes = models.ManyToManyField(
        "classification.DisciplineCode",
        verbose_name=_("discipline codes"),
        blank=True,
        related_name="experts",
    )
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("Separate keywords with commas or semicolons.")
    )
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("e.g. en, zh")
    )
    email = models.EmailField(_("e-mail address"), unique=True)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True)
    consent_to_contact = models.BooleanField(_("consents to be contacted"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ExpertStatus.choices, default=ExpertStatus.APPLIED
    )
    state_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Names and keywords as a tsvector, kept by a PostgreSQL trigger (migration 0002) and GIN-indexed;
    # unused on SQLite, where search falls back to icontains.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["state_changed_at", "updated_at", "search_vector"])

    class Meta:
        ordering = ["name_en", "id"]
        verbose_name = _("expert")
        indexes = [
            models.Index(fields=["status", "region"], name="expert_status_region"),
            models.Index(fields=["region"], name="expert_region"),
            models.Index(fields=["institution", "status"], name="expert_inst_status"),
        ]

    def __str__(self):
        return f"{self.name_en} ({self.name_zh})" if self.name_zh else self.name_en

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def keyword_list(self) -> list[str]:
        return split_list(self.keywords)

    @property
    def is_admitted(self) -> bool:
        return self.status == ExpertStatus.ADMITTED


def touch(expert_id) -> None:
    """Mark a profile as changed (its related rows changed) without writing a history record;
    the matching engine's cache is keyed on ``updated_at``."""
    from django.utils import timezone

    ExpertProfile.objects.filter(pk=expert_id).update(updated_at=timezone.now())


def split_list(text: str) -> list[str]:
    """Keywords/languages typed with commas, semicolons, 、 or ， (Chinese) as separators."""
    return [p.strip() for p in re.split(r"[;,，；、\n]+", text or "") if p.strip()]


def title_key(title: str) -> str:
    """Normalised title used to de-duplicate publications without a DOI."""
    return re.sub(r"\W+", " ", (title or "").casefold()).strip()[:300]


def normalise_doi(doi: str) -> str:
    doi = (doi or "").strip()
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
    return doi.lower()


class PublicationSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    BIBTEX = "bibtex", _("BibTeX")
    ORCID = "orcid", _("ORCID record")
    IMPORT = "import", _("Bulk import")


class Publication(models.Model):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="publications")
    title = models.CharField(_("title"), max_length=500)
    title_key = models.CharField(max_length=300, editable=False)
    abstract = models.TextField(_("abstract"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    venue = models.CharField(_("journal or conference"), max_length=300, blank=True)
    coauthors = models.TextField(
        _("authors"), blank=True, help_text=_("Separate authors with semicolons.")
    )
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    source = models.CharField(
        max_length=10, choices=PublicationSource.choices, default=PublicationSource.MANUAL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    search_vector = SearchVectorField(
        null=True, editable=False
    )  # title + abstract, trigger-maintained

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("publication")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "doi"],
                condition=~Q(doi=""),
                name="uniq_publication_doi_per_expert",
            ),
            models.UniqueConstraint(
                fields=["expert", "title_key"], name="uniq_publication_title_per_expert"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def prepare(self) -> "Publication":
        """Fill the normalised fields (call before bulk_create, which skips save())."""
        self.doi = normalise_doi(self.doi)
        self.title_key = title_key(self.title)
        return self

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


class ReviewRecord(models.Model):
    """A past review the expert did (for a scheme or agency), as a track record."""

    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="review_records"
    )
    scheme = models.CharField(_("scheme or agency"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    count = models.PositiveSmallIntegerField(_("number of reviews"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("review record")


class AvailabilityKind(models.TextChoices):
    AVAILABLE = "available", _("Available")
    UNAVAILABLE = "unavailable", _("Unavailable")


class AvailabilityWindow(models.Model):
    """A period when the expert is available (or, for kind=unavailable, away).

    An expert who declared no "available" window counts as available except during their
    "unavailable" windows; one who declared "available" windows is available only inside them.
    """

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="availability")
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=AvailabilityKind.choices,
        default=AvailabilityKind.AVAILABLE,
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("availability window")
        indexes = [models.Index(fields=["expert", "kind", "start", "end"], name="expert_avail")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="avail_end_after_start"
            )
        ]


class DeclaredConflict(models.Model):
    """A conflict of interest the expert declared: with a person or with an institution."""

    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    person_name = models.CharField(_("person's name"), max_length=200, blank=True)
    person_email = models.EmailField(_("person's e-mail"), blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)
    until = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Leave empty if it does not end.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict")
        constraints = [
            models.CheckConstraint(
                condition=~Q(person_name="") | ~Q(person_email="") | Q(institution__isnull=False),
                name="declared_conflict_has_target",
            )
        ]

    def __str__(self):
        return self.person_name or self.person_email or str(self.institution)
