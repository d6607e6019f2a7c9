from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role


class AffiliationMethod(models.TextChoices):
    """How an affiliation was verified (recorded on the user and on the request it came from)."""

    EMAIL_DOMAIN = "email_domain", _("Confirmed e-mail address at the institution's domain")
    RESEARCH_OFFICE = "research_office", _("Approved by the institution's research office")
    ADMINISTRATOR = "administrator", _("Set by an administrator")
    SEEDED = "seeded", _("Created with the reference or demo data")
    EXISTING = "existing", _("Held before affiliations were verified")


def verified_affiliation(institution, method=AffiliationMethod.SEEDED, by=None) -> dict:
    """The User fields for an affiliation set directly (admin, seed data, factories): the only way to
    give a user an institution without a verified request, and it says how."""
    if institution is None:
        return {
            "institution": None,
            "affiliation_method": "",
            "affiliation_verified_at": None,
            "affiliation_verified_by": None,
        }
    return {
        "institution": institution,
        "affiliation_method": method,
        "affiliation_verified_at": timezone.now(),
        "affiliation_verified_by": by,
    }


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    # The VERIFIED affiliation, the only one any rule may read: it is set only when an affiliation is
    # verified (confirmed e-mail at the institution's domain, the research office's approval) or by an
    # administrator or seed data, and the database refuses it without a record of how (constraint
    # below). What a person merely claims lives in AffiliationRequest until verified.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("Verified affiliation only; people ask for one from their profile."),
    )
    affiliation_method = models.CharField(
        _("affiliation verified by"), max_length=20, blank=True, choices=AffiliationMethod.choices
    )
    affiliation_verified_at = models.DateTimeField(
        _("affiliation verified on"), null=True, blank=True
    )
    affiliation_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("affiliation verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Programme officers belong to exactly one funding agency.
    agency = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        limit_choices_to={"type": "agency"},
    )
    preferred_language = models.CharField(_("preferred language"), max_length=10, default="en")

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=True)
                | (~Q(affiliation_method="") & Q(affiliation_verified_at__isnull=False)),
                name="user_institution_verified",
                violation_error_message=_(
                    "An institution is set only with a record of how it was verified."
                ),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        full = self.get_full_name() or self.username
        return f"{full} ({self.name_zh})" if self.name_zh else full

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        if (
            hasattr(self, "_prefetched_objects_cache")
            and "groups" in self._prefetched_objects_cache
        ):
            return frozenset(g.name for g in self.groups.all())
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: str) -> bool:
        return self.is_active and (
            role in self.role_codes or (self.is_superuser and role == Role.ADMINISTRATOR)
        )

    def grant_role(self, role: str) -> None:
        group, _ = Group.objects.get_or_create(name=str(role))
        self.groups.add(group)
        self.__dict__.pop("role_codes", None)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self._revoke_api_tokens = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if getattr(self, "_revoke_api_tokens", False):
            # A new password (reset, change) ends every API token issued under the old one.
            from rest_framework.authtoken.models import Token

            self._revoke_api_tokens = False
            Token.objects.filter(user=self).delete()

    def set_verified_institution(self, institution, method, by=None) -> None:
        for field, value in verified_affiliation(institution, method, by).items():
            setattr(self, field, value)

    @property
    def pending_affiliation(self):
        """The affiliation this person asked for and that is not verified yet (or None)."""
        return (
            self.affiliation_requests.filter(state=AffiliationState.PENDING)
            .select_related("institution")
            .first()
        )

    @property
    def region(self) -> str | None:
        return self.institution.region if self.institution_id else None


class AffiliationState(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AffiliationRequest(models.Model):
    """A person's claim to belong to an institution, and how it was decided.

    Until verified it grants nothing: ``User.institution`` stays empty and the person is an
    unaffiliated applicant. Verification is by a confirmed e-mail address at one of the institution's
    domains, or by the institution's research office (or an administrator); every step is recorded
    (who, when, how, why) on the request and in the state timeline.
    """

    TRANSITIONS = {
        AffiliationState.PENDING: {
            AffiliationState.VERIFIED,
            AffiliationState.REJECTED,
            AffiliationState.WITHDRAWN,
        }
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="affiliation_requests",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="affiliation_requests",
    )
    email = models.EmailField(
        _("e-mail address"), help_text=_("The person's address when they asked.")
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=AffiliationState.choices,
        default=AffiliationState.PENDING,
        db_index=True,
    )
    method = models.CharField(
        _("verified by"), max_length=20, blank=True, choices=AffiliationMethod.choices
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("affiliation request")
        verbose_name_plural = _("affiliation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state="pending"),
                name="one_pending_affiliation_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.institution}"
