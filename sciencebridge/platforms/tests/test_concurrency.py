"""Two concurrent bookings of the same slot: exactly one succeeds (PostgreSQL, real threads).

Each thread opens its own connection and transaction; a barrier releases them together so both
requests are in flight at once. The facility row lock serialises them and the unique
(facility, slot_start) constraint is the database's own guarantee behind it.
"""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sciencebridge.platforms.models import BookedSlot, Booking, BookingState
from sciencebridge.platforms.services import facilities as svc

from .conftest import next_slot

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises every writer, so there is no race to test",
    ),
]


def _race(n, book_args):
    barrier = threading.Barrier(n)
    results = []

    def worker(i):
        try:
            barrier.wait(timeout=10)
            b = svc.book(*book_args[i][0], **book_args[i][1])
            results.append(("ok", b.pk))
        except ValidationError as e:
            results.append(("refused", " ".join(e.messages)))
        except Exception as e:  # anything else is a failure of the test
            results.append(("error", repr(e)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_concurrent_bookings_of_the_same_slot_exactly_one_succeeds(world, fac):
    start = next_slot(days=3)
    args = [
        (
            (world.hk_lead, fac.alloc),
            {"starts_at": start, "ends_at": start + dt.timedelta(hours=1)},
        ),
        (
            (fac.ml_manager, fac.alloc),
            {"starts_at": start, "ends_at": start + dt.timedelta(hours=1)},
        ),
    ]
    results = _race(2, args)
    kinds = sorted(r[0] for r in results)
    assert kinds == ["ok", "refused"], results
    assert "already booked" in next(r[1] for r in results if r[0] == "refused")
    assert Booking.objects.filter(state=BookingState.CONFIRMED).count() == 1
    assert BookedSlot.objects.count() == 1


def test_many_concurrent_overlapping_bookings_never_overlap(world, fac):
    fac.alloc.hours_approved = Decimal("100")
    fac.alloc.save(update_fields=["hours_approved"])
    start = next_slot(days=4, hour=8)
    # 6 requests of 2 hours starting every hour: overlapping pairs; at most 3 can fit (8-10, 10-12, 12-14).
    args = [
        (
            (world.hk_lead, fac.alloc),
            {
                "starts_at": start + dt.timedelta(hours=i),
                "ends_at": start + dt.timedelta(hours=i + 2),
            },
        )
        for i in range(6)
    ]
    results = _race(6, args)
    assert not [r for r in results if r[0] == "error"], results
    booked = list(Booking.objects.filter(state=BookingState.CONFIRMED).order_by("starts_at"))
    assert booked, results
    for a, b in zip(booked, booked[1:], strict=False):
        assert a.ends_at <= b.starts_at
    assert BookedSlot.objects.count() == 2 * len(booked)
