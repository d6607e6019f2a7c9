"""Shared facilities: allocation requests and approval, bookings that never overlap, quotas, usage."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sciencebridge.core.models import StateTransition
from sciencebridge.platforms.models import AllocationState, BookedSlot, Booking, BookingState
from sciencebridge.platforms.services import facilities as svc

from .conftest import next_slot

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def test_request_marks_cross_boundary_and_records_state(world, fac):
    assert fac.alloc.cross_boundary and fac.alloc.direction == "HK→ML"
    assert fac.alloc.state == AllocationState.APPROVED and fac.alloc.hours_approved == Decimal("6")
    steps = StateTransition.objects.filter(object_id=fac.alloc.pk, content_type__model="allocation")
    assert [s.to_state for s in steps.order_by("id")] == ["requested", "approved"]
    same_side = svc.request_allocation(
        world.ml_lead, fac.spectrometer, project_reference="ML-ONLY", hours_requested=5, purpose="p"
    )
    assert not same_side.cross_boundary


def test_only_managers_decide_and_rejection_needs_reason(world, fac):
    a = svc.request_allocation(
        world.ml_lead,
        fac.cluster,
        project_reference="X1",
        hours_requested=100,
        purpose="Training models",
    )
    assert a.cross_boundary  # Mainland team on a Hong Kong cluster
    with pytest.raises(PermissionDenied):
        svc.decide_allocation(world.ml_lead, a, approve=True)
    with pytest.raises(PermissionDenied):
        svc.decide_allocation(fac.ml_manager, a, approve=True)  # manages the other facility
    with pytest.raises(ValidationError) as e:
        svc.decide_allocation(fac.hk_manager, a, approve=False)
    assert "reason" in e.value.message_dict
    svc.decide_allocation(fac.secretariat, a, approve=False, reason="Out of scope")
    a.refresh_from_db()
    assert a.state == AllocationState.REJECTED


def test_one_live_request_per_project_and_facility(world, fac):
    with pytest.raises(ValidationError) as e:
        svc.request_allocation(
            world.hk_lead,
            fac.spectrometer,
            project_reference="MHX/001/26",
            hours_requested=1,
            purpose="again",
        )
    assert "already has a request" in str(e.value)


def test_overlapping_booking_refused_with_clear_message(world, fac):
    start = next_slot()
    b = svc.book(world.hk_lead, fac.alloc, starts_at=start, ends_at=start + 2 * H)
    assert b.state == BookingState.CONFIRMED and b.slots.count() == 2
    with pytest.raises(ValidationError) as e:
        svc.book(world.hk_lead, fac.alloc, starts_at=start + H, ends_at=start + 3 * H)
    assert "already booked" in str(e.value) and "Choose another slot" in str(e.value)
    assert Booking.objects.count() == 1
    # back-to-back is fine
    svc.book(world.hk_lead, fac.alloc, starts_at=start + 2 * H, ends_at=start + 3 * H)


def test_slot_grid_and_past_and_order(world, fac):
    start = next_slot()
    with pytest.raises(ValidationError, match="whole slots"):
        svc.book(
            world.hk_lead,
            fac.alloc,
            starts_at=start + dt.timedelta(minutes=30),
            ends_at=start + 2 * H,
        )
    with pytest.raises(ValidationError, match="past"):
        svc.book(
            world.hk_lead,
            fac.alloc,
            starts_at=start - dt.timedelta(days=5),
            ends_at=start - dt.timedelta(days=5) + H,
        )
    with pytest.raises(ValidationError, match="after the start"):
        svc.book(world.hk_lead, fac.alloc, starts_at=start, ends_at=start)


def test_booking_over_quota_refused(world, fac):
    start = next_slot()
    svc.book(world.hk_lead, fac.alloc, starts_at=start, ends_at=start + 4 * H)
    with pytest.raises(ValidationError) as e:
        svc.book(world.hk_lead, fac.alloc, starts_at=start + 5 * H, ends_at=start + 8 * H)
    assert "Over quota" in str(
        e.value
    ) and "needs 3 hours but only 2 of the 6 approved hours" in str(e.value)


def test_only_team_or_manager_books(world, fac):
    start = next_slot()
    with pytest.raises(PermissionDenied):
        svc.book(world.outsider, fac.alloc, starts_at=start, ends_at=start + H)
    svc.book(fac.ml_manager, fac.alloc, starts_at=start, ends_at=start + H)


def test_unapproved_allocation_cannot_book(world, fac):
    a = svc.request_allocation(
        world.ml_lead, fac.spectrometer, project_reference="ML-2", hours_requested=3, purpose="p"
    )
    start = next_slot()
    with pytest.raises(ValidationError, match="approved before booking"):
        svc.book(world.ml_lead, a, starts_at=start, ends_at=start + H)


def test_cancel_frees_the_slot(world, fac):
    start = next_slot()
    b = svc.book(world.hk_lead, fac.alloc, starts_at=start, ends_at=start + H)
    svc.cancel_booking(world.hk_lead, b, reason="Sample not ready")
    assert not BookedSlot.objects.exists()
    again = svc.book(world.hk_lead, fac.alloc, starts_at=start, ends_at=start + H)
    assert again.pk != b.pk


def test_computing_time_is_recorded_not_booked(world, fac):
    a = svc.request_allocation(
        world.ml_lead,
        fac.cluster,
        project_reference="ML-HPC",
        hours_requested=100,
        purpose="Training",
    )
    a = svc.decide_allocation(fac.hk_manager, a, approve=True, hours_approved=Decimal("50"))
    start = next_slot()
    with pytest.raises(ValidationError, match="not booked by slot"):
        svc.book(world.ml_lead, a, starts_at=start, ends_at=start + H)
    svc.record_usage(fac.hk_manager, a, hours=Decimal("30"), used_on=dt.date.today())
    with pytest.raises(ValidationError) as e:
        svc.record_usage(fac.hk_manager, a, hours=Decimal("25"), used_on=dt.date.today())
    msg = str(e.value)
    assert "Over quota" in msg and "(30 used, 20 left)" in msg and "approved 50 hours" in msg
    with pytest.raises(PermissionDenied):
        svc.record_usage(world.ml_lead, a, hours=Decimal("1"), used_on=dt.date.today())
    status = svc.quota_status(a)
    assert status["used"] == Decimal("30") and status["remaining"] == Decimal("20")


def test_quota_only_for_jointly_funded_proposal(world, fac, make_ready_pair):
    p = make_ready_pair()
    a = svc.request_allocation(
        world.hk_lead,
        fac.cluster,
        proposal=p,
        project_reference="",
        hours_requested=10,
        purpose="p",
    )
    assert a.project_reference == p.reference
    with pytest.raises(ValidationError, match="approved projects only"):
        svc.decide_allocation(fac.hk_manager, a, approve=True)


def test_unique_slot_constraint_is_the_last_guard(world, fac):
    """Even if the overlap check were bypassed (a slot row left behind by a write elsewhere), the
    database's unique (facility, slot_start) constraint refuses the second booking."""
    start = next_slot()
    b = svc.book(world.hk_lead, fac.alloc, starts_at=start, ends_at=start + H)
    Booking.objects.filter(pk=b.pk).update(state=BookingState.CANCELLED)  # slot row kept on purpose
    with pytest.raises(ValidationError, match="already booked"):
        svc.book(world.hk_lead, fac.alloc, starts_at=start, ends_at=start + H)
    assert Booking.objects.count() == 1 and BookedSlot.objects.count() == 1
