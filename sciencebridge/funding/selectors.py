"""Read-side queries for proposals, always restricted to what the user may see."""

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import Exact
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from sciencebridge.accounts.roles import Role
from sciencebridge.core.aggregates import per_row
from sciencebridge.core.precompiled import STAND_IN_IDS, Precompiled, RowsByIds
from sciencebridge.core.prefetched import attach_rows, prefetch_rows, rows_prefetch
from sciencebridge.core.request_cache import once_per_request
from sciencebridge.core.scripts import icontains_any

from .models import (
    EDITABLE_STATES,
    SIDE_CURRENCY,
    SUBMITTED_STATES,
    BudgetLine,
    Call,
    HalfState,
    JointProposal,
    PartnerInvitation,
    ProposalHalf,
    SchemeSide,
    TeamMember,
    reached_agency_q,
)


def _half_prefetch():
    return Prefetch(
        "halves",
        queryset=ProposalHalf.objects.select_related(
            "institution", "agency", "lead"
        ).prefetch_related(
            Prefetch("team", queryset=TeamMember.objects.select_related("institution"))
        ),
    )


def applicant_proposal_ids(user) -> frozenset[int]:
    """The proposals the user leads a half of or is on a half's team of: one UNION query, each branch
    an index lookup (an OR across the team join read every half), once per request."""
    if not user.is_authenticated:
        return frozenset()

    def compute():
        led = ProposalHalf.objects.filter(lead=user).order_by().values_list("proposal_id")
        on_team = TeamMember.objects.filter(user=user).order_by().values_list("half__proposal_id")
        return frozenset(pid for (pid,) in led.union(on_team))

    return once_per_request(("applicant_proposal_ids", user.pk), compute)


def _on_proposal(user) -> Q:
    """The user leads a half of the proposal or is on a half's team."""
    return Q(pk__in=applicant_proposal_ids(user))


def _visible_half_q(user) -> Q | None:
    """Halves the user may see something of, as a filter on ProposalHalf (None: every half).

    The queryset twin of ``rules.half_visibility``: staff see a half once it has been submitted
    (research office: to it; officers: to their agency), and the partner half of such a half."""
    if user.is_superuser:
        return None
    pair = ProposalHalf.objects.filter(proposal=OuterRef("proposal"))
    q = Q(proposal_id__in=applicant_proposal_ids(user))
    institution_id, agency_id = staff_scope(user)
    if institution_id is not None:
        q |= Q(institution_id=institution_id, submitted_at__isnull=False)
        q |= Q(Exists(pair.filter(institution_id=institution_id, state__in=SUBMITTED_STATES)))
    if agency_id is not None:
        q |= Q(Exists(pair.filter(reached_agency_q(), agency_id=agency_id)))
    return q


def officer_conflicts(user) -> set[int]:
    """Proposals a programme officer has a declared or detected conflict with (their own excepted):
    hidden from them everywhere, like from a conflicted expert (``review.conflicts``)."""
    if user.is_superuser or not user.has_role(Role.PROGRAMME_OFFICER):
        return set()
    from sciencebridge.review.conflicts import conflicted_proposal_ids

    return conflicted_proposal_ids(user) - applicant_proposal_ids(user)


def visible_halves(user) -> QuerySet[ProposalHalf]:
    """Every half the user may see something of (what exactly: ``rules.half_visibility``)."""
    if not user.is_authenticated:
        return ProposalHalf.objects.none()
    q = _visible_half_q(user)
    qs = ProposalHalf.objects.all() if q is None else ProposalHalf.objects.filter(q)
    conflicted = officer_conflicts(user)
    return qs.exclude(proposal_id__in=conflicted) if conflicted else qs


def visible_proposals(user) -> QuerySet[JointProposal]:
    """Every proposal the user may open, with halves prefetched (no N+1 in lists). Anything else is
    a 404 to the user, whether it exists or not (references are sequential)."""
    if not user.is_authenticated:
        return JointProposal.objects.none()
    base = proposal_with_call().prefetch_related("call__scheme__sides", _half_prefetch())
    if user.is_superuser:
        return base
    institution_id, agency_id = staff_scope(user)
    q = visible_proposal_q(_on_proposal(user), institution_id, agency_id)
    conflicted = officer_conflicts(user)
    return base.filter(q).exclude(pk__in=conflicted) if conflicted else base.filter(q)


def proposal_with_call() -> QuerySet[JointProposal]:
    return JointProposal.objects.select_related("call__scheme", "area", "project_type")


def staff_scope(user) -> tuple[int | None, int | None]:
    """(institution, agency) whose submitted proposals the user sees as staff: a research office's
    institution, a programme officer's agency (None where the user has no such role)."""
    institution_id = user.institution_id if user.has_role(Role.RESEARCH_OFFICE) else None
    agency_id = user.agency_id if user.has_role(Role.PROGRAMME_OFFICER) else None
    return institution_id or None, agency_id or None


def visible_proposal_q(own: Q, institution_id: int | None, agency_id: int | None) -> Q:
    """The proposals a user who is not a superuser may open: ``own`` (those they are on), those with
    a half submitted to the research office of ``institution_id``, those with a half that reached
    the agency ``agency_id`` (``staff_scope``). Conflicts are left out by the callers."""
    # The half's call (always its proposal's) in the correlation too: a list of one call's proposals
    # then finds the officer's halves by the (call, agency, state) index, not by scanning them all.
    halves = ProposalHalf.objects.filter(proposal=OuterRef("pk"), call=OuterRef("call"))
    q = own
    if institution_id is not None:
        q |= Q(Exists(halves.filter(institution_id=institution_id, submitted_at__isnull=False)))
    if agency_id is not None:
        q |= Q(Exists(halves.filter(reached_agency_q(), agency_id=agency_id)))
    return q


#: A scheme's sides, by the schemes' ids (``core.prefetched.prefetch_rows``).
SCHEME_SIDES = RowsByIds("scheme", lambda: SchemeSide.objects.all())
_CALL_BY_CODE = Precompiled(
    lambda code: Call.objects.select_related("scheme").filter(code=code), "~stand-in code~"
)


def call_with_sides(code: str) -> Call | None:
    """The call ``code`` with its scheme and the scheme's sides (which most call pages ask about),
    by SQL compiled once; None if there is none."""
    call = _CALL_BY_CODE.first(code)
    if call is not None:
        prefetch_rows([call.scheme], SCHEME_SIDES)
    return call


def _agency_officer(user) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id)


def calls_of_agency(user) -> QuerySet[Call]:
    """The calls of the schemes in which the officer's agency funds a side, latest deadline first,
    with their schemes (none for anyone but a programme officer with an agency)."""
    if not _agency_officer(user):
        return Call.objects.none()
    return _calls_of(user.agency_id)


def _calls_of(agency_id: int) -> QuerySet[Call]:
    return (
        Call.objects.filter(scheme__sides__agency_id=agency_id)
        .select_related("scheme")
        .distinct()
        .order_by("-closes_at")
    )


_AGENCY_CALLS = Precompiled(_calls_of, -(2**62) - 31)


def agency_calls(user) -> tuple[Call, ...]:
    """``calls_of_agency``, read once per request by SQL compiled once: the dashboard lists them, and
    its review and decision sections start from them."""
    if not _agency_officer(user):
        return ()
    return once_per_request(
        ("agency_calls", user.agency_id), lambda: tuple(_AGENCY_CALLS.all(user.agency_id))
    )


def my_proposals(user) -> QuerySet[JointProposal]:
    return visible_proposals(user).filter(_on_proposal(user)).order_by("-created_at")


def _half_badges() -> QuerySet[ProposalHalf]:
    """A proposal's halves with only what a list row shows of them (their state badges, whether
    they have reached their agency), Hong Kong side first."""
    return ProposalHalf.objects.only("proposal_id", "side", "state", "submitted_at").order_by(
        "side"
    )


def my_proposal_rows(user) -> QuerySet[JointProposal]:
    """``my_proposals`` with only what a list of them shows: the call and each half's state, the
    halves as a plain list (``rows_halves``). The full prefetch (halves with their institutions,
    agencies, leads and teams) took 16 of an applicant dashboard's 60 ms on the scale data."""
    return (
        my_proposals(user)
        .select_related(None)
        .prefetch_related(None)
        .select_related("call")
        .defer("abstract", "plan")
        .prefetch_related(rows_prefetch("halves", _half_badges()))
    )


#: How many of their proposals the dashboard lists for an applicant.
DASHBOARD_ROWS = 20

# A user's own proposals are always visible to them (``visible_proposal_q`` admits them and
# ``officer_conflicts`` leaves them out): read by their ids alone, compiled once.
_FIRST_OWN_ROWS = Precompiled(
    lambda ids: (
        JointProposal.objects.filter(pk__any=ids)
        .select_related("call")
        .defer("abstract", "plan")
        .order_by("-created_at")[:DASHBOARD_ROWS]
    ),
    STAND_IN_IDS,
)


def first_own_proposal_rows(user) -> list[JointProposal]:
    """The first ``DASHBOARD_ROWS`` of ``my_proposal_rows(user)``, the halves' badges attached
    (``rows_halves``), by SQL compiled once: with its list of 58 ids written out twice, the
    queryset's building and compiling was a large part of an applicant's dashboard (issue 16)."""
    ids = sorted(applicant_proposal_ids(user))
    rows = _FIRST_OWN_ROWS.all(ids) if ids else []
    attach_rows(rows, _PAGE_PARTNERS, "proposal")
    return rows


def open_invitations_to(user) -> QuerySet[PartnerInvitation]:
    """The invitations sent to the user's e-mail address (stored in lower case) that are neither
    accepted nor revoked, whether or not they can still be taken up."""
    email = (getattr(user, "email", "") or "").strip().lower()
    if not user.is_authenticated or not email:
        return PartnerInvitation.objects.none()
    return PartnerInvitation.objects.filter(email=email, accepted_at__isnull=True, revoked=False)


def pending_invitations_for(user, now=None) -> QuerySet[PartnerInvitation]:
    """The invitations to lead a partner half that ``user`` can still take up, newest first.

    Matched as ``services.proposals.accept_invitation`` matches them: sent to the user's e-mail address
    (stored in lower case), neither accepted nor revoked, the half still without a lead. An invitation
    has expired once the half can no longer be joined and submitted: the call has closed, or the half
    was withdrawn or lapsed. The model has no "declined" state; a lead revoking it removes it here.
    """
    now = now or timezone.now()
    joinable = ProposalHalf.objects.filter(
        proposal=OuterRef("proposal"),
        side=OuterRef("side"),
        lead__isnull=True,
        state__in=EDITABLE_STATES,
    )
    return (
        open_invitations_to(user)
        .filter(proposal__call__closes_at__gt=now)
        .filter(Exists(joinable))
        .select_related("proposal__call", "invited_by", "institution")
        .order_by("-created_at", "-pk")
    )


def halves_awaiting_endorsement(user) -> QuerySet[ProposalHalf]:
    if not (user.has_role(Role.RESEARCH_OFFICE) and user.institution_id):
        return ProposalHalf.objects.none()
    return (
        ProposalHalf.objects.filter(institution_id=user.institution_id, submitted_at__isnull=False)
        .select_related("proposal__call", "lead", "agency")
        .order_by("state", "-submitted_at")
    )


#: The columns of the officer's list of a call, each sortable with ``?sort=<key>`` or ``?sort=-<key>``.
OFFICER_SORT_KEYS = (
    "reference",
    "title",
    "institution",
    "area",
    "state",
    "partner",
    "budget",
    "submitted",
)
DEFAULT_OFFICER_SORT = "reference"


def parse_officer_sort(value) -> tuple[str, bool]:
    """``(key, descending)`` for a ``sort`` parameter; anything not whitelisted is the default order."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value[1:] if descending else value
    if key not in OFFICER_SORT_KEYS:
        return DEFAULT_OFFICER_SORT, False
    return key, descending


MONEY_SUM = DecimalField(max_digits=16, decimal_places=2)


def requested_budget_expr():
    """The total a half asks for, in its side's currency (``validation.budget_total`` as SQL)."""
    side_currency = Case(
        *(
            When(Exact(OuterRef("side"), side), then=Value(cur))
            for side, cur in SIDE_CURRENCY.items()
        ),
        output_field=CharField(),
    )
    return per_row(
        BudgetLine.objects.filter(amount_currency=side_currency),
        "half",
        Sum("amount"),
        output_field=MONEY_SUM,
        default=Decimal(0),
    )


def _localised_name(prefix: str, *, short_name: bool = False):
    """SQL for the name a page shows of a translated model (see ``Institution.__str__``): in English
    the short name if any, in Chinese the name in the page's script, then the other languages."""
    lang = get_language()
    names = [
        NullIf(F(f"{prefix}__{build_localized_fieldname('name', code)}"), Value(""))
        for code in resolution_order(lang)
    ]
    if short_name:
        short = NullIf(F(f"{prefix}__short_name"), Value(""))
        names = [short, *names] if not lang.startswith("zh") else [*names, short]
    return Coalesce(*names, Value(""))


def _state_rank(field: str):
    """A half's state in workflow order (the order of ``HalfState``), not alphabetical."""
    return Case(
        *(When(**{field: state}, then=Value(i)) for i, state in enumerate(HalfState.values)),
        default=Value(-1),
        output_field=IntegerField(),
    )


def _partner(value: str = "state"):
    """The partner half's ``value`` when it has reached its agency (NULL otherwise: "not yet
    submitted")."""
    partner = (
        ProposalHalf.objects.filter(reached_agency_q(), proposal=OuterRef("proposal"))
        .exclude(pk=OuterRef("pk"))
        .order_by()
    )
    if value == "rank":  # ranked inside the subquery: a CASE over it would run it once per WHEN
        partner = partner.annotate(rank=_state_rank("state"))
    return Subquery(partner.values(value)[:1])


def _officer_sort_expr(key: str):
    return {
        "reference": F("proposal__reference"),
        "title": F("proposal__title"),
        "institution": _localised_name("institution", short_name=True),
        "area": _localised_name("proposal__area"),
        "state": _state_rank("state"),
        # a partner half not yet submitted ranks first, as a state before "draft"
        "partner": Coalesce(_partner("rank"), Value(-1)),
        "budget": F("requested_budget"),
        "submitted": F("submitted_at"),
    }[key]


def officer_half_rows(
    user,
    call=None,
    *,
    state=None,
    area=None,
    institution=None,
    discipline=None,
    q=None,
) -> QuerySet[ProposalHalf]:
    """The halves submitted to the officer's own agency, filtered: plain rows, nothing joined or
    computed (counts and the page's ids start here; ``officer_halves`` adds what a list shows)."""
    if not (user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return ProposalHalf.objects.none()
    qs = ProposalHalf.objects.filter(reached_agency_q(), agency_id=user.agency_id)
    conflicted = officer_conflicts(user)
    if conflicted:
        qs = qs.exclude(proposal_id__in=conflicted)
    if call is not None:
        qs = qs.filter(call=call)
    if state:
        qs = qs.filter(state=state)
    if area:
        qs = qs.filter(proposal__area_id=area)
    if institution:
        qs = qs.filter(institution_id=institution)
    if discipline:
        codes = ProposalHalf.discipline_codes.through.objects.filter(
            proposalhalf_id=OuterRef("pk"), disciplinecode__code__startswith=discipline
        )
        qs = qs.filter(Exists(codes))
    if q:
        qs = qs.filter(icontains_any(["proposal__title", "proposal__reference", "keywords"], q))
    return qs


def with_list_columns(qs: QuerySet[ProposalHalf]) -> QuerySet[ProposalHalf]:
    """What each row of the officer's CSV/XLSX export shows: related rows, both halves (the partner's
    state) and the ``requested_budget`` (in the half's currency, also the budget sort's key). The
    page loads its 50 rows with ``halves_in_order``."""
    return (
        qs.select_related(
            "proposal__call__scheme",
            "proposal__area",
            "proposal__project_type",
            "institution",
            "lead",
        )
        .prefetch_related(
            "proposal__halves",
            "discipline_codes",
            "proposal__call__scheme__sides",
        )
        .annotate(requested_budget=requested_budget_expr())
    )


def officer_halves(user, call=None, *, sort=None, **filters) -> QuerySet[ProposalHalf]:
    """The officer's halves (``officer_half_rows``) with the list's columns, in the order of ``sort``
    (a ``sort`` GET parameter, ``parse_officer_sort``; ties broken by reference)."""
    return with_list_columns(officer_half_rows(user, call, **filters)).order_by(
        *officer_ordering(sort)
    )


def sorted_half_ids(rows: QuerySet[ProposalHalf], sort=None, call: Call | None = None) -> QuerySet:
    """The ids of ``rows`` in the order of ``sort``, computing only what that order needs: a page
    is chosen on these narrow rows, then only its 50 halves are loaded (``halves_in_order``).

    ``call``: the rows' call, restated on their proposals (always true: a half's call is its
    proposal's). Every order joins the proposals for the reference; with the call on both sides the
    planner reads the call's proposals by index, where it sometimes chose to scan all of them."""
    key, _descending = parse_officer_sort(sort)
    needs = {"requested_budget": requested_budget_expr()} if key == "budget" else {}
    if call is not None:
        rows = rows.filter(proposal__call=call)
    return rows.annotate(**needs).order_by(*officer_ordering(sort)).values_list("pk", flat=True)


def halves_in_order(ids, call: Call) -> list[ProposalHalf]:
    """The halves with these ids (halves of ``call``) in the order of ``ids``, with what a row of the
    officer's list shows and what its screening rule reads. The call, its scheme and the scheme's
    sides are loaded once and shared by every row (not once per row: 200 fewer model instances on a
    page of 50). The partner halves come as a plain list (``proposal.rows_halves``) with only what
    the row shows of them, and the proposals without their abstract and plan. Both queries are
    compiled once per process (``core.precompiled``): building and compiling them on every request
    cost more than running them."""
    ids = list(ids)
    prefetch_related_objects([call], "scheme__sides")
    by_id = {}
    for half in _PAGE_HALVES.all(ids):
        if half.proposal.call_id == call.pk:
            half.proposal.call = call
        by_id[half.pk] = half
    attach_rows([half.proposal for half in by_id.values()], _PAGE_PARTNERS, "proposal")
    return [by_id[i] for i in ids if i in by_id]


_PAGE_HALVES = RowsByIds(
    "pk",
    lambda: (
        ProposalHalf.objects.select_related("proposal__area", "institution")
        .defer("proposal__abstract", "proposal__plan")
        .annotate(requested_budget=requested_budget_expr())
        .order_by()
    ),
)

_PAGE_PARTNERS = RowsByIds("proposal", _half_badges)


def officer_ordering(sort) -> list:
    key, descending = parse_officer_sort(sort)
    expr = _officer_sort_expr(key)
    first = expr.desc(nulls_last=True) if descending else expr.asc(nulls_last=True)
    return [first, "proposal__reference", "pk"]
