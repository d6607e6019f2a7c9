"""Concurrency on PostgreSQL: two officers publishing the same run at once send each invitation once;
two submissions of the same review record one submission."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from sciencebridge.review.models import Assignment, AssignmentState, RunState
from sciencebridge.review.services import assignment as svc

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"
    ),
]


def _parallel(fn, n=2):
    barrier = threading.Barrier(n)
    results = []

    def worker():
        from django.db import connections

        barrier.wait()
        try:
            results.append(fn())
        except ValidationError as e:
            results.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_parallel_publish_invites_once(rw, run_sync):
    run = run_sync(rw.itc_officer, rw.call, "HK")
    mail.outbox.clear()
    results = _parallel(lambda: svc.publish(rw.itc_officer, run))
    assert sorted(isinstance(r, ValidationError) for r in results) == [False, True]
    assert len(mail.outbox) == 12
    run.refresh_from_db()
    assert run.state == RunState.PUBLISHED
    assert Assignment.objects.filter(run=run, state=AssignmentState.INVITED).count() == 12
