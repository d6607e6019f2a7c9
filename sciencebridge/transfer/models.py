"""Technology-transfer marketplace: offers, enterprise needs, saved searches, NDAs and deals."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

# Deals are valued in the currency of the side that signs them (HKD or RMB), as every amount here.
DEAL_CURRENCIES = list(settings.CURRENCY_CHOICES)
TTO_ROLE = "tto"  # technology-transfer office (a Django group; see migrations/0002)
ENTERPRISE_ROLE = "enterprise"  # verified enterprise representative (a Django group)


class Field(models.TextChoices):
    """Technology fields, after the MHKJFS call themes and the 2024 MIIT-ITIB agreement's fields."""

    AI = "ai", _("Artificial intelligence and data")
    BIOTECH = "biotech", _("Biotechnology and medicine")
    MATERIALS = "materials", _("New materials")
    MICROELECTRONICS = "microelectronics", _("Microelectronics and semiconductors")
    ENERGY = "energy", _("New energy and green technology")
    MANUFACTURING = "manufacturing", _("Advanced manufacturing and robotics")
    ENVIRONMENT = "environment", _("Environment and marine science")
    OTHER = "other", _("Other")


class OfferType(models.TextChoices):
    LICENCE = "licence", _("Licence")
    CODEVELOPMENT = "codevelopment", _("Co-development")
    ASSIGNMENT = "assignment", _("Assignment")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    ENTERPRISES = "enterprises", _("Registered enterprises only")


class IPStatus(models.TextChoices):
    NONE = "none", _("No formal IP (know-how)")
    FILED = "filed", _("Patent application filed")
    GRANTED = "granted", _("Patent granted")
    SOFTWARE = "software", _("Software copyright")


class Jurisdiction(models.TextChoices):
    # The same codes as projects.Outcome.jurisdiction, so an outcome's IP carries over unchanged.
    MAINLAND = "CN", _("Mainland China (CNIPA)")
    HONG_KONG = "HK", _("Hong Kong (IPD)")
    MACAO = "MO", _("Macao")
    PCT = "PCT", _("PCT international application")
    US = "US", _("United States")
    EP = "EP", _("European Patent Office")
    OTHER = "other", _("Other")


class OfferState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


TRL_CHOICES = [(i, str(i)) for i in range(1, 10)]


class TechnologyOffer(models.Model):
    TRANSITIONS = {
        OfferState.DRAFT: {OfferState.PUBLISHED, OfferState.WITHDRAWN},
        OfferState.PUBLISHED: {OfferState.WITHDRAWN},
        OfferState.WITHDRAWN: {OfferState.PUBLISHED},
    }

    title = models.CharField(_("title"), max_length=200)  # translated
    summary = models.TextField(
        _("plain-language summary"),
        help_text=_("What it does and for whom, without confidential detail. Shown publicly."),
    )  # translated
    details = models.TextField(
        _("confidential details"),
        blank=True,
        help_text=_("Technical details shown only after the confidentiality step."),
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices, db_index=True)
    discipline_codes = models.ManyToManyField(
        "classification.DisciplineCode",
        verbose_name=_("discipline codes"),
        blank=True,
        related_name="technology_offers",
    )
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        choices=TRL_CHOICES,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    ip_status = models.CharField(_("IP status"), max_length=10, choices=IPStatus.choices)
    ip_jurisdiction = models.CharField(
        _("IP jurisdiction"), max_length=6, choices=Jurisdiction.choices, blank=True
    )
    ip_reference = models.CharField(_("patent or application number"), max_length=100, blank=True)
    offer_types = models.JSONField(_("what is offered"), default=list)
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("offered by"),
        on_delete=models.PROTECT,
        related_name="technology_offers",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="technology_offers"
    )
    outcome = models.OneToOneField(
        "projects.Outcome",
        verbose_name=_("from project outcome"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="technology_offer",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=OfferState.choices, default=OfferState.DRAFT
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Chinese texts converted by OpenCC and not yet checked by a person (core.content_languages).
    converted_fields = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Titles, keywords and summaries as a weighted tsvector, kept by a PostgreSQL trigger (migration
    # 0006) and GIN-indexed, so a search is an index lookup; unused on SQLite (icontains there).
    search_vector = SearchVectorField(null=True, editable=False)
    # The bigrams of the Chinese text of the same columns (core.cjk_bigrams), by the same trigger
    # (migration 0007): narrows a search with Chinese terms before icontains checks the rows.
    search_cjk = SearchVectorField(null=True, editable=False)
    # The per-language columns are added by modeltranslation after the history model is built; the
    # history keeps the default-language title and summary.
    history = HistoricalRecords(
        excluded_fields=[
            "search_vector",
            "search_cjk",
            *(f"{f}_{lang}" for f in ("title", "summary") for lang in ("en", "zh_hant", "zh_hans")),
        ]
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["state", "visibility"]),
            # the kept searches' stamp reads the latest of each (transfer.search_orders)
            models.Index(fields=["updated_at"], name="transfer_offer_updated_idx"),
            models.Index(fields=["state_changed_at"], name="transfer_offer_state_at_idx"),
        ]
        verbose_name = _("technology offer")

    def __str__(self):
        return self.title

    def offer_types_display(self) -> str:
        labels = dict(OfferType.choices)
        return ", ".join(str(labels.get(t, t)) for t in self.offer_types)


class NeedState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class TechnologyNeed(models.Model):
    """An enterprise's technology challenge."""

    TRANSITIONS = {NeedState.OPEN: {NeedState.CLOSED}, NeedState.CLOSED: {NeedState.OPEN}}

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("the challenge"))
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    discipline_codes = models.ManyToManyField(
        "classification.DisciplineCode",
        verbose_name=_("discipline codes"),
        blank=True,
        related_name="technology_needs",
    )
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="technology_needs",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="technology_needs"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=NeedState.choices, default=NeedState.OPEN
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    # Chinese texts converted by OpenCC and not yet checked by a person (core.content_languages).
    converted_fields = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "institution"])]
        verbose_name = _("technology need")

    def __str__(self):
        return self.title


class SearchTarget(models.TextChoices):
    OFFERS = "offers", _("Technology offers")
    NEEDS = "needs", _("Enterprise needs")


class SavedSearch(models.Model):
    """A standing query; new matching offers (or needs) are e-mailed to its owner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    target = models.CharField(
        _("search"), max_length=10, choices=SearchTarget.choices, default=SearchTarget.OFFERS
    )
    query = models.CharField(_("describe what you are looking for"), max_length=500)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices, blank=True)
    need = models.ForeignKey(
        TechnologyNeed, null=True, blank=True, on_delete=models.CASCADE, related_name="searches"
    )
    email_alerts = models.BooleanField(_("e-mail me new matches"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("saved search")

    def __str__(self):
        return self.query[:60]


class SavedSearchHit(models.Model):
    """A match already found (and e-mailed) for a saved search: never alerted twice."""

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    offer = models.ForeignKey(
        TechnologyOffer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    need = models.ForeignKey(
        TechnologyNeed, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    reason = models.CharField(max_length=300, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-found_at"]
        constraints = [
            models.UniqueConstraint(fields=["search", "offer"], name="uniq_hit_offer"),
            models.UniqueConstraint(fields=["search", "need"], name="uniq_hit_need"),
        ]


NDA_VERSION = "2025-1"


class NdaAcceptance(models.Model):
    """The confidentiality undertaking an enterprise accepts before an offer's details are shown.

    Signed by one representative on behalf of the enterprise: the details become visible to that
    enterprise's representatives, and to no other enterprise."""

    offer = models.ForeignKey(TechnologyOffer, on_delete=models.CASCADE, related_name="ndas")
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="technology_ndas",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("full name of signatory"), max_length=200)
    signer_title = models.CharField(_("position of signatory"), max_length=200, blank=True)
    version = models.CharField(_("terms version"), max_length=20, default=NDA_VERSION)
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "institution"], name="uniq_nda_per_enterprise")
        ]
        verbose_name = _("confidentiality undertaking")

    def __str__(self):
        return f"NDA {self.offer_id} / {self.institution_id}"


class DealState(models.TextChoices):
    CONTACTED = "contacted", _("Contacted")
    UNDER_NDA = "under_nda", _("Under NDA")
    NEGOTIATING = "negotiating", _("Negotiating")
    LICENSED = "licensed", _("Licensed")
    SPIN_OFF = "spin_off", _("Spin-off")
    CLOSED = "closed", _("Closed without agreement")


DEAL_DONE = {DealState.LICENSED, DealState.SPIN_OFF}
DEAL_FINAL = {DealState.LICENSED, DealState.SPIN_OFF, DealState.CLOSED}


class Deal(models.Model):
    """An expression of interest and what became of it."""

    TRANSITIONS = {
        DealState.CONTACTED: {DealState.UNDER_NDA, DealState.NEGOTIATING, DealState.CLOSED},
        DealState.UNDER_NDA: {DealState.NEGOTIATING, DealState.CLOSED},
        DealState.NEGOTIATING: {DealState.LICENSED, DealState.SPIN_OFF, DealState.CLOSED},
    }

    offer = models.ForeignKey(TechnologyOffer, on_delete=models.PROTECT, related_name="deals")
    enterprise = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="technology_deals",
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="technology_deals"
    )
    need = models.ForeignKey(
        TechnologyNeed, null=True, blank=True, on_delete=models.SET_NULL, related_name="deals"
    )
    message = models.TextField(_("message to the technology owner"))
    state = models.CharField(
        _("stage"), max_length=12, choices=DealState.choices, default=DealState.CONTACTED
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    contacted_on = models.DateField(_("contacted on"), default=timezone.localdate)
    nda_on = models.DateField(_("NDA signed on"), null=True, blank=True)
    negotiating_on = models.DateField(_("negotiation started"), null=True, blank=True)
    closed_on = models.DateField(_("concluded on"), null=True, blank=True)
    value = MoneyField(
        _("deal value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        default_currency="HKD",
        currency_choices=DEAL_CURRENCIES,
    )
    terms = models.TextField(_("main terms"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state"])]
        verbose_name = _("deal")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "enterprise"],
                condition=~models.Q(state="closed"),
                name="uniq_open_deal_per_enterprise",
            )
        ]

    def __str__(self):
        return f"{self.offer} ↔ {self.enterprise}"

    @property
    def is_final(self) -> bool:
        return self.state in DEAL_FINAL
