"""Hong Kong experts into the national expert databases (../shared/domain.md §4).

The published route (2011 pilot, 2018 exercise): a university nominates (the pilot: the six universities on
the Committee) → ITC checks and forwards → MOST approves → the expert enters the National S&T Programmes
Expert Database. The same route serves the national S&T award expert database and membership of CAST
national societies. The expert consents before the nomination goes to ITC.

Who checks and who approves are data on the ``NominationExercise`` (``checking_agency``, ``approving_agency``)
and so are the universities that may nominate (``nominating_institutions``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TargetDatabase(models.TextChoices):
    PROGRAMMES = "programmes", _("National S&T Programmes Expert Database")
    AWARDS = "awards", _("National S&T Award Expert Database")
    CAST = "cast", _("CAST national society membership")


class NominationExercise(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)  # translated
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    checking_agency = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type": "agency"},
    )
    approving_agency = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type": "agency"},
    )
    nominating_institutions = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("universities that may nominate"),
        related_name="nomination_exercises",
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("nomination exercise")
        verbose_name_plural = _("nomination exercises")

    def __str__(self):
        return self.name

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Draft (waiting for the expert's consent)")
    SUBMITTED = "submitted", _("Submitted to ITC")
    FORWARDED = "forwarded", _("Checked by ITC, with MOST")
    NOT_FORWARDED = "not_forwarded", _("Not forwarded by ITC")
    APPROVED = "approved", _("Approved: in the database")
    REJECTED = "rejected", _("Not approved by MOST")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Consent(models.TextChoices):
    PENDING = "pending", _("Not yet given")
    GIVEN = "given", _("Given")
    DECLINED = "declined", _("Declined")


LIVE_STATES = ["draft", "submitted", "forwarded", "approved"]


class Nomination(models.Model):
    TRANSITIONS = {
        NominationState.DRAFT: {NominationState.SUBMITTED, NominationState.WITHDRAWN},
        NominationState.SUBMITTED: {
            NominationState.FORWARDED,
            NominationState.NOT_FORWARDED,
            NominationState.WITHDRAWN,
        },
        NominationState.FORWARDED: {NominationState.APPROVED, NominationState.REJECTED},
    }

    exercise = models.ForeignKey(
        NominationExercise,
        verbose_name=_("exercise"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    expert = models.ForeignKey(
        "experts.ExpertProfile",
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("nominated by (university)"),
        on_delete=models.PROTECT,
        related_name="expert_nominations",
    )
    database = models.CharField(_("database"), max_length=12, choices=TargetDatabase.choices)
    society = models.CharField(
        _("CAST national society"),
        max_length=200,
        blank=True,
        help_text=_("For CAST membership: the national society."),
    )
    statement = models.TextField(_("grounds for the nomination"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    batch = models.ForeignKey(
        "NominationBatch",
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
    )
    consent = models.CharField(
        _("expert's consent"), max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    consent_at = models.DateTimeField(_("consent recorded on"), null=True, blank=True)
    entered_on = models.DateField(_("entered in the database on"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=14,
        choices=NominationState.choices,
        default=NominationState.DRAFT,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "expert", "database"],
                condition=Q(state__in=LIVE_STATES),
                name="uniq_live_nomination",
            ),
        ]
        indexes = [models.Index(fields=["exercise", "state"])]

    def __str__(self):
        return f"{self.expert} → {self.get_database_display()}"


class NominationBatch(models.Model):
    """One uploaded file and its row-by-row report: every row is either a nomination or a reason."""

    exercise = models.ForeignKey(
        NominationExercise, verbose_name=_("exercise"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("university"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField(_("file"), max_length=255)
    rows = models.JSONField(_("rows"), default=list)
    n_ok = models.PositiveIntegerField(_("nominated"), default=0)
    n_bad = models.PositiveIntegerField(_("refused"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nomination batch")
        verbose_name_plural = _("nomination batches")

    def __str__(self):
        return self.filename
