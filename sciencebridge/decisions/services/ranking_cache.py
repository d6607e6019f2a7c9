"""Side rankings already computed, kept per process and reused while their inputs are unchanged.

Ranking a national call side fits the calibration on every submitted review of the side (tens of
thousands) and counts the valid ones: seconds of work that every panel, meeting and recommend page
would otherwise repeat. The ranking is a pure function of data in the database, so each entry is kept
with a *stamp* of those inputs, read on every request, and used only while the stamp is unchanged.
No write has to remember to invalidate anything, and every process (gunicorn worker, Celery worker)
keeps its own entries without talking to the others.

The stamp is built from what the request reads anyway (the criteria and their weights, every half of
the call with its state and institution, the side's review rules and deadlines) plus three reads
answered from an index:

- reviews: the largest id and the latest ``updated_at`` of all reviews. A submitted review is never
  edited by the application (its scores and recommendation are fixed at submission, which writes
  ``updated_at``); a new one has a new id; and an admin's edit saves ``updated_at``;
- experts: the latest ``updated_at`` of the profiles (an institution change saves it, and a declared
  conflict added, edited or removed touches it: ``experts.models.touch``);
- declared conflicts: their number and largest id, in case a conflict is written without the touch;

and today's date (a declared conflict stops counting the day after its ``until``). Anything outside
these (an edit of a seat's state in the admin, say) is picked up at the latest after ``MAX_AGE``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.db.models import Count, Max
from django.utils import timezone

#: Seconds an entry is trusted at most, whatever its stamp (a bound on staleness for writes that
#: bypass the application and the admin).
MAX_AGE = 300.0
#: Call sides kept per process (a few panels meet at a time; a 5,000-proposal side takes ~20 MB).
MAX_ENTRIES = 8

_clock = time.monotonic
_entries: OrderedDict[tuple, tuple[tuple, float, object]] = OrderedDict()
_lock = threading.Lock()


def inputs_stamp(*, criteria, call_halves, rules, deadlines) -> tuple:
    """The stamp of a side ranking's inputs; ``criteria``, ``call_halves``, ``rules`` and
    ``deadlines`` are the values the caller has just read."""
    from sciencebridge.experts.models import DeclaredConflict, ExpertProfile
    from sciencebridge.review.models import Review

    reviews = Review.objects.aggregate(top=Max("id"), last=Max("updated_at"))
    experts = ExpertProfile.objects.aggregate(last=Max("updated_at"))
    declared = DeclaredConflict.objects.aggregate(n=Count("id"), top=Max("id"))
    return (
        tuple((c.pk, c.order, str(c.weight)) for c in criteria),
        tuple(call_halves),
        rules,
        tuple(sorted(deadlines.items())),
        (reviews["top"], reviews["last"]),
        experts["last"],
        (declared["n"], declared["top"]),
        timezone.localdate(),
    )


def get_or_compute(key: tuple, stamp: tuple, compute: Callable[[], object]):
    """The entry of ``key`` if it was computed from inputs with this ``stamp`` less than
    ``MAX_AGE`` seconds ago; otherwise ``compute()``, kept for the next request."""
    now = _clock()
    with _lock:
        hit = _entries.get(key)
        if hit is not None and hit[0] == stamp and now - hit[1] < MAX_AGE:
            _entries.move_to_end(key)
            return hit[2]
    value = compute()
    with _lock:
        _entries[key] = (stamp, now, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
