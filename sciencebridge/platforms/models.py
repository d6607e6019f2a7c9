"""Labs and platforms both sides build together, and the shared facilities they offer.

A ``Platform`` is a State Key Laboratory, a Hong Kong branch of a national engineering research
centre, a CAS–HK joint laboratory, a Guangdong–Hong Kong–Macao joint laboratory, an InnoHK centre or
a national open innovation platform. A platform may own bookable ``Facility`` resources: computing
node-hours (a quota per approved project) or instruments booked by time slot.

Bookings can never overlap: every booking of a slot-based instrument holds one ``BookedSlot`` row per
slot it covers, and (facility, slot_start) is unique in the database, so two concurrent requests for
the same slot cannot both commit, whatever the database. The booking service also locks the facility
row (``select_for_update``) and checks overlaps for facilities booked by free time ranges.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sciencebridge.institutions.models import Region


class Confidence(models.TextChoices):
    """How sure the public record is (see ../shared/domain.md): confirmed, partly confirmed, unconfirmed."""

    CONFIRMED = "C", _("Confirmed in the public record")
    PARTIAL = "P", _("Partly confirmed")
    UNCONFIRMED = "U", _("Unconfirmed; configurable")


class PlatformKind(models.TextChoices):
    SKL = "skl", _("State Key Laboratory")
    CNERC_BRANCH = "cnerc_branch", _("Hong Kong branch of a national engineering research centre")
    CAS_JOINT_LAB = "cas_joint_lab", _("CAS–Hong Kong joint laboratory")
    GBA_JOINT_LAB = "gba_joint_lab", _("Guangdong–Hong Kong–Macao joint laboratory")
    INNOHK = "innohk", _("InnoHK centre")
    OPEN_PLATFORM = "open_platform", _("National open innovation platform")
    OTHER = "other", _("Other platform")


class InnoHKCluster(models.TextChoices):
    HEALTH = "health", _("Health@InnoHK")
    AIR = "air", _("AIR@InnoHK")


class PlatformStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    REORGANISING = "reorganising", _("Under reorganisation")
    RESTRUCTURED = "restructured", _("Restructured into a new laboratory")
    CLOSED = "closed", _("Closed")


class Platform(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PlatformKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=300)  # translated
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    cluster = models.CharField(
        _("InnoHK cluster"), max_length=10, choices=InnoHKCluster.choices, blank=True
    )
    areas = models.CharField(_("areas"), max_length=300, blank=True)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    hosts = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("host institutions"),
        related_name="hosted_platforms",
    )
    partners = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("partner institutions"),
        blank=True,
        related_name="partner_platforms",
    )
    established_year = models.PositiveSmallIntegerField(
        _("established (year)"), null=True, blank=True
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlatformStatus.choices,
        default=PlatformStatus.ACTIVE,
        db_index=True,
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    website = models.URLField(_("website"), blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    source_note = models.TextField(_("source note"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.CONFIRMED
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self):
        return self.name


class FacilityKind(models.TextChoices):
    COMPUTING = "computing", _("Computing (node-hours)")
    INSTRUMENT = "instrument", _("Instrument (time slots)")


class Facility(models.Model):
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="facilities"
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    kind = models.CharField(_("kind"), max_length=12, choices=FacilityKind.choices)
    region = models.CharField(
        _("located in"),
        max_length=2,
        choices=Region.choices,
        help_text=_(
            "Where the facility is; a team from the other side using it is cross-boundary use."
        ),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=60,
        help_text=_("Instruments are booked in whole slots aligned to this length."),
    )
    node_count = models.PositiveIntegerField(_("nodes"), null=True, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_facilities",
    )
    active = models.BooleanField(_("accepting requests"), default=True)

    class Meta:
        ordering = ["platform", "name"]
        verbose_name = _("shared facility")
        verbose_name_plural = _("shared facilities")

    def __str__(self):
        return self.name

    @property
    def is_slotted(self) -> bool:
        return self.kind == FacilityKind.INSTRUMENT


class AllocationState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class Allocation(models.Model):
    """A request for hours on a facility for one approved project; once approved, its quota.

    The project is a generic reference (any approved project's reference string), optionally linked
    to the joint proposal it came from, so this app does not depend on a particular projects model.
    """

    TRANSITIONS = {
        AllocationState.REQUESTED: {
            AllocationState.APPROVED,
            AllocationState.REJECTED,
            AllocationState.WITHDRAWN,
        },
        AllocationState.APPROVED: {AllocationState.CLOSED},
    }

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="allocations"
    )
    project_reference = models.CharField(_("project reference"), max_length=60)
    proposal = models.ForeignKey(
        "funding.JointProposal",
        verbose_name=_("joint project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facility_allocations",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("team's institution"),
        on_delete=models.PROTECT,
        related_name="facility_allocations",
    )
    purpose = models.TextField(_("purpose"))
    hours_requested = models.DecimalField(_("hours requested"), max_digits=10, decimal_places=2)
    hours_approved = models.DecimalField(
        _("hours approved (quota)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=AllocationState.choices,
        default=AllocationState.REQUESTED,
        db_index=True,
    )
    cross_boundary = models.BooleanField(
        _("cross-boundary use"),
        default=False,
        db_index=True,
        help_text=_(
            "A Hong Kong team on a Mainland facility, or a Mainland team on a Hong Kong facility."
        ),
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(condition=Q(hours_requested__gt=0), name="alloc_hours_positive"),
            # One live quota per project and facility.
            models.UniqueConstraint(
                fields=["facility", "project_reference"],
                condition=Q(state__in=["requested", "approved"]),
                name="uniq_live_alloc",
            ),
        ]

    def __str__(self):
        return f"{self.project_reference} · {self.facility}"

    @property
    def is_cross_boundary(self) -> bool:
        return self.cross_boundary

    @property
    def direction(self) -> str:
        """ "HK→ML", "ML→HK", "HK→HK", ... (team's region → facility's region)."""
        return f"{self.team_institution.region}→{self.facility.region}"


class AllocationMember(models.Model):
    """A person the allocation names: they see it and book against its quota. A coordinator also names
    others and cancels anyone's bookings on it. Named by the requester, a coordinator, or the research
    office of the team's institution; belonging to that institution grants nothing by itself."""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="facility_allocation_memberships",
    )
    coordinator = models.BooleanField(
        _("coordinator"),
        default=False,
        help_text=_("May name people and cancel anyone's bookings on this allocation."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("named on"), auto_now_add=True)

    class Meta:
        ordering = ["granted_at", "id"]
        verbose_name = _("named person")
        verbose_name_plural = _("named people")
        constraints = [
            models.UniqueConstraint(fields=["allocation", "user"], name="uniq_allocation_member")
        ]

    def __str__(self):
        return f"{self.user} · {self.allocation}"


def cross_boundary(team_region: str, facility_region: str) -> bool:
    """A Hong Kong team on a Mainland facility, or the reverse."""
    return {team_region, facility_region} == {Region.HONG_KONG, Region.MAINLAND}


class BookingState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    TRANSITIONS = {BookingState.CONFIRMED: {BookingState.CANCELLED}}

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="bookings"
    )
    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=BookingState.choices,
        default=BookingState.CONFIRMED,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["facility", "state", "starts_at"])]

    def __str__(self):
        return f"{self.facility} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)


class BookedSlot(models.Model):
    """One slot held by a confirmed booking; unique per facility, so no two bookings share a slot."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="slots")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+")
    slot_start = models.DateTimeField()

    class Meta:
        verbose_name = _("booked slot")
        verbose_name_plural = _("booked slots")
        constraints = [
            models.UniqueConstraint(fields=["facility", "slot_start"], name="uniq_facility_slot")
        ]


class UsageRecord(models.Model):
    """Hours actually used, counted against the allocation's quota."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="usage")
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="usage"
    )
    hours = models.DecimalField(_("hours used"), max_digits=10, decimal_places=2)
    used_on = models.DateField(_("used on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-used_on", "-id"]
        verbose_name = _("usage record")
        verbose_name_plural = _("usage records")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="usage_hours_positive")
        ]
