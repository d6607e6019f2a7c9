"""Concurrent payment requests on PostgreSQL: one key pays exactly once; the budget is never exceeded."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from djmoney.money import Money

from sciencebridge.projects.models import Payment, Tranche
from sciencebridge.projects.services import projects as svc

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _skip_unless_postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises all writers, so it cannot show row locking at work"
        )


def _run_parallel(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait(timeout=10)
            results.append(fn(i))
        except Exception as exc:  # noqa: BLE001 (collected and asserted by the test)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def test_concurrent_same_key_pays_exactly_once(world, project):
    _skip_unless_postgres()
    t1 = project.sides.get(side="HK").tranches.get(number=1)
    officer = world.itc_officer
    key = svc.new_idempotency_key()

    def pay(_i):
        tranche = Tranche.objects.select_related("project_side").get(pk=t1.pk)
        return svc.record_payment(
            tranche, actor=officer, amount=Money(240000, "HKD"), idempotency_key=key
        )

    results, errors = _run_parallel(8, pay)
    assert not errors, errors
    assert Payment.objects.count() == 1
    assert sum(1 for _p, created in results if created) == 1
    assert len({p.pk for p, _c in results}) == 1


def test_concurrent_different_keys_never_exceed_tranche(world, project):
    _skip_unless_postgres()
    t1 = project.sides.get(side="HK").tranches.get(number=1)  # 240,000 HKD
    officer = world.itc_officer

    def pay(_i):
        tranche = Tranche.objects.select_related("project_side").get(pk=t1.pk)
        return svc.record_payment(
            tranche,
            actor=officer,
            amount=Money(100000, "HKD"),
            idempotency_key=svc.new_idempotency_key(),
        )

    results, errors = _run_parallel(6, pay)
    assert len(results) == 2 and len(errors) == 4
    assert all(isinstance(e, ValidationError) for e in errors)
    assert sum(p.amount.amount for p in Payment.objects.all()) == 200000


def test_concurrent_award_signal_creates_one_project(world, funded):
    _skip_unless_postgres()
    proposal = funded(send_signal=False)

    def create(_i):
        return svc.create_project_from_award(proposal, actor=None, notify_leads=False).pk

    results, errors = _run_parallel(4, create)
    assert not errors, errors
    assert len(set(results)) == 1
