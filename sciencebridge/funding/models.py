"""Joint funding: schemes (their rules as data), calls, and paired joint proposals.

A joint proposal is a pair of halves, as the agencies run them: the Hong Kong lead submits the
Hong Kong half to the Hong Kong agency, the Mainland lead submits the Mainland half to the
Mainland agency. Shared fields (title, abstract, plan, type, theme, duration) live on the pair,
so the two halves can never disagree; each half has its own budget, team, keywords, codes and files.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

from sciencebridge.core.prefetched import related_rows
from sciencebridge.institutions.models import InstitutionCategory


class Side(models.TextChoices):
    HONG_KONG = "HK", _("Hong Kong side")
    MAINLAND = "ML", _("Mainland side")


SIDE_CURRENCY = {Side.HONG_KONG: "HKD", Side.MAINLAND: "CNY"}
SIDE_REGION = {Side.HONG_KONG: "HK", Side.MAINLAND: "ML"}


def other_side(side: str) -> str:
    return Side.MAINLAND if side == Side.HONG_KONG else Side.HONG_KONG


class PartnerVisibility(models.TextChoices):
    STATUS = "status", _("State only")
    SUMMARY = "summary", _("Shared fields and state")
    FULL = "full", _("Everything, including budget and attachments")


class SchemeKind(models.TextChoices):
    JOINT = "joint", _("Joint scheme: a Hong Kong half and a Mainland half")
    NATIONAL = "national", _("National programme open to Hong Kong and Macao")


class Scheme(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    # A joint scheme pairs two halves, one per agency; a national programme has one Mainland agency
    # (one SchemeSide) and one half, led by an applicant at a Hong Kong (or Macao) institution.
    kind = models.CharField(
        _("kind"), max_length=10, choices=SchemeKind.choices, default=SchemeKind.JOINT
    )
    applicant_regions = models.JSONField(
        default=list,
        blank=True,
        help_text=_("National programmes: regions of the applicants' institutions (HK, MO)."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Sibling schemes (e.g. NSFC/RGC JRS, YRS, CRS) share a group; role limits apply across it.
    exercise_group = models.SlugField(max_length=30, blank=True)
    max_roles_per_exercise = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("How many lead roles one person may hold per exercise across the group."),
    )
    max_duration_months = models.PositiveSmallIntegerField(_("maximum duration (months)"))
    shared_review = models.BooleanField(
        default=False, help_text=_("One shared review instead of one per agency.")
    )
    reviewers_see_other_reviews = models.BooleanField(default=False)
    source_note = models.TextField(blank=True, help_text=_("Where these rules come from."))

    def __str__(self):
        return self.short_name or self.name

    def side(self, side: str) -> "SchemeSide | None":
        """The scheme's side (None: a national programme has no such side)."""
        return next((s for s in related_rows(self, "sides") if s.side == side), None)

    def side_codes(self) -> list[str]:
        """The sides this scheme has, Hong Kong first (a national programme: its one side)."""
        have = {s.side for s in self.sides.all()}
        return [s for s in (Side.HONG_KONG, Side.MAINLAND) if s in have]

    @property
    def is_joint(self) -> bool:
        return self.kind == SchemeKind.JOINT

    @property
    def single_side(self) -> "SchemeSide":
        """The one side of a national programme (its funding agency)."""
        return next(iter(self.sides.all()))

    def lead_regions(self, side: str) -> tuple[str, ...]:
        """Where the lead institution of a half on ``side`` must be."""
        if not self.is_joint and self.applicant_regions:
            return tuple(self.applicant_regions)
        return (SIDE_REGION[side],)


class SchemeSide(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="sides")
    side = models.CharField(max_length=2, choices=Side.choices)
    agency = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="scheme_sides"
    )
    currency = models.CharField(max_length=3)
    eligible_lead_categories = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Institution categories that may lead this side; empty means any."),
    )
    designated_institutions = models.ManyToManyField(
        "institutions.Institution",
        blank=True,
        related_name="designated_for",
        help_text=_("Institutions designated individually, in addition to the categories."),
    )
    funding_ceiling = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Per-project ceiling in this side's currency; a call may override it."),
    )
    requires_endorsement = models.BooleanField(default=False)
    partner_visibility = models.CharField(
        max_length=10,
        choices=PartnerVisibility.choices,
        default=PartnerVisibility.SUMMARY,
        help_text=_("How much of the partner half this side's officers see."),
    )
    # Issue 17: experts the applicant asks to avoid, and the text-similarity thresholds (TF-IDF cosine
    # of title, abstract and keywords over the exercise's proposals; see exclusions/similarity.py).
    avoid_experts_allowed = models.BooleanField(
        _("applicants may name experts to avoid"), default=False
    )
    avoid_experts_max = models.PositiveSmallIntegerField(
        _("most experts an applicant may name to avoid"), default=3
    )
    concurrent_similarity = models.FloatField(
        _("similarity making a reviewer's own application a conflict"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "TF-IDF cosine (0–1) between the proposal under review and an application of the "
            "reviewer in the same exercise; at or above it the reviewer withdraws."
        ),
    )
    duplicate_similarity = models.FloatField(
        _("similarity flagging a duplicate submission"),
        default=0.95,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "TF-IDF cosine (0–1) at or above which two applications of one exercise are shown "
            "to the officers as a possible duplicate submission."
        ),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "side"], name="uniq_scheme_side")]

    def __str__(self):
        return f"{self.scheme} · {self.get_side_display()}"

    def institution_may_lead(self, institution, call=None) -> bool:
        if institution is None or institution.region not in self.scheme.lead_regions(self.side):
            return False
        designated = call.designated_ids() if call is not None else set()
        if designated:  # the exercise names its institutions: only those
            return institution.pk in designated
        if not self.scheme.is_joint:  # the programme's designated institutions or categories only
            return institution.category in self.eligible_lead_categories or (
                self.designated_institutions.filter(pk=institution.pk).exists()
            )
        if not self.eligible_lead_categories:
            return True
        if institution.category in self.eligible_lead_categories:
            return True
        return self.designated_institutions.filter(pk=institution.pk).exists()

    def eligible_categories_display(self) -> str:
        labels = dict(InstitutionCategory.choices)
        return ", ".join(str(labels.get(c, c)) for c in self.eligible_lead_categories)


class ProjectType(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="project_types")
    code = models.SlugField(max_length=30)
    name = models.CharField(_("name"), max_length=100)
    min_industry_share = models.DecimalField(
        # xgettext:no-python-format
        _("minimum industry sponsorship (% of total cost)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="uniq_type_per_scheme")
        ]

    def __str__(self):
        return self.name


class ThematicArea(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(max_length=40)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="uniq_area_per_scheme")
        ]

    def __str__(self):
        return self.name


class AssessmentCriterion(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=255)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(1))

    class Meta:
        ordering = ["scheme", "order"]

    def __str__(self):
        return self.name


class RequiredAttachment(models.Model):
    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="required_attachments"
    )
    side = models.CharField(
        max_length=2, choices=Side.choices, blank=True, help_text=_("Blank: both sides.")
    )
    code = models.SlugField(max_length=30)
    name = models.CharField(_("name"), max_length=200)
    required = models.BooleanField(default=True)

    def __str__(self):
        return self.name


def validate_matching_model(value: str) -> None:
    from matching.affinity.models import available_models

    if value and value not in available_models():
        raise ValidationError(
            _("Unknown text model %(name)s; known: %(known)s."),
            params={"name": value, "known": ", ".join(available_models())},
        )


class Call(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="calls")
    code = models.SlugField(max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)
    exercise = models.CharField(
        _("exercise"), max_length=20, help_text=_("e.g. 2025/26; role limits count per exercise.")
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    themes = models.ManyToManyField(ThematicArea, blank=True, related_name="calls")
    budget_hk = MoneyField(
        max_digits=16, decimal_places=2, default_currency="HKD", null=True, blank=True
    )
    budget_ml = MoneyField(
        max_digits=16, decimal_places=2, default_currency="CNY", null=True, blank=True
    )
    ceiling_hk = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    ceiling_ml = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    deadline_processed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # National programmes: the exercise's designated institutions (empty: the scheme side's rule),
    # the date on which age limits are computed, and how many awards the exercise makes.
    designated_institutions = models.ManyToManyField(
        "institutions.Institution",
        blank=True,
        related_name="designated_for_calls",
        verbose_name=_("designated institutions"),
    )
    reference_date = models.DateField(_("reference date for age limits"), null=True, blank=True)
    award_quota = models.PositiveSmallIntegerField(
        _("awards in this exercise"), null=True, blank=True
    )
    matching_model = models.CharField(
        _("text model for reviewer matching"),
        max_length=20,
        blank=True,
        validators=[validate_matching_model],
        help_text=_(
            "tfidf, bm25, neural-fast, ensemble-fast, neural, ensemble or multilingual; "
            "blank: the platform default."
        ),
    )

    class Meta:
        ordering = ["-opens_at"]

    def __str__(self):
        return self.title

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def status(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    STATUS_LABELS = {"upcoming": _("upcoming"), "open": _("open"), "closed": _("closed")}

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS[self.status]

    def designated_ids(self) -> set[int]:
        cached = getattr(self, "_designated_ids", None)
        if cached is None:
            cached = self._designated_ids = set(
                self.designated_institutions.values_list("pk", flat=True)
            )
        return cached

    def ceiling_for(self, side: str, scheme_side: "SchemeSide | None" = None) -> Decimal | None:
        override = self.ceiling_hk if side == Side.HONG_KONG else self.ceiling_ml
        if override is not None:
            return override
        scheme_side = scheme_side or self.scheme.side(side)
        return scheme_side.funding_ceiling


#: Length limits of the shared texts, stated on the form (an abstract is a page; the plan ~15 pages).
ABSTRACT_MAX_CHARS = 5000
PLAN_MAX_CHARS = 50000


class JointProposal(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), max_length=ABSTRACT_MAX_CHARS)
    plan = models.TextField(_("research plan"), blank=True, max_length=PLAN_MAX_CHARS)
    project_type = models.ForeignKey(
        ProjectType, verbose_name=_("project type"), null=True, blank=True, on_delete=models.PROTECT
    )
    area = models.ForeignKey(
        ThematicArea,
        verbose_name=_("thematic area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        indexes = [
            # The exercise's similarity index is rebuilt when this stamp changes (count, latest edit,
            # largest id of its calls' proposals): read from the index alone on every proposal page.
            models.Index(fields=["call", "updated_at", "id"], name="proposal_call_stamp_idx"),
            # A call's newest proposal in one index entry (``call_counts``).
            models.Index(fields=["call", "id"], name="proposal_call_id_idx"),
            # A call's proposals in reference order, a page at a time (an assignment run's page):
            # without it the planner walks every proposal's reference looking for the call's.
            models.Index(fields=["call", "reference"], name="proposal_call_reference_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def is_decided(self) -> bool:
        """Either agency has recorded its funding decision (halves prefetched: no query)."""
        return any(h.state in DECIDED_STATES for h in self.halves.all())

    def half(self, side: str) -> "ProposalHalf | None":
        return next((h for h in self.halves.all() if h.side == side), None)

    @property
    def is_jointly_funded(self) -> bool:
        """A joint project is funded only when both agencies fund their side; a national programme's
        single half when its agency funds it."""
        halves = list(self.halves.all())
        if not halves or any(h.state != HalfState.FUNDED for h in halves):
            return False
        return len(halves) == 2 or not self.call.scheme.is_joint  # (a query only for a single half)


class HalfState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ENDORSED = "endorsed", _("Endorsed by institution")
    ELIGIBLE = "eligible", _("Screened: eligible")
    INELIGIBLE = "ineligible", _("Screened: ineligible")
    LAPSED = "lapsed", _("Not submitted by the deadline")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FUNDED = "funded", _("Funded by this side")
    NOT_FUNDED = "not_funded", _("Not funded by this side")


EDITABLE_STATES = {HalfState.DRAFT, HalfState.RETURNED}
SUBMITTED_STATES = {
    HalfState.SUBMITTED,
    HalfState.ENDORSED,
    HalfState.ELIGIBLE,
    HalfState.INELIGIBLE,
}
FINAL_STATES = {HalfState.WITHDRAWN, HalfState.LAPSED, HalfState.INELIGIBLE, HalfState.NOT_FUNDED}
DECIDED_STATES = {HalfState.FUNDED, HalfState.NOT_FUNDED}
#: The states in which a half may be in its agency's hands: submitted, withdrawn (after submission
#: only — see ``reached_agency_q``) or decided.
OFFICER_STATES = SUBMITTED_STATES | {HalfState.WITHDRAWN} | DECIDED_STATES


def reached_agency_q(prefix: str = "") -> models.Q:
    """Halves that have been submitted to their agency: the only halves its officers (and a partner's
    officers) may see anything of. A half withdrawn while still a draft never reached the agency."""
    return models.Q(**{f"{prefix}state__in": SUBMITTED_STATES | DECIDED_STATES}) | models.Q(
        **{f"{prefix}state": HalfState.WITHDRAWN, f"{prefix}submitted_at__isnull": False}
    )


class ProposalHalf(models.Model):
    TRANSITIONS = {
        HalfState.DRAFT: {HalfState.SUBMITTED, HalfState.WITHDRAWN, HalfState.LAPSED},
        HalfState.SUBMITTED: {
            HalfState.ENDORSED,
            HalfState.RETURNED,
            HalfState.ELIGIBLE,
            HalfState.INELIGIBLE,
            HalfState.WITHDRAWN,
        },
        HalfState.RETURNED: {HalfState.SUBMITTED, HalfState.WITHDRAWN, HalfState.LAPSED},
        HalfState.ENDORSED: {HalfState.ELIGIBLE, HalfState.INELIGIBLE, HalfState.WITHDRAWN},
        # Each agency decides for its own side after review; a joint project needs both sides funded.
        HalfState.ELIGIBLE: {
            HalfState.INELIGIBLE,
            HalfState.WITHDRAWN,
            HalfState.FUNDED,
            HalfState.NOT_FUNDED,
        },
        HalfState.INELIGIBLE: {HalfState.ELIGIBLE, HalfState.WITHDRAWN},
    }

    proposal = models.ForeignKey(JointProposal, on_delete=models.CASCADE, related_name="halves")
    # The proposal's call, copied (a proposal never changes call; ``save`` sets it): every list of a
    # call's halves filters on it with an index instead of joining all proposals (issue 16).
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="+", editable=False, db_index=False
    )
    side = models.CharField(max_length=2, choices=Side.choices)
    agency = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="received_halves"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("lead institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal_halves",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead applicant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_halves",
    )
    state = models.CharField(
        max_length=12, choices=HalfState.choices, default=HalfState.DRAFT, db_index=True
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separate with commas.")
    )
    discipline_codes = models.ManyToManyField(
        "classification.DisciplineCode", blank=True, verbose_name=_("discipline codes")
    )
    industry_sponsorship = models.DecimalField(
        _("industry sponsorship"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    screening_reason = models.TextField(blank=True)
    # Set by the funding decision: the amount this side's agency awards, in the side's currency.
    awarded_amount = MoneyField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        currency_choices=settings.CURRENCY_CHOICES,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # National programmes: the officer who checked the declarations and evidence at screening.
    declarations_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declarations_verified_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "side"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "side"], name="uniq_half_per_side")
        ]
        indexes = [
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["institution", "state"]),
            # an agency's halves of a call, as every officer's list and API list filters them: with
            # the proposal and the submission time in the index, counting a national call's
            # proposals for an officer visits no table row (8 -> 2 ms, issue 16)
            models.Index(
                fields=["call", "agency", "state"],
                include=["proposal", "submitted_at"],
                name="half_call_agency_cover_idx",
            ),
            models.Index(fields=["call", "side", "state"]),
            # the panel ranking's stamp reads these columns of a call's halves on every request
            # (decisions.services.panel): an index-only scan on PostgreSQL
            models.Index(
                fields=["call", "id"],
                include=["proposal", "side", "state", "institution"],
                name="half_call_cover_idx",
            ),
        ]

    def __str__(self):
        return f"{self.proposal.reference} · {self.get_side_display()}"

    def save(self, *args, **kwargs):
        if self.call_id is None and self.proposal_id is not None:
            self.call_id = self.proposal.call_id
        super().save(*args, **kwargs)

    @property
    def in_screening(self) -> bool:
        """Submitted and not yet decided: the agency may (re)screen it."""
        return self.state in SUBMITTED_STATES

    @property
    def currency(self) -> str:
        return SIDE_CURRENCY[self.side]

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_submitted(self) -> bool:
        return self.state in SUBMITTED_STATES

    @property
    def has_reached_agency(self) -> bool:
        """Python twin of ``reached_agency_q``."""
        return self.state in SUBMITTED_STATES | DECIDED_STATES or (
            self.state == HalfState.WITHDRAWN and self.submitted_at is not None
        )

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]


class BudgetCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    EQUIPMENT = "equipment", _("Equipment")
    CONSUMABLES = "consumables", _("Consumables")
    TRAVEL = "travel", _("Travel and exchange")
    OTHER = "other", _("Other")


def validate_positive_amount(value) -> None:
    amount = getattr(value, "amount", value)
    if amount is not None and amount <= 0:
        raise ValidationError(
            _("Budget amounts are positive: enter what this line costs (%(amount)s is not)."),
            params={"amount": amount},
            code="not_positive",
        )


class BudgetLine(models.Model):
    half = models.ForeignKey(ProposalHalf, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    # A negative line would get round the ceiling: amounts are costs, always above zero.
    amount = MoneyField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        currency_choices=settings.CURRENCY_CHOICES,
        validators=[validate_positive_amount],
    )

    class Meta:
        ordering = ["half", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="budget_line_amount_positive"
            )
        ]


class TeamRole(models.TextChoices):
    PI = "pi", _("Principal investigator")
    CO_I = "co_i", _("Co-investigator")
    MEMBER = "member", _("Team member")


class TeamMember(models.Model):
    half = models.ForeignKey(ProposalHalf, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    role = models.CharField(
        _("role"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
    )

    class Meta:
        ordering = ["half", "role", "id"]


def attachment_path(instance, filename):
    return f"proposals/{instance.half.proposal.reference}/{instance.half.side}/{secrets.token_hex(8)}.pdf"


class Attachment(models.Model):
    half = models.ForeignKey(ProposalHalf, on_delete=models.CASCADE, related_name="attachments")
    kind = models.ForeignKey(
        RequiredAttachment, verbose_name=_("document"), on_delete=models.PROTECT
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["half", "kind__code"]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PartnerInvitation(models.Model):
    proposal = models.ForeignKey(
        JointProposal, on_delete=models.CASCADE, related_name="invitations"
    )
    side = models.CharField(max_length=2, choices=Side.choices)
    email = models.EmailField(_("partner's e-mail"))
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("partner institution"), on_delete=models.PROTECT
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]


# ----------------------------------------------------------------------------------------------
# National programmes open to Hong Kong / Macao: personal eligibility rules and the applicant's data
# ----------------------------------------------------------------------------------------------
class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time staff")
    PART_TIME = "part_time", _("Part-time staff")
    VISITING = "visiting", _("Visiting or honorary appointment")


class CareerStage(models.TextChoices):
    FACULTY = "faculty", _("Academic or research staff")
    POSTDOC = "postdoc", _("Postdoctoral fellow")
    STUDENT = "student", _("Student")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PersonalRules(models.Model):
    """A national programme's personal eligibility rules, as data (blank: no such rule)."""

    scheme = models.OneToOneField(Scheme, on_delete=models.CASCADE, related_name="personal_rules")
    age_limit_male = models.PositiveSmallIntegerField(
        _("men: younger than (years)"), null=True, blank=True
    )
    age_limit_female = models.PositiveSmallIntegerField(
        _("women: younger than (years)"), null=True, blank=True
    )
    min_months_in_region = models.PositiveSmallIntegerField(
        _("months a year in Hong Kong / Macao, at least"), null=True, blank=True
    )
    employment_types = models.JSONField(
        default=list, blank=True, help_text=_("Employment types accepted; empty: any.")
    )
    excluded_career_stages = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"{self.scheme} · personal rules"


class EligibilityProfile(models.Model):
    """What personal eligibility rules need, stored minimally: seen only by the person and by the
    screening officers of an agency to which the person has submitted a national-programme half
    (``rules.can_view_eligibility_profile``); never in exports, reviews or other users' API answers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="eligibility_profile"
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(
        _("sex (used only for the age limit)"), max_length=1, choices=Sex.choices, blank=True
    )
    employment_type = models.CharField(
        _("employment"), max_length=12, choices=EmploymentType.choices, blank=True
    )
    career_stage = models.CharField(
        _("career stage"), max_length=10, choices=CareerStage.choices, blank=True
    )
    months_in_region = models.PositiveSmallIntegerField(
        _("months a year you are in Hong Kong / Macao (your declaration)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"eligibility profile #{self.pk}"
