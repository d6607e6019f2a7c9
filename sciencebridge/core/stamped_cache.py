"""Values computed from the database, kept per process and reused while a *stamp* of their inputs
is unchanged.

The caller reads the stamp on every request (cheap reads: the largest id and latest edit from an
index, or rows the request reads anyway) and passes it with the key; the kept value is used only
when it was computed from inputs with the same stamp, and never after ``max_age`` seconds (a bound
on staleness for writes the stamp does not see, such as a raw SQL edit). No write has to remember
to invalidate anything, and every process (gunicorn worker, Celery worker) keeps its own values
without talking to the others. Users: the panels' side rankings (``decisions.services.ranking_cache``),
the officer dashboard's seat counts (``review.selectors.published_seat_counts``), the
expert searches' orders (``experts.selectors.ranked_expert_ids``), the officer's call list
(``funding.officer_list``), the run page's order of units (``review.run_units``) and the proposals
per call (``funding.call_counts``). A value that reads many tables, none of which has such a cheap
stamp, is kept under the database's own per-table stamps instead (``core.table_stamps``).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

_clock = time.monotonic
_all: list[StampedCache] = []


class StampedCache:
    def __init__(self, *, max_entries: int, max_age: float):
        self.max_entries, self.max_age = max_entries, max_age
        self._entries: OrderedDict[tuple, tuple[tuple, float, object]] = OrderedDict()
        self._lock = threading.Lock()
        _all.append(self)

    def get_or_compute(
        self,
        key: tuple,
        stamp: tuple,
        compute: Callable[[], object],
        *,
        keep_if: Callable[[], bool] | None = None,
    ):
        """The value of ``key`` if it was computed from inputs with this ``stamp`` less than
        ``max_age`` seconds ago; otherwise ``compute()``, kept for the next request unless
        ``keep_if``, asked after computing, says no (then nothing is kept for ``key``)."""
        now = _clock()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == stamp and now - hit[1] < self.max_age:
                self._entries.move_to_end(key)
                return hit[2]
        value = compute()
        with self._lock:
            if keep_if is not None and not keep_if():
                self._entries.pop(key, None)
                return value
            self._entries[key] = (stamp, now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def discard(self, key: tuple) -> None:
        """Forget ``key``'s value: the caller found it out of date in a way no stamp shows."""
        with self._lock:
            self._entries.pop(key, None)

    def discard_where(self, predicate: Callable[[tuple], bool]) -> None:
        """Forget every key for which ``predicate(key)`` is true."""
        with self._lock:
            for key in [k for k in self._entries if predicate(k)]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def clear_all() -> None:
    """Empty every cache (tests: each starts with nothing kept from another test's data)."""
    for cache in _all:
        cache.clear()
