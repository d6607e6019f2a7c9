"""Issue 11: state transitions take a row lock, so two people acting on the same object at the same
moment cannot both move it: an officer withdrawing a seat while its expert accepts it, two officers
starting the same assignment at once. PostgreSQL only (SQLite has no row locks and serialises writers).

Each race is widened with a pause after the state check (monkeypatched), so without the lock both
sides would read the old state and both write."""

import threading
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sciencebridge.core.models import StateTransition
from sciencebridge.review.models import Assignment, AssignmentRun, AssignmentState
from sciencebridge.review.services import assignment as asvc
from sciencebridge.review.services import invitations as inv

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"
    ),
]


def _parallel(*fns):
    barrier = threading.Barrier(len(fns))
    results = [None] * len(fns)

    def worker(i, fn):
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", fn())
        except ValidationError as e:
            results[i] = ("refused", " ".join(e.messages))
        except Exception as e:  # noqa: BLE001 - reported in the assertion
            results[i] = ("error", repr(e))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_withdraw_and_accept_at_once_leave_one_consistent_history(published, monkeypatch):
    real_window_for = inv.window_for

    def slow_window_for(call, side):  # read after accept's state check
        time.sleep(0.4)
        return real_window_for(call, side)

    monkeypatch.setattr(inv, "window_for", slow_window_for)
    a = (
        published.run.assignments.filter(state=AssignmentState.INVITED)
        .select_related("expert__user")
        .first()
    )
    officer = published.world.itc_officer

    def load():
        return Assignment.objects.select_related(
            "expert__user", "run__call__scheme", "proposal"
        ).get(pk=a.pk)

    results = _parallel(
        lambda: inv.accept(a.expert.user, load()).state,
        lambda: (time.sleep(0.1), asvc.remove_reviewer(officer, load()).state)[1],
    )
    assert not any(kind == "error" for kind, _ in results), results
    steps = list(
        StateTransition.objects.filter(
            content_type=ContentType.objects.get_for_model(Assignment), object_id=a.pk
        ).order_by("at", "id")
    )
    # Every step starts from where the previous one ended: nobody moved the seat from a stale state.
    assert all(x.to_state == y.from_state for x, y in zip(steps, steps[1:], strict=False)), [
        (s.from_state, s.to_state) for s in steps
    ]
    a.refresh_from_db()
    assert a.state == steps[-1].to_state == AssignmentState.WITHDRAWN


def test_two_officers_starting_the_same_assignment_get_one_run(rw, monkeypatch):
    real = asvc.run_blockers

    def slow_blockers(call, side, **kw):
        out = real(call, side, **kw)
        time.sleep(0.4)
        return out

    monkeypatch.setattr(asvc, "run_blockers", slow_blockers)
    monkeypatch.setattr(
        asvc, "enqueue", lambda *a, **kw: None
    )  # queue nothing: only the run rows matter
    results = _parallel(
        lambda: asvc.start_run(rw.itc_officer, rw.call, "HK").pk,
        lambda: asvc.start_run(rw.itc_officer, rw.call, "HK").pk,
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert "already in progress" in next(msg for kind, msg in results if kind == "refused")
    assert AssignmentRun.objects.filter(call=rw.call, side="HK").count() == 1
