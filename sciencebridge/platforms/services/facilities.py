"""Allocation requests, bookings and usage: every rule of shared-facility use.

Each function checks permission and rules first and raises ``PermissionDenied`` or a
``ValidationError`` keyed by field, so a rejected action changes nothing.

Concurrency: ``book`` locks the facility row (``SELECT ... FOR UPDATE``) for the whole check-and-insert,
so concurrent requests for one facility run one after the other; the unique (facility, slot_start)
constraint on ``BookedSlot`` is the database's own guarantee for slot-based instruments (on SQLite the
write lock serialises them anyway). ``record_usage`` locks the allocation the same way so two usage
records cannot together overrun a quota.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sciencebridge.core.workflow import record_initial_state, transition

from ..models import (
    Allocation,
    AllocationMember,
    AllocationState,
    BookedSlot,
    Booking,
    BookingState,
    Facility,
    FacilityKind,
    UsageRecord,
    cross_boundary,
)

ZERO = Decimal(0)


def fmt_hours(value) -> str:
    """Hours as shown in messages: "2.5", "20", "0.25" (same on every database)."""
    return f"{Decimal(value or 0).quantize(Decimal('0.01')).normalize():f}"


def _hours(delta: dt.timedelta) -> Decimal:
    return (Decimal(int(delta.total_seconds())) / Decimal(3600)).quantize(Decimal("0.01"))


@transaction.atomic
def request_allocation(
    user,
    facility: Facility,
    *,
    project_reference: str,
    hours_requested,
    purpose: str,
    proposal=None,
    team_institution=None,
) -> Allocation:
    if not user.has_perm("platforms.request_allocation"):
        raise PermissionDenied(
            _(
                "Facility time is requested for a verified institution: ask for your affiliation on "
                "your profile."
            )
        )
    if not facility.active:
        raise ValidationError({"__all__": _("This facility is not accepting requests.")})
    if proposal is not None and not project_reference:
        project_reference = proposal.reference
    if not project_reference:
        raise ValidationError({"project_reference": _("Give the approved project's reference.")})
    if Decimal(hours_requested) <= 0:
        raise ValidationError({"hours_requested": _("Request a positive number of hours.")})
    if Allocation.objects.filter(
        facility=facility,
        project_reference=project_reference,
        state__in=[AllocationState.REQUESTED, AllocationState.APPROVED],
    ).exists():
        raise ValidationError(
            {
                "project_reference": _(
                    "This project already has a request or quota on this facility."
                )
            }
        )
    team = team_institution or user.institution
    alloc = Allocation.objects.create(
        facility=facility,
        project_reference=project_reference,
        proposal=proposal,
        requested_by=user,
        team_institution=team,
        purpose=purpose,
        hours_requested=hours_requested,
        cross_boundary=cross_boundary(team.region, facility.region),
    )
    record_initial_state(alloc, actor=user, reason=purpose[:200])
    return alloc


@transaction.atomic
def decide_allocation(
    user, allocation: Allocation, *, approve: bool, hours_approved=None, reason: str = ""
) -> Allocation:
    allocation = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("facility", "proposal")
        .get(pk=allocation.pk)
    )
    if not user.has_perm("platforms.decide_allocation", allocation):
        raise PermissionDenied(_("Only the facility's managers decide on requests."))
    if not approve:
        if not reason:
            raise ValidationError({"reason": _("Give a reason for the rejection.")})
        transition(allocation, AllocationState.REJECTED, actor=user, reason=reason)
        return allocation
    if allocation.proposal_id and not allocation.proposal.is_jointly_funded:
        raise ValidationError(
            {
                "__all__": _(
                    "Quota goes to approved projects only: joint project %(ref)s is not "
                    "funded by both sides."
                )
                % {"ref": allocation.proposal.reference}
            }
        )
    hours = Decimal(hours_approved if hours_approved is not None else allocation.hours_requested)
    if hours <= 0:
        raise ValidationError({"hours_approved": _("Approve a positive number of hours.")})
    allocation.hours_approved = hours
    transition(
        allocation,
        AllocationState.APPROVED,
        actor=user,
        reason=reason,
        update_fields=["hours_approved"],
    )
    return allocation


def quota_status(allocation: Allocation) -> dict:
    """Approved hours, hours used, hours held by confirmed future bookings, and what remains."""
    used = allocation.usage.aggregate(s=Sum("hours"))["s"] or ZERO
    held = ZERO
    for b in allocation.bookings.filter(state=BookingState.CONFIRMED, usage__isnull=True).only(
        "starts_at", "ends_at"
    ):
        held += _hours(b.ends_at - b.starts_at)
    quota = allocation.hours_approved or ZERO
    return {"quota": quota, "used": used, "held": held, "remaining": quota - used - held}


def _check_slots(facility: Facility, starts_at, ends_at) -> list:
    """Slot-based instruments take whole slots on the facility's grid; return the slot starts."""
    minutes = facility.slot_minutes or 60
    local = timezone.localtime(starts_at)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    offset = (local - midnight).total_seconds()
    length = (ends_at - starts_at).total_seconds()
    if offset % (minutes * 60) or length % (minutes * 60):
        raise ValidationError(
            {
                "starts_at": _("Book whole slots of %(n)d minutes, starting on the slot grid.")
                % {"n": minutes}
            }
        )
    step = dt.timedelta(minutes=minutes)
    slots, t = [], starts_at
    while t < ends_at:
        slots.append(t)
        t += step
    return slots


def book(user, allocation: Allocation, *, starts_at, ends_at, note: str = "") -> Booking:
    """Book a time range on the allocation's facility; exactly one of two overlapping requests wins."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("Bookings cannot start in the past.")})
    try:
        with transaction.atomic():
            # Serialise every booking of this facility: the second request waits here, then sees the first.
            facility = Facility.objects.select_for_update().get(pk=allocation.facility_id)
            allocation = Allocation.objects.select_related("facility", "team_institution").get(
                pk=allocation.pk
            )
            if not user.has_perm("platforms.book", allocation):
                raise PermissionDenied(
                    _("Only the people the allocation names or the facility's managers may book.")
                )
            if allocation.state != AllocationState.APPROVED:
                raise ValidationError(
                    {"__all__": _("The allocation must be approved before booking.")}
                )
            if facility.kind != FacilityKind.INSTRUMENT:
                raise ValidationError(
                    {
                        "__all__": _(
                            "Computing time is not booked by slot: the facility's "
                            "managers record the node-hours used against the quota."
                        )
                    }
                )
            slots = _check_slots(facility, starts_at, ends_at)
            clash = (
                Booking.objects.filter(
                    facility=facility,
                    state=BookingState.CONFIRMED,
                    starts_at__lt=ends_at,
                    ends_at__gt=starts_at,
                )
                .order_by("starts_at")
                .first()
            )
            if clash:
                raise ValidationError(
                    {
                        "starts_at": _(
                            "That time is already booked (%(start)s–%(end)s). Choose another slot."
                        )
                        % {
                            "start": timezone.localtime(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
                            "end": timezone.localtime(clash.ends_at).strftime("%H:%M"),
                        }
                    }
                )
            status = quota_status(allocation)
            need = _hours(ends_at - starts_at)
            if need > status["remaining"]:
                raise ValidationError(
                    {
                        "ends_at": _(
                            "Over quota: this booking needs %(need)s hours but only %(left)s of the %(quota)s approved "
                            "hours are left."
                        )
                        % {
                            "need": fmt_hours(need),
                            "left": fmt_hours(status["remaining"]),
                            "quota": fmt_hours(status["quota"]),
                        }
                    }
                )
            booking = Booking.objects.create(
                facility=facility,
                allocation=allocation,
                starts_at=starts_at,
                ends_at=ends_at,
                booked_by=user,
                note=note,
            )
            BookedSlot.objects.bulk_create(
                [BookedSlot(booking=booking, facility=facility, slot_start=s) for s in slots]
            )
            record_initial_state(booking, actor=user, reason=note)
            return booking
    except IntegrityError as e:
        # The unique slot constraint caught a race the lock did not (e.g. a booking written elsewhere).
        raise ValidationError(
            {"starts_at": _("That time is already booked. Choose another slot.")}
        ) from e


@transaction.atomic
def cancel_booking(user, booking: Booking, *, reason: str = "") -> Booking:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("allocation__facility")
        .get(pk=booking.pk)
    )
    if not user.has_perm("platforms.cancel_booking", booking):
        raise PermissionDenied(
            _(
                "Only whoever made the booking, the allocation's coordinators or the facility's "
                "managers may cancel it."
            )
        )
    if booking.starts_at < timezone.now():
        raise ValidationError({"__all__": _("A booking that has started cannot be cancelled.")})
    transition(booking, BookingState.CANCELLED, actor=user, reason=reason)
    booking.slots.all().delete()  # frees the slots for others
    return booking


@transaction.atomic
def record_usage(
    user, allocation: Allocation, *, hours, used_on, booking: Booking | None = None, note: str = ""
) -> UsageRecord:
    allocation = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("facility")
        .get(pk=allocation.pk)
    )
    if not user.has_perm("platforms.record_usage", allocation):
        raise PermissionDenied(_("Only the facility's managers record usage."))
    if allocation.state != AllocationState.APPROVED:
        raise ValidationError({"__all__": _("Usage is recorded against an approved allocation.")})
    hours = Decimal(hours)
    if hours <= 0:
        raise ValidationError({"hours": _("Record a positive number of hours.")})
    if booking is not None and booking.allocation_id != allocation.pk:
        raise ValidationError({"booking": _("That booking belongs to another allocation.")})
    used = allocation.usage.aggregate(s=Sum("hours"))["s"] or ZERO
    if used + hours > allocation.hours_approved:
        raise ValidationError(
            {
                "hours": _(
                    "Over quota: recording %(hours)s hours would exceed the approved %(quota)s hours "
                    "(%(used)s used, %(left)s left)."
                )
                % {
                    "hours": fmt_hours(hours),
                    "quota": fmt_hours(allocation.hours_approved),
                    "used": fmt_hours(used),
                    "left": fmt_hours(allocation.hours_approved - used),
                }
            }
        )
    return UsageRecord.objects.create(
        allocation=allocation,
        booking=booking,
        hours=hours,
        used_on=used_on,
        note=note,
        recorded_by=user,
    )


@transaction.atomic
def name_person(
    actor, allocation: Allocation, person, *, coordinator: bool = False
) -> AllocationMember:
    """Name ``person`` on the allocation (they see it and book against its quota); a coordinator also
    names others and cancels any booking on it."""
    allocation = Allocation.objects.select_for_update(of=("self",)).get(pk=allocation.pk)
    if not actor.has_perm("platforms.name_people", allocation):
        raise PermissionDenied(
            _(
                "Only the allocation's coordinators or the research office of the team's "
                "institution name people."
            )
        )
    if person is None or not person.is_active:
        raise ValidationError({"email": _("No active account has this e-mail address.")})
    if allocation.state not in (AllocationState.REQUESTED, AllocationState.APPROVED):
        raise ValidationError(
            {"__all__": _("People are named on a requested or approved allocation only.")}
        )
    member, created = AllocationMember.objects.get_or_create(
        allocation=allocation,
        user=person,
        defaults={"coordinator": coordinator, "granted_by": actor},
    )
    if not created and member.coordinator != coordinator:
        member.coordinator, member.granted_by = coordinator, actor
        member.save(update_fields=["coordinator", "granted_by"])
    return member


@transaction.atomic
def unname_person(actor, allocation: Allocation, person) -> None:
    allocation = Allocation.objects.select_for_update(of=("self",)).get(pk=allocation.pk)
    if not actor.has_perm("platforms.name_people", allocation):
        raise PermissionDenied(
            _(
                "Only the allocation's coordinators or the research office of the team's "
                "institution name people."
            )
        )
    AllocationMember.objects.filter(allocation=allocation, user=person).delete()
