"""Read-side queries for assignments and reviews, restricted to what the user may see.

For the panel and the joint decision (the decisions app):

``submitted_reviews_by_half(halves) -> dict[int, list[Review]]``
    The submitted reviews of each half (key: half id). A shared review of the whole proposal is
    listed under both of its halves. Each ``Review`` carries ``weighted_score`` (Decimal, the
    criteria-weighted mean on the 1–10 scale, computed with the scheme's AssessmentCriterion
    weights), ``recommendation``, ``comments_to_applicant``, ``confidential_comments``,
    ``submitted_at``, ``assignment.expert`` (the reviewer, for calibration across proposals) and
    ``scores.all()`` (ReviewScore rows with ``criterion``: name, weight, order) — prefetched: three
    queries whatever the number of halves.
``review_summary(reviews) -> ReviewSummary``
    count, mean, minimum, maximum and spread of the weighted scores
    (``summary_in_database(queryset)``: the same, in one aggregate query).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum

from sciencebridge.core.request_cache import once_per_request
from sciencebridge.core.stamped_cache import StampedCache
from sciencebridge.experts.models import ExpertProfile, ExpertStatus
from sciencebridge.funding.models import DECIDED_STATES, Call, ProposalHalf
from sciencebridge.funding.selectors import calls_of_agency

from . import run_units
from .conflicts import conflicted_proposal_ids, exclude_conflicted, has_conflict
from .models import (
    Assignment,
    AssignmentRun,
    AssignmentState,
    Review,
    ReviewScore,
    ReviewState,
    RunState,
    without_run_details,
)
from .services import assignment as asvc
from .services.scoring import unit_row_pk


def _review_qs() -> QuerySet[Review]:
    return Review.objects.select_related(
        "assignment__expert__institution",
        "assignment__half",
        "assignment__proposal",
    ).prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion")))


def submitted_reviews(*, call: Call | None = None, side: str | None = None) -> QuerySet[Review]:
    """All submitted reviews (unrestricted: callers check who may see them), with scores prefetched.
    ``side`` keeps the reviews of that side's halves plus shared reviews."""
    qs = _review_qs().filter(state=ReviewState.SUBMITTED)
    if call is not None:
        qs = qs.filter(assignment__run__call=call)
    if side:
        qs = qs.filter(Q(assignment__half__side=side) | Q(assignment__half__isnull=True))
    return qs.order_by("assignment__proposal__reference", "submitted_at", "id")


def submitted_reviews_by_half(halves: Iterable[ProposalHalf]) -> dict[int, list[Review]]:
    halves = list(halves)
    by_half: dict[int, list[Review]] = {h.pk: [] for h in halves}
    if not halves:
        return by_half
    proposal_halves = defaultdict(list)
    for h in halves:
        proposal_halves[h.proposal_id].append(h.pk)
    qs = (
        _review_qs()
        .filter(state=ReviewState.SUBMITTED)
        .filter(
            Q(assignment__half_id__in=list(by_half))
            | Q(assignment__half__isnull=True, assignment__proposal_id__in=list(proposal_halves))
        )
        .order_by("submitted_at", "id")
    )
    for r in qs:
        targets = (
            [r.assignment.half_id]
            if r.assignment.half_id
            else proposal_halves[r.assignment.proposal_id]
        )
        for hid in targets:
            if hid in by_half:
                by_half[hid].append(r)
    return by_half


@dataclass
class ReviewSummary:
    count: int
    mean: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None

    @property
    def spread(self) -> Decimal | None:
        return None if self.count == 0 else self.maximum - self.minimum


def review_summary(reviews: Iterable[Review]) -> ReviewSummary:
    scores = [r.weighted_score for r in reviews if r.weighted_score is not None]
    if not scores:
        return ReviewSummary(0, None, None, None)
    mean = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"))
    return ReviewSummary(len(scores), mean, min(scores), max(scores))


_CENTS = Decimal("0.01")

#: A call's review summaries (a few numbers each), kept while no review changes.
kept_summaries = StampedCache(max_entries=256, max_age=300.0)


def call_review_summary(call: Call, side: str = "", *, only_side: bool = False) -> ReviewSummary:
    """The summary of the call's submitted reviews: all of them (no ``side``), one side's halves'
    and the shared ones (``side``), or one side's halves' only (``only_side``). Kept
    (``core.stamped_cache``) with the largest review id and the latest edit of any review, both
    read from an index: a review is written through ``save()``, which sets ``updated_at``; its
    assignment, half and call never change. The call's review page showed two to three of these,
    each adding up ~7,500 reviews of a national call (70 ms of SQL)."""

    def compute():
        if only_side:
            reviews = submitted_reviews(call=call).filter(assignment__half__side=side)
        else:
            reviews = submitted_reviews(call=call, side=side or None)
        return summary_in_database(reviews)

    return kept_summaries.get_or_compute(
        (call.pk, side, only_side), once_per_request(("review.summary",), _reviews_stamp), compute
    )


def _reviews_stamp() -> tuple:
    stamp = Review.objects.aggregate(top=Max("id"), last=Max("updated_at"))
    return (stamp["top"], stamp["last"])


def summary_in_database(reviews: QuerySet[Review]) -> ReviewSummary:
    """The summary of the reviews ``reviews`` selects, from one aggregate query: the review page of a
    call of 5,000 proposals loaded its 15,000 reviews and 122,000 scores for these four numbers
    (1.2 s of SQL, ~25 s of Python; issue 16). Weighted scores have two decimals: the sum is taken
    back to them (SQLite adds them as floats), so the mean is the one the reviews themselves give."""
    agg = reviews.order_by().aggregate(
        n=Count("weighted_score"),
        total=Sum("weighted_score"),
        lo=Min("weighted_score"),
        hi=Max("weighted_score"),
    )
    if not agg["n"]:
        return ReviewSummary(0, None, None, None)
    total, lo, hi = (Decimal(agg[k]).quantize(_CENTS) for k in ("total", "lo", "hi"))
    return ReviewSummary(agg["n"], (total / agg["n"]).quantize(_CENTS), lo, hi)


def applicant_comments(proposal) -> list[dict]:
    """Anonymised comments to the applicant, for decided halves only: reviewer numbers, never names."""
    halves = [h for h in proposal.halves.all() if h.state in DECIDED_STATES]
    out = []
    for h in halves:
        for n, r in enumerate(submitted_reviews_by_half([h])[h.pk], start=1):
            out.append(
                {
                    "side": h.side,
                    "reviewer": n,
                    "comments": r.comments_to_applicant,
                    "recommendation": r.get_recommendation_display(),
                }
            )
    return out


# ----------------------------------------------------------------------------------------------
# Experts
# ----------------------------------------------------------------------------------------------
def my_assignments(user) -> QuerySet[Assignment]:
    """The expert's invitations and reviews (open ones first), with what the lists show."""
    profile = getattr(user, "expert_profile", None) if user.is_authenticated else None
    if profile is None:
        return Assignment.objects.none()
    return without_run_details(
        Assignment.objects.filter(expert=profile, run__state=RunState.PUBLISHED)
        .exclude(state__in=[AssignmentState.PROPOSED, AssignmentState.REMOVED])
        .select_related("proposal__call", "half", "run", "review")
    ).order_by("-invited_at", "id")


def mark_withheld(user, seats: list[Assignment]) -> list[Assignment]:
    """Set ``a.withheld`` on each seat: the expert declared a conflict on it, or has a declared or
    detected conflict with its proposal. A withheld seat is listed by its reference only — no title,
    abstract or people."""
    conflicted = conflicted_proposal_ids(user)
    for a in seats:
        a.withheld = a.state == AssignmentState.CONFLICT or a.proposal_id in conflicted
    return seats


def peer_reviews(user, assignment: Assignment) -> list[Review]:
    """Other reviewers' submitted reviews of the same unit, once the user's own is submitted and if
    the scheme allows (anonymised by the template: no names, no confidential comments)."""
    scheme = assignment.proposal.call.scheme
    own = getattr(assignment, "review", None)
    if not (
        scheme.reviewers_see_other_reviews
        and own is not None
        and own.state == ReviewState.SUBMITTED
        and assignment.expert.user_id == user.pk
    ) or has_conflict(user, assignment.proposal_id):
        return []
    return list(
        _review_qs()
        .filter(
            state=ReviewState.SUBMITTED,
            assignment__proposal=assignment.proposal,
            assignment__half=assignment.half,
        )
        .exclude(pk=own.pk)
        .order_by("submitted_at")
    )


# ----------------------------------------------------------------------------------------------
# Officers
# ----------------------------------------------------------------------------------------------
def officer_calls(user) -> QuerySet[Call]:
    """Calls of schemes where the officer's agency takes part, with their sides."""
    return calls_of_agency(user).prefetch_related("scheme__sides")


def runs_for(call: Call) -> list[AssignmentRun]:
    """The call's runs, newest first, each with ``n_seats`` (its seats not removed), counted from
    the kept seat counts (``published_seat_counts``: a national call's runs hold 15,000 seats)."""
    runs = list(
        without_run_details(AssignmentRun.objects.filter(call=call), path="")
        .select_related("job", "created_by")
        .order_by("-created_at")
    )
    seats = defaultdict(int)
    for run_id, state, n in published_seat_counts([run.pk for run in runs]) if runs else ():
        if state != AssignmentState.REMOVED:
            seats[run_id] += n
    for run in runs:
        run.n_seats = seats[run.pk]
    return runs


#: units shown per page of an assignment run (a national call has 5,000: issue 16)
RUN_UNITS_PER_PAGE = 25


@dataclass
class RunUnitPage:
    page: Page  # of units (``scoring.Unit``), in reference order
    n_withheld: int  # units hidden from the user for a conflict of interest


def run_unit_page(
    user, run: AssignmentRun, *, q: str = "", only_short: bool = False, number=1
) -> RunUnitPage:
    """One page of a run's review units for the run page (decided since or not), never a proposal
    the user has a conflict with; ``q`` finds a proposal by reference or title, ``only_short`` keeps the units the run could
    not give all their reviewers. Reads the page's rows and, for a search or the filter, a count,
    whatever the call's size."""
    rows = asvc.unit_rows(run.call, run.side, asvc.REVIEWED_STATES)
    proposal = "proposal__" if run.side else ""
    conflicted = conflicted_proposal_ids(user)
    n_withheld = rows.filter(**{f"{proposal}pk__in": conflicted}).count() if conflicted else 0
    rows = rows.exclude(**{f"{proposal}pk__in": conflicted})
    if q:
        rows = rows.filter(
            Q(**{f"{proposal}reference__icontains": q}) | Q(**{f"{proposal}title__icontains": q})
        )
    if only_short:
        keys = (unit_row_pk(k, run.side) for k in run.unassignable or {})
        rows = rows.filter(pk__in=[pk for pk in keys if pk is not None])
    rows = rows.only("pk", "proposal_id") if run.side else rows.only("pk")
    if q or only_short:
        # Django's count and page: a window count (``core.pagination``) would read every match
        page = Paginator(rows, RUN_UNITS_PER_PAGE).get_page(number)
    else:
        # the whole order is kept (``run_units``): a page reads its own rows, the 40th as the first
        ids = run_units.unit_ids(run.call, run.side, rows, conflicted)
        page = Paginator(ids, RUN_UNITS_PER_PAGE).get_page(number)
        page.object_list = run_units.page_rows(run.call, rows, page.object_list)
    # the page shows each unit's reference, title and halves' states: nothing scoring reads
    halves = Prefetch("halves", ProposalHalf.objects.only("proposal_id", "side", "state"))
    page.object_list = asvc.units_from_rows(
        page.object_list, run.side, prefetches=[halves], fields=("reference", "title")
    )
    return RunUnitPage(page, n_withheld)


#: what the run page shows of a seat (``run_assignments``): its unit's rows are already on the page
RUN_PAGE_SEAT_FIELDS = (
    *("run__state", "proposal_id", "half_id", "affinity", "rank", "explanation", "source"),
    *("state", "response_note", "replacement_for__expert__name_en"),
    *("replacement_for__expert__name_zh", "review__state", "review__weighted_score"),
    *("expert__name_en", "expert__name_zh", "expert__region", "expert__institution"),
)


def run_assignments(user, run: AssignmentRun, proposals=None) -> QuerySet[Assignment]:
    """Every seat of a run's review units (replacements included), for the run page; never the
    seats of a proposal the user has a conflict with. ``proposals``: only these proposals' seats.
    Each seat is read with what the page shows of it only: its proposal and half are its unit's,
    already read, and a seat with its seven related rows whole took a quarter of the page's time
    (17 datetimes a seat to parse); its run without the run's notes, groups and unassignable units.
    Ordered within each unit (the page puts the seats under their units)."""
    qs = Assignment.objects.filter(run__call=run.call, run__side=run.side).filter(
        Q(run=run) | Q(run__state=RunState.PUBLISHED)
    )
    if proposals is not None:
        qs = qs.filter(proposal__in=proposals)
    return (
        exclude_conflicted(qs, user)
        .select_related("expert__institution", "replacement_for__expert", "review", "run")
        .only(*RUN_PAGE_SEAT_FIELDS)
        .order_by("-affinity", "id")
    )


def unit_notes(run: AssignmentRun, keys) -> dict:
    """``run.notes`` of these units only (``Unit.key``), read in the database: a national run's
    notes hold every unit of the call, hundreds of KB to decode for the 25 a page shows. The notes
    are expanded once (``json_each``) and the keys picked from them: one ``notes -> key`` per key
    decompressed the whole column each time (3.3 ms for a page against 0.7 ms)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    table = connection.ops.quote_name(AssignmentRun._meta.db_table)
    each = "jsonb_each" if connection.vendor == "postgresql" else "json_each"
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT n.key, n.value FROM {table} r, {each}(r.notes) n "
            f"WHERE r.id = %s AND n.key IN ({marks})",
            [run.pk, *keys],
        )
        rows = cursor.fetchall()
    # PostgreSQL gives each value decoded; SQLite gives an object's JSON text
    return {key: json.loads(v) if isinstance(v, str) else v for key, v in rows}


def reviewer_candidates(run: AssignmentRun, text: str, limit: int = 10) -> list[ExpertProfile]:
    """Admitted experts of the regions the run draws on whom ``text`` names: an expert number
    (``123`` or a suggestion's ``… #123``), an e-mail address, or words of the English or Chinese
    name (each word must match); for the run page's "Add a reviewer", where a list of 50,000 experts
    cannot be offered. The conflict check comes after, in ``assignment.add_reviewer``."""
    text = " ".join(text.split())
    qs = ExpertProfile.objects.filter(status=ExpertStatus.ADMITTED).select_related("institution")
    regions = asvc.expert_regions_for(run.side, run.parameters)
    if regions:
        qs = qs.filter(region__in=regions)
    number = re.fullmatch(r"(?:.*#)?\s*(\d+)", text)
    if number:
        return list(qs.filter(pk=int(number.group(1))))
    if "@" in text:
        return list(qs.filter(email__iexact=text)[:limit])
    words = text.split()[:4]
    if not words:
        return []
    for word in words:
        qs = qs.filter(Q(name_en__icontains=word) | Q(name_zh__icontains=word))
    return list(qs.order_by("name_en", "id")[:limit])


def officer_seats(user, runs) -> QuerySet[Assignment]:
    """Seats of these runs (the API's officer list), without proposals the user has a conflict with."""
    return exclude_conflicted(Assignment.objects.filter(run_id__in=runs), user)


def assignment_status(call: Call) -> list[dict]:
    """Per review (side or shared): latest run state and seat counts by state."""
    return assignment_status_of([call])[call.pk]


def assignment_status_of(calls) -> dict[int, list[dict]]:
    """``assignment_status`` of several calls in three queries, whatever their number (a dashboard
    lists ten): the runs, then the published seats counted per run and state
    (``published_seat_counts``)."""
    calls = list(calls)
    runs = list(
        without_run_details(AssignmentRun.objects.filter(call__in=calls), path="").order_by(
            "created_at"
        )
    )
    latest = {(run.call_id, run.side): run for run in runs}  # the newest run of each review wins
    published = {run.pk: run for run in runs if run.state == RunState.PUBLISHED}
    counts = defaultdict(dict)
    if published:
        for run_id, state, n in published_seat_counts(published):
            run = published[run_id]
            per_state = counts[(run.call_id, run.side)]
            per_state[state] = per_state.get(state, 0) + n
    out = {}
    for call in calls:
        rows = []
        for side in [""] if call.scheme.shared_review else ["HK", "ML"]:
            per_state = counts.get((call.pk, side), {})
            rows.append(
                {
                    "side": side,
                    "run": latest.get((call.pk, side)),
                    "counts": per_state,
                    "labelled_counts": [
                        (s, label, per_state[s])
                        for s, label in AssignmentState.choices
                        if s in per_state
                    ],
                }
            )
        out[call.pk] = rows
    return out


#: The seat counts of sets of published runs, kept while no seat is added or changes state.
seat_counts = StampedCache(max_entries=64, max_age=300.0)


def published_seat_counts(run_ids) -> list[tuple[int, str, int]]:
    """``(run id, state, seats)`` of these runs. Counting a national exercise's seats reads
    150,000 rows, so the result is kept (``core.stamped_cache``) with the largest seat id and the
    latest state change of any seat, both read from an index: a seat is created with a new id and
    changes state only through ``core.workflow.transition``, which writes ``state_changed_at``."""
    key = tuple(sorted(run_ids))
    stamp = Assignment.objects.aggregate(top=Max("id"), last=Max("state_changed_at"))
    return seat_counts.get_or_compute(
        key,
        (stamp["top"], stamp["last"]),
        lambda: list(
            Assignment.objects.filter(run_id__in=key)
            .order_by()
            .values_list("run_id", "state")
            .annotate(n=Count("id"))
        ),
    )


def windows_for(seats) -> QuerySet:
    """The review windows of these seats' calls (one query)."""
    from .models import ReviewWindow

    return ReviewWindow.objects.filter(call_id__in={a.proposal.call_id for a in seats})


def partner_summary_allowed(scheme, partner_side: str) -> bool:
    """Officers see the partner side's review summary (count, mean) only where the scheme shares at least
    a summary of the partner half (as the funding app does for halves)."""
    from sciencebridge.funding.models import PartnerVisibility

    side = scheme.side(partner_side)
    return side.partner_visibility in (PartnerVisibility.SUMMARY, PartnerVisibility.FULL)


def reviewer_may_read_half(user, half: ProposalHalf) -> bool:
    """A reviewer reads the documents of the half under review (both halves in a shared review) once
    invited, accepted and past the conflict check, and never with a conflict."""
    if not (user is not None and getattr(user, "is_authenticated", False)):
        return False
    seats = Assignment.objects.filter(
        expert__user_id=user.pk,
        proposal_id=half.proposal_id,
        state__in=[AssignmentState.ACCEPTED, AssignmentState.SUBMITTED],
        coi_confirmed_at__isnull=False,
    ).filter(Q(half_id=half.pk) | Q(half__isnull=True))
    return seats.exists() and not has_conflict(user, half.proposal_id)
