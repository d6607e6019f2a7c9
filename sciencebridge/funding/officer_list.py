"""What the officer's list of a call reads beyond the rows of its page, kept per process (issue 16).

Counting the call's halves by state, listing their institutions (the filter's choices) and ordering
them to pick a page read every half the officer's agency received in the call: 4,400 in a national
call of 5,000 proposals, ~25 ms of SQL on every request whatever the page. These three, and the
filter's choices with their names (two queries, ~2 ms), are kept (``core.stamped_cache``) with a
stamp of their inputs read on every request, three rows from indexes:

- the call's halves: the largest id (a new half);
- the halves' workflow: the id of the latest recorded step of any half. Every change of a half's
  state goes through ``core.workflow.transition``, which records one (submission, endorsement,
  screening, decision, withdrawal), even under a frozen clock. A half's institution, keywords,
  codes and budget can change only while it is editable, and it comes back by a transition;
- the call's proposals: the latest ``updated_at`` (a title, area or reference edited).

A removed half, which no stamp sees, is left out of its page and the call's kept values are dropped
(``page_rows``; ``forget_removed_half`` in this process). Anything else (an institution or area
renamed in the admin, a theme added to the call, a raw SQL edit) is seen after five minutes at most.

Whoever sees the same list shares the kept values: the key is the agency, the call, the proposals
hidden from the viewer by a conflict of interest, the filters and the order (and the page's language
for the orders by a translated name). Pages still read their 50 rows afresh, through the same
selectors."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count
from django.db.models.signals import post_delete
from django.dispatch import receiver
from modeltranslation.utils import get_language

from sciencebridge.accounts.roles import Role
from sciencebridge.core.models import StateTransition
from sciencebridge.core.stamped_cache import StampedCache

from . import selectors
from .forms import officer_filter_choices
from .models import Call, JointProposal, ProposalHalf

#: An entry is the ids of one list (a few tens of KB), its counts, its institutions or the filter's
#: choices; an entry is trusted for five minutes at most whatever its stamp.
kept = StampedCache(max_entries=128, max_age=300.0)

#: Orders by a name shown in the page's language.
_TRANSLATED_ORDERS = frozenset({"institution", "area"})


def list_stamp(call_id: int) -> tuple:
    """Changes whenever a half of the call is added or changes state, or one of its proposals is
    edited (see the module's docstring)."""
    half_type = ContentType.objects.get_for_model(ProposalHalf)  # kept by Django per process
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [call_id, call_id, half_type.pk])
        return tuple(cursor.fetchone())


@cache
def _stamp_sql() -> str:
    """Three index reads as subqueries of one row: one round trip (three queries took 3 ms). Written
    out once: built through the ORM on every request, it cost ~3,500 Python calls (1 ms) to
    compile, the officer's list and the API's list of a call each asking on every request."""
    q = connection.ops.quote_name

    def largest(model, column: str, where: str) -> str:
        return f"(SELECT MAX({q(column)}) FROM {q(model._meta.db_table)} WHERE {q(where)} = %s)"

    return "SELECT " + ", ".join(
        (
            largest(ProposalHalf, "id", "call_id"),
            largest(JointProposal, "updated_at", "call_id"),
            largest(StateTransition, "id", "content_type_id"),
        )
    )


def _viewer(user, call_id: int) -> tuple | None:
    """What decides which halves of the call the user's list holds; None for a user who has no list
    (nothing is kept for them)."""
    if not (user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return None
    return (call_id, user.agency_id, tuple(sorted(selectors.officer_conflicts(user))))


def _kept(key: tuple | None, stamp: tuple, compute):
    return compute() if key is None else kept.get_or_compute(key, stamp, compute)


def institution_ids(user, call: Call, stamp: tuple) -> frozenset[int]:
    """The institutions of the halves the user's agency received in ``call`` (the filter's choices)."""

    # the ids alone, from the (call, agency, state) index: as a semi-join of institutions the
    # planner may probe every institution's halves instead (120 ms on the scale data)
    def compute():
        return frozenset(
            ProposalHalf.objects.filter(call=call, agency_id=user.agency_id)
            .exclude(institution=None)
            .order_by()
            .values_list("institution_id", flat=True)
            .distinct()
        )

    viewer = _viewer(user, call.pk)
    return _kept(viewer and ("institutions", *viewer[:2]), stamp, compute)


def filter_choices(user, call: Call, stamp: tuple) -> tuple[list, list]:
    """The filter's choices of areas and institutions in the page's language
    (``forms.officer_filter_choices``), kept with the institutions' ids. The same lists are returned
    to every caller, who must not change them."""

    def compute():
        return officer_filter_choices(call, institution_ids(user, call, stamp))

    viewer = _viewer(user, call.pk)
    return _kept(viewer and ("choices", *viewer[:2], get_language()), stamp, compute)


def state_counts(user, call: Call, stamp: tuple) -> dict[str, int]:
    """{state: number} of the user's halves in ``call``, unfiltered. The same dict is returned to
    every caller, who must not change it."""

    def compute():
        return dict(
            selectors.officer_half_rows(user, call)
            .values_list("state")
            .annotate(n=Count("id"))
            .order_by()
        )

    viewer = _viewer(user, call.pk)
    return _kept(viewer and ("counts", *viewer), stamp, compute)


def half_ids(user, call: Call, stamp: tuple, *, sort=None, filters: dict) -> list[int]:
    """The ids of the user's halves in ``call`` that pass ``filters``, in the order of ``sort``
    (``selectors.sorted_half_ids``). The same list is returned to every caller, who must not change
    it."""

    def compute():
        rows = selectors.officer_half_rows(user, call, **filters)
        return list(selectors.sorted_half_ids(rows, sort, call))

    return _kept(_ids_key(user, call, sort, filters), stamp, compute)


def _ids_key(user, call, sort, filters) -> tuple | None:
    viewer = _viewer(user, call.pk)
    if viewer is None:
        return None
    key, descending = selectors.parse_officer_sort(sort)
    language = get_language() if key in _TRANSLATED_ORDERS else ""
    used = tuple(sorted((name, str(getattr(v, "pk", v))) for name, v in filters.items() if v))
    return ("ids", *viewer, key, descending, language, used)


def page_rows(call: Call, ids) -> list[ProposalHalf]:
    """The halves of a page of ``half_ids`` (``selectors.halves_in_order``). A half of the page that
    is gone (removed: no stamp sees that) is left out, and the call's kept values are dropped, so the
    next request counts and orders afresh."""
    ids = list(ids)
    rows = selectors.halves_in_order(ids, call)
    if len(rows) < len(ids):
        forget_call(call.pk)
    return rows


def row_key(half: ProposalHalf) -> str:
    """Every value a row of the list shows (``funding/officer_proposals.html``), as the key under
    which the rendered row is kept (the ``fragments`` cache): a row whose key is unchanged renders
    the same, so a kept row is never out of date and needs no stamp. Rendering 50 rows took a
    quarter of the page's time. ``half`` comes from ``page_rows`` with ``can_screen`` set."""
    proposal = half.proposal
    partners = tuple(
        (p.pk, p.side, p.state, p.submitted_at) for p in proposal.rows_halves if p.pk != half.pk
    )
    return repr(
        (
            half.pk,
            half.side,
            proposal.reference,
            proposal.title,
            str(half.institution or ""),
            str(proposal.area or ""),
            half.state,
            half.requested_budget,
            half.currency,
            half.submitted_at,
            partners,
            half.can_screen,
            get_language(),
        )
    )


def proposal_ids(user, call_id: int, compute: Callable[[], Iterable[int]]) -> array | None:
    """The ids of the call's proposals that the user may open (``compute()``, the API's list of
    one call), kept under the call's stamp for everyone whose list is the same: what decides it is
    the user's agency, the institution of a research office, the proposals the user is on and those
    hidden by a conflict (``selectors.visible_proposals``). None for a user whose list is not kept
    (not an agency's officer, or a superuser, who sees every proposal)."""
    viewer = None if user.is_superuser else _viewer(user, call_id)
    if viewer is None:
        return None
    office = user.institution_id if user.has_role(Role.RESEARCH_OFFICE) else None
    own = tuple(sorted(selectors.applicant_proposal_ids(user)))
    key = ("proposal-ids", *viewer, office, own)
    return kept.get_or_compute(key, list_stamp(call_id), lambda: array("q", compute()))


def forget_call(call_id: int) -> None:
    kept.discard_where(lambda key: key[1] == call_id)


@receiver(post_delete, sender=ProposalHalf)
def forget_removed_half(sender, instance, **kwargs):
    forget_call(instance.call_id)
