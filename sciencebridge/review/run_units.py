"""The order of a run page's units, kept per process (issue 16).

A run page shows 25 of the side's reviewed units in reference order with "page n of m". Counting
them and walking the order to a deep page read every unit before it: 3,381 rows for page 40 of a
national call's 2,544 reviewed halves, on every request. The ids of the whole order are kept
(``core.stamped_cache``) under the stamp of the officer's list of the same call
(``funding.officer_list.list_stamp``: a half added, any half's recorded state change, a proposal
edited), which is everything that decides the units and their order: the halves' states and the
proposals' references. A page then reads its own 25 rows by id.

Kept for the unfiltered order only, per call, side and the proposals hidden from the viewer by a
conflict of interest: a search or the "short of reviewers" filter is read afresh. A unit of the
page that is gone (removed: no stamp sees that) drops the kept order."""

from __future__ import annotations

from array import array

from django.db.models import QuerySet
from django.db.models.signals import post_delete
from django.dispatch import receiver

from sciencebridge.core.first_rows import narrow_ids, rows_in_order
from sciencebridge.core.stamped_cache import StampedCache
from sciencebridge.funding.models import Call, ProposalHalf
from sciencebridge.funding.officer_list import list_stamp

#: An entry is one side's order (8 bytes a unit); trusted for five minutes at most.
kept = StampedCache(max_entries=64, max_age=300.0)


def unit_ids(call: Call, side: str, rows: QuerySet, hidden: frozenset[int] | set[int]) -> array:
    """The ids of ``rows`` (``assignment.unit_rows`` without the ``hidden`` proposals), in their
    order. The same array is returned to every caller, who must not change it."""
    key = ("run-units", call.pk, side or "", tuple(sorted(hidden)))
    return kept.get_or_compute(key, list_stamp(call.pk), lambda: array("q", narrow_ids(rows)))


def page_rows(call: Call, rows: QuerySet, ids) -> list:
    """The rows of a page of ``unit_ids``, in its order; a row that is gone is left out and the
    call's kept orders are dropped, so the next request orders afresh."""
    ids = list(ids)
    found = rows_in_order(rows.order_by(), ids)
    if len(found) < len(ids):
        forget_call(call.pk)
    return found


def forget_call(call_id: int) -> None:
    kept.discard_where(lambda key: key[1] == call_id)


# a removed proposal's halves are removed with it, each with this signal
@receiver(post_delete, sender=ProposalHalf)
def _forget_removed_half(sender, instance, **kwargs):
    forget_call(instance.call_id)
